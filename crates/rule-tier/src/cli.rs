//! Command line of `rule-tier`.

use std::path::PathBuf;

use clap::Parser;

use crate::classify::SampleType;
use crate::germline::TumourOnlyMode;

/// Classify the variants of one sample from kb-lookup's JSON Lines:
/// AMP/ASCO/CAP 2017 tiers and ClinGen/CGC/VICC 2022 oncogenicity for a
/// somatic sample, ACMG/AMP 2015 classes for a germline sample, with the
/// rules that fired for each call and a per-sample summary (classes, TMB,
/// what was not classified and why).
#[derive(Debug, Parser)]
#[command(name = "rule-tier", version)]
pub struct Args {
    /// kb-lookup JSON Lines (plain or gzip); stdin when absent or `-`.
    pub input: Option<PathBuf>,

    /// Output JSON Lines; stdout when absent or `-`. Written atomically.
    #[arg(short, long)]
    pub output: Option<PathBuf>,

    /// Directory of the rules files (common.toml, genes.toml,
    /// amp_asco_cap_2017.toml, clingen_cgc_vicc_2022.toml, acmg_amp_2015.toml,
    /// tmb.toml, tumour_only.toml).
    #[arg(long, default_value = "conf/rules")]
    pub rules: PathBuf,

    /// Tumour-type ontology mapping (OncoTree ↔ DOID TSV).
    #[arg(long, conflicts_with = "bundle")]
    pub ontology: Option<PathBuf>,

    /// kb-lookup bundle directory; the ontology mapping is read from
    /// `ontology/oncotree_doid.tsv` inside it.
    #[arg(long)]
    pub bundle: Option<PathBuf>,

    /// Sample type from the sample sheet.
    #[arg(long)]
    pub sample_type: SampleType,

    /// Tumour type of a somatic sample, as an OncoTree code (e.g. LUAD).
    #[arg(long, alias = "tumor-type")]
    pub tumour_type: Option<String>,

    /// Size of the targeted region in megabases; TMB is computed for
    /// somatic samples when given.
    #[arg(long)]
    pub target_size_mb: Option<f64>,

    /// Minimum tumour VAF of a variant counted in TMB (default from tmb.toml).
    #[arg(long)]
    pub tmb_min_vaf: Option<f64>,

    /// Minimum tumour read depth of a variant counted in TMB (default from
    /// tmb.toml).
    #[arg(long)]
    pub tmb_min_depth: Option<u32>,

    /// Somatic samples: which variants are screened for likely germline
    /// origin (criteria in tumour_only.toml). auto: those without a call of
    /// role `normal` (tumour-only); yes: all; no: none.
    #[arg(long, value_enum, default_value_t = TumourOnlyMode::Auto)]
    pub tumour_only: TumourOnlyMode,

    /// Also classify variants whose FILTER is not PASS (they are always
    /// kept in the output and counted in the summary).
    #[arg(long)]
    pub classify_filtered: bool,

    /// The input was not looked up against population data: never conclude
    /// that a variant is absent from gnomAD (OP4, PM2).
    #[arg(long)]
    pub no_population_data: bool,

    /// Write a readable trace of every variant (the same rules as the JSON
    /// trace) to stderr.
    #[arg(long)]
    pub explain: bool,

    /// Write the readable trace to this file instead (implies --explain).
    #[arg(long, value_name = "FILE")]
    pub explain_file: Option<PathBuf>,
}
