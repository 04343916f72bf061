//! vcf-annotate: normalise variants against the reference and annotate
//! their transcript consequences and HGVS notation from a gene model.
//!
//! The pipeline ([`pipeline::run`]) streams the input in chunks:
//! [`input`] parses and validates records, [`normalise`] splits, trims and
//! left-aligns them against the [`reference`], a sort window restores
//! coordinate order, [`consequence`] predicts what each allele does to every
//! overlapping transcript of the [`gene_model`] (with [`hgvs`] notation and
//! a [`pick`]ed transcript), and [`output`] writes the annotated VCF.

pub mod cli;
pub mod consequence;
pub mod contigs;
pub mod gene_model;
pub mod hgvs;
pub mod input;
pub mod normalise;
pub mod output;
pub mod pick;
pub mod pipeline;
pub mod record;
pub mod reference;
