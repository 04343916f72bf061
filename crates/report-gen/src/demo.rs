//! SYNTHETIC input streams, built in code: the demo sample (to try the
//! report, and for the tests and the browser check) and large streams of
//! made-up variants for the benchmark.
//!
//! The demo sample follows `assets/demo/samples/DEMO-MEL.strelka2.snvs.vcf`
//! on the synthetic demo genome (transcripts `DEMOT...`). Its evidence,
//! classifications and rule traces are invented to exercise every part of
//! the report; the ClinVar/CIViC/PubMed identifiers are illustrative and
//! must not be read as curated evidence.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use variant_model::GenomicAllele;
use variant_model::classification::{
    AmpCall, AmpLevel, AmpTier, Classification, CriteriaCall, CriterionHit, EvidenceRef, RuleFiring,
};
use variant_model::consequence::{FeatureNumber, SoTerm, Strand, TranscriptConsequence};
use variant_model::evidence::{Disease, Evidence, KbMatch, MatchLevel, PopulationFrequency};
use variant_model::record::{
    BundleRef, SCHEMA_VERSION, SampleCall, StreamHeader, StreamLine, StreamSummary, TmbSummary,
    ToolRun, VariantRecord,
};

const RULES_FILE: &str = "rules/amp-asco-cap-2017.toml@demo";
const AMP_CITATION: &str = "Li et al., J Mol Diagn 2017;19(1):4-23";
const ONCOGENICITY_CITATION: &str = "Horak et al., Genet Med 2022;24(5):986-998";

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn header(sample: &str, tumour: Disease) -> StreamHeader {
    StreamHeader {
        schema_version: SCHEMA_VERSION.to_string(),
        sample: Some(sample.to_string()),
        genome_build: Some("GRCh38".to_string()),
        provenance: vec![
            ToolRun {
                tool: "vcf-annotate".into(),
                version: "0.1.0".into(),
                params: params(&[
                    ("reference", "demo genome.fa.gz"),
                    ("gene_model", "demo genes.gff3"),
                    ("pick_order", "mane_select,canonical,biotype,length"),
                ]),
            },
            ToolRun {
                tool: "kb-lookup".into(),
                version: "0.1.0".into(),
                params: params(&[("bundle", "demo-2026.11")]),
            },
            ToolRun {
                tool: "rule-tier".into(),
                version: "0.1.0".into(),
                params: params(&[
                    ("rules", RULES_FILE),
                    (
                        "tumour_type",
                        tumour.oncotree.as_deref().unwrap_or(&tumour.name),
                    ),
                    ("target_size_mb", "1.2"),
                ]),
            },
        ],
        bundle: Some(BundleRef {
            version: "demo-2026.11".into(),
            genome_build: "GRCh38".into(),
            manifest_sha256: Sha256::digest(b"SYNTHETIC demo bundle manifest")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            redistributable: true,
            // Its records cite real CIViC/ClinVar ids, so links stay.
            synthetic_sources: Vec::new(),
        }),
        tumour_type: Some(tumour),
        analysis_date: Some("2026-11-23".into()),
        normal_sample: Some("NORMAL".into()),
        caller: Some(variant_model::record::CallerRef {
            name: "mutect2".into(),
            evidence: "##source=Mutect2".into(),
            roles_from: Some("##tumor_sample/##normal_sample".into()),
        }),
    }
}

fn melanoma() -> Disease {
    Disease {
        name: "Melanoma".into(),
        doid: Some("DOID:1909".into()),
        oncotree: Some("MEL".into()),
    }
}

struct Csq<'a> {
    gene: &'a str,
    number: u32,
    terms: &'a [SoTerm],
    hgvsc: &'a str,
    hgvsp: Option<&'a str>,
    exon: Option<(u32, u32)>,
    strand: Strand,
}

fn consequence(c: Csq<'_>) -> TranscriptConsequence {
    TranscriptConsequence {
        allele: String::new(),
        consequences: c.terms.to_vec(),
        impact: c.terms.iter().min().map(|t| t.impact()),
        symbol: Some(c.gene.into()),
        symbol_source: Some("HGNC".into()),
        feature_type: Some("Transcript".into()),
        feature: Some(format!("DEMOT{:08}", c.number)),
        biotype: Some("protein_coding".into()),
        exon: c.exon.map(|(n, total)| FeatureNumber {
            first: n,
            last: n,
            total,
        }),
        hgvsc: Some(format!("DEMOT{:08}:{}", c.number, c.hgvsc)),
        hgvsp: c.hgvsp.map(|p| format!("DEMOP{:08}:{p}", c.number)),
        strand: Some(c.strand),
        pick: true,
        canonical: true,
        source: Some("demo".into()),
        ..Default::default()
    }
}

fn tumour_normal(alt: u32, depth: u32, normal_depth: u32) -> Vec<SampleCall> {
    vec![
        SampleCall {
            sample: "TUMOR".into(),
            role: Some("tumor".into()),
            genotype: None,
            alt_depth: Some(alt),
            total_depth: Some(depth),
            vaf: Some(f64::from(alt) / f64::from(depth)),
        },
        SampleCall {
            sample: "NORMAL".into(),
            role: Some("normal".into()),
            genotype: None,
            alt_depth: Some(0),
            total_depth: Some(normal_depth),
            vaf: Some(0.0),
        },
    ]
}

struct Ev<'a> {
    source: &'a str,
    id: &'a str,
    level: MatchLevel,
    term: &'a str,
    significance: &'a str,
    kind: &'a str,
    evidence_level: Option<&'a str>,
    therapies: &'a [&'a str],
    disease: Option<Disease>,
    pmids: &'a [&'a str],
}

fn kb(e: Ev<'_>) -> KbMatch {
    KbMatch {
        source: e.source.into(),
        source_version: Some("demo-2026.11".into()),
        record_id: e.id.into(),
        level: e.level,
        matched_term: Some(e.term.into()),
        transcript: None,
        on_picked_transcript: Some(true),
        evidence: Evidence {
            clinical_significance: Some(e.significance.into()),
            evidence_type: Some(e.kind.into()),
            evidence_level: e.evidence_level.map(str::to_string),
            direction: Some("supports".into()),
            therapies: e.therapies.iter().map(|t| t.to_string()).collect(),
            disease: e.disease,
            pmids: e.pmids.iter().map(|p| p.to_string()).collect(),
            description: Some("SYNTHETIC demo evidence record.".into()),
            redistributable: Some(true),
            ..Default::default()
        },
    }
}

fn firing(rule: &str, citation: &str, explanation: &str, evidence: &[(&str, &str)]) -> RuleFiring {
    RuleFiring {
        rule_id: rule.into(),
        rules_file: RULES_FILE.into(),
        citation: Some(citation.into()),
        explanation: explanation.into(),
        evidence: evidence
            .iter()
            .map(|(source, id)| EvidenceRef {
                source: source.to_string(),
                record_id: id.to_string(),
            })
            .collect(),
    }
}

fn criteria(
    class: &str,
    points: Option<i32>,
    hits: &[(&str, Option<&str>, Option<i32>)],
) -> CriteriaCall {
    CriteriaCall {
        class: class.into(),
        points,
        criteria: hits
            .iter()
            .map(|(code, strength, points)| CriterionHit {
                code: code.to_string(),
                strength: strength.map(str::to_string),
                points: *points,
            })
            .collect(),
    }
}

fn amp(tier: AmpTier, level: Option<AmpLevel>) -> Option<AmpCall> {
    Some(AmpCall { tier, level })
}

fn variant(chrom: &str, pos: u64, r: &str, a: &str) -> VariantRecord {
    let mut record = VariantRecord::new(GenomicAllele::new(chrom, pos, r, a));
    record.filters.push("PASS".into());
    record
}

/// The demo sample DEMO-MEL: a melanoma with BRAF p.V600E (Tier I), three
/// Tier II findings, one Tier III and two Tier IV variants.
pub fn demo_stream() -> Vec<StreamLine> {
    let mut lines = vec![StreamLine::Header(header("DEMO-MEL", melanoma()))];
    let mel = || Some(melanoma());

    let mut braf = variant("7", 140753336, "A", "T");
    braf.calls = tumour_normal(37, 90, 62);
    braf.consequences = vec![consequence(Csq {
        gene: "BRAF",
        number: 1,
        terms: &[SoTerm::MissenseVariant],
        hgvsc: "c.1799T>A",
        hgvsp: Some("p.Val600Glu"),
        exon: Some((15, 18)),
        strand: Strand::Reverse,
    })];
    braf.kb_matches = vec![
        kb(Ev {
            source: "civic",
            id: "EID95",
            level: MatchLevel::ProteinChange,
            term: "BRAF V600E",
            significance: "Sensitivity/Response",
            kind: "predictive",
            evidence_level: Some("A"),
            therapies: &["Vemurafenib"],
            disease: mel(),
            pmids: &["21639808"],
        }),
        kb(Ev {
            source: "civic",
            id: "EID1409",
            level: MatchLevel::ProteinChange,
            term: "BRAF V600E",
            significance: "Sensitivity/Response",
            kind: "predictive",
            evidence_level: Some("A"),
            therapies: &["Dabrafenib + Trametinib"],
            disease: mel(),
            pmids: &["22735384"],
        }),
        kb(Ev {
            source: "clinvar",
            id: "13961",
            level: MatchLevel::ExactAllele,
            term: "NM_004333.6(BRAF):c.1799T>A (p.Val600Glu)",
            significance: "Pathogenic",
            kind: "oncogenic",
            evidence_level: None,
            therapies: &[],
            disease: None,
            pmids: &[],
        }),
    ];
    braf.kb_matches[2].evidence.review_stars = Some(2);
    braf.kb_matches[2].evidence.review_status =
        Some("criteria provided, multiple submitters, no conflicts".into());
    braf.classification = Some(Classification {
        amp: amp(AmpTier::I, Some(AmpLevel::A)),
        oncogenicity: Some(criteria(
            "Oncogenic",
            Some(12),
            &[
                ("OS1", Some("strong"), Some(4)),
                ("OS3", Some("strong"), Some(4)),
                ("OM3", Some("moderate"), Some(2)),
                ("OP4", Some("supporting"), Some(1)),
                ("OP1", Some("supporting"), Some(1)),
            ],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![
            firing(
                "AMP-I-A-same-tumour",
                AMP_CITATION,
                "Level A predictive evidence (sensitivity) for this exact protein change in the patient's tumour type (melanoma) → Tier I, level A.",
                &[("civic", "EID95"), ("civic", "EID1409")],
            ),
            firing(
                "ONC-OS3-hotspot",
                ONCOGENICITY_CITATION,
                "Located in a well-established cancer hotspot (BRAF V600) → OS3 (+4).",
                &[("clinvar", "13961")],
            ),
        ],
    });

    let mut pten = variant("10", 87933147, "C", "T");
    pten.calls = tumour_normal(40, 65, 55);
    pten.consequences = vec![consequence(Csq {
        gene: "PTEN",
        number: 7,
        terms: &[SoTerm::StopGained],
        hgvsc: "c.388C>T",
        hgvsp: Some("p.Arg130Ter"),
        exon: Some((5, 9)),
        strand: Strand::Forward,
    })];
    pten.kb_matches = vec![kb(Ev {
        source: "civic",
        id: "EID7651",
        level: MatchLevel::Gene,
        term: "PTEN loss-of-function",
        significance: "Sensitivity/Response",
        kind: "predictive",
        evidence_level: Some("B"),
        therapies: &["Capivasertib + Fulvestrant"],
        disease: Some(Disease {
            name: "Breast cancer".into(),
            doid: Some("DOID:1612".into()),
            oncotree: Some("BRCA".into()),
        }),
        pmids: &["37256976"],
    })];
    pten.classification = Some(Classification {
        amp: amp(AmpTier::II, Some(AmpLevel::C)),
        oncogenicity: Some(criteria(
            "Likely oncogenic",
            Some(9),
            &[
                ("OVS1", Some("very strong"), Some(8)),
                ("OP4", Some("supporting"), Some(1)),
            ],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![firing(
            "AMP-II-C-other-tumour",
            AMP_CITATION,
            "Predictive evidence for PTEN loss-of-function exists in another tumour type (breast cancer) → Tier II, level C.",
            &[("civic", "EID7651")],
        )],
    });

    let mut tp53 = variant("17", 7675088, "C", "T");
    tp53.calls = tumour_normal(44, 80, 70);
    tp53.consequences = vec![consequence(Csq {
        gene: "TP53",
        number: 3,
        terms: &[SoTerm::MissenseVariant],
        hgvsc: "c.524G>A",
        hgvsp: Some("p.Arg175His"),
        exon: Some((5, 11)),
        strand: Strand::Reverse,
    })];
    tp53.kb_matches = vec![kb(Ev {
        source: "cancerhotspots",
        id: "TP53:R175",
        level: MatchLevel::Codon,
        term: "TP53 R175",
        significance: "Hotspot",
        kind: "hotspot",
        evidence_level: None,
        therapies: &[],
        disease: None,
        pmids: &["26619011"],
    })];
    tp53.kb_matches[0].evidence.hotspot_count = Some(1237);
    tp53.classification = Some(Classification {
        amp: amp(AmpTier::II, Some(AmpLevel::D)),
        oncogenicity: Some(criteria(
            "Oncogenic",
            Some(11),
            &[
                ("OS3", Some("strong"), Some(4)),
                ("OS2", Some("strong"), Some(4)),
                ("OM1", Some("moderate"), Some(2)),
                ("OP4", Some("supporting"), Some(1)),
            ],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![firing(
            "AMP-II-D-prognostic",
            AMP_CITATION,
            "Recurrent hotspot with prognostic significance reported in several tumour types → Tier II, level D.",
            &[("cancerhotspots", "TP53:R175")],
        )],
    });

    let mut idh1 = variant("2", 208248388, "C", "T");
    idh1.calls = tumour_normal(21, 70, 70);
    idh1.consequences = vec![consequence(Csq {
        gene: "IDH1",
        number: 6,
        terms: &[SoTerm::MissenseVariant],
        hgvsc: "c.395G>A",
        hgvsp: Some("p.Arg132His"),
        exon: Some((4, 10)),
        strand: Strand::Reverse,
    })];
    idh1.kb_matches = vec![kb(Ev {
        source: "civic",
        id: "AID9",
        level: MatchLevel::ProteinChange,
        term: "IDH1 R132H",
        significance: "Sensitivity/Response",
        kind: "predictive",
        evidence_level: Some("A"),
        therapies: &["Ivosidenib"],
        disease: Some(Disease {
            name: "Cholangiocarcinoma".into(),
            doid: Some("DOID:4947".into()),
            oncotree: Some("CHOL".into()),
        }),
        pmids: &["32416072"],
    })];
    idh1.classification = Some(Classification {
        amp: amp(AmpTier::II, Some(AmpLevel::C)),
        oncogenicity: Some(criteria(
            "Oncogenic",
            Some(10),
            &[
                ("OS3", Some("strong"), Some(4)),
                ("OS1", Some("strong"), Some(4)),
                ("OM3", Some("moderate"), Some(2)),
            ],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![firing(
            "AMP-II-C-other-tumour",
            AMP_CITATION,
            "FDA-approved therapy for this variant in another tumour type (cholangiocarcinoma) → Tier II, level C.",
            &[("civic", "AID9")],
        )],
    });

    let mut splice = variant("10", 87933252, "G", "A");
    splice.calls = tumour_normal(22, 60, 50);
    splice.consequences = vec![consequence(Csq {
        gene: "PTEN",
        number: 7,
        terms: &[SoTerm::SpliceDonorVariant],
        hgvsc: "c.492+1G>A",
        hgvsp: None,
        exon: None,
        strand: Strand::Forward,
    })];
    splice.classification = Some(Classification {
        amp: amp(AmpTier::III, None),
        oncogenicity: Some(criteria(
            "VUS",
            Some(4),
            &[("OVS1", Some("moderate"), Some(4))],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![firing(
            "AMP-III-no-evidence",
            AMP_CITATION,
            "Predicted loss-of-function in a tumour suppressor, but no clinical evidence for this variant → Tier III.",
            &[],
        )],
    });

    let mut synonymous = variant("7", 140753332, "T", "C");
    synonymous.calls = tumour_normal(17, 68, 60);
    synonymous.consequences = vec![consequence(Csq {
        gene: "BRAF",
        number: 1,
        terms: &[SoTerm::SynonymousVariant],
        hgvsc: "c.1803A>G",
        hgvsp: Some("p.Lys601="),
        exon: Some((15, 18)),
        strand: Strand::Reverse,
    })];
    synonymous.classification = Some(Classification {
        amp: amp(AmpTier::IV, None),
        oncogenicity: Some(criteria(
            "Likely benign",
            Some(-1),
            &[("SBP1", Some("supporting"), Some(-1))],
        )),
        acmg: None,
        likely_germline: None,
        trace: vec![firing(
            "AMP-IV-silent",
            AMP_CITATION,
            "Synonymous change outside splice regions with no evidence of significance → Tier IV.",
            &[],
        )],
    });

    let mut polymorphism = variant("17", 7676154, "G", "C");
    polymorphism.filters = vec!["LowEVS".into()];
    polymorphism.ids = vec!["rs1042522".into()];
    polymorphism.calls = tumour_normal(40, 80, 80);
    polymorphism.calls[1].alt_depth = Some(39);
    polymorphism.calls[1].vaf = Some(39.0 / 80.0);
    polymorphism.consequences = vec![consequence(Csq {
        gene: "TP53",
        number: 3,
        terms: &[SoTerm::MissenseVariant],
        hgvsc: "c.215C>G",
        hgvsp: Some("p.Pro72Arg"),
        exon: Some((4, 11)),
        strand: Strand::Reverse,
    })];
    let mut gnomad = kb(Ev {
        source: "gnomad",
        id: "17-7676154-G-C",
        level: MatchLevel::ExactAllele,
        term: "17-7676154-G-C",
        significance: "Common population variant",
        kind: "population",
        evidence_level: None,
        therapies: &[],
        disease: None,
        pmids: &[],
    });
    gnomad.evidence.population = Some(PopulationFrequency {
        af: Some(0.6619),
        grpmax_af: Some(0.7412),
        grpmax_group: Some("afr".into()),
        ..Default::default()
    });
    polymorphism.kb_matches = vec![gnomad];
    polymorphism.classification = Some(Classification {
        amp: amp(AmpTier::IV, None),
        oncogenicity: Some(criteria(
            "Benign",
            Some(-8),
            &[("SBVS1", Some("very strong"), Some(-8))],
        )),
        acmg: Some(criteria(
            "Benign",
            None,
            &[("BA1", Some("stand-alone"), None)],
        )),
        likely_germline: None,
        trace: vec![firing(
            "AMP-IV-common",
            AMP_CITATION,
            "Population allele frequency above 1% (gnomAD grpmax 0.74) → Tier IV, benign.",
            &[("gnomad", "17-7676154-G-C")],
        )],
    });

    for record in [braf, pten, tp53, idh1, splice, synonymous, polymorphism] {
        lines.push(StreamLine::Variant(record));
    }
    lines.push(StreamLine::Summary(StreamSummary {
        records_read: 8,
        alleles_written: 7,
        filtered: BTreeMap::from([("unknown_contig".to_string(), 1)]),
        counts: BTreeMap::from([("ref_mismatch".to_string(), 0)]),
        unmatched_contigs: BTreeMap::from([("chrUn_KI270742v1".to_string(), 1)]),
        germline_screen: None,
        classifications: BTreeMap::from([
            (
                "amp_tier".to_string(),
                BTreeMap::from([
                    ("I".to_string(), 1),
                    ("II".to_string(), 3),
                    ("III".to_string(), 1),
                    ("IV".to_string(), 2),
                ]),
            ),
            (
                "oncogenicity".to_string(),
                BTreeMap::from([
                    ("Oncogenic".to_string(), 3),
                    ("Likely oncogenic".to_string(), 1),
                    ("VUS".to_string(), 1),
                    ("Likely benign".to_string(), 1),
                    ("Benign".to_string(), 1),
                ]),
            ),
        ]),
        tmb: Some(TmbSummary {
            target_size_mb: 1.2,
            min_vaf: 0.05,
            min_depth: 20,
            counted_consequences: vec!["missense_variant".into(), "stop_gained".into()],
            variants_counted: 4,
            mutations_per_mb: 3.33,
            excluded: BTreeMap::from([
                ("filter".to_string(), 1),
                ("not_coding_nonsynonymous".to_string(), 2),
            ]),
        }),
    }));
    lines
}

/// The demo stream as JSON Lines.
pub fn demo_jsonl() -> String {
    to_jsonl(&demo_stream())
}

const GENES: &[&str] = &[
    "ABL1", "AKT1", "ALK", "APC", "ARID1A", "ATM", "BRAF", "BRCA1", "BRCA2", "CDH1", "CDKN2A",
    "CTNNB1", "EGFR", "ERBB2", "ESR1", "FBXW7", "FGFR1", "FGFR2", "FGFR3", "GNAQ", "HRAS", "IDH1",
    "IDH2", "JAK2", "KIT", "KMT2D", "KRAS", "MAP2K1", "MET", "MLH1", "MTOR", "MYC", "NF1",
    "NOTCH1", "NRAS", "PDGFRA", "PIK3CA", "PTEN", "RB1", "RET", "ROS1", "SMAD4", "STK11", "TERT",
    "TP53", "TSC2", "VHL",
];

/// A SYNTHETIC stream of `n` made-up variants spread over tiers (about 1 %
/// Tier I, 4 % Tier II, 45 % Tier III, 50 % Tier IV), with evidence, rule
/// traces and a few unclassified variants: the benchmark's input. The same
/// `n` always gives the same stream.
pub fn synthetic_stream(n: usize) -> Vec<StreamLine> {
    const TERMS: &[SoTerm] = &[
        SoTerm::MissenseVariant,
        SoTerm::SynonymousVariant,
        SoTerm::IntronVariant,
        SoTerm::StopGained,
        SoTerm::FrameshiftVariant,
        SoTerm::ThreePrimeUtrVariant,
        SoTerm::SpliceRegionVariant,
        SoTerm::InframeDeletion,
        SoTerm::MissenseVariant,
        SoTerm::UpstreamGeneVariant,
    ];
    const AA: &[&str] = &[
        "Ala", "Arg", "Gly", "Val", "Glu", "Leu", "Ser", "Thr", "Pro", "Cys",
    ];
    let mut header = header("SYNTH-BENCH", melanoma());
    header.sample = Some(format!("SYNTH-{n}"));
    let mut lines = vec![StreamLine::Header(header)];
    for i in 0..n {
        // Cheap deterministic mixing so neighbouring variants differ.
        let h = (i as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(17);
        let gene = GENES[(h % GENES.len() as u64) as usize];
        let chrom = ((h >> 8) % 22 + 1).to_string();
        let pos = 1_000_000 + (i as u64) * 1_731 + (h >> 40) % 1_000;
        let term = TERMS[((h >> 16) % TERMS.len() as u64) as usize];
        let (r, a) = ["A", "C", "G", "T"]
            .iter()
            .zip(["G", "T", "A", "C"])
            .nth(((h >> 24) % 4) as usize)
            .expect("four bases");
        let mut record = variant(&chrom, pos, r, a);
        let depth = 40 + ((h >> 32) % 400) as u32;
        let alt = 1 + ((h >> 12) % u64::from(depth)) as u32;
        record.calls = tumour_normal(alt, depth, 60);
        let codon = 1 + (h >> 20) % 900;
        let hgvsp = matches!(term, SoTerm::MissenseVariant | SoTerm::StopGained).then(|| {
            let from = ((h >> 3) % AA.len() as u64) as usize;
            let to = if term == SoTerm::StopGained {
                "Ter"
            } else {
                AA[(from + 1 + ((h >> 5) % 9) as usize) % AA.len()]
            };
            format!("p.{}{codon}{to}", AA[from])
        });
        let hgvsc = format!("c.{}{r}>{a}", codon * 3 - 1);
        record.consequences = vec![consequence(Csq {
            gene,
            number: 100 + (h % 500) as u32,
            terms: &[term],
            hgvsc: &hgvsc,
            hgvsp: hgvsp.as_deref(),
            exon: Some((1 + (codon % 10) as u32, 11)),
            strand: if h & 1 == 0 {
                Strand::Forward
            } else {
                Strand::Reverse
            },
        })];
        let bucket = h % 100;
        let (tier, level) = match bucket {
            0 => (Some(AmpTier::I), Some(AmpLevel::A)),
            1..=4 => (Some(AmpTier::II), Some(AmpLevel::C)),
            5..=49 => (Some(AmpTier::III), None),
            50..=98 => (Some(AmpTier::IV), None),
            _ => (None, None),
        };
        if bucket < 5 {
            let id = format!("EID{}", 1000 + h % 9000);
            let pmid = (20_000_000 + h % 10_000_000).to_string();
            record.kb_matches.push(kb(Ev {
                source: "civic",
                id: &id,
                level: MatchLevel::ProteinChange,
                term: gene,
                significance: "Sensitivity/Response",
                kind: "predictive",
                evidence_level: Some(if bucket == 0 { "A" } else { "C" }),
                therapies: &["Therapy X", "Therapy Y"],
                disease: Some(melanoma()),
                pmids: &[&pmid],
            }));
            record.kb_matches.push(kb(Ev {
                source: "clinvar",
                id: &(h % 1_000_000).to_string(),
                level: MatchLevel::ExactAllele,
                term: gene,
                significance: "Pathogenic",
                kind: "oncogenic",
                evidence_level: None,
                therapies: &[],
                disease: None,
                pmids: &[],
            }));
        }
        if let Some(tier) = tier {
            let fired = 1 + (h % 3) as usize;
            record.classification = Some(Classification {
                amp: amp(tier, level),
                oncogenicity: Some(criteria(
                    "VUS",
                    Some(2),
                    &[("OM4", Some("moderate"), Some(2))],
                )),
                acmg: None,
                likely_germline: None,
                trace: (0..fired)
                    .map(|k| {
                        firing(
                            &format!("SYNTH-RULE-{k}"),
                            AMP_CITATION,
                            "Synthetic rule firing for the benchmark.",
                            &[],
                        )
                    })
                    .collect(),
            });
        }
        lines.push(StreamLine::Variant(record));
    }
    lines.push(StreamLine::Summary(StreamSummary {
        records_read: n as u64,
        alleles_written: n as u64,
        filtered: BTreeMap::new(),
        ..Default::default()
    }));
    lines
}

/// Stream lines as JSON Lines text.
pub fn to_jsonl(lines: &[StreamLine]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(&serde_json::to_string(line).expect("stream lines serialise"));
        text.push('\n');
    }
    text
}
