//! `kb-lookup annotate`: read vcf-annotate's VCF (one ALT per record, VEP
//! `INFO/CSQ`, `INFO/ORIGINAL`), match every allele against a bundle and
//! write one JSON Lines record per allele (`header`, `variant`...,
//! `summary`), optionally the VCF with the matches added to INFO.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use variant_model::caller::{
    AlleleIndex, Caller, CallerChoice, Role, RoleRequest, SampleFields, SampleRoles, SampleType,
};
use variant_model::consequence::TranscriptConsequence;
use variant_model::csq::CsqLayout;
use variant_model::evidence::{KbMatch, MatchLevel};
use variant_model::io::{AtomicOutput, display_name, open_input};
use variant_model::record::{
    CallerRef, SCHEMA_VERSION, SampleCall, StreamHeader, StreamLine, StreamSummary, ToolRun,
    VariantRecord,
};
use variant_model::{GenomicAllele, OriginalRecord};

use rayon::prelude::*;

use crate::bundle::Bundle;
use crate::manifest::SourceKind;
use crate::matcher::ExactSourceInfo;

/// Options of `annotate`.
#[derive(Debug, Clone, Default)]
pub struct AnnotateOptions {
    pub bundle: PathBuf,
    /// Input VCF; stdin when `None` or `-`.
    pub input: Option<PathBuf>,
    /// JSON Lines output; stdout when `None` or `-`.
    pub output: Option<PathBuf>,
    /// VCF with added INFO fields (bgzipped when the name ends in `.gz`).
    pub vcf_out: Option<PathBuf>,
    /// Recompute every bundle checksum before annotating.
    pub verify: bool,
    /// Annotate even when the input header does not say its build.
    pub allow_unknown_build: bool,
    /// Write only the VCF (`vcf_out`), no JSON Lines.
    pub vcf_only: bool,
    /// Whose FORMAT conventions give depths and allele fractions;
    /// detected from the header by default.
    pub caller: CallerChoice,
    /// Somatic (tumour, maybe a normal) or germline sample.
    pub sample_type: SampleType,
    /// Tumour (germline: reported) and normal sample columns, when the
    /// header does not say (`--tumour-sample`, `--normal-sample`).
    pub tumour_sample: Option<String>,
    pub normal_sample: Option<String>,
    /// Keep records whose FILTER is neither `PASS` nor `.`; by default they
    /// are left out of both outputs and counted as `filter:<NAME>`.
    pub keep_filtered: bool,
}

/// Reads the input header: meta lines, the `#CHROM` line, sample names.
struct InputHeader {
    meta: Vec<String>,
    column_line: String,
    samples: Vec<String>,
    line_count: u64,
}

fn read_header(reader: &mut dyn BufRead, name: &str) -> crate::Result<InputHeader> {
    let mut meta = Vec::new();
    let mut line = String::new();
    let mut line_count = 0;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| crate::Error::At {
            path: name.to_string(),
            line: line_count + 1,
            message: e.to_string(),
        })?;
        if n == 0 {
            return Err(crate::Error::File {
                path: name.to_string(),
                message: "no #CHROM header line: not a VCF".into(),
            });
        }
        line_count += 1;
        let text = line.trim_end_matches(['\n', '\r']).to_string();
        if text.starts_with("##") {
            meta.push(text);
        } else if text.starts_with("#CHROM") {
            let samples = text.split('\t').skip(9).map(str::to_string).collect();
            return Ok(InputHeader {
                meta,
                column_line: text,
                samples,
                line_count,
            });
        } else {
            return Err(crate::Error::At {
                path: name.to_string(),
                line: line_count,
                message: "expected a ## meta line or the #CHROM header: not a VCF".into(),
            });
        }
    }
}

/// Opens the input VCF: a bgzipped file (what vcf-annotate writes) is
/// inflated on worker threads; stdin, plain text and gzip are read as
/// `variant_model::io::open_input` reads them.
fn open_vcf(path: Option<&Path>) -> crate::Result<Box<dyn BufRead + Send>> {
    if let Some(path) = path.filter(|p| *p != Path::new("-"))
        && matches!(crate::normalise::is_bgzf(path), Ok(true))
    {
        let file = std::fs::File::open(path).map_err(|e| crate::Error::file(path, e))?;
        return Ok(Box::new(
            noodles::bgzf::io::MultithreadedReader::with_worker_count(
                std::num::NonZero::new(2).expect("non-zero"),
                file,
            ),
        ));
    }
    Ok(open_input(path)?)
}

/// The CSQ layout declared in the header, if any.
fn csq_layout(meta: &[String]) -> Option<CsqLayout> {
    let line = meta.iter().find(|m| m.starts_with("##INFO=<ID=CSQ,"))?;
    let description = line.split_once("Description=\"")?.1;
    CsqLayout::from_description(description.trim_end_matches(">").trim_end_matches('"')).ok()
}

/// INFO keys added to the VCF output.
fn info_id(source: &str, suffix: &str) -> String {
    let clean: String = source
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{clean}_{suffix}")
}

fn level_name(level: MatchLevel) -> &'static str {
    match level {
        MatchLevel::ExactAllele => "exact_allele",
        MatchLevel::ProteinChange => "protein_change",
        MatchLevel::Codon => "codon",
        MatchLevel::Region => "region",
        MatchLevel::Gene => "gene",
    }
}

/// Runs the command and returns the summary it wrote.
pub fn run(options: &AnnotateOptions) -> crate::Result<StreamSummary> {
    if options.verify {
        let report = crate::verify::verify(&options.bundle)?;
        if !report.problems.is_empty() {
            let list: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
            return Err(crate::Error::file(
                &options.bundle,
                format!("bundle verification failed:\n  {}", list.join("\n  ")),
            ));
        }
    }
    let mut bundle = Bundle::open(&options.bundle)?;
    let input_name = display_name(options.input.as_deref(), "<stdin>");
    let mut reader = open_vcf(options.input.as_deref())?;
    let header = read_header(&mut reader, &input_name)?;

    let bundle_build = bundle.manifest.genome_build.clone();
    let evidence = crate::contig::detect_build(
        &header.meta,
        &bundle_build,
        bundle.reference_lengths.as_ref(),
        bundle.contig_aliases.as_ref(),
    );
    let mut summary = StreamSummary::default();
    match &evidence.build {
        Some(build)
            if crate::contig::canonical_build(build)
                != crate::contig::canonical_build(&bundle_build) =>
        {
            return Err(crate::Error::File {
                path: input_name,
                message: format!(
                    "genome build mismatch: the input is {build} ({}), the bundle is {bundle_build}; refusing to match coordinates across builds (use a {bundle_build} input or a bundle built for the input's build)",
                    evidence.reason
                ),
            });
        }
        Some(_) => {}
        None if options.allow_unknown_build => {
            summary.counts.insert("genome_build_unverified".into(), 1);
        }
        None => {
            return Err(crate::Error::File {
                path: input_name,
                message: format!(
                    "cannot tell the input's genome build: {}; add ##reference or ##contig lines with lengths (vcf-annotate writes them), or pass --allow-unknown-build",
                    evidence.reason
                ),
            });
        }
    }
    let detection = match options.caller {
        CallerChoice::Auto => {
            variant_model::caller::detect(&header.meta).map_err(|e| crate::Error::File {
                path: input_name.clone(),
                message: e.to_string(),
            })?
        }
        CallerChoice::Fixed(caller) => variant_model::caller::Detection {
            caller,
            evidence: "--caller".into(),
        },
    };
    let roles = variant_model::caller::assign_roles(
        &header.meta,
        &header.samples,
        &RoleRequest {
            sample_type: options.sample_type,
            tumour: options.tumour_sample.clone(),
            normal: options.normal_sample.clone(),
        },
    )
    .map_err(|e| crate::Error::File {
        path: input_name.clone(),
        message: e.to_string(),
    })?;
    summary
        .counts
        .insert(format!("caller:{}", detection.caller), 1);
    let layout = csq_layout(&header.meta);
    if layout.is_none() {
        summary.counts.insert("no_csq_header".into(), 1);
    }

    if options.vcf_only && (options.vcf_out.is_none() || options.output.is_some()) {
        return Err(crate::Error::Other(
            "--vcf-only needs --vcf-out and no JSON Lines output (-o)".into(),
        ));
    }
    let mut jsonl = if options.vcf_only {
        None
    } else {
        Some(AtomicOutput::create(options.output.as_deref())?)
    };
    let out_name = display_name(options.output.as_deref(), "<stdout>");
    let write_err = |e: std::io::Error| crate::Error::File {
        path: out_name.clone(),
        message: e.to_string(),
    };
    let mut params = BTreeMap::new();
    params.insert(
        "bundle_version".into(),
        bundle.manifest.bundle_version.clone(),
    );
    params.insert(
        "bundle_manifest_sha256".into(),
        bundle.manifest_sha256.clone(),
    );
    params.insert("caller".into(), options.caller.to_string());
    params.insert(
        "sample_type".into(),
        match options.sample_type {
            SampleType::Somatic => "somatic",
            SampleType::Germline => "germline",
        }
        .into(),
    );
    for (key, value) in [
        ("tumour_sample", &options.tumour_sample),
        ("normal_sample", &options.normal_sample),
    ] {
        if let Some(value) = value {
            params.insert(key.into(), value.clone());
        }
    }
    params.insert("keep_filtered".into(), options.keep_filtered.to_string());
    let sample_name = |index: Option<usize>| index.map(|i| header.samples[i].clone());
    let stream_header = StreamLine::Header(StreamHeader {
        schema_version: SCHEMA_VERSION.to_string(),
        sample: sample_name(roles.primary),
        normal_sample: sample_name(roles.normal),
        caller: Some(CallerRef {
            name: detection.caller.to_string(),
            evidence: detection.evidence.clone(),
            roles_from: (!roles.evidence.is_empty()).then(|| roles.evidence.clone()),
        }),
        genome_build: Some(bundle_build.clone()),
        provenance: vec![ToolRun {
            tool: "kb-lookup".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            params,
        }],
        bundle: Some(bundle.reference()),
        ..Default::default()
    });
    if let Some(jsonl) = jsonl.as_mut() {
        serde_json::to_writer(&mut *jsonl, &stream_header).map_err(|e| write_err(e.into()))?;
        jsonl.write_all(b"\n").map_err(write_err)?;
    }

    let mut vcf_out = match &options.vcf_out {
        Some(path) => Some(VcfOut::create(path, &header, &bundle)?),
        None => None,
    };

    let progress = variant_model::progress::record_progress("kb-lookup: records", None);
    let exact_sources: Vec<ExactSourceInfo> =
        bundle.exact.iter().map(ExactSourceInfo::of).collect();
    let vcf_fields = vcf_out.as_ref().map(|out| out.fields.clone());
    let source_names: Vec<String> = exact_sources
        .iter()
        .map(|s| s.name.clone())
        .chain(bundle.curated.iter().map(|s| s.name.clone()))
        .collect();
    let bundle_contigs = bundle.reference_lengths.as_ref().map(|lengths| {
        variant_model::contig_alias::ContigMap::new(
            lengths.keys().cloned(),
            bundle.contig_aliases.clone(),
        )
    });
    let context = LineContext {
        bundle_contigs: bundle_contigs.as_ref(),
        curated: &bundle.curated,
        exact_sources: &exact_sources,
        source_names: &source_names,
        vcf_fields: vcf_fields.as_ref(),
        jsonl: jsonl.is_some(),
        keep_filtered: options.keep_filtered,
    };
    let calls = CallContext {
        caller: detection.caller,
        samples: &header.samples,
        roles: &roles,
    };
    let exact_tables = &mut bundle.exact;
    let at = |line: u64, message: String| crate::Error::At {
        path: input_name.clone(),
        line,
        message,
    };
    // Three stages overlap: this thread reads a batch and parses it (on
    // every core); the matcher thread looks its alleles up in the exact
    // tables (a sequential merge-join, so it must never wait for the
    // shared cores); the writer thread matches and formats the batch (on
    // every core) and writes it in input order.
    let (totals, match_result, read_result) = std::thread::scope(|scope| {
        let (parsed_tx, parsed_rx) = std::sync::mpsc::sync_channel::<Parsed>(1);
        let (batch_tx, batch_rx) = std::sync::mpsc::sync_channel::<LookedUp>(1);
        let (recycle_tx, recycle_rx) = std::sync::mpsc::channel::<Batch>();
        let (jsonl, vcf_out, context, at, write_err, progress) = (
            &mut jsonl,
            &mut vcf_out,
            &context,
            &at,
            &write_err,
            &progress,
        );
        let writer = scope.spawn(move || -> crate::Result<Totals> {
            let mut totals = Totals::default();
            for looked_up in batch_rx {
                let LookedUp {
                    batch,
                    records,
                    hits,
                } = looked_up;
                let outputs: Vec<Result<LineOutput, String>> = records
                    .into_par_iter()
                    .zip(hits.into_par_iter())
                    .zip(batch.lines().par_iter())
                    .map(|((alleles, hits), text)| context.annotate_line(text, alleles, hits))
                    .collect();
                for (output, &number) in outputs.into_iter().zip(&batch.numbers) {
                    let output = output.map_err(|message| at(number, message))?;
                    totals.add(&output);
                    if let Some(jsonl) = jsonl.as_mut() {
                        jsonl.write_all(&output.jsonl).map_err(write_err)?;
                    }
                    if let Some(out) = vcf_out.as_mut() {
                        out.write_line(&output.vcf)?;
                    }
                }
                progress.inc(batch.len() as u64);
                // The reader may have finished: its buffers are then unused.
                let _ = recycle_tx.send(batch);
            }
            Ok(totals)
        });
        let matcher = scope.spawn(move || -> crate::Result<()> {
            for Parsed { batch, records } in parsed_rx {
                let mut hits = Vec::with_capacity(records.len());
                for (alleles, &number) in records.iter().zip(&batch.numbers) {
                    let mut line_hits = Vec::with_capacity(alleles.len());
                    for record in alleles {
                        line_hits.push(
                            crate::matcher::exact_hits(exact_tables, &record.allele)
                                .map_err(|e| at(number, e.to_string()))?,
                        );
                    }
                    hits.push(line_hits);
                }
                let looked_up = LookedUp {
                    batch,
                    records,
                    hits,
                };
                // A closed channel means the writer failed: its error is
                // the one to report.
                if batch_tx.send(looked_up).is_err() {
                    return Ok(());
                }
            }
            Ok(())
        });
        let read_result = (|| -> crate::Result<()> {
            let mut line_number = header.line_count;
            let serial = std::env::var_os("KB_SERIAL").is_some();
            let mut first = true;
            loop {
                let mut batch = if serial && !first {
                    recycle_rx.recv().unwrap_or_default()
                } else {
                    recycle_rx.try_recv().unwrap_or_default()
                };
                first = false;
                let more = batch
                    .fill(&mut reader, &mut line_number)
                    .map_err(|(line, e)| at(line, e.to_string()))?;
                if batch.is_empty() {
                    return Ok(());
                }
                let parsed: Vec<Result<Vec<VariantRecord>, String>> = batch
                    .lines()
                    .par_iter()
                    .map(|text| {
                        parse_record(
                            text,
                            layout.as_ref(),
                            &calls,
                            context.jsonl,
                            context.keep_filtered,
                        )
                    })
                    .collect();
                let mut records = Vec::with_capacity(parsed.len());
                for (result, &number) in parsed.into_iter().zip(&batch.numbers) {
                    records.push(result.map_err(|message| at(number, message))?);
                }
                // A closed channel means a later stage failed: its error
                // is the one to report.
                if parsed_tx.send(Parsed { batch, records }).is_err() || !more {
                    return Ok(());
                }
            }
        })();
        drop(parsed_tx);
        let match_result = matcher.join().expect("the matcher thread does not panic");
        let totals = writer.join().expect("the writer thread does not panic");
        (totals, match_result, read_result)
    });
    // The later the stage, the earlier the line its error concerns.
    let totals = totals?;
    match_result?;
    read_result?;
    summary.records_read = totals.records;
    summary.alleles_written = totals.alleles;
    let Totals {
        alleles_with_match,
        match_counts,
        filtered,
        without_vaf,
        unmatched_contigs,
        ..
    } = totals;
    summary.unmatched_contigs = unmatched_contigs;
    for (name, n) in filtered {
        summary.filtered.insert(format!("filter:{name}"), n);
    }
    if without_vaf > 0 && roles.primary.is_some() {
        summary
            .counts
            .insert("calls_without_vaf".into(), without_vaf);
    }
    progress.finish_and_clear();
    if alleles_with_match > 0 {
        summary
            .counts
            .insert("alleles_with_match".into(), alleles_with_match);
    }
    for ((source, level), n) in match_counts {
        *summary
            .counts
            .entry(format!(
                "matches:{}:{}",
                source_names[source],
                level_name(level)
            ))
            .or_default() += n;
    }
    for source in &bundle.exact {
        summary.counts.insert(
            format!("exact_table_seeks:{}", source.name),
            source.table.stats.seeks,
        );
    }
    if let Some(jsonl) = jsonl.as_mut() {
        serde_json::to_writer(&mut *jsonl, &StreamLine::Summary(summary.clone()))
            .map_err(|e| write_err(e.into()))?;
        jsonl.write_all(b"\n").map_err(write_err)?;
    }
    if let Some(out) = vcf_out {
        out.finish()?;
    }
    if let Some(jsonl) = jsonl {
        jsonl.commit()?;
    }
    Ok(summary)
}

/// Parses one data line into its allele record(s). A multi-ALT record
/// (input not from vcf-annotate) is split, each ALT taking the CSQ entries
/// whose `Allele` is its VEP allele string.
fn parse_record(
    text: &str,
    layout: Option<&CsqLayout>,
    calls: &CallContext<'_>,
    full: bool,
    keep_filtered: bool,
) -> Result<Vec<VariantRecord>, String> {
    let fields: Vec<&str> = tab_fields(text).collect();
    if fields.len() < 8 {
        return Err(format!(
            "{} columns, a VCF record has at least 8",
            fields.len()
        ));
    }
    if !keep_filtered && failed_filters(fields[6]).is_some() {
        // Left out: counted by the writer.
        return Ok(Vec::new());
    }
    let chrom = fields[0];
    let pos: u64 = fields[1]
        .parse()
        .map_err(|_| format!("POS `{}` is not a number", fields[1]))?;
    let ref_allele = fields[3];
    let alts: Vec<&str> = fields[4].split(',').collect();
    let info = fields[7];
    let info_get = |key: &str| crate::sources::info_value(info, key);
    let mut consequences: Vec<TranscriptConsequence> = match (layout, info_get("CSQ")) {
        (Some(layout), Some(value)) if !value.is_empty() => {
            layout.parse(value).map_err(|e| format!("INFO/CSQ: {e}"))?
        }
        _ => Vec::new(),
    };
    if !full {
        // Only what matching needs (VCF output alone).
        return Ok(alts
            .iter()
            .enumerate()
            .map(|(index, alt)| {
                let mut allele = GenomicAllele::new(chrom, pos, ref_allele, *alt);
                trim(&mut allele);
                let mut record = VariantRecord::new(allele);
                record.consequences = if alts.len() > 1 {
                    let vep = vep_allele(ref_allele, &alts, index);
                    consequences
                        .iter()
                        .filter(|c| c.allele == vep)
                        .cloned()
                        .collect()
                } else {
                    std::mem::take(&mut consequences)
                };
                record
            })
            .collect());
    }
    let ids: Vec<String> = fields[2]
        .split(';')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect();
    let qual = fields[5].parse().ok();
    let filters: Vec<String> = fields[6]
        .split(';')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect();
    let original = info_get("ORIGINAL").and_then(OriginalRecord::from_info_value);
    let mut out = Vec::with_capacity(alts.len());
    for (index, alt) in alts.iter().enumerate() {
        let mut allele = GenomicAllele::new(chrom, pos, ref_allele, *alt);
        trim(&mut allele);
        let mut record = VariantRecord::new(allele);
        record.ids = ids.clone();
        record.qual = qual;
        record.filters = filters.clone();
        record.original = original.clone();
        if info_get("REF_MISMATCH").is_some() {
            record.flags.push("ref_mismatch".into());
        }
        if alts.len() > 1 {
            record.flags.push("split".into());
            let vep = vep_allele(ref_allele, &alts, index);
            record.consequences = consequences
                .iter()
                .filter(|c| c.allele == vep)
                .cloned()
                .collect();
        } else {
            record.consequences = std::mem::take(&mut consequences);
        }
        let allele = AlleleIndex {
            alt: index + 1,
            alt_count: alts.len(),
            ref_bases: ref_allele,
            alt_bases: alt,
            original: original
                .as_ref()
                .map(|o| (o.alt_index, o.alt_alleles.len())),
        };
        record.calls = calls.read(&fields, &allele)?;
        out.push(record);
    }
    Ok(out)
}

/// Removes bases shared by REF and ALT (keeping one anchor base), so
/// records that were not normalised still compare with bundle alleles.
fn trim(allele: &mut GenomicAllele) {
    if allele.class() == variant_model::VariantClass::Symbolic {
        return;
    }
    let (suffix, prefix) = {
        let r = allele.ref_allele.as_bytes();
        let a = allele.alt_allele.as_bytes();
        let mut suffix = 0;
        while suffix + 1 < r.len()
            && suffix + 1 < a.len()
            && r[r.len() - 1 - suffix] == a[a.len() - 1 - suffix]
        {
            suffix += 1;
        }
        let (r, a) = (&r[..r.len() - suffix], &a[..a.len() - suffix]);
        let mut prefix = 0;
        while prefix + 1 < r.len() && prefix + 1 < a.len() && r[prefix] == a[prefix] {
            prefix += 1;
        }
        (suffix, prefix)
    };
    // Most alleles are already minimal: no allocation for them.
    if suffix == 0 && prefix == 0 {
        return;
    }
    for bases in [&mut allele.ref_allele, &mut allele.alt_allele] {
        bases.truncate(bases.len() - suffix);
        bases.drain(..prefix);
    }
    allele.pos += prefix as u64;
}

/// VEP's allele string for ALT `index` of a record: when every allele
/// shares the first base, it is dropped (`-` when nothing remains).
fn vep_allele(ref_allele: &str, alts: &[&str], index: usize) -> String {
    let first = ref_allele.as_bytes().first();
    let shared = alts
        .iter()
        .all(|a| !a.is_empty() && a.as_bytes().first() == first && !a.starts_with('<'))
        && alts.iter().any(|a| a.len() != ref_allele.len());
    let alt = alts[index];
    if shared {
        let rest = &alt[1..];
        if rest.is_empty() {
            "-".into()
        } else {
            rest.into()
        }
    } else {
        alt.to_string()
    }
}

/// What reading the sample columns needs.
struct CallContext<'a> {
    caller: Caller,
    samples: &'a [String],
    roles: &'a SampleRoles,
}

impl CallContext<'_> {
    /// Genotype, depths and allele fraction of each sample at `allele`,
    /// read with the caller's conventions.
    fn read(&self, fields: &[&str], allele: &AlleleIndex<'_>) -> Result<Vec<SampleCall>, String> {
        if fields.len() < 10 || self.samples.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<&str> = fields[8].split(':').collect();
        self.samples
            .iter()
            .zip(&fields[9..])
            .zip(&self.roles.roles)
            .map(|((sample, column), role)| {
                let values = SampleFields::new(sample, &keys, column);
                let counts = self
                    .caller
                    .read_sample(&values, allele)
                    .map_err(|e| {
                        format!(
                            "{e} (read with the {} caller's conventions; --caller NAME chooses another)",
                            self.caller
                        )
                    })?;
                Ok(SampleCall {
                    sample: sample.clone(),
                    role: role.map(|r: Role| r.as_str().to_string()),
                    genotype: values.get("GT").map(str::to_string),
                    alt_depth: counts.alt_depth,
                    total_depth: counts.total_depth,
                    vaf: counts.vaf,
                })
            })
            .collect()
    }
}

/// The FILTER names of a record that did not pass (FILTER neither `PASS`
/// nor `.`), `None` when it passed.
fn failed_filters(filter: &str) -> Option<Vec<&str>> {
    if filter.is_empty() || filter == "." || filter == "PASS" {
        return None;
    }
    Some(
        filter
            .split(';')
            .filter(|f| !f.is_empty() && *f != "PASS")
            .collect(),
    )
}

/// The tab-separated fields of a line.
fn tab_fields(text: &str) -> impl Iterator<Item = &str> {
    crate::sources::split_on(text, b'\t')
}

/// Column `n` (0-based) of a tab-separated line.
fn column(text: &str, n: usize) -> Option<&str> {
    tab_fields(text).nth(n)
}

/// Input lines matched together: parsing, evidence decoding, curated
/// matching and output formatting run on every core within a batch; only
/// the exact-table look-ups (one merge-join cursor per table) and the
/// writing are sequential. A batch ends at [`BATCH_LINES`] lines or
/// [`BATCH_BYTES`] of input, which bounds memory whatever the input size.
const BATCH_LINES: usize = 16384;
const BATCH_BYTES: usize = 8 << 20;

/// The lines of one batch (buffers reused from batch to batch).
#[derive(Default)]
struct Batch {
    buffers: Vec<String>,
    /// Input line number of each line.
    numbers: Vec<u64>,
}

impl Batch {
    /// Reads the next batch of non-empty lines; returns false at the end
    /// of the input. Errors carry the line number.
    fn fill(
        &mut self,
        reader: &mut dyn BufRead,
        line_number: &mut u64,
    ) -> Result<bool, (u64, std::io::Error)> {
        self.numbers.clear();
        let mut bytes = 0;
        while self.numbers.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let index = self.numbers.len();
            if self.buffers.len() == index {
                self.buffers.push(String::new());
            }
            let line = &mut self.buffers[index];
            line.clear();
            let n = reader.read_line(line).map_err(|e| (*line_number + 1, e))?;
            if n == 0 {
                return Ok(false);
            }
            *line_number += 1;
            while line.ends_with(['\n', '\r']) {
                line.pop();
            }
            if line.is_empty() {
                continue;
            }
            bytes += line.len();
            self.numbers.push(*line_number);
        }
        Ok(true)
    }

    fn lines(&self) -> &[String] {
        &self.buffers[..self.numbers.len()]
    }

    fn len(&self) -> usize {
        self.numbers.len()
    }

    fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }
}

/// A batch with its parsed alleles, on its way from the reader to the
/// matcher.
struct Parsed {
    batch: Batch,
    records: Vec<Vec<VariantRecord>>,
}

/// A batch with its parsed alleles and their exact-table hits, on its way
/// from the reader to the writer.
struct LookedUp {
    batch: Batch,
    records: Vec<Vec<VariantRecord>>,
    hits: Vec<Vec<Vec<crate::matcher::ExactHit>>>,
}

/// What the writer counted.
#[derive(Default)]
struct Totals {
    records: u64,
    alleles: u64,
    alleles_with_match: u64,
    /// By `(index into LineContext::source_names, level)`.
    match_counts: BTreeMap<(usize, MatchLevel), u64>,
    /// Alleles left out, by FILTER name.
    filtered: BTreeMap<String, u64>,
    /// Alleles written whose tumour (germline) sample has no VAF.
    without_vaf: u64,
    /// Records per contig absent from the reference.
    unmatched_contigs: BTreeMap<String, u64>,
}

impl Totals {
    fn add(&mut self, output: &LineOutput) {
        self.records += 1;
        self.alleles += output.alleles;
        self.alleles_with_match += output.alleles_with_match;
        self.without_vaf += output.without_vaf;
        for name in &output.filtered {
            *self.filtered.entry(name.clone()).or_default() += output.filtered_alleles;
        }
        for &key in &output.matches {
            *self.match_counts.entry(key).or_default() += 1;
        }
        if let Some(contig) = &output.unknown_contig {
            *self.unmatched_contigs.entry(contig.clone()).or_default() += 1;
        }
    }
}

/// What matching and formatting one input line needs (shared by threads).
struct LineContext<'a> {
    /// The bundle reference's contigs with the bundle's aliases (`None`
    /// without a reference).
    bundle_contigs: Option<&'a variant_model::contig_alias::ContigMap>,
    curated: &'a [crate::curated::CuratedSource],
    exact_sources: &'a [ExactSourceInfo],
    /// Names of the exact then curated sources: matches are counted by
    /// index into this list.
    source_names: &'a [String],
    vcf_fields: Option<&'a VcfFields>,
    jsonl: bool,
    keep_filtered: bool,
}

/// The outputs of one input line.
struct LineOutput {
    /// Its JSON Lines records (one per allele), newline-terminated.
    jsonl: Vec<u8>,
    /// Its VCF line, newline-terminated.
    vcf: Vec<u8>,
    alleles: u64,
    alleles_with_match: u64,
    /// `(index into LineContext::source_names, level)` of every match.
    matches: Vec<(usize, MatchLevel)>,
    /// FILTER names of a record left out, and its number of ALTs.
    filtered: Vec<String>,
    filtered_alleles: u64,
    /// Alleles whose tumour (germline) sample has no VAF.
    without_vaf: u64,
    /// The line's contig, when it is not in the bundle reference (or
    /// vcf-annotate flagged it `UNKNOWN_CONTIG`).
    unknown_contig: Option<String>,
}

impl LineContext<'_> {
    /// The contig of a VCF line when the reference lacks it: vcf-annotate
    /// flagged it (`INFO/UNKNOWN_CONTIG`), or the bundle has a reference
    /// that does not name it under any alias.
    fn unknown_contig<'t>(&self, chrom: &'t str, info: &str) -> Option<&'t str> {
        let flagged = crate::sources::info_value(info, "UNKNOWN_CONTIG").is_some();
        let absent = self.bundle_contigs.is_some_and(|map| {
            map.resolve(chrom).is_none()
                && crate::contig::aliases(chrom).all(|name| map.resolve(&name).is_none())
        });
        (flagged || absent).then_some(chrom)
    }

    fn annotate_line(
        &self,
        text: &str,
        alleles: Vec<VariantRecord>,
        hits: Vec<Vec<crate::matcher::ExactHit>>,
    ) -> Result<LineOutput, String> {
        // CHROM, FILTER and INFO in one scan of the line.
        let mut columns = tab_fields(text);
        let chrom = columns.next().unwrap_or("");
        let filter = columns.nth(5);
        let info = columns.next().unwrap_or("");
        let unknown_contig = self.unknown_contig(chrom, info);
        let mut output = LineOutput {
            jsonl: Vec::new(),
            // The line plus what matches usually add: no regrowth.
            vcf: Vec::with_capacity(if self.vcf_fields.is_some() {
                text.len() + 256
            } else {
                0
            }),
            alleles: alleles.len() as u64,
            alleles_with_match: 0,
            matches: Vec::new(),
            filtered: Vec::new(),
            filtered_alleles: 0,
            without_vaf: 0,
            unknown_contig: unknown_contig.map(str::to_string),
        };
        if !self.keep_filtered
            && let Some(names) = filter.and_then(failed_filters)
        {
            output.filtered = names.into_iter().map(str::to_string).collect();
            output.filtered_alleles =
                column(text, 4).map_or(1, |alts| alts.split(',').count() as u64);
            return Ok(output);
        }
        output.without_vaf = alleles
            .iter()
            .filter(|r| {
                r.calls
                    .iter()
                    .find(|c| matches!(c.role.as_deref(), Some("tumor" | "germline")))
                    .is_some_and(|c| c.vaf.is_none())
            })
            .count() as u64;
        let mut all_matches: Vec<Vec<KbMatch>> = Vec::with_capacity(alleles.len());
        for (mut record, hits) in alleles.into_iter().zip(hits) {
            if unknown_contig.is_some() {
                record.flags.push("unknown_contig".into());
            }
            let mut matches =
                crate::matcher::exact_matches(self.exact_sources, &record.allele, &hits);
            matches.extend(crate::matcher::match_curated(
                self.curated,
                &record.allele,
                &record.consequences,
            ));
            crate::matcher::sort_matches(&mut matches);
            if !matches.is_empty() {
                output.alleles_with_match += 1;
            }
            for m in &matches {
                let source = self
                    .source_names
                    .iter()
                    .position(|name| *name == m.source)
                    .expect("every match comes from a bundle source");
                output.matches.push((source, m.level));
            }
            if self.jsonl {
                if self.vcf_fields.is_some() {
                    all_matches.push(matches.clone());
                }
                record.kb_matches = matches;
                serde_json::to_writer(&mut output.jsonl, &StreamLine::Variant(record))
                    .map_err(|e| format!("cannot write the JSON record: {e}"))?;
                output.jsonl.push(b'\n');
            } else {
                all_matches.push(matches);
            }
        }
        if let Some(fields) = self.vcf_fields {
            fields.write_line(&mut output.vcf, text, &all_matches);
        }
        Ok(output)
    }
}

/// The INFO fields the VCF output adds: `KB` (every match) and, per
/// exact-allele source, its frequency or ClinVar summary.
#[derive(Debug, Clone)]
struct VcfFields {
    /// gnomAD-like sources: `(name, AF key, GRPMAX_AF key)`.
    population_sources: Vec<(String, String, String)>,
    /// ClinVar sources: `(name, CLNSIG key, STARS key)`.
    clinvar_sources: Vec<(String, String, String)>,
}

impl VcfFields {
    /// Writes `text` (one input line, no newline) with the fields of its
    /// alleles' matches added to INFO.
    fn write_line(&self, out: &mut Vec<u8>, text: &str, matches: &[Vec<KbMatch>]) {
        use crate::exact::push_encoded_info_value as enc;
        use std::fmt::Write as _;
        let mut added = String::new();
        let mut first_match = true;
        for m in matches.iter().flatten() {
            added.push_str(if first_match { "KB=" } else { "," });
            first_match = false;
            enc(&mut added, &m.source);
            added.push('|');
            enc(&mut added, &m.record_id);
            added.push('|');
            added.push_str(level_name(m.level));
            added.push('|');
            enc(&mut added, m.transcript.as_deref().unwrap_or(""));
        }
        // Per-source values, one per ALT ('.' when that ALT has none),
        // written straight into `added`.
        type Value = fn(&KbMatch, &mut String) -> bool;
        let mut values = String::new();
        let mut per_alt = |key: &str, source: &str, value: Value| {
            values.clear();
            let mut any = false;
            for (i, ms) in matches.iter().enumerate() {
                if i > 0 {
                    values.push(',');
                }
                let m = ms.iter().find(|m| m.source == source);
                if m.is_some_and(|m| value(m, &mut values)) {
                    any = true;
                } else {
                    values.push('.');
                }
            }
            if any {
                if !added.is_empty() {
                    added.push(';');
                }
                added.push_str(key);
                added.push('=');
                added.push_str(&values);
            }
        };
        fn af(m: &KbMatch, out: &mut String) -> bool {
            let value = m.evidence.population.as_ref().and_then(|p| p.af);
            value.is_some_and(|v| write!(out, "{v}").is_ok())
        }
        fn grpmax_af(m: &KbMatch, out: &mut String) -> bool {
            let value = m.evidence.population.as_ref().and_then(|p| p.grpmax_af);
            value.is_some_and(|v| write!(out, "{v}").is_ok())
        }
        fn clnsig(m: &KbMatch, out: &mut String) -> bool {
            let value = m.evidence.clinical_significance.as_deref();
            value.is_some_and(|v| {
                out.push_str(&crate::exact::encode_info_value(v));
                true
            })
        }
        fn stars(m: &KbMatch, out: &mut String) -> bool {
            m.evidence
                .review_stars
                .is_some_and(|v| write!(out, "{v}").is_ok())
        }
        for (name, af_key, grpmax_key) in &self.population_sources {
            per_alt(af_key, name, af);
            per_alt(grpmax_key, name, grpmax_af);
        }
        for (name, clnsig_key, stars_key) in &self.clinvar_sources {
            per_alt(clnsig_key, name, clnsig);
            per_alt(stars_key, name, stars);
        }
        if added.is_empty() {
            out.extend_from_slice(text.as_bytes());
        } else {
            // INFO is column 8: copy the line around it.
            let bytes = text.as_bytes();
            let mut tabs = memchr::memchr_iter(b'\t', bytes);
            let info_start = tabs.nth(6).map_or(bytes.len(), |t| t + 1);
            let info_end = tabs.next().unwrap_or(bytes.len());
            let info = &text[info_start..info_end];
            out.extend_from_slice(&bytes[..info_start]);
            if info != "." && !info.is_empty() {
                out.extend_from_slice(info.as_bytes());
                out.push(b';');
            }
            out.extend_from_slice(added.as_bytes());
            out.extend_from_slice(&bytes[info_end..]);
        }
        out.push(b'\n');
    }
}

/// The VCF output: the input with the [`VcfFields`] added to INFO.
struct VcfOut {
    path: PathBuf,
    writer: VcfWriter,
    fields: VcfFields,
}

/// Plain text or BGZF, written atomically.
enum VcfWriter {
    Plain(std::io::BufWriter<AtomicOutput>),
    Bgzf(std::io::BufWriter<noodles::bgzf::io::MultithreadedWriter<AtomicOutput>>),
}

impl Write for VcfWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            VcfWriter::Plain(w) => w.write(buf),
            VcfWriter::Bgzf(w) => w.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            VcfWriter::Plain(w) => w.write_all(buf),
            VcfWriter::Bgzf(w) => w.write_all(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            VcfWriter::Plain(w) => w.flush(),
            VcfWriter::Bgzf(w) => w.flush(),
        }
    }
}

impl VcfOut {
    fn create(path: &Path, header: &InputHeader, bundle: &Bundle) -> crate::Result<Self> {
        let output = AtomicOutput::create(Some(path))?;
        let gz = path.extension().is_some_and(|e| e == "gz" || e == "bgz");
        let writer = if gz {
            // Blocks are compressed on worker threads while matching goes on.
            VcfWriter::Bgzf(std::io::BufWriter::with_capacity(
                1 << 16,
                noodles::bgzf::io::multithreaded_writer::Builder::default()
                    .set_worker_count(std::num::NonZero::new(2).expect("non-zero"))
                    .set_compression_level(
                        noodles::bgzf::io::writer::CompressionLevel::try_from(
                            std::env::var("KB_LEVEL")
                                .ok()
                                .and_then(|v| v.parse::<u8>().ok())
                                .unwrap_or(6),
                        )
                        .unwrap(),
                    )
                    .build_from_writer(output),
            ))
        } else {
            VcfWriter::Plain(std::io::BufWriter::with_capacity(1 << 16, output))
        };
        let keys = |kind: SourceKind, first: &str, second: &str| -> Vec<(String, String, String)> {
            bundle
                .exact
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| {
                    (
                        s.name.clone(),
                        info_id(&s.name, first),
                        info_id(&s.name, second),
                    )
                })
                .collect()
        };
        let mut out = Self {
            path: path.to_path_buf(),
            writer,
            fields: VcfFields {
                population_sources: keys(SourceKind::Gnomad, "AF", "GRPMAX_AF"),
                clinvar_sources: keys(SourceKind::Clinvar, "CLNSIG", "STARS"),
            },
        };
        let mut text = String::new();
        for line in &header.meta {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("##INFO=<ID=KB,Number=.,Type=String,Description=\"Knowledge-base matches from kb-lookup. Format: source|record_id|level|transcript\">\n");
        for (name, af_key, grpmax_key) in &out.fields.population_sources {
            text.push_str(&format!(
                "##INFO=<ID={af_key},Number=1,Type=Float,Description=\"Allele frequency in {name}\">\n"
            ));
            text.push_str(&format!(
                "##INFO=<ID={grpmax_key},Number=1,Type=Float,Description=\"Highest group allele frequency in {name}\">\n"
            ));
        }
        for (name, clnsig_key, stars_key) in &out.fields.clinvar_sources {
            text.push_str(&format!(
                "##INFO=<ID={clnsig_key},Number=.,Type=String,Description=\"ClinVar classification in {name}\">\n"
            ));
            text.push_str(&format!(
                "##INFO=<ID={stars_key},Number=.,Type=Integer,Description=\"ClinVar review stars in {name}\">\n"
            ));
        }
        text.push_str(&format!(
            "##kb_lookup_bundle=<Version=\"{}\",Build=\"{}\",ManifestSha256=\"{}\">\n",
            bundle.manifest.bundle_version, bundle.manifest.genome_build, bundle.manifest_sha256
        ));
        text.push_str(&header.column_line);
        text.push('\n');
        out.writer
            .write_all(text.as_bytes())
            .map_err(|e| crate::Error::file(path, e))?;
        Ok(out)
    }

    fn write_line(&mut self, line: &[u8]) -> crate::Result<()> {
        self.writer
            .write_all(line)
            .map_err(|e| crate::Error::file(&self.path, e))
    }

    fn finish(self) -> crate::Result<()> {
        let err = |e: std::io::Error| crate::Error::file(&self.path, e);
        let output = match self.writer {
            VcfWriter::Plain(w) => w.into_inner().map_err(|e| err(e.into_error()))?,
            VcfWriter::Bgzf(w) => {
                let mut inner = w.into_inner().map_err(|e| err(e.into_error()))?;
                inner.finish().map_err(err)?
            }
        };
        output.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vep_allele_strings() {
        assert_eq!(vep_allele("A", &["T"], 0), "T");
        assert_eq!(vep_allele("AT", &["A", "ATT"], 0), "-");
        assert_eq!(vep_allele("AT", &["A", "ATT"], 1), "TT");
        assert_eq!(vep_allele("A", &["G", "T"], 1), "T");
    }

    #[test]
    fn trims_unnormalised_alleles() {
        let mut a = GenomicAllele::new("1", 100, "CGAA", "TGAA");
        trim(&mut a);
        assert_eq!(
            (a.pos, a.ref_allele.as_str(), a.alt_allele.as_str()),
            (100, "C", "T")
        );
        let mut d = GenomicAllele::new("1", 100, "GAT", "G");
        trim(&mut d);
        assert_eq!((d.pos, d.ref_allele.as_str()), (100, "GAT"));
    }

    #[test]
    fn sample_calls_are_read_with_the_callers_conventions_and_roles() {
        let line = "7\t1\t.\tA\tT\t.\tPASS\t.\tGT:AD:DP\t0/1:21,8:29\t0/0:30,0:30";
        let fields: Vec<&str> = line.split('\t').collect();
        let samples = ["TUMOR".to_string(), "NORMAL".to_string()];
        let roles =
            variant_model::caller::assign_roles(&[], &samples, &RoleRequest::default()).unwrap();
        let context = CallContext {
            caller: Caller::Generic,
            samples: &samples,
            roles: &roles,
        };
        let allele = AlleleIndex {
            alt: 1,
            alt_count: 1,
            ref_bases: "A",
            alt_bases: "T",
            original: None,
        };
        let calls = context.read(&fields, &allele).unwrap();
        assert_eq!(calls[0].role.as_deref(), Some("tumor"));
        assert_eq!(calls[1].role.as_deref(), Some("normal"));
        assert_eq!(calls[0].genotype.as_deref(), Some("0/1"));
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(8), Some(29))
        );
        assert!((calls[0].vaf.unwrap() - 8.0 / 29.0).abs() < 1e-9);
        // A count that fits no allele layout names the caller.
        let bad = "7\t1\t.\tA\tT\t.\tPASS\t.\tGT:AD\t0/1:21,8,3\t0/0:30,0";
        let fields: Vec<&str> = bad.split('\t').collect();
        let err = context.read(&fields, &allele).unwrap_err();
        assert!(
            err.contains("FORMAT/AD") && err.contains("generic caller's conventions"),
            "{err}"
        );
    }

    #[test]
    fn column_finds_every_tab_separated_field() {
        let line = "chr1\t5\t.\tA\tC\t.\tPASS\tDP=3";
        let all: Vec<&str> = line.split('\t').collect();
        for (n, field) in all.iter().enumerate() {
            assert_eq!(column(line, n), Some(*field), "column {n}");
        }
        assert_eq!(column(line, all.len()), None);
        assert_eq!(column("a\t\tb", 1), Some(""));
        assert_eq!(column("", 0), Some(""));
    }

    #[test]
    fn failed_filters_lists_the_names_of_records_that_did_not_pass() {
        assert_eq!(failed_filters("PASS"), None);
        assert_eq!(failed_filters("."), None);
        assert_eq!(failed_filters(""), None);
        assert_eq!(
            failed_filters("weak_evidence;strand_bias"),
            Some(vec!["weak_evidence", "strand_bias"])
        );
    }
}
