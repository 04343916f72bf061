//! Command-line interface of vcf-annotate.

use std::path::PathBuf;

use clap::Parser;

use crate::contigs::UnknownContigs;
use crate::normalise::RefMismatch;
use crate::pick::PickOrder;

/// Normalise a VCF/BCF against the reference and annotate every allele with
/// its transcript consequences (Sequence Ontology terms, VEP IMPACT), HGVS
/// g./c./p. notation, exon/intron numbers and a picked transcript, written
/// as VEP-style INFO/CSQ.
///
/// Reads INPUT (VCF 4.1-4.5 plain/gzip/bgzip, or BCF) or stdin; writes
/// OUTPUT or stdout. A `.vcf.gz` output is bgzip-compressed and tabix-indexed.
#[derive(Debug, Parser)]
#[command(name = "vcf-annotate", version, about, long_about = None)]
pub struct Args {
    /// Input VCF/BCF; stdin when absent or `-`.
    pub input: Option<PathBuf>,

    /// Output path; stdout when absent or `-`. `.vcf.gz` gets bgzip + tabix.
    #[arg(short, long)]
    pub output: Option<PathBuf>,

    /// Reference FASTA with `.fai` (and `.gzi` if bgzip-compressed).
    /// Required unless `--bundle`, `--validate-only` or `--split-only`.
    #[arg(short = 'f', long, required_unless_present_any = ["bundle", "validate_only", "split_only"])]
    pub fasta: Option<PathBuf>,

    /// Gene model: GFF3 (Ensembl, GENCODE, RefSeq) or GTF, plain or gzipped.
    #[arg(short = 'g', long, required_unless_present_any = ["bundle", "normalise_only", "validate_only", "split_only"])]
    pub gff: Option<PathBuf>,

    /// kb-lookup bundle directory: take the reference FASTA and the gene
    /// model it pins (its manifest.json's `reference` and `gene_model`
    /// sources) instead of `-f`/`-g`.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["fasta", "gff", "validate_only", "split_only"])]
    pub bundle: Option<PathBuf>,

    /// Only split and normalise (like `bcftools norm -m- -f`), no consequences.
    #[arg(long)]
    pub normalise_only: bool,

    /// Only check that the input is valid VCF/BCF (VCF 4.1-4.5 rules), write
    /// nothing, and exit non-zero with `FILE:LINE: reason` if it is not.
    /// Needs no reference. Unsorted input is reported as a warning here,
    /// while normalisation and annotation refuse it.
    #[arg(long, conflicts_with_all = ["normalise_only", "output", "gff"])]
    pub validate_only: bool,

    /// Only split multi-allelic records, without a reference: no REF check,
    /// trimming or left-alignment (like `bcftools norm -m-` without `-f`).
    #[arg(long, conflicts_with_all = ["fasta", "gff", "normalise_only", "validate_only"])]
    pub split_only: bool,

    /// What to do when REF disagrees with the reference FASTA.
    #[arg(long, value_enum, default_value_t = RefMismatch::Error)]
    pub ref_mismatch: RefMismatch,

    /// Contig alias table (TSV, one row per contig, one column per naming
    /// style, as `assets/contig_aliases/GRCh38.tsv`): input contig names
    /// (`7`, `chr7`, `NC_000007.14`) are mapped to the reference FASTA's
    /// names before normalisation; the output and its `##contig` lines use
    /// the reference's names.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["validate_only", "split_only"])]
    pub contig_aliases: Option<PathBuf>,

    /// Records on contigs the reference lacks (even after aliasing): stop
    /// with an error, or keep them unchanged and unannotated (INFO flag
    /// UNKNOWN_CONTIG), counted per contig in the summary.
    #[arg(long, value_enum, default_value_t = UnknownContigs::Keep)]
    pub unknown_contigs: UnknownContigs,

    /// INFO tag that records the original record of split/normalised alleles.
    #[arg(long, default_value = "ORIGINAL")]
    pub original_tag: String,

    /// Accept common spec violations in the input; each one relaxed is
    /// reported on stderr.
    #[arg(long)]
    pub lenient: bool,

    /// Bases a record may move left during normalisation and still be
    /// re-sorted (like `bcftools norm --site-win`).
    #[arg(long, default_value_t = 1000)]
    pub site_window: u64,

    /// Distance for upstream_gene_variant (5' of the transcript).
    #[arg(long, default_value_t = 5000)]
    pub upstream_distance: u64,

    /// Distance for downstream_gene_variant (3' of the transcript).
    #[arg(long, default_value_t = 5000)]
    pub downstream_distance: u64,

    /// Also write INFO/BCSQ in bcftools csq's format.
    #[arg(long)]
    pub bcsq: bool,

    /// Abbreviate BCSQ protein changes longer than N residues, as
    /// `bcftools csq -B N` (0: write them in full).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub bcsq_brief: usize,

    /// BCSQ of every record alone, never combined with others on the same
    /// haplotype (as `bcftools csq -l`).
    #[arg(long)]
    pub bcsq_local: bool,

    /// Write a JSON summary of what was read, normalised and written.
    #[arg(long)]
    pub summary: Option<PathBuf>,

    /// Worker threads (default: all cores).
    #[arg(short = 't', long)]
    pub threads: Option<usize>,

    /// Comma-separated criteria that pick one consequence per allele
    /// (flagged PICK), most important first, as VEP's --pick_order:
    /// mane_select, mane_plus_clinical, canonical, appris (ignored: no APPRIS
    /// data in GFF3/GTF), tsl (lower level), biotype (protein_coding), ccds,
    /// rank (most severe consequence), length (longer CDS, then longer
    /// transcript), ensembl, refseq. Remaining ties go to the transcript ID.
    #[arg(long, value_name = "CRITERIA", default_value_t = PickOrder::default())]
    pub pick_order: PickOrder,
}
