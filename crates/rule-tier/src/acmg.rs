//! Germline classification, ACMG/AMP 2015 (Richards et al., Genet Med
//! 2015): the criteria computable from our data, combined by the rules of
//! Table 5 kept in the rules file.

use variant_model::VariantRecord;
use variant_model::classification::{CriteriaCall, CriterionHit, EvidenceRef, RuleFiring};
use variant_model::evidence::{KbMatch, MatchLevel};

use crate::criteria::{self, Applied, Finding};
use crate::facts::{
    Population, VariantFacts, evidence_ref, is_clinvar, parse_residue_term, significance,
};
use crate::rules::{
    ACMG_COMPUTED, AcmgCriterion, AcmgRules, CombiningRule, CommonRules, GeneRules, Loaded,
    Strength, UNCERTAIN,
};

pub struct AcmgContext<'a> {
    pub rules: &'a Loaded<AcmgRules>,
    pub common: &'a CommonRules,
    pub genes: &'a GeneRules,
}

struct Candidate {
    strength: Strength,
    explanation: String,
    evidence: Vec<EvidenceRef>,
}

/// Numbers of applied criteria per strength and side.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pvs: u32,
    pub ps: u32,
    pub pm: u32,
    pub pp: u32,
    pub ba: u32,
    pub bs: u32,
    pub bp: u32,
}

/// The combining rules met by `counts`: the first of the pathogenic side
/// and the first of the benign side, in table order.
pub fn combine<'r>(
    rules: &'r AcmgRules,
    counts: &Counts,
) -> (Option<&'r CombiningRule>, Option<&'r CombiningRule>) {
    let pathogenic = rules
        .combining
        .iter()
        .filter(|r| r.is_pathogenic_side())
        .find(|r| counts.satisfies(r));
    let benign = rules
        .combining
        .iter()
        .filter(|r| !r.is_pathogenic_side())
        .find(|r| counts.satisfies(r));
    (pathogenic, benign)
}

impl Counts {
    fn add(&mut self, code: &str, strength: Strength) {
        let benign = code.starts_with('B');
        let slot = match (benign, strength) {
            (false, Strength::VeryStrong) => &mut self.pvs,
            (false, Strength::Strong) => &mut self.ps,
            (false, Strength::Moderate) => &mut self.pm,
            (false, Strength::Supporting) => &mut self.pp,
            (true, Strength::StandAlone) => &mut self.ba,
            (true, Strength::Strong) => &mut self.bs,
            (true, Strength::Supporting) => &mut self.bp,
            // Excluded by rules validation.
            (false, Strength::StandAlone) | (true, Strength::VeryStrong | Strength::Moderate) => {
                unreachable!("invalid strength for {code}")
            }
        };
        *slot += 1;
    }

    fn satisfies(&self, rule: &CombiningRule) -> bool {
        self.pvs >= rule.pvs
            && self.ps >= rule.ps
            && self.pm >= rule.pm
            && self.pp >= rule.pp
            && self.ba >= rule.ba
            && self.bs >= rule.bs
            && self.bp >= rule.bp
    }
}

fn clinvar_matches<'r>(
    record: &'r VariantRecord,
    common: &CommonRules,
    level: MatchLevel,
    criterion: &AcmgCriterion,
) -> Vec<&'r KbMatch> {
    let terms = criterion.significance.as_deref().unwrap_or_default();
    let min_stars = criterion.min_review_stars.unwrap_or(0);
    record
        .kb_matches
        .iter()
        .filter(|m| {
            m.level == level
                && is_clinvar(m, common)
                && significance(m).is_some_and(|s| terms.contains(&s))
                && m.evidence.review_stars.unwrap_or(0) >= min_stars
        })
        .collect()
}

fn describe(matches: &[&KbMatch]) -> String {
    matches
        .iter()
        .map(|m| {
            format!(
                "{} {}{} `{}`, {} star(s)",
                m.source,
                m.record_id,
                m.matched_term
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default(),
                m.evidence.clinical_significance.as_deref().unwrap_or(""),
                m.evidence.review_stars.unwrap_or(0)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn classify(
    record: &VariantRecord,
    facts: &VariantFacts,
    ctx: &AcmgContext,
) -> (CriteriaCall, Vec<RuleFiring>) {
    let rules = &ctx.rules.rules;
    let label = ctx.rules.label();
    let consequences = &ctx.common.consequences;
    let gene = facts.gene.as_deref().unwrap_or("");
    let missense = facts.has_consequence(&consequences.missense);

    let candidate = |code: &str| -> Option<Candidate> {
        let c = &rules.criteria[code];
        let found = |matches: Vec<&KbMatch>, what: &str| {
            (!matches.is_empty()).then(|| Candidate {
                strength: c.strength,
                explanation: format!("{what}: {}", describe(&matches)),
                evidence: matches.iter().map(|m| evidence_ref(m)).collect(),
            })
        };
        match code {
            "PVS1" => {
                if !(ctx.genes.lof_mechanism.contains(gene)
                    && facts.has_consequence(&consequences.null))
                {
                    return None;
                }
                let consequence = facts.consequences.first().map(|c| c.as_str()).unwrap_or("");
                let (strength, why) = if facts.has_consequence(&consequences.start_lost) {
                    (
                        c.start_lost_strength.expect("validated"),
                        "initiation codon variant".to_string(),
                    )
                } else if facts.in_last_exon()
                    && !consequence.starts_with("splice")
                    && consequence != "transcript_ablation"
                {
                    (
                        c.last_exon_strength.expect("validated"),
                        "in the last exon, not predicted to undergo nonsense-mediated decay"
                            .to_string(),
                    )
                } else {
                    (c.strength, "predicted null".to_string())
                };
                Some(Candidate {
                    strength,
                    explanation: format!(
                        "{consequence} in {gene}, where loss of function is a mechanism of \
                         disease; {why}"
                    ),
                    evidence: Vec::new(),
                })
            }
            "PS1" if missense => found(
                clinvar_matches(record, ctx.common, MatchLevel::ProteinChange, c),
                "same amino-acid change as a pathogenic variant with another nucleotide change",
            ),
            "PM5" if missense => {
                let ours = facts.protein_change?;
                let others: Vec<&KbMatch> =
                    clinvar_matches(record, ctx.common, MatchLevel::Codon, c)
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
                found(
                    others,
                    &format!(
                        "missense {ours} at a residue where another missense change is pathogenic"
                    ),
                )
            }
            "PM2" => {
                let limit = c.af_at_most.expect("validated");
                match &facts.population {
                    Population::Absent => Some(Candidate {
                        strength: c.strength,
                        explanation: "absent from population databases (gnomAD)".into(),
                        evidence: Vec::new(),
                    }),
                    Population::Observed {
                        frequency,
                        field,
                        evidence,
                    } if *frequency <= limit => Some(Candidate {
                        strength: c.strength,
                        explanation: format!(
                            "population frequency {field} = {frequency} ≤ {limit}"
                        ),
                        evidence: vec![evidence.clone()],
                    }),
                    _ => None,
                }
            }
            "PP5" => found(
                clinvar_matches(record, ctx.common, MatchLevel::ExactAllele, c),
                "reputable source reports the variant pathogenic",
            ),
            "BP6" => found(
                clinvar_matches(record, ctx.common, MatchLevel::ExactAllele, c),
                "reputable source reports the variant benign",
            ),
            "BA1" | "BS1" => match &facts.population {
                Population::Observed {
                    frequency,
                    field,
                    evidence,
                } if *frequency > c.af_above.expect("validated") => Some(Candidate {
                    strength: c.strength,
                    explanation: format!(
                        "population frequency {field} = {frequency} > {}",
                        c.af_above.expect("validated")
                    ),
                    evidence: vec![evidence.clone()],
                }),
                _ => None,
            },
            _ => None,
        }
    };

    let mut counts = Counts::default();
    let (hits, mut trace) = criteria::apply(
        ACMG_COMPUTED,
        "acmg",
        &label,
        |code| &rules.criteria[code],
        |code| {
            candidate(code).map(|c| Finding {
                detail: c.strength,
                explanation: c.explanation,
                evidence: c.evidence,
            })
        },
        |code, criterion: &AcmgCriterion, &strength: &Strength| {
            counts.add(code, strength);
            // A criterion applied at another than its default strength
            // is written as e.g. `PM2_supporting`.
            let modified = if strength == criterion.strength {
                String::new()
            } else {
                format!("_{}", strength.as_str())
            };
            Applied {
                hit: CriterionHit {
                    code: code.to_string(),
                    strength: Some(strength.as_str().to_string()),
                    points: None,
                },
                label: format!("{code}{modified} ({})", strength.as_str()),
            }
        },
    );

    let (pathogenic, benign) = combine(rules, &counts);
    let applied = if hits.is_empty() {
        "no criterion applies".to_string()
    } else {
        hits.iter()
            .map(|h| format!("{} ({})", h.code, h.strength.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (class, rule_id, citation, explanation) = match (pathogenic, benign) {
        (Some(p), Some(b)) => (
            UNCERTAIN.to_string(),
            "acmg.class.conflicting".to_string(),
            format!("{}; {}", p.citation, b.citation),
            format!(
                "{applied}: both {} ({}) and {} ({}) are met; contradictory criteria → {UNCERTAIN}",
                p.class, p.id, b.class, b.id
            ),
        ),
        (Some(rule), None) | (None, Some(rule)) => (
            rule.class.clone(),
            "acmg.class".to_string(),
            rule.citation.clone(),
            format!(
                "{applied}: meets {} rule {} → {}",
                rule.class, rule.id, rule.class
            ),
        ),
        (None, None) => (
            UNCERTAIN.to_string(),
            "acmg.class".to_string(),
            "Richards et al. 2015, Table 5: uncertain significance when other criteria are not met"
                .to_string(),
            format!("{applied}: no combining rule is met → {UNCERTAIN}"),
        ),
    };
    trace.push(RuleFiring {
        rule_id,
        rules_file: label,
        citation: Some(citation),
        explanation,
        evidence: Vec::new(),
    });
    (
        CriteriaCall {
            class,
            points: None,
            criteria: hits,
        },
        trace,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// Richards et al. 2015 Table 5, line by line, on the shipped table.
    #[test]
    fn shipped_combining_table_is_richards_table_5() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conf/rules");
        let rules = RuleSet::load(&dir).unwrap();
        let class = |pvs, ps, pm, pp, ba, bs, bp| {
            let counts = Counts {
                pvs,
                ps,
                pm,
                pp,
                ba,
                bs,
                bp,
            };
            match combine(&rules.acmg.rules, &counts) {
                (Some(_), Some(_)) => "conflict".to_string(),
                (Some(r), None) | (None, Some(r)) => format!("{} {}", r.class, r.id),
                (None, None) => UNCERTAIN.to_string(),
            }
        };
        let cases = [
            // Pathogenic (i)(a)-(d), (ii), (iii)(a)-(c)
            ((1, 1, 0, 0), "Pathogenic P(i)(a)"),
            ((1, 0, 2, 0), "Pathogenic P(i)(b)"),
            ((1, 0, 1, 1), "Pathogenic P(i)(c)"),
            ((1, 0, 0, 2), "Pathogenic P(i)(d)"),
            ((0, 2, 0, 0), "Pathogenic P(ii)"),
            ((0, 1, 3, 0), "Pathogenic P(iii)(a)"),
            ((0, 1, 2, 2), "Pathogenic P(iii)(b)"),
            ((0, 1, 1, 4), "Pathogenic P(iii)(c)"),
            // Likely pathogenic (i)-(vi)
            ((1, 0, 1, 0), "Likely pathogenic LP(i)"),
            ((0, 1, 1, 0), "Likely pathogenic LP(ii)"),
            ((0, 1, 2, 0), "Likely pathogenic LP(ii)"),
            ((0, 1, 0, 2), "Likely pathogenic LP(iii)"),
            ((0, 0, 3, 0), "Likely pathogenic LP(iv)"),
            ((0, 0, 2, 2), "Likely pathogenic LP(v)"),
            ((0, 0, 1, 4), "Likely pathogenic LP(vi)"),
            // Not enough
            ((1, 0, 0, 0), UNCERTAIN),
            ((1, 0, 0, 1), UNCERTAIN),
            ((0, 1, 0, 1), UNCERTAIN),
            ((0, 0, 2, 1), UNCERTAIN),
            ((0, 0, 1, 3), UNCERTAIN),
            ((0, 0, 0, 5), UNCERTAIN),
        ];
        for ((pvs, ps, pm, pp), expected) in cases {
            assert_eq!(
                class(pvs, ps, pm, pp, 0, 0, 0),
                expected,
                "{pvs} {ps} {pm} {pp}"
            );
        }
        let benign = [
            ((1, 0, 0), "Benign B(i)"),
            ((0, 2, 0), "Benign B(ii)"),
            ((0, 1, 1), "Likely benign LB(i)"),
            ((0, 0, 2), "Likely benign LB(ii)"),
            ((0, 1, 0), UNCERTAIN),
            ((0, 0, 1), UNCERTAIN),
        ];
        for ((ba, bs, bp), expected) in benign {
            assert_eq!(class(0, 0, 0, 0, ba, bs, bp), expected, "{ba} {bs} {bp}");
        }
        assert_eq!(class(1, 0, 1, 0, 0, 1, 1), "conflict");
    }
}
