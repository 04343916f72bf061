//! AMP/ASCO/CAP 2017 somatic tiers (Li et al., J Mol Diagn 2017).
//!
//! Order of decision: Tier IV (benign: common in the population, or
//! benign in ClinVar with enough review) first; then the strongest AMP
//! level among the clinical evidence that applies to the variant, after
//! mapping the source's level and comparing its tumour type with the
//! sample's (Tier I for A/B, Tier II for C/D); otherwise Tier III.

use std::collections::BTreeMap;

use variant_model::VariantRecord;
use variant_model::classification::{AmpCall, AmpLevel, AmpTier, EvidenceRef, RuleFiring};
use variant_model::evidence::{KbMatch, MatchLevel};

use crate::facts::{
    Population, VariantFacts, evidence_ref, is_clinvar, parse_residue_term, significance,
};
use crate::ontology::{Ontology, Relation};
use crate::rules::{AmpRules, CommonRules, Loaded, MatchPolicy, UnmappedDisease, normalise_term};

/// What the AMP rules need besides the record.
pub struct AmpContext<'a> {
    pub rules: &'a Loaded<AmpRules>,
    pub common: &'a CommonRules,
    pub ontology: &'a Ontology,
    /// The sample's OncoTree code.
    pub tumour_type: &'a str,
    /// The oncogenicity class of the variant, if computed.
    pub oncogenicity_class: Option<&'a str>,
}

/// One piece of clinical evidence after the rules have placed it.
struct Assessed<'m> {
    kb: &'m KbMatch,
    level: AmpLevel,
    /// Readable account of how the level was reached.
    reasoning: String,
}

pub fn tier_label(tier: AmpTier) -> &'static str {
    match tier {
        AmpTier::I => "Tier I",
        AmpTier::II => "Tier II",
        AmpTier::III => "Tier III",
        AmpTier::IV => "Tier IV",
    }
}

fn level_char(level: AmpLevel) -> char {
    match level {
        AmpLevel::A => 'A',
        AmpLevel::B => 'B',
        AmpLevel::C => 'C',
        AmpLevel::D => 'D',
    }
}

fn tier_id(tier: AmpTier) -> &'static str {
    match tier {
        AmpTier::I => "tier_i",
        AmpTier::II => "tier_ii",
        AmpTier::III => "tier_iii",
        AmpTier::IV => "tier_iv",
    }
}

fn describe_match(kb: &KbMatch) -> String {
    let e = &kb.evidence;
    let mut text = format!("{} {}", kb.source, kb.record_id);
    let mut details = Vec::new();
    if let Some(level) = &e.evidence_level {
        details.push(format!("level {level}"));
    }
    if let Some(t) = &e.evidence_type {
        details.push(t.to_lowercase());
    }
    if let Some(s) = &e.clinical_significance {
        details.push(s.clone());
    }
    if !e.therapies.is_empty() {
        details.push(e.therapies.join(" + "));
    }
    if let Some(d) = &e.disease {
        let codes: Vec<&str> = [d.doid.as_deref(), d.oncotree.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if codes.is_empty() {
            details.push(d.name.clone());
        } else {
            details.push(format!("{} [{}]", d.name, codes.join(", ")));
        }
    }
    if let Some(term) = &kb.matched_term {
        details.push(format!(
            "matched {} `{term}`",
            serde_json::to_value(kb.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ));
    }
    if !details.is_empty() {
        text.push_str(&format!(" ({})", details.join("; ")));
    }
    text
}

/// Classifies one variant; returns the call and the rules that fired.
pub fn classify(
    record: &VariantRecord,
    facts: &VariantFacts,
    ctx: &AmpContext,
) -> (AmpCall, Vec<RuleFiring>) {
    let rules = &ctx.rules.rules;
    let label = ctx.rules.label();
    let fire =
        |id: String, citation: &str, explanation: String, evidence: Vec<EvidenceRef>| RuleFiring {
            rule_id: id,
            rules_file: label.clone(),
            citation: Some(citation.to_string()),
            explanation,
            evidence,
        };
    let mut trace = Vec::new();

    // Tier IV: population frequency.
    if let Population::Observed {
        frequency,
        field,
        evidence,
    } = &facts.population
        && *frequency >= rules.tier_iv.population_af_at_least
    {
        trace.push(fire(
            "amp.tier_iv.population_af".into(),
            &rules.tier_iv.citation,
            format!(
                "population frequency {field} = {frequency} ≥ {}: benign or likely benign → Tier IV",
                rules.tier_iv.population_af_at_least
            ),
            vec![evidence.clone()],
        ));
        return (
            AmpCall {
                tier: AmpTier::IV,
                level: None,
            },
            trace,
        );
    }
    // Tier IV: ClinVar benign / likely benign with enough review.
    let benign: Vec<&KbMatch> = record
        .kb_matches
        .iter()
        .filter(|m| {
            m.level == MatchLevel::ExactAllele
                && is_clinvar(m, ctx.common)
                && significance(m).is_some_and(|s| rules.tier_iv.clinvar_significance.contains(&s))
                && m.evidence.review_stars.unwrap_or(0) >= rules.tier_iv.clinvar_min_review_stars
        })
        .collect();
    if !benign.is_empty() {
        let what: Vec<String> = benign
            .iter()
            .map(|m| {
                format!(
                    "{} {} `{}` with {} review star(s)",
                    m.source,
                    m.record_id,
                    m.evidence.clinical_significance.as_deref().unwrap_or(""),
                    m.evidence.review_stars.unwrap_or(0)
                )
            })
            .collect();
        trace.push(fire(
            "amp.tier_iv.clinvar_benign".into(),
            &rules.tier_iv.citation,
            format!(
                "{} (≥ {} stars): benign or likely benign → Tier IV",
                what.join("; "),
                rules.tier_iv.clinvar_min_review_stars
            ),
            benign.iter().map(|m| evidence_ref(m)).collect(),
        ));
        return (
            AmpCall {
                tier: AmpTier::IV,
                level: None,
            },
            trace,
        );
    }

    // Clinical evidence.
    let mut assessed = Vec::new();
    let mut not_applicable: BTreeMap<String, Vec<&KbMatch>> = BTreeMap::new();
    for kb in &record.kb_matches {
        match assess(kb, facts, ctx) {
            Assessment::NotClinical => {}
            Assessment::NotApplicable(reason) => not_applicable.entry(reason).or_default().push(kb),
            Assessment::Applies(a) => assessed.push(a),
        }
    }

    let best = assessed.iter().map(|a| a.level).min();
    let call = match best {
        Some(level) => {
            let tier = rules.tiers.levels[&level];
            let deciding: Vec<&Assessed> = assessed.iter().filter(|a| a.level == level).collect();
            trace.push(fire(
                format!(
                    "amp.{}.level_{}",
                    tier_id(tier),
                    level_char(level).to_ascii_lowercase()
                ),
                &rules.tiers.citation,
                format!(
                    "strongest applicable evidence is AMP level {} → {} (tumour type {}): {}",
                    level_char(level),
                    tier_label(tier),
                    ctx.tumour_type,
                    deciding
                        .iter()
                        .map(|a| a.reasoning.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                deciding.iter().map(|a| evidence_ref(a.kb)).collect(),
            ));
            let others: Vec<&Assessed> = assessed.iter().filter(|a| a.level != level).collect();
            if !others.is_empty() {
                trace.push(fire(
                    "amp.evidence.weaker".into(),
                    &rules.tiers.citation,
                    format!(
                        "weaker applicable evidence: {}",
                        others
                            .iter()
                            .map(|a| a.reasoning.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    others.iter().map(|a| evidence_ref(a.kb)).collect(),
                ));
            }
            AmpCall {
                tier,
                level: Some(level),
            }
        }
        None => {
            trace.push(fire(
                "amp.tier_iii.no_applicable_evidence".into(),
                &rules.tiers.citation,
                format!(
                    "not benign and no applicable therapeutic, diagnostic or prognostic \
                     evidence for {}: unknown clinical significance → Tier III",
                    facts.label()
                ),
                Vec::new(),
            ));
            AmpCall {
                tier: AmpTier::III,
                level: None,
            }
        }
    };
    for (reason, matches) in not_applicable {
        trace.push(fire(
            "amp.evidence.not_applicable".into(),
            &rules.evidence.citation,
            format!(
                "{reason}: {}",
                matches
                    .iter()
                    .map(|m| describe_match(m))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            matches.iter().map(|m| evidence_ref(m)).collect(),
        ));
    }
    (call, trace)
}

enum Assessment<'m> {
    /// Not clinical evidence (population, hotspot, oncogenic, ...).
    NotClinical,
    /// Clinical evidence that does not apply, and why.
    NotApplicable(String),
    Applies(Assessed<'m>),
}

fn assess<'m>(kb: &'m KbMatch, facts: &VariantFacts, ctx: &AmpContext) -> Assessment<'m> {
    let rules = &ctx.rules.rules;
    let e = &kb.evidence;
    let Some(evidence_type) = e.evidence_type.as_deref().map(normalise_term) else {
        return Assessment::NotClinical;
    };
    if !rules.evidence.clinical_types.contains(&evidence_type) {
        return Assessment::NotClinical;
    }
    if let Some(direction) = e.direction.as_deref().map(normalise_term)
        && rules.evidence.excluded_directions.contains(&direction)
    {
        return Assessment::NotApplicable(format!("evidence direction `{direction}`"));
    }
    let source = normalise_term(&kb.source);
    let Some(map) = rules.level_map.iter().find(|m| m.sources.contains(&source)) else {
        return Assessment::NotApplicable(format!("no AMP level map for source `{}`", kb.source));
    };
    let Some(source_level) = e.evidence_level.as_deref() else {
        return Assessment::NotApplicable("no evidence level".into());
    };
    let Some(stated) = map.amp_level(source_level) else {
        return Assessment::NotApplicable(format!(
            "level `{source_level}` of `{}` is not in its level map",
            kb.source
        ));
    };
    match rules.match_levels.policy(kb.level) {
        MatchPolicy::AsStated => {}
        MatchPolicy::Ignore => {
            return Assessment::NotApplicable(format!(
                "{:?}-level matches are not used for tiering",
                kb.level
            ));
        }
        MatchPolicy::RequiresOncogenic => {
            let oncogenic = ctx.oncogenicity_class.is_some_and(|c| {
                rules
                    .match_levels
                    .oncogenic_classes
                    .contains(&normalise_term(c))
            });
            if !oncogenic {
                return Assessment::NotApplicable(format!(
                    "{:?}-level record needs an oncogenic variant; oncogenicity is {}",
                    kb.level,
                    ctx.oncogenicity_class.unwrap_or("not computed")
                ));
            }
        }
    }
    // A codon-level match to a record naming one specific change applies
    // only to that change (evidence for V600E says nothing about V600K).
    if kb.level == MatchLevel::Codon
        && let Some(record_change) = kb.matched_term.as_deref().and_then(parse_residue_term)
        && let Some(record_alt) = record_change.alternate
        && facts
            .protein_change
            .is_none_or(|ours| ours.alternate != Some(record_alt))
    {
        return Assessment::NotApplicable(format!(
            "record is for {record_change}, a different change at this codon"
        ));
    }
    let Some(disease) = &e.disease else {
        return Assessment::NotApplicable("evidence states no disease".into());
    };
    let (level, relation_text) = match ctx.ontology.relation(disease, ctx.tumour_type) {
        Relation::Same { via } => (
            rules.tumour_type.same[&stated],
            format!("same tumour type (via {via})"),
        ),
        Relation::Other { placed_at } => (
            rules.tumour_type.other[&stated],
            format!("other tumour type ({})", placed_at.join(", ")),
        ),
        Relation::Unmapped => match rules.tumour_type.unmapped_disease {
            UnmappedDisease::Other => (
                rules.tumour_type.other[&stated],
                "disease not in the ontology mapping, taken as another tumour type".to_string(),
            ),
            UnmappedDisease::Ignore => {
                return Assessment::NotApplicable(format!(
                    "disease `{}` not in the ontology mapping",
                    disease.name
                ));
            }
        },
    };
    let reasoning = format!(
        "{} → stated AMP level {}, {relation_text} → level {}",
        describe_match(kb),
        level_char(stated),
        level_char(level)
    );
    Assessment::Applies(Assessed {
        kb,
        level,
        reasoning,
    })
}
