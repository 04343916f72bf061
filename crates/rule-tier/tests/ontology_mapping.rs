//! The shipped OncoTree ↔ DOID mapping covers the common tumour types and
//! places evidence as the Disease Ontology and OncoTree hierarchies say.

mod common;

use common::*;
use rule_tier::ontology::Relation;
use variant_model::evidence::Disease;

fn by_doid(doid: &str) -> Disease {
    Disease {
        name: String::new(),
        doid: Some(doid.into()),
        oncotree: None,
    }
}

fn applies(doid: &str, sample: &str) -> bool {
    matches!(
        ontology().relation(&by_doid(doid), sample),
        Relation::Same { .. }
    )
}

#[test]
fn common_tumour_types_are_present() {
    let ontology = ontology();
    for code in [
        "TISSUE",
        "LUNG",
        "NSCLC",
        "LUAD",
        "LUSC",
        "SCLC",
        "SKIN",
        "MEL",
        "SKCM",
        "BOWEL",
        "COADREAD",
        "COAD",
        "READ",
        "BREAST",
        "BRCA",
        "IDC",
        "BRAIN",
        "DIFG",
        "GBM",
        "MYELOID",
        "AML",
        "LYMPH",
        "BLL",
        "CLLSLL",
        "THYROID",
        "THPA",
        "OVARY",
        "HGSOC",
        "PROSTATE",
        "PRAD",
        "PANCREAS",
        "PAAD",
        "STOMACH",
        "STAD",
        "BLADDER",
        "BLCA",
        "KIDNEY",
        "RCC",
        "CCRCC",
        "SOFT_TISSUE",
        "GIST",
    ] {
        assert!(ontology.node(code).is_some(), "{code} missing");
    }
}

#[test]
fn evidence_for_a_broader_disease_applies_to_its_subtypes_only() {
    // DOID:162 cancer applies everywhere.
    for sample in ["LUAD", "AML", "GIST", "SKCM", "TISSUE"] {
        assert!(applies("DOID:162", sample), "cancer → {sample}");
    }
    // DOID:3908 lung non-small cell carcinoma.
    assert!(applies("DOID:3908", "LUAD"));
    assert!(applies("DOID:3908", "LUSC"));
    assert!(!applies("DOID:3908", "SCLC"));
    assert!(!applies("DOID:3908", "LUNG"));
    // DOID:9256 colorectal cancer covers colon and rectum.
    assert!(applies("DOID:9256", "COAD") && applies("DOID:9256", "READ"));
    assert!(!applies("DOID:219", "READ"), "colon cancer is not rectal");
    // DOID:1909 melanoma covers cutaneous melanoma, not uveal melanoma
    // (OncoTree places it under the eye).
    assert!(applies("DOID:1909", "SKCM"));
    assert!(!applies("DOID:1909", "UM"));
    // DOID:9952 acute lymphoblastic leukemia covers B and T lineages.
    assert!(applies("DOID:9952", "BLL") && applies("DOID:9952", "TLL"));
    // DOID:3070 glioma covers glioblastoma.
    assert!(applies("DOID:3070", "GBM"));
    // Leukaemia evidence does not apply to solid tumours.
    assert!(!applies("DOID:9119", "LUAD"));
    // An unknown DOID cannot be placed.
    assert_eq!(
        ontology().relation(&by_doid("DOID:0000001"), "LUAD"),
        Relation::Unmapped
    );
}
