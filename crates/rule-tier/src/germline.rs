//! Likely germline variants of tumour-only somatic samples.
//!
//! Without a matched normal, germline variants cannot be told apart from
//! somatic ones by subtraction. A variant without a call of role `normal`
//! is screened with the criteria of `tumour_only.toml` (gnomAD frequency,
//! ClinVar germline pathogenic, tumour VAF near 0.5 or 1.0); each criterion
//! that fires becomes a `tumour_only.germline.<criterion>` firing in the
//! trace, and the variant is flagged ([`LikelyGermline`]) when a sufficient
//! criterion fires or enough criteria fire together.

use variant_model::VariantRecord;
use variant_model::classification::{EvidenceRef, LikelyGermline, RuleFiring};
use variant_model::evidence::MatchLevel;

use crate::facts::{Population, VariantFacts, evidence_ref, is_clinvar, significance};
use crate::rules::{CommonRules, CriterionRole, Loaded, TumourOnlyRules};

/// Whether records of a somatic sample are screened as tumour-only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TumourOnlyMode {
    /// Tumour-only for a variant without a call of role `normal`.
    #[default]
    Auto,
    /// Every variant is screened (a matched-normal call is ignored).
    Yes,
    /// No variant is screened (the sample had a matched normal whose call
    /// is not in the stream).
    No,
}

/// True when `record` is screened as tumour-only under `mode`.
pub fn is_tumour_only(record: &VariantRecord, mode: TumourOnlyMode) -> bool {
    match mode {
        TumourOnlyMode::Yes => true,
        TumourOnlyMode::No => false,
        TumourOnlyMode::Auto => !record.calls.iter().any(|c| {
            c.role
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("normal"))
        }),
    }
}

/// The outcome of the screen of one variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    /// One firing per criterion that fired (and, when they were not enough
    /// to flag, one `tumour_only.germline.not_flagged` firing saying so).
    pub trace: Vec<RuleFiring>,
    pub flag: Option<LikelyGermline>,
}

struct Fired {
    code: &'static str,
    role: CriterionRole,
    explanation: String,
    citation: String,
    evidence: Vec<EvidenceRef>,
}

/// Screens one tumour-only variant.
pub fn screen(
    record: &VariantRecord,
    facts: &VariantFacts,
    rules: &Loaded<TumourOnlyRules>,
    common: &CommonRules,
) -> Screen {
    let r = &rules.rules;
    let mut fired = Vec::new();

    if let Population::Observed {
        frequency,
        field,
        evidence,
    } = &facts.population
        && *frequency >= r.population_af.frequency_at_least
    {
        fired.push(Fired {
            code: "population_af",
            role: r.population_af.role,
            explanation: format!(
                "gnomAD {field} {frequency:.4} ≥ {}: likely a germline polymorphism",
                r.population_af.frequency_at_least
            ),
            citation: r.population_af.citation.clone(),
            evidence: vec![evidence.clone()],
        });
    }

    let clinvar: Vec<_> = record
        .kb_matches
        .iter()
        .filter(|m| {
            m.level == MatchLevel::ExactAllele
                && is_clinvar(m, common)
                && significance(m).is_some_and(|s| r.clinvar_germline.significance.contains(&s))
                && m.evidence.review_stars.unwrap_or(0) >= r.clinvar_germline.min_review_stars
        })
        .collect();
    if let Some(first) = clinvar.first() {
        fired.push(Fired {
            code: "clinvar_germline",
            role: r.clinvar_germline.role,
            explanation: format!(
                "ClinVar germline classification {} ({} star(s), ≥ {} required)",
                first
                    .evidence
                    .clinical_significance
                    .as_deref()
                    .unwrap_or(""),
                first.evidence.review_stars.unwrap_or(0),
                r.clinvar_germline.min_review_stars
            ),
            citation: r.clinvar_germline.citation.clone(),
            evidence: clinvar.iter().map(|m| evidence_ref(m)).collect(),
        });
    }

    if let Some(call) = record.primary_call()
        && let Some(vaf) = call.allele_fraction()
    {
        for (code, window, what) in [
            ("vaf_heterozygous", &r.vaf_heterozygous, "heterozygous"),
            ("vaf_homozygous", &r.vaf_homozygous, "homozygous"),
        ] {
            if window.contains(vaf) {
                fired.push(Fired {
                    code,
                    role: window.role,
                    explanation: format!(
                        "tumour VAF {vaf:.3} ({}) in [{}, {}]: consistent with a {what} germline variant",
                        call.sample, window.vaf_min, window.vaf_max
                    ),
                    citation: window.citation.clone(),
                    evidence: vec![EvidenceRef {
                        source: "sample_call".into(),
                        record_id: call.sample.clone(),
                    }],
                });
            }
        }
    }

    let flagged = fired.iter().any(|f| f.role == CriterionRole::Sufficient)
        || fired.len() >= r.min_supporting;
    let label = rules.label();
    let mut trace: Vec<RuleFiring> = fired
        .iter()
        .map(|f| RuleFiring {
            rule_id: format!("tumour_only.germline.{}", f.code),
            rules_file: label.clone(),
            citation: Some(f.citation.clone()),
            explanation: format!(
                "{} [{}]",
                f.explanation,
                match f.role {
                    CriterionRole::Sufficient => "sufficient",
                    CriterionRole::Supporting => "supporting",
                }
            ),
            evidence: f.evidence.clone(),
        })
        .collect();
    let flag = if flagged {
        let reason = fired
            .iter()
            .map(|f| f.explanation.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        trace.insert(
            0,
            RuleFiring {
                rule_id: "tumour_only.germline.flagged".into(),
                rules_file: label,
                citation: None,
                explanation: format!(
                    "tumour-only sample (no matched-normal call): likely germline, listed apart from the somatic tiers: {reason}"
                ),
                evidence: Vec::new(),
            },
        );
        Some(LikelyGermline {
            criteria: fired.iter().map(|f| f.code.to_string()).collect(),
            reason,
        })
    } else {
        if !fired.is_empty() {
            trace.push(RuleFiring {
                rule_id: "tumour_only.germline.not_flagged".into(),
                rules_file: label,
                citation: None,
                explanation: format!(
                    "{} supporting criterion/criteria fired, {} needed to flag likely germline",
                    fired.len(),
                    r.min_supporting
                ),
                evidence: Vec::new(),
            });
        }
        None
    };
    Screen { trace, flag }
}
