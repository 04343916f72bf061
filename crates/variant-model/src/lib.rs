//! The common variant model of annotation-engine.
//!
//! Every tool of the pipeline reads and writes the types defined here:
//! `vcf-annotate` produces [`allele::GenomicAllele`]s with their
//! [`consequence::TranscriptConsequence`]s (serialised into VCF `INFO/CSQ`),
//! `kb-lookup` adds [`evidence::KbMatch`]es, `rule-tier` adds a
//! [`classification::Classification`] and `report-gen` renders the
//! resulting [`record::VariantRecord`]s (JSON Lines, one per allele).

pub mod allele;
#[cfg(feature = "mimalloc")]
pub mod allocator;
pub mod caller;
pub mod classification;
pub mod consequence;
pub mod contig_alias;
pub mod csq;
pub mod evidence;
pub mod hgvs;
pub mod io;
pub mod manifest;
pub mod progress;
pub mod protein;
pub mod record;
pub mod schema;

pub use allele::{GenomicAllele, OriginalRecord, VariantClass};
pub use consequence::{Impact, SoTerm, Strand, TranscriptConsequence};
pub use record::VariantRecord;
