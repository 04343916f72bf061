//! Oncogenicity of somatic variants, ClinGen/CGC/VICC SOP (Horak et al.,
//! Genet Med 2022): the criteria computable from our data, their points,
//! and the class of the total.

use variant_model::VariantRecord;
use variant_model::classification::{CriteriaCall, CriterionHit, EvidenceRef, RuleFiring};
use variant_model::evidence::{KbMatch, MatchLevel};

use crate::criteria::{self, Applied, Finding};
use crate::facts::{
    Population, VariantFacts, evidence_ref, is_hotspot, parse_residue_term, significance,
};
use crate::rules::{
    CommonRules, GeneRules, Loaded, ONCOGENICITY_COMPUTED, OncogenicityCriterion, OncogenicityRules,
};

pub struct OncogenicityContext<'a> {
    pub rules: &'a Loaded<OncogenicityRules>,
    pub common: &'a CommonRules,
    pub genes: &'a GeneRules,
}

/// A criterion whose condition holds, before exclusions.
struct Candidate {
    explanation: String,
    evidence: Vec<EvidenceRef>,
}

/// Hotspot counts from cancerhotspots.org records: samples with any
/// mutation at the residue (codon/region-level records) and with this very
/// amino-acid change (allele/protein-level records).
#[derive(Debug, Default)]
struct Hotspot {
    residue_count: u32,
    change_count: u32,
    evidence: Vec<EvidenceRef>,
}

fn hotspot_of(record: &VariantRecord, common: &CommonRules) -> Option<Hotspot> {
    let mut found: Option<Hotspot> = None;
    for m in record.kb_matches.iter().filter(|m| is_hotspot(m, common)) {
        let h = found.get_or_insert_with(Hotspot::default);
        let count = m.evidence.hotspot_count.unwrap_or(0);
        match m.level {
            MatchLevel::ExactAllele | MatchLevel::ProteinChange => {
                h.change_count = h.change_count.max(count);
            }
            MatchLevel::Codon | MatchLevel::Region => h.residue_count = h.residue_count.max(count),
            MatchLevel::Gene => continue,
        }
        h.evidence.push(evidence_ref(m));
    }
    // Every sample with this change is also a sample at the residue.
    if let Some(h) = &mut found {
        h.residue_count = h.residue_count.max(h.change_count);
        if h.evidence.is_empty() {
            return None;
        }
    }
    found
}

fn matches_with_significance<'r>(
    record: &'r VariantRecord,
    levels: &[MatchLevel],
    terms: &[String],
) -> Vec<&'r KbMatch> {
    record
        .kb_matches
        .iter()
        .filter(|m| {
            levels.contains(&m.level) && significance(m).is_some_and(|s| terms.contains(&s))
        })
        .collect()
}

fn describe(matches: &[&KbMatch]) -> String {
    matches
        .iter()
        .map(|m| {
            let term = m.matched_term.as_deref().unwrap_or("");
            format!(
                "{} {} `{term}` ({})",
                m.source,
                m.record_id,
                m.evidence.clinical_significance.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Evaluates the computable criteria and sums their points.
pub fn classify(
    record: &VariantRecord,
    facts: &VariantFacts,
    ctx: &OncogenicityContext,
) -> (CriteriaCall, Vec<RuleFiring>) {
    let rules = &ctx.rules.rules;
    let label = ctx.rules.label();
    let consequences = &ctx.common.consequences;
    let gene = facts.gene.as_deref().unwrap_or("");
    let is_tsg = ctx.genes.tumour_suppressors.contains(gene);
    let is_oncogene = ctx.genes.oncogenes.contains(gene);
    let hotspot = hotspot_of(record, ctx.common);

    let candidate = |code: &str| -> Option<Candidate> {
        let criterion = &rules.criteria[code];
        match code {
            "OVS1" => (is_tsg && facts.has_consequence(&consequences.null)).then(|| Candidate {
                explanation: format!(
                    "null variant ({}) in tumour suppressor gene {gene}",
                    facts.consequences.first().map(|c| c.as_str()).unwrap_or("")
                ),
                evidence: Vec::new(),
            }),
            "OS1" => {
                let terms = criterion.significance.as_deref().unwrap_or_default();
                let found = matches_with_significance(
                    record,
                    &[MatchLevel::ExactAllele, MatchLevel::ProteinChange],
                    terms,
                );
                (!found.is_empty()).then(|| Candidate {
                    explanation: format!(
                        "same amino-acid change as an established oncogenic variant: {}",
                        describe(&found)
                    ),
                    evidence: found.iter().map(|m| evidence_ref(m)).collect(),
                })
            }
            "OS3" => hotspot.as_ref().and_then(|h| {
                let min_residue = criterion.min_residue_count.expect("validated");
                let min_change = criterion.min_change_count.expect("validated");
                (h.residue_count >= min_residue && h.change_count >= min_change).then(|| {
                    Candidate {
                        explanation: format!(
                            "cancer hotspot: {} samples at the residue (≥ {min_residue}), {} with \
                             this change (≥ {min_change})",
                            h.residue_count, h.change_count
                        ),
                        evidence: h.evidence.clone(),
                    }
                })
            }),
            "OM2" => {
                let inframe =
                    facts.has_consequence(&consequences.inframe_indel) && (is_tsg || is_oncogene);
                let stop_lost = facts.has_consequence(&consequences.stop_lost) && is_tsg;
                (inframe || stop_lost).then(|| Candidate {
                    explanation: format!(
                        "protein length change ({}) in {} {gene}",
                        facts.consequences.first().map(|c| c.as_str()).unwrap_or(""),
                        if is_tsg {
                            "tumour suppressor gene"
                        } else {
                            "oncogene"
                        }
                    ),
                    evidence: Vec::new(),
                })
            }
            "OM3" => hotspot.as_ref().and_then(|h| {
                let max_residue = criterion.max_residue_count.expect("validated");
                let min_change = criterion.min_change_count.expect("validated");
                (h.residue_count <= max_residue && h.change_count >= min_change).then(|| {
                    Candidate {
                        explanation: format!(
                            "cancer hotspot: {} samples at the residue (≤ {max_residue}), {} with \
                             this change (≥ {min_change})",
                            h.residue_count, h.change_count
                        ),
                        evidence: h.evidence.clone(),
                    }
                })
            }),
            "OM4" => {
                let ours = facts.protein_change?;
                if !facts.has_consequence(&consequences.missense) {
                    return None;
                }
                let terms = criterion.significance.as_deref().unwrap_or_default();
                let found: Vec<&KbMatch> =
                    matches_with_significance(record, &[MatchLevel::Codon], terms)
                        .into_iter()
                        .filter(|m| {
                            m.matched_term
                                .as_deref()
                                .and_then(parse_residue_term)
                                .is_some_and(|r| {
                                    r.position == ours.position
                                        && r.alternate.is_some()
                                        && r.alternate != ours.alternate
                                        && r.alternate != Some(b'*')
                                })
                        })
                        .collect();
                (!found.is_empty()).then(|| Candidate {
                    explanation: format!(
                        "missense {ours} at a residue where another missense change is oncogenic: {}",
                        describe(&found)
                    ),
                    evidence: found.iter().map(|m| evidence_ref(m)).collect(),
                })
            }
            "OP3" => hotspot.as_ref().and_then(|h| {
                let max_change = criterion.max_change_count.expect("validated");
                (h.change_count <= max_change).then(|| Candidate {
                    explanation: format!(
                        "cancer hotspot with {} samples with this change (≤ {max_change})",
                        h.change_count
                    ),
                    evidence: h.evidence.clone(),
                })
            }),
            "OP4" => (facts.population == Population::Absent).then(|| Candidate {
                explanation: "absent from population databases (gnomAD)".into(),
                evidence: Vec::new(),
            }),
            "SBVS1" | "SBS1" => match &facts.population {
                Population::Observed {
                    frequency,
                    field,
                    evidence,
                } if *frequency > criterion.af_above.expect("validated") => Some(Candidate {
                    explanation: format!(
                        "population frequency {field} = {frequency} > {}",
                        criterion.af_above.expect("validated")
                    ),
                    evidence: vec![evidence.clone()],
                }),
                _ => None,
            },
            other => unreachable!("criterion {other} is not computed"),
        }
    };

    let (hits, mut trace) = criteria::apply(
        ONCOGENICITY_COMPUTED,
        "onco",
        &label,
        |code| &rules.criteria[code],
        |code| {
            candidate(code).map(|c| Finding {
                detail: (),
                explanation: c.explanation,
                evidence: c.evidence,
            })
        },
        |code, criterion: &OncogenicityCriterion, &()| Applied {
            hit: CriterionHit {
                code: code.to_string(),
                strength: None,
                points: Some(criterion.points),
            },
            label: format!("{code} {:+}", criterion.points),
        },
    );
    let total: i32 = hits.iter().filter_map(|h| h.points).sum();
    let class = rules.class_of(total);
    let summary = if hits.is_empty() {
        "no criterion applies".to_string()
    } else {
        hits.iter()
            .map(|h| format!("{} {:+}", h.code, h.points.unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    trace.push(RuleFiring {
        rule_id: "onco.class".into(),
        rules_file: label,
        citation: Some(class.citation.clone()),
        explanation: format!(
            "{summary}: total {total} points → {} ({})",
            class.class,
            class.describe_range()
        ),
        evidence: Vec::new(),
    });
    (
        CriteriaCall {
            class: class.class.clone(),
            points: Some(total),
            criteria: hits,
        },
        trace,
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;

    /// Horak et al. 2022 Table 3 point bands on the shipped file.
    #[test]
    fn shipped_point_bands_are_horak_table_3() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conf/rules");
        let rules = RuleSet::load(&dir).unwrap();
        let class = |points| rules.oncogenicity.rules.class_of(points).class.clone();
        for (points, expected) in [
            (30, "Oncogenic"),
            (10, "Oncogenic"),
            (9, "Likely oncogenic"),
            (6, "Likely oncogenic"),
            (5, "VUS"),
            (0, "VUS"),
            (-1, "Likely benign"),
            (-6, "Likely benign"),
            (-7, "Benign"),
            (-16, "Benign"),
        ] {
            assert_eq!(class(points), expected, "{points} points");
        }
        let points: Vec<(String, i32)> = rules
            .oncogenicity
            .rules
            .criteria
            .iter()
            .map(|(code, c)| (code.clone(), c.points))
            .collect();
        let expected = [
            ("OM2", 2),
            ("OM3", 2),
            ("OM4", 2),
            ("OP3", 1),
            ("OP4", 1),
            ("OS1", 4),
            ("OS3", 4),
            ("OVS1", 8),
            ("SBS1", -4),
            ("SBVS1", -8),
        ];
        assert_eq!(
            points,
            expected.map(|(c, p)| (c.to_string(), p)).to_vec(),
            "Horak et al. 2022 Table 2 points"
        );
    }
}
