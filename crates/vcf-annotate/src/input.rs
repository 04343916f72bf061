//! Reading and validating VCF 4.1-4.5 (plain, gzip, bgzip) and BCF input.

use std::path::Path;

use noodles::vcf::Header;

use crate::record::InputRecord;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Accept some spec violations (listed by [`VcfInput::relaxations`]).
    pub lenient: bool,
}

/// A validated, streaming VCF/BCF reader.
pub struct VcfInput {
    _private: (),
}

impl VcfInput {
    pub fn open(path: Option<&Path>, options: InputOptions) -> Result<Self, InputError> {
        let _ = (path, options);
        todo!("input")
    }

    pub fn header(&self) -> &Header {
        todo!()
    }

    /// What `--lenient` relaxed so far, to report to the user.
    pub fn relaxations(&self) -> Vec<String> {
        todo!()
    }

    pub fn records_read(&self) -> u64 {
        todo!()
    }

    /// Up to `max` next records, validated; `None` at end of input.
    pub fn next_chunk(&mut self, max: usize) -> Result<Option<Vec<InputRecord>>, InputError> {
        let _ = max;
        todo!()
    }
}
