//! Bundles as `.tar.gz`: deterministic packing (sorted entries, fixed
//! owner, mode and time, gzip header without time or name) and safe
//! extraction (no absolute paths, no `..`, no links or devices).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// Lower-case hex sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    let mut file = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut hasher = Sha256::new();
    let bytes = io::copy(&mut file, &mut HashWriter(&mut hasher))?;
    Ok((hex(&hasher.finalize()), bytes))
}

/// Lower-case hex sha256 of bytes.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Every regular file below `dir`, as sorted `/`-separated relative paths.
/// Symlinks and other non-regular entries are returned separately so
/// callers can refuse them.
pub fn list_files(dir: &Path) -> io::Result<(Vec<String>, Vec<String>)> {
    let mut files = Vec::new();
    let mut odd = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let rel_path = rel.join(entry.file_name());
            let text = rel_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                odd.push(text);
            } else if kind.is_dir() {
                stack.push(rel_path);
            } else if kind.is_file() {
                files.push(text);
            } else {
                odd.push(text);
            }
        }
    }
    files.sort();
    odd.sort();
    Ok((files, odd))
}

/// Packs a bundle directory as a deterministic `.tar.gz` at `out` (written
/// under a temporary name and renamed into place).
pub fn pack(dir: &Path, out: &Path) -> crate::Result<()> {
    let (files, odd) = list_files(dir).map_err(|e| crate::Error::file(dir, e))?;
    if let Some(first) = odd.first() {
        return Err(crate::Error::file(
            dir,
            format!("{first} is a symlink or special file: bundles hold regular files only"),
        ));
    }
    let mut output = variant_model::io::AtomicOutput::create(Some(out))?;
    {
        let gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(BufWriter::new(&mut output), flate2::Compression::new(6));
        let mut tar = tar::Builder::new(gz);
        tar.mode(tar::HeaderMode::Deterministic);
        for rel in &files {
            let path = dir.join(rel);
            let mut file = File::open(&path).map_err(|e| crate::Error::file(&path, e))?;
            let size = file
                .metadata()
                .map_err(|e| crate::Error::file(&path, e))?
                .len();
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Regular);
            header.set_size(size);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_uid(0);
            header.set_gid(0);
            tar.append_data(&mut header, rel, &mut file)
                .map_err(|e| crate::Error::file(out, e))?;
        }
        let gz = tar.into_inner().map_err(|e| crate::Error::file(out, e))?;
        gz.finish()
            .and_then(|mut w| w.flush())
            .map_err(|e| crate::Error::file(out, e))?;
    }
    output.commit()?;
    Ok(())
}

/// Extracts a bundle archive into `dest` (an empty directory). Entries
/// must be regular files or directories with relative paths that stay
/// inside `dest`; anything else is refused before it is written.
/// Returns the directory holding `manifest.json` (`dest`, or its single
/// top-level directory).
pub fn extract(archive: &Path, dest: &Path) -> crate::Result<PathBuf> {
    let file = File::open(archive).map_err(|e| crate::Error::file(archive, e))?;
    let decoder = flate2::read::MultiGzDecoder::new(BufReader::new(file));
    let mut tar = tar::Archive::new(decoder);
    let entries = tar
        .entries()
        .map_err(|e| crate::Error::file(archive, format!("not a tar.gz archive: {e}")))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| crate::Error::file(archive, format!("corrupt archive: {e}")))?;
        let raw_path = entry
            .path()
            .map_err(|e| crate::Error::file(archive, format!("bad entry name: {e}")))?
            .into_owned();
        let shown = raw_path.display().to_string();
        let mut clean = PathBuf::new();
        for component in raw_path.components() {
            match component {
                Component::Normal(part) => clean.push(part),
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                    return Err(crate::Error::file(
                        archive,
                        format!(
                            "entry `{shown}` leaves the bundle directory (path traversal): refused"
                        ),
                    ));
                }
            }
        }
        let kind = entry.header().entry_type();
        if clean.as_os_str().is_empty() {
            if kind.is_dir() {
                continue;
            }
            return Err(crate::Error::file(
                archive,
                format!("entry `{shown}` has an empty path"),
            ));
        }
        let target = dest.join(&clean);
        match kind {
            tar::EntryType::Directory => {
                std::fs::create_dir_all(&target).map_err(|e| crate::Error::file(&target, e))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| crate::Error::file(parent, e))?;
                }
                if target.symlink_metadata().is_ok() {
                    return Err(crate::Error::file(
                        archive,
                        format!("entry `{shown}` appears twice: refused"),
                    ));
                }
                let mut out = File::create(&target).map_err(|e| crate::Error::file(&target, e))?;
                io::copy(&mut entry, &mut out)
                    .map_err(|e| crate::Error::file(archive, format!("entry `{shown}`: {e}")))?;
            }
            other => {
                let what = if other.is_symlink() {
                    "a symbolic link"
                } else if other.is_hard_link() {
                    "a hard link"
                } else {
                    "not a regular file"
                };
                return Err(crate::Error::file(
                    archive,
                    format!("entry `{shown}` is {what}: bundles hold regular files only, refused"),
                ));
            }
        }
    }
    if dest.join(crate::manifest::MANIFEST_FILE).is_file() {
        return Ok(dest.to_path_buf());
    }
    let dirs: Vec<PathBuf> = std::fs::read_dir(dest)
        .map_err(|e| crate::Error::file(dest, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    if let [only] = dirs.as_slice()
        && only.join(crate::manifest::MANIFEST_FILE).is_file()
    {
        return Ok(only.clone());
    }
    Err(crate::Error::file(
        archive,
        "no manifest.json at the top of the archive",
    ))
}

/// `bundle unpack`: extracts a bundle archive into directory `out`, with
/// the same checks as [`extract`], verifies every checksum against the
/// manifest, and only then moves the bundle into place, so `out` never
/// holds a partial or tampered bundle. `manifest.json` ends up at the top
/// of `out` even when the archive wraps the bundle in one directory.
///
/// An existing `out` must be an empty directory unless `force`, which
/// replaces it (the old directory is removed only after the new one is
/// verified).
pub fn unpack(archive: &Path, out: &Path, force: bool) -> crate::Result<crate::verify::Report> {
    if archive.is_dir() {
        return Err(crate::Error::file(
            archive,
            "is a directory: `bundle unpack` takes a .tar.gz bundle (a directory bundle is used as it is)",
        ));
    }
    let existing = match std::fs::symlink_metadata(out) {
        Ok(meta) if meta.is_dir() => {
            let empty = std::fs::read_dir(out)
                .map_err(|e| crate::Error::file(out, e))?
                .next()
                .is_none();
            if !empty && !force {
                return Err(crate::Error::file(
                    out,
                    "exists and is not empty: give --force to replace it",
                ));
            }
            true
        }
        Ok(_) => {
            return Err(crate::Error::file(
                out,
                "exists and is not a directory: refused",
            ));
        }
        Err(_) => false,
    };
    // Staged beside `out` so the final rename stays on one file system.
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| crate::Error::file(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".kb-unpack-")
        .tempdir_in(&parent)
        .map_err(|e| crate::Error::file(&parent, e))?;
    // The bundle goes to `bundle/` inside the staging directory, any old
    // content of `out` to `previous/`: never one inside the other.
    let extracted = staging.path().join("bundle");
    std::fs::create_dir(&extracted).map_err(|e| crate::Error::file(&extracted, e))?;
    let root = extract(archive, &extracted)?;
    let report = crate::verify::verify_dir(&root)?;
    if !report.problems.is_empty() {
        let problems = report
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n  ");
        return Err(crate::Error::file(
            archive,
            format!(
                "the bundle does not match its manifest ({} problem(s)); nothing written to {}:\n  {problems}",
                report.problems.len(),
                out.display()
            ),
        ));
    }
    // The bundle replaces `out` in two renames; the old content is moved
    // aside first and deleted last.
    let old = staging.path().join("previous");
    if existing {
        std::fs::rename(out, &old).map_err(|e| crate::Error::file(out, e))?;
    }
    if let Err(e) = std::fs::rename(&root, out) {
        if existing {
            let _ = std::fs::rename(&old, out);
        }
        return Err(crate::Error::file(out, e));
    }
    // Dropping `staging` removes the old content (and the now empty
    // wrapper directory of a wrapped archive).
    drop(staging);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw_tar(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, kind, data, link) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(*kind);
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            // Bypass the tar crate's own path checks to forge hostile names.
            let bytes = name.as_bytes();
            header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            if let Some(link) = link {
                header.set_link_name(link).unwrap();
            }
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn refuses_traversal_links_and_absolute_paths() {
        let dir = tempfile::tempdir().unwrap();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "dotdot",
                raw_tar(&[("../evil.txt", tar::EntryType::Regular, b"x", None)]),
                "path traversal",
            ),
            (
                "absolute",
                raw_tar(&[("/tmp/evil.txt", tar::EntryType::Regular, b"x", None)]),
                "path traversal",
            ),
            (
                "symlink",
                raw_tar(&[("link", tar::EntryType::Symlink, b"", Some("/etc/passwd"))]),
                "symbolic link",
            ),
            (
                "hardlink",
                raw_tar(&[("hard", tar::EntryType::Link, b"", Some("/etc/passwd"))]),
                "hard link",
            ),
        ];
        for (name, bytes, expected) in cases {
            let archive = dir.path().join(format!("{name}.tar.gz"));
            std::fs::write(&archive, bytes).unwrap();
            let dest = dir.path().join(format!("{name}-out"));
            std::fs::create_dir(&dest).unwrap();
            let err = extract(&archive, &dest).unwrap_err().to_string();
            assert!(err.contains(expected), "{name}: {err}");
            assert_eq!(
                std::fs::read_dir(&dest).unwrap().count(),
                0,
                "{name} wrote files"
            );
        }
        assert!(!dir.path().join("evil.txt").exists());
    }

    #[test]
    fn packs_deterministically_and_extracts() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("b");
        std::fs::create_dir_all(bundle.join("exact")).unwrap();
        std::fs::write(bundle.join("manifest.json"), "{}").unwrap();
        std::fs::write(bundle.join("exact/a.txt"), "a").unwrap();
        pack(&bundle, &dir.path().join("1.tar.gz")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        std::fs::write(bundle.join("exact/a.txt"), "a").unwrap(); // new mtime
        pack(&bundle, &dir.path().join("2.tar.gz")).unwrap();
        let one = std::fs::read(dir.path().join("1.tar.gz")).unwrap();
        assert_eq!(one, std::fs::read(dir.path().join("2.tar.gz")).unwrap());
        let dest = dir.path().join("x");
        std::fs::create_dir(&dest).unwrap();
        let root = extract(&dir.path().join("1.tar.gz"), &dest).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("exact/a.txt")).unwrap(),
            "a"
        );
    }
}
