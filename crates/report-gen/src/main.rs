//! `report-gen`: the tumour board report from rule-tier's JSON Lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use report_gen::cohort::{build_cohort, read_cohort_input};
use report_gen::date::{ReportDate, resolve_date};
use report_gen::html::{DEFAULT_PAGE_SIZE, render_cohort, render_sample};
use report_gen::model::TierKey;
use report_gen::tsv::{write_cohort_tsv, write_sample_tsv};
use report_gen::{ReportOptions, build_report, demo, read_stream};
use variant_model::io::AtomicOutput;

#[derive(Parser)]
#[command(
    name = "report-gen",
    version,
    about = "Render rule-tier's JSON Lines into the molecular tumour board report (HTML, JSON, TSV) and cohort summaries",
    after_help = "Report date: --date, else the input header's analysis_date, else SOURCE_DATE_EPOCH (UTC), \
else 'not recorded'. The wall clock is used only with --date today, so the same input gives byte-identical files."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One sample: writes PREFIX.html (self-contained), PREFIX.json and PREFIX.tsv.
    Sample(SampleArgs),
    /// Several samples: writes PREFIX.html and PREFIX.tsv (samples × genes
    /// matrix of tiered findings, tier counts and TMB per sample).
    Cohort(CohortArgs),
    /// Writes a SYNTHETIC demo stream (JSON Lines) to stdout or a file, to
    /// try the report or benchmark it.
    Demo(DemoArgs),
}

#[derive(Args)]
struct Common {
    /// Output directory (created if missing).
    #[arg(long, short = 'o')]
    out_dir: PathBuf,
    /// Report date, YYYY-MM-DD, or `today` to use the clock.
    #[arg(long)]
    date: Option<String>,
}

#[derive(Args)]
struct SampleArgs {
    /// rule-tier output (JSON Lines, optionally gzipped); stdin when absent or `-`.
    input: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// Output file name prefix [default: the sample name].
    #[arg(long)]
    prefix: Option<String>,
    /// Sample name to show, overriding the input header's (e.g. the
    /// sample sheet's id; a tumour/normal VCF names no single sample).
    /// Also the default --prefix.
    #[arg(long, value_name = "NAME")]
    sample: Option<String>,
    /// Tumour type to show, overriding the input header's.
    #[arg(long)]
    tumour_type: Option<String>,
    /// Rows per page in the HTML tier tables.
    #[arg(long, default_value_t = DEFAULT_PAGE_SIZE)]
    page_size: usize,
}

#[derive(Args)]
struct CohortArgs {
    /// Per-sample JSON reports of `report-gen sample`, or rule-tier JSON Lines streams.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// Output file name prefix.
    #[arg(long, default_value = "cohort")]
    prefix: String,
    /// Weakest tier shown in the matrix (I, II, III or IV).
    #[arg(long, default_value = "III", value_parser = parse_tier)]
    max_tier: TierKey,
}

#[derive(Args)]
struct DemoArgs {
    /// Output file; stdout when absent or `-`.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Instead of the demo sample, this many made-up variants (benchmark input).
    #[arg(long)]
    variants: Option<usize>,
}

fn parse_tier(text: &str) -> Result<TierKey, String> {
    TierKey::parse(text).ok_or_else(|| format!("{text:?}: expected I, II, III or IV"))
}

fn main() {
    if let Err(error) = run(Cli::parse()) {
        eprintln!("report-gen: error: {error:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Sample(args) => sample(args),
        Command::Cohort(args) => cohort(args),
        Command::Demo(args) => {
            let text = match args.variants {
                Some(n) => demo::to_jsonl(&demo::synthetic_stream(n)),
                None => demo::demo_jsonl(),
            };
            let mut out = AtomicOutput::create(args.output.as_deref())?;
            out.write_all(text.as_bytes())?;
            out.commit()?;
            Ok(())
        }
    }
}

fn report_date(flag: Option<&str>, header_date: Option<&str>) -> Result<ReportDate> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    Ok(resolve_date(flag, header_date, epoch.as_deref())?)
}

/// A file name from a sample name: letters, digits, `.`, `_`, `-` kept,
/// anything else (path separators included) replaced by `_`.
fn file_prefix(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_start_matches('.') {
        "" => "report".to_string(),
        rest => rest.to_string(),
    }
}

/// Writes every output to a temporary file first and renames them into
/// place only when all rendered, so a failure leaves no partial set.
fn write_outputs(files: Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let mut pending = Vec::new();
    for (path, bytes) in files {
        let mut out = AtomicOutput::create(Some(&path))?;
        out.write_all(&bytes)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        pending.push(out);
    }
    for out in pending {
        out.commit()?;
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create output directory", dir.display()))
}

fn sample(args: SampleArgs) -> Result<()> {
    if args.page_size == 0 {
        bail!("--page-size must be at least 1");
    }
    let input = read_stream(args.input.as_deref())?;
    let options = ReportOptions {
        sample: args.sample,
        tumour_type: args.tumour_type,
        date: report_date(
            args.common.date.as_deref(),
            input.header.analysis_date.as_deref(),
        )?,
    };
    let source = input.source.clone();
    let report = build_report(input, &options);
    let prefix = file_prefix(args.prefix.as_deref().unwrap_or(&report.header.sample));

    // The three renderings are independent: make them side by side.
    let (html, (json, tsv)) = rayon::join(
        || render_sample(&report, args.page_size),
        || {
            rayon::join(
                || -> serde_json::Result<Vec<u8>> {
                    let mut json = serde_json::to_vec(&report)?;
                    json.push(b'\n');
                    Ok(json)
                },
                || -> csv::Result<Vec<u8>> {
                    let mut tsv = Vec::new();
                    write_sample_tsv(&report, &mut tsv)?;
                    Ok(tsv)
                },
            )
        },
    );
    let (html, json, tsv) = (html?, json?, tsv?);
    create_dir(&args.common.out_dir)?;
    let dir = &args.common.out_dir;
    write_outputs(vec![
        (dir.join(format!("{prefix}.html")), html.into_bytes()),
        (dir.join(format!("{prefix}.json")), json),
        (dir.join(format!("{prefix}.tsv")), tsv),
    ])?;
    for warning in &report.qc.warnings {
        eprintln!("report-gen: warning: {source}: {warning}");
    }
    Ok(())
}

fn cohort(args: CohortArgs) -> Result<()> {
    let date = report_date(args.common.date.as_deref(), None)?;
    let mut reports = Vec::new();
    for path in &args.inputs {
        // Only the cohort's own date is shown, so streams need no other.
        let options = ReportOptions {
            sample: None,
            tumour_type: None,
            date: date.clone(),
        };
        reports.push((
            path.display().to_string(),
            read_cohort_input(path, &options)?,
        ));
    }
    let cohort = build_cohort(&reports, args.max_tier, date.date)?;
    let html = render_cohort(&cohort)?;
    let mut tsv = Vec::new();
    write_cohort_tsv(&cohort, &mut tsv)?;
    create_dir(&args.common.out_dir)?;
    let prefix = file_prefix(&args.prefix);
    let dir = &args.common.out_dir;
    write_outputs(vec![
        (dir.join(format!("{prefix}.html")), html.into_bytes()),
        (dir.join(format!("{prefix}.tsv")), tsv),
    ])?;
    for warning in &cohort.warnings {
        eprintln!("report-gen: warning: {warning}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_safe_file_names() {
        assert_eq!(file_prefix("DEMO-MEL"), "DEMO-MEL");
        assert_eq!(file_prefix("../etc/passwd"), "_etc_passwd");
        assert_eq!(file_prefix("a b/c"), "a_b_c");
        assert_eq!(file_prefix("..."), "report");
        assert_eq!(file_prefix(""), "report");
    }
}
