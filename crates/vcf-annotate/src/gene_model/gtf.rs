//! GTF (GENCODE/Ensembl GTF 2.2) reader.

use std::path::Path;

use super::{GeneModelError, Transcript};

/// True when the file's first feature line uses GTF attribute syntax
/// (`key "value";`) rather than GFF3 (`key=value`).
pub fn looks_like_gtf(path: &Path) -> std::io::Result<bool> {
    let _ = path;
    todo!("GTF detection")
}

/// Reads every transcript (with exons and CDS) from a GTF file.
pub fn read_transcripts(path: &Path) -> Result<Vec<Transcript>, GeneModelError> {
    let _ = path;
    todo!("GTF parsing")
}
