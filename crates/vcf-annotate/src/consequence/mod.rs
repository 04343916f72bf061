//! Transcript consequences (Sequence Ontology terms as VEP assigns them),
//! with HGVS, positions and the picked transcript; joint consequences of
//! phased variants that change the same codons.

use std::sync::Arc;

use noodles::vcf::Header;

use crate::gene_model::GeneModel;
use crate::record::{AnnotatedRecord, NormalisedRecord};
use crate::reference::Reference;

#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
}

#[derive(Debug, Clone)]
pub struct AnnotateOptions {
    pub upstream_distance: u64,
    pub downstream_distance: u64,
    /// Add bcftools-csq compatible INFO/BCSQ.
    pub bcsq: bool,
}

pub struct Annotator {
    _model: Arc<GeneModel>,
    _reference: Arc<Reference>,
    _options: AnnotateOptions,
}

impl Annotator {
    pub fn new(model: Arc<GeneModel>, reference: Arc<Reference>, options: AnnotateOptions) -> Self {
        Self {
            _model: model,
            _reference: reference,
            _options: options,
        }
    }

    /// Header lines for INFO/CSQ (and INFO/BCSQ).
    pub fn add_header_lines(&self, header: &mut Header) {
        let _ = header;
        todo!()
    }

    /// Annotates sorted records. Records that may combine with records not
    /// yet seen are held back and returned by a later call or by `finish`.
    pub fn annotate(
        &mut self,
        records: Vec<NormalisedRecord>,
    ) -> Result<Vec<AnnotatedRecord>, AnnotateError> {
        let _ = records;
        todo!()
    }

    pub fn finish(&mut self) -> Result<Vec<AnnotatedRecord>, AnnotateError> {
        todo!()
    }
}

/// The output record: the normalised record with INFO/CSQ (and BCSQ) set.
pub fn into_output_record(annotated: AnnotatedRecord) -> noodles::vcf::variant::RecordBuf {
    let _ = annotated;
    todo!()
}
