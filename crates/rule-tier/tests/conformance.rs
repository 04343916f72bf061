//! Conformance against CIViC's own AMP/ASCO/CAP categories
//! (`../shared/data/civic/`): CIViC assertions state the AMP tier and level
//! their curators assigned for a disease. Feeding the assertion, or the
//! evidence items behind it, to rule-tier in that disease must give the
//! same tier. Run with `cargo test -p rule-tier --test conformance -- --ignored`.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;
use variant_model::SoTerm::*;
use variant_model::classification::{AmpLevel, AmpTier};
use variant_model::evidence::{Disease, Evidence, KbMatch, MatchLevel};

fn civic_dir() -> PathBuf {
    let data = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    let dir = data.join("civic");
    assert!(
        dir.is_dir(),
        "conformance: cannot find the CIViC test data folder {}",
        dir.display()
    );
    dir
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no `{key}` in {v}"))
        .to_string()
}

/// A CIViC disease object as kb-lookup carries it.
fn disease(v: &Value) -> Disease {
    Disease {
        name: text(v, "name"),
        doid: v["doid"].as_str().map(str::to_string),
        oncotree: None,
    }
}

/// A CIViC assertion or evidence item as a knowledge-base match, with
/// `level` its AMP category (assertion) or evidence level (item).
fn civic_match(record: &Value, level: &str, match_level: MatchLevel, term: &str) -> KbMatch {
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| record[*k].as_str().map(str::to_string))
    };
    KbMatch {
        source: "civic".into(),
        source_version: None,
        record_id: text(record, "name"),
        level: match_level,
        matched_term: Some(term.into()),
        transcript: None,
        on_picked_transcript: Some(true),
        evidence: Evidence {
            clinical_significance: first(&["clinical_significance", "significance"]),
            evidence_type: first(&["evidence_type", "assertion_type"]),
            evidence_level: Some(level.into()),
            direction: first(&["evidence_direction", "assertion_direction"]),
            disease: Some(disease(&record["disease"])),
            ..Default::default()
        },
    }
}

fn amp_of(tumour: &str, record: variant_model::VariantRecord) -> (AmpTier, Option<AmpLevel>) {
    let rules = rules();
    let ontology = ontology();
    let call = somatic(&rules, &ontology, tumour)
        .classify(&record)
        .amp
        .unwrap();
    (call.tier, call.level)
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn civic_aid7_braf_v600e_melanoma_is_tier_i_level_a() {
    let aid7 = read_json(civic_dir().join("metakb_2025/civic_aid_7.json"));
    assert_eq!(text(&aid7, "amp_level"), "TIER_I_LEVEL_A");
    let profile = read_json(civic_dir().join("metakb_2025/civic_molecular_profile_12.json"));
    assert_eq!(text(&profile, "name"), "BRAF V600E");
    let kb = civic_match(
        &aid7,
        &text(&aid7, "amp_level"),
        MatchLevel::ProteinChange,
        "BRAF V600E",
    );
    let braf = || {
        with(
            variant("BRAF", MissenseVariant, Some("V600E")),
            vec![kb.clone()],
        )
    };
    // The assertion's disease, and a subtype of it.
    assert_eq!(amp_of("MEL", braf()), (AmpTier::I, Some(AmpLevel::A)));
    assert_eq!(amp_of("SKCM", braf()), (AmpTier::I, Some(AmpLevel::A)));
    // Approved in another tumour type: AMP level C.
    assert_eq!(amp_of("COAD", braf()), (AmpTier::II, Some(AmpLevel::C)));
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn civic_aid40_flt3_aml_and_its_evidence_items_are_tier_i() {
    let assertions = read_json(civic_dir().join("metakb_2023_harvest/assertions.json"));
    let aid40 = &assertions[0];
    assert_eq!(text(aid40, "name"), "AID40");
    assert_eq!(text(aid40, "amp_level"), "Tier I - Level A");
    let flt3 = || variant("FLT3", MissenseVariant, Some("I836M"));
    let kb = civic_match(
        aid40,
        &text(aid40, "amp_level"),
        MatchLevel::Codon,
        "FLT3 I836",
    );
    assert_eq!(
        amp_of("AML", with(flt3(), vec![kb])),
        (AmpTier::I, Some(AmpLevel::A))
    );

    // The evidence items behind the assertion, on their own, give the
    // assertion's tier in its disease.
    let items = aid40["_evidence_items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let kb = civic_match(
            item,
            &text(item, "evidence_level"),
            MatchLevel::Codon,
            "FLT3 I836",
        );
        let (tier, _) = amp_of("AML", with(flt3(), vec![kb]));
        assert_eq!(tier, AmpTier::I, "{}", text(item, "name"));
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn civic_eid3017_nsclc_level_a_applies_to_lung_adenocarcinoma_only() {
    let eid = read_json(civic_dir().join("metakb_2025/civic_eid_3017.json"));
    assert_eq!(text(&eid, "evidence_level"), "A");
    let kb = civic_match(&eid, "A", MatchLevel::ProteinChange, "BRAF V600E");
    let braf = || {
        with(
            variant("BRAF", MissenseVariant, Some("V600E")),
            vec![kb.clone()],
        )
    };
    assert_eq!(amp_of("LUAD", braf()), (AmpTier::I, Some(AmpLevel::A)));
    assert_eq!(amp_of("NSCLC", braf()), (AmpTier::I, Some(AmpLevel::A)));
    assert_eq!(amp_of("SCLC", braf()), (AmpTier::II, Some(AmpLevel::C)));
    assert_eq!(amp_of("MEL", braf()), (AmpTier::II, Some(AmpLevel::C)));
}
