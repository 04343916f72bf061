//! `bundle verify`: recompute every checksum and compare the files present
//! with the manifest, naming every tampered, missing or extra file.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::manifest::{MANIFEST_FILE, Manifest};

/// One problem found in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// Content differs from the manifest's sha256 (or size).
    Tampered { path: String, detail: String },
    /// Listed in the manifest, absent from the bundle.
    Missing { path: String },
    /// Present in the bundle, not listed in the manifest.
    Extra { path: String },
    /// A symlink or special file, which bundles never contain.
    NotRegular { path: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Tampered { path, detail } => write!(f, "TAMPERED {path}: {detail}"),
            Problem::Missing { path } => write!(
                f,
                "MISSING  {path}: listed in the manifest, not in the bundle"
            ),
            Problem::Extra { path } => write!(
                f,
                "EXTRA    {path}: in the bundle, not listed in the manifest"
            ),
            Problem::NotRegular { path } => {
                write!(f, "REFUSED  {path}: symlink or special file")
            }
        }
    }
}

/// The outcome of verifying a bundle directory.
#[derive(Debug)]
pub struct Report {
    pub manifest: Manifest,
    pub files_checked: usize,
    pub problems: Vec<Problem>,
}

/// Verifies a bundle directory against its manifest.
pub fn verify_dir(dir: &Path) -> crate::Result<Report> {
    let manifest = Manifest::read(dir)?;
    let (present, odd) = crate::archive::list_files(dir).map_err(|e| crate::Error::file(dir, e))?;
    let present: BTreeSet<String> = present.into_iter().collect();
    let mut problems: Vec<Problem> = odd
        .into_iter()
        .map(|path| Problem::NotRegular { path })
        .collect();
    let mut listed = BTreeSet::new();
    let mut files_checked = 0;
    for file in manifest.files() {
        listed.insert(file.path.clone());
        if !present.contains(&file.path) {
            problems.push(Problem::Missing {
                path: file.path.clone(),
            });
            continue;
        }
        let path = dir.join(&file.path);
        let (sha256, bytes) =
            crate::archive::sha256_file(&path).map_err(|e| crate::Error::file(&path, e))?;
        files_checked += 1;
        if sha256 != file.sha256 || bytes != file.bytes {
            problems.push(Problem::Tampered {
                path: file.path.clone(),
                detail: format!(
                    "sha256 {sha256} ({bytes} bytes), manifest says {} ({} bytes)",
                    file.sha256, file.bytes
                ),
            });
        }
    }
    for path in &present {
        if path != MANIFEST_FILE && !listed.contains(path) {
            problems.push(Problem::Extra { path: path.clone() });
        }
    }
    problems.sort();
    Ok(Report {
        manifest,
        files_checked,
        problems,
    })
}

/// Verifies a bundle directory or `.tar.gz` (extracted safely to a
/// temporary directory first).
pub fn verify(path: &Path) -> crate::Result<Report> {
    if path.is_dir() {
        return verify_dir(path);
    }
    let temp = tempfile::tempdir().map_err(|e| crate::Error::file(path, e))?;
    let root = crate::archive::extract(path, temp.path())?;
    verify_dir(&root)
}
