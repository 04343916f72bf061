//! A bundle opened for matching: manifest, curated sources in memory,
//! exact-allele tables opened for streaming look-ups.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use variant_model::contig_alias::ContigAliases;
use variant_model::record::BundleRef;

use crate::curated::CuratedSource;
use crate::exact::ExactTable;
use crate::manifest::{MANIFEST_FILE, Manifest, SourceKind};

/// An exact-allele table with the source it belongs to.
pub struct ExactSource {
    pub name: String,
    pub kind: SourceKind,
    pub version: String,
    /// Made-up data: matches carry no links into the real database.
    pub synthetic: bool,
    pub table: ExactTable,
}

/// An opened bundle.
pub struct Bundle {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub manifest_sha256: String,
    pub curated: Vec<CuratedSource>,
    pub exact: Vec<ExactSource>,
    /// Contig lengths of the bundle reference, when it has one.
    pub reference_lengths: Option<BTreeMap<String, u64>>,
    /// The bundle's contig alias table (`manifest.contig_aliases`), when
    /// it has one.
    pub contig_aliases: Option<ContigAliases>,
    /// Keeps an extracted archive alive while the bundle is open.
    _extracted: Option<tempfile::TempDir>,
}

impl Bundle {
    /// Opens a bundle directory or `.tar.gz`. Files are checked for
    /// presence and size here; `bundle verify` (or `--verify`) checks
    /// every checksum.
    pub fn open(path: &Path) -> crate::Result<Self> {
        let (root, extracted) = if path.is_dir() {
            (path.to_path_buf(), None)
        } else if path.is_file() {
            let temp = tempfile::tempdir().map_err(|e| crate::Error::file(path, e))?;
            let root = crate::archive::extract(path, temp.path())?;
            (root, Some(temp))
        } else {
            return Err(crate::Error::file(
                path,
                "no such bundle directory or archive",
            ));
        };
        let manifest_bytes = std::fs::read(root.join(MANIFEST_FILE))
            .map_err(|e| crate::Error::file(&root.join(MANIFEST_FILE), e))?;
        let manifest = Manifest::from_bytes(
            &manifest_bytes,
            &root.join(MANIFEST_FILE).display().to_string(),
        )?;
        for file in manifest.files() {
            let p = root.join(&file.path);
            let size = std::fs::metadata(&p)
                .map_err(|e| {
                    crate::Error::file(&p, format!("listed in the manifest but unreadable: {e}"))
                })?
                .len();
            if size != file.bytes {
                return Err(crate::Error::file(
                    &p,
                    format!(
                        "has {size} bytes, the manifest says {}: the bundle is damaged (run `kb-lookup bundle verify`)",
                        file.bytes
                    ),
                ));
            }
        }
        let mut curated = Vec::new();
        let mut exact = Vec::new();
        let mut reference_lengths = None;
        for source in &manifest.sources {
            for file in &source.files {
                let p = root.join(&file.path);
                match file.role.as_str() {
                    "curated_records" => curated.push(CuratedSource::read(
                        &p,
                        &source.name,
                        Some(source.release.clone()),
                    )?),
                    "exact_alleles" => exact.push(ExactSource {
                        name: source.name.clone(),
                        kind: source.kind,
                        version: source.release.clone(),
                        synthetic: source.synthetic,
                        table: ExactTable::open(&p)?,
                    }),
                    "reference_fasta" => {
                        reference_lengths =
                            Some(crate::normalise::Reference::open(&p)?.lengths().clone());
                    }
                    _ => {}
                }
            }
        }
        let contig_aliases = match manifest.contig_aliases_path(&root) {
            Some(path) => Some(ContigAliases::from_path(&path).map_err(|e| {
                crate::Error::file(&path, format!("invalid contig alias table: {e}"))
            })?),
            None => None,
        };
        for source in &mut exact {
            source.table.set_contig_aliases(contig_aliases.clone());
        }
        for source in &mut curated {
            source.set_contig_aliases(contig_aliases.clone());
        }
        Ok(Self {
            contig_aliases,
            root,
            manifest_sha256: crate::archive::sha256_bytes(&manifest_bytes),
            manifest,
            curated,
            exact,
            reference_lengths,
            _extracted: extracted,
        })
    }

    /// The reference written into stream headers.
    pub fn reference(&self) -> BundleRef {
        BundleRef {
            version: self.manifest.bundle_version.clone(),
            genome_build: self.manifest.genome_build.clone(),
            manifest_sha256: self.manifest_sha256.clone(),
            redistributable: self.manifest.redistributable,
        }
    }
}
