//! kb-lookup: versioned knowledge-base bundles and allele matching.
//!
//! - [`manifest`]: the bundle manifest and its JSON Schema;
//! - [`config`]: `SOURCES.toml`, what goes into a bundle;
//! - [`build`], [`verify`], [`archive`]: building a bundle directory (or
//!   `.tar.gz`), checking every checksum, safe extraction;
//! - [`sources`]: one converter per source format (ClinVar, CIViC,
//!   cancerhotspots.org, gnomAD, OncoKB, COSMIC CMC);
//! - [`exact`]: exact-allele tables (bgzipped, tabix-indexed sites VCF) and
//!   their streaming merge-join reader;
//! - [`curated`]: in-memory curated records (protein, codon, region, gene);
//! - [`matcher`]: matching one annotated allele against a loaded
//!   [`bundle::Bundle`];
//! - [`annotate`]: the `annotate` command (VCF with CSQ in, JSON Lines out);
//! - [`contig`]: contig aliases and genome-build checks.
//!
//! The bundle layout is documented in `docs/bundle.md`.

pub mod annotate;
pub mod archive;
pub mod build;
pub mod bundle;
pub mod config;
pub mod contig;
pub mod curated;
pub mod exact;
pub mod matcher;
pub mod normalise;
pub mod protein_change;
pub mod sources;
pub mod verify;

/// The bundle manifest, shared with vcf-annotate (`--bundle`): it lives in
/// `variant_model::manifest` and is re-exported here under its old path.
pub use variant_model::manifest;

use std::path::Path;

/// Errors of the library. Each names the file (and line) involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}:{line}: {message}")]
    At {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error(transparent)]
    Io(#[from] variant_model::io::IoError),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn at(path: &Path, line: u64, message: impl Into<String>) -> Self {
        Error::At {
            path: path.display().to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn file(path: &Path, message: impl std::fmt::Display) -> Self {
        Error::File {
            path: path.display().to_string(),
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `kb-lookup <version>`, as recorded in manifests and stream headers.
pub fn tool_version() -> String {
    format!("kb-lookup {}", env!("CARGO_PKG_VERSION"))
}
