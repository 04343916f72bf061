//! The reference genome: an indexed FASTA (`.fai`; plus `.gzi` when
//! bgzip-compressed), read one contig at a time and shared between threads.

use std::path::Path;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("contig `{contig}` is not in the reference FASTA {path}")]
    UnknownContig { contig: String, path: String },
}

/// One contig's sequence, upper-cased.
#[derive(Debug)]
pub struct ContigSequence {
    pub name: String,
    pub sequence: Vec<u8>,
}

impl ContigSequence {
    pub fn len(&self) -> u64 {
        self.sequence.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.sequence.is_empty()
    }

    /// Bases `start..=end` (1-based, inclusive), or `None` past the end.
    pub fn slice(&self, start: u64, end: u64) -> Option<&[u8]> {
        if start == 0 || end < start || end > self.len() {
            return None;
        }
        Some(&self.sequence[(start - 1) as usize..end as usize])
    }
}

/// An indexed reference FASTA.
pub struct Reference {
    _private: (),
}

impl Reference {
    /// Opens `path`, requiring its `.fai` (and `.gzi` when bgzipped).
    pub fn open(path: &Path) -> Result<Self, ReferenceError> {
        let _ = path;
        todo!("reference")
    }

    /// Contig names in `.fai` order.
    pub fn contig_names(&self) -> Vec<String> {
        todo!()
    }

    pub fn contig_length(&self, name: &str) -> Option<u64> {
        let _ = name;
        todo!()
    }

    /// The whole sequence of a contig (cached; cheap to call repeatedly).
    pub fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, ReferenceError> {
        let _ = name;
        todo!()
    }
}
