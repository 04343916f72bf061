//! The rules live in files: editing a threshold changes results without
//! recompiling, and a bad file is a clear error naming file and place.

mod common;

use common::*;
use rule_tier::RuleSet;
use variant_model::SoTerm::*;
use variant_model::classification::AmpTier;
use variant_model::evidence::MatchLevel::ProteinChange;

/// A copy of the shipped rules with `file` edited by replacing `from` with
/// `to` (which must occur).
fn edited_rules(file: &str, from: &str, to: &str) -> (tempfile::TempDir, Result<RuleSet, String>) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo_root().join("conf/rules")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let loaded = RuleSet::load(dir.path()).map_err(|e| e.to_string());
    (dir, loaded)
}

fn load_error(file: &str, from: &str, to: &str) -> String {
    match edited_rules(file, from, to).1 {
        Ok(_) => panic!("editing {file} ({from} → {to}) should be an error"),
        Err(e) => e,
    }
}

#[test]
fn shipped_rules_carry_versions_and_citations() {
    let rules = rules();
    let provenance = rules.provenance();
    assert_eq!(provenance.len(), 7);
    for value in provenance.values() {
        assert!(value.contains(" 1.0.0 sha256:"), "{value}");
    }
    assert!(rules.amp.meta.citation.contains("Li et al"));
    assert!(rules.oncogenicity.meta.citation.contains("Horak et al"));
    assert!(rules.acmg.meta.citation.contains("Richards et al"));
    assert_eq!(rules.amp.label(), "amp_asco_cap_2017.toml@1.0.0");
}

#[test]
fn editing_a_threshold_changes_the_result() {
    let ontology = ontology();
    let record = with(
        variant("OR4F5", MissenseVariant, Some("A10T")),
        vec![gnomad(0.02)],
    );

    let shipped = rules();
    let tier = somatic(&shipped, &ontology, "LUAD")
        .classify(&record)
        .amp
        .unwrap()
        .tier;
    assert_eq!(tier, AmpTier::IV);

    let (_dir, edited) = edited_rules(
        "amp_asco_cap_2017.toml",
        "population_af_at_least = 0.01",
        "population_af_at_least = 0.05",
    );
    let edited = edited.unwrap();
    let tier = somatic(&edited, &ontology, "LUAD")
        .classify(&record)
        .amp
        .unwrap()
        .tier;
    assert_eq!(tier, AmpTier::III);

    // Demoting other-tumour-type level A evidence to B instead of C.
    let braf = with(
        variant("BRAF", MissenseVariant, Some("V600E")),
        vec![civic(
            "EID95",
            "A",
            doid("Melanoma", "DOID:1909"),
            ProteinChange,
            "BRAF V600E",
        )],
    );
    assert_eq!(
        somatic(&shipped, &ontology, "PRAD")
            .classify(&braf)
            .amp
            .unwrap()
            .tier,
        AmpTier::II
    );
    let (_dir, edited) = edited_rules(
        "amp_asco_cap_2017.toml",
        "other = { A = \"C\"",
        "other = { A = \"B\"",
    );
    let edited = edited.unwrap();
    assert_eq!(
        somatic(&edited, &ontology, "PRAD")
            .classify(&braf)
            .amp
            .unwrap()
            .tier,
        AmpTier::I
    );

    // Oncogenicity points.
    let truncating = variant("TP53", StopGained, Some("R196*"));
    let onco = somatic(&shipped, &ontology, "LUAD")
        .classify(&truncating)
        .oncogenicity
        .unwrap();
    assert_eq!(
        (onco.class.as_str(), onco.points),
        ("Likely oncogenic", Some(9))
    );
    let (_dir, edited) = edited_rules("clingen_cgc_vicc_2022.toml", "points = 8", "points = 9");
    let edited = edited.unwrap();
    let onco = somatic(&edited, &ontology, "LUAD")
        .classify(&truncating)
        .oncogenicity
        .unwrap();
    assert_eq!((onco.class.as_str(), onco.points), ("Oncogenic", Some(10)));

    // A gene list entry.
    let (_dir, edited) = edited_rules("genes.toml", "\"TP53\", ", "");
    let edited = edited.unwrap();
    let onco = somatic(&edited, &ontology, "LUAD")
        .classify(&truncating)
        .oncogenicity
        .unwrap();
    assert_eq!(onco.points, Some(1));
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let e = load_error(
        "tmb.toml",
        "default_min_depth = 25",
        "default_min_depth = = 25",
    );
    assert!(e.contains("tmb.toml:"), "{e}");
    let line = e.split("tmb.toml:").nth(1).unwrap();
    let line_no: usize = line.split(':').next().unwrap().parse().unwrap();
    let text = std::fs::read_to_string(repo_root().join("conf/rules/tmb.toml")).unwrap();
    assert!(
        text.lines()
            .nth(line_no - 1)
            .unwrap()
            .contains("default_min_depth"),
        "{e}"
    );
}

#[test]
fn unknown_keys_are_errors() {
    let e = load_error(
        "amp_asco_cap_2017.toml",
        "population_af_at_least = 0.01",
        "population_af_at_leest = 0.01",
    );
    assert!(
        e.contains("amp_asco_cap_2017.toml:") && e.contains("population_af_at_leest"),
        "{e}"
    );
}

#[test]
fn invalid_values_are_errors() {
    let cases = [
        (
            "amp_asco_cap_2017.toml",
            "E = \"D\"",
            "E = \"Z\"",
            "amp_asco_cap_2017.toml",
        ),
        (
            "amp_asco_cap_2017.toml",
            "other = { A = \"C\"",
            "other = { A = \"A\", X = \"C\"",
            "amp_asco_cap_2017.toml",
        ),
        (
            "amp_asco_cap_2017.toml",
            "population_af_at_least = 0.01",
            "population_af_at_least = 1.5",
            "frequency",
        ),
        (
            "amp_asco_cap_2017.toml",
            "clinvar_min_review_stars = 2",
            "clinvar_min_review_stars = 5",
            "0 to 4 stars",
        ),
        (
            "amp_asco_cap_2017.toml",
            "levels = { A = \"I\", B = \"I\"",
            "levels = { A = \"III\", B = \"I\"",
            "Tier I or II",
        ),
        (
            "clingen_cgc_vicc_2022.toml",
            "max_points = 9",
            "max_points = 8",
            "max_points must be 9",
        ),
        (
            "clingen_cgc_vicc_2022.toml",
            "[criteria.OP4]",
            "[criteria.OP5]",
            "OP5",
        ),
        (
            "clingen_cgc_vicc_2022.toml",
            "points = -8",
            "points = 8",
            "benign ones below",
        ),
        (
            "clingen_cgc_vicc_2022.toml",
            "excluded_by = [\"SBVS1\"]",
            "excluded_by = [\"XYZ\"]",
            "unknown criterion XYZ",
        ),
        (
            "clingen_cgc_vicc_2022.toml",
            "min_residue_count = 50\n",
            "",
            "min_residue_count",
        ),
        (
            "acmg_amp_2015.toml",
            "class = \"Likely benign\"\nbs = 1",
            "class = \"Probably benign\"\nbs = 1",
            "Probably benign",
        ),
        (
            "acmg_amp_2015.toml",
            "strength = \"stand_alone\"",
            "strength = \"moderate\"",
            "benign criteria",
        ),
        (
            "acmg_amp_2015.toml",
            "excluded_by = [\"BA1\"]",
            "excluded_by = [\"BP6\"]",
            "evaluated after",
        ),
        (
            "common.toml",
            "\"stop_gained\",",
            "\"stop_gain\",",
            "stop_gain",
        ),
        (
            "tmb.toml",
            "\"missense_variant\",",
            "\"missense\",",
            "missense",
        ),
        (
            "genes.toml",
            "\"BRCA1\", \"BRCA2\", \"BRIP1\", \"CASP8\"",
            "\"BRCA1 \", \"BRCA2\", \"BRIP1\", \"CASP8\"",
            "not a gene symbol",
        ),
        (
            "tmb.toml",
            "citation = \"Chalmers et al. 2017 (coding",
            "citation = \" \" # (coding",
            "citation is empty",
        ),
    ];
    for (file, from, to, expected) in cases {
        let e = load_error(file, from, to);
        assert!(e.contains(file), "{e}");
        assert!(
            e.contains(expected),
            "{file}: {from} → {to}: `{e}` lacks `{expected}`"
        );
    }
}

#[test]
fn a_missing_rules_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = RuleSet::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("common.toml") && e.contains("cannot read"),
        "{e}"
    );
    let e = RuleSet::load(&dir.path().join("nope"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("rules directory not found"), "{e}");
}
