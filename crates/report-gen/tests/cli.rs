//! The `report-gen` command as a user runs it.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;
use report_gen::demo::demo_jsonl;
use report_gen::model::SampleReport;

fn report_gen(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_report-gen"));
    command
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn sample_writes_html_json_and_tsv_named_after_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "demo.jsonl", &demo_jsonl());
    let out = dir.path().join("out");
    let output = report_gen(
        &["sample", &input, "--out-dir", out.to_str().unwrap()],
        None,
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        files_in(&out),
        ["DEMO-MEL.html", "DEMO-MEL.json", "DEMO-MEL.tsv"]
    );
    let report: SampleReport =
        serde_json::from_slice(&std::fs::read(out.join("DEMO-MEL.json")).unwrap()).unwrap();
    assert_eq!(report.summary.variants, 7);
    assert_eq!(
        report.header.date.as_deref(),
        Some("2026-11-23"),
        "the date of the input header"
    );
    assert_eq!(report.header.date_source, "input header");
}

#[test]
fn same_input_gives_byte_identical_files_from_a_file_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "demo.jsonl", &demo_jsonl());
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    let a = report_gen(
        &["sample", &input, "-o", first.to_str().unwrap()],
        None,
        &[],
    );
    let b = report_gen(
        &["sample", "-o", second.to_str().unwrap()],
        Some(&demo_jsonl()),
        &[],
    );
    assert!(a.status.success() && b.status.success());
    for name in ["DEMO-MEL.html", "DEMO-MEL.json", "DEMO-MEL.tsv"] {
        assert!(
            std::fs::read(first.join(name)).unwrap() == std::fs::read(second.join(name)).unwrap(),
            "{name} differs between runs"
        );
    }
}

#[test]
fn the_date_comes_from_the_flag_or_source_date_epoch_never_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    // A header without analysis_date.
    let lines = vec![
        variant_model::record::StreamLine::Header(header("S1")),
        summary(0, 0),
    ];
    let input = write(dir.path(), "s1.jsonl", &jsonl(&lines));
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let read = |name: &str| -> SampleReport {
        serde_json::from_slice(&std::fs::read(Path::new(out).join(name)).unwrap()).unwrap()
    };

    assert!(
        report_gen(&["sample", &input, "-o", out], None, &[])
            .status
            .success()
    );
    let report = read("S1.json");
    assert_eq!(
        (report.header.date, report.header.date_source.as_str()),
        (None, "not recorded")
    );

    let env = [("SOURCE_DATE_EPOCH", "1700000000")];
    assert!(
        report_gen(&["sample", &input, "-o", out], None, &env)
            .status
            .success()
    );
    assert_eq!(read("S1.json").header.date.as_deref(), Some("2023-11-14"));

    let args = [
        "sample",
        &input,
        "-o",
        out,
        "--date",
        "2025-12-31",
        "--prefix",
        "x",
    ];
    assert!(report_gen(&args, None, &env).status.success());
    assert_eq!(read("x.json").header.date.as_deref(), Some("2025-12-31"));

    let output = report_gen(
        &["sample", &input, "-o", out, "--date", "31.12.2025"],
        None,
        &[],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--date \"31.12.2025\""));
}

#[test]
fn bad_input_fails_naming_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = demo_jsonl();
    text.insert_str(
        text.find('\n').unwrap() + 1,
        "{\"kind\":\"variant\",\"pos\":\"x\"}\n",
    );
    let input = write(dir.path(), "bad.jsonl", &text);
    let out = dir.path().join("out");
    let output = report_gen(
        &["sample", &input, "--out-dir", out.to_str().unwrap()],
        None,
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{input}:2: not a valid stream line")),
        "{stderr}"
    );
    assert!(files_in(&out).is_empty(), "partial output left behind");

    let output = report_gen(&["sample", "-o", out.to_str().unwrap()], Some(""), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("<stdin>: empty input"));

    let missing = dir.path().join("missing.jsonl");
    let output = report_gen(
        &[
            "sample",
            missing.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.jsonl: cannot open"));
}

#[test]
fn warnings_go_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![variant_model::record::StreamLine::Header(header("S1"))];
    let input = write(dir.path(), "s1.jsonl", &jsonl(&lines));
    let output = report_gen(
        &[
            "sample",
            &input,
            "-o",
            dir.path().join("o").to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning: "));
}

#[test]
fn cohort_reads_json_reports_and_streams() {
    let dir = tempfile::tempdir().unwrap();
    let demo = write(dir.path(), "demo.jsonl", &demo_jsonl());
    let reports = dir.path().join("reports");
    assert!(
        report_gen(
            &["sample", &demo, "-o", reports.to_str().unwrap()],
            None,
            &[]
        )
        .status
        .success()
    );
    let other = jsonl(&[
        variant_model::record::StreamLine::Header(header("S2")),
        variant_model::record::StreamLine::Variant(variant(
            "TP53",
            175,
            Some(variant_model::classification::AmpTier::II),
            Some(variant_model::classification::AmpLevel::D),
            Some(0.3),
        )),
        summary(1, 1),
    ]);
    let other = write(dir.path(), "s2.jsonl", &other);
    let out = dir.path().join("cohort");
    let output = report_gen(
        &[
            "cohort",
            reports.join("DEMO-MEL.json").to_str().unwrap(),
            &other,
            "-o",
            out.to_str().unwrap(),
            "--date",
            "2026-02-03",
        ],
        None,
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(files_in(&out), ["cohort.html", "cohort.tsv"]);
    let tsv = std::fs::read_to_string(out.join("cohort.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    let tp53 = rows[0].iter().position(|h| *h == "TP53").unwrap();
    assert_eq!(rows[0][tp53 - 1..tp53 + 1].len(), 2);
    assert_eq!(rows[1][0], "DEMO-MEL");
    assert_eq!(rows[1][tp53], "p.R175H (II D)");
    assert_eq!(rows[2][0], "S2");
    assert_eq!(rows[2][tp53], "p.K175R (II D)");
    let html = std::fs::read_to_string(out.join("cohort.html")).unwrap();
    assert!(html.contains("2026-02-03"));

    let output = report_gen(
        &["cohort", &demo, &demo, "-o", out.to_str().unwrap()],
        None,
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("appears twice"));

    let junk = write(dir.path(), "junk.json", "[1, 2]");
    let output = report_gen(&["cohort", &junk, "-o", out.to_str().unwrap()], None, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("junk.json: neither a report-gen JSON report nor a JSON Lines stream")
    );
}

#[test]
fn sample_flag_names_a_report_whose_input_names_no_sample() {
    let dir = tempfile::tempdir().unwrap();
    // A tumour/normal stream: its header names no single sample.
    let mut unnamed = header("unused");
    unnamed.sample = None;
    let stream = jsonl(&[
        variant_model::record::StreamLine::Header(unnamed),
        variant_model::record::StreamLine::Variant(variant(
            "TP53",
            175,
            Some(variant_model::classification::AmpTier::II),
            Some(variant_model::classification::AmpLevel::D),
            Some(0.3),
        )),
        summary(1, 1),
    ]);
    let input = write(dir.path(), "unnamed.jsonl", &stream);
    let out = dir.path().join("out");
    let mut reports = Vec::new();
    for name in ["PT-1", "PT-2"] {
        let output = report_gen(
            &[
                "sample",
                &input,
                "--sample",
                name,
                "-o",
                out.to_str().unwrap(),
            ],
            None,
            &[],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("names no sample"),
            "the flag names it"
        );
        let path = out.join(format!("{name}.json"));
        let report: SampleReport = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(report.header.sample, name);
        let html = std::fs::read_to_string(out.join(format!("{name}.html"))).unwrap();
        assert!(html.contains(name));
        reports.push(path.display().to_string());
    }
    // Without the flag both would be "unnamed sample", which a cohort refuses.
    let cohort = dir.path().join("cohort");
    let output = report_gen(
        &[
            "cohort",
            &reports[0],
            &reports[1],
            "-o",
            cohort.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tsv = std::fs::read_to_string(cohort.join("cohort.tsv")).unwrap();
    let samples: Vec<&str> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(samples, ["PT-1", "PT-2"]);
}

#[test]
fn demo_writes_a_stream_that_sample_reads() {
    let output = report_gen(&["demo", "--variants", "25"], None, &[]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 27, "header + 25 variants + summary");
    let stream = report_gen::stream::parse_stream(text.as_bytes(), "demo").unwrap();
    assert_eq!(stream.variants.len(), 25);
}
