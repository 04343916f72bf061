//! Applying the computed criteria of a scheme (ACMG/AMP germline, VICC
//! oncogenicity) in the rules file's order: a disabled criterion, or one
//! whose condition does not hold, is skipped; one excluded by a criterion
//! already applied is traced as not applied; the others are applied and
//! traced. The schemes differ only in what a finding carries (a strength
//! or points) and how an applied criterion is labelled.

use variant_model::classification::{CriterionHit, EvidenceRef, RuleFiring};

use crate::rules::{AcmgCriterion, OncogenicityCriterion};

/// What applying needs from a criterion's entry in the rules file.
pub trait CriterionEntry {
    fn enabled(&self) -> bool;
    /// Codes that, when applied, make this criterion not applicable.
    fn excluded_by(&self) -> &[String];
    fn citation(&self) -> &str;
}

impl CriterionEntry for AcmgCriterion {
    fn enabled(&self) -> bool {
        self.enabled
    }
    fn excluded_by(&self) -> &[String] {
        &self.excluded_by
    }
    fn citation(&self) -> &str {
        &self.citation
    }
}

impl CriterionEntry for OncogenicityCriterion {
    fn enabled(&self) -> bool {
        self.enabled
    }
    fn excluded_by(&self) -> &[String] {
        &self.excluded_by
    }
    fn citation(&self) -> &str {
        &self.citation
    }
}

/// A criterion whose condition holds on a variant, before exclusions.
pub struct Finding<D> {
    /// What the scheme needs to apply it (ACMG: the strength it applies at).
    pub detail: D,
    pub explanation: String,
    pub evidence: Vec<EvidenceRef>,
}

/// How a scheme records an applied criterion: its hit, and the label its
/// trace entry starts with (`PVS1 (very_strong)`, `OS3 +4`).
pub struct Applied {
    pub hit: CriterionHit,
    pub label: String,
}

/// Applies `codes` in order. `entry` gives a code's rules-file entry,
/// `find` its finding on the variant (if its condition holds) and `apply`
/// what applying it records. Trace rule ids are `{scheme}.{code}` and
/// `{scheme}.{code}.excluded`.
pub fn apply<'e, E, D>(
    codes: &[&str],
    scheme: &str,
    rules_file: &str,
    entry: impl Fn(&str) -> &'e E,
    mut find: impl FnMut(&str) -> Option<Finding<D>>,
    mut apply: impl FnMut(&str, &'e E, &D) -> Applied,
) -> (Vec<CriterionHit>, Vec<RuleFiring>)
where
    E: CriterionEntry + 'e,
{
    let mut hits: Vec<CriterionHit> = Vec::new();
    let mut trace = Vec::new();
    for code in codes {
        let criterion = entry(code);
        if !criterion.enabled() {
            continue;
        }
        let Some(found) = find(code) else {
            continue;
        };
        if let Some(excluder) = criterion
            .excluded_by()
            .iter()
            .find(|e| hits.iter().any(|h| &h.code == *e))
        {
            trace.push(RuleFiring {
                rule_id: format!("{scheme}.{code}.excluded"),
                rules_file: rules_file.to_string(),
                citation: Some(criterion.citation().to_string()),
                explanation: format!(
                    "{code} not applied: {excluder} applies ({})",
                    found.explanation
                ),
                evidence: found.evidence,
            });
            continue;
        }
        let Applied { hit, label } = apply(code, criterion, &found.detail);
        trace.push(RuleFiring {
            rule_id: format!("{scheme}.{code}"),
            rules_file: rules_file.to_string(),
            citation: Some(criterion.citation().to_string()),
            explanation: format!("{label}: {}", found.explanation),
            evidence: found.evidence,
        });
        hits.push(hit);
    }
    (hits, trace)
}
