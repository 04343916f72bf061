//! Builders for variant records and knowledge-base matches as kb-lookup
//! writes them, and access to the shipped rules and ontology.
#![allow(dead_code)]

use std::path::PathBuf;

use rule_tier::{Classifier, Ontology, RuleSet, SampleContext, SampleType};
use variant_model::consequence::{FeatureNumber, PositionRange};
use variant_model::evidence::{Disease, Evidence, KbMatch, MatchLevel, PopulationFrequency};
use variant_model::record::SampleCall;
use variant_model::{GenomicAllele, SoTerm, TranscriptConsequence, VariantRecord};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn rules() -> RuleSet {
    RuleSet::load(&repo_root().join("conf/rules")).expect("shipped rules load")
}

pub fn ontology() -> Ontology {
    Ontology::load(&repo_root().join("assets/ontology/oncotree_doid.tsv"))
        .expect("shipped ontology loads")
}

pub fn somatic<'a>(rules: &'a RuleSet, ontology: &'a Ontology, tumour: &str) -> Classifier<'a> {
    Classifier::new(
        rules,
        Some(ontology),
        SampleContext {
            sample_type: SampleType::Somatic,
            tumour_type: Some(tumour.to_string()),
            population_looked_up: true,
            tumour_only: rule_tier::germline::TumourOnlyMode::Auto,
        },
    )
    .expect("valid sample")
}

pub fn germline(rules: &RuleSet) -> Classifier<'_> {
    Classifier::new(
        rules,
        None,
        SampleContext {
            sample_type: SampleType::Germline,
            tumour_type: None,
            population_looked_up: true,
            tumour_only: rule_tier::germline::TumourOnlyMode::Auto,
        },
    )
    .expect("valid sample")
}

/// A variant with one picked consequence. `change` is a one-letter
/// protein change such as `V600E` (missense/nonsense) or `None`.
pub fn variant(gene: &str, consequence: SoTerm, change: Option<&str>) -> VariantRecord {
    let mut record = VariantRecord::new(GenomicAllele::new("1", 1000, "A", "T"));
    record.filters.push("PASS".into());
    let mut csq = TranscriptConsequence {
        allele: "T".into(),
        consequences: vec![consequence],
        impact: Some(consequence.impact()),
        symbol: Some(gene.to_string()),
        feature: Some(format!("ENST_{gene}")),
        feature_type: Some("Transcript".into()),
        biotype: Some("protein_coding".into()),
        pick: true,
        exon: Some(FeatureNumber {
            first: 2,
            last: 2,
            total: 10,
        }),
        ..Default::default()
    };
    if let Some(change) = change {
        let (reference, rest) = change.split_at(1);
        let (position, alternate) = rest.split_at(rest.len() - 1);
        let position: u64 = position.parse().expect("numeric position");
        csq.amino_acids = Some(format!("{reference}/{alternate}"));
        csq.protein_position = Some(PositionRange::single(position));
    }
    record.consequences.push(csq);
    record
}

pub fn with(mut record: VariantRecord, matches: Vec<KbMatch>) -> VariantRecord {
    record.kb_matches.extend(matches);
    record
}

pub fn in_last_exon(mut record: VariantRecord) -> VariantRecord {
    record.consequences[0].exon = Some(FeatureNumber {
        first: 10,
        last: 10,
        total: 10,
    });
    record
}

pub fn with_call(mut record: VariantRecord, depth: u32, vaf: f64) -> VariantRecord {
    record.calls.push(SampleCall {
        sample: "TUMOR".into(),
        role: Some("tumor".into()),
        genotype: Some("0/1".into()),
        alt_depth: Some((f64::from(depth) * vaf).round() as u32),
        total_depth: Some(depth),
        vaf: Some(vaf),
    });
    record
}

fn kb(source: &str, id: &str, level: MatchLevel, term: &str, evidence: Evidence) -> KbMatch {
    KbMatch {
        source: source.into(),
        source_version: None,
        record_id: id.into(),
        level,
        matched_term: Some(term.into()),
        transcript: None,
        on_picked_transcript: Some(true),
        evidence,
    }
}

pub fn doid(name: &str, doid: &str) -> Disease {
    Disease {
        name: name.into(),
        doid: Some(doid.into()),
        oncotree: None,
    }
}

pub fn oncotree(name: &str, code: &str) -> Disease {
    Disease {
        name: name.into(),
        doid: None,
        oncotree: Some(code.into()),
    }
}

/// A CIViC evidence item: predictive, supports, sensitivity.
pub fn civic(
    id: &str,
    level: &str,
    disease: Disease,
    match_level: MatchLevel,
    term: &str,
) -> KbMatch {
    civic_typed(
        id,
        level,
        disease,
        match_level,
        term,
        "Predictive",
        "Supports",
    )
}

pub fn civic_typed(
    id: &str,
    level: &str,
    disease: Disease,
    match_level: MatchLevel,
    term: &str,
    evidence_type: &str,
    direction: &str,
) -> KbMatch {
    kb(
        "civic",
        id,
        match_level,
        term,
        Evidence {
            clinical_significance: Some("Sensitivity/Response".into()),
            evidence_type: Some(evidence_type.into()),
            evidence_level: Some(level.into()),
            direction: Some(direction.into()),
            therapies: vec!["Therapy".into()],
            disease: Some(disease),
            ..Default::default()
        },
    )
}

/// An OncoKB therapeutic level record.
pub fn oncokb(level: &str, disease: Disease, match_level: MatchLevel, term: &str) -> KbMatch {
    kb(
        "oncokb",
        &format!("{term}:{level}"),
        match_level,
        term,
        Evidence {
            clinical_significance: Some(if level.starts_with('R') {
                "Resistance".into()
            } else {
                "Sensitivity".into()
            }),
            evidence_type: Some("Predictive".into()),
            evidence_level: Some(level.into()),
            therapies: vec!["Therapy".into()],
            disease: Some(disease),
            redistributable: Some(false),
            ..Default::default()
        },
    )
}

/// An OncoKB oncogenicity annotation (no therapy).
pub fn oncokb_oncogenic(match_level: MatchLevel, term: &str, oncogenicity: &str) -> KbMatch {
    kb(
        "oncokb",
        &format!("{term}:oncogenic"),
        match_level,
        term,
        Evidence {
            clinical_significance: Some(oncogenicity.into()),
            evidence_type: Some("Oncogenic".into()),
            ..Default::default()
        },
    )
}

pub fn clinvar(
    id: &str,
    significance: &str,
    stars: u8,
    match_level: MatchLevel,
    term: &str,
) -> KbMatch {
    kb(
        "clinvar",
        id,
        match_level,
        term,
        Evidence {
            clinical_significance: Some(significance.into()),
            evidence_type: Some("Predisposing".into()),
            review_stars: Some(stars),
            ..Default::default()
        },
    )
}

pub fn gnomad(grpmax: f64) -> KbMatch {
    kb(
        "gnomad",
        "gnomad-exomes",
        MatchLevel::ExactAllele,
        "1-1000-A-T",
        Evidence {
            evidence_type: Some("Population".into()),
            population: Some(PopulationFrequency {
                af: Some(grpmax / 2.0),
                grpmax_af: Some(grpmax),
                grpmax_group: Some("nfe".into()),
                allele_count: Some(100),
                allele_number: Some(100_000),
                nhomalt: Some(0),
            }),
            ..Default::default()
        },
    )
}

/// A cancerhotspots.org record: `count` samples at the residue
/// (codon level) or with this change (protein-change level).
pub fn hotspot(match_level: MatchLevel, term: &str, count: u32) -> KbMatch {
    kb(
        "cancerhotspots",
        term,
        match_level,
        term,
        Evidence {
            evidence_type: Some("Hotspot".into()),
            hotspot_count: Some(count),
            ..Default::default()
        },
    )
}
