//! The JSON Lines interchange between kb-lookup, rule-tier and report-gen.
//!
//! A stream is one JSON object per line. Each line has a `kind`:
//! - `header` (first line): schema version, sample, provenance of every
//!   tool that touched the stream, the knowledge-base bundle;
//! - `variant`: one allele with its annotation, matches and classification;
//! - `summary` (last line, optional): counts of what was read, kept and
//!   filtered, and why.
//!
//! The JSON Schema is `assets/schema/variant-record.schema.json`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::allele::{GenomicAllele, OriginalRecord};
use crate::classification::Classification;
use crate::consequence::TranscriptConsequence;
use crate::evidence::{Disease, KbMatch};

/// Version of the interchange record layout. Bump on incompatible changes.
pub const SCHEMA_VERSION: &str = "1.0";

/// One line of a JSON Lines stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum StreamLine {
    Header(StreamHeader),
    Variant(VariantRecord),
    Summary(StreamSummary),
}

/// First line of a stream: what produced it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct StreamHeader {
    pub schema_version: String,
    /// The sample reported on: the tumour (somatic) or the germline sample.
    pub sample: Option<String>,
    /// The matched normal sample of a somatic analysis, when the VCF has one.
    #[serde(default)]
    pub normal_sample: Option<String>,
    /// The variant caller whose FORMAT conventions gave the depths and
    /// allele fractions of `calls` (kb-lookup).
    #[serde(default)]
    pub caller: Option<CallerRef>,
    pub genome_build: Option<String>,
    /// One entry per tool, in the order they ran.
    pub provenance: Vec<ToolRun>,
    pub bundle: Option<BundleRef>,
    /// Tumour type of the sample (sample sheet), which AMP tiers depend on.
    pub tumour_type: Option<Disease>,
    /// Date of the analysis (ISO 8601 `YYYY-MM-DD`), when the pipeline
    /// records one. Tools never fill it from the wall clock, so the same
    /// input gives the same output.
    pub analysis_date: Option<String>,
}

/// The variant caller of the input VCF and why it was chosen.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct CallerRef {
    /// `mutect2`, `strelka2`, `varscan2`, `freebayes`, `deepvariant`,
    /// `haplotypecaller`, `dragen`, `pcgr-tcga` or `generic`
    /// (`variant_model::caller::Caller`).
    pub name: String,
    /// What identified it: a header line (`##source=strelka`), a FORMAT
    /// definition, or `--caller` when the user chose it.
    pub evidence: String,
    /// How the sample roles were chosen (`--tumour-sample`,
    /// `##tumor_sample`, `sample named TUMOR`, `single sample`...).
    pub roles_from: Option<String>,
}

/// A tool that processed the stream, with its parameters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ToolRun {
    pub tool: String,
    pub version: String,
    /// Command-line parameters that change results.
    pub params: BTreeMap<String, String>,
}

/// The knowledge-base bundle used, as pinned by its manifest.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct BundleRef {
    pub version: String,
    pub genome_build: String,
    /// sha256 of the bundle manifest, which lists the sha256 of every file.
    pub manifest_sha256: String,
    pub redistributable: bool,
    /// Sources the manifest marks synthetic (made-up demo records): their
    /// record ids must not be shown as links to the real databases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synthetic_sources: Vec<String>,
}

/// Read depth and allele fraction of one sample at one allele.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct SampleCall {
    pub sample: String,
    /// `tumor`, `normal` or `germline`.
    pub role: Option<String>,
    pub genotype: Option<String>,
    pub alt_depth: Option<u32>,
    pub total_depth: Option<u32>,
    pub vaf: Option<f64>,
}

impl SampleCall {
    /// The allele fraction: the caller's, else alt depth / total depth.
    pub fn allele_fraction(&self) -> Option<f64> {
        self.vaf
            .or_else(|| match (self.alt_depth, self.total_depth) {
                (Some(alt), Some(total)) if total > 0 => Some(f64::from(alt) / f64::from(total)),
                _ => None,
            })
    }
}

/// One allele and everything known about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantRecord {
    /// Normalised allele (split, trimmed, left-aligned).
    #[serde(flatten)]
    pub allele: GenomicAllele,
    /// VCF ID column entries (e.g. rsIDs).
    pub ids: Vec<String>,
    pub qual: Option<f64>,
    /// VCF FILTER values; `PASS` when it passed.
    pub filters: Vec<String>,
    /// The input record before splitting/normalisation, when it changed.
    pub original: Option<OriginalRecord>,
    /// Normalisation notes: `split`, `trimmed`, `left_aligned`,
    /// `ref_mismatch`.
    pub flags: Vec<String>,
    pub calls: Vec<SampleCall>,
    /// Every overlapping transcript's consequence; one has `pick` set.
    pub consequences: Vec<TranscriptConsequence>,
    pub kb_matches: Vec<KbMatch>,
    pub classification: Option<Classification>,
}

impl VariantRecord {
    /// The call of the sample the record is about: the one whose role is
    /// `tumor` (or `tumour`), or `germline` for a germline sample; else the
    /// only call. `None` when there are several calls and none has that
    /// role: guessing could present a matched normal's or a relative's
    /// allele fraction as the patient's.
    pub fn primary_call(&self) -> Option<&SampleCall> {
        self.calls
            .iter()
            .find(|c| {
                c.role.as_deref().is_some_and(|r| {
                    ["tumor", "tumour", "germline"]
                        .iter()
                        .any(|role| r.eq_ignore_ascii_case(role))
                })
            })
            .or(match self.calls.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }

    pub fn new(allele: GenomicAllele) -> Self {
        Self {
            allele,
            ids: Vec::new(),
            qual: None,
            filters: Vec::new(),
            original: None,
            flags: Vec::new(),
            calls: Vec::new(),
            consequences: Vec::new(),
            kb_matches: Vec::new(),
            classification: None,
        }
    }

    /// The consequence flagged by the pick order, if any.
    pub fn picked(&self) -> Option<&TranscriptConsequence> {
        self.consequences.iter().find(|c| c.pick)
    }
}

/// Last line of a stream: counts, so nothing is dropped silently.
///
/// Readers must accept summaries that lack some fields or carry fields they
/// do not know (each tool may add its own counters), hence `serde(default)`
/// and no `deny_unknown_fields`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct StreamSummary {
    pub records_read: u64,
    pub alleles_written: u64,
    /// Alleles removed, by reason (e.g. `filter:LowQual`, `unknown_contig`).
    pub filtered: BTreeMap<String, u64>,
    /// Other counters (e.g. `ref_mismatch`, `left_aligned`).
    pub counts: BTreeMap<String, u64>,
    /// Input contigs absent from the reference or gene model, with the
    /// number of records on each (their alleles are counted in `filtered`).
    pub unmatched_contigs: BTreeMap<String, u64>,
    /// Classified variants by scheme (`amp_tier`, `oncogenicity`, `acmg`)
    /// and class, written by rule-tier. Variants left unclassified (FILTER
    /// not PASS) are counted in `counts`.
    #[serde(default)]
    pub classifications: BTreeMap<String, BTreeMap<String, u64>>,
    /// Tumour mutational burden of a somatic sample (rule-tier).
    #[serde(default)]
    pub tmb: Option<TmbSummary>,
    /// Likely germline screen of a somatic sample (rule-tier): present for
    /// somatic samples, says whether they were analysed tumour-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub germline_screen: Option<GermlineScreen>,
}

/// How the variants of a somatic sample were screened for germline origin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GermlineScreen {
    /// Classified variants without a call of role `normal`: screened as
    /// tumour-only.
    pub tumour_only_variants: u64,
    /// Classified variants with a matched-normal call (not screened).
    pub tumour_normal_variants: u64,
    /// Tumour-only variants flagged likely germline.
    pub likely_germline: u64,
    /// Flagged variants by criterion that fired (one variant may count
    /// under several).
    pub criteria: BTreeMap<String, u64>,
    /// Rules file and version of the criteria (`tumour_only.toml@1.0.0`).
    pub rules: String,
}

impl GermlineScreen {
    /// True when the sample was analysed without a matched normal: some
    /// variant was screened and none had a normal call.
    pub fn is_tumour_only(&self) -> bool {
        self.tumour_only_variants > 0 && self.tumour_normal_variants == 0
    }
}

/// Tumour mutational burden: somatic coding non-synonymous variants per Mb
/// of the targeted region, with the filters applied.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct TmbSummary {
    /// Size of the region the assay covers, in megabases (sample sheet).
    pub target_size_mb: f64,
    /// Minimum tumour VAF and read depth of a counted variant.
    pub min_vaf: f64,
    pub min_depth: u32,
    /// Consequences (picked transcript) that make a variant count.
    pub counted_consequences: Vec<String>,
    /// Variants counted.
    pub variants_counted: u64,
    /// `variants_counted / target_size_mb`, rounded to 2 decimals.
    pub mutations_per_mb: f64,
    /// Variants not counted, by reason (`filter`, `not_coding_nonsynonymous`,
    /// `population_af`, `depth_below_min`, `vaf_below_min`, `depth_missing`,
    /// `vaf_missing`).
    pub excluded: BTreeMap<String, u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_call_is_the_tumour_or_germline_sample_else_the_only_one() {
        let call = |sample: &str, role: Option<&str>| SampleCall {
            sample: sample.into(),
            role: role.map(str::to_string),
            ..Default::default()
        };
        let mut record = VariantRecord::new(GenomicAllele::new("chr7", 5, "A", "T"));
        assert!(record.primary_call().is_none());
        record.calls = vec![call("N", Some("normal")), call("T", Some("tumor"))];
        assert_eq!(record.primary_call().unwrap().sample, "T");
        record.calls = vec![call("P", Some("germline")), call("M", None)];
        assert_eq!(record.primary_call().unwrap().sample, "P");
        record.calls = vec![call("S", None)];
        assert_eq!(record.primary_call().unwrap().sample, "S");
        record.calls = vec![call("A", None), call("B", None)];
        assert!(record.primary_call().is_none(), "no guessing among samples");
    }

    #[test]
    fn allele_fraction_falls_back_to_depths() {
        let mut call = SampleCall {
            alt_depth: Some(5),
            total_depth: Some(20),
            ..Default::default()
        };
        assert_eq!(call.allele_fraction(), Some(0.25));
        call.vaf = Some(0.3);
        assert_eq!(call.allele_fraction(), Some(0.3));
        call.vaf = None;
        call.total_depth = Some(0);
        assert_eq!(call.allele_fraction(), None);
    }

    #[test]
    fn lines_are_tagged_by_kind_and_round_trip() {
        let mut record = VariantRecord::new(GenomicAllele::new("7", 140753336, "A", "T"));
        record.filters.push("PASS".into());
        let line = serde_json::to_string(&StreamLine::Variant(record.clone())).unwrap();
        assert!(line.starts_with(
            "{\"kind\":\"variant\",\"chrom\":\"7\",\"pos\":140753336,\"ref\":\"A\",\"alt\":\"T\""
        ));
        let back: StreamLine = serde_json::from_str(&line).unwrap();
        assert_eq!(back, StreamLine::Variant(record));

        let header = StreamLine::Header(StreamHeader {
            schema_version: SCHEMA_VERSION.into(),
            ..Default::default()
        });
        let text = serde_json::to_string(&header).unwrap();
        assert!(text.starts_with("{\"kind\":\"header\""));
        assert!(serde_json::from_str::<StreamLine>("{\"kind\":\"nonsense\"}").is_err());
    }

    #[test]
    fn summaries_missing_or_adding_fields_still_parse() {
        let line = r#"{"kind":"summary","records_read":3,"a_new_counter":{"x":1}}"#;
        let StreamLine::Summary(summary) = serde_json::from_str(line).unwrap() else {
            panic!("not a summary");
        };
        assert_eq!(summary.records_read, 3);
        assert!(summary.filtered.is_empty() && summary.unmatched_contigs.is_empty());
    }
}
