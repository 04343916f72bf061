//! GFF3 reader: Ensembl, GENCODE and RefSeq flavours.

use std::path::Path;

use super::{GeneModelError, Transcript};

/// Reads every transcript (with exons and CDS) from a GFF3 file.
pub fn read_transcripts(path: &Path) -> Result<Vec<Transcript>, GeneModelError> {
    let _ = path;
    todo!("GFF3 parsing")
}
