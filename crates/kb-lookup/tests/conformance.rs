//! Conformance of kb-lookup against third-party data in `../shared/data`
//! (CIViC API records, cancerhotspots.org tables, gnomAD excerpts, the
//! OncoKB annotator's GRCh38 MAF, the PCGR GRCh37/GRCh38 VCF pair).
//! Run with `cargo test -p kb-lookup --test conformance -- --ignored`, or
//! `bash tests/conformance/kb_lookup.sh`.

use std::io::Read;
use std::path::{Path, PathBuf};

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use variant_model::consequence::{SoTerm, TranscriptConsequence};
use variant_model::csq::{csq_header_description, format_csq};
use variant_model::evidence::{KbMatch, MatchLevel};
use variant_model::record::StreamLine;

fn data() -> PathBuf {
    let path = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        path.is_dir(),
        "conformance: cannot find the shared test data folder {} (set SHARED_DATA)",
        path.display()
    );
    path
}

fn sources_toml(dir: &Path, build: &str, body: &str) -> PathBuf {
    let path = dir.join("SOURCES.toml");
    std::fs::write(
        &path,
        format!(
            "[bundle]\nversion = \"conformance\"\ngenome_build = \"{build}\"\ncreated = \"2025-01-15T00:00:00Z\"\n\n{body}"
        ),
    )
    .unwrap();
    path
}

fn civic_body(d: &Path) -> String {
    let files: Vec<String> = [
        "metakb_2025/civic_variant_12.json",
        "metakb_2025/civic_molecular_profile_12.json",
        "metakb_2025/civic_eid_3017.json",
        "metakb_2025/civic_aid_7.json",
        "metakb_2025/civic_gene_5.json",
        "metakb_2023_harvest/variants.json",
        "metakb_2023_harvest/evidence.json",
        "metakb_2023_harvest/assertions.json",
    ]
    .iter()
    .map(|f| format!("\"{}\"", d.join("civic").join(f).display()))
    .collect();
    format!(
        "[[source]]\nkind = \"civic\"\nrelease = \"metakb-test-data\"\nlicence = \"CC0-1.0\"\nfiles = {{ api_json = [{}] }}\n\n",
        files.join(", ")
    )
}

fn hotspots_body(d: &Path, build: &str) -> String {
    let h = d.join("cancer_hotspots");
    format!(
        "[[source]]\nkind = \"cancer_hotspots\"\nrelease = \"v2\"\nlicence = \"ODbL-1.0\"\nfiles = {{ snv = \"{}\", indel = \"{}\", alleles = \"{}\" }}\n\n",
        h.join("cancerhotspots.org_hotspots_v2.SNV-hotspots.tsv")
            .display(),
        h.join("cancerhotspots.org_hotspots_v2.INDEL-hotspots.tsv")
            .display(),
        h.join(format!("cancerhotspots_v2_{build}.tsv")).display()
    )
}

fn build_bundle(dir: &Path, build_name: &str, body: &str) -> PathBuf {
    let sources = sources_toml(dir, build_name, body);
    let out = dir.join("bundle");
    build(&BuildOptions {
        sources,
        out: out.clone(),
        tar: false,
        force: false,
        variables: Default::default(),
    })
    .unwrap();
    out
}

fn run(bundle: &Path, query: &Path, dir: &Path) -> Vec<StreamLine> {
    let out = dir.join("out.jsonl");
    annotate(&AnnotateOptions {
        bundle: bundle.to_path_buf(),
        input: Some(query.to_path_buf()),
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn variants(lines: &[StreamLine]) -> Vec<&variant_model::VariantRecord> {
    lines
        .iter()
        .filter_map(|l| match l {
            StreamLine::Variant(v) => Some(v),
            _ => None,
        })
        .collect()
}

fn csq(gene: &str, term: SoTerm, hgvsp: &str) -> TranscriptConsequence {
    TranscriptConsequence {
        allele: "-".into(),
        consequences: vec![term],
        impact: Some(term.impact()),
        symbol: Some(gene.into()),
        feature_type: Some("Transcript".into()),
        feature: Some(format!("{gene}-201")),
        hgvsp: Some(format!("{gene}-201P:{hgvsp}")),
        pick: true,
        ..Default::default()
    }
}

fn query(dir: &Path, build_line: &str, rows: &[(String, Vec<TranscriptConsequence>)]) -> PathBuf {
    let mut text = format!(
        "##fileformat=VCFv4.2\n{build_line}\n##INFO=<ID=CSQ,Number=.,Type=String,Description=\"{}\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
        csq_header_description("vcf-annotate")
    );
    for (fixed, c) in rows {
        text.push_str(&format!("{fixed}\t.\tPASS\tCSQ={}\n", format_csq(c)));
    }
    let path = dir.join("query.vcf");
    std::fs::write(&path, text).unwrap();
    path
}

fn find<'a>(matches: &'a [KbMatch], source: &str, id: &str) -> Option<&'a KbMatch> {
    matches
        .iter()
        .find(|m| m.source == source && m.record_id == id)
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn civic_records_match_braf_v600e_with_their_evidence() {
    let d = data();
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "GRCh37", &civic_body(&d));
    let manifest = kb_lookup::manifest::Manifest::read(&bundle).unwrap();
    let counts = &manifest.source("civic").unwrap().record_counts;
    // EID3017 appears in both harvests; AID40 is still "submitted"; its
    // variant 3232 is not in the files either.
    assert_eq!(counts["skipped:duplicate_record"], 1, "{counts:?}");
    assert_eq!(counts["skipped:status_submitted"], 1, "{counts:?}");

    // BRAF V600E on GRCh37 (CIViC's coordinates), and PDGFRA D842Y.
    let rows = vec![
        (
            "7\t140453136\t.\tA\tT".to_string(),
            vec![csq("BRAF", SoTerm::MissenseVariant, "p.Val600Glu")],
        ),
        (
            "4\t55152092\t.\tG\tT".to_string(),
            vec![csq("PDGFRA", SoTerm::MissenseVariant, "p.Asp842Tyr")],
        ),
        (
            "7\t140453136\t.\tA\tC".to_string(),
            vec![csq("BRAF", SoTerm::MissenseVariant, "p.Val600Gly")],
        ),
    ];
    let q = query(dir.path(), "##reference=GRCh37", &rows);
    let lines = run(&bundle, &q, dir.path());
    let v = variants(&lines);
    let braf = &v[0].kb_matches;
    let eid = find(braf, "civic", "EID3017").expect("EID3017 matches BRAF V600E");
    // The GRCh37 coordinates of variant 12 give an exact-allele match.
    assert_eq!(eid.level, MatchLevel::ExactAllele);
    assert_eq!(eid.matched_term.as_deref(), Some("BRAF V600E"));
    assert_eq!(eid.evidence.evidence_level.as_deref(), Some("A"));
    assert_eq!(
        eid.evidence.clinical_significance.as_deref(),
        Some("Sensitivity/Response")
    );
    assert_eq!(eid.evidence.direction.as_deref(), Some("Supports"));
    assert_eq!(eid.evidence.evidence_type.as_deref(), Some("Predictive"));
    assert_eq!(eid.evidence.pmids, ["27283860"]);
    assert_eq!(eid.evidence.therapies, ["Dabrafenib", "Trametinib"]);
    let disease = eid.evidence.disease.as_ref().unwrap();
    assert_eq!(disease.name, "Lung Non-small Cell Carcinoma");
    assert_eq!(disease.doid.as_deref(), Some("DOID:3908"));
    let aid = find(braf, "civic", "AID7").expect("AID7 matches BRAF V600E");
    assert_eq!(
        aid.evidence.evidence_level.as_deref(),
        Some("Tier I - Level A")
    );
    assert_eq!(
        aid.evidence.disease.as_ref().unwrap().doid.as_deref(),
        Some("DOID:1909")
    );
    let pdgfra = &v[1].kb_matches;
    assert_eq!(
        find(pdgfra, "civic", "EID45").unwrap().level,
        MatchLevel::ExactAllele
    );
    assert!(
        v[2].kb_matches.is_empty(),
        "V600G is not V600E: {:?}",
        v[2].kb_matches
    );

    // On a GRCh38 bundle the GRCh37 coordinates are not used: protein level.
    let dir38 = tempfile::tempdir().unwrap();
    let bundle38 = build_bundle(dir38.path(), "GRCh38", &civic_body(&d));
    let rows38 = vec![(
        "7\t140753336\t.\tA\tT".to_string(),
        vec![csq("BRAF", SoTerm::MissenseVariant, "p.Val600Glu")],
    )];
    let q38 = query(dir38.path(), "##reference=GRCh38", &rows38);
    let lines38 = run(&bundle38, &q38, dir38.path());
    let m = &variants(&lines38)[0].kb_matches;
    assert_eq!(
        find(m, "civic", "EID3017").unwrap().level,
        MatchLevel::ProteinChange
    );
    assert_eq!(
        find(m, "civic", "AID7").unwrap().level,
        MatchLevel::ProteinChange
    );
}

/// The OncoKB annotator's GRCh38 example MAF, turned into an annotated
/// VCF (SYMBOL + HGVSp from the MAF), against the cancer hotspots.
#[test]
#[ignore = "conformance: needs ../shared/data"]
fn oncokb_example_maf_matches_hotspots_at_protein_level() {
    let d = data();
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "GRCh38", &hotspots_body(&d, "GRCh38"));
    let maf = std::fs::read_to_string(d.join("oncokb_inputs/example_maf_grch38.txt")).unwrap();
    let mut lines = maf.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |c: usize| f.get(c).copied().unwrap_or("");
        let short = get(col("HGVSp_Short"));
        if !short.starts_with("p.") {
            continue;
        }
        let term = match get(col("Variant_Classification")) {
            "Missense_Mutation" => SoTerm::MissenseVariant,
            "Nonsense_Mutation" => SoTerm::StopGained,
            "Splice_Site" => SoTerm::SpliceDonorVariant,
            other => panic!("unexpected class {other}"),
        };
        // Rows without coordinates get a placeholder position: they are
        // matched by protein change only.
        let fixed = if get(col("Start_Position")).is_empty() {
            format!("1\t{}\t.\tA\tC", 1000 + i)
        } else {
            format!(
                "{}\t{}\t.\t{}\t{}",
                get(col("Chromosome")),
                get(col("Start_Position")),
                get(col("Reference_Allele")),
                get(col("Tumor_Seq_Allele2"))
            )
        };
        names.push(format!("{} {}", get(col("Hugo_Symbol")), short));
        rows.push((fixed, vec![csq(get(col("Hugo_Symbol")), term, short)]));
    }
    // With the MAF coordinates: the hotspot allele table gives exact-allele
    // matches (the strongest level of each record).
    let q = query(dir.path(), "##reference=GRCh38", &rows);
    let out = run(&bundle, &q, dir.path());
    let v = variants(&out);
    let kras = v
        .iter()
        .find(|r| r.allele.pos == 25245351)
        .expect("KRAS G12C row");
    assert_eq!(
        find(&kras.kb_matches, "cancer_hotspots", "KRAS:G12C")
            .unwrap()
            .level,
        MatchLevel::ExactAllele,
        "the hotspot allele table has 12:25245351 C>A"
    );
    let tp53 = v
        .iter()
        .find(|r| r.allele.pos == 7674220)
        .expect("TP53 R248Q row");
    assert_eq!(
        find(&tp53.kb_matches, "cancer_hotspots", "TP53:R248Q")
            .unwrap()
            .level,
        MatchLevel::ExactAllele
    );

    // Without coordinates (every row moved to a placeholder position), the
    // same records must match through the protein change alone.
    let protein_only: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (format!("1\t{}\t.\tA\tC", 1000 + i), c.clone()))
        .collect();
    let q = query(dir.path(), "##reference=GRCh38", &protein_only);
    let out = run(&bundle, &q, dir.path());
    let v = variants(&out);
    let mut protein_level = 0;
    for (name, record) in names.iter().zip(&v) {
        let levels: Vec<_> = record
            .kb_matches
            .iter()
            .map(|m| (m.record_id.as_str(), m.level))
            .collect();
        if record
            .kb_matches
            .iter()
            .any(|m| m.level == MatchLevel::ProteinChange)
        {
            protein_level += 1;
        }
        eprintln!("{name}: {levels:?}");
    }
    let by_name = |name: &str| {
        &v[names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("{name} row"))]
        .kb_matches
    };
    for (name, id, codon) in [
        ("KRAS p.G12C", "KRAS:G12C", "KRAS:G12"),
        ("TP53 p.R248Q", "TP53:R248Q", "TP53:R248"),
    ] {
        let matches = by_name(name);
        assert_eq!(
            find(matches, "cancer_hotspots", id).unwrap().level,
            MatchLevel::ProteinChange,
            "{name}"
        );
        assert_eq!(
            find(matches, "cancer_hotspots", codon).unwrap().level,
            MatchLevel::Codon,
            "{name}"
        );
    }
    // Nonsense changes at a non-hotspot residue and splice rows match nothing.
    assert!(by_name("AKT3 p.E182*").is_empty());
    assert!(by_name("NF1 p.X1445_splice").is_empty());
    eprintln!(
        "conformance: {protein_level}/{} MAF rows match a cancer hotspot at protein level",
        v.len()
    );
    assert_eq!(
        protein_level, 6,
        "PIK3CA E542K, EGFR H304Y, PTEN C136R, ATM L2890R, KRAS G12C, TP53 R248Q"
    );
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn gnomad_excerpt_alleles_match_themselves_with_their_frequencies() {
    let d = data();
    let dir = tempfile::tempdir().unwrap();
    let vcf = d.join("gnomad_excerpts/test_b38.gnomad.exomes.r2.1.1.sites.vcf.gz");
    let body = format!(
        "[[source]]\nkind = \"gnomad\"\nrelease = \"r2.1.1\"\nlicence = \"ODC-By-1.0\"\nfiles = {{ vcf = \"{}\" }}\n",
        vcf.display()
    );
    let bundle = build_bundle(dir.path(), "GRCh38", &body);
    // Query: the excerpt itself (sites-only, header with the chr21 contig length).
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&vcf).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut expected = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let af = f[7]
            .split(';')
            .find_map(|kv| kv.strip_prefix("AF="))
            .unwrap()
            .to_string();
        expected.push((
            f[1].parse::<u64>().unwrap(),
            f[4].to_string(),
            af.parse::<f64>().unwrap(),
        ));
    }
    let q = dir.path().join("q.vcf");
    std::fs::write(&q, &text).unwrap();
    let out = run(&bundle, &q, dir.path());
    let v = variants(&out);
    assert_eq!(v.len(), expected.len());
    for (record, (pos, alt, af)) in v.iter().zip(&expected) {
        assert_eq!((record.allele.pos, &record.allele.alt_allele), (*pos, alt));
        let m = find(&record.kb_matches, "gnomad", &record.ids[0]).expect("gnomAD allele matches");
        assert_eq!(m.evidence.population.as_ref().unwrap().af, Some(*af));
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn pcgr_grch37_vcf_is_refused_by_a_grch38_bundle() {
    let d = data();
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "GRCh38", &hotspots_body(&d, "GRCh38"));
    let err = annotate(&AnnotateOptions {
        bundle: bundle.clone(),
        input: Some(d.join("pcgr_examples/T001-COAD.grch37.vcf.gz")),
        output: Some(dir.path().join("x.jsonl")),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("genome build mismatch: the input is GRCh37"),
        "{err}"
    );
    assert!(
        err.contains("hg38ToHg19"),
        "the message names the header line: {err}"
    );
    assert!(!dir.path().join("x.jsonl").exists());

    // The GRCh38 calls are accepted; BRAF V600E (7:140753336 A>T) matches
    // the hotspot allele exactly even without CSQ.
    let lines = run(
        &bundle,
        &d.join("pcgr_examples/T001-COAD.grch38.vcf.gz"),
        dir.path(),
    );
    let v = variants(&lines);
    assert!(v.len() > 3000);
    let braf = v
        .iter()
        .find(|r| r.allele.pos == 140753336 && r.allele.alt_allele == "T")
        .expect("BRAF V600E in T001-COAD");
    assert_eq!(
        find(&braf.kb_matches, "cancer_hotspots", "BRAF:V600E")
            .unwrap()
            .level,
        MatchLevel::ExactAllele
    );

    // And the GRCh37 calls against a GRCh37 bundle.
    let dir37 = tempfile::tempdir().unwrap();
    let bundle37 = build_bundle(dir37.path(), "GRCh37", &hotspots_body(&d, "GRCh37"));
    let lines37 = run(
        &bundle37,
        &d.join("pcgr_examples/T001-COAD.grch37.vcf.gz"),
        dir37.path(),
    );
    let braf37 = variants(&lines37)
        .into_iter()
        .find(|r| r.allele.pos == 140453136 && r.allele.alt_allele == "T")
        .expect("BRAF V600E on GRCh37")
        .kb_matches
        .clone();
    assert!(find(&braf37, "cancer_hotspots", "BRAF:V600E").is_some());
}

/// PCGR's example VCFs are TCGA consensus calls (MuSE, Mutect2,
/// SomaticSniper, VarScan2; FORMAT/AL lists which called each) rewritten
/// into one sample column with tumour `ADT`/`DPT` and control `ADC`/`DPC`
/// tags, and INFO/TVAF, INFO/TDP for PCGR. kb-lookup detects them as
/// `pcgr-tcga` and reads the tumour's depths from FORMAT; the file's own
/// INFO/TVAF and INFO/TDP are the expected answers for every record.
#[test]
#[ignore = "conformance: needs ../shared/data"]
fn pcgr_example_vcfs_give_the_tumour_depths_and_vafs_of_their_own_tags() {
    use std::io::BufRead;
    let d = data();
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "GRCh38", &hotspots_body(&d, "GRCh38"));
    // (file, POS, ALT, alt depth, total depth, TVAF) of one line each:
    // BRAF V600E `7 140753336 A T ... ADT 37,17 DPT 54 TVAF=0.314814814815`,
    // PIK3CA H1047R `3 179234297 A G ... ADT 43,31 DPT 74 TVAF=0.418918918919`.
    let cases = [
        (
            "T001-COAD.grch38.vcf.gz",
            140753336,
            "T",
            17,
            54,
            0.314814814815,
        ),
        (
            "T001-BRCA.grch38.vcf.gz",
            179234297,
            "G",
            31,
            74,
            0.418918918919,
        ),
    ];
    for (file, pos, alt, alt_depth, total_depth, tvaf) in cases {
        let path = d.join("pcgr_examples").join(file);
        let lines = run(&bundle, &path, dir.path());
        let StreamLine::Header(header) = &lines[0] else {
            panic!("no header");
        };
        let caller = header.caller.as_ref().unwrap();
        assert_eq!(caller.name, "pcgr-tcga", "{file}");
        assert!(caller.evidence.starts_with("##FORMAT=<ID=ADT"), "{file}");
        let v = variants(&lines);
        let record = v
            .iter()
            .find(|r| r.allele.pos == pos && r.allele.alt_allele == alt)
            .unwrap_or_else(|| panic!("{file}: {pos} {alt}"));
        let call = &record.calls[0];
        assert_eq!(call.role.as_deref(), Some("tumor"));
        assert_eq!(Some(call.sample.as_str()), header.sample.as_deref());
        assert_eq!(
            (call.alt_depth, call.total_depth),
            (Some(alt_depth), Some(total_depth))
        );
        assert!((call.vaf.unwrap() - tvaf).abs() < 1e-9, "{file}");

        // Every record (all PASS, one ALT each, in file order).
        let reader = variant_model::io::open_input(Some(&path)).unwrap();
        let expected: Vec<(f64, u32)> = reader
            .lines()
            .map(Result::unwrap)
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let info = l.split('\t').nth(7).unwrap().to_string();
                let tag = |key: &str| {
                    info.split(';')
                        .find_map(|kv| kv.strip_prefix(key))
                        .unwrap()
                        .to_string()
                };
                (tag("TVAF=").parse().unwrap(), tag("TDP=").parse().unwrap())
            })
            .collect();
        assert_eq!(v.len(), expected.len(), "{file}");
        for (record, (tvaf, tdp)) in v.iter().zip(&expected) {
            let call = &record.calls[0];
            assert_eq!(call.total_depth, Some(*tdp), "{file} {}", record.allele.pos);
            assert!(
                (call.vaf.unwrap() - tvaf).abs() < 1e-9,
                "{file} {}: {:?} vs TVAF {tvaf}",
                record.allele.pos,
                call.vaf
            );
        }
        let StreamLine::Summary(summary) = lines.last().unwrap() else {
            panic!("no summary");
        };
        assert!(summary.filtered.is_empty());
        assert!(!summary.counts.contains_key("calls_without_vaf"));
    }
}
