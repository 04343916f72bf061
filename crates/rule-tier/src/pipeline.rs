//! The streaming run: header in, header with this run's provenance out;
//! each variant classified and written as it is read; the summary last.
//! Memory does not depend on the number of variants.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use variant_model::io::{AtomicOutput, display_name, open_input};
use variant_model::record::{SCHEMA_VERSION, StreamLine, StreamSummary, ToolRun};

use crate::classify::{Classifier, SampleContext, SampleType};
use crate::cli::Args;
use crate::explain::explain;
use crate::germline::TumourOnlyMode;
use crate::ontology::Ontology;
use crate::rules::RuleSet;
use crate::summary::{SummaryBuilder, TmbParams};

/// Path of the ontology mapping inside a kb-lookup bundle directory.
pub const BUNDLE_ONTOLOGY_PATH: &str = "ontology/oncotree_doid.tsv";

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// Where the readable trace goes.
enum ExplainSink {
    Stderr(std::io::Stderr),
    File(AtomicOutput),
}

impl ExplainSink {
    fn write(&mut self, text: &str) -> std::io::Result<()> {
        match self {
            ExplainSink::Stderr(e) => e.write_all(text.as_bytes()),
            ExplainSink::File(f) => f.write_all(text.as_bytes()),
        }
    }
}

fn ontology_path(args: &Args) -> Option<PathBuf> {
    args.ontology
        .clone()
        .or_else(|| args.bundle.as_ref().map(|b| b.join(BUNDLE_ONTOLOGY_PATH)))
}

/// Runs rule-tier as the command line asks.
pub fn run(args: &Args) -> Result<()> {
    let rules = RuleSet::load(&args.rules).context("cannot load the rules")?;
    let ontology = match ontology_path(args) {
        Some(path) => Some(Ontology::load(&path)?),
        None => None,
    };
    if let Some(size) = args.target_size_mb
        && !(size.is_finite() && size > 0.0)
    {
        bail!("--target-size-mb {size}: must be a positive number of megabases");
    }
    let tmb_params = match (args.sample_type, args.target_size_mb) {
        (SampleType::Somatic, Some(target_size_mb)) => {
            let min_vaf = args.tmb_min_vaf.unwrap_or(rules.tmb.rules.default_min_vaf);
            if !(0.0..=1.0).contains(&min_vaf) {
                bail!("--tmb-min-vaf {min_vaf}: must be in 0..1");
            }
            Some(TmbParams {
                target_size_mb,
                min_vaf,
                min_depth: args
                    .tmb_min_depth
                    .unwrap_or(rules.tmb.rules.default_min_depth),
            })
        }
        _ => None,
    };
    // Check the sample before reading any input.
    let sample = |population_looked_up| SampleContext {
        sample_type: args.sample_type,
        tumour_type: args.tumour_type.clone(),
        population_looked_up,
        tumour_only: args.tumour_only,
    };
    Classifier::new(&rules, ontology.as_ref(), sample(false))?;
    let input_name = display_name(args.input.as_deref(), "<stdin>");
    let input = open_input(args.input.as_deref())?;
    let mut output = AtomicOutput::create(args.output.as_deref())?;
    let mut explain_sink = match (&args.explain_file, args.explain) {
        (Some(path), _) => Some(ExplainSink::File(AtomicOutput::create(Some(path))?)),
        (None, true) => Some(ExplainSink::Stderr(std::io::stderr())),
        (None, false) => None,
    };

    let mut lines = input.lines().enumerate();
    let mut next_line = || -> Result<Option<(usize, StreamLine)>> {
        for (index, line) in lines.by_ref() {
            let line_no = index + 1;
            let line = line.with_context(|| format!("{input_name}:{line_no}: cannot read"))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: StreamLine = serde_json::from_str(&line)
                .with_context(|| format!("{input_name}:{line_no}: not a valid stream line"))?;
            return Ok(Some((line_no, parsed)));
        }
        Ok(None)
    };

    let mut header = match next_line()? {
        Some((_, StreamLine::Header(h))) => h,
        Some((line_no, _)) => bail!("{input_name}:{line_no}: the first line must be the header"),
        None => bail!("{input_name}: empty input, no header line"),
    };
    if major(&header.schema_version) != major(SCHEMA_VERSION) {
        bail!(
            "{input_name}:1: schema version {} is not compatible with {SCHEMA_VERSION}",
            header.schema_version
        );
    }
    let population_looked_up = !args.no_population_data
        && (header.bundle.is_some() || !rules.common.rules.population.absence_requires_bundle);
    let classifier = Classifier::new(&rules, ontology.as_ref(), sample(population_looked_up))?;

    header.provenance.push(ToolRun {
        tool: "rule-tier".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        params: provenance_params(
            args,
            &rules,
            ontology.as_ref(),
            tmb_params.as_ref(),
            population_looked_up,
        ),
    });
    write_line(&mut output, &StreamLine::Header(header))?;

    let mut summary = SummaryBuilder::new(tmb_params.map(|p| (p, rules.tmb.rules.clone())));
    if args.sample_type == SampleType::Somatic {
        summary = summary.with_germline_screen(args.tumour_only, rules.tumour_only.label());
    }
    let mut upstream_summary: Option<(usize, StreamSummary)> = None;
    let mut reclassified = 0u64;
    while let Some((line_no, line)) = next_line()? {
        if let Some((summary_line, _)) = &upstream_summary {
            bail!("{input_name}:{line_no}: a line follows the summary line {summary_line}");
        }
        match line {
            StreamLine::Header(_) => bail!("{input_name}:{line_no}: a second header line"),
            StreamLine::Summary(s) => upstream_summary = Some((line_no, s)),
            StreamLine::Variant(mut record) => {
                let facts = classifier.facts(&record);
                if record.classification.is_some() {
                    reclassified += 1;
                }
                // A variant on a contig the reference lacks carries no
                // annotation: no tier rather than an uninformed Tier III.
                let unknown_contig = record.flags.iter().any(|f| f == "unknown_contig");
                record.classification = ((facts.passed_filters || args.classify_filtered)
                    && !unknown_contig)
                    .then(|| classifier.classify(&record));
                summary.observe(&record, &facts, record.classification.as_ref());
                if let Some(sink) = &mut explain_sink {
                    sink.write(&explain(
                        &record,
                        &facts.label(),
                        record.classification.as_ref(),
                    ))
                    .context("cannot write the explain trace")?;
                }
                write_line(&mut output, &StreamLine::Variant(record))?;
            }
        }
    }
    let upstream = match upstream_summary {
        Some((line_no, s)) => {
            let variants = summary.variants();
            if s.alleles_written != variants {
                bail!(
                    "{input_name}:{line_no}: the summary says {} variants were written but {variants} \
                     were read: truncated or altered input",
                    s.alleles_written
                );
            }
            Some(s)
        }
        None => {
            eprintln!("rule-tier: warning: {input_name} has no summary line; it may be truncated");
            None
        }
    };
    let mut final_summary = summary.finish(upstream);
    if reclassified > 0 {
        final_summary
            .counts
            .insert("rule_tier.reclassified".into(), reclassified);
    }
    write_line(&mut output, &StreamLine::Summary(final_summary))?;
    output.commit()?;
    if let Some(ExplainSink::File(f)) = explain_sink {
        f.commit()?;
    }
    Ok(())
}

fn write_line(output: &mut AtomicOutput, line: &StreamLine) -> Result<()> {
    serde_json::to_writer(&mut *output, line).map_err(|e| anyhow!("cannot write output: {e}"))?;
    output.write_all(b"\n").context("cannot write output")?;
    Ok(())
}

/// Every parameter that changes results, for the header provenance.
fn provenance_params(
    args: &Args,
    rules: &RuleSet,
    ontology: Option<&Ontology>,
    tmb: Option<&TmbParams>,
    population_looked_up: bool,
) -> BTreeMap<String, String> {
    let mut params = rules.provenance();
    params.insert("sample_type".into(), args.sample_type.to_string());
    if let Some(t) = &args.tumour_type {
        params.insert("tumour_type".into(), t.clone());
    }
    if let Some(o) = ontology {
        params.insert(
            "ontology".into(),
            format!("{} sha256:{}", o.file_name, o.sha256),
        );
    }
    match tmb {
        Some(t) => {
            params.insert("target_size_mb".into(), t.target_size_mb.to_string());
            params.insert("tmb_min_vaf".into(), t.min_vaf.to_string());
            params.insert("tmb_min_depth".into(), t.min_depth.to_string());
        }
        None => {
            params.insert("tmb".into(), "not computed".into());
        }
    }
    if args.sample_type == SampleType::Somatic {
        params.insert(
            "tumour_only".into(),
            match args.tumour_only {
                TumourOnlyMode::Auto => "auto (variants without a normal call)",
                TumourOnlyMode::Yes => "yes (every variant)",
                TumourOnlyMode::No => "no",
            }
            .into(),
        );
    }
    params.insert(
        "classify_filtered".into(),
        args.classify_filtered.to_string(),
    );
    params.insert(
        "population_absence".into(),
        if population_looked_up {
            "concluded when no gnomAD record".into()
        } else {
            "never concluded".into()
        },
    );
    params
}
