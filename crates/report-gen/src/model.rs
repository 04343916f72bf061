//! The report: what the HTML page shows, and the JSON report itself
//! (schema: `assets/schema/report.schema.json`, generated from these types).

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use variant_model::classification::{AmpLevel, AmpTier, CriteriaCall, LikelyGermline};
use variant_model::evidence::Disease;
use variant_model::record::{BundleRef, ToolRun, VariantRecord};

/// Version of the report JSON layout. Bump on incompatible changes.
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

/// The JSON Schema (draft 2020-12) of the JSON report, as committed at
/// `assets/schema/report.schema.json`.
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(SampleReport);
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serialises");
    text.push('\n');
    text
}

/// The report of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SampleReport {
    pub report_schema_version: String,
    pub header: ReportHeader,
    pub summary: ReportSummary,
    /// One section per tier, in the order I, II, III, IV, then variants
    /// rule-tier did not classify (only when there are any).
    pub tiers: Vec<TierSection>,
    pub plots: PlotData,
    pub qc: QcSummary,
    pub disclaimer: String,
}

/// Who, what and how: the header of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportHeader {
    pub sample: String,
    pub tumour_type: Option<Disease>,
    pub genome_build: Option<String>,
    /// Report date (`YYYY-MM-DD`), never the wall clock unless asked for.
    pub date: Option<String>,
    /// Where the date came from: `--date`, `input header`,
    /// `SOURCE_DATE_EPOCH`, or `not recorded`.
    pub date_source: String,
    /// Pipeline name and version (the version of the report-gen build).
    pub pipeline: String,
    /// Every tool that processed the data, in order, ending with report-gen
    /// and its own parameters.
    pub provenance: Vec<ToolRun>,
    pub bundle: Option<BundleRef>,
    /// The variant caller whose conventions gave VAF and depths, and how
    /// the tumour/normal samples were chosen (kb-lookup).
    #[serde(default)]
    pub caller: Option<variant_model::record::CallerRef>,
    /// The matched normal sample, when there is one.
    #[serde(default)]
    pub normal_sample: Option<String>,
    /// Schema version of the input stream.
    pub input_schema_version: String,
}

/// The headline numbers and the findings a board reads first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportSummary {
    /// Variants in the report (all tiers).
    pub variants: u64,
    /// Count per tier, including tiers with no variant.
    pub tier_counts: Vec<TierCount>,
    /// Whether the sample was analysed with or without a matched normal,
    /// and the likely germline variants of a tumour-only analysis.
    pub analysis: Analysis,
    pub tmb: Option<Tmb>,
    /// Tier I and II variants, strongest first.
    pub key_findings: Vec<KeyFinding>,
}

/// How the sample was analysed: with a matched normal or tumour-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Analysis {
    /// `tumour_only`, `tumour_normal`, or `not_stated` (no germline screen
    /// in the input: a germline sample, or a stream from before it).
    pub mode: String,
    /// The sentence the report shows.
    pub statement: String,
    /// Variants flagged likely germline (tumour-only).
    pub likely_germline: u64,
    /// Flagged variants by criterion (`population_af`, `clinvar_germline`,
    /// `vaf_heterozygous`, `vaf_homozygous`).
    pub criteria: BTreeMap<String, u64>,
    /// Rules file of the criteria (`tumour_only.toml@1.0.0`).
    pub rules: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierCount {
    pub tier: TierKey,
    pub count: u64,
}

/// Tumour mutational burden as the summary line states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tmb {
    /// Mutations per megabase.
    pub per_mb: f64,
    /// Variants counted, when stated.
    pub variants_counted: Option<u64>,
    /// Size of the targeted region in megabases, when stated.
    pub target_size_mb: Option<f64>,
    /// The summary field it was read from (e.g. `tmb`).
    pub source_field: String,
    /// Everything else stated with it (thresholds, exclusions), as text.
    pub details: BTreeMap<String, String>,
}

/// One line of the key findings list: a tier I/II variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KeyFinding {
    /// Id of the variant in its tier table (`v1`, `v2`, ...).
    pub variant_id: String,
    pub gene: Option<String>,
    /// Short protein change (`p.V600E`), else the cDNA change, else the
    /// genomic allele.
    pub change: String,
    pub tier: TierKey,
    pub level: Option<AmpLevel>,
    pub therapies: Vec<String>,
    pub oncogenicity: Option<String>,
}

/// The tiers of the report: AMP/ASCO/CAP 2017 tiers I–IV, and variants that
/// carry no AMP call.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum TierKey {
    #[serde(rename = "I")]
    I,
    #[serde(rename = "II")]
    II,
    #[serde(rename = "III")]
    III,
    #[serde(rename = "IV")]
    IV,
    /// Tumour-only sample: variants rule-tier flagged likely germline,
    /// listed apart from the somatic tiers I–IV.
    #[serde(rename = "likely_germline")]
    LikelyGermline,
    #[serde(rename = "unclassified")]
    Unclassified,
}

impl TierKey {
    /// The four AMP tiers, always shown even when empty.
    pub const AMP: [TierKey; 4] = [TierKey::I, TierKey::II, TierKey::III, TierKey::IV];

    pub fn of(tier: Option<AmpTier>) -> Self {
        match tier {
            Some(AmpTier::I) => TierKey::I,
            Some(AmpTier::II) => TierKey::II,
            Some(AmpTier::III) => TierKey::III,
            Some(AmpTier::IV) => TierKey::IV,
            None => TierKey::Unclassified,
        }
    }

    /// `I`, `II`, `III`, `IV`, `unclassified`: used in ids and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            TierKey::I => "I",
            TierKey::II => "II",
            TierKey::III => "III",
            TierKey::IV => "IV",
            TierKey::LikelyGermline => "likely_germline",
            TierKey::Unclassified => "unclassified",
        }
    }

    /// `Tier I` ... `Unclassified`.
    pub fn label(self) -> &'static str {
        match self {
            TierKey::I => "Tier I",
            TierKey::II => "Tier II",
            TierKey::III => "Tier III",
            TierKey::IV => "Tier IV",
            TierKey::LikelyGermline => "Likely germline",
            TierKey::Unclassified => "Unclassified",
        }
    }

    /// What the tier means (Li et al., J Mol Diagn 2017).
    pub fn meaning(self) -> &'static str {
        match self {
            TierKey::I => "Variants of strong clinical significance (level A/B evidence)",
            TierKey::II => "Variants of potential clinical significance (level C/D evidence)",
            TierKey::III => "Variants of unknown clinical significance",
            TierKey::IV => "Benign or likely benign variants",
            TierKey::LikelyGermline => {
                "Tumour-only analysis: variants flagged likely germline (see why in each row), \
                 listed apart from the somatic tiers; confirm in a normal sample"
            }
            TierKey::Unclassified => "Variants without an AMP tier from rule-tier",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "I" | "1" => Some(TierKey::I),
            "II" | "2" => Some(TierKey::II),
            "III" | "3" => Some(TierKey::III),
            "IV" | "4" => Some(TierKey::IV),
            _ => None,
        }
    }
}

impl fmt::Display for TierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The variants of one tier, sorted by evidence level, gene and position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierSection {
    pub tier: TierKey,
    pub title: String,
    pub description: String,
    pub variants: Vec<ReportVariant>,
}

/// One variant as the report shows it: the columns of the tier table and,
/// in `record`, everything rule-tier wrote about it (all transcript
/// consequences, knowledge-base matches, classification and rule trace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportVariant {
    /// Stable id within the report (`v1`...), in input order.
    pub id: String,
    /// `chrom:pos ref>alt` of the normalised allele.
    pub locus: String,
    pub gene: Option<String>,
    /// Transcript of the picked consequence.
    pub transcript: Option<String>,
    /// HGVS c. of the picked consequence, without the transcript prefix.
    pub hgvsc: Option<String>,
    /// HGVS p. of the picked consequence, without the protein prefix.
    pub hgvsp: Option<String>,
    /// Short one-letter protein change (`p.V600E`).
    pub protein_change: Option<String>,
    /// Consequence terms of the picked consequence, most severe first.
    pub consequence: Vec<String>,
    pub impact: Option<String>,
    /// Allele fraction in the tumour (or the first sample with one).
    pub vaf: Option<f64>,
    pub alt_depth: Option<u32>,
    pub depth: Option<u32>,
    pub tier: TierKey,
    /// For a likely germline variant (tier `likely_germline`): the AMP tier
    /// it would have as a somatic variant.
    pub somatic_tier: Option<TierKey>,
    /// Why the variant is likely germline (tumour-only samples).
    pub likely_germline: Option<LikelyGermline>,
    /// AMP evidence level of the tier call.
    pub level: Option<AmpLevel>,
    /// Knowledge-base evidence levels, as `source level` (`civic A`).
    pub evidence_levels: Vec<String>,
    /// Therapies named by knowledge-base evidence; `(resistance)` marks
    /// evidence of resistance.
    pub therapies: Vec<String>,
    /// Knowledge-base records and publications, with links where the
    /// identifier has a known page.
    pub sources: Vec<SourceLink>,
    pub oncogenicity: Option<CriteriaCall>,
    pub acmg: Option<CriteriaCall>,
    pub record: VariantRecord,
}

/// A knowledge-base record or a publication, with its web page if known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct SourceLink {
    /// `clinvar`, `civic`, `pubmed`, ... as in the bundle manifest.
    pub source: String,
    pub record_id: String,
    /// Shown text (`ClinVar 13961`, `PMID 21639808`).
    pub label: String,
    /// `https` page of the record; absent when the id has no known page.
    pub url: Option<String>,
}

/// The numbers behind the plots (the HTML draws them as inline SVG).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlotData {
    pub tier_counts: Vec<TierCount>,
    /// Twenty bins of width 0.05 over [0, 1]; the last bin includes 1.
    pub vaf_histogram: Vec<HistogramBin>,
    pub variants_without_vaf: u64,
    /// Count of the most severe picked consequence, most severe term first.
    pub consequence_spectrum: Vec<TermCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistogramBin {
    pub lower: f64,
    pub upper: f64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TermCount {
    pub term: String,
    pub count: u64,
}

/// What happened to the input before it reached the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QcSummary {
    /// Input records read by the first tool (summary line).
    pub records_read: Option<u64>,
    /// Alleles written after splitting and filtering (summary line).
    pub alleles_written: Option<u64>,
    /// Variant lines in the stream, i.e. in the report.
    pub variants_in_report: u64,
    /// Variants whose allele was changed by normalisation, by what was done
    /// (`split`, `trimmed`, `left_aligned`, ...), from the variants' flags.
    pub normalised: BTreeMap<String, u64>,
    /// Alleles removed before the report, by reason (summary line).
    pub filtered: BTreeMap<String, u64>,
    pub filtered_total: u64,
    /// Reported variants whose FILTER is not PASS, by filter.
    pub non_pass_in_report: BTreeMap<String, u64>,
    /// Input contigs absent from the reference or gene model.
    pub unmatched_contigs: BTreeMap<String, u64>,
    /// Other counters of the summary line.
    pub counts: BTreeMap<String, u64>,
    /// Classified variants by scheme (`amp_tier`, `oncogenicity`, `acmg`)
    /// and class, as rule-tier counted them.
    pub classifications: BTreeMap<String, BTreeMap<String, u64>>,
    /// Summary fields report-gen has no dedicated place for, as given.
    pub other_summary_fields: BTreeMap<String, Value>,
    /// Problems a reader must know about (no summary line, counts that do
    /// not add up).
    pub warnings: Vec<String>,
}
