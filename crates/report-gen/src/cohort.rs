//! Cohort mode: several samples' reports summarised as a samples × genes
//! matrix of tiered findings, with tier counts and TMB per sample.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use variant_model::classification::AmpLevel;
use variant_model::record::StreamLine;

use crate::build::{ReportOptions, build_report};
use crate::model::{SampleReport, TierCount, TierKey, Tmb};
use crate::stream::{StreamError, parse_stream};
use crate::{DISCLAIMER, TOOL_NAME, TOOL_VERSION};

/// The cohort summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CohortReport {
    pub generated_by: String,
    pub date: Option<String>,
    /// Findings of this tier or stronger fill the matrix.
    pub max_tier: TierKey,
    pub samples: Vec<CohortSample>,
    /// Genes with at least one finding, most often hit first.
    pub genes: Vec<GeneRow>,
    /// Differences between samples a reader must know about (genome
    /// builds, knowledge bundles).
    pub warnings: Vec<String>,
    pub disclaimer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CohortSample {
    pub sample: String,
    pub tumour_type: Option<String>,
    pub genome_build: Option<String>,
    pub bundle_version: Option<String>,
    pub variants: u64,
    pub tier_counts: Vec<TierCount>,
    pub tmb: Option<Tmb>,
}

/// One gene across the cohort; `cells` follows the order of `samples`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GeneRow {
    pub gene: String,
    pub samples_with_findings: u64,
    pub cells: Vec<Option<CohortCell>>,
}

/// The findings of one gene in one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CohortCell {
    pub best_tier: TierKey,
    pub best_level: Option<AmpLevel>,
    /// Short changes with their tier, strongest first (`p.V600E`).
    pub findings: Vec<CohortFinding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CohortFinding {
    pub change: String,
    pub tier: TierKey,
    pub level: Option<AmpLevel>,
}

#[derive(Debug, thiserror::Error)]
pub enum CohortError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: neither a report-gen JSON report nor a JSON Lines stream: {source}")]
    Format {
        path: String,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error("sample {sample:?} appears twice ({first} and {second})")]
    DuplicateSample {
        sample: String,
        first: String,
        second: String,
    },
    #[error("cohort mode needs at least one input")]
    NoInput,
}

/// Reads one cohort input: a JSON report written by `report-gen sample`,
/// or a JSON Lines stream (its first line is a header line), which is
/// turned into a report with `options`.
pub fn read_cohort_input(
    path: &Path,
    options: &ReportOptions,
) -> Result<SampleReport, CohortError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CohortError::Read {
        path: name.clone(),
        source,
    })?;
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if matches!(
        serde_json::from_str::<StreamLine>(first_line),
        Ok(StreamLine::Header(_))
    ) {
        let stream = parse_stream(text.as_bytes(), &name)?;
        return Ok(build_report(stream, options));
    }
    serde_json::from_str(&text).map_err(|source| CohortError::Format { path: name, source })
}

/// Builds the cohort summary of `reports` (paired with the path each came
/// from, for messages), in the given order.
pub fn build_cohort(
    reports: &[(String, SampleReport)],
    max_tier: TierKey,
    date: Option<String>,
) -> Result<CohortReport, CohortError> {
    if reports.is_empty() {
        return Err(CohortError::NoInput);
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, report) in reports {
        if let Some(first) = seen.insert(&report.header.sample, path) {
            return Err(CohortError::DuplicateSample {
                sample: report.header.sample.clone(),
                first: first.to_string(),
                second: path.clone(),
            });
        }
    }

    let mut warnings = Vec::new();
    let distinct = |f: &dyn Fn(&SampleReport) -> Option<String>| -> BTreeSet<String> {
        reports
            .iter()
            .map(|(_, r)| f(r).unwrap_or_else(|| "not stated".to_string()))
            .collect()
    };
    let builds = distinct(&|r| r.header.genome_build.clone());
    if builds.len() > 1 {
        warnings.push(format!(
            "Samples use different genome builds: {}.",
            builds.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let bundles = distinct(&|r| r.header.bundle.as_ref().map(|b| b.version.clone()));
    if bundles.len() > 1 {
        warnings.push(format!(
            "Samples were interpreted with different knowledge bundles: {}.",
            bundles.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }

    // gene → sample index → findings
    let mut matrix: BTreeMap<String, BTreeMap<usize, Vec<CohortFinding>>> = BTreeMap::new();
    for (index, (_, report)) in reports.iter().enumerate() {
        for variant in report
            .tiers
            .iter()
            .filter(|s| s.tier <= max_tier)
            .flat_map(|s| &s.variants)
        {
            let Some(gene) = &variant.gene else { continue };
            let change = variant
                .protein_change
                .clone()
                .or_else(|| variant.hgvsc.clone())
                .unwrap_or_else(|| variant.locus.clone());
            matrix
                .entry(gene.clone())
                .or_default()
                .entry(index)
                .or_default()
                .push(CohortFinding {
                    change,
                    tier: variant.tier,
                    level: variant.level,
                });
        }
    }
    let level_rank = |l: Option<AmpLevel>| l.map_or(u8::MAX, |l| l as u8);
    let mut genes: Vec<GeneRow> = matrix
        .into_iter()
        .map(|(gene, by_sample)| {
            let mut cells = vec![None; reports.len()];
            for (index, mut findings) in by_sample {
                findings.sort_by(|a, b| {
                    (a.tier, level_rank(a.level), &a.change).cmp(&(
                        b.tier,
                        level_rank(b.level),
                        &b.change,
                    ))
                });
                findings.dedup();
                cells[index] = Some(CohortCell {
                    best_tier: findings[0].tier,
                    best_level: findings[0].level,
                    findings,
                });
            }
            GeneRow {
                samples_with_findings: cells.iter().flatten().count() as u64,
                gene,
                cells,
            }
        })
        .collect();
    let best = |row: &GeneRow| {
        row.cells
            .iter()
            .flatten()
            .map(|c| (c.best_tier, level_rank(c.best_level)))
            .min()
    };
    genes.sort_by(|a, b| {
        b.samples_with_findings
            .cmp(&a.samples_with_findings)
            .then_with(|| best(a).cmp(&best(b)))
            .then_with(|| a.gene.cmp(&b.gene))
    });

    let samples = reports
        .iter()
        .map(|(_, r)| CohortSample {
            sample: r.header.sample.clone(),
            tumour_type: r.header.tumour_type.as_ref().map(|t| t.name.clone()),
            genome_build: r.header.genome_build.clone(),
            bundle_version: r.header.bundle.as_ref().map(|b| b.version.clone()),
            variants: r.summary.variants,
            tier_counts: all_tier_counts(&r.summary.tier_counts),
            tmb: r.summary.tmb.clone(),
        })
        .collect();

    Ok(CohortReport {
        generated_by: format!("{TOOL_NAME} {TOOL_VERSION}"),
        date,
        max_tier,
        samples,
        genes,
        warnings,
        disclaimer: DISCLAIMER.to_string(),
    })
}

/// Tier counts with every tier present (I–IV and unclassified), so the
/// cohort table has the same columns for every sample.
fn all_tier_counts(counts: &[TierCount]) -> Vec<TierCount> {
    [
        TierKey::I,
        TierKey::II,
        TierKey::III,
        TierKey::IV,
        TierKey::LikelyGermline,
        TierKey::Unclassified,
    ]
    .iter()
    .map(|&tier| TierCount {
        tier,
        count: counts
            .iter()
            .filter(|c| c.tier == tier)
            .map(|c| c.count)
            .sum(),
    })
    .collect()
}
