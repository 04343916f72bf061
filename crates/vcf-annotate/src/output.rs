//! Writing the annotated VCF: plain VCF, or bgzip + tabix index for a
//! `.vcf.gz` path, written atomically.

use std::path::Path;

use noodles::vcf::Header;
use noodles::vcf::variant::RecordBuf;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {message}")]
    Write { path: String, message: String },
}

pub struct VcfOutput {
    _private: (),
}

impl VcfOutput {
    pub fn create(path: Option<&Path>, header: &Header) -> Result<Self, OutputError> {
        let _ = (path, header);
        todo!("output")
    }

    pub fn write(&mut self, record: &RecordBuf) -> Result<(), OutputError> {
        let _ = record;
        todo!()
    }

    /// Finishes the file (BGZF EOF block, tabix index) and moves it into place.
    pub fn commit(self) -> Result<(), OutputError> {
        todo!()
    }
}
