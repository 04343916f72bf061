//! `kb-lookup annotate`: read vcf-annotate's VCF (one ALT per record, VEP
//! `INFO/CSQ`, `INFO/ORIGINAL`), match every allele against a bundle and
//! write one JSON Lines record per allele (`header`, `variant`...,
//! `summary`), optionally the VCF with the matches added to INFO.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use variant_model::consequence::TranscriptConsequence;
use variant_model::csq::CsqLayout;
use variant_model::evidence::{KbMatch, MatchLevel};
use variant_model::io::{AtomicOutput, display_name, open_input};
use variant_model::record::{
    SCHEMA_VERSION, SampleCall, StreamHeader, StreamLine, StreamSummary, ToolRun, VariantRecord,
};
use variant_model::{GenomicAllele, OriginalRecord};

use crate::bundle::Bundle;
use crate::manifest::SourceKind;

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
    let mut reader = open_input(options.input.as_deref())?;
    let header = read_header(&mut reader, &input_name)?;

    let bundle_build = bundle.manifest.genome_build.clone();
    let evidence = crate::contig::detect_build(
        &header.meta,
        &bundle_build,
        bundle.reference_lengths.as_ref(),
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
    let stream_header = StreamLine::Header(StreamHeader {
        schema_version: SCHEMA_VERSION.to_string(),
        sample: (header.samples.len() == 1).then(|| header.samples[0].clone()),
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
    let mut line = String::new();
    let mut line_number = header.line_count;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| crate::Error::At {
            path: input_name.clone(),
            line: line_number + 1,
            message: e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        line_number += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            continue;
        }
        summary.records_read += 1;
        progress.inc(1);
        let at = |message: String| crate::Error::At {
            path: input_name.clone(),
            line: line_number,
            message,
        };
        let records =
            parse_record(text, layout.as_ref(), &header.samples, jsonl.is_some()).map_err(at)?;
        let mut all_matches: Vec<Vec<KbMatch>> = Vec::with_capacity(records.len());
        for mut record in records {
            let matches =
                crate::matcher::match_allele(&mut bundle, &record.allele, &record.consequences)
                    .map_err(|e| at(e.to_string()))?;
            if !matches.is_empty() {
                *summary
                    .counts
                    .entry("alleles_with_match".into())
                    .or_default() += 1;
            }
            for m in &matches {
                *summary
                    .counts
                    .entry(format!("matches:{}:{}", m.source, level_name(m.level)))
                    .or_default() += 1;
            }
            if vcf_out.is_some() {
                all_matches.push(matches.clone());
            }
            record.kb_matches = matches;
            if let Some(jsonl) = jsonl.as_mut() {
                serde_json::to_writer(&mut *jsonl, &StreamLine::Variant(record))
                    .map_err(|e| write_err(e.into()))?;
                jsonl.write_all(b"\n").map_err(write_err)?;
            }
            summary.alleles_written += 1;
        }
        if let Some(out) = vcf_out.as_mut() {
            out.write_record(text, &all_matches)?;
        }
    }
    progress.finish_and_clear();
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
    samples: &[String],
    full: bool,
) -> Result<Vec<VariantRecord>, String> {
    let fields: Vec<&str> = text.split('\t').collect();
    if fields.len() < 8 {
        return Err(format!(
            "{} columns, a VCF record has at least 8",
            fields.len()
        ));
    }
    let chrom = fields[0];
    let pos: u64 = fields[1]
        .parse()
        .map_err(|_| format!("POS `{}` is not a number", fields[1]))?;
    let ref_allele = fields[3];
    let alts: Vec<&str> = fields[4].split(',').collect();
    let info = fields[7];
    let info_get = |key: &str| crate::sources::info_value(info, key);
    let consequences: Vec<TranscriptConsequence> = match (layout, info_get("CSQ")) {
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
                    consequences.clone()
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
            record.consequences = consequences.clone();
        }
        record.calls = sample_calls(&fields, samples, index);
        out.push(record);
    }
    Ok(out)
}

/// Removes bases shared by REF and ALT (keeping one anchor base), so
/// records that were not normalised still compare with bundle alleles.
fn trim(allele: &mut GenomicAllele) {
    let r = allele.ref_allele.as_bytes();
    let a = allele.alt_allele.as_bytes();
    if allele.class() == variant_model::VariantClass::Symbolic {
        return;
    }
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
    let (r, a) = (r[prefix..].to_vec(), a[prefix..].to_vec());
    allele.pos += prefix as u64;
    allele.ref_allele = String::from_utf8(r).expect("ASCII");
    allele.alt_allele = String::from_utf8(a).expect("ASCII");
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

/// GT, AD, DP and AF of each sample for ALT `index`.
fn sample_calls(fields: &[&str], samples: &[String], index: usize) -> Vec<SampleCall> {
    if fields.len() < 10 || samples.is_empty() {
        return Vec::new();
    }
    let keys: Vec<&str> = fields[8].split(':').collect();
    samples
        .iter()
        .zip(&fields[9..])
        .map(|(sample, value)| {
            let values: Vec<&str> = value.split(':').collect();
            let get = |key: &str| {
                keys.iter()
                    .position(|k| *k == key)
                    .and_then(|i| values.get(i))
                    .copied()
                    .filter(|v| !v.is_empty() && *v != ".")
            };
            let ad: Vec<Option<u32>> = get("AD")
                .map(|v| v.split(',').map(|x| x.parse().ok()).collect())
                .unwrap_or_default();
            let alt_depth = ad.get(index + 1).copied().flatten();
            let ad_total: Option<u32> = if ad.is_empty() || ad.iter().any(Option::is_none) {
                None
            } else {
                Some(ad.iter().map(|x| x.unwrap_or(0)).sum())
            };
            let total_depth = get("DP").and_then(|v| v.parse().ok()).or(ad_total);
            let vaf = get("AF")
                .and_then(|v| v.split(',').nth(index).and_then(|x| x.parse().ok()))
                .or_else(|| match (alt_depth, ad_total) {
                    (Some(a), Some(t)) if t > 0 => Some(a as f64 / t as f64),
                    _ => None,
                });
            SampleCall {
                sample: sample.clone(),
                role: None,
                genotype: get("GT").map(str::to_string),
                alt_depth,
                total_depth,
                vaf,
            }
        })
        .collect()
}

/// The VCF output: the input with `KB` (every match) and per-source
/// summary fields added to INFO.
struct VcfOut {
    path: PathBuf,
    writer: VcfWriter,
    population_sources: Vec<String>,
    clinvar_sources: Vec<String>,
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
                noodles::bgzf::io::MultithreadedWriter::with_worker_count(
                    std::num::NonZero::new(2).expect("non-zero"),
                    output,
                ),
            ))
        } else {
            VcfWriter::Plain(std::io::BufWriter::with_capacity(1 << 16, output))
        };
        let population_sources = bundle
            .exact
            .iter()
            .filter(|s| s.kind == SourceKind::Gnomad)
            .map(|s| s.name.clone())
            .collect::<Vec<_>>();
        let clinvar_sources = bundle
            .exact
            .iter()
            .filter(|s| s.kind == SourceKind::Clinvar)
            .map(|s| s.name.clone())
            .collect::<Vec<_>>();
        let mut out = Self {
            path: path.to_path_buf(),
            writer,
            population_sources,
            clinvar_sources,
        };
        let mut text = String::new();
        for line in &header.meta {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("##INFO=<ID=KB,Number=.,Type=String,Description=\"Knowledge-base matches from kb-lookup. Format: source|record_id|level|transcript\">\n");
        for name in &out.population_sources {
            text.push_str(&format!(
                "##INFO=<ID={},Number=1,Type=Float,Description=\"Allele frequency in {name}\">\n",
                info_id(name, "AF")
            ));
            text.push_str(&format!(
                "##INFO=<ID={},Number=1,Type=Float,Description=\"Highest group allele frequency in {name}\">\n",
                info_id(name, "GRPMAX_AF")
            ));
        }
        for name in &out.clinvar_sources {
            text.push_str(&format!(
                "##INFO=<ID={},Number=.,Type=String,Description=\"ClinVar classification in {name}\">\n",
                info_id(name, "CLNSIG")
            ));
            text.push_str(&format!(
                "##INFO=<ID={},Number=.,Type=Integer,Description=\"ClinVar review stars in {name}\">\n",
                info_id(name, "STARS")
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

    fn write_record(&mut self, text: &str, matches: &[Vec<KbMatch>]) -> crate::Result<()> {
        use crate::exact::encode_info_value as enc;
        let mut added: Vec<String> = Vec::new();
        let kb: Vec<String> = matches
            .iter()
            .flatten()
            .map(|m| {
                format!(
                    "{}|{}|{}|{}",
                    enc(&m.source),
                    enc(&m.record_id),
                    level_name(m.level),
                    enc(m.transcript.as_deref().unwrap_or(""))
                )
            })
            .collect();
        if !kb.is_empty() {
            added.push(format!("KB={}", kb.join(",")));
        }
        // Per-source values, one per ALT ('.' when that ALT has none).
        let per_alt =
            |source: &str, value: &dyn Fn(&KbMatch) -> Option<String>| -> Option<String> {
                let values: Vec<String> = matches
                    .iter()
                    .map(|ms| {
                        ms.iter()
                            .find(|m| m.source == source)
                            .and_then(value)
                            .unwrap_or_else(|| ".".into())
                    })
                    .collect();
                values.iter().any(|v| v != ".").then(|| values.join(","))
            };
        for name in &self.population_sources {
            let af = |m: &KbMatch| m.evidence.population.as_ref()?.af.map(|v| v.to_string());
            let grpmax = |m: &KbMatch| {
                m.evidence
                    .population
                    .as_ref()?
                    .grpmax_af
                    .map(|v| v.to_string())
            };
            if let Some(v) = per_alt(name, &af) {
                added.push(format!("{}={v}", info_id(name, "AF")));
            }
            if let Some(v) = per_alt(name, &grpmax) {
                added.push(format!("{}={v}", info_id(name, "GRPMAX_AF")));
            }
        }
        for name in &self.clinvar_sources {
            let sig = |m: &KbMatch| m.evidence.clinical_significance.as_deref().map(enc);
            let stars = |m: &KbMatch| m.evidence.review_stars.map(|s| s.to_string());
            if let Some(v) = per_alt(name, &sig) {
                added.push(format!("{}={v}", info_id(name, "CLNSIG")));
            }
            if let Some(v) = per_alt(name, &stars) {
                added.push(format!("{}={v}", info_id(name, "STARS")));
            }
        }
        let err = |e: std::io::Error| crate::Error::file(&self.path, e);
        if added.is_empty() {
            self.writer.write_all(text.as_bytes()).map_err(err)?;
        } else {
            let mut fields = text.splitn(9, '\t');
            let mut first = true;
            for (i, field) in fields.by_ref().enumerate() {
                if !first {
                    self.writer.write_all(b"\t").map_err(err)?;
                }
                first = false;
                if i == 7 {
                    if field != "." && !field.is_empty() {
                        self.writer.write_all(field.as_bytes()).map_err(err)?;
                        self.writer.write_all(b";").map_err(err)?;
                    }
                    self.writer
                        .write_all(added.join(";").as_bytes())
                        .map_err(err)?;
                } else {
                    self.writer.write_all(field.as_bytes()).map_err(err)?;
                }
            }
        }
        self.writer.write_all(b"\n").map_err(err)
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
    fn sample_calls_read_ad_dp_and_af() {
        let line = "7\t1\t.\tA\tT\t.\tPASS\t.\tGT:AD:DP\t0/1:21,8:29";
        let fields: Vec<&str> = line.split('\t').collect();
        let calls = sample_calls(&fields, &["TUMOR".to_string()], 0);
        assert_eq!(calls[0].alt_depth, Some(8));
        assert_eq!(calls[0].total_depth, Some(29));
        assert!((calls[0].vaf.unwrap() - 8.0 / 29.0).abs() < 1e-9);
    }
}
