//! Tumour-only somatic samples: likely germline variants are flagged with
//! the criteria of `tumour_only.toml` that fired, never silently tiered as
//! somatic.

mod common;

use common::*;
use rule_tier::germline::TumourOnlyMode;
use rule_tier::{Classifier, RuleSet, SampleContext, SampleType};
use variant_model::SoTerm::*;
use variant_model::VariantRecord;
use variant_model::classification::{AmpTier, Classification};
use variant_model::evidence::MatchLevel::{ExactAllele, ProteinChange};
use variant_model::record::SampleCall;

fn classifier<'a>(
    rules: &'a RuleSet,
    ontology: &'a rule_tier::Ontology,
    mode: TumourOnlyMode,
) -> Classifier<'a> {
    Classifier::new(
        rules,
        Some(ontology),
        SampleContext {
            sample_type: SampleType::Somatic,
            tumour_type: Some("MEL".into()),
            population_looked_up: true,
            tumour_only: mode,
        },
    )
    .unwrap()
}

fn classify(rules: &RuleSet, record: &VariantRecord) -> Classification {
    let ontology = ontology();
    classifier(rules, &ontology, TumourOnlyMode::Auto).classify(record)
}

/// A copy of the shipped rules with `tumour_only.toml` edited.
fn edited(from: &str, to: &str) -> (tempfile::TempDir, Result<RuleSet, String>) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo_root().join("conf/rules")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().join("tumour_only.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "tumour_only.toml lacks `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let loaded = RuleSet::load(dir.path()).map_err(|e| e.to_string());
    (dir, loaded)
}

fn braf_v600e() -> VariantRecord {
    with(
        variant("BRAF", MissenseVariant, Some("V600E")),
        vec![civic(
            "EID95",
            "A",
            doid("Melanoma", "DOID:1909"),
            ProteinChange,
            "BRAF V600E",
        )],
    )
}

fn rule_ids(c: &Classification) -> Vec<&str> {
    c.trace.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn population_frequency_alone_flags_and_the_tier_stays_visible_with_the_flag() {
    let rules = rules();
    let record = with_call(with(braf_v600e(), vec![gnomad(0.003)]), 200, 0.21);
    let c = classify(&rules, &record);
    assert_eq!(
        c.amp.as_ref().unwrap().tier,
        AmpTier::I,
        "would-be tier kept"
    );
    let flag = c.likely_germline.as_ref().expect("flagged");
    assert_eq!(flag.criteria, ["population_af"]);
    assert!(
        flag.reason.contains("grpmax (nfe) 0.0030 ≥ 0.002"),
        "{}",
        flag.reason
    );
    // The flag is the first thing the trace says, before the tier.
    assert_eq!(
        rule_ids(&c)[..2],
        [
            "tumour_only.germline.flagged",
            "tumour_only.germline.population_af"
        ]
    );
    let firing = &c.trace[1];
    assert_eq!(firing.evidence[0].record_id, "gnomad-exomes");
    assert!(firing.rules_file.starts_with("tumour_only.toml@"));
    assert!(firing.citation.as_deref().unwrap().contains("PCGR"));

    // Below the threshold: not flagged, nothing fired.
    let rare = with_call(with(braf_v600e(), vec![gnomad(0.0019)]), 200, 0.21);
    let c = classify(&rules, &rare);
    assert!(c.likely_germline.is_none());
    assert!(!rule_ids(&c).iter().any(|id| id.starts_with("tumour_only")));
}

#[test]
fn supporting_criteria_flag_only_together() {
    let rules = rules();
    let pathogenic = || clinvar("VCV1", "Pathogenic", 2, ExactAllele, "TP53 R175H");
    // ClinVar pathogenic alone (a somatic hotspot is often germline P too).
    let tp53 = with_call(
        with(
            variant("TP53", MissenseVariant, Some("R175H")),
            vec![pathogenic()],
        ),
        100,
        0.3,
    );
    let c = classify(&rules, &tp53);
    assert!(c.likely_germline.is_none());
    let ids = rule_ids(&c);
    assert!(
        ids.contains(&"tumour_only.germline.clinvar_germline"),
        "{ids:?}"
    );
    let not_flagged = c
        .trace
        .iter()
        .find(|f| f.rule_id == "tumour_only.germline.not_flagged")
        .expect("says why it is not flagged");
    assert!(
        not_flagged.explanation.contains("2 needed"),
        "{}",
        not_flagged.explanation
    );

    // VAF 0.5 alone: a clonal somatic variant looks the same.
    let het = with_call(variant("KRAS", MissenseVariant, Some("G12D")), 100, 0.5);
    assert!(classify(&rules, &het).likely_germline.is_none());

    // Both together flag.
    let both = with_call(
        with(
            variant("BRCA2", FrameshiftVariant, None),
            vec![pathogenic()],
        ),
        100,
        0.48,
    );
    let c = classify(&rules, &both);
    let flag = c.likely_germline.as_ref().expect("flagged");
    assert_eq!(flag.criteria, ["clinvar_germline", "vaf_heterozygous"]);
    let vaf = c
        .trace
        .iter()
        .find(|f| f.rule_id == "tumour_only.germline.vaf_heterozygous")
        .unwrap();
    assert!(
        vaf.explanation
            .contains("tumour VAF 0.480 (TUMOR) in [0.4, 0.6]"),
        "{}",
        vaf.explanation
    );
    assert_eq!(vaf.evidence[0].source, "sample_call");

    // Homozygous window with ClinVar.
    let hom = with_call(
        with(
            variant("BRCA2", FrameshiftVariant, None),
            vec![pathogenic()],
        ),
        100,
        0.97,
    );
    let flag = classify(&rules, &hom).likely_germline.unwrap();
    assert_eq!(flag.criteria, ["clinvar_germline", "vaf_homozygous"]);

    // ClinVar with too few review stars does not count.
    let weak = with_call(
        with(
            variant("BRCA2", FrameshiftVariant, None),
            vec![clinvar("VCV2", "Pathogenic", 0, ExactAllele, "x")],
        ),
        100,
        0.5,
    );
    assert!(classify(&rules, &weak).likely_germline.is_none());
}

#[test]
fn a_matched_normal_call_means_no_screen() {
    let rules = rules();
    let mut record = with_call(with(braf_v600e(), vec![gnomad(0.05)]), 200, 0.5);
    record.calls.push(SampleCall {
        sample: "NORMAL".into(),
        role: Some("normal".into()),
        genotype: Some("0/1".into()),
        alt_depth: Some(40),
        total_depth: Some(80),
        vaf: Some(0.5),
    });
    let c = classify(&rules, &record);
    assert!(c.likely_germline.is_none());
    assert!(!rule_ids(&c).iter().any(|id| id.starts_with("tumour_only")));

    // --tumour-only yes screens anyway; no never screens.
    let ontology = ontology();
    let yes = classifier(&rules, &ontology, TumourOnlyMode::Yes).classify(&record);
    assert!(yes.likely_germline.is_some());
    record.calls.pop();
    let no = classifier(&rules, &ontology, TumourOnlyMode::No).classify(&record);
    assert!(no.likely_germline.is_none());
}

#[test]
fn thresholds_and_roles_come_from_the_rules_file() {
    let record = with_call(with(braf_v600e(), vec![gnomad(0.003)]), 200, 0.5);
    let (_dir, rules) = edited("frequency_at_least = 0.002", "frequency_at_least = 0.01");
    let c = classify(&rules.unwrap(), &record);
    // gnomAD 0.003 no longer fires; VAF 0.5 alone is only supporting.
    assert!(c.likely_germline.is_none());

    let (_dir, rules) = edited(
        "role = \"supporting\"\nvaf_min = 0.40",
        "role = \"sufficient\"\nvaf_min = 0.40",
    );
    let het = with_call(variant("KRAS", MissenseVariant, Some("G12D")), 100, 0.5);
    let flag = classify(&rules.unwrap(), &het).likely_germline.unwrap();
    assert_eq!(flag.criteria, ["vaf_heterozygous"]);
}

#[test]
fn bad_tumour_only_rules_are_errors_naming_the_file() {
    for (from, to, expected) in [
        (
            "vaf_min = 0.40",
            "vaf_min = 0.70",
            "vaf_min 0.7 is above vaf_max 0.6",
        ),
        (
            "role = \"sufficient\"",
            "role = \"strong\"",
            "expected sufficient or supporting",
        ),
        ("min_supporting = 2", "min_supporting = 0", "at least 1"),
        ("min_review_stars = 1", "min_review_stars = 5", "0-4 stars"),
        (
            "frequency_at_least = 0.002",
            "frequency_at_least = 2",
            "must be a frequency",
        ),
    ] {
        let (_dir, rules) = edited(from, to);
        let e = rules.unwrap_err();
        assert!(
            e.contains("tumour_only.toml") && e.contains(expected),
            "{from} → {to}: {e}"
        );
    }
}
