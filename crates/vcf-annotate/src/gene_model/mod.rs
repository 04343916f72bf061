//! The gene model: transcripts with exons and CDS, read from GFF3 (Ensembl,
//! GENCODE, RefSeq flavours) or GTF, indexed for overlap queries.
//!
//! Conventions of the in-memory model, whatever the input format:
//! - coordinates are 1-based, inclusive, on the forward strand of the contig,
//!   as in GFF3 itself;
//! - **CDS segments include the stop codon** (the GFF3 convention). GTF files
//!   list the stop codon separately (`stop_codon`) and leave it out of `CDS`;
//!   the GTF reader merges it back, so a transcript read from the GTF and the
//!   GFF3 of the same release is identical;
//! - exons are sorted genomically and numbered in transcript order (5' to 3').
//!
//! Reading never drops a feature silently: what is not part of the
//! transcript model is counted by type in the [`LoadSummary`], and what is
//! skipped (with the reason) is counted there too.

mod assemble;
pub mod gff3;
pub mod gtf;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use coitrees::{COITree, Interval, IntervalTree};
use variant_model::Strand;

/// Errors reading a gene model; each names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum GeneModelError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: u64,
        message: String,
    },
}

/// Which annotation project a transcript comes from; decides how
/// identifiers, tags and biotypes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TranscriptSource {
    Ensembl,
    Gencode,
    RefSeq,
    Other,
}

impl TranscriptSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptSource::Ensembl => "Ensembl",
            TranscriptSource::Gencode => "GENCODE",
            TranscriptSource::RefSeq => "RefSeq",
            TranscriptSource::Other => "Other",
        }
    }
}

/// One exon; `number` is its rank in transcript order (5' to 3').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exon {
    pub start: u64,
    pub end: u64,
    pub number: u32,
}

/// One CDS segment (stop codon included) with its GFF3 phase (bases to skip at the segment's 5'
/// end, in transcript orientation, to reach the first complete codon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdsSegment {
    pub start: u64,
    pub end: u64,
    pub phase: u8,
}

/// A transcript and everything the annotator needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// Stable identifier without version (`ENST00000288602`, `NM_004333`).
    pub id: String,
    pub version: Option<String>,
    pub gene_id: String,
    pub gene_symbol: Option<String>,
    pub gene_symbol_source: Option<String>,
    pub hgnc_id: Option<String>,
    /// Transcript biotype (`protein_coding`, `nonsense_mediated_decay`,
    /// `lncRNA`, ...).
    pub biotype: String,
    pub chrom: String,
    pub strand: Strand,
    pub start: u64,
    pub end: u64,
    /// Exons in genomic (ascending) order, numbered in transcript order.
    pub exons: Vec<Exon>,
    /// CDS segments in genomic (ascending) order; empty for non-coding
    /// transcripts. Segments may overlap (ribosomal slippage).
    pub cds: Vec<CdsSegment>,
    /// Protein identifier with version (`ENSP00000288602.7`, `NP_004324.2`).
    pub protein_id: Option<String>,
    /// Tags as written in the gene model (`basic`, `Ensembl_canonical`,
    /// `MANE_Select`, `cds_start_NF`, ...).
    pub tags: Vec<String>,
    /// `Some` when the transcript is MANE Select (tag `MANE_Select` or
    /// RefSeq's `MANE Select`), holding the transcript's own versioned
    /// identifier: for a RefSeq transcript that is the MANE RefSeq id VEP
    /// shows; Ensembl/GENCODE files carry only the tag, not the NM_ twin.
    pub mane_select: Option<String>,
    /// As `mane_select`, for MANE Plus Clinical.
    pub mane_plus_clinical: Option<String>,
    /// Ensembl canonical (`Ensembl_canonical` tag).
    pub is_canonical: bool,
    /// Transcript support level as VEP shows it (`1`..`5` or `NA`), without
    /// notes such as `(assigned to previous version 5)`.
    pub tsl: Option<String>,
    /// CCDS identifier (`CCDS33522.1`).
    pub ccds: Option<String>,
    /// The CDS 5' end is incomplete (tag, RefSeq `partial`/`start_range`, or
    /// a first CDS segment whose phase is not 0).
    pub cds_start_nf: bool,
    /// The CDS 3' end is incomplete (tag or RefSeq `partial`/`end_range`).
    pub cds_end_nf: bool,
    pub source: TranscriptSource,
    /// RefSeq `exception=` of the transcript or its CDS (`annotated by
    /// transcript or proteomic data`, `ribosomal slippage`, ...): the RefSeq
    /// sequence differs from the genome here, so positions computed from the
    /// genome may not match the RefSeq record.
    pub exception: Option<String>,
}

impl Default for Transcript {
    /// An empty forward-strand transcript; for building transcripts in tests
    /// with `..Default::default()`.
    fn default() -> Self {
        Self {
            id: String::new(),
            version: None,
            gene_id: String::new(),
            gene_symbol: None,
            gene_symbol_source: None,
            hgnc_id: None,
            biotype: String::new(),
            chrom: String::new(),
            strand: Strand::Forward,
            start: 0,
            end: 0,
            exons: Vec::new(),
            cds: Vec::new(),
            protein_id: None,
            tags: Vec::new(),
            mane_select: None,
            mane_plus_clinical: None,
            is_canonical: false,
            tsl: None,
            ccds: None,
            cds_start_nf: false,
            cds_end_nf: false,
            source: TranscriptSource::Other,
            exception: None,
        }
    }
}

impl Transcript {
    /// Identifier with version, as VEP writes `Feature` (`ENST00000288602.11`).
    pub fn versioned_id(&self) -> String {
        // Called for every CSQ entry: no formatting machinery for the check.
        let has_version = |v: &str| {
            self.id
                .strip_suffix(v)
                .is_some_and(|rest| rest.ends_with('.'))
        };
        match &self.version {
            Some(v) if !has_version(v) => [self.id.as_str(), ".", v.as_str()].concat(),
            _ => self.id.clone(),
        }
    }

    pub fn is_coding(&self) -> bool {
        !self.cds.is_empty()
    }

    /// Total CDS length in bases (overlapping segments counted twice, as
    /// translated).
    pub fn cds_length(&self) -> u64 {
        self.cds.iter().map(|c| c.end - c.start + 1).sum()
    }

    /// Spliced transcript length in bases.
    pub fn cdna_length(&self) -> u64 {
        self.exons.iter().map(|e| e.end - e.start + 1).sum()
    }

    /// Genomic span of the CDS (stop codon included), if coding.
    pub fn cds_span(&self) -> Option<(u64, u64)> {
        let start = self.cds.iter().map(|c| c.start).min()?;
        let end = self.cds.iter().map(|c| c.end).max()?;
        Some((start, end))
    }
}

/// How strictly to read a gene model.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Accept a GFF3 CDS without phase (column 8 `.`), as bcftools csq does,
    /// inferring the phases from a complete 5' end. Only allowed when no CDS
    /// segment of the transcript has a phase; each transcript relaxed is
    /// counted in the summary. Off by default: a wrong frame gives wrong
    /// protein consequences.
    pub lenient: bool,
}

/// A count and the first example, so a report can say what was seen where.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub count: u64,
    /// The first occurrence (`line 12: ...`).
    pub first: String,
}

/// What reading a gene model found: counts for the report, so nothing
/// disappears silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoadSummary {
    /// `GFF3` or `GTF`.
    pub format: String,
    /// Feature (non-comment) lines read.
    pub feature_lines: u64,
    /// Distinct genes with at least one transcript.
    pub genes: usize,
    pub transcripts: usize,
    pub coding_transcripts: usize,
    /// Feature types that are not part of the transcript model (regions,
    /// introns, alignments, ...), by type: read and ignored.
    pub ignored_feature_types: BTreeMap<String, u64>,
    /// Features left out of the model, by reason.
    pub skipped: BTreeMap<String, Tally>,
    /// Accepted with a repair or an inference worth knowing, by kind.
    pub notes: BTreeMap<String, Tally>,
}

impl LoadSummary {
    pub(crate) fn skip(&mut self, reason: &str, example: impl FnOnce() -> String) {
        bump(&mut self.skipped, reason, example);
    }

    pub(crate) fn note(&mut self, kind: &str, example: impl FnOnce() -> String) {
        bump(&mut self.notes, kind, example);
    }

    pub(crate) fn ignore_type(&mut self, ty: &str) {
        match self.ignored_feature_types.get_mut(ty) {
            Some(n) => *n += 1,
            None => {
                self.ignored_feature_types.insert(ty.to_string(), 1);
            }
        }
    }
}

fn bump(map: &mut BTreeMap<String, Tally>, key: &str, example: impl FnOnce() -> String) {
    match map.get_mut(key) {
        Some(t) => t.count += 1,
        None => {
            map.insert(
                key.to_string(),
                Tally {
                    count: 1,
                    first: example(),
                },
            );
        }
    }
}

impl fmt::Display for LoadSummary {
    /// One line of counts, then one line per kind of skipped feature or
    /// note, for stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} feature lines, {} genes, {} transcripts ({} coding)",
            self.format, self.feature_lines, self.genes, self.transcripts, self.coding_transcripts
        )?;
        if !self.ignored_feature_types.is_empty() {
            let ignored: u64 = self.ignored_feature_types.values().sum();
            let types = self
                .ignored_feature_types
                .iter()
                .map(|(t, n)| format!("{t}={n}"))
                .collect::<Vec<_>>()
                .join(" ");
            write!(f, "; {ignored} features not in the model: {types}")?;
        }
        for (reason, t) in &self.skipped {
            write!(f, "\nskipped {} {} (first: {})", t.count, reason, t.first)?;
        }
        for (kind, t) in &self.notes {
            write!(f, "\nnote: {} {} (first: {})", t.count, kind, t.first)?;
        }
        Ok(())
    }
}

/// Transcripts and the summary produced by a reader.
#[derive(Debug, Default)]
pub struct LoadedModel {
    pub transcripts: Vec<Transcript>,
    pub summary: LoadSummary,
}

/// Transcripts of one contig, sorted by (start, end, id), with an interval
/// tree over them.
struct ContigIndex {
    transcripts: Vec<Arc<Transcript>>,
    search: ContigSearch,
}

enum ContigSearch {
    /// Cache-oblivious interval tree; metadata is the index into
    /// `transcripts`. Only for contigs whose coordinates fit in `i32`.
    Tree(COITree<u32, u32>),
    /// Running maximum of ends over the start-sorted transcripts, for
    /// contigs with coordinates beyond `i32::MAX` (coitrees is 32-bit):
    /// correct, but walks back over everything a long transcript spans.
    RunningMaxEnd(Vec<u64>),
}

impl fmt::Debug for ContigIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContigIndex")
            .field("transcripts", &self.transcripts.len())
            .field(
                "search",
                &match self.search {
                    ContigSearch::Tree(_) => "interval tree",
                    ContigSearch::RunningMaxEnd(_) => "running max end",
                },
            )
            .finish()
    }
}

impl ContigIndex {
    fn new(mut transcripts: Vec<Arc<Transcript>>) -> Self {
        transcripts.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        let fits_i32 = transcripts.len() < u32::MAX as usize
            && transcripts.iter().all(|t| t.end <= i32::MAX as u64);
        let search = if fits_i32 {
            let intervals: Vec<Interval<u32>> = transcripts
                .iter()
                .enumerate()
                .map(|(i, t)| Interval::new(t.start as i32, t.end as i32, i as u32))
                .collect();
            ContigSearch::Tree(COITree::new(&intervals))
        } else {
            let mut running = 0;
            ContigSearch::RunningMaxEnd(
                transcripts
                    .iter()
                    .map(|t| {
                        running = running.max(t.end);
                        running
                    })
                    .collect(),
            )
        };
        Self {
            transcripts,
            search,
        }
    }

    /// Indices (in start order) of transcripts overlapping `[lo, hi]`.
    fn overlapping(&self, lo: u64, hi: u64) -> Vec<usize> {
        let mut hits = Vec::new();
        match &self.search {
            ContigSearch::Tree(tree) => {
                if lo > i32::MAX as u64 {
                    return hits;
                }
                let hi = hi.min(i32::MAX as u64);
                tree.query(lo as i32, hi as i32, |node| {
                    hits.push(node.metadata as usize)
                });
                hits.sort_unstable();
            }
            ContigSearch::RunningMaxEnd(max_end) => {
                // Transcripts starting after `hi` cannot overlap; walk back
                // while some earlier transcript may still reach `lo`.
                let mut i = self.transcripts.partition_point(|t| t.start <= hi);
                while i > 0 {
                    i -= 1;
                    if max_end[i] < lo {
                        break;
                    }
                    if self.transcripts[i].end >= lo {
                        hits.push(i);
                    }
                }
                hits.reverse();
            }
        }
        hits
    }
}

/// All transcripts of a gene model, indexed by contig.
#[derive(Debug, Default)]
pub struct GeneModel {
    contigs: HashMap<String, ContigIndex>,
    /// Other spellings of contig names (`chr1` for `1`, `MT` for `chrM`),
    /// used when the queried name is not a contig of the model.
    aliases: HashMap<String, String>,
    /// Where the model was read from (for provenance).
    pub source_path: Option<String>,
    /// What reading found (empty for models built in memory).
    pub summary: LoadSummary,
}

impl GeneModel {
    /// Reads a GFF3 or GTF file (plain or gzip/bgzip), detecting the format
    /// from its content, with default (strict) options.
    pub fn from_path(path: &Path) -> Result<Self, GeneModelError> {
        Self::from_path_with(path, &ReadOptions::default())
    }

    /// Reads a GFF3 or GTF file with the given options.
    pub fn from_path_with(path: &Path, options: &ReadOptions) -> Result<Self, GeneModelError> {
        let name = path.display().to_string();
        let is_gtf = gtf::looks_like_gtf(path).map_err(|source| GeneModelError::Io {
            path: name.clone(),
            source,
        })?;
        let loaded = if is_gtf {
            gtf::read(path, options)?
        } else {
            gff3::read(path, options)?
        };
        let mut model = Self::from_transcripts(loaded.transcripts);
        model.source_path = Some(name);
        model.summary = loaded.summary;
        Ok(model)
    }

    /// Builds the index from already parsed transcripts.
    pub fn from_transcripts(transcripts: impl IntoIterator<Item = Transcript>) -> Self {
        let mut by_contig: HashMap<String, Vec<Arc<Transcript>>> = HashMap::new();
        for t in transcripts {
            by_contig
                .entry(t.chrom.clone())
                .or_default()
                .push(Arc::new(t));
        }
        let contigs: HashMap<String, ContigIndex> = by_contig
            .into_iter()
            .map(|(name, ts)| (name, ContigIndex::new(ts)))
            .collect();
        let mut aliases = HashMap::new();
        let mut names: Vec<&String> = contigs.keys().collect();
        names.sort();
        for name in names {
            for alias in contig_aliases(name) {
                if !contigs.contains_key(&alias) {
                    aliases.entry(alias).or_insert_with(|| name.clone());
                }
            }
        }
        Self {
            contigs,
            aliases,
            source_path: None,
            summary: LoadSummary::default(),
        }
    }

    pub fn contig_names(&self) -> impl Iterator<Item = &str> {
        self.contigs.keys().map(String::as_str)
    }

    /// The model's name for a contig: itself, or the model's spelling of it
    /// with/without `chr` (and `M`/`MT`), as VEP and bcftools csq match them.
    pub fn resolve_contig<'a>(&'a self, chrom: &'a str) -> Option<&'a str> {
        if self.contigs.contains_key(chrom) {
            Some(chrom)
        } else {
            self.aliases.get(chrom).map(String::as_str)
        }
    }

    /// The transcripts of `chrom` (resolved with [`GeneModel::resolve_contig`]).
    fn contig_index(&self, chrom: &str) -> Option<&ContigIndex> {
        self.resolve_contig(chrom)
            .and_then(|name| self.contigs.get(name))
    }

    pub fn transcript_count(&self) -> usize {
        self.contigs.values().map(|c| c.transcripts.len()).sum()
    }

    /// Every transcript, by contig name then start (deterministic order).
    pub fn transcripts(&self) -> impl Iterator<Item = &Arc<Transcript>> {
        let mut names: Vec<&String> = self.contigs.keys().collect();
        names.sort();
        names
            .into_iter()
            .flat_map(move |n| self.contigs[n].transcripts.iter())
    }

    /// Transcripts overlapping `[start - flank, end + flank]`, in start
    /// order (the flank finds upstream/downstream genes). `chrom` is
    /// resolved with [`GeneModel::resolve_contig`].
    pub fn overlapping(
        &self,
        chrom: &str,
        start: u64,
        end: u64,
        flank: u64,
    ) -> Vec<Arc<Transcript>> {
        let Some(index) = self.contig_index(chrom) else {
            return Vec::new();
        };
        let lo = start.saturating_sub(flank);
        let hi = end.saturating_add(flank);
        index
            .overlapping(lo, hi)
            .into_iter()
            .map(|i| Arc::clone(&index.transcripts[i]))
            .collect()
    }

    /// True when one transcript spans both positions: variants at these
    /// positions may change the same protein and must be annotated together.
    /// Asked for every record (serially, to cut annotation blocks), so it
    /// reads the index without collecting the transcripts.
    pub fn shares_transcript(&self, chrom: &str, a: u64, b: u64) -> bool {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let Some(index) = self.contig_index(chrom) else {
            return false;
        };
        index
            .overlapping(lo, lo)
            .into_iter()
            .any(|i| index.transcripts[i].end >= hi)
    }
}

/// Other common spellings of a contig name.
fn contig_aliases(name: &str) -> Vec<String> {
    let bare = name.strip_prefix("chr").unwrap_or(name);
    let mut out = vec![bare.to_string(), format!("chr{bare}")];
    if bare == "M" || bare == "MT" {
        out.extend(["M", "MT", "chrM", "chrMT"].map(String::from));
    }
    out.retain(|a| a != name);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn transcript(id: &str, chrom: &str, start: u64, end: u64) -> Transcript {
        Transcript {
            id: id.into(),
            version: None,
            gene_id: format!("G_{id}"),
            gene_symbol: None,
            gene_symbol_source: None,
            hgnc_id: None,
            biotype: "protein_coding".into(),
            chrom: chrom.into(),
            strand: Strand::Forward,
            start,
            end,
            exons: vec![Exon {
                start,
                end,
                number: 1,
            }],
            cds: Vec::new(),
            protein_id: None,
            tags: Vec::new(),
            mane_select: None,
            mane_plus_clinical: None,
            is_canonical: false,
            tsl: None,
            ccds: None,
            cds_start_nf: false,
            cds_end_nf: false,
            source: TranscriptSource::Ensembl,
            exception: None,
        }
    }

    #[test]
    fn finds_overlapping_transcripts_with_flank() {
        let model = GeneModel::from_transcripts([
            transcript("long", "1", 100, 10_000),
            transcript("a", "1", 200, 300),
            transcript("b", "1", 5_000, 6_000),
            transcript("other", "2", 100, 10_000),
        ]);
        let ids = |v: Vec<Arc<Transcript>>| v.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(model.overlapping("1", 250, 250, 0)), ["long", "a"]);
        assert_eq!(ids(model.overlapping("1", 4_000, 4_000, 0)), ["long"]);
        assert_eq!(
            ids(model.overlapping("1", 4_000, 4_000, 1_000)),
            ["long", "b"]
        );
        assert_eq!(
            ids(model.overlapping("1", 20_000, 20_000, 5_000)),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(model.overlapping("1", 20_000, 20_000, 10_000)),
            ["long"]
        );
        assert_eq!(
            ids(model.overlapping("1", 16_000, 16_000, 10_000)),
            ["long", "b"]
        );
        assert!(model.overlapping("3", 1, 1, 0).is_empty());
        assert!(model.shares_transcript("1", 150, 9_000));
        assert!(!model.shares_transcript("1", 150, 20_000));
    }

    /// Overlap queries agree with a brute-force scan, for the interval tree
    /// and for the 64-bit fallback, with a few very long transcripts among
    /// many short ones.
    #[test]
    fn overlap_index_agrees_with_brute_force() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for offset in [0, 3_000_000_000u64] {
            let mut ts = Vec::new();
            for i in 0..2_000 {
                let start = offset + 1 + next(5_000_000);
                let len = if i % 250 == 0 {
                    2_000_000
                } else {
                    1 + next(50_000)
                };
                ts.push(transcript(&format!("T{i}"), "1", start, start + len - 1));
            }
            let model = GeneModel::from_transcripts(ts.clone());
            let index = &model.contigs["1"];
            assert_eq!(
                matches!(index.search, ContigSearch::Tree(_)),
                offset == 0,
                "coordinates beyond i32 use the fallback"
            );
            for _ in 0..2_000 {
                let pos = offset + 1 + next(7_000_000);
                let end = pos + next(100);
                let flank = next(3) * 5_000;
                let got: Vec<String> = model
                    .overlapping("1", pos, end, flank)
                    .iter()
                    .map(|t| t.id.clone())
                    .collect();
                let (lo, hi) = (pos.saturating_sub(flank), end + flank);
                let mut want: Vec<&Transcript> =
                    ts.iter().filter(|t| t.end >= lo && t.start <= hi).collect();
                want.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
                let want: Vec<String> = want.iter().map(|t| t.id.clone()).collect();
                assert_eq!(got, want, "query {pos} flank {flank}");
            }
        }
    }

    #[test]
    fn contig_names_resolve_with_or_without_chr() {
        let model = GeneModel::from_transcripts([
            transcript("a", "1", 100, 200),
            transcript("m", "chrM", 100, 200),
            transcript("x", "chrX", 100, 200),
            transcript("y", "Y", 100, 200),
            transcript("y2", "chrY", 100, 200),
        ]);
        assert_eq!(model.resolve_contig("chr1"), Some("1"));
        assert_eq!(model.resolve_contig("1"), Some("1"));
        assert_eq!(model.resolve_contig("MT"), Some("chrM"));
        assert_eq!(model.resolve_contig("M"), Some("chrM"));
        assert_eq!(model.resolve_contig("X"), Some("chrX"));
        // Both spellings exist: each is its own contig.
        assert_eq!(model.resolve_contig("Y"), Some("Y"));
        assert_eq!(model.resolve_contig("chrY"), Some("chrY"));
        assert_eq!(model.resolve_contig("2"), None);
        assert_eq!(model.overlapping("chr1", 150, 150, 0).len(), 1);
    }

    #[test]
    fn versioned_ids() {
        let mut t = transcript("ENST00000288602", "7", 1, 2);
        t.version = Some("11".into());
        assert_eq!(t.versioned_id(), "ENST00000288602.11");
        t.id = "NM_004333.6".into();
        t.version = Some("6".into());
        assert_eq!(t.versioned_id(), "NM_004333.6");
    }
}
