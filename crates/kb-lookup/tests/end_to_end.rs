//! End to end: the real `vcf-annotate` binary on the synthetic demo genome,
//! then `kb-lookup annotate`:
//! - the demo bundle (`assets/demo/bundle/SOURCES.toml` + the generated
//!   genome) builds byte-identically twice and verifies; the demo samples
//!   match it as expected;
//! - the OncoKB annotator's GRCh38 MAF (`../shared/data/oncokb_inputs/`)
//!   matches the cancerhotspots.org tables (`../shared/data/cancer_hotspots/`)
//!   at protein level through the HGVSp that vcf-annotate produced.
//!
//! These need the `make-demo-genome` and `vcf-annotate` binaries (taken from
//! `$MAKE_DEMO_GENOME` / `$VCF_ANNOTATE`, else `target/release`, else
//! `target/debug`), so they are `#[ignore]`d; run them with
//! `bash tests/conformance/kb_demo.sh` or
//! `cargo test -p kb-lookup --test end_to_end -- --ignored`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use kb_lookup::manifest::Manifest;
use variant_model::VariantRecord;
use variant_model::evidence::{KbMatch, MatchLevel};
use variant_model::record::StreamLine;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A workspace binary: `$ENV_VAR`, else `target/release/NAME`, else
/// `target/debug/NAME`.
fn tool(env_var: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        return PathBuf::from(path);
    }
    for profile in ["release", "debug"] {
        let path = workspace().join("target").join(profile).join(name);
        if path.is_file() {
            return path;
        }
    }
    panic!(
        "cannot find the {name} binary: set {env_var} or run `cargo build --release --workspace --bins`"
    );
}

fn run_tool(command: &mut Command) {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo genome, generated once per test run.
fn demo_genome() -> &'static Path {
    static GENOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    GENOME
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            run_tool(
                Command::new(tool("MAKE_DEMO_GENOME", "make-demo-genome"))
                    .arg("--genes")
                    .arg(workspace().join("assets/demo/genes.toml"))
                    .arg("--out")
                    .arg(dir.path()),
            );
            dir
        })
        .path()
}

fn build_demo_bundle(out: &Path, tar: bool) -> Manifest {
    let mut variables = BTreeMap::new();
    variables.insert(
        "DEMO_GENOME_DIR".to_string(),
        demo_genome().display().to_string(),
    );
    build(&BuildOptions {
        sources: workspace().join("assets/demo/bundle/SOURCES.toml"),
        out: out.to_path_buf(),
        tar,
        force: false,
        variables,
    })
    .unwrap()
}

/// The demo bundle, built once per test run.
fn demo_bundle() -> &'static Path {
    static BUNDLE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = BUNDLE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo-bundle");
        build_demo_bundle(&path, false);
        (dir, path)
    });
    path
}

/// Runs vcf-annotate on the demo genome.
fn vcf_annotate(input: &Path, output: &Path, extra: &[&str]) {
    run_tool(
        Command::new(tool("VCF_ANNOTATE", "vcf-annotate"))
            .arg("-f")
            .arg(demo_genome().join("genome.fa.gz"))
            .arg("-g")
            .arg(demo_genome().join("genes.gff3"))
            .args(extra)
            .arg("-o")
            .arg(output)
            .arg(input),
    );
}

fn kb_annotate(bundle: &Path, input: &Path, dir: &Path) -> Vec<StreamLine> {
    kb_annotate_with(bundle, input, dir, false)
}

/// `keep_filtered`: also records whose FILTER is not PASS (`--keep-filtered`).
fn kb_annotate_with(
    bundle: &Path,
    input: &Path,
    dir: &Path,
    keep_filtered: bool,
) -> Vec<StreamLine> {
    let out = dir.join("kb.jsonl");
    annotate(&AnnotateOptions {
        bundle: bundle.to_path_buf(),
        input: Some(input.to_path_buf()),
        output: Some(out.clone()),
        keep_filtered,
        ..Default::default()
    })
    .unwrap();
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn variants(lines: &[StreamLine]) -> Vec<&VariantRecord> {
    lines
        .iter()
        .filter_map(|l| match l {
            StreamLine::Variant(v) => Some(v),
            _ => None,
        })
        .collect()
}

fn at<'a>(records: &[&'a VariantRecord], pos: u64, alt: &str) -> &'a VariantRecord {
    records
        .iter()
        .find(|r| r.allele.pos == pos && r.allele.alt_allele == alt)
        .copied()
        .unwrap_or_else(|| panic!("no output allele at {pos} >{alt}"))
}

fn find<'a>(record: &'a VariantRecord, source: &str, id: &str) -> &'a KbMatch {
    record
        .kb_matches
        .iter()
        .find(|m| m.source == source && m.record_id == id)
        .unwrap_or_else(|| {
            let have: Vec<String> = record
                .kb_matches
                .iter()
                .map(|m| format!("{}:{}", m.source, m.record_id))
                .collect();
            panic!(
                "{}:{} {}>{}: no {source} {id} match (have {have:?})",
                record.allele.chrom,
                record.allele.pos,
                record.allele.ref_allele,
                record.allele.alt_allele
            )
        })
}

fn has(record: &VariantRecord, source: &str, id: &str) -> bool {
    record
        .kb_matches
        .iter()
        .any(|m| m.source == source && m.record_id == id)
}

/// Every file below `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
#[ignore = "end to end: needs the make-demo-genome binary (tests/conformance/kb_demo.sh)"]
fn demo_bundle_builds_identically_twice_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let first = build_demo_bundle(&dir.path().join("a"), false);
    let second = build_demo_bundle(&dir.path().join("b"), false);
    assert_eq!(first, second);
    let (a, b) = (tree(&dir.path().join("a")), tree(&dir.path().join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between two builds");
    }
    build_demo_bundle(&dir.path().join("a.tar.gz"), true);
    build_demo_bundle(&dir.path().join("b.tar.gz"), true);
    assert!(
        std::fs::read(dir.path().join("a.tar.gz")).unwrap()
            == std::fs::read(dir.path().join("b.tar.gz")).unwrap(),
        "two --tar builds differ"
    );
    for bundle in ["a", "a.tar.gz"] {
        let report = kb_lookup::verify::verify(&dir.path().join(bundle)).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    // Every source is labelled synthetic, the reference is the bgzipped
    // generated genome, and nothing was skipped for disagreeing with it.
    assert!(first.sources.iter().all(|s| s.synthetic));
    assert!(first.normalisation.left_aligned);
    assert_eq!(
        first.normalisation.reference.as_deref(),
        Some("reference/genome.fa.gz")
    );
    let counts = |name: &str| &first.source(name).unwrap().record_counts;
    for name in ["clinvar", "gnomad", "cancer_hotspots", "civic"] {
        let skipped: Vec<_> = counts(name)
            .keys()
            .filter(|k| {
                k.starts_with("skipped:") && !k.contains("status_") && !k.contains("complex")
            })
            .collect();
        assert!(skipped.is_empty(), "{name} skipped records: {skipped:?}");
    }
    assert_eq!(counts("clinvar")["alleles_written"], 9);
    assert_eq!(counts("gnomad")["alleles_written"], 5);
    assert_eq!(counts("cancer_hotspots")["alleles_attached"], 12);
    assert_eq!(counts("civic")["skipped:status_submitted"], 1);
    assert_eq!(counts("civic")["skipped:complex_molecular_profile"], 1);
    assert!(dir.path().join("a/ontology/oncotree_doid.tsv").is_file());
}

#[test]
#[ignore = "end to end: needs the make-demo-genome and vcf-annotate binaries (tests/conformance/kb_demo.sh)"]
fn demo_samples_match_the_demo_bundle_after_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let sample_with = |name: &str, keep_filtered: bool| {
        let annotated = dir.path().join(format!("{name}.annotated.vcf.gz"));
        vcf_annotate(
            &workspace().join("assets/demo/samples").join(name),
            &annotated,
            &[],
        );
        // The annotated VCF keeps the samples' ##contig lines (GRCh38
        // lengths), which agree with the bundle's generated reference.
        let sample_dir = dir.path().join(format!("{name}.{keep_filtered}"));
        std::fs::create_dir(&sample_dir).unwrap();
        kb_annotate_with(demo_bundle(), &annotated, &sample_dir, keep_filtered)
    };
    let sample = |name: &str| sample_with(name, false);

    let mel = sample("DEMO-MEL.strelka2.snvs.vcf");
    let v = variants(&mel);
    let braf = at(&v, 140753336, "T");
    // Strelka2's header and sample names survive vcf-annotate: the tumour's
    // tier-1 counts AU 52, TU 37 give 37 alt reads of 89, VAF 37 / 89.
    let Some(StreamLine::Header(header)) = mel.first() else {
        panic!("no header line");
    };
    assert_eq!(header.caller.as_ref().unwrap().name, "strelka2");
    assert_eq!(header.sample.as_deref(), Some("TUMOR"));
    assert_eq!(header.normal_sample.as_deref(), Some("NORMAL"));
    let tumour = braf
        .calls
        .iter()
        .find(|c| c.role.as_deref() == Some("tumor"))
        .unwrap();
    assert_eq!((tumour.alt_depth, tumour.total_depth), (Some(37), Some(89)));
    assert!((tumour.vaf.unwrap() - 37.0 / 89.0).abs() < 1e-9);
    let civic = find(braf, "civic", "EID90001");
    assert_eq!(civic.level, MatchLevel::ProteinChange);
    assert_eq!(civic.evidence.evidence_level.as_deref(), Some("A"));
    assert_eq!(civic.evidence.therapies, ["Vemurafenib"]);
    assert_eq!(civic.transcript.as_deref(), Some("DEMOT00000001.1"));
    assert_eq!(
        find(braf, "civic", "EID90003").level,
        MatchLevel::Codon,
        "BRAF V600 evidence applies at the codon"
    );
    assert_eq!(
        find(braf, "clinvar", "900001").level,
        MatchLevel::ExactAllele
    );
    assert_eq!(
        find(braf, "cancer_hotspots", "BRAF:V600E").level,
        MatchLevel::ExactAllele
    );
    // Synthetic sources link to no real database record.
    assert!(braf.kb_matches.iter().all(|m| m.evidence.url.is_none()
        || m.evidence.url.as_deref() == Some("https://www.cancerhotspots.org")));
    let pten = at(&v, 87933147, "T");
    let clinvar = find(pten, "clinvar", "900007");
    assert_eq!(clinvar.level, MatchLevel::ExactAllele);
    assert_eq!(
        clinvar.evidence.clinical_significance.as_deref(),
        Some("Pathogenic")
    );
    assert_eq!(clinvar.evidence.review_stars, Some(3));
    assert_eq!(
        find(pten, "cancer_hotspots", "PTEN:R130*").level,
        MatchLevel::ProteinChange
    );
    assert_eq!(
        find(at(&v, 208248388, "T"), "civic", "EID90018").level,
        MatchLevel::ProteinChange
    );
    // BRAF K601K (synonymous) and the PTEN splice-donor change match nothing.
    assert!(at(&v, 140753332, "C").kb_matches.is_empty());
    assert!(at(&v, 87933252, "A").kb_matches.is_empty());

    let luad = sample("DEMO-LUAD.mutect2.vcf");
    let v = variants(&luad);
    let del = at(&v, 55174771, "A");
    for id in ["EID90008", "EID90009", "EID90010", "AID903"] {
        assert_eq!(
            find(del, "civic", id).level,
            MatchLevel::Region,
            "EGFR exon 19 deletion evidence {id}"
        );
    }
    // The MAF-style hotspot allele (no anchor base) was placed with the
    // generated reference and matches the normalised deletion exactly.
    assert_eq!(
        find(del, "cancer_hotspots", "EGFR:E746_A750del").level,
        MatchLevel::ExactAllele
    );
    assert_eq!(
        find(del, "clinvar", "900005").level,
        MatchLevel::ExactAllele
    );
    assert_eq!(
        find(at(&v, 55181378, "T"), "civic", "EID90011").level,
        MatchLevel::ProteinChange
    );
    assert!(
        at(&v, 55181380, "A").kb_matches.is_empty(),
        "EGFR V791I is not the T790 hotspot"
    );
    // The multi-allelic TP53 R248 record: each allele gets its own ClinVar
    // record.
    let r248q = at(&v, 7674220, "T");
    let r248l = at(&v, 7674220, "A");
    assert!(has(r248q, "clinvar", "900003") && !has(r248q, "clinvar", "900008"));
    assert!(has(r248l, "clinvar", "900008") && !has(r248l, "clinvar", "900003"));
    assert_eq!(
        find(r248l, "cancer_hotspots", "TP53:R248L").level,
        MatchLevel::ProteinChange
    );
    // TP53 P72R carries Mutect2's FILTER `germline`: left out by default
    // and counted, like the `weak_evidence` PTEN call.
    assert!(!v.iter().any(|r| r.allele.pos == 7676154));
    let Some(StreamLine::Summary(summary)) = luad.last() else {
        panic!("no summary line");
    };
    assert_eq!(summary.filtered["filter:germline"], 1);
    assert_eq!(summary.filtered["filter:weak_evidence"], 1);
    // TP53 P72R (kept with --keep-filtered): common in gnomAD, benign with
    // 2 stars in ClinVar.
    let luad_all = sample_with("DEMO-LUAD.mutect2.vcf", true);
    let v_all = variants(&luad_all);
    let p72r = at(&v_all, 7676154, "C");
    let gnomad = find(p72r, "gnomad", "rs1042522");
    let population = gnomad.evidence.population.as_ref().unwrap();
    assert_eq!(population.af, Some(0.6));
    assert_eq!(population.grpmax_af, Some(0.72));
    let benign = find(p72r, "clinvar", "900009");
    assert_eq!(
        benign.evidence.clinical_significance.as_deref(),
        Some("Benign")
    );
    assert_eq!(benign.evidence.review_stars, Some(2));

    let crc = sample("DEMO-CRC.freebayes.vcf");
    let v = variants(&crc);
    let kras = at(&v, 25245351, "A");
    for id in ["EID90013", "EID90014", "AID902"] {
        assert_eq!(find(kras, "civic", id).level, MatchLevel::ProteinChange);
    }
    assert_eq!(
        find(kras, "civic", "EID90014")
            .evidence
            .disease
            .as_ref()
            .unwrap()
            .doid
            .as_deref(),
        Some("DOID:9256")
    );
    let filtered = find(kras, "gnomad", "12-25245351-C-A");
    assert!(
        filtered
            .evidence
            .description
            .as_deref()
            .is_some_and(|d| d.contains("AS_VQSR")),
        "{filtered:?}"
    );
    assert_eq!(
        find(at(&v, 179234297, "G"), "civic", "EID90016").level,
        MatchLevel::ProteinChange
    );
    assert!(v.iter().all(|r| !r.kb_matches.is_empty()));
}

#[test]
#[ignore = "conformance: needs ../shared/data and the make-demo-genome and vcf-annotate binaries"]
fn oncokb_grch38_maf_matches_hotspots_at_protein_level_after_annotation() {
    let data = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data"));
    assert!(
        data.is_dir(),
        "conformance: cannot find the shared test data folder {} (set SHARED_DATA)",
        data.display()
    );
    let dir = tempfile::tempdir().unwrap();

    // MAF rows with coordinates → VCF on the demo genome's contigs.
    let maf_path = data.join("oncokb_inputs/example_maf_grch38.txt");
    let maf = std::fs::read_to_string(&maf_path).unwrap();
    let mut lines = maf.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let reference =
        kb_lookup::normalise::Reference::open(&demo_genome().join("genome.fa.gz")).unwrap();
    let lengths = reference.lengths().clone();
    let mut normaliser = kb_lookup::normalise::Normaliser::new(Some(reference));
    // (gene, MAF HGVSp_Short, chrom, VCF pos, REF, ALT)
    let mut rows = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |name: &str| f.get(col(name)).copied().unwrap_or("");
        if get("Start_Position").is_empty() {
            continue;
        }
        let start: u64 = get("Start_Position").parse().unwrap();
        let (chrom, pos, r, a) = normaliser
            .from_maf(
                get("Chromosome"),
                start,
                get("Reference_Allele"),
                get("Tumor_Seq_Allele2"),
            )
            .unwrap()
            .expect("every MAF row is on a demo contig");
        rows.push((
            get("Hugo_Symbol").to_string(),
            get("HGVSp_Short").to_string(),
            chrom,
            pos,
            r,
            a,
        ));
    }
    assert_eq!(rows.len(), 6, "MAF rows with coordinates");
    let order: Vec<&String> = lengths.keys().collect();
    rows.sort_by_key(|r| {
        (
            order.iter().position(|c| **c == r.2).unwrap_or(usize::MAX),
            r.3,
        )
    });
    let mut vcf = String::from("##fileformat=VCFv4.2\n");
    for (name, length) in &lengths {
        vcf.push_str(&format!("##contig=<ID={name},length={length}>\n"));
    }
    vcf.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    for (_, _, chrom, pos, r, a) in &rows {
        vcf.push_str(&format!("{chrom}\t{pos}\t.\t{r}\t{a}\t.\t.\t.\n"));
    }
    let input = dir.path().join("maf.vcf");
    std::fs::write(&input, vcf).unwrap();
    // NF1 lies outside the demo gene models, where the demo genome is N:
    // its REF is flagged rather than stopping the run.
    let annotated = dir.path().join("maf.annotated.vcf");
    vcf_annotate(&input, &annotated, &["--ref-mismatch", "flag"]);

    // Bundle from the published cancerhotspots.org SNV and indel tables,
    // without the allele table, so matches come from the protein change.
    let h = data.join("cancer_hotspots");
    let sources = dir.path().join("SOURCES.toml");
    std::fs::write(
        &sources,
        format!(
            "[bundle]\nversion = \"e2e\"\ngenome_build = \"GRCh38\"\ncreated = \"2025-01-15T00:00:00Z\"\n\n\
[[source]]\nkind = \"cancer_hotspots\"\nrelease = \"v2\"\nlicence = \"ODbL-1.0\"\n\
files = {{ snv = \"{}\", indel = \"{}\" }}\n",
            h.join("cancerhotspots.org_hotspots_v2.SNV-hotspots.tsv")
                .display(),
            h.join("cancerhotspots.org_hotspots_v2.INDEL-hotspots.tsv")
                .display()
        ),
    )
    .unwrap();
    let bundle = dir.path().join("bundle");
    build(&BuildOptions {
        sources,
        out: bundle.clone(),
        tar: false,
        force: false,
        variables: BTreeMap::new(),
    })
    .unwrap();
    let out = kb_annotate(&bundle, &annotated, dir.path());
    let v = variants(&out);
    assert_eq!(v.len(), rows.len(), "one output allele per MAF row");

    let demo_genes = ["BRAF", "KRAS", "TP53", "EGFR", "PIK3CA", "IDH1", "PTEN"];
    for (gene, maf_protein, _, pos, _, alt) in &rows {
        let record = at(&v, *pos, alt);
        let transcripts: Vec<_> = record
            .consequences
            .iter()
            .filter(|c| c.feature.is_some())
            .collect();
        if !demo_genes.contains(&gene.as_str()) {
            assert!(
                transcripts.is_empty(),
                "{gene} is not in the demo genome, yet got {transcripts:?}"
            );
            assert!(record.flags.contains(&"ref_mismatch".to_string()));
            assert!(
                record
                    .kb_matches
                    .iter()
                    .all(|m| m.level == MatchLevel::ExactAllele),
                "{gene}: no transcript, so no protein-level match"
            );
            continue;
        }
        // vcf-annotate's HGVSp agrees with the MAF's own protein change.
        let picked = transcripts
            .iter()
            .find(|c| c.pick)
            .unwrap_or_else(|| panic!("{gene}: no picked transcript"));
        assert_eq!(picked.symbol.as_deref(), Some(gene.as_str()));
        let hgvsp = picked.hgvsp.as_deref().unwrap();
        let ours = kb_lookup::protein_change::parse(hgvsp).unwrap().short();
        assert_eq!(format!("p.{ours}"), *maf_protein, "{gene} {hgvsp}");
    }
    // KRAS G12C and TP53 R248Q match their hotspot records at protein level,
    // through the demo transcripts.
    for (pos, alt, id, transcript, hgvsp) in [
        (
            25245351,
            "A",
            "KRAS:G12C",
            "DEMOT00000002.1",
            "DEMOP00000002:p.Gly12Cys",
        ),
        (
            7674220,
            "T",
            "TP53:R248Q",
            "DEMOT00000003.1",
            "DEMOP00000003:p.Arg248Gln",
        ),
    ] {
        let record = at(&v, pos, alt);
        assert!(
            record
                .consequences
                .iter()
                .any(|c| c.hgvsp.as_deref() == Some(hgvsp)),
            "{id}: vcf-annotate did not give {hgvsp}"
        );
        let m = find(record, "cancer_hotspots", id);
        assert_eq!(m.level, MatchLevel::ProteinChange, "{id}");
        assert_eq!(m.transcript.as_deref(), Some(transcript));
        assert_eq!(m.on_picked_transcript, Some(true));
        let residue = id.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        assert_eq!(
            find(record, "cancer_hotspots", residue).level,
            MatchLevel::Codon
        );
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data and the make-demo-genome binary"]
fn demo_bundle_refuses_the_grch37_pcgr_example() {
    let data = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data"));
    let input = data.join("pcgr_examples/T001-BRCA.grch37.vcf.gz");
    assert!(
        input.is_file(),
        "conformance: cannot find {}",
        input.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("x.jsonl");
    let err = annotate(&AnnotateOptions {
        bundle: demo_bundle().to_path_buf(),
        input: Some(input),
        output: Some(output.clone()),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("genome build mismatch"), "{err}");
    assert!(!output.exists(), "no output after a refusal");
}
