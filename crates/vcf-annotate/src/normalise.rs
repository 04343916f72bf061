//! Normalisation: split multi-allelic records (Number=A/R/G fields split
//! correctly), trim shared bases, left-align indels, check REF against the
//! reference; and the sort window that restores coordinate order.

use noodles::vcf::Header;

use crate::record::{InputRecord, NormalisedRecord};
use crate::reference::Reference;

#[derive(Debug, thiserror::Error)]
pub enum NormaliseError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
}

/// What to do when REF disagrees with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RefMismatch {
    /// Stop with an error naming the line.
    #[default]
    Error,
    /// Keep the record, flag it (INFO/REF_MISMATCH) and count it.
    Flag,
}

#[derive(Debug, Clone)]
pub struct NormaliseOptions {
    pub ref_mismatch: RefMismatch,
    /// INFO tag recording the original record (`ORIGINAL`).
    pub original_tag: String,
}

pub struct Normaliser<'a> {
    _reference: &'a Reference,
}

impl<'a> Normaliser<'a> {
    pub fn new(header: &Header, reference: &'a Reference, options: NormaliseOptions) -> Self {
        let _ = (header, options);
        Self {
            _reference: reference,
        }
    }

    /// Header lines for the INFO fields normalisation writes.
    pub fn add_header_lines(&self, header: &mut Header) {
        let _ = header;
        todo!()
    }

    /// Splits and normalises one input record into biallelic records.
    pub fn normalise(&self, record: InputRecord) -> Result<Vec<NormalisedRecord>, NormaliseError> {
        let _ = record;
        todo!()
    }
}

/// Restores coordinate order after left-alignment moved records back by up
/// to `window` bases (like `bcftools norm --site-win`).
pub struct SortWindow {
    _window: u64,
}

impl SortWindow {
    pub fn new(window: u64) -> Self {
        Self { _window: window }
    }

    pub fn push(&mut self, record: NormalisedRecord) {
        let _ = record;
        todo!()
    }

    /// Records that no later input can precede.
    pub fn drain_ready(&mut self) -> Vec<NormalisedRecord> {
        todo!()
    }

    pub fn finish(&mut self) -> Vec<NormalisedRecord> {
        todo!()
    }
}
