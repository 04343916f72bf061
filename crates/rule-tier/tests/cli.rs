//! The `rule-tier` command on JSON Lines streams made in code.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;
use variant_model::SoTerm::*;
use variant_model::evidence::MatchLevel::ProteinChange;
use variant_model::record::{
    BundleRef, SCHEMA_VERSION, StreamHeader, StreamLine, StreamSummary, ToolRun,
};

fn header(with_bundle: bool) -> StreamLine {
    StreamLine::Header(StreamHeader {
        schema_version: SCHEMA_VERSION.into(),
        sample: Some("T001".into()),
        genome_build: Some("GRCh38".into()),
        provenance: vec![ToolRun {
            tool: "kb-lookup".into(),
            version: "0.1.0".into(),
            params: Default::default(),
        }],
        bundle: with_bundle.then(|| BundleRef {
            version: "2025.1".into(),
            genome_build: "GRCh38".into(),
            manifest_sha256: "00".into(),
            redistributable: true,
        }),
        ..Default::default()
    })
}

/// Header, four variants (actionable BRAF V600E, a LowQual call, a
/// synonymous variant, a common polymorphism) and the upstream summary.
fn stream_lines() -> Vec<StreamLine> {
    let braf = with_call(
        with(
            variant("BRAF", MissenseVariant, Some("V600E")),
            vec![civic(
                "EID95",
                "A",
                doid("Melanoma", "DOID:1909"),
                ProteinChange,
                "BRAF V600E",
            )],
        ),
        100,
        0.3,
    );
    let mut low_qual = with_call(variant("NRAS", MissenseVariant, Some("Q61K")), 8, 0.5);
    low_qual.filters = vec!["LowQual".into()];
    let synonymous = with_call(variant("TTN", SynonymousVariant, None), 80, 0.2);
    let common_snp = with_call(
        with(
            variant("TP53", MissenseVariant, Some("P72R")),
            vec![gnomad(0.6)],
        ),
        90,
        0.5,
    );
    let mut lines = vec![header(true)];
    for v in [braf, low_qual, synonymous, common_snp] {
        lines.push(StreamLine::Variant(v));
    }
    lines.push(StreamLine::Summary(StreamSummary {
        records_read: 4,
        alleles_written: 4,
        // kb-lookup's PASS-only filter (records left out upstream).
        filtered: [("filter:weak_evidence".to_string(), 2)].into(),
        ..Default::default()
    }));
    lines
}

fn to_jsonl(lines: &[StreamLine]) -> String {
    lines
        .iter()
        .map(|l| serde_json::to_string(l).unwrap() + "\n")
        .collect()
}

fn write_input(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn rule_tier(args: &[&str], stdin: Option<&str>) -> Output {
    let rules = repo_root().join("conf/rules");
    let ontology = repo_root().join("assets/ontology/oncotree_doid.tsv");
    let mut command = Command::new(env!("CARGO_BIN_EXE_rule-tier"));
    command
        .arg("--rules")
        .arg(&rules)
        .arg("--ontology")
        .arg(&ontology)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin_pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            stdin_pipe.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn parse_output(text: &str) -> Vec<StreamLine> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn classifies_a_somatic_stream_with_summary_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "in.jsonl", &to_jsonl(&stream_lines()));
    let out = dir.path().join("out.jsonl");
    let explain = dir.path().join("explain.txt");
    let output = rule_tier(
        &[
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--sample-type",
            "somatic",
            "--tumour-type",
            "MEL",
            "--target-size-mb",
            "2",
            "--explain-file",
            explain.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = parse_output(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(lines.len(), 6);

    let StreamLine::Header(h) = &lines[0] else {
        panic!("header first")
    };
    assert_eq!(h.provenance.len(), 2);
    let run = &h.provenance[1];
    assert_eq!(run.tool, "rule-tier");
    for (key, value) in [
        ("tumour_type", "MEL"),
        ("sample_type", "somatic"),
        ("target_size_mb", "2"),
        ("tmb_min_vaf", "0.05"),
        ("tmb_min_depth", "25"),
        ("classify_filtered", "false"),
    ] {
        assert_eq!(
            run.params.get(key).map(String::as_str),
            Some(value),
            "{key}"
        );
    }
    assert!(run.params["rules.amp"].starts_with("amp_asco_cap_2017.toml 1.0.0 sha256:"));
    assert!(run.params["ontology"].starts_with("oncotree_doid.tsv sha256:"));

    let variants: Vec<_> = lines[1..5]
        .iter()
        .map(|l| match l {
            StreamLine::Variant(v) => v,
            other => panic!("expected a variant, got {other:?}"),
        })
        .collect();
    let genes: Vec<_> = variants
        .iter()
        .map(|v| v.consequences[0].symbol.clone().unwrap())
        .collect();
    assert_eq!(genes, ["BRAF", "NRAS", "TTN", "TP53"], "input order kept");
    let braf = variants[0].classification.as_ref().unwrap();
    assert_eq!(
        format!("{:?}", braf.amp.as_ref().unwrap()),
        "AmpCall { tier: I, level: Some(A) }"
    );
    assert!(
        braf.trace.iter().any(|f| f.rule_id == "amp.tier_i.level_a"
            && f.evidence.iter().any(|e| e.record_id == "EID95"))
    );
    assert!(
        variants[1].classification.is_none(),
        "LowQual call is not classified"
    );

    let StreamLine::Summary(s) = &lines[5] else {
        panic!("summary last")
    };
    assert_eq!(s.records_read, 4, "upstream counts carried over");
    assert_eq!(
        s.filtered["filter:weak_evidence"], 2,
        "upstream filters carried over"
    );
    assert_eq!(s.alleles_written, 4);
    assert_eq!(s.counts["rule_tier.unclassified.filter:LowQual"], 1);
    let tiers = &s.classifications["amp_tier"];
    assert_eq!(
        tiers
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [("Tier I", 1), ("Tier III", 1)]
    );
    // No call has role normal: tumour-only. The common TP53 P72R
    // polymorphism (gnomAD 0.6) is likely germline, counted apart under the
    // tier it would have.
    assert_eq!(s.classifications["likely_germline"]["Tier IV"], 1);
    let screen = s.germline_screen.as_ref().unwrap();
    assert!(screen.is_tumour_only());
    assert_eq!(
        (screen.tumour_only_variants, screen.likely_germline),
        (3, 1)
    );
    assert_eq!(screen.criteria["population_af"], 1);
    assert!(screen.rules.starts_with("tumour_only.toml@"));
    let tp53 = variants[3].classification.as_ref().unwrap();
    let flag = tp53.likely_germline.as_ref().unwrap();
    assert_eq!(flag.criteria, ["population_af", "vaf_heterozygous"]);
    assert_eq!(tp53.trace[0].rule_id, "tumour_only.germline.flagged");
    assert!(
        braf.likely_germline.is_none(),
        "VAF 0.3, no population record"
    );
    let tmb = s.tmb.as_ref().unwrap();
    assert_eq!(tmb.variants_counted, 1);
    assert_eq!(tmb.mutations_per_mb, 0.5);
    assert_eq!(
        tmb.excluded
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [
            ("filter", 1),
            ("not_coding_nonsynonymous", 1),
            ("population_af", 1)
        ]
    );

    let trace = std::fs::read_to_string(&explain).unwrap();
    assert!(
        trace.contains("AMP/ASCO/CAP 2017: Tier I, level A"),
        "{trace}"
    );
    assert!(trace.contains("[amp.tier_i.level_a]"), "{trace}");
    assert!(trace.contains("evidence: civic:EID95"), "{trace}");
    assert!(trace.contains("not classified: FILTER LowQual"), "{trace}");
    assert!(trace.contains("[amp.tier_iv.population_af]"), "{trace}");
    // Every rule of the JSON trace is in the readable trace.
    for firing in &braf.trace {
        assert!(trace.contains(&firing.explanation), "{}", firing.rule_id);
    }
}

#[test]
fn output_is_deterministic_and_streams_through_stdin_stdout() {
    let text = to_jsonl(&stream_lines());
    let args = [
        "--sample-type",
        "somatic",
        "--tumour-type",
        "SKCM",
        "--target-size-mb",
        "1.2",
    ];
    let first = rule_tier(&args, Some(&text));
    let second = rule_tier(&args, Some(&text));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn tmb_filters_are_parameters() {
    let text = to_jsonl(&stream_lines());
    let output = rule_tier(
        &[
            "--sample-type",
            "somatic",
            "--tumour-type",
            "MEL",
            "--target-size-mb",
            "1",
            "--tmb-min-depth",
            "150",
        ],
        Some(&text),
    );
    assert!(output.status.success());
    let lines = parse_output(&String::from_utf8(output.stdout).unwrap());
    let StreamLine::Summary(s) = lines.last().unwrap() else {
        panic!()
    };
    let tmb = s.tmb.as_ref().unwrap();
    assert_eq!(tmb.min_depth, 150);
    assert_eq!(tmb.variants_counted, 0);
    assert_eq!(tmb.excluded["depth_below_min"], 1);
}

#[test]
fn variants_on_unknown_contigs_stay_unclassified_and_are_counted() {
    let mut lines = stream_lines();
    let StreamLine::Variant(synonymous) = &mut lines[3] else {
        panic!()
    };
    synonymous.allele.chrom = "chrUn_x".into();
    synonymous.consequences.clear();
    synonymous.flags.push("unknown_contig".into());
    if let StreamLine::Summary(s) = lines.last_mut().unwrap() {
        s.unmatched_contigs.insert("chrUn_x".into(), 1);
    }
    let args = ["--sample-type", "somatic", "--tumour-type", "MEL"];
    let output = rule_tier(&args, Some(&to_jsonl(&lines)));
    assert!(output.status.success());
    let out = parse_output(&String::from_utf8(output.stdout).unwrap());
    let StreamLine::Variant(v) = &out[3] else {
        panic!()
    };
    assert!(v.classification.is_none(), "no tier without annotation");
    let StreamLine::Summary(s) = out.last().unwrap() else {
        panic!()
    };
    assert_eq!(s.counts["rule_tier.unclassified.unknown_contig"], 1);
    assert_eq!(s.unmatched_contigs["chrUn_x"], 1, "carried through");
}

#[test]
fn filtered_calls_can_be_classified_on_request_and_stay_out_of_tmb() {
    let text = to_jsonl(&stream_lines());
    let args = [
        "--sample-type",
        "somatic",
        "--tumour-type",
        "MEL",
        "--target-size-mb",
        "1",
        "--classify-filtered",
    ];
    let output = rule_tier(&[&args[..], &["--explain"]].concat(), Some(&text));
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[amp.tier_i.level_a]"),
        "trace on stderr: {stderr}"
    );
    let lines = parse_output(&String::from_utf8(output.stdout).unwrap());
    let StreamLine::Variant(low_qual) = &lines[2] else {
        panic!()
    };
    assert_eq!(low_qual.filters, ["LowQual"]);
    assert!(low_qual.classification.is_some());
    let StreamLine::Summary(s) = lines.last().unwrap() else {
        panic!()
    };
    assert!(
        !s.counts
            .contains_key("rule_tier.unclassified.filter:LowQual")
    );
    assert_eq!(s.classifications["amp_tier"].values().sum::<u64>(), 3);
    assert_eq!(
        s.classifications["likely_germline"].values().sum::<u64>(),
        1
    );
    assert_eq!(s.tmb.as_ref().unwrap().excluded["filter"], 1);
}

#[test]
fn germline_streams_get_acmg_classes() {
    let lines = vec![
        header(true),
        StreamLine::Variant(variant("BRCA1", FrameshiftVariant, None)),
        StreamLine::Summary(StreamSummary {
            alleles_written: 1,
            ..Default::default()
        }),
    ];
    let output = rule_tier(&["--sample-type", "germline"], Some(&to_jsonl(&lines)));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = parse_output(&String::from_utf8(output.stdout).unwrap());
    let StreamLine::Variant(v) = &out[1] else {
        panic!()
    };
    let c = v.classification.as_ref().unwrap();
    assert!(c.amp.is_none());
    assert_eq!(c.acmg.as_ref().unwrap().class, "Likely pathogenic");
    let StreamLine::Summary(s) = &out[2] else {
        panic!()
    };
    assert!(s.tmb.is_none());
    assert_eq!(s.classifications["acmg"]["Likely pathogenic"], 1);
}

#[test]
fn without_a_bundle_absence_from_gnomad_is_not_concluded() {
    let lines = vec![
        header(false),
        StreamLine::Variant(variant("BRCA1", FrameshiftVariant, None)),
        StreamLine::Summary(StreamSummary {
            alleles_written: 1,
            ..Default::default()
        }),
    ];
    let output = rule_tier(&["--sample-type", "germline"], Some(&to_jsonl(&lines)));
    assert!(output.status.success());
    let out = parse_output(&String::from_utf8(output.stdout).unwrap());
    let StreamLine::Variant(v) = &out[1] else {
        panic!()
    };
    let acmg = v.classification.as_ref().unwrap().acmg.as_ref().unwrap();
    assert_eq!(acmg.class, "Uncertain significance");
    assert!(acmg.criteria.iter().all(|c| c.code != "PM2"));
}

#[test]
fn bad_lines_are_errors_with_file_and_line_and_leave_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let full = to_jsonl(&stream_lines());
    let lines: Vec<&str> = full.lines().collect();
    // Header, one variant, then a line cut short.
    let text = format!(
        "{}\n{}\n{{\"kind\":\"variant\",\"chrom\":\n",
        lines[0], lines[1]
    );
    let input = write_input(dir.path(), "broken.jsonl", &text);
    let out = dir.path().join("out.jsonl");
    let output = rule_tier(
        &[
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--sample-type",
            "somatic",
            "--tumour-type",
            "MEL",
        ],
        None,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.jsonl:3: not a valid stream line"),
        "{stderr}"
    );
    assert!(!out.exists(), "no half-written output");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn structural_errors_are_reported() {
    let lines = stream_lines();
    let somatic = ["--sample-type", "somatic", "--tumour-type", "MEL"];

    // Variant before the header.
    let text = to_jsonl(&[lines[1].clone(), lines[0].clone()]);
    let output = rule_tier(&somatic, Some(&text));
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("<stdin>:1: the first line must be the header")
    );

    // Fewer variants than the upstream summary says: truncated input.
    let mut truncated = lines.clone();
    truncated.remove(2);
    let output = rule_tier(&somatic, Some(&to_jsonl(&truncated)));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("summary says 4 variants were written but 3 were read"),
        "{stderr}"
    );

    // A line after the summary.
    let mut trailing = lines.clone();
    trailing.push(lines[1].clone());
    let output = rule_tier(&somatic, Some(&to_jsonl(&trailing)));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("follows the summary line"));

    // Incompatible schema version.
    let text = to_jsonl(&lines).replacen(
        "\"schema_version\":\"1.0\"",
        "\"schema_version\":\"2.0\"",
        1,
    );
    let output = rule_tier(&somatic, Some(&text));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("schema version 2.0"));
}

#[test]
fn sample_errors_are_reported_before_reading() {
    let output = rule_tier(&["--sample-type", "somatic"], Some(""));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a tumour type"));

    let output = rule_tier(
        &["--sample-type", "somatic", "--tumour-type", "LAUD"],
        Some(""),
    );
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("tumour type `LAUD` is not an OncoTree code")
    );

    let output = rule_tier(&["--sample-type", "tumour"], Some(""));
    assert!(!output.status.success());

    let output = rule_tier(
        &[
            "--sample-type",
            "somatic",
            "--tumour-type",
            "MEL",
            "--target-size-mb",
            "0",
        ],
        Some(""),
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--target-size-mb 0"));
}

#[test]
fn the_ontology_is_found_inside_a_bundle() {
    let bundle = tempfile::tempdir().unwrap();
    std::fs::create_dir(bundle.path().join("ontology")).unwrap();
    std::fs::copy(
        repo_root().join("assets/ontology/oncotree_doid.tsv"),
        bundle
            .path()
            .join(rule_tier::pipeline::BUNDLE_ONTOLOGY_PATH),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rule-tier"))
        .arg("--rules")
        .arg(repo_root().join("conf/rules"))
        .arg("--bundle")
        .arg(bundle.path())
        .args(["--sample-type", "somatic", "--tumour-type", "MEL"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(to_jsonl(&stream_lines()).as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let missing = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rule-tier"))
        .arg("--rules")
        .arg(repo_root().join("conf/rules"))
        .arg("--bundle")
        .arg(missing.path())
        .args(["--sample-type", "somatic", "--tumour-type", "MEL"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ontology/oncotree_doid.tsv"));
}
