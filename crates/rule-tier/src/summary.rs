//! Per-sample summary: classes per scheme, tumour mutational burden, and
//! what was left out and why.

use std::collections::BTreeMap;

use variant_model::VariantRecord;
use variant_model::classification::Classification;
use variant_model::record::{GermlineScreen, SampleCall, StreamSummary, TmbSummary};

use crate::amp::tier_label;
use crate::facts::{Population, VariantFacts};
use crate::germline::{TumourOnlyMode, is_tumour_only};
use crate::rules::TmbRules;

/// TMB parameters of one run (sample sheet / command line).
#[derive(Debug, Clone)]
pub struct TmbParams {
    pub target_size_mb: f64,
    pub min_vaf: f64,
    pub min_depth: u32,
}

/// Accumulates the summary while variants stream past.
#[derive(Debug)]
pub struct SummaryBuilder {
    variants: u64,
    unclassified: BTreeMap<String, u64>,
    classifications: BTreeMap<String, BTreeMap<String, u64>>,
    tmb: Option<(TmbParams, TmbRules)>,
    tmb_counted: u64,
    tmb_excluded: BTreeMap<String, u64>,
    /// Somatic samples: the tumour-only mode and the germline screen so far.
    germline: Option<(TumourOnlyMode, GermlineScreen)>,
}

impl SummaryBuilder {
    /// `tmb` is `None` when no TMB is computed (germline sample, or no
    /// target size given).
    pub fn new(tmb: Option<(TmbParams, TmbRules)>) -> Self {
        Self {
            variants: 0,
            unclassified: BTreeMap::new(),
            classifications: BTreeMap::new(),
            tmb,
            tmb_counted: 0,
            tmb_excluded: BTreeMap::new(),
            germline: None,
        }
    }

    /// Counts the likely germline screen of a somatic sample; `rules` is
    /// the label of the rules file (`tumour_only.toml@1.0.0`).
    pub fn with_germline_screen(mut self, mode: TumourOnlyMode, rules: String) -> Self {
        self.germline = Some((
            mode,
            GermlineScreen {
                rules,
                ..Default::default()
            },
        ));
        self
    }

    /// Variants observed so far.
    pub fn variants(&self) -> u64 {
        self.variants
    }

    /// Records one variant: its classification (or why it has none) and
    /// whether it counts towards TMB.
    pub fn observe(
        &mut self,
        record: &VariantRecord,
        facts: &VariantFacts,
        classification: Option<&Classification>,
    ) {
        self.variants += 1;
        match classification {
            Some(c) => {
                let mut count = |scheme: &str, class: &str| {
                    *self
                        .classifications
                        .entry(scheme.to_string())
                        .or_default()
                        .entry(class.to_string())
                        .or_default() += 1;
                };
                // Likely germline variants are counted apart from the
                // somatic tiers, under the tier they would have.
                if let Some(amp) = &c.amp {
                    let scheme = if c.likely_germline.is_some() {
                        "likely_germline"
                    } else {
                        "amp_tier"
                    };
                    count(scheme, tier_label(amp.tier));
                }
                if let Some((mode, screen)) = &mut self.germline {
                    if is_tumour_only(record, *mode) {
                        screen.tumour_only_variants += 1;
                    } else {
                        screen.tumour_normal_variants += 1;
                    }
                    if let Some(flag) = &c.likely_germline {
                        screen.likely_germline += 1;
                        for criterion in &flag.criteria {
                            *screen.criteria.entry(criterion.clone()).or_default() += 1;
                        }
                    }
                }
                if let Some(o) = &c.oncogenicity {
                    count("oncogenicity", &o.class);
                }
                if let Some(a) = &c.acmg {
                    count("acmg", &a.class);
                }
            }
            None => {
                if record.flags.iter().any(|f| f == "unknown_contig") {
                    *self
                        .unclassified
                        .entry("rule_tier.unclassified.unknown_contig".into())
                        .or_default() += 1;
                }
                for filter in record.filters.iter().filter(|f| *f != "PASS" && *f != ".") {
                    *self
                        .unclassified
                        .entry(format!("rule_tier.unclassified.filter:{filter}"))
                        .or_default() += 1;
                }
            }
        }
        let likely_germline = classification.is_some_and(|c| c.likely_germline.is_some());
        if let Some(reason) = self.tmb_exclusion(record, facts, likely_germline) {
            *self.tmb_excluded.entry(reason.to_string()).or_default() += 1;
        } else if self.tmb.is_some() {
            self.tmb_counted += 1;
        }
    }

    /// Why a variant does not count towards TMB, or `None` when it counts
    /// (or no TMB is computed).
    fn tmb_exclusion(
        &self,
        record: &VariantRecord,
        facts: &VariantFacts,
        likely_germline: bool,
    ) -> Option<&'static str> {
        let (params, rules) = self.tmb.as_ref()?;
        if !facts.passed_filters {
            return Some("filter");
        }
        if !facts.has_consequence(&rules.counted_consequences) {
            return Some("not_coding_nonsynonymous");
        }
        if let Population::Observed { frequency, .. } = facts.population
            && frequency >= rules.exclude_population_af_at_least
        {
            return Some("population_af");
        }
        if likely_germline {
            return Some("likely_germline");
        }
        let call = record.primary_call();
        if params.min_depth > 0 {
            match call.and_then(|c| c.total_depth) {
                None => return Some("depth_missing"),
                Some(d) if d < params.min_depth => return Some("depth_below_min"),
                Some(_) => {}
            }
        }
        if params.min_vaf > 0.0 {
            match call.and_then(SampleCall::allele_fraction) {
                None => return Some("vaf_missing"),
                Some(v) if v < params.min_vaf => return Some("vaf_below_min"),
                Some(_) => {}
            }
        }
        None
    }

    /// The summary line: the upstream summary's counts carried over, plus
    /// this run's.
    pub fn finish(self, upstream: Option<StreamSummary>) -> StreamSummary {
        let mut summary = upstream.unwrap_or_default();
        summary.alleles_written = self.variants;
        for (key, n) in self.unclassified {
            *summary.counts.entry(key).or_default() += n;
        }
        summary
            .counts
            .insert("rule_tier.variants".into(), self.variants);
        summary.classifications = self.classifications;
        summary.germline_screen = self.germline.map(|(_, screen)| screen);
        summary.tmb = self.tmb.map(|(params, rules)| TmbSummary {
            target_size_mb: params.target_size_mb,
            min_vaf: params.min_vaf,
            min_depth: params.min_depth,
            counted_consequences: rules
                .counted_consequences
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            variants_counted: self.tmb_counted,
            mutations_per_mb: (self.tmb_counted as f64 / params.target_size_mb * 100.0).round()
                / 100.0,
            excluded: self.tmb_excluded,
        });
        summary
    }
}
