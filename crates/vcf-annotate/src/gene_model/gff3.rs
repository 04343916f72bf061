//! GFF3 reader: Ensembl, GENCODE and RefSeq (NCBI) flavours, and the
//! Ensembl-derived models of bcftools csq.
//!
//! The file is read once, streaming; it need not be sorted. Lines are parsed
//! with noodles-gff. Features are recognised by their place in the hierarchy,
//! not by a list of type names:
//! - *parts* are `exon`, `CDS`, UTRs and start/stop codons; they name their
//!   transcript(s) in `Parent`;
//! - a *transcript* is any feature with an `ID` that parts point to
//!   (`mRNA`, `transcript`, `lnc_RNA`, `NMD_transcript_variant`,
//!   `J_gene_segment`, ...);
//! - its *gene* is the feature its own `Parent` names. A gene with exons of
//!   its own and no transcripts (RefSeq pseudogenes) is read as a transcript
//!   of itself.
//!
//! Policies (each counted in the [`LoadSummary`], never silent):
//! - a part whose `Parent` is never defined in the file is skipped and
//!   counted (excerpts of real files have such lines); so is a part under a
//!   gene that also has transcripts, and an RNA nested in a transcript
//!   (RefSeq mature miRNA under its `primary_transcript`);
//! - a transcript whose gene is never defined is kept, its gene identifier
//!   taken from its own attributes or the `Parent` value;
//! - a non-coding transcript without any parts (bcftools' test models) is
//!   read as one exon over its extent, and counted;
//! - CDS without exons (bcftools' models) make exons from the CDS and UTR
//!   lines, counted;
//! - features that are not part of the transcript model (regions,
//!   alignments, introns, repeats, genes without transcripts, ...) are
//!   counted by type;
//! - malformed lines, a CDS without phase (unless [`ReadOptions::lenient`]),
//!   a CDS outside its exons, overlapping exons, a transcript without strand
//!   or with parts on another contig/strand are errors naming file and line.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use noodles::gff;
use noodles::gff::feature::record::{Phase, Strand as GffStrand};
use noodles::gff::record::attributes::field::Value;
use variant_model::Strand;

use super::assemble::{
    CdsPart, Part, TranscriptDraft, apply_tags, description_source, refseq_biotype, split_version,
    strip_version, tsl_value,
};
use super::{GeneModelError, LoadSummary, LoadedModel, ReadOptions, TranscriptSource};

/// Reads every transcript (with exons and CDS) from a GFF3 file, plain or
/// gzip/bgzip compressed.
pub fn read(path: &Path, options: &ReadOptions) -> Result<LoadedModel, GeneModelError> {
    let name = path.display().to_string();
    let input = variant_model::io::open_input(Some(path)).map_err(|e| GeneModelError::Io {
        path: name.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    read_from(input, &name, options)
}

/// Reads GFF3 from any buffered reader; `name` is used in messages.
pub fn read_from(
    input: impl BufRead,
    name: &str,
    options: &ReadOptions,
) -> Result<LoadedModel, GeneModelError> {
    let mut collector = Collector::new(name);
    let mut reader = gff::io::Reader::new(input);
    let mut line = gff::Line::default();
    let mut line_number = 0u64;
    loop {
        let n = reader
            .read_line(&mut line)
            .map_err(|source| GeneModelError::Io {
                path: name.to_string(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_number += 1;
        let text: &[u8] = line.as_ref();
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match line.kind() {
            gff::line::Kind::Directive => {
                if text.starts_with(b"##FASTA") {
                    break;
                }
            }
            gff::line::Kind::Comment => {}
            gff::line::Kind::Record => {
                let record = line
                    .as_record()
                    .expect("kind is record")
                    .map_err(|e| collector.invalid(line_number, format!("malformed line: {e}")))?;
                collector.add(&record, line_number)?;
            }
        }
    }
    collector.finish(options)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PartKind {
    Exon,
    Cds,
    /// UTRs and start codons: only used to derive exons when none are given.
    Other,
    StopCodon,
}

fn part_kind(ty: &str) -> Option<PartKind> {
    Some(match ty {
        "exon" | "pseudogenic_exon" | "noncoding_exon" => PartKind::Exon,
        "CDS" => PartKind::Cds,
        "five_prime_UTR" | "three_prime_UTR" | "UTR" | "5'UTR" | "3'UTR" | "start_codon" => {
            PartKind::Other
        }
        "stop_codon" => PartKind::StopCodon,
        _ => return None,
    })
}

/// One part line, attached to one parent (a line with two parents gives
/// two).
#[derive(Debug, Clone, Copy)]
struct PartRecord {
    parent: u32,
    kind: PartKind,
    seqid: u32,
    strand: Option<Strand>,
    phase: Option<u8>,
    part: Part,
}

/// What a CDS line says about the protein, kept per transcript.
#[derive(Debug, Default, Clone)]
struct CdsInfo {
    protein_id: Option<String>,
    ccds: Option<String>,
    /// RefSeq `start_range` / `end_range` on the CDS: genomic low / high end
    /// incomplete.
    low_end_partial: bool,
    high_end_partial: bool,
    exception: Option<String>,
}

/// A feature with an `ID`: a gene, a transcript, or something outside the
/// model (region, chromosome, ...). Attributes are kept only for the keys the
/// model reads.
#[derive(Debug)]
struct Feature {
    line: u64,
    ty: String,
    source: String,
    seqid: u32,
    start: u64,
    end: u64,
    strand: Option<Strand>,
    id: String,
    parents: Vec<u32>,
    attributes: Vec<(&'static str, String)>,
    /// Why the coordinates could not be read: an error if the model uses
    /// this feature.
    invalid_extent: Option<String>,
}

impl Feature {
    /// The first value of `key` (multi-valued attributes joined with `,`).
    fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.attributes
            .iter()
            .filter(move |(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A cross-reference such as `GeneID:673` or `HGNC:HGNC:1097`, by
    /// database name (`Dbxref`, or `db_xref` in some NCBI-derived files).
    fn xref(&self, db: &str) -> Option<&str> {
        self.values("Dbxref")
            .chain(self.values("db_xref"))
            .find_map(|x| x.strip_prefix(db).and_then(|r| r.strip_prefix(':')))
    }

    fn is_refseq(&self) -> bool {
        self.xref("GeneID").is_some()
            || matches!(
                self.source.as_str(),
                "RefSeq" | "BestRefSeq" | "Gnomon" | "Curated Genomic" | "BestRefSeq,Gnomon"
            )
    }

    /// The ID without an Ensembl-style `type:` prefix or NCBI `rna-`/`gene-`
    /// prefix.
    fn bare_id(&self) -> &str {
        strip_id_prefix(&self.id)
    }
}

fn strip_id_prefix(id: &str) -> &str {
    for prefix in ["transcript:", "gene:", "rna-", "gene-", "CDS:", "cds-"] {
        if let Some(rest) = id.strip_prefix(prefix) {
            return rest;
        }
    }
    id
}

/// Attribute keys the model reads from genes and transcripts.
const KEPT_ATTRIBUTES: &[&str] = &[
    "Name",
    "gene_id",
    "gene_name",
    "gene",
    "transcript_id",
    "version",
    "biotype",
    "gene_biotype",
    "transcript_biotype",
    "gene_type",
    "transcript_type",
    "tag",
    "ccdsid",
    "transcript_support_level",
    "Dbxref",
    "db_xref",
    "description",
    "hgnc_id",
    "ncrna_class",
    "pseudo",
    "locus_tag",
    "exception",
    "Is_circular",
];

struct Collector {
    path: String,
    summary: LoadSummary,
    ids: HashMap<String, u32>,
    /// Referenced or defined names in interning order; `features[i]` is
    /// `None` while the name has only been seen in a `Parent`.
    names: Vec<String>,
    features: Vec<Option<Feature>>,
    seqids: HashMap<String, u32>,
    seqid_names: Vec<String>,
    parts: Vec<PartRecord>,
    cds_info: HashMap<u32, CdsInfo>,
}

impl Collector {
    fn new(path: &str) -> Self {
        Self {
            path: path.to_string(),
            summary: LoadSummary {
                format: "GFF3".into(),
                ..Default::default()
            },
            ids: HashMap::new(),
            names: Vec::new(),
            features: Vec::new(),
            seqids: HashMap::new(),
            seqid_names: Vec::new(),
            parts: Vec::new(),
            cds_info: HashMap::new(),
        }
    }

    fn invalid(&self, line: u64, message: String) -> GeneModelError {
        GeneModelError::Invalid {
            path: self.path.clone(),
            line,
            message,
        }
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.ids.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(name.to_string(), i);
        self.names.push(name.to_string());
        self.features.push(None);
        i
    }

    fn seqid(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.seqids.get(name) {
            return i;
        }
        let i = self.seqid_names.len() as u32;
        self.seqids.insert(name.to_string(), i);
        self.seqid_names.push(name.to_string());
        i
    }

    fn add(&mut self, record: &gff::Record<'_>, line: u64) -> Result<(), GeneModelError> {
        self.summary.feature_lines += 1;
        let bad =
            |what: &str, e: std::io::Error| self.invalid(line, format!("invalid {what}: {e}"));
        let ty = utf8(&record.ty(), line, &self.path)?.to_string();
        let kind = part_kind(&ty);
        // Bad coordinates are an error on parts at once, and on other
        // features only if they are read as transcripts (bcftools' shifted
        // test models have genes and chromosomes starting below 1).
        let extent = match (record.start(), record.end()) {
            (Ok(s), Ok(e)) if s <= e => Ok((usize::from(s) as u64, usize::from(e) as u64)),
            (Ok(s), Ok(e)) => Err(format!("start {s} is after end {e}")),
            (Err(e), _) => Err(format!("invalid start: {e}")),
            (_, Err(e)) => Err(format!("invalid end: {e}")),
        };
        let (start, end, invalid_extent) = match extent {
            Ok((s, e)) => (s, e, None),
            Err(message) if kind.is_none() => (0, 0, Some(message)),
            Err(message) => return Err(self.invalid(line, message)),
        };
        let strand = match record.strand().map_err(|e| bad("strand", e))? {
            GffStrand::Forward => Some(Strand::Forward),
            GffStrand::Reverse => Some(Strand::Reverse),
            GffStrand::None | GffStrand::Unknown => None,
        };
        let phase = match record.phase() {
            None => None,
            Some(Ok(Phase::Zero)) => Some(0),
            Some(Ok(Phase::One)) => Some(1),
            Some(Ok(Phase::Two)) => Some(2),
            Some(Err(e)) => return Err(bad("phase", e)),
        };

        // One pass over the attributes, keeping what this kind of line needs.
        let mut id = None;
        let mut parents: Vec<String> = Vec::new();
        let mut kept: Vec<(&'static str, String)> = Vec::new();
        let mut cds = CdsInfo::default();
        let mut cds_name = None;
        let attributes = record.attributes();
        for field in attributes.iter() {
            let (key, value) =
                field.map_err(|e| self.invalid(line, format!("malformed attributes: {e}")))?;
            let key = utf8(&key, line, &self.path)?;
            let wanted = match (key, kind) {
                ("ID" | "Parent", _) => true,
                (_, Some(PartKind::Cds)) => matches!(
                    key,
                    "protein_id"
                        | "Name"
                        | "Dbxref"
                        | "db_xref"
                        | "start_range"
                        | "end_range"
                        | "exception"
                ),
                (_, Some(_)) => false,
                (_, None) => KEPT_ATTRIBUTES.contains(&key),
            };
            if !wanted {
                continue;
            }
            let values: Vec<String> = match &value {
                Value::String(s) => vec![utf8(s, line, &self.path)?.to_string()],
                Value::Array(a) => a
                    .iter()
                    .map(|s| utf8(&s, line, &self.path).map(str::to_string))
                    .collect::<Result<_, _>>()?,
            };
            match key {
                "ID" => id = Some(values.join(",")),
                "Parent" => parents = values,
                _ if kind == Some(PartKind::Cds) => match key {
                    "protein_id" => cds.protein_id = values.into_iter().next(),
                    "Name" => cds_name = values.into_iter().next(),
                    "Dbxref" | "db_xref" => {
                        cds.ccds = values
                            .iter()
                            .find_map(|x| x.strip_prefix("CCDS:").map(str::to_string))
                    }
                    "exception" => cds.exception = Some(values.join(",")),
                    "start_range" => cds.low_end_partial = true,
                    "end_range" => cds.high_end_partial = true,
                    _ => {}
                },
                _ if kind.is_none() => {
                    if let Some(&k) = KEPT_ATTRIBUTES.iter().find(|k| **k == key) {
                        kept.extend(values.into_iter().map(|v| (k, v)));
                    }
                }
                _ => {}
            }
        }
        let seqid_name = utf8(&record.reference_sequence_name(), line, &self.path)?.to_string();
        let seqid = self.seqid(&seqid_name);

        if let Some(kind) = kind {
            if parents.is_empty() {
                self.summary.skip("transcript parts without Parent", || {
                    format!("line {line}: {ty}")
                });
                return Ok(());
            }
            let part = Part { start, end, line };
            for parent in &parents {
                let parent = self.intern(parent);
                self.parts.push(PartRecord {
                    parent,
                    kind,
                    seqid,
                    strand,
                    phase,
                    part,
                });
                if kind == PartKind::Cds {
                    let info = self.cds_info.entry(parent).or_default();
                    if info.protein_id.is_none() {
                        // RefSeq names the protein in `Name` (NP_...).
                        info.protein_id = cds.protein_id.clone().or_else(|| {
                            cds_name
                                .clone()
                                .filter(|n| split_version(n).1.is_some() && n.contains('_'))
                        });
                    }
                    if info.ccds.is_none() {
                        info.ccds = cds.ccds.clone();
                    }
                    if info.exception.is_none() {
                        info.exception = cds.exception.clone();
                    }
                    info.low_end_partial |= cds.low_end_partial;
                    info.high_end_partial |= cds.high_end_partial;
                }
            }
            return Ok(());
        }

        let Some(id) = id else {
            // Nothing can point to a feature without ID.
            match invalid_extent {
                Some(message) => self.summary.skip(
                    "features outside the model with invalid coordinates",
                    || format!("line {line}: {ty}: {message}"),
                ),
                None => self.summary.ignore_type(&ty),
            }
            return Ok(());
        };
        let index = self.intern(&id);
        let parents: Vec<u32> = parents.iter().map(|p| self.intern(p)).collect();
        let source = utf8(&record.source(), line, &self.path)?.to_string();
        let path = &self.path;
        match &mut self.features[index as usize] {
            Some(existing) => {
                // GFF3 allows one feature over several lines (same ID).
                if existing.seqid != seqid || existing.strand != strand || existing.ty != ty {
                    return Err(GeneModelError::Invalid {
                        path: path.clone(),
                        line,
                        message: format!(
                            "ID {id} is already used by a different feature at line {}",
                            existing.line
                        ),
                    });
                }
                if invalid_extent.is_some() {
                    existing.invalid_extent = invalid_extent;
                }
                existing.start = existing.start.min(start);
                existing.end = existing.end.max(end);
                let first = existing.line;
                self.summary.note(
                    "features given on several lines with one ID (extents merged)",
                    || format!("line {line}: {id} (first at line {first})"),
                );
            }
            slot @ None => {
                *slot = Some(Feature {
                    line,
                    ty,
                    source,
                    seqid,
                    start,
                    end,
                    strand,
                    id,
                    parents,
                    attributes: kept,
                    invalid_extent,
                });
            }
        }
        Ok(())
    }

    fn finish(mut self, options: &ReadOptions) -> Result<LoadedModel, GeneModelError> {
        // Group parts by parent.
        self.parts
            .sort_by_key(|p| (p.parent, p.kind, p.part.start, p.part.end, p.part.line));
        let mut has_parts = vec![false; self.names.len()];
        for p in &self.parts {
            has_parts[p.parent as usize] = true;
        }
        // Features (with parts) whose Parent is this one.
        let mut has_child_with_parts = vec![false; self.names.len()];
        let mut has_child_feature = vec![false; self.names.len()];
        for (i, f) in self.features.iter().enumerate() {
            for &p in f.iter().flat_map(|f| &f.parents) {
                has_child_feature[p as usize] = true;
                has_child_with_parts[p as usize] |= has_parts[i];
            }
        }

        let mut transcripts = Vec::new();
        let mut genes_used: HashSet<u32> = HashSet::new();
        let parts = std::mem::take(&mut self.parts);
        let mut start = 0;
        while start < parts.len() {
            let parent = parts[start].parent;
            let end = start + parts[start..].partition_point(|p| p.parent == parent);
            let group = &parts[start..end];
            start = end;
            let Some(feature) = &self.features[parent as usize] else {
                let name = &self.names[parent as usize];
                for p in group {
                    self.summary
                        .skip("transcript parts whose Parent is never defined", || {
                            format!("line {}: Parent={name}", p.part.line)
                        });
                }
                continue;
            };
            // A top-level feature (a gene) with transcripts: its own parts
            // are not a transcript.
            if feature.parents.is_empty() && has_child_with_parts[parent as usize] {
                genes_used.insert(parent);
                for p in group {
                    self.summary.skip(
                        "parts attached directly to a gene that also has transcripts",
                        || format!("line {}: Parent={}", p.part.line, feature.id),
                    );
                }
                continue;
            }
            // An RNA inside a transcript (RefSeq mature miRNA).
            if let Some(&outer) = feature.parents.iter().find(|&&p| has_parts[p as usize]) {
                let outer = &self.names[outer as usize];
                self.summary.skip(
                    "RNA features nested in a transcript (e.g. mature miRNA), with their parts",
                    || format!("line {}: {} in {outer}", feature.line, feature.id),
                );
                continue;
            }
            if let Some(message) = &feature.invalid_extent {
                return Err(self.invalid(feature.line, message.clone()));
            }
            let gene = match feature.parents.first() {
                Some(&g) => {
                    genes_used.insert(g);
                    if self.features[g as usize].is_none() {
                        let name = &self.names[g as usize];
                        self.summary.note(
                            "transcripts whose Parent gene is never defined (gene taken from attributes)",
                            || format!("line {}: {} Parent={name}", feature.line, feature.id),
                        );
                    }
                    if feature.parents.len() > 1 {
                        self.summary
                            .note("transcripts with several Parents (first used)", || {
                                format!("line {}: {}", feature.line, feature.id)
                            });
                    }
                    if let Some(Feature {
                        invalid_extent: Some(message),
                        line,
                        ..
                    }) = &self.features[g as usize]
                    {
                        // The model reads only a gene's attributes.
                        self.summary.note(
                            "genes with invalid coordinates (only their attributes are used)",
                            || format!("line {line}: {message}"),
                        );
                    }
                    GeneRef::from(&self.features[g as usize], &self.names[g as usize])
                }
                None => GeneRef::Itself,
            };
            let draft = self.draft(feature, gene, group)?;
            let transcript = draft.assemble(&self.path, options, &mut self.summary)?;
            transcripts.push(transcript);
        }

        // Non-coding transcripts given without exons (bcftools' test models):
        // one exon over their extent, as bcftools csq reads them. A coding
        // transcript without parts cannot be modelled and stays counted
        // below.
        let mut exonless = Vec::new();
        for (i, f) in self.features.iter().enumerate() {
            let Some(f) = f else { continue };
            let gene = match f.parents.as_slice() {
                [g] => *g,
                _ => continue,
            };
            if has_parts[i]
                || has_child_feature[i]
                || f.invalid_extent.is_some()
                || !is_transcript_type(&f.ty)
                || f.ty == "mRNA"
                || ["biotype", "transcript_type", "transcript_biotype"]
                    .iter()
                    .any(|k| f.get(k) == Some("protein_coding"))
                || has_parts[gene as usize]
                || self.features[gene as usize].is_none()
            {
                continue;
            }
            exonless.push(i);
        }
        for i in exonless {
            let f = self.features[i].as_ref().expect("checked");
            let g = f.parents[0];
            genes_used.insert(g);
            has_parts[i] = true;
            self.summary.note(
                "non-coding transcripts without exons (one exon over their extent)",
                || format!("line {}: {}", f.line, f.id),
            );
            let gene = GeneRef::from(&self.features[g as usize], &self.names[g as usize]);
            let mut draft = self.draft(f, gene, &[])?;
            draft.exons.push(Part {
                start: f.start,
                end: f.end,
                line: f.line,
            });
            transcripts.push(draft.assemble(&self.path, options, &mut self.summary)?);
        }

        // Features that are neither transcripts nor their genes.
        for (i, f) in self.features.iter().enumerate() {
            if let Some(f) = f
                && !has_parts[i]
                && !genes_used.contains(&(i as u32))
            {
                let ty = if has_child_feature[i] {
                    format!("{} (only nested features)", f.ty)
                } else if !f.parents.is_empty() {
                    format!("{} (no exons)", f.ty)
                } else {
                    f.ty.clone()
                };
                match &f.invalid_extent {
                    Some(message) => self.summary.skip(
                        "features outside the model with invalid coordinates",
                        || format!("line {}: {ty}: {message}", f.line),
                    ),
                    None => self.summary.ignore_type(&ty),
                }
            }
        }

        // Circular contigs (`Is_circular=true`, e.g. RefSeq chrM): a
        // transcript across the origin runs past the contig's end; its
        // coordinates cannot be modelled on a linear contig.
        let circular: HashMap<u32, u64> = self
            .features
            .iter()
            .flatten()
            .filter(|f| f.get("Is_circular") == Some("true") && f.invalid_extent.is_none())
            .map(|f| (f.seqid, f.end))
            .collect();
        if !circular.is_empty() {
            let seqids = &self.seqids;
            let summary = &mut self.summary;
            transcripts.retain(|t| {
                let length = circular.get(&seqids[t.chrom.as_str()]);
                // NCBI writes such a feature with an end past the contig's
                // length, or as pieces at both ends of the contig.
                let across = length.is_some_and(|&length| {
                    t.end > length || (t.start == 1 && t.end == length && t.exons.len() > 1)
                });
                if across {
                    summary.skip(
                        "transcripts across the origin of a circular contig (not supported)",
                        || format!("{}:{}", t.chrom, t.versioned_id()),
                    );
                }
                !across
            });
        }
        transcripts.sort_by(|a, b| {
            (&a.chrom, a.start, a.end, &a.id).cmp(&(&b.chrom, b.start, b.end, &b.id))
        });
        let mut seen = HashSet::new();
        for t in &transcripts {
            if !seen.insert((t.chrom.as_str(), t.versioned_id())) {
                self.summary
                    .note("transcript identifiers used twice on one contig", || {
                        format!("{}:{}", t.chrom, t.versioned_id())
                    });
            }
        }
        let genes: HashSet<(&str, &str)> = transcripts
            .iter()
            .map(|t| (t.chrom.as_str(), t.gene_id.as_str()))
            .collect();
        self.summary.genes = genes.len();
        self.summary.transcripts = transcripts.len();
        self.summary.coding_transcripts = transcripts.iter().filter(|t| t.is_coding()).count();
        Ok(LoadedModel {
            transcripts,
            summary: self.summary,
        })
    }

    /// Transcript attributes from the transcript feature, its gene and its
    /// CDS lines.
    fn draft(
        &self,
        feature: &Feature,
        gene: GeneRef<'_>,
        group: &[PartRecord],
    ) -> Result<TranscriptDraft, GeneModelError> {
        let Some(strand) = feature.strand else {
            return Err(self.invalid(
                feature.line,
                format!("transcript {} has no strand (+ or -)", feature.id),
            ));
        };
        let mut draft = TranscriptDraft {
            line: feature.line,
            extent: Some((feature.start, feature.end)),
            ..Default::default()
        };
        for p in group {
            if p.seqid != feature.seqid || p.strand.is_some_and(|s| s != strand) {
                return Err(self.invalid(
                    p.part.line,
                    format!(
                        "part of transcript {} lies on another contig or strand than the transcript (line {})",
                        feature.id, feature.line
                    ),
                ));
            }
            match p.kind {
                PartKind::Exon => draft.exons.push(p.part),
                PartKind::Cds => draft.cds.push(CdsPart {
                    part: p.part,
                    phase: p.phase,
                }),
                PartKind::Other => draft.other_parts.push(p.part),
                PartKind::StopCodon => draft.stop_codons.push(p.part),
            }
        }
        let has_cds = !draft.cds.is_empty();
        let cds_info = self
            .cds_info
            .get(&self.ids[&feature.id])
            .cloned()
            .unwrap_or_default();
        let gene_feature = match gene {
            GeneRef::Defined(g) => Some(g),
            GeneRef::Itself => Some(feature),
            GeneRef::Undefined(_) => None,
        };
        let is_own_gene = matches!(gene, GeneRef::Itself);
        let refseq = feature.is_refseq();
        let t = &mut draft.transcript;

        // Identifier and version.
        let raw_id = feature
            .get("transcript_id")
            .or_else(|| refseq.then(|| feature.get("Name")).flatten())
            .unwrap_or_else(|| feature.bare_id());
        (t.id, t.version) = match feature.get("version") {
            Some(v) => (raw_id.to_string(), Some(v.to_string())),
            None => split_version(raw_id),
        };
        t.source = if refseq || is_refseq_accession(&t.id) {
            TranscriptSource::RefSeq
        } else if t.id.starts_with("ENS") {
            // GENCODE GFF3 uses versioned IDs and GENCODE attribute names.
            if feature.get("transcript_type").is_some() || feature.get("gene_type").is_some() {
                TranscriptSource::Gencode
            } else {
                TranscriptSource::Ensembl
            }
        } else {
            TranscriptSource::Other
        };
        t.chrom = self.seqid_names[feature.seqid as usize].clone();
        t.strand = strand;

        // Gene.
        t.gene_id = match gene_feature {
            Some(g) => g
                .get("gene_id")
                .map(strip_version)
                .or_else(|| g.xref("GeneID").map(str::to_string))
                .unwrap_or_else(|| strip_version(g.bare_id())),
            None => feature
                .get("gene_id")
                .map(strip_version)
                .or_else(|| feature.xref("GeneID").map(str::to_string))
                .unwrap_or_else(|| match gene {
                    GeneRef::Undefined(name) => strip_version(strip_id_prefix(name)),
                    _ => unreachable!("defined genes handled above"),
                }),
        };
        let gene_attr = |key: &str| {
            gene_feature
                .and_then(|g| g.get(key))
                .or_else(|| feature.get(key))
        };
        // A transcript's own `Name` is a transcript name, so `Name` counts
        // only on a gene (or a gene-type feature read as its own transcript).
        let gene_name = match gene {
            GeneRef::Defined(g) => g.get("Name"),
            GeneRef::Itself if is_gene_type(&feature.ty) => feature.get("Name"),
            _ => None,
        };
        t.gene_symbol = gene_attr("gene_name")
            .or(gene_name)
            .or_else(|| gene_attr("gene"))
            .map(str::to_string);
        let (description_source, description_hgnc) = gene_attr("description")
            .map(description_source)
            .unwrap_or((None, None));
        let xref_hgnc = gene_feature
            .and_then(|g| g.xref("HGNC"))
            .or_else(|| feature.xref("HGNC"))
            .map(|h| {
                if h.starts_with("HGNC:") {
                    h.to_string()
                } else {
                    format!("HGNC:{h}")
                }
            });
        t.hgnc_id = gene_attr("hgnc_id")
            .map(str::to_string)
            .or(xref_hgnc)
            .or(description_hgnc);
        t.gene_symbol_source = if t.gene_symbol.is_none() {
            None
        } else if refseq && gene_feature.and_then(|g| g.xref("GeneID")).is_some() {
            Some("EntrezGene".into())
        } else if description_source.is_some() {
            description_source
        } else if t.hgnc_id.is_some() {
            Some("HGNC".into())
        } else {
            None
        };

        // Biotype: explicit attributes first, then the RefSeq feature type,
        // then the gene's biotype, then the feature type itself.
        let pseudo = feature.get("pseudo") == Some("true")
            || gene_feature.is_some_and(|g| g.get("pseudo") == Some("true"));
        let gene_biotype = gene_feature.and_then(|g| {
            g.get("biotype")
                .or_else(|| g.get("gene_biotype"))
                .or_else(|| g.get("gene_type"))
        });
        t.biotype = if let Some(b) = feature
            .get("biotype")
            .or_else(|| feature.get("transcript_type"))
            .or_else(|| feature.get("transcript_biotype"))
        {
            b.to_string()
        } else if is_own_gene {
            // A gene read as its own transcript, or a transcript without gene.
            feature
                .get("gene_biotype")
                .or_else(|| feature.get("gene_type"))
                .map_or_else(|| feature.ty.clone(), str::to_string)
        } else if refseq && pseudo {
            gene_biotype.map_or_else(|| "pseudogene".to_string(), str::to_string)
        } else if refseq
            || matches!(
                feature.ty.as_str(),
                "mRNA" | "lnc_RNA" | "NMD_transcript_variant"
            )
        {
            let mapped = refseq_biotype(&feature.ty, feature.get("ncrna_class"), has_cds);
            if feature.ty == "primary_transcript" {
                gene_biotype.map_or(mapped, str::to_string)
            } else {
                mapped
            }
        } else if let Some(b) = feature.get("gene_biotype").or(gene_biotype) {
            b.to_string()
        } else {
            feature.ty.clone()
        };

        // Tags and the flags they carry.
        t.tags = feature.values("tag").map(str::to_string).collect();
        apply_tags(t);
        t.tsl = feature.get("transcript_support_level").and_then(tsl_value);
        t.ccds = feature.get("ccdsid").map(str::to_string).or(cds_info.ccds);
        t.protein_id = cds_info.protein_id;
        let (five_prime_partial, three_prime_partial) = match strand {
            Strand::Forward => (cds_info.low_end_partial, cds_info.high_end_partial),
            Strand::Reverse => (cds_info.high_end_partial, cds_info.low_end_partial),
        };
        t.cds_start_nf |= five_prime_partial;
        t.cds_end_nf |= three_prime_partial;
        t.exception = feature
            .get("exception")
            .map(str::to_string)
            .or(cds_info.exception);
        Ok(draft)
    }
}

/// The gene of a transcript: a defined feature, a name only seen in
/// `Parent`, or the transcript itself (no Parent).
#[derive(Clone, Copy)]
enum GeneRef<'a> {
    Defined(&'a Feature),
    Undefined(&'a str),
    Itself,
}

impl<'a> GeneRef<'a> {
    fn from(feature: &'a Option<Feature>, name: &'a str) -> Self {
        match feature {
            Some(f) => GeneRef::Defined(f),
            None => GeneRef::Undefined(name),
        }
    }
}

/// Transcript feature types (SO and Ensembl's), for transcripts given
/// without exons.
fn is_transcript_type(ty: &str) -> bool {
    ty.ends_with("RNA")
        || ty.ends_with("transcript")
        || matches!(ty, "NMD_transcript_variant" | "transcript_region")
}

/// Gene-level feature types (SO terms and Ensembl's `*_gene` types).
fn is_gene_type(ty: &str) -> bool {
    ty == "gene" || ty == "pseudogene" || ty.ends_with("_gene") || ty.ends_with("_gene_segment")
}

fn is_refseq_accession(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() > 3 && matches!(&b[..3], b"NM_" | b"NR_" | b"XM_" | b"XR_" | b"NG_")
}

fn utf8<'a>(bytes: &'a [u8], line: u64, path: &str) -> Result<&'a str, GeneModelError> {
    std::str::from_utf8(bytes).map_err(|_| GeneModelError::Invalid {
        path: path.to_string(),
        line,
        message: "text is not UTF-8".into(),
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::gene_model::{CdsSegment, Exon, GeneModel, Transcript};

    fn read_str(text: &str, lenient: bool) -> Result<LoadedModel, GeneModelError> {
        read_from(text.as_bytes(), "t.gff3", &ReadOptions { lenient })
    }

    fn lines(rows: &[&str]) -> String {
        rows.iter()
            .map(|r| r.replace(' ', "\t").replace('~', " ") + "\n")
            .collect()
    }

    fn one(model: &LoadedModel, id: &str) -> Transcript {
        model
            .transcripts
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    }

    // Columns are separated by single spaces here (turned into tabs); `~`
    // stands for a space inside a value.
    const ENSEMBL: &[&str] = &[
        "##gff-version 3",
        "7 havana CDS 300 310 . - 2 ID=CDS:ENSP1;Parent=transcript:ENST1;protein_id=ENSP1",
        "7 havana exon 100 200 . - . Parent=transcript:ENST1;rank=2",
        "7 havana exon 300 400 . - . Parent=transcript:ENST1;rank=1",
        "7 havana CDS 150 200 . - 0 ID=CDS:ENSP1;Parent=transcript:ENST1;protein_id=ENSP1",
        "7 ensembl_havana mRNA 100 400 . - . ID=transcript:ENST1;Parent=gene:ENSG1;Name=BRAF-201;biotype=protein_coding;ccdsid=CCDS5863.1;tag=basic,Ensembl_canonical,MANE_Select;transcript_id=ENST1;transcript_support_level=1~(assigned~to~previous~version~3);version=11",
        "7 ensembl_havana gene 100 400 . - . ID=gene:ENSG1;Name=BRAF;biotype=protein_coding;description=B-Raf~proto-oncogene~[Source:HGNC~Symbol%3BAcc:HGNC:1097];gene_id=ENSG1;version=17",
        "7 . biological_region 500 600 . + . logic_name=cpg",
        "7 havana lnc_RNA 1000 2000 . + . ID=transcript:ENST2;Parent=gene:ENSG2;biotype=lncRNA;transcript_id=ENST2;version=1",
        "7 havana exon 1000 2000 . + . Parent=transcript:ENST2",
        "7 havana ncRNA_gene 1000 2000 . + . ID=gene:ENSG2;biotype=lncRNA;gene_id=ENSG2",
    ];

    #[test]
    fn reads_ensembl_gff3_in_any_order() {
        let model = read_str(&lines(ENSEMBL), false).unwrap();
        let t = one(&model, "ENST1");
        assert_eq!(t.versioned_id(), "ENST1.11");
        assert_eq!(t.gene_id, "ENSG1");
        assert_eq!(t.gene_symbol.as_deref(), Some("BRAF"));
        assert_eq!(t.gene_symbol_source.as_deref(), Some("HGNC"));
        assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:1097"));
        assert_eq!(t.biotype, "protein_coding");
        assert_eq!(t.chrom, "7");
        assert_eq!(t.strand, Strand::Reverse);
        assert_eq!((t.start, t.end), (100, 400));
        assert_eq!(
            t.exons,
            [
                Exon {
                    start: 100,
                    end: 200,
                    number: 2
                },
                Exon {
                    start: 300,
                    end: 400,
                    number: 1
                }
            ]
        );
        assert_eq!(
            t.cds,
            [
                CdsSegment {
                    start: 150,
                    end: 200,
                    phase: 0
                },
                CdsSegment {
                    start: 300,
                    end: 310,
                    phase: 2
                }
            ]
        );
        assert_eq!(t.protein_id.as_deref(), Some("ENSP1"));
        assert_eq!(t.tags, ["basic", "Ensembl_canonical", "MANE_Select"]);
        assert!(t.is_canonical);
        assert_eq!(t.mane_select.as_deref(), Some("ENST1.11"));
        assert_eq!(t.tsl.as_deref(), Some("1"));
        assert_eq!(t.ccds.as_deref(), Some("CCDS5863.1"));
        assert!(
            t.cds_start_nf,
            "first CDS segment (5', reverse strand) has phase 2"
        );
        assert!(!t.cds_end_nf);
        assert_eq!(t.source, TranscriptSource::Ensembl);

        let lnc = one(&model, "ENST2");
        assert_eq!(lnc.biotype, "lncRNA");
        assert!(!lnc.is_coding());
        assert_eq!(
            lnc.gene_symbol, None,
            "a transcript's own Name is not a symbol"
        );
        assert_eq!(model.summary.genes, 2);
        assert_eq!(model.summary.transcripts, 2);
        assert_eq!(model.summary.coding_transcripts, 1);
        assert_eq!(
            model.summary.ignored_feature_types.get("biological_region"),
            Some(&1)
        );
    }

    #[test]
    fn reads_gencode_gff3() {
        let text = lines(&[
            "chr1 HAVANA gene 11869 14409 . + . ID=ENSG00000290825.1;gene_id=ENSG00000290825.1;gene_type=lncRNA;gene_name=DDX11L2;level=2;hgnc_id=HGNC:37102",
            "chr1 HAVANA transcript 11869 14409 . + . ID=ENST00000456328.2;Parent=ENSG00000290825.1;gene_id=ENSG00000290825.1;transcript_id=ENST00000456328.2;gene_type=lncRNA;gene_name=DDX11L2;transcript_type=lncRNA;transcript_name=DDX11L2-202;level=2;transcript_support_level=1;tag=basic,Ensembl_canonical",
            "chr1 HAVANA exon 11869 12227 . + . ID=exon:ENST00000456328.2:1;Parent=ENST00000456328.2;exon_number=1",
            "chr1 HAVANA exon 12613 12721 . + . ID=exon:ENST00000456328.2:2;Parent=ENST00000456328.2;exon_number=2",
            "chr1 HAVANA exon 13221 14409 . + . ID=exon:ENST00000456328.2:3;Parent=ENST00000456328.2;exon_number=3",
        ]);
        let model = read_str(&text, false).unwrap();
        let t = one(&model, "ENST00000456328");
        assert_eq!(t.version.as_deref(), Some("2"));
        assert_eq!(t.gene_id, "ENSG00000290825");
        assert_eq!(t.gene_symbol.as_deref(), Some("DDX11L2"));
        assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:37102"));
        assert_eq!(t.gene_symbol_source.as_deref(), Some("HGNC"));
        assert_eq!(t.biotype, "lncRNA");
        assert_eq!(t.source, TranscriptSource::Gencode);
        assert!(t.is_canonical);
        assert_eq!(t.tsl.as_deref(), Some("1"));
        assert_eq!(
            t.exons.iter().map(|e| e.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );

        // GENCODE's GFF3 follows its GTF: CDS without the stop codon, which
        // has its own line; the model puts it back into the CDS.
        let coding = lines(&[
            "chr1 HAVANA gene 65419 71585 . + . ID=ENSG00000186092.7;gene_id=ENSG00000186092.7;gene_type=protein_coding;gene_name=OR4F5",
            "chr1 HAVANA transcript 65419 71585 . + . ID=ENST00000641515.2;Parent=ENSG00000186092.7;transcript_id=ENST00000641515.2;transcript_type=protein_coding;tag=basic,Ensembl_canonical,MANE_Select,CCDS;ccdsid=CCDS30547.2;transcript_support_level=NA",
            "chr1 HAVANA exon 65419 65433 . + . ID=exon:ENST00000641515.2:1;Parent=ENST00000641515.2",
            "chr1 HAVANA exon 65520 65573 . + . ID=exon:ENST00000641515.2:2;Parent=ENST00000641515.2",
            "chr1 HAVANA exon 69037 71585 . + . ID=exon:ENST00000641515.2:3;Parent=ENST00000641515.2",
            "chr1 HAVANA CDS 65565 65573 . + 0 ID=CDS:ENST00000641515.2;Parent=ENST00000641515.2;protein_id=ENSP00000493376.2",
            "chr1 HAVANA CDS 69037 70005 . + 0 ID=CDS:ENST00000641515.2;Parent=ENST00000641515.2;protein_id=ENSP00000493376.2",
            "chr1 HAVANA start_codon 65565 65567 . + 0 ID=start_codon:ENST00000641515.2;Parent=ENST00000641515.2",
            "chr1 HAVANA stop_codon 70006 70008 . + 0 ID=stop_codon:ENST00000641515.2;Parent=ENST00000641515.2",
        ]);
        let model = read_str(&coding, false).unwrap();
        let t = one(&model, "ENST00000641515");
        assert_eq!(t.cds_span(), Some((65565, 70008)));
        assert_eq!(t.cds_length(), 981);
        assert_eq!(t.protein_id.as_deref(), Some("ENSP00000493376.2"));
        assert_eq!(t.mane_select.as_deref(), Some("ENST00000641515.2"));
        assert_eq!(t.tsl.as_deref(), Some("NA"));
        assert_eq!(t.gene_symbol.as_deref(), Some("OR4F5"));
    }

    const REFSEQ: &[&str] = &[
        "NC_000007.14 BestRefSeq gene 100 1000 . + . ID=gene-BRAF;Dbxref=GeneID:673,HGNC:HGNC:1097;Name=BRAF;gbkey=Gene;gene=BRAF;gene_biotype=protein_coding",
        "NC_000007.14 BestRefSeq mRNA 100 1000 . + . ID=rna-NM_004333.6;Parent=gene-BRAF;Dbxref=Ensembl:ENST00000646891.2,GeneID:673,GenBank:NM_004333.6,HGNC:HGNC:1097;Name=NM_004333.6;gbkey=mRNA;gene=BRAF;tag=MANE~Select;transcript_id=NM_004333.6",
        "NC_000007.14 BestRefSeq mRNA 100 1000 . + . ID=rna-NM_001354609.2;Parent=gene-BRAF;Dbxref=GeneID:673;Name=NM_001354609.2;gbkey=mRNA;gene=BRAF;transcript_id=NM_001354609.2",
        "NC_000007.14 BestRefSeq exon 100 300 . + . ID=exon-NM_004333.6-1;Parent=rna-NM_004333.6,rna-NM_001354609.2;gbkey=mRNA",
        "NC_000007.14 BestRefSeq exon 500 1000 . + . ID=exon-NM_004333.6-2;Parent=rna-NM_004333.6,rna-NM_001354609.2;gbkey=mRNA",
        "NC_000007.14 BestRefSeq CDS 200 300 . + 0 ID=cds-NP_004324.2;Parent=rna-NM_004333.6,rna-NM_001354609.2;Dbxref=CCDS:CCDS5863.1,GeneID:673;Name=NP_004324.2;gbkey=CDS;protein_id=NP_004324.2",
        "NC_000007.14 BestRefSeq CDS 500 601 . + 2 ID=cds-NP_004324.2;Parent=rna-NM_004333.6,rna-NM_001354609.2;Name=NP_004324.2;protein_id=NP_004324.2;end_range=601,.;partial=true",
        "NC_000007.14 BestRefSeq gene 2000 3000 . - . ID=gene-LINC1;Dbxref=GeneID:99;Name=LINC1;gene_biotype=lncRNA",
        "NC_000007.14 BestRefSeq lnc_RNA 2000 3000 . - . ID=rna-NR_1.1;Parent=gene-LINC1;Dbxref=GeneID:99;transcript_id=NR_1.1",
        "NC_000007.14 BestRefSeq exon 2000 3000 . - . ID=exon-NR_1.1-1;Parent=rna-NR_1.1",
        "NC_000007.14 Curated~Genomic gene 4000 4100 . + . ID=gene-RNU6P;Dbxref=GeneID:55;Name=RNU6P;gene_biotype=pseudogene;pseudo=true",
        "NC_000007.14 Curated~Genomic exon 4000 4100 . + . ID=id-RNU6P;Parent=gene-RNU6P;gene=RNU6P",
        "NC_000007.14 Curated~Genomic gene 5000 5100 . + . ID=gene-NOEXON;Dbxref=GeneID:56;Name=NOEXON;gene_biotype=pseudogene;pseudo=true",
        "NC_000007.14 RefSeq cDNA_match 100 300 . + . ID=aln1;Target=NM_004333.6~1~201~+",
    ];

    #[test]
    fn reads_refseq_gff3() {
        let model = read_str(&lines(REFSEQ), false).unwrap();
        let t = one(&model, "NM_004333");
        assert_eq!(t.versioned_id(), "NM_004333.6");
        assert_eq!(t.source, TranscriptSource::RefSeq);
        assert_eq!(t.gene_id, "673");
        assert_eq!(t.gene_symbol.as_deref(), Some("BRAF"));
        assert_eq!(t.gene_symbol_source.as_deref(), Some("EntrezGene"));
        assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:1097"));
        assert_eq!(t.biotype, "protein_coding");
        assert_eq!(t.mane_select.as_deref(), Some("NM_004333.6"));
        assert_eq!(t.protein_id.as_deref(), Some("NP_004324.2"));
        assert_eq!(t.ccds.as_deref(), Some("CCDS5863.1"));
        assert!(t.cds_end_nf && !t.cds_start_nf, "end_range on + strand");
        assert_eq!(t.cds.len(), 2);
        // The CDS lines name two transcripts: both get them.
        let other = one(&model, "NM_001354609");
        assert_eq!(other.cds, t.cds);
        assert_eq!(other.mane_select, None);

        let lnc = one(&model, "NR_1");
        assert_eq!(lnc.biotype, "lncRNA");
        let pseudo = one(&model, "RNU6P");
        assert_eq!(
            (pseudo.biotype.as_str(), pseudo.gene_id.as_str()),
            ("pseudogene", "55")
        );
        assert_eq!(model.transcripts.len(), 4);
        assert_eq!(model.summary.genes, 3);
        let ignored = &model.summary.ignored_feature_types;
        assert_eq!(ignored.get("gene"), Some(&1), "gene without transcript");
        assert_eq!(ignored.get("cDNA_match"), Some(&1));
    }

    #[test]
    fn refseq_exceptions_and_circular_contigs() {
        let text = lines(&[
            "NC_012920.1 RefSeq region 1 16569 . + . ID=NC_012920.1:1..16569;Dbxref=taxon:9606;Is_circular=true;genome=mitochondrion",
            "NC_012920.1 RefSeq gene 16500 16700 . + . ID=gene-X;Dbxref=GeneID:1;Name=X;gene_biotype=protein_coding",
            "NC_012920.1 RefSeq mRNA 16500 16700 . + . ID=rna-X;Parent=gene-X;Dbxref=GeneID:1;transcript_id=NM_9.1",
            "NC_012920.1 RefSeq exon 16500 16700 . + . Parent=rna-X",
            "NC_012920.1 RefSeq gene 3307 4262 . + . ID=gene-ND1;Dbxref=GeneID:4535;Name=ND1;gene_biotype=protein_coding",
            "NC_012920.1 RefSeq CDS 3307 4262 . + 0 ID=cds-YP_003024026.1;Parent=gene-ND1;Dbxref=GeneID:4535;Name=YP_003024026.1;exception=unclassified~translation~discrepancy;protein_id=YP_003024026.1;transl_except=(pos:4261..4262%2Caa:TERM)",
        ]);
        let model = read_str(&text, false).unwrap();
        assert_eq!(model.transcripts.len(), 1);
        let nd1 = one(&model, "ND1");
        assert_eq!(
            nd1.exception.as_deref(),
            Some("unclassified translation discrepancy")
        );
        assert_eq!(nd1.protein_id.as_deref(), Some("YP_003024026.1"));
        assert_eq!(nd1.biotype, "protein_coding");
        let skipped = &model.summary.skipped["transcripts across the origin of a circular contig (not supported)"];
        assert_eq!(skipped.first, "NC_012920.1:NM_9.1");
    }

    #[test]
    fn exonless_non_coding_transcripts_become_one_exon() {
        let text = lines(&[
            "3 . lincRNA_gene 20 50 . - . ID=gene:G4;Name=mir-007;biotype=lincRNA",
            "3 . lincRNA 20 50 . - . ID=transcript:T4;Parent=gene:G4;biotype=lincRNA",
            "3 . gene 100 200 . + . ID=gene:G5;Name=P;biotype=protein_coding",
            "3 . mRNA 100 200 . + . ID=transcript:T5;Parent=gene:G5;biotype=protein_coding",
        ]);
        let model = read_str(&text, false).unwrap();
        assert_eq!(model.transcripts.len(), 1);
        let t = one(&model, "T4");
        assert_eq!(
            t.exons,
            [Exon {
                start: 20,
                end: 50,
                number: 1
            }]
        );
        assert_eq!(t.gene_symbol.as_deref(), Some("mir-007"));
        let ignored = &model.summary.ignored_feature_types;
        assert_eq!(ignored.get("mRNA (no exons)"), Some(&1));
        assert_eq!(ignored.get("gene (only nested features)"), Some(&1));
    }

    #[test]
    fn undefined_parents_are_counted_not_dropped_silently() {
        let text = lines(&[
            "1 . exon 100 200 . + . Parent=transcript:MISSING",
            "1 . exon 300 400 . + . Parent=transcript:MISSING",
            "1 . mRNA 100 400 . + . ID=transcript:T1;Parent=gene:NOGENE;gene_id=G7",
            "1 . exon 100 400 . + . Parent=transcript:T1",
        ]);
        let model = read_str(&text, false).unwrap();
        let skipped = &model.summary.skipped["transcript parts whose Parent is never defined"];
        assert_eq!(skipped.count, 2);
        assert_eq!(skipped.first, "line 1: Parent=transcript:MISSING");
        let t = one(&model, "T1");
        assert_eq!(t.gene_id, "G7");
        assert_eq!(
            model.summary.notes
                ["transcripts whose Parent gene is never defined (gene taken from attributes)"]
                .count,
            1
        );
        assert!(
            model
                .summary
                .to_string()
                .contains("skipped 2 transcript parts")
        );
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["1 . exon 100 200 . + .", "1 . gene 1 2 . + . ID=g"],
                "t.gff3:1: malformed line",
            ),
            (&["1 . exon 100 x . + . Parent=t"], "t.gff3:1: invalid end"),
            (
                &["1 . exon 200 100 . + . Parent=t"],
                "t.gff3:1: start 200 is after end 100",
            ),
            (
                &["1 . exon 100 200 . * . Parent=t"],
                "t.gff3:1: invalid strand",
            ),
            (
                &[
                    "1 . mRNA 100 400 . + . ID=t",
                    "1 . exon 100 200 . + . Parent=t",
                    "1 . CDS 150 250 . + 0 Parent=t",
                ],
                "t.gff3:3: CDS 150-250 of transcript t is not inside any of its exons",
            ),
            (
                &[
                    "1 . mRNA 100 400 . + . ID=t",
                    "1 . exon 100 200 . + . Parent=t",
                    "1 . CDS 150 200 . + . Parent=t",
                ],
                "t.gff3:3: CDS 150-200 of transcript t has no phase",
            ),
            (
                &[
                    "1 . mRNA 100 400 . . . ID=t",
                    "1 . exon 100 200 . . . Parent=t",
                ],
                "t.gff3:1: transcript t has no strand",
            ),
            (
                &[
                    "1 . mRNA 100 400 . + . ID=t",
                    "2 . exon 100 200 . + . Parent=t",
                ],
                "t.gff3:2: part of transcript t lies on another contig or strand",
            ),
            (
                &["1 . mRNA 100 400 . + . ID=t", "1 . gene 100 400 . - . ID=t"],
                "t.gff3:2: ID t is already used by a different feature at line 1",
            ),
        ];
        for (rows, expected) in cases {
            let err = read_str(&lines(rows), false).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}\nexpected: {expected}");
        }
    }

    #[test]
    fn stops_at_fasta_and_reads_gzip_through_the_model() {
        let mut text = lines(ENSEMBL);
        text.push_str("##FASTA\n>7\nACGT\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.gff3.gz");
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
            flate2::Compression::default(),
        );
        gz.write_all(text.as_bytes()).unwrap();
        gz.finish().unwrap();
        let model = GeneModel::from_path(&path).unwrap();
        assert_eq!(model.transcript_count(), 2);
        assert_eq!(model.summary.format, "GFF3");
        assert_eq!(model.overlapping("chr7", 150, 150, 0).len(), 1);
    }
}
