//! The gene model: transcripts with exons and CDS, read from GFF3 (Ensembl,
//! GENCODE, RefSeq flavours) or GTF, indexed for overlap queries.
//!
//! Coordinates are 1-based, inclusive, on the forward strand of the contig,
//! as in GFF3 itself.

pub mod gff3;
pub mod gtf;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

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

/// One CDS segment with its GFF3 phase (bases to skip at the segment's 5'
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
    pub mane_select: Option<String>,
    pub mane_plus_clinical: Option<String>,
    pub is_canonical: bool,
    pub tsl: Option<String>,
    pub ccds: Option<String>,
    pub cds_start_nf: bool,
    pub cds_end_nf: bool,
    pub source: TranscriptSource,
}

impl Transcript {
    /// Identifier with version, as VEP writes `Feature` (`ENST00000288602.11`).
    pub fn versioned_id(&self) -> String {
        match &self.version {
            Some(v) if !self.id.ends_with(&format!(".{v}")) => format!("{}.{}", self.id, v),
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
}

/// Transcripts of one contig, sorted by start, with the running maximum of
/// ends so overlap queries can stop early.
#[derive(Debug, Default)]
struct ContigIndex {
    transcripts: Vec<Arc<Transcript>>,
    /// `max_end[i]` = max end of transcripts[0..=i].
    max_end: Vec<u64>,
}

/// All transcripts of a gene model, indexed by contig.
#[derive(Debug, Default)]
pub struct GeneModel {
    contigs: HashMap<String, ContigIndex>,
    /// Where the model was read from (for provenance).
    pub source_path: Option<String>,
}

impl GeneModel {
    /// Reads a GFF3 or GTF file (plain or gzip/bgzip), detecting the format
    /// from its content.
    pub fn from_path(path: &Path) -> Result<Self, GeneModelError> {
        let name = path.display().to_string();
        let is_gtf = gtf::looks_like_gtf(path).map_err(|source| GeneModelError::Io {
            path: name.clone(),
            source,
        })?;
        let transcripts = if is_gtf {
            gtf::read_transcripts(path)?
        } else {
            gff3::read_transcripts(path)?
        };
        let mut model = Self::from_transcripts(transcripts);
        model.source_path = Some(name);
        Ok(model)
    }

    /// Builds the index from already parsed transcripts.
    pub fn from_transcripts(transcripts: impl IntoIterator<Item = Transcript>) -> Self {
        let mut contigs: HashMap<String, ContigIndex> = HashMap::new();
        for t in transcripts {
            contigs
                .entry(t.chrom.clone())
                .or_default()
                .transcripts
                .push(Arc::new(t));
        }
        for index in contigs.values_mut() {
            index
                .transcripts
                .sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
            let mut running = 0;
            index.max_end = index
                .transcripts
                .iter()
                .map(|t| {
                    running = running.max(t.end);
                    running
                })
                .collect();
        }
        Self {
            contigs,
            source_path: None,
        }
    }

    pub fn contig_names(&self) -> impl Iterator<Item = &str> {
        self.contigs.keys().map(String::as_str)
    }

    pub fn transcript_count(&self) -> usize {
        self.contigs.values().map(|c| c.transcripts.len()).sum()
    }

    /// Transcripts overlapping `[start - flank, end + flank]`, in start
    /// order (the flank finds upstream/downstream genes).
    pub fn overlapping(
        &self,
        chrom: &str,
        start: u64,
        end: u64,
        flank: u64,
    ) -> Vec<Arc<Transcript>> {
        let Some(index) = self.contigs.get(chrom) else {
            return Vec::new();
        };
        let lo = start.saturating_sub(flank);
        let hi = end.saturating_add(flank);
        // Transcripts starting after `hi` cannot overlap.
        let upper = index.transcripts.partition_point(|t| t.start <= hi);
        // Walk back while some earlier transcript may still reach `lo`.
        let mut out = Vec::new();
        let mut i = upper;
        while i > 0 {
            i -= 1;
            if index.max_end[i] < lo {
                break;
            }
            let t = &index.transcripts[i];
            if t.end >= lo {
                out.push(Arc::clone(t));
            }
        }
        out.reverse();
        out
    }

    /// True when one transcript spans both positions: variants at these
    /// positions may change the same protein and must be annotated together.
    pub fn shares_transcript(&self, chrom: &str, a: u64, b: u64) -> bool {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        self.overlapping(chrom, lo, lo, 0)
            .iter()
            .any(|t| t.start <= lo && t.end >= hi)
    }
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
            ["long", "b"]
        );
        assert!(model.overlapping("3", 1, 1, 0).is_empty());
        assert!(model.shares_transcript("1", 150, 9_000));
        assert!(!model.shares_transcript("1", 150, 20_000));
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
