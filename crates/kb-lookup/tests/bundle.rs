//! End-to-end tests of `kb-lookup` on small files written here in each
//! source's documented format (no third-party data needed):
//! - ClinVar VCF: <https://www.ncbi.nlm.nih.gov/clinvar/docs/maintenance_use/#vcf>
//!   (ID = VariationID; INFO ALLELEID, CLNSIG, CLNREVSTAT, CLNDN, GENEINFO);
//! - gnomAD v4 sites VCF INFO (AF, AC, AN, nhomalt, AF_grpmax, grpmax);
//! - CIViC nightly TSVs (civic.readthedocs.io "Data releases": VariantSummaries,
//!   MolecularProfileSummaries, ClinicalEvidenceSummaries, AssertionSummaries);
//! - OncoKB allAnnotatedVariants.txt / allActionableVariants.txt columns
//!   (api.oncokb.org utils endpoints);
//! - COSMIC Cancer Mutation Census export columns (cancer.sanger.ac.uk/cmc);
//! - cancerhotspots.org v2 SNV/indel tables.

use std::path::{Path, PathBuf};
use std::process::Command;

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use variant_model::consequence::{FeatureNumber, SoTerm, TranscriptConsequence};
use variant_model::csq::{csq_header_description, format_csq};
use variant_model::evidence::MatchLevel;
use variant_model::record::StreamLine;

/// A synthetic contig: 8 bases, a CAG repeat at 9-23, then unique sequence.
fn contig() -> String {
    let mut s = String::from("ACGTTGCA");
    s.push_str(&"CAG".repeat(5));
    s.push_str("TTGACCTAGGATCCAAGTCGATCGGATTACAGGCATGCAAGCTTGGCACTGGCCGTCGTTTTACAACGTCGTGACTGGGAAAACCCTGGCG");
    s
}

fn base(pos: usize) -> char {
    contig().as_bytes()[pos - 1] as char
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Writes every source file and SOURCES.toml; returns its path.
fn fixture(dir: &Path, created: Option<&str>) -> PathBuf {
    write(dir, "ref.fa", &format!(">chrS synthetic\n{}\n", contig()));
    // ClinVar: an SNV at 30, the CAG deletion written at its 3' end (20),
    // which left-alignment must move to 8, and a record with two ALTs.
    let clinvar = format!(
        "##fileformat=VCFv4.1\n##fileDate=2025-01-06\n##source=ClinVar\n##reference=GRCh38\n\
##INFO=<ID=ALLELEID,Number=1,Type=Integer,Description=\"the ClinVar Allele ID\">\n\
##INFO=<ID=CLNDN,Number=.,Type=String,Description=\"ClinVar's preferred disease name\">\n\
##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"ClinVar review status\">\n\
##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"Aggregate germline classification\">\n\
##INFO=<ID=GENEINFO,Number=1,Type=String,Description=\"Gene(s) for the variant\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
chrS\t20\t1001\tGCAG\tG\t.\t.\tALLELEID=2001;CLNDN=Hereditary_cancer-predisposing_syndrome;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;CLNSIG=Pathogenic;GENEINFO=SYN1:1\n\
chrS\t30\t1002\t{b30}\tA\t.\t.\tALLELEID=2002;CLNDN=not_provided|Lynch_syndrome;CLNREVSTAT=reviewed_by_expert_panel;CLNSIG=Likely_pathogenic;GENEINFO=SYN1:1\n\
chrS\t40\t1003\t{b40}\t{alts40}\t.\t.\tALLELEID=2003;CLNDN=not_provided;CLNREVSTAT=no_assertion_criteria_provided;CLNSIG=Uncertain_significance;GENEINFO=SYN1:1\n",
        b30 = base(30),
        b40 = base(40),
        alts40 = ["A", "C", "G", "T"]
            .into_iter()
            .filter(|b| !b.starts_with(base(40)))
            .take(2)
            .collect::<Vec<_>>()
            .join(","),
    );
    write(dir, "clinvar.vcf", &clinvar);
    let gnomad = format!(
        "##fileformat=VCFv4.2\n##contig=<ID=chrS,length={len}>\n\
##INFO=<ID=AF,Number=A,Type=Float,Description=\"Alternate allele frequency\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
chrS\t30\trs30\t{b30}\tA,T\t.\tPASS\tAC=3,1;AN=1000;AF=0.003,0.001;nhomalt=1,0;AF_grpmax=0.01,0.002;grpmax=afr,nfe\n",
        len = contig().len(),
        b30 = base(30),
    );
    write(dir, "gnomad.vcf", &gnomad);
    write(
        dir,
        "VariantSummaries.tsv",
        "variant_id\tvariant_civic_url\tgene\tentrez_id\tvariant\tsummary\tvariant_groups\tchromosome\tstart\tstop\treference_bases\tvariant_bases\trepresentative_transcript\tensembl_version\treference_build\thgvs_descriptions\tsingle_variant_molecular_profile_id\n\
12\thttps://civicdb.org/variants/12\tBRAF\t673\tV600E\t\t\t7\t140453136\t140453136\tA\tT\tENST00000288602.6\t75\tGRCh37\tNP_004324.2:p.Val600Glu,NM_004333.4:c.1799T>A\t12\n\
133\thttps://civicdb.org/variants/133\tEGFR\t1956\tExon 19 Deletion\t\t\t\t\t\t\t\t\t\t\t\t\t133\n\
33\thttps://civicdb.org/variants/33\tKRAS\t3845\tG12D\t\t\t\t\t\t\t\t\t\t\t\t\t33\n",
    );
    write(
        dir,
        "MolecularProfileSummaries.tsv",
        "name\tmolecular_profile_id\tsummary\tvariant_ids\tvariants_civic_url\tevidence_score\n\
BRAF V600E\t12\t\t12\t\t1\nEGFR Exon 19 Deletion\t133\t\t133\t\t1\nBRAF V600E AND KRAS G12D\t4000\t\t12,33\t\t1\n",
    );
    write(
        dir,
        "ClinicalEvidenceSummaries.tsv",
        "molecular_profile\tmolecular_profile_id\tdisease\tdoid\tphenotypes\ttherapies\ttherapy_interaction_type\tevidence_type\tevidence_direction\tevidence_level\tsignificance\tevidence_statement\tcitation_id\tsource_type\tasco_abstract_id\tcitation\tnct_ids\trating\tevidence_status\tevidence_id\tvariant_origin\n\
BRAF V600E\t12\tMelanoma\t1909\t\tVemurafenib\t\tPredictive\tSupports\tA\tSensitivity/Response\tstatement\t20818844\tPubMed\t\tChapman 2011\t\t5\taccepted\t95\tSomatic\n\
EGFR Exon 19 Deletion\t133\tLung Non-small Cell Carcinoma\t3908\t\tErlotinib\t\tPredictive\tSupports\tA\tSensitivity/Response\tstatement\t19692680\tPubMed\t\tx\t\t5\taccepted\t879\tSomatic\n\
BRAF V600E AND KRAS G12D\t4000\tColorectal Cancer\t9256\t\t\t\tPrognostic\tSupports\tC\tPoor Outcome\tstatement\t1\tPubMed\t\tx\t\t3\taccepted\t5000\tSomatic\n",
    );
    write(
        dir,
        "AssertionSummaries.tsv",
        "molecular_profile\tmolecular_profile_id\tdisease\tdoid\tphenotypes\ttherapies\tassertion_type\tassertion_direction\tsignificance\tacmg_codes\tamp_category\tnccn_guideline\tnccn_guideline_version\tregulatory_approval\tfda_companion_test\tassertion_summary\tassertion_description\tassertion_id\tevidence_item_ids\n\
BRAF V600E\t12\tMelanoma\t1909\t\tDabrafenib,Trametinib\tPredictive\tSupports\tSensitivity/Response\t\tTier I - Level A\t\t\t\t\tsummary\t\t7\t95\n",
    );
    write(
        dir,
        "allAnnotatedVariants.txt",
        "Hugo Symbol\tEntrez Gene ID\tIsoform\tRefSeq\tReference Genome\tAlteration\tProtein Change\tOncogenicity\tMutation Effect\tPMIDs for Mutation Effect\tAbstracts for Mutation Effect\n\
BRAF\t673\tENST00000646891\tNM_004333.4\tGRCh37,GRCh38\tV600E\tp.V600E\tOncogenic\tGain-of-function\t22663011, 12068308\t\n\
TP53\t7157\tENST00000269305\tNM_000546.5\tGRCh37,GRCh38\tTruncating Mutations\t\tLikely Oncogenic\tLikely Loss-of-function\t\t\n\
KRAS\t3845\tENST00000311936\tNM_004985.4\tGRCh37,GRCh38\tOncogenic Mutations\t\tOncogenic\tGain-of-function\t\t\n\
KIT\t3815\tENST00000288135\tNM_000222.2\tGRCh37,GRCh38\tExon 11 mutations\t\tOncogenic\tGain-of-function\t\t\n\
EGFR\t1956\tENST00000275493\tNM_005228.4\tGRCh37,GRCh38\tExon 20 in-frame insertions\t\tOncogenic\tGain-of-function\t\t\n\
ERBB2\t2064\tENST00000269571\tNM_004448.2\tGRCh37,GRCh38\tAmplification\t\tOncogenic\tGain-of-function\t\t\n",
    );
    write(
        dir,
        "allActionableVariants.txt",
        "Isoform\tRefSeq\tEntrez Gene ID\tHugo Symbol\tAlteration\tProtein Change\tCancer Type\tLevel\tDrugs(s)\tPMIDs for drug\tAbstracts for drug\n\
ENST00000646891\tNM_004333.4\t673\tBRAF\tV600E\tp.V600E\tMelanoma\t1\tDabrafenib + Trametinib, Vemurafenib\t25399551\t\n",
    );
    write(
        dir,
        "cmc_export.tsv",
        "GENE_NAME\tACCESSION_NUMBER\tONC_TSG\tCGC_TIER\tMUTATION_URL\tLEGACY_MUTATION_ID\tMutation CDS\tMutation AA\tAA_MUT_START\tAA_MUT_STOP\tGENOMIC_WT_ALLELE_SEQ\tGENOMIC_MUT_ALLELE_SEQ\tMutation Description AA\tGENOMIC_MUTATION_ID\tMutation genome position GRCh37\tMutation genome position GRCh38\tCOSMIC_SAMPLE_MUTATED\tDISEASE\tMUTATION_SIGNIFICANCE_TIER\n\
BRAF\tENST00000646891.2\toncogene\t1\t\tCOSM476\tc.1799T>A\tp.V600E\t600\t600\tA\tT\tSubstitution - Missense\tCOSV56056643\t7:140453136-140453136\t7:140753336-140753336\t60000\tmelanoma\t1\n",
    );
    write(
        dir,
        "snv.tsv",
        "Hugo_Symbol\tAmino_Acid_Position\tlog10_pvalue\tMutation_Count\tReference_Amino_Acid\tVariant_Amino_Acid\tqvalue\tref\n\
KRAS\t12\t-1\t2175\tG:2175\tD:1000\t0\tG\nKRAS\t12\t-1\t2175\tG:2175\tC:300\t0\tG\nTP53\tX187_splice\t-1\t100\tsplice:100\tsplice:100\t0\tsplice\n",
    );
    write(
        dir,
        "indel.tsv",
        "Hugo_Symbol\tAmino_Acid_Position\tlog10_pvalue\tMutation_Count\tReference_Amino_Acid\tVariant_Amino_Acid\tqvalue\n\
EGFR\t745-759\t-1\t500\tELREA:300\tE746_A750del:300\t0\n",
    );
    let created = created
        .map(|c| format!("created = \"{c}\"\n"))
        .unwrap_or_default();
    write(
        dir,
        "SOURCES.toml",
        &format!(
            r#"[bundle]
version = "test-2025.01"
genome_build = "synthetic-1"
{created}
[[source]]
kind = "reference"
name = "genome"
release = "synthetic-1"
licence = "CC0-1.0"
synthetic = true
files = {{ fasta = "ref.fa" }}

[[source]]
kind = "clinvar"
release = "20250106"
licence = "public-domain"
url = "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar_20250106.vcf.gz"
synthetic = true
files = {{ vcf = "clinvar.vcf" }}

[[source]]
kind = "gnomad"
release = "4.1"
licence = "ODC-By-1.0"
synthetic = true
files = {{ vcf = "file://{gnomad}" }}

[[source]]
kind = "civic"
release = "2025-01-01"
licence = "CC0-1.0"
files = {{ variant_summaries = "VariantSummaries.tsv", molecular_profile_summaries = "MolecularProfileSummaries.tsv", evidence_summaries = "ClinicalEvidenceSummaries.tsv", assertion_summaries = "AssertionSummaries.tsv" }}

[[source]]
kind = "oncokb"
release = "v4.22"
licence = "OncoKB academic terms"
files = {{ annotated_variants = "allAnnotatedVariants.txt", actionable_variants = "allActionableVariants.txt" }}

[[source]]
kind = "cosmic_cmc"
release = "v101"
licence = "COSMIC licence"
files = {{ cmc = "cmc_export.tsv" }}

[[source]]
kind = "cancer_hotspots"
release = "v2"
licence = "ODbL-1.0"
files = {{ snv = "snv.tsv", indel = "indel.tsv" }}
"#,
            gnomad = dir.join("gnomad.vcf").display()
        ),
    )
}

fn build_bundle(dir: &Path, out: &str, tar: bool) -> PathBuf {
    let sources = fixture(dir, Some("2025-01-15T00:00:00Z"));
    let out = dir.join(out);
    build(&BuildOptions {
        sources,
        out: out.clone(),
        tar,
        force: false,
        variables: Default::default(),
    })
    .unwrap();
    out
}

fn consequence(
    gene: &str,
    transcript: &str,
    terms: &[SoTerm],
    hgvsp: Option<&str>,
    exon: Option<(u32, u32)>,
    pick: bool,
) -> TranscriptConsequence {
    TranscriptConsequence {
        allele: "-".into(),
        consequences: terms.to_vec(),
        impact: terms.iter().map(|t| t.impact()).min(),
        symbol: Some(gene.into()),
        feature_type: Some("Transcript".into()),
        feature: Some(transcript.into()),
        biotype: Some("protein_coding".into()),
        exon: exon.map(|(n, total)| FeatureNumber {
            first: n,
            last: n,
            total,
        }),
        hgvsp: hgvsp.map(|p| format!("{transcript}P:{p}")),
        pick,
        ..Default::default()
    }
}

/// A query VCF as vcf-annotate writes it (VEP-layout CSQ).
fn query_vcf(dir: &Path, header_extra: &str) -> PathBuf {
    use SoTerm::*;
    let len = contig().len();
    let rows: Vec<(String, Vec<TranscriptConsequence>)> = vec![
        // ClinVar deletion (left-aligned at build) + gnomAD absent.
        (
            "chrS\t8\t.\tACAG\tA".into(),
            vec![consequence(
                "SYN1",
                "ENST1",
                &[InframeDeletion],
                Some("p.Gln10del"),
                Some((2, 5)),
                true,
            )],
        ),
        // ClinVar + gnomAD SNV.
        (format!("chrS\t30\t.\t{}\tA", base(30)), vec![]),
        // BRAF V600E on a non-picked transcript only; the picked one is
        // intronic: protein match must say "not picked".
        (
            "chrS\t50\t.\tA\tT".into(),
            vec![
                consequence("BRAF", "ENST_B1", &[IntronVariant], None, None, true),
                consequence(
                    "BRAF",
                    "ENST_B2",
                    &[MissenseVariant],
                    Some("p.Val600Glu"),
                    Some((15, 18)),
                    false,
                ),
            ],
        ),
        // EGFR exon 19 deletion, which is also the E746_A750del indel hotspot.
        (
            "chrS\t60\t.\tGGAATTAAGAGAAGCA\tG".into(),
            vec![consequence(
                "EGFR",
                "ENST_E",
                &[InframeDeletion],
                Some("p.Glu746_Ala750del"),
                Some((19, 28)),
                true,
            )],
        ),
        // EGFR exon 20 insertion.
        (
            "chrS\t70\t.\tC\tCGGT".into(),
            vec![consequence(
                "EGFR",
                "ENST_E",
                &[InframeInsertion],
                Some("p.Asp770_Asn771insGly"),
                Some((20, 28)),
                true,
            )],
        ),
        // KIT exon 11 missense.
        (
            "chrS\t72\t.\tT\tC".into(),
            vec![consequence(
                "KIT",
                "ENST_K",
                &[MissenseVariant],
                Some("p.Val559Asp"),
                Some((11, 21)),
                true,
            )],
        ),
        // TP53 nonsense: truncating.
        (
            "chrS\t74\t.\tG\tA".into(),
            vec![consequence(
                "TP53",
                "ENST_T",
                &[StopGained],
                Some("p.Arg213Ter"),
                Some((6, 11)),
                true,
            )],
        ),
        // KRAS G12C: hotspot codon + protein, and hence "Oncogenic Mutations".
        (
            "chrS\t76\t.\tC\tA".into(),
            vec![consequence(
                "KRAS",
                "ENST_R",
                &[MissenseVariant],
                Some("p.Gly12Cys"),
                Some((2, 6)),
                true,
            )],
        ),
        // KRAS synonymous: nothing.
        (
            "chrS\t78\t.\tC\tT".into(),
            vec![consequence(
                "KRAS",
                "ENST_R",
                &[SynonymousVariant],
                Some("p.Gly13="),
                Some((2, 6)),
                true,
            )],
        ),
    ];
    let mut text = format!(
        "##fileformat=VCFv4.2\n##contig=<ID=chrS,length={len}>\n{header_extra}##INFO=<ID=CSQ,Number=.,Type=String,Description=\"{}\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
        csq_header_description("vcf-annotate")
    );
    for (fixed, csq) in rows {
        let info = if csq.is_empty() {
            ".".to_string()
        } else {
            format!("CSQ={}", format_csq(&csq))
        };
        text.push_str(&format!("{fixed}\t.\tPASS\t{info}\n"));
    }
    write(dir, "query.vcf", &text)
}

fn read_stream(path: &Path) -> Vec<StreamLine> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

type Found = Vec<(String, String, MatchLevel, Option<String>, Option<bool>)>;

fn matches_at(lines: &[StreamLine], pos: u64) -> Found {
    lines
        .iter()
        .find_map(|l| match l {
            StreamLine::Variant(v) if v.allele.pos == pos => Some(
                v.kb_matches
                    .iter()
                    .map(|m| {
                        (
                            m.source.clone(),
                            m.record_id.clone(),
                            m.level,
                            m.transcript.clone(),
                            m.on_picked_transcript,
                        )
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no variant at {pos}"))
}

fn has(found: &Found, source: &str, id: &str, level: MatchLevel) -> bool {
    found
        .iter()
        .any(|(s, r, l, _, _)| s == source && r == id && *l == level)
}

#[test]
fn builds_a_bundle_with_every_source_and_matches_at_every_level() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle", false);
    let manifest = kb_lookup::manifest::Manifest::read(&bundle).unwrap();
    assert!(
        !manifest.redistributable,
        "OncoKB/COSMIC make it non-redistributable"
    );
    assert!(manifest.normalisation.left_aligned);
    let clinvar = manifest.source("clinvar").unwrap();
    assert_eq!(clinvar.record_counts["records_read"], 3);
    assert_eq!(
        clinvar.record_counts["alleles_written"], 4,
        "{:?}",
        clinvar.record_counts
    );
    let civic = manifest.source("civic").unwrap();
    assert_eq!(civic.record_counts["skipped:complex_molecular_profile"], 1);
    assert_eq!(civic.record_counts["records_written"], 3);
    let oncokb = manifest.source("oncokb").unwrap();
    assert_eq!(oncokb.record_counts["skipped:not_a_small_variant"], 1);
    assert!(!oncokb.redistributable);
    assert!(manifest.source("genome").unwrap().synthetic);
    assert_eq!(
        manifest.source("cancer_hotspots").unwrap().record_counts["skipped:splice_hotspot"],
        1
    );

    let query = query_vcf(dir.path(), "");
    let out = dir.path().join("out.jsonl");
    let vcf_out = dir.path().join("out.vcf.gz");
    let summary = annotate(&AnnotateOptions {
        bundle: bundle.clone(),
        input: Some(query),
        output: Some(out.clone()),
        vcf_out: Some(vcf_out.clone()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(summary.records_read, 9);
    assert_eq!(summary.alleles_written, 9);
    let lines = read_stream(&out);
    assert!(
        matches!(lines.first(), Some(StreamLine::Header(h)) if h.bundle.as_ref().unwrap().version == "test-2025.01")
    );
    assert!(matches!(lines.last(), Some(StreamLine::Summary(_))));

    // The 3'-shifted ClinVar deletion was left-aligned to position 8.
    let del = matches_at(&lines, 8);
    assert!(
        has(&del, "clinvar", "1001", MatchLevel::ExactAllele),
        "{del:?}"
    );

    let snv = matches_at(&lines, 30);
    assert!(has(&snv, "clinvar", "1002", MatchLevel::ExactAllele));
    assert!(has(&snv, "gnomad", "rs30", MatchLevel::ExactAllele));
    let record = lines
        .iter()
        .find_map(|l| match l {
            StreamLine::Variant(v) if v.allele.pos == 30 => Some(v),
            _ => None,
        })
        .unwrap();
    let clinvar_match = record
        .kb_matches
        .iter()
        .find(|m| m.source == "clinvar")
        .unwrap();
    assert_eq!(clinvar_match.evidence.review_stars, Some(3));
    assert_eq!(
        clinvar_match.evidence.clinical_significance.as_deref(),
        Some("Likely pathogenic")
    );
    assert_eq!(
        clinvar_match.evidence.disease.as_ref().unwrap().name,
        "not provided; Lynch syndrome"
    );
    let gnomad_match = record
        .kb_matches
        .iter()
        .find(|m| m.source == "gnomad")
        .unwrap();
    let population = gnomad_match.evidence.population.as_ref().unwrap();
    assert_eq!(population.af, Some(0.003));
    assert_eq!(population.grpmax_af, Some(0.01));
    assert_eq!(population.grpmax_group.as_deref(), Some("afr"));
    assert_eq!(population.nhomalt, Some(1));

    let braf = matches_at(&lines, 50);
    for id in ["EID95", "AID7"] {
        let m = braf.iter().find(|m| m.1 == id).unwrap();
        assert_eq!(m.2, MatchLevel::ProteinChange);
        assert_eq!(m.3.as_deref(), Some("ENST_B2"));
        assert_eq!(m.4, Some(false), "matched on a non-picked transcript");
    }
    assert!(has(
        &braf,
        "oncokb",
        "BRAF:V600E",
        MatchLevel::ProteinChange
    ));
    assert!(has(
        &braf,
        "oncokb",
        "BRAF:V600E:1:Melanoma",
        MatchLevel::ProteinChange
    ));
    assert!(has(
        &braf,
        "cosmic_cmc",
        "COSV56056643",
        MatchLevel::ProteinChange
    ));
    assert!(
        !braf.iter().any(|m| m.1 == "EID5000"),
        "complex profile must not match"
    );
    let eid95 = record_match(&lines, 50, "EID95");
    assert_eq!(
        eid95.evidence.disease.as_ref().unwrap().doid.as_deref(),
        Some("DOID:1909")
    );
    assert_eq!(eid95.evidence.pmids, ["20818844"]);
    assert_eq!(eid95.evidence.therapies, ["Vemurafenib"]);
    assert_eq!(eid95.evidence.evidence_level.as_deref(), Some("A"));
    let actionable = record_match(&lines, 50, "BRAF:V600E:1:Melanoma");
    assert_eq!(
        actionable.evidence.therapies,
        ["Dabrafenib + Trametinib", "Vemurafenib"]
    );
    assert_eq!(actionable.evidence.redistributable, Some(false));

    let exon19 = matches_at(&lines, 60);
    assert!(
        has(&exon19, "civic", "EID879", MatchLevel::Region),
        "{exon19:?}"
    );
    assert!(has(
        &exon19,
        "cancer_hotspots",
        "EGFR:E746_A750del",
        MatchLevel::ProteinChange
    ));
    assert!(has(
        &exon19,
        "cancer_hotspots",
        "EGFR:745-759",
        MatchLevel::Region
    ));
    assert!(!has(
        &exon19,
        "oncokb",
        "EGFR:Exon 20 in-frame insertions",
        MatchLevel::Region
    ));

    let exon20 = matches_at(&lines, 70);
    assert!(has(
        &exon20,
        "oncokb",
        "EGFR:Exon 20 in-frame insertions",
        MatchLevel::Region
    ));
    assert!(!has(&exon20, "civic", "EID879", MatchLevel::Region));

    let kit = matches_at(&lines, 72);
    assert!(has(
        &kit,
        "oncokb",
        "KIT:Exon 11 mutations",
        MatchLevel::Region
    ));

    let tp53 = matches_at(&lines, 74);
    assert!(has(
        &tp53,
        "oncokb",
        "TP53:Truncating Mutations",
        MatchLevel::Gene
    ));

    let kras = matches_at(&lines, 76);
    assert!(has(
        &kras,
        "cancer_hotspots",
        "KRAS:G12C",
        MatchLevel::ProteinChange
    ));
    assert!(has(&kras, "cancer_hotspots", "KRAS:G12", MatchLevel::Codon));
    assert!(has(
        &kras,
        "oncokb",
        "KRAS:Oncogenic Mutations",
        MatchLevel::Gene
    ));
    assert!(!has(&kras, "civic", "EID5000", MatchLevel::ProteinChange));

    assert!(
        matches_at(&lines, 78).is_empty(),
        "synonymous KRAS matches nothing"
    );

    // Matches are reported strongest level first.
    for l in &lines {
        if let StreamLine::Variant(v) = l {
            assert!(v.kb_matches.windows(2).all(|w| w[0].level <= w[1].level));
        }
    }

    // The VCF output carries the matches and is bgzipped.
    let mut text = String::new();
    use std::io::Read;
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&vcf_out).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("##INFO=<ID=KB,"));
    assert!(text.contains("gnomad_AF=0.003"));
    assert!(text.contains("clinvar_STARS=3"));
    assert_eq!(text.lines().filter(|l| !l.starts_with('#')).count(), 9);
}

fn record_match(lines: &[StreamLine], pos: u64, id: &str) -> variant_model::evidence::KbMatch {
    lines
        .iter()
        .find_map(|l| match l {
            StreamLine::Variant(v) if v.allele.pos == pos => {
                v.kb_matches.iter().find(|m| m.record_id == id).cloned()
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {id} at {pos}"))
}

#[test]
fn same_inputs_give_identical_bundles_and_archives() {
    let dir = tempfile::tempdir().unwrap();
    let a = build_bundle(dir.path(), "a", false);
    let b = build_bundle(dir.path(), "b", false);
    let ma = std::fs::read(a.join("manifest.json")).unwrap();
    assert_eq!(ma, std::fs::read(b.join("manifest.json")).unwrap());
    let (files, _) = kb_lookup::archive::list_files(&a).unwrap();
    for file in files {
        assert_eq!(
            std::fs::read(a.join(&file)).unwrap(),
            std::fs::read(b.join(&file)).unwrap(),
            "{file}"
        );
    }
    let ta = build_bundle(dir.path(), "a.tar.gz", true);
    let tb = build_bundle(dir.path(), "b.tar.gz", true);
    assert_eq!(std::fs::read(&ta).unwrap(), std::fs::read(&tb).unwrap());
    // The archive verifies and annotates like the directory.
    let report = kb_lookup::verify::verify(&ta).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.files_checked, report.manifest.files().count());
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kb-lookup"))
}

#[test]
fn verify_names_tampered_missing_and_extra_files() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle", false);
    let ok = cli()
        .args(["bundle", "verify"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    // Tamper one byte of the CIViC records, delete the ClinVar index, add a file.
    let civic = bundle.join("curated/civic.jsonl.gz");
    let mut bytes = std::fs::read(&civic).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&civic, bytes).unwrap();
    std::fs::remove_file(bundle.join("exact/clinvar.vcf.gz.tbi")).unwrap();
    std::fs::write(bundle.join("exact/notes.txt"), "x").unwrap();
    let bad = cli()
        .args(["bundle", "verify"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert!(
        stdout.contains("TAMPERED curated/civic.jsonl.gz"),
        "{stdout}"
    );
    assert!(
        stdout.contains("MISSING  exact/clinvar.vcf.gz.tbi"),
        "{stdout}"
    );
    assert!(stdout.contains("EXTRA    exact/notes.txt"), "{stdout}");

    // A damaged bundle is refused by annotate --verify.
    let err = annotate(&AnnotateOptions {
        bundle,
        input: Some(query_vcf(dir.path(), "")),
        output: Some(dir.path().join("o.jsonl")),
        verify: true,
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("TAMPERED curated/civic.jsonl.gz"), "{err}");
    assert!(!dir.path().join("o.jsonl").exists());
}

#[test]
fn info_prints_sources_licences_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle.tar.gz", true);
    let out = cli()
        .args(["bundle", "info"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Bundle test-2025.01 (synthetic-1)"));
    assert!(text.contains("NO (contains licensed sources)"));
    assert!(text.contains("Source oncokb [oncokb]"));
    assert!(text.contains("Source genome [reference] SYNTHETIC"));
    assert!(text.contains("left-aligned: yes"));
    assert!(text.contains("count  skipped:complex_molecular_profile: 1"));
}

#[test]
fn creation_time_comes_from_source_date_epoch_never_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let sources = fixture(dir.path(), None);
    let out = cli()
        .args(["bundle", "build", "--sources"])
        .arg(&sources)
        .arg("--out")
        .arg(dir.path().join("b"))
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
    assert!(
        !dir.path().join("b").exists(),
        "failed build leaves no output"
    );
    let out = cli()
        .args(["bundle", "build", "--sources"])
        .arg(&sources)
        .arg("--out")
        .arg(dir.path().join("b"))
        .env("SOURCE_DATE_EPOCH", "1736899200")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = kb_lookup::manifest::Manifest::read(&dir.path().join("b")).unwrap();
    assert_eq!(manifest.created, "2025-01-15T00:00:00Z");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".kb-bundle-staging")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn refuses_a_query_on_another_build_and_names_bad_source_lines() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle", false);
    // Contig length differs from the bundle's reference.
    let query = query_vcf(dir.path(), "");
    let text = std::fs::read_to_string(&query)
        .unwrap()
        .replace(&format!("length={}", contig().len()), "length=99999");
    std::fs::write(&query, text).unwrap();
    let out = cli()
        .args(["annotate", "--bundle"])
        .arg(&bundle)
        .arg(&query)
        .arg("-o")
        .arg(dir.path().join("x.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("genome build mismatch"), "{stderr}");
    assert!(stderr.contains("99999"), "{stderr}");
    assert!(!dir.path().join("x.jsonl").exists());

    // A malformed ClinVar line is reported with file and line.
    let sources = fixture(dir.path(), Some("2025-01-15T00:00:00Z"));
    let clinvar = dir.path().join("clinvar.vcf");
    let text = std::fs::read_to_string(&clinvar)
        .unwrap()
        .replace("chrS\t30\t", "chrS\tthirty\t");
    std::fs::write(&clinvar, text).unwrap();
    let err = build(&BuildOptions {
        sources,
        out: dir.path().join("broken"),
        tar: false,
        force: false,
        variables: Default::default(),
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("clinvar.vcf:12: POS `thirty` is not a number"),
        "{err}"
    );
    assert!(!dir.path().join("broken").exists());
}

/// A bgzipped reference (found through a `${NAME}` path, its `.fai` and
/// `.gzi` beside it) left-aligns ClinVar's CAG deletion; the ontology
/// mapping is packaged where rule-tier looks for it; an annotated VCF whose
/// contig lengths agree with the reference is accepted, others refused.
#[test]
fn builds_with_a_bgzipped_reference_from_a_variable_path_and_packages_the_ontology() {
    let dir = tempfile::tempdir().unwrap();
    let genome_dir = dir.path().join("generated");
    std::fs::create_dir(&genome_dir).unwrap();
    let sequence = contig();
    synthetic_data::fasta::write_bgzf_fasta(
        &genome_dir.join("genome.fa.gz"),
        [("chrS", sequence.as_bytes())],
    )
    .unwrap();
    // The fixture's sources, then this test's SOURCES.toml.
    fixture(dir.path(), None);
    let ontology = "# comment\noncotree_code\toncotree_name\tparent_code\ttissue\tdoids\tdoid_names\taliases\n\
TISSUE\tTissue\t\tTISSUE\tDOID:162\tcancer\t\nMEL\tMelanoma\tTISSUE\tSKIN\tDOID:1909\tmelanoma\t\n";
    write(dir.path(), "mapping.tsv", ontology);
    let sources = write(
        dir.path(),
        "SOURCES.toml",
        r#"[bundle]
version = "test"
genome_build = "synthetic-1"
created = "2025-01-15T00:00:00Z"

[[source]]
kind = "reference"
release = "synthetic-1"
licence = "CC0-1.0"
synthetic = true
files = { fasta = "${KB_TEST_GENOME_DIR}/genome.fa.gz" }
notes = ["written by the test"]

[[source]]
kind = "ontology"
release = "test"
licence = "CC0-1.0"
files = { oncotree_doid = "mapping.tsv" }

[[source]]
kind = "clinvar"
release = "20250106"
licence = "public-domain"
synthetic = true
files = { vcf = "clinvar.vcf" }
"#,
    );
    let out = dir.path().join("bundle");
    // Without a value for the variable: refused, naming it.
    let missing = cli()
        .args(["bundle", "build", "--sources"])
        .arg(&sources)
        .arg("--out")
        .arg(&out)
        .env_remove("KB_TEST_GENOME_DIR")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("files.fasta") && stderr.contains("${KB_TEST_GENOME_DIR}"),
        "{stderr}"
    );
    assert!(!out.exists());

    let built = cli()
        .args(["bundle", "build", "--sources"])
        .arg(&sources)
        .arg("--out")
        .arg(&out)
        .arg("--var")
        .arg(format!("KB_TEST_GENOME_DIR={}", genome_dir.display()))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let manifest = kb_lookup::manifest::Manifest::read(&out).unwrap();
    assert!(manifest.normalisation.left_aligned);
    let reference = manifest.source("reference").unwrap();
    let roles: Vec<(&str, &str)> = reference
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.role.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("reference/genome.fa.gz", "reference_fasta"),
            ("reference/genome.fa.gz.fai", "reference_index"),
            ("reference/genome.fa.gz.gzi", "reference_bgzip_index"),
        ]
    );
    assert!(reference.notes.contains(&"written by the test".to_string()));
    // The CAG deletion written at 20 is stored left-aligned at 8.
    let clinvar = manifest.source("clinvar").unwrap();
    assert_eq!(clinvar.record_counts["alleles_normalised_changed"], 1);
    let mut table = kb_lookup::exact::ExactTable::open(&out.join("exact/clinvar.vcf.gz")).unwrap();
    let at8 = table.at("chrS", 8).unwrap();
    assert_eq!(at8.len(), 1);
    assert_eq!((at8[0].ref_allele(), at8[0].alt_allele()), ("ACAG", "A"));
    // The ontology mapping sits where rule-tier --bundle reads it.
    assert_eq!(
        std::fs::read_to_string(out.join("ontology/oncotree_doid.tsv")).unwrap(),
        ontology
    );
    assert_eq!(
        manifest.source("ontology").unwrap().record_counts["rows"],
        2
    );
    let report = kb_lookup::verify::verify(&out).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    // Contig lengths are checked against the bgzipped reference's .fai.
    let query = query_vcf(dir.path(), "");
    let run = |query: &Path| {
        annotate(&AnnotateOptions {
            bundle: out.clone(),
            input: Some(query.to_path_buf()),
            output: Some(dir.path().join("q.jsonl")),
            ..Default::default()
        })
    };
    run(&query).unwrap();
    let text = std::fs::read_to_string(&query)
        .unwrap()
        .replace(&format!("length={}", contig().len()), "length=100");
    std::fs::write(&query, text).unwrap();
    let err = run(&query).unwrap_err().to_string();
    assert!(err.contains("genome build mismatch"), "{err}");
}

/// A gzipped tar with the given entries, names written raw into the header
/// (the tar crate's own checks would refuse the hostile ones).
fn raw_tar_gz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &builder.into_inner().unwrap()).unwrap();
    gz.finish().unwrap()
}

fn unpack(archive: &Path, out: &Path, force: bool) -> std::process::Output {
    let mut command = cli();
    command
        .args(["bundle", "unpack"])
        .arg(archive)
        .arg("--out")
        .arg(out);
    if force {
        command.arg("--force");
    }
    command.output().unwrap()
}

#[test]
fn unpack_extracts_verifies_and_refuses_non_empty_output() {
    let dir = tempfile::tempdir().unwrap();
    let archive = build_bundle(dir.path(), "bundle.tar.gz", true);
    let directory = build_bundle(dir.path(), "bundle", false);

    let out = dir.path().join("deep/unpacked");
    let done = unpack(&archive, &out, false);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).contains("verified"));
    let (files, odd) = kb_lookup::archive::list_files(&out).unwrap();
    assert!(odd.is_empty());
    assert_eq!(files, kb_lookup::archive::list_files(&directory).unwrap().0);
    for file in &files {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(directory.join(file)).unwrap(),
            "{file}"
        );
    }
    // No staging directory is left beside the output.
    assert_eq!(
        std::fs::read_dir(dir.path().join("deep")).unwrap().count(),
        1
    );

    // An existing non-empty directory is kept unless --force.
    std::fs::write(out.join("stray.txt"), "x").unwrap();
    let refused = unpack(&archive, &out, false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(out.join("stray.txt").exists());
    let forced = unpack(&archive, &out, true);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(!out.join("stray.txt").exists());
    assert!(out.join("manifest.json").is_file());

    // An empty existing directory is fine; a file is not.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(unpack(&archive, &empty, false).status.success());
    let file = write(dir.path(), "plain-file", "x");
    let stderr = String::from_utf8_lossy(&unpack(&archive, &file, true).stderr).into_owned();
    assert!(stderr.contains("not a directory"), "{stderr}");
}

#[test]
fn unpack_refuses_tampered_and_hostile_archives_writing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle", false);

    // A bundle whose content no longer matches its manifest.
    let civic = bundle.join("curated/civic.jsonl.gz");
    let mut bytes = std::fs::read(&civic).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&civic, bytes).unwrap();
    let tampered = dir.path().join("tampered.tar.gz");
    kb_lookup::archive::pack(&bundle, &tampered).unwrap();
    let out = dir.path().join("out");
    let result = unpack(&tampered, &out, false);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("TAMPERED curated/civic.jsonl.gz"),
        "{stderr}"
    );
    assert!(!out.exists(), "a tampered bundle was installed");

    // Path traversal, absolute paths: refused before anything is written.
    let manifest = std::fs::read(bundle.join("manifest.json")).unwrap();
    for (name, hostile) in [
        ("dotdot", "../evil.txt"),
        ("absolute", "/tmp/kb-unpack-evil.txt"),
    ] {
        let archive = dir.path().join(format!("{name}.tar.gz"));
        std::fs::write(
            &archive,
            raw_tar_gz(&[("manifest.json", &manifest), (hostile, b"evil")]),
        )
        .unwrap();
        let out = dir.path().join(format!("{name}-out"));
        let result = unpack(&archive, &out, false);
        assert_eq!(result.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("path traversal"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: output created");
    }
    assert!(!dir.path().join("evil.txt").exists());
    assert!(!Path::new("/tmp/kb-unpack-evil.txt").exists());
    // Nothing left behind by the refused runs but the inputs.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kb-unpack"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unpack_puts_a_wrapped_bundle_at_the_top_of_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "bundle", false);
    // An archive of the bundle inside one top-level directory.
    let wrapper = dir.path().join("wrapper");
    std::fs::create_dir(&wrapper).unwrap();
    std::fs::rename(&bundle, wrapper.join("kb-2025.01")).unwrap();
    let archive = dir.path().join("wrapped.tar.gz");
    kb_lookup::archive::pack(&wrapper, &archive).unwrap();
    let out = dir.path().join("out");
    let result = unpack(&archive, &out, false);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(out.join("manifest.json").is_file());
    let verified = cli().args(["bundle", "verify"]).arg(&out).output().unwrap();
    assert!(verified.status.success());
}
