//! Records as they move through the vcf-annotate pipeline.

use noodles::vcf::variant::RecordBuf;
use variant_model::{GenomicAllele, OriginalRecord, TranscriptConsequence};

/// A parsed, validated input record and where it came from.
#[derive(Debug, Clone)]
pub struct InputRecord {
    /// 1-based line number in the input VCF (record number for BCF), for
    /// error messages.
    pub line: u64,
    pub record: Box<RecordBuf>,
    /// The VCF line as read (without its newline) when it may be written
    /// back as it is: it needed no rewriting for noodles and no `--lenient`
    /// relaxation. `None` for BCF input.
    pub text: Option<String>,
}

/// What normalisation did to an allele (written to INFO and counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NormFlag {
    /// Came from a multi-allelic record.
    Split,
    /// Shared leading/trailing bases were removed.
    Trimmed,
    /// An indel was shifted left through a repeat.
    LeftAligned,
    /// REF did not match the reference (kept only with `--ref-mismatch flag`).
    RefMismatch,
    /// Symbolic or breakend ALT, `*` or no ALT: carried through, not normalised
    /// or annotated.
    NotNormalisable,
    /// The contig is not in the reference (`--unknown-contigs keep`):
    /// carried through whole, not normalised or annotated.
    UnknownContig,
}

impl NormFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            NormFlag::Split => "split",
            NormFlag::Trimmed => "trimmed",
            NormFlag::LeftAligned => "left_aligned",
            NormFlag::RefMismatch => "ref_mismatch",
            NormFlag::NotNormalisable => "not_normalisable",
            NormFlag::UnknownContig => "unknown_contig",
        }
    }
}

/// One biallelic record after splitting and normalisation.
#[derive(Debug, Clone)]
pub struct NormalisedRecord {
    pub line: u64,
    /// The record with one ALT, INFO/FORMAT values split per allele, and
    /// POS/REF/ALT normalised.
    pub record: Box<RecordBuf>,
    /// The allele as the rest of the pipeline sees it (mirrors `record`).
    pub allele: GenomicAllele,
    /// The input record, when splitting or normalisation changed it.
    pub original: Option<OriginalRecord>,
    pub flags: Vec<NormFlag>,
    /// The input line, when normalisation left the record as it was (see
    /// [`InputRecord::text`]): written out as it came in, as VEP passes
    /// lines through, rather than re-formatted from `record`.
    pub text: Option<String>,
}

/// A normalised record with its consequences.
#[derive(Debug, Clone)]
pub struct AnnotatedRecord {
    pub normalised: NormalisedRecord,
    /// Every overlapping transcript (or one intergenic entry); one is picked.
    pub consequences: Vec<TranscriptConsequence>,
    /// bcftools-csq compatible consequence string (`--bcsq`).
    pub bcsq: Option<String>,
}
