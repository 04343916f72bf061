//! The streaming pipeline: read → normalise → sort window → annotate → write.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context;
use rayon::prelude::*;

use crate::cli::Args;
use crate::consequence::{AnnotateOptions, Annotator, write_output_record};
use crate::contigs::{reference_contig_map, rename_header_contigs};
use crate::gene_model::GeneModel;
use crate::input::{InputOptions, VcfInput};
use crate::normalise::{NormaliseError, NormaliseOptions, Normaliser, RefMismatch, SortWindow};
use crate::output::{VcfOutput, add_provenance, command_line, format_normalised};
use crate::record::{InputRecord, NormFlag, NormalisedRecord};
use crate::reference::Reference;

/// Records parsed and normalised per parallel step; bounds memory.
const CHUNK_RECORDS: usize = 20_000;

/// Records formatted into one buffer by one parallel task.
const FORMAT_BATCH: usize = 256;

/// VCF lines formatted by one parallel task, and the first error.
#[derive(Default)]
struct Formatted {
    bytes: Vec<u8>,
    records: u64,
    error: Option<std::io::Error>,
    scratch: String,
}

/// Formats records as VCF lines in parallel, then writes them in order.
/// Returns how many were written.
fn write_in_order<T: Send>(
    items: Vec<T>,
    output: &mut VcfOutput,
    format: impl Fn(T, &mut Vec<u8>, &mut String) -> std::io::Result<()> + Sync,
) -> anyhow::Result<u64> {
    let n = items.len() as u64;
    let buffers = items
        .into_par_iter()
        .chunks(FORMAT_BATCH)
        .map(|batch| {
            let mut buf = Vec::with_capacity(batch.len() * 256);
            let mut scratch = String::new();
            for item in batch {
                format(item, &mut buf, &mut scratch)?;
            }
            Ok(buf)
        })
        .collect::<std::io::Result<Vec<Vec<u8>>>>()
        .map_err(|e| anyhow::anyhow!("cannot format a record: {e}"))?;
    for buf in buffers {
        output.write_formatted(buf)?;
    }
    Ok(n)
}

/// Counts reported at the end of a run, so nothing disappears silently.
#[derive(Debug, Default, serde::Serialize)]
pub struct RunSummary {
    pub records_read: u64,
    pub alleles_written: u64,
    pub counts: BTreeMap<String, u64>,
    /// Input records on contigs absent from the reference (after
    /// aliasing), by contig: kept unannotated or, with `--unknown-contigs
    /// error`, none (the run stops).
    pub unmatched_contigs: BTreeMap<String, u64>,
    /// `##contig` lines renamed to the reference's names, `from -> to`.
    pub renamed_contigs: Vec<String>,
    pub relaxed: Vec<String>,
    /// Accepted deviations worth knowing about (e.g. a caller's redefinition
    /// of a reserved header key).
    pub warnings: Vec<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("cannot start the worker threads")?;
    }
    if args.validate_only {
        return validate_only(args);
    }
    if args.split_only {
        return normalise_only(args, None);
    }
    let (fasta, gff) = reference_and_gene_model(args)?;
    let reference = Arc::new(Reference::open(&fasta)?);
    if args.normalise_only || gff.is_none() {
        return normalise_only(args, Some(&reference));
    }
    let annotator = match (&gff, args.normalise_only) {
        (Some(gff), false) => {
            // --lenient also lets the gene model infer missing CDS phases.
            let model = GeneModel::from_path_with(
                gff,
                &crate::gene_model::ReadOptions {
                    lenient: args.lenient,
                },
            )?;
            Some(Annotator::new(
                Arc::new(model),
                Arc::clone(&reference),
                AnnotateOptions {
                    upstream_distance: args.upstream_distance,
                    downstream_distance: args.downstream_distance,
                    bcsq: args.bcsq,
                    bcsq_brief: args.bcsq_brief,
                    bcsq_local: args.bcsq_local,
                    pick_order: args.pick_order.clone(),
                    samples: 0,
                },
            ))
        }
        _ => None,
    };

    let mut input = VcfInput::open(
        args.input.as_deref(),
        InputOptions {
            lenient: args.lenient,
            // --bcsq reads each record's samples (haplotypes) and END.
            parse_every_line: args.bcsq,
            ..Default::default()
        },
    )?;
    let aliases = contig_aliases(args)?;
    let contig_map = reference_contig_map(&reference, aliases.as_deref())?;
    let normaliser = Normaliser::new(
        input.header(),
        &reference,
        NormaliseOptions {
            ref_mismatch: args.ref_mismatch,
            original_tag: args.original_tag.clone(),
            contig_map: Some(contig_map.clone()),
            unknown_contigs: args.unknown_contigs,
        },
    );
    let mut annotator = annotator;
    if let Some(a) = annotator.as_mut() {
        a.set_sample_count(input.header().sample_names().len());
    }
    let mut header = input.header().clone();
    let mut summary = RunSummary {
        renamed_contigs: renamed(rename_header_contigs(&mut header, &contig_map)),
        ..Default::default()
    };
    normaliser.add_header_lines(&mut header);
    if let Some(a) = &annotator {
        a.add_header_lines(&mut header);
    }
    add_provenance(&mut header, &command_line());
    let mut output = VcfOutput::create(args.output.as_deref(), &header)?;

    let progress = variant_model::progress::record_progress("records", None);
    // Annotated blocks are formatted on the worker thread that annotated
    // them; only the bytes come back, in order.
    let format_blocks = |acc: &mut Formatted, block: Vec<crate::record::AnnotatedRecord>| {
        for record in block {
            if acc.error.is_none() {
                acc.error =
                    write_output_record(&header, record, &mut acc.bytes, &mut acc.scratch).err();
                acc.records += 1;
            }
        }
    };
    let write_formatted = |parts: Vec<Formatted>, output: &mut VcfOutput| -> anyhow::Result<u64> {
        let mut n = 0;
        for part in parts {
            if let Some(e) = part.error {
                anyhow::bail!("cannot format a record: {e}");
            }
            output.write_formatted(part.bytes)?;
            n += part.records;
        }
        Ok(n)
    };
    let mut written = 0;
    stream_normalised(
        args,
        &mut input,
        &normaliser,
        &mut summary,
        &progress,
        |records| {
            written += match annotator.as_mut() {
                Some(a) => write_formatted(a.annotate_into(records, &format_blocks)?, &mut output)?,
                None => write_in_order(records, &mut output, |r, buf, _| {
                    format_normalised(&header, &r, buf)
                })?,
            };
            Ok(())
        },
    )?;
    if let Some(a) = annotator.as_mut() {
        written += write_formatted(a.finish_into(&format_blocks)?, &mut output)?;
    }
    summary.alleles_written = written;
    output.commit()?;
    progress.finish_and_clear();

    summary.records_read = input.records_read();
    summary.relaxed = input.relaxations();
    summary.warnings = input.warnings().to_vec();
    report(&summary, args)?;
    Ok(())
}

/// Batches of normalised records that may wait for the consumer.
const QUEUED_BATCHES: usize = 2;

/// Reads, validates, normalises and re-sorts the input on a thread of its
/// own, so that this overlaps with what `consume` does with the batch
/// before (annotating, formatting, writing). Batches arrive in input order,
/// already counted into `summary` (and filtered by `--ref-mismatch
/// exclude`). Memory stays bounded: the reader waits while
/// [`QUEUED_BATCHES`] batches are queued.
fn stream_normalised(
    args: &Args,
    input: &mut VcfInput,
    normaliser: &Normaliser<'_>,
    summary: &mut RunSummary,
    progress: &indicatif::ProgressBar,
    mut consume: impl FnMut(Vec<NormalisedRecord>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    type Batch = anyhow::Result<(Vec<NormalisedRecord>, u64)>;
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(QUEUED_BATCHES);
        let reader = scope.spawn(move || {
            let mut counts = RunSummary::default();
            let mut window = SortWindow::new(args.site_window);
            let mut read = || -> anyhow::Result<()> {
                while let Some(chunk) = input.next_chunk(CHUNK_RECORDS)? {
                    let n = chunk.len() as u64;
                    for record in normalise_chunk(normaliser, chunk, input.name())? {
                        window.push(record);
                    }
                    window.check().map_err(|e| located(input.name(), &e))?;
                    let ready =
                        count_and_filter(window.drain_ready(), args.ref_mismatch, &mut counts);
                    if sender.send(Ok((ready, n))).is_err() {
                        // The consumer failed and stopped listening.
                        return Ok(());
                    }
                }
                let rest = count_and_filter(window.finish(), args.ref_mismatch, &mut counts);
                window.check().map_err(|e| located(input.name(), &e))?;
                let _ = sender.send(Ok((rest, 0)));
                Ok(())
            };
            if let Err(e) = read() {
                let _ = sender.send(Err(e));
            }
            counts
        });
        let mut outcome = Ok(());
        for batch in &receiver {
            let result = batch.and_then(|(records, n)| {
                consume(records)?;
                progress.inc(n);
                Ok(())
            });
            if result.is_err() {
                outcome = result;
                break;
            }
        }
        // Unblocks the reader if it is waiting to send.
        drop(receiver);
        let counts = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (key, n) in counts.counts {
            *summary.counts.entry(key).or_default() += n;
        }
        for (contig, n) in counts.unmatched_contigs {
            *summary.unmatched_contigs.entry(contig).or_default() += n;
        }
        outcome
    })
}

/// `from -> to` strings of header contig renames.
fn renamed(pairs: Vec<(String, String)>) -> Vec<String> {
    pairs
        .into_iter()
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect()
}

/// `FILE:LINE: message` for a normalisation error.
fn located(input: &str, e: &NormaliseError) -> anyhow::Error {
    anyhow::anyhow!("{input}:{}: {}", e.line(), e.message())
}

/// Normalises a chunk in parallel, keeping input order.
fn normalise_chunk(
    normaliser: &Normaliser<'_>,
    chunk: Vec<InputRecord>,
    input: &str,
) -> anyhow::Result<Vec<NormalisedRecord>> {
    let normalised: Vec<Result<Vec<NormalisedRecord>, NormaliseError>> = chunk
        .into_par_iter()
        .map(|r| normaliser.normalise(r))
        .collect();
    let mut out = Vec::with_capacity(normalised.len());
    for result in normalised {
        out.extend(result.map_err(|e| located(input, &e))?);
    }
    Ok(out)
}

/// Counts what normalisation did and drops the records `--ref-mismatch
/// exclude` leaves out (counted, never silently).
fn count_and_filter(
    records: Vec<NormalisedRecord>,
    mode: RefMismatch,
    summary: &mut RunSummary,
) -> Vec<NormalisedRecord> {
    let mut kept = Vec::with_capacity(records.len());
    for r in records {
        for flag in &r.flags {
            *summary.counts.entry(flag.as_str().to_string()).or_default() += 1;
        }
        // Per input record: a split record counts once, at its first ALT.
        if r.flags.contains(&NormFlag::UnknownContig)
            && r.original.as_ref().is_none_or(|o| o.alt_index == 1)
        {
            *summary
                .unmatched_contigs
                .entry(r.allele.chrom.clone())
                .or_default() += 1;
        }
        if mode == RefMismatch::Exclude && r.flags.contains(&NormFlag::RefMismatch) {
            *summary
                .counts
                .entry("excluded_ref_mismatch".to_string())
                .or_default() += 1;
            continue;
        }
        kept.push(r);
    }
    kept
}

/// `--normalise-only` (with a reference) and `--split-only` (without):
/// read → normalise → sort window → write, without the annotator.
fn normalise_only(args: &Args, reference: Option<&Reference>) -> anyhow::Result<()> {
    let mut input = VcfInput::open(
        args.input.as_deref(),
        InputOptions {
            lenient: args.lenient,
            ..Default::default()
        },
    )?;
    let aliases = contig_aliases(args)?;
    let contig_map = reference
        .map(|r| reference_contig_map(r, aliases.as_deref()))
        .transpose()?;
    let options = NormaliseOptions {
        ref_mismatch: args.ref_mismatch,
        original_tag: args.original_tag.clone(),
        contig_map: contig_map.clone(),
        unknown_contigs: args.unknown_contigs,
    };
    let normaliser = match reference {
        Some(reference) => Normaliser::new(input.header(), reference, options),
        None => Normaliser::split_only(input.header(), options),
    };
    let mut header = input.header().clone();
    let mut summary = RunSummary::default();
    if let Some(map) = &contig_map {
        summary.renamed_contigs = renamed(rename_header_contigs(&mut header, map));
    }
    normaliser.add_header_lines(&mut header);
    add_provenance(&mut header, &command_line());
    let mut output = VcfOutput::create(args.output.as_deref(), &header)?;
    let progress = variant_model::progress::record_progress("records", None);
    let mut written = 0;
    stream_normalised(
        args,
        &mut input,
        &normaliser,
        &mut summary,
        &progress,
        |records| {
            written += write_in_order(records, &mut output, |r, buf, _| {
                format_normalised(&header, &r, buf)
            })?;
            Ok(())
        },
    )?;
    summary.alleles_written = written;
    output.commit()?;
    progress.finish_and_clear();
    summary.records_read = input.records_read();
    summary.relaxed = input.relaxations();
    summary.warnings = input.warnings().to_vec();
    report(&summary, args)?;
    Ok(())
}

/// `--validate-only`: reads and checks every record, writes nothing.
fn validate_only(args: &Args) -> anyhow::Result<()> {
    let mut input = VcfInput::open(
        args.input.as_deref(),
        InputOptions {
            lenient: args.lenient,
            allow_unsorted: true,
            // Whatever a run could meet: noodles' parse of every line too.
            parse_every_line: true,
        },
    )?;
    while input.next_chunk(CHUNK_RECORDS)?.is_some() {}
    for warning in input.warnings() {
        eprintln!("vcf-annotate: warning: {warning}");
    }
    for relaxed in input.relaxations() {
        eprintln!("vcf-annotate: --lenient accepted: {relaxed}");
    }
    eprintln!(
        "vcf-annotate: {}: valid, {} records",
        input.name(),
        input.records_read()
    );
    Ok(())
}

/// The reference FASTA and gene model to use: `-f`/`-g`, or those pinned
/// by the `--bundle` manifest (clap keeps the two ways apart).
fn reference_and_gene_model(
    args: &Args,
) -> anyhow::Result<(std::path::PathBuf, Option<std::path::PathBuf>)> {
    if let Some(dir) = &args.bundle {
        let manifest = variant_model::manifest::Manifest::read(dir)?;
        let files = manifest.annotation_files(dir)?;
        return Ok((files.reference_fasta, Some(files.gene_model)));
    }
    let fasta = args
        .fasta
        .clone()
        .context("a reference FASTA (-f) or a bundle (--bundle) is required")?;
    Ok((fasta, args.gff.clone()))
}

/// The contig alias table: `--contig-aliases`, else the one the `--bundle`
/// manifest lists (bundles built before alias tables have none).
fn contig_aliases(args: &Args) -> anyhow::Result<Option<std::path::PathBuf>> {
    if let Some(path) = &args.contig_aliases {
        return Ok(Some(path.clone()));
    }
    let Some(dir) = &args.bundle else {
        return Ok(None);
    };
    let manifest = variant_model::manifest::Manifest::read(dir)?;
    Ok(manifest.contig_aliases_path(dir))
}

fn report(summary: &RunSummary, args: &Args) -> anyhow::Result<()> {
    let counts = summary
        .counts
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!(
        "vcf-annotate: read {} records, wrote {} alleles{}{}",
        summary.records_read,
        summary.alleles_written,
        if counts.is_empty() { "" } else { "; " },
        counts
    );
    if !summary.unmatched_contigs.is_empty() {
        let list = summary
            .unmatched_contigs
            .iter()
            .map(|(k, v)| format!("{k} ({v})"))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "vcf-annotate: warning: records on contigs not in the reference, kept unannotated: {list}"
        );
    }
    for relaxed in &summary.relaxed {
        eprintln!("vcf-annotate: --lenient accepted: {relaxed}");
    }
    for warning in &summary.warnings {
        eprintln!("vcf-annotate: warning: {warning}");
    }
    if let Some(path) = &args.summary {
        let mut out = variant_model::io::AtomicOutput::create(Some(path))?;
        serde_json::to_writer_pretty(&mut out, summary)?;
        std::io::Write::write_all(&mut out, b"\n")?;
        out.commit()?;
    }
    Ok(())
}
