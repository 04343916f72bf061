//! The readable trace of `--explain`, rendered from the same
//! [`Classification`] that goes into the JSON output.

use std::fmt::Write;

use variant_model::VariantRecord;
use variant_model::classification::{AmpLevel, Classification, CriteriaCall};

use crate::amp::tier_label;

fn criteria_line(name: &str, call: &CriteriaCall) -> String {
    let mut line = format!("  {name}: {}", call.class);
    if let Some(points) = call.points {
        let _ = write!(line, ", {points} points");
    }
    if !call.criteria.is_empty() {
        let codes: Vec<String> = call
            .criteria
            .iter()
            .map(|c| match (c.points, &c.strength) {
                (Some(p), _) => format!("{} {p:+}", c.code),
                (None, Some(s)) => format!("{} ({s})", c.code),
                (None, None) => c.code.clone(),
            })
            .collect();
        let _ = write!(line, " [{}]", codes.join(", "));
    }
    line
}

/// The trace of one variant: the calls, then each rule that fired with
/// its explanation, evidence and source. `label` names the variant's
/// gene and change.
pub fn explain(
    record: &VariantRecord,
    label: &str,
    classification: Option<&Classification>,
) -> String {
    let mut out = format!("{}  {label}\n", record.allele);
    let Some(c) = classification else {
        let _ = writeln!(
            out,
            "  not classified: FILTER {} (counted in the summary)",
            record.filters.join(";")
        );
        return out;
    };
    if let Some(amp) = &c.amp {
        let level = match amp.level {
            Some(AmpLevel::A) => ", level A",
            Some(AmpLevel::B) => ", level B",
            Some(AmpLevel::C) => ", level C",
            Some(AmpLevel::D) => ", level D",
            None => "",
        };
        let _ = writeln!(out, "  AMP/ASCO/CAP 2017: {}{level}", tier_label(amp.tier));
    }
    if let Some(o) = &c.oncogenicity {
        let _ = writeln!(
            out,
            "{}",
            criteria_line("Oncogenicity (ClinGen/CGC/VICC 2022)", o)
        );
    }
    if let Some(a) = &c.acmg {
        let _ = writeln!(out, "{}", criteria_line("ACMG/AMP 2015", a));
    }
    for firing in &c.trace {
        let _ = writeln!(out, "  - [{}] {}", firing.rule_id, firing.explanation);
        if !firing.evidence.is_empty() {
            let refs: Vec<String> = firing
                .evidence
                .iter()
                .map(|e| format!("{}:{}", e.source, e.record_id))
                .collect();
            let _ = writeln!(out, "      evidence: {}", refs.join(", "));
        }
        match &firing.citation {
            Some(citation) => {
                let _ = writeln!(out, "      rule: {} — {citation}", firing.rules_file);
            }
            None => {
                let _ = writeln!(out, "      rule: {}", firing.rules_file);
            }
        }
    }
    out
}
