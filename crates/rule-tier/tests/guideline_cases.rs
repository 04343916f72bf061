//! Well-known variants × tumour types with the classification the
//! guidelines give them, written from the guidelines (Li et al. 2017 Fig. 2;
//! Horak et al. 2022 Tables 2-3; Richards et al. 2015 Tables 3-5) and the
//! evidence levels the knowledge bases state, not from rule-tier's output.
//! Each case names the rule that must fire.

mod common;

use common::*;
use variant_model::SoTerm::*;
use variant_model::VariantRecord;
use variant_model::classification::{AmpLevel, AmpTier, Classification};
use variant_model::evidence::MatchLevel::{Codon, ExactAllele, Gene, ProteinChange, Region};

struct AmpCase {
    name: &'static str,
    tumour: &'static str,
    record: VariantRecord,
    tier: AmpTier,
    level: Option<AmpLevel>,
    rule: &'static str,
    /// A phrase the firing rule's explanation must contain.
    because: Option<&'static str>,
}

fn melanoma() -> variant_model::evidence::Disease {
    doid("Melanoma", "DOID:1909")
}
fn nsclc() -> variant_model::evidence::Disease {
    doid("Lung Non-small Cell Carcinoma", "DOID:3908")
}
fn aml() -> variant_model::evidence::Disease {
    doid("Acute Myeloid Leukemia", "9119")
}

fn amp_cases() -> Vec<AmpCase> {
    use AmpLevel::*;
    use AmpTier::*;
    let braf = || variant("BRAF", MissenseVariant, Some("V600E"));
    let braf_mel_a = || civic("EID95", "A", melanoma(), ProteinChange, "BRAF V600E");
    vec![
        AmpCase {
            name: "BRAF V600E melanoma, CIViC level A in melanoma",
            tumour: "MEL",
            record: with(braf(), vec![braf_mel_a()]),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: Some("same tumour type"),
        },
        AmpCase {
            name: "BRAF V600E cutaneous melanoma, evidence stated for melanoma (parent type)",
            tumour: "SKCM",
            record: with(braf(), vec![braf_mel_a()]),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: Some("via MEL"),
        },
        AmpCase {
            name: "BRAF V600E colon adenocarcinoma, OncoKB level 1 in colorectal cancer",
            tumour: "COAD",
            record: with(
                braf(),
                vec![oncokb(
                    "1",
                    oncotree("Colorectal Cancer", "COADREAD"),
                    ProteinChange,
                    "V600E",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: Some("via COADREAD"),
        },
        AmpCase {
            name: "BRAF V600E lung adenocarcinoma, CIViC level A in NSCLC (DOID:3908)",
            tumour: "LUAD",
            record: with(
                braf(),
                vec![civic("EID3017", "A", nsclc(), ProteinChange, "BRAF V600E")],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: Some("via NSCLC"),
        },
        AmpCase {
            name: "BRAF V600E prostate: level A only in melanoma → Tier II level C",
            tumour: "PRAD",
            record: with(braf(), vec![braf_mel_a()]),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "BRAF V600E uveal melanoma: cutaneous melanoma evidence is another type",
            tumour: "UM",
            record: with(
                braf(),
                vec![civic(
                    "EID1",
                    "A",
                    doid("Skin Melanoma", "DOID:8923"),
                    ProteinChange,
                    "BRAF V600E",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "KRAS G12C NSCLC (LUAD), OncoKB level 1",
            tumour: "LUAD",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12C")),
                vec![oncokb(
                    "1",
                    oncotree("Non-Small Cell Lung Cancer", "NSCLC"),
                    ProteinChange,
                    "G12C",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "KRAS G12C pancreatic adenocarcinoma: level 1 only in NSCLC → Tier II C",
            tumour: "PAAD",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12C")),
                vec![oncokb(
                    "1",
                    oncotree("Non-Small Cell Lung Cancer", "NSCLC"),
                    ProteinChange,
                    "G12C",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "KRAS G12C colorectal, OncoKB level 3A in this type → Tier I B",
            tumour: "COADREAD",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12C")),
                vec![oncokb(
                    "3A",
                    oncotree("Colorectal Cancer", "COADREAD"),
                    ProteinChange,
                    "G12C",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: None,
        },
        AmpCase {
            name: "EGFR L858R lung adenocarcinoma, CIViC level A in NSCLC",
            tumour: "LUAD",
            record: with(
                variant("EGFR", MissenseVariant, Some("L858R")),
                vec![civic("EID229", "A", nsclc(), ProteinChange, "EGFR L858R")],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "EGFR exon 19 in-frame deletion LUAD, OncoKB level 1 (region match)",
            tumour: "LUAD",
            record: with(
                variant("EGFR", InframeDeletion, None),
                vec![oncokb(
                    "1",
                    oncotree("Non-Small Cell Lung Cancer", "NSCLC"),
                    Region,
                    "Exon 19 in-frame deletions",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "EGFR L858R glioblastoma: NSCLC evidence only → Tier II C",
            tumour: "GBM",
            record: with(
                variant("EGFR", MissenseVariant, Some("L858R")),
                vec![civic("EID229", "A", nsclc(), ProteinChange, "EGFR L858R")],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "EGFR T790M NSCLC, OncoKB R1 (standard-care resistance) → Tier I A",
            tumour: "LUAD",
            record: with(
                variant("EGFR", MissenseVariant, Some("T790M")),
                vec![oncokb(
                    "R1",
                    oncotree("Non-Small Cell Lung Cancer", "NSCLC"),
                    ProteinChange,
                    "T790M",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "PIK3CA H1047R invasive ductal breast carcinoma, OncoKB level 1 in BRCA",
            tumour: "IDC",
            record: with(
                variant("PIK3CA", MissenseVariant, Some("H1047R")),
                vec![oncokb(
                    "1",
                    oncotree("Invasive Breast Carcinoma", "BRCA"),
                    ProteinChange,
                    "H1047R",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "PIK3CA H1047R colon adenocarcinoma: breast level 1 only → Tier II C",
            tumour: "COAD",
            record: with(
                variant("PIK3CA", MissenseVariant, Some("H1047R")),
                vec![oncokb(
                    "1",
                    oncotree("Invasive Breast Carcinoma", "BRCA"),
                    ProteinChange,
                    "H1047R",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "KIT exon 11 in-frame deletion GIST, OncoKB level 1",
            tumour: "GIST",
            record: with(
                variant("KIT", InframeDeletion, None),
                vec![oncokb(
                    "1",
                    oncotree("Gastrointestinal Stromal Tumor", "GIST"),
                    Region,
                    "Exon 11 mutations",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "IDH1 R132H AML, OncoKB level 1",
            tumour: "AML",
            record: with(
                variant("IDH1", MissenseVariant, Some("R132H")),
                vec![oncokb(
                    "1",
                    oncotree("Acute Myeloid Leukemia", "AML"),
                    ProteinChange,
                    "R132H",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "IDH1 R132H glioblastoma, CIViC level B diagnostic in glioma",
            tumour: "GBM",
            record: with(
                variant("IDH1", MissenseVariant, Some("R132H")),
                vec![civic_typed(
                    "EID2",
                    "B",
                    doid("Glioma", "DOID:3070"),
                    ProteinChange,
                    "IDH1 R132H",
                    "Diagnostic",
                    "Supports",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: Some("via DIFG"),
        },
        AmpCase {
            name: "FLT3 D835Y AML, CIViC assertion 'Tier I - Level A' on residue D835",
            tumour: "AML",
            record: with(
                variant("FLT3", MissenseVariant, Some("D835Y")),
                vec![civic(
                    "AID40",
                    "Tier I - Level A",
                    aml(),
                    Codon,
                    "FLT3 D835",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "NPM1 exon 12 frameshift AML, CIViC level B prognostic",
            tumour: "AML",
            record: with(
                variant("NPM1", FrameshiftVariant, None),
                vec![civic_typed(
                    "EID3",
                    "B",
                    aml(),
                    Region,
                    "NPM1 Exon 12 mutation",
                    "Prognostic",
                    "Supports",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: None,
        },
        AmpCase {
            name: "ALK F1174L neuroblastoma, CIViC level C (case study) → Tier II C",
            tumour: "NBL",
            record: with(
                variant("ALK", MissenseVariant, Some("F1174L")),
                vec![civic(
                    "EID4",
                    "C",
                    doid("Neuroblastoma", "DOID:769"),
                    ProteinChange,
                    "ALK F1174L",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("same tumour type"),
        },
        AmpCase {
            name: "TP53 R175H CLL, CIViC level B prognostic",
            tumour: "CLLSLL",
            record: with(
                variant("TP53", MissenseVariant, Some("R175H")),
                vec![civic_typed(
                    "EID5",
                    "B",
                    doid("Chronic Lymphocytic Leukemia", "DOID:1040"),
                    ProteinChange,
                    "TP53 R175H",
                    "Prognostic",
                    "Supports",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: None,
        },
        AmpCase {
            name: "ERBB2 S310F bladder, CIViC level D (preclinical), disease placed by name",
            tumour: "BLCA",
            record: with(
                variant("ERBB2", MissenseVariant, Some("S310F")),
                vec![civic(
                    "EID6",
                    "D",
                    doid("Bladder Carcinoma", "DOID:4007"),
                    ProteinChange,
                    "ERBB2 S310F",
                )],
            ),
            tier: II,
            level: Some(D),
            rule: "amp.tier_ii.level_d",
            because: Some("same tumour type"),
        },
        AmpCase {
            name: "MAP2K1 K57N LUAD, CIViC level E (inferential) → Tier II D",
            tumour: "LUAD",
            record: with(
                variant("MAP2K1", MissenseVariant, Some("K57N")),
                vec![civic("EID7", "E", nsclc(), ProteinChange, "MAP2K1 K57N")],
            ),
            tier: II,
            level: Some(D),
            rule: "amp.tier_ii.level_d",
            because: None,
        },
        AmpCase {
            name: "ALK F1174L lung adenocarcinoma: neuroblastoma level C → level D",
            tumour: "LUAD",
            record: with(
                variant("ALK", MissenseVariant, Some("F1174L")),
                vec![civic(
                    "EID4",
                    "C",
                    doid("Neuroblastoma", "DOID:769"),
                    ProteinChange,
                    "ALK F1174L",
                )],
            ),
            tier: II,
            level: Some(D),
            rule: "amp.tier_ii.level_d",
            because: Some("other tumour type"),
        },
        AmpCase {
            name: "evidence that does not support the association is not used → Tier III",
            tumour: "MEL",
            record: with(
                braf(),
                vec![civic_typed(
                    "EID8",
                    "A",
                    melanoma(),
                    ProteinChange,
                    "BRAF V600E",
                    "Predictive",
                    "Does Not Support",
                )],
            ),
            tier: III,
            level: None,
            rule: "amp.evidence.not_applicable",
            because: Some("does not support"),
        },
        AmpCase {
            name: "BRAF V600E papillary thyroid, CIViC level B stated for cancer (DOID:162)",
            tumour: "THPA",
            record: with(
                braf(),
                vec![civic(
                    "EID9",
                    "B",
                    doid("Cancer", "DOID:162"),
                    ProteinChange,
                    "BRAF V600E",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: Some("via TISSUE"),
        },
        AmpCase {
            name: "level A for a disease the ontology cannot place counts as another type",
            tumour: "MEL",
            record: with(
                braf(),
                vec![civic(
                    "EID10",
                    "A",
                    doid("Solid Tumor", "DOID:999999999"),
                    ProteinChange,
                    "BRAF V600E",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: Some("not in the ontology mapping"),
        },
        AmpCase {
            name: "TP53 P72R (gnomAD grpmax 72%) with prognostic evidence → Tier IV",
            tumour: "BRCA",
            record: with(
                variant("TP53", MissenseVariant, Some("P72R")),
                vec![
                    gnomad(0.72),
                    civic_typed(
                        "EID11",
                        "B",
                        doid("Breast Cancer", "DOID:1612"),
                        ProteinChange,
                        "TP53 P72R",
                        "Prognostic",
                        "Supports",
                    ),
                ],
            ),
            tier: IV,
            level: None,
            rule: "amp.tier_iv.population_af",
            because: Some("≥ 0.01"),
        },
        AmpCase {
            name: "population frequency exactly 1% → Tier IV (threshold inclusive)",
            tumour: "LUAD",
            record: with(
                variant("OR4F5", MissenseVariant, Some("A10T")),
                vec![gnomad(0.01)],
            ),
            tier: IV,
            level: None,
            rule: "amp.tier_iv.population_af",
            because: None,
        },
        AmpCase {
            name: "population frequency 0.9% → not Tier IV, unknown significance",
            tumour: "LUAD",
            record: with(
                variant("OR4F5", MissenseVariant, Some("A10T")),
                vec![gnomad(0.009)],
            ),
            tier: III,
            level: None,
            rule: "amp.tier_iii.no_applicable_evidence",
            because: None,
        },
        AmpCase {
            name: "ClinVar benign with 2 review stars → Tier IV",
            tumour: "COAD",
            record: with(
                variant("APC", SynonymousVariant, None),
                vec![clinvar("VCV1", "Benign", 2, ExactAllele, "APC c.1635G>A")],
            ),
            tier: IV,
            level: None,
            rule: "amp.tier_iv.clinvar_benign",
            because: None,
        },
        AmpCase {
            name: "ClinVar likely benign with 1 star is not enough → Tier III",
            tumour: "COAD",
            record: with(
                variant("APC", SynonymousVariant, None),
                vec![clinvar(
                    "VCV2",
                    "Likely_benign",
                    1,
                    ExactAllele,
                    "APC c.1635G>A",
                )],
            ),
            tier: III,
            level: None,
            rule: "amp.tier_iii.no_applicable_evidence",
            because: None,
        },
        AmpCase {
            name: "ClinVar Benign/Likely_benign with 3 stars → Tier IV",
            tumour: "BRCA",
            record: with(
                variant("BRCA2", MissenseVariant, Some("N372H")),
                vec![clinvar(
                    "VCV3",
                    "Benign/Likely_benign",
                    3,
                    ExactAllele,
                    "BRCA2 N372H",
                )],
            ),
            tier: IV,
            level: None,
            rule: "amp.tier_iv.clinvar_benign",
            because: None,
        },
        AmpCase {
            name: "unknown missense in a non-cancer gene → Tier III",
            tumour: "LUAD",
            record: variant("TTN", MissenseVariant, Some("R100W")),
            tier: III,
            level: None,
            rule: "amp.tier_iii.no_applicable_evidence",
            because: None,
        },
        AmpCase {
            name: "BRCA2 nonsense, OncoKB level 1 'Oncogenic Mutations' in ovarian cancer → Tier I A",
            tumour: "HGSOC",
            record: with(
                variant("BRCA2", StopGained, Some("R3052*")),
                vec![oncokb(
                    "1",
                    oncotree("Ovarian Epithelial Tumor", "OVT"),
                    Gene,
                    "Oncogenic Mutations",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "BRCA2 missense of unknown oncogenicity: gene-level 'Oncogenic Mutations' does not apply",
            tumour: "HGSOC",
            record: with(
                variant("BRCA2", MissenseVariant, Some("R2336H")),
                vec![oncokb(
                    "1",
                    oncotree("Ovarian Epithelial Tumor", "OVT"),
                    Gene,
                    "Oncogenic Mutations",
                )],
            ),
            tier: III,
            level: None,
            rule: "amp.evidence.not_applicable",
            because: Some("needs an oncogenic variant"),
        },
        AmpCase {
            name: "BRAF V600K: a codon match to a V600E record does not apply",
            tumour: "MEL",
            record: with(
                variant("BRAF", MissenseVariant, Some("V600K")),
                vec![civic("EID95", "A", melanoma(), Codon, "BRAF V600E")],
            ),
            tier: III,
            level: None,
            rule: "amp.evidence.not_applicable",
            because: Some("different change at this codon"),
        },
        AmpCase {
            name: "KRAS G12D colorectal, CIViC level B on residue 'KRAS G12'",
            tumour: "COAD",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12D")),
                vec![civic(
                    "EID12",
                    "B",
                    doid("Colorectal Cancer", "DOID:9256"),
                    Codon,
                    "KRAS G12",
                )],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: None,
        },
        AmpCase {
            name: "OncoKB level 3B in this tumour type → Tier II C",
            tumour: "BRCA",
            record: with(
                variant("ERBB2", MissenseVariant, Some("L755S")),
                vec![oncokb(
                    "3B",
                    oncotree("Invasive Breast Carcinoma", "BRCA"),
                    ProteinChange,
                    "L755S",
                )],
            ),
            tier: II,
            level: Some(C),
            rule: "amp.tier_ii.level_c",
            because: None,
        },
        AmpCase {
            name: "OncoKB level 4 → Tier II D",
            tumour: "LUAD",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12V")),
                vec![oncokb(
                    "4",
                    oncotree("Non-Small Cell Lung Cancer", "NSCLC"),
                    ProteinChange,
                    "G12V",
                )],
            ),
            tier: II,
            level: Some(D),
            rule: "amp.tier_ii.level_d",
            because: None,
        },
        AmpCase {
            name: "OncoKB level R2 → Tier II D",
            tumour: "GIST",
            record: with(
                variant("KIT", MissenseVariant, Some("D816V")),
                vec![oncokb(
                    "R2",
                    oncotree("Gastrointestinal Stromal Tumor", "GIST"),
                    ProteinChange,
                    "D816V",
                )],
            ),
            tier: II,
            level: Some(D),
            rule: "amp.tier_ii.level_d",
            because: None,
        },
        AmpCase {
            name: "OncoKB level 2 (guideline) → Tier I A",
            tumour: "SKCM",
            record: with(
                variant("KIT", MissenseVariant, Some("L576P")),
                vec![oncokb(
                    "2",
                    oncotree("Melanoma", "MEL"),
                    ProteinChange,
                    "L576P",
                )],
            ),
            tier: I,
            level: Some(A),
            rule: "amp.tier_i.level_a",
            because: None,
        },
        AmpCase {
            name: "BRAF V600E colorectal: level B here beats level A in melanoma (→ C)",
            tumour: "COAD",
            record: with(
                braf(),
                vec![
                    braf_mel_a(),
                    civic(
                        "EID13",
                        "B",
                        doid("Colorectal Cancer", "DOID:9256"),
                        ProteinChange,
                        "BRAF V600E",
                    ),
                ],
            ),
            tier: I,
            level: Some(B),
            rule: "amp.tier_i.level_b",
            because: None,
        },
        AmpCase {
            name: "TP53 R273H with oncogenicity data but no clinical evidence → Tier III",
            tumour: "LUAD",
            record: with(
                variant("TP53", MissenseVariant, Some("R273H")),
                vec![
                    oncokb_oncogenic(ProteinChange, "R273H", "Oncogenic"),
                    hotspot(Codon, "R273", 600),
                    hotspot(ProteinChange, "R273H", 300),
                ],
            ),
            tier: III,
            level: None,
            rule: "amp.tier_iii.no_applicable_evidence",
            because: None,
        },
    ]
}

fn assert_fired<'c>(
    c: &'c Classification,
    rule: &str,
    case: &str,
) -> &'c variant_model::classification::RuleFiring {
    c.trace
        .iter()
        .find(|f| f.rule_id == rule)
        .unwrap_or_else(|| {
            panic!(
                "{case}: rule {rule} did not fire; fired: {:?}",
                c.trace.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
            )
        })
}

#[test]
fn amp_tiers_of_well_known_variants() {
    let rules = rules();
    let ontology = ontology();
    let cases = amp_cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let classifier = somatic(&rules, &ontology, case.tumour);
        let c = classifier.classify(&case.record);
        let amp = c.amp.as_ref().expect("somatic samples get an AMP tier");
        if amp.tier != case.tier || amp.level != case.level {
            failures.push(format!(
                "{}: expected {:?} {:?}, got {:?} {:?}\n{}",
                case.name,
                case.tier,
                case.level,
                amp.tier,
                amp.level,
                rule_tier::explain::explain(&case.record, "", Some(&c))
            ));
            continue;
        }
        let firing = assert_fired(&c, case.rule, case.name);
        if let Some(phrase) = case.because {
            assert!(
                firing.explanation.contains(phrase),
                "{}: `{}` lacks `{phrase}`",
                case.name,
                firing.explanation
            );
        }
        assert!(firing.rules_file.starts_with("amp_asco_cap_2017.toml@"));
        assert!(
            firing
                .citation
                .as_deref()
                .is_some_and(|c| c.contains("Li et al"))
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

struct PointsCase {
    name: &'static str,
    record: VariantRecord,
    population_looked_up: bool,
    class: &'static str,
    points: i32,
    criteria: &'static [&'static str],
}

fn oncogenicity_cases() -> Vec<PointsCase> {
    vec![
        PointsCase {
            name: "TP53 R196* nonsense in a tumour suppressor, absent from gnomAD: OVS1 + OP4",
            record: variant("TP53", StopGained, Some("R196*")),
            population_looked_up: true,
            class: "Likely oncogenic",
            points: 9,
            criteria: &["OVS1", "OP4"],
        },
        PointsCase {
            name: "KRAS G12C: established oncogenic, hotspot (≥50 at G12, ≥10 G12C), G12D oncogenic, absent",
            record: with(
                variant("KRAS", MissenseVariant, Some("G12C")),
                vec![
                    oncokb_oncogenic(ProteinChange, "G12C", "Oncogenic"),
                    oncokb_oncogenic(Codon, "G12D", "Oncogenic"),
                    hotspot(Codon, "G12", 2175),
                    hotspot(ProteinChange, "G12C", 285),
                ],
            ),
            population_looked_up: true,
            class: "Oncogenic",
            points: 11,
            criteria: &["OS1", "OS3", "OM4", "OP4"],
        },
        PointsCase {
            name: "hotspot with < 50 samples at the residue and ≥ 10 with the change: OM3 (OM4 excluded)",
            record: with(
                variant("MAP2K1", MissenseVariant, Some("K57N")),
                vec![
                    hotspot(Codon, "K57", 30),
                    hotspot(ProteinChange, "K57N", 12),
                    oncokb_oncogenic(Codon, "K57E", "Oncogenic"),
                ],
            ),
            population_looked_up: true,
            class: "VUS",
            points: 3,
            criteria: &["OM3", "OP4"],
        },
        PointsCase {
            name: "hotspot residue with < 10 samples with this change: OP3",
            record: with(
                variant("PIK3CA", MissenseVariant, Some("E545A")),
                vec![
                    hotspot(Codon, "E545", 700),
                    hotspot(ProteinChange, "E545A", 5),
                ],
            ),
            population_looked_up: true,
            class: "VUS",
            points: 2,
            criteria: &["OP3", "OP4"],
        },
        PointsCase {
            name: "in-frame deletion in an oncogene (EGFR): OM2",
            record: variant("EGFR", InframeDeletion, None),
            population_looked_up: true,
            class: "VUS",
            points: 3,
            criteria: &["OM2", "OP4"],
        },
        PointsCase {
            name: "stop-loss in a tumour suppressor (VHL): OM2",
            record: variant("VHL", StopLost, None),
            population_looked_up: true,
            class: "VUS",
            points: 3,
            criteria: &["OM2", "OP4"],
        },
        PointsCase {
            name: "grpmax 7% > 5%: SBVS1 (SBS1 not added)",
            record: with(
                variant("TP53", MissenseVariant, Some("P72R")),
                vec![gnomad(0.07)],
            ),
            population_looked_up: true,
            class: "Benign",
            points: -8,
            criteria: &["SBVS1"],
        },
        PointsCase {
            name: "grpmax 2% > 1%: SBS1",
            record: with(
                variant("TTN", MissenseVariant, Some("R100W")),
                vec![gnomad(0.02)],
            ),
            population_looked_up: true,
            class: "Likely benign",
            points: -4,
            criteria: &["SBS1"],
        },
        PointsCase {
            name: "seen in gnomAD at 0.4%: neither OP4 nor a benign criterion",
            record: with(
                variant("TTN", MissenseVariant, Some("R100W")),
                vec![gnomad(0.004)],
            ),
            population_looked_up: true,
            class: "VUS",
            points: 0,
            criteria: &[],
        },
        PointsCase {
            name: "unknown missense absent from gnomAD: OP4 only",
            record: variant("TTN", MissenseVariant, Some("R100W")),
            population_looked_up: true,
            class: "VUS",
            points: 1,
            criteria: &["OP4"],
        },
        PointsCase {
            name: "no population lookup: absence is not concluded",
            record: variant("TTN", MissenseVariant, Some("R100W")),
            population_looked_up: false,
            class: "VUS",
            points: 0,
            criteria: &[],
        },
        PointsCase {
            name: "splice donor variant in a tumour suppressor (APC) in a population-looked-up stream",
            record: variant("APC", SpliceDonorVariant, None),
            population_looked_up: true,
            class: "Likely oncogenic",
            points: 9,
            criteria: &["OVS1", "OP4"],
        },
        PointsCase {
            name: "nonsense in an oncogene is not OVS1",
            record: variant("KRAS", StopGained, Some("Q22*")),
            population_looked_up: true,
            class: "VUS",
            points: 1,
            criteria: &["OP4"],
        },
    ]
}

#[test]
fn oncogenicity_points_of_well_known_variants() {
    let rules = rules();
    let ontology = ontology();
    for case in oncogenicity_cases() {
        let classifier = rule_tier::Classifier::new(
            &rules,
            Some(&ontology),
            rule_tier::SampleContext {
                sample_type: rule_tier::SampleType::Somatic,
                tumour_type: Some("LUAD".into()),
                population_looked_up: case.population_looked_up,
                tumour_only: rule_tier::germline::TumourOnlyMode::Auto,
            },
        )
        .unwrap();
        let c = classifier.classify(&case.record);
        let onco = c
            .oncogenicity
            .as_ref()
            .expect("somatic samples get oncogenicity");
        let codes: Vec<&str> = onco.criteria.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(
            (onco.class.as_str(), onco.points, codes.as_slice()),
            (case.class, Some(case.points), case.criteria),
            "{}",
            case.name
        );
        for code in case.criteria {
            assert_fired(&c, &format!("onco.{code}"), case.name);
        }
        let class_firing = assert_fired(&c, "onco.class", case.name);
        assert!(
            class_firing
                .explanation
                .contains(&format!("total {} points", case.points))
        );
    }
}

struct GermlineCase {
    name: &'static str,
    record: VariantRecord,
    class: &'static str,
    criteria: &'static [(&'static str, &'static str)],
    rule: &'static str,
}

fn germline_cases() -> Vec<GermlineCase> {
    vec![
        GermlineCase {
            name: "BRCA1 frameshift absent from gnomAD: PVS1 + PM2 → Likely pathogenic (i)",
            record: variant("BRCA1", FrameshiftVariant, None),
            class: "Likely pathogenic",
            criteria: &[("PVS1", "very_strong"), ("PM2", "moderate")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "BRCA1 frameshift, ClinVar pathogenic 3 stars: PVS1 + PM2 + PP5 → Pathogenic (i)(c)",
            record: with(
                variant("BRCA1", FrameshiftVariant, None),
                vec![clinvar(
                    "VCV17661",
                    "Pathogenic",
                    3,
                    ExactAllele,
                    "BRCA1 c.68_69del",
                )],
            ),
            class: "Pathogenic",
            criteria: &[
                ("PVS1", "very_strong"),
                ("PM2", "moderate"),
                ("PP5", "supporting"),
            ],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "grpmax 20%: BA1 stand-alone → Benign",
            record: with(
                variant("MTHFR", MissenseVariant, Some("A222V")),
                vec![gnomad(0.2)],
            ),
            class: "Benign",
            criteria: &[("BA1", "stand_alone")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "grpmax 2% and ClinVar benign 2 stars: BS1 + BP6 → Likely benign",
            record: with(
                variant("BRCA2", MissenseVariant, Some("V2466A")),
                vec![
                    gnomad(0.02),
                    clinvar("VCV4", "Benign", 2, ExactAllele, "BRCA2 V2466A"),
                ],
            ),
            class: "Likely benign",
            criteria: &[("BS1", "strong"), ("BP6", "supporting")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "TP53 R175C next to pathogenic R175H, absent: PM5 + PM2 = 2 moderate → VUS",
            record: with(
                variant("TP53", MissenseVariant, Some("R175C")),
                vec![clinvar("VCV12374", "Pathogenic", 2, Codon, "TP53 R175H")],
            ),
            class: "Uncertain significance",
            criteria: &[("PM2", "moderate"), ("PM5", "moderate")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "same amino-acid change as a pathogenic variant, absent: PS1 + PM2 → Likely pathogenic (ii)",
            record: with(
                variant("TP53", MissenseVariant, Some("R175H")),
                vec![clinvar(
                    "VCV12374",
                    "Pathogenic",
                    2,
                    ProteinChange,
                    "TP53 R175H",
                )],
            ),
            class: "Likely pathogenic",
            criteria: &[("PS1", "strong"), ("PM2", "moderate")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "PS1 + PM2 + PP5: 1 strong, 1 moderate, 1 supporting → Likely pathogenic",
            record: with(
                variant("MLH1", MissenseVariant, Some("R226L")),
                vec![
                    clinvar("VCV5", "Pathogenic", 2, ProteinChange, "MLH1 R226L"),
                    clinvar("VCV6", "Likely_pathogenic", 2, ExactAllele, "MLH1 R226L"),
                ],
            ),
            class: "Likely pathogenic",
            criteria: &[
                ("PS1", "strong"),
                ("PM2", "moderate"),
                ("PP5", "supporting"),
            ],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "BRCA2 nonsense in the last exon: PVS1 at moderate + PM2 → VUS",
            record: in_last_exon(variant("BRCA2", StopGained, Some("K3326*"))),
            class: "Uncertain significance",
            criteria: &[("PVS1", "moderate"), ("PM2", "moderate")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "nonsense in a gene without loss-of-function mechanism: PM2 only → VUS",
            record: variant("TTN", StopGained, Some("R100*")),
            class: "Uncertain significance",
            criteria: &[("PM2", "moderate")],
            rule: "acmg.class",
        },
        GermlineCase {
            name: "pathogenic and benign criteria both reach a class → VUS (contradictory)",
            record: with(
                variant("MLH1", MissenseVariant, Some("R226L")),
                vec![
                    clinvar("VCV5", "Pathogenic", 2, ProteinChange, "MLH1 R226L"),
                    clinvar("VCV7", "Pathogenic", 2, Codon, "MLH1 R226Q"),
                    clinvar("VCV6", "Pathogenic", 2, ExactAllele, "MLH1 R226L"),
                    clinvar("VCV8", "Benign", 2, ExactAllele, "MLH1 R226L"),
                    gnomad(0.02),
                ],
            ),
            class: "Uncertain significance",
            criteria: &[
                ("PS1", "strong"),
                ("PM5", "moderate"),
                ("PP5", "supporting"),
                ("BS1", "strong"),
                ("BP6", "supporting"),
            ],
            rule: "acmg.class.conflicting",
        },
        GermlineCase {
            name: "BRCA1 initiation codon variant: PVS1 at supporting + PM2 → VUS",
            record: variant("BRCA1", StartLost, Some("M1I")),
            class: "Uncertain significance",
            criteria: &[("PVS1", "supporting"), ("PM2", "moderate")],
            rule: "acmg.class",
        },
    ]
}

#[test]
fn acmg_classes_of_well_known_variants() {
    let rules = rules();
    let classifier = germline(&rules);
    for case in germline_cases() {
        let c = classifier.classify(&case.record);
        assert!(c.amp.is_none() && c.oncogenicity.is_none(), "{}", case.name);
        let acmg = c.acmg.as_ref().expect("germline samples get ACMG");
        let got: Vec<(&str, &str)> = acmg
            .criteria
            .iter()
            .map(|h| (h.code.as_str(), h.strength.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            (acmg.class.as_str(), got.as_slice()),
            (case.class, case.criteria),
            "{}",
            case.name
        );
        assert_fired(&c, case.rule, case.name);
    }
}

#[test]
fn at_least_forty_cases_in_total() {
    let total = amp_cases().len() + oncogenicity_cases().len() + germline_cases().len();
    assert!(total >= 40, "{total}");
}
