//! Records as they move through the vcf-annotate pipeline.

use noodles::vcf::Header;
use noodles::vcf::variant::RecordBuf;
use variant_model::{GenomicAllele, OriginalRecord, TranscriptConsequence};

/// A validated input record and where it came from.
#[derive(Debug, Clone)]
pub struct InputRecord {
    /// 1-based line number in the input VCF (record number for BCF), for
    /// error messages.
    pub line: u64,
    pub data: RecordData,
}

/// A record's content: the VCF line as it was read, the record noodles
/// parsed, or both.
///
/// Most records pass through normalisation unchanged and are written back
/// as they came in (as VEP passes lines through). A line that may be
/// written back is kept as text, and parsed with noodles only when
/// something must change it or read more than CHROM, POS, REF, ALT and
/// INFO keys: parsing every record took a tenth of the run.
#[derive(Debug, Clone)]
pub struct RecordData {
    /// The line (without its newline) while it may be written back as it
    /// is: validated, at most one ALT, nothing rewritten for noodles or
    /// relaxed by `--lenient`, and unchanged since.
    line: Option<KeptLine>,
    parsed: Option<Box<RecordBuf>>,
}

/// A line and where its first columns end, found once.
#[derive(Debug, Clone)]
struct KeptLine {
    text: String,
    columns: Columns,
}

impl KeptLine {
    fn new(text: String) -> Self {
        let columns = Columns::of(text.as_bytes());
        Self { text, columns }
    }

    /// Column `i` (0 to 8); empty when the line lacks it.
    fn column(&self, i: usize) -> &str {
        let range = self.columns.range(i);
        // Columns end at tabs, which are character boundaries.
        &self.text[range]
    }
}

/// Where the first nine columns of a VCF line end, found with memchr (lines
/// carry long INFO columns: scanning them byte by byte showed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    /// Where columns 0 to 8 end (exclusive): at the tab after them, or at
    /// the end of the line for the last column and those it lacks.
    ends: [usize; 9],
    len: usize,
}

impl Columns {
    pub(crate) fn of(line: &[u8]) -> Self {
        let mut ends = [line.len(); 9];
        for (end, tab) in ends.iter_mut().zip(memchr::memchr_iter(b'\t', line)) {
            *end = tab;
        }
        Self {
            ends,
            len: line.len(),
        }
    }

    /// Whether the line has column `i` (0 to 8).
    pub(crate) fn has(&self, i: usize) -> bool {
        i == 0 || self.ends[i - 1] < self.len
    }

    /// The byte range of column `i` (0 to 8); empty when the line lacks it.
    pub(crate) fn range(&self, i: usize) -> std::ops::Range<usize> {
        let end = self.ends[i];
        // A column the line lacks starts (and ends) at the line's end.
        let start = match i {
            0 => 0,
            _ => (self.ends[i - 1] + 1).min(end),
        };
        start..end
    }
}

impl RecordData {
    /// A line to be parsed only if needed (see the type's documentation).
    pub fn from_line(line: String) -> Self {
        Self {
            line: Some(KeptLine::new(line)),
            parsed: None,
        }
    }

    /// A parsed record, with the line it was parsed from if that may be
    /// written back as it is.
    pub fn from_parsed(record: Box<RecordBuf>, line: Option<String>) -> Self {
        Self {
            line: line.map(KeptLine::new),
            parsed: Some(record),
        }
    }

    /// The input line, while it may be written back as it is.
    pub fn line(&self) -> Option<&str> {
        self.line.as_ref().map(|l| l.text.as_str())
    }

    /// The noodles record, if parsed.
    pub fn as_parsed(&self) -> Option<&RecordBuf> {
        self.parsed.as_deref()
    }

    /// The noodles record to change, parsing the line (against the input
    /// `header`) first if needed. The line is dropped: it no longer stands
    /// for the record.
    pub fn edit(&mut self, header: &Header) -> std::io::Result<&mut RecordBuf> {
        let record = match self.parsed.take() {
            Some(record) => record,
            None => {
                let line = self.line().unwrap_or_default();
                Box::new(crate::input::parse_line(header, line)?)
            }
        };
        self.line = None;
        Ok(self.parsed.insert(record))
    }

    /// The noodles record, parsing the line (against `header`) if needed.
    pub fn into_parsed(self, header: &Header) -> std::io::Result<Box<RecordBuf>> {
        match (self.parsed, self.line) {
            (Some(record), _) => Ok(record),
            (None, line) => Ok(Box::new(crate::input::parse_line(
                header,
                line.as_ref().map_or("", |l| l.text.as_str()),
            )?)),
        }
    }

    pub fn chrom(&self) -> &str {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.reference_sequence_name(),
            (None, line) => column(line, 0),
        }
    }

    /// POS; 0 when it is 0 (a telomere).
    pub fn pos(&self) -> u64 {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.variant_start().map(usize::from).unwrap_or(0) as u64,
            // Validated as an integer when read.
            (None, line) => column(line, 1).parse().unwrap_or(0),
        }
    }

    pub fn reference_bases(&self) -> &str {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.reference_bases(),
            (None, line) => column(line, 3),
        }
    }

    /// The ALT alleles (none for `.`).
    pub fn alternate_bases(&self) -> Vec<String> {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.alternate_bases().as_ref().to_vec(),
            (None, line) => alts(column(line, 4)).map(str::to_string).collect(),
        }
    }

    pub fn alt_count(&self) -> usize {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.alternate_bases().as_ref().len(),
            (None, line) => alts(column(line, 4)).count(),
        }
    }

    pub fn first_alt(&self) -> Option<&str> {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record
                .alternate_bases()
                .as_ref()
                .first()
                .map(String::as_str),
            (None, line) => alts(column(line, 4)).next(),
        }
    }

    /// Whether INFO has an entry for `key`.
    pub fn has_info(&self, key: &str) -> bool {
        match (&self.parsed, &self.line) {
            (Some(record), _) => record.info().as_ref().contains_key(key),
            (None, line) => column(line, 7)
                .split(';')
                .any(|entry| entry.split('=').next() == Some(key)),
        }
    }
}

/// The alleles of an ALT column (none for `.`).
fn alts(column: &str) -> impl Iterator<Item = &str> {
    column.split(',').filter(move |_| column != ".")
}

/// Column `i` (0-based) of a VCF line; empty when the line is shorter.
fn column(line: &Option<KeptLine>, i: usize) -> &str {
    line.as_ref().map_or("", |line| line.column(i))
}

/// What normalisation did to an allele (written to INFO and counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NormFlag {
    /// Came from a multi-allelic record.
    Split,
    /// Shared leading/trailing bases were removed.
    Trimmed,
    /// An indel was shifted left through a repeat.
    LeftAligned,
    /// REF did not match the reference (kept only with `--ref-mismatch flag`).
    RefMismatch,
    /// Symbolic or breakend ALT, `*` or no ALT: carried through, not normalised
    /// or annotated.
    NotNormalisable,
    /// The contig is not in the reference (`--unknown-contigs keep`):
    /// carried through whole, not normalised or annotated.
    UnknownContig,
}

impl NormFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            NormFlag::Split => "split",
            NormFlag::Trimmed => "trimmed",
            NormFlag::LeftAligned => "left_aligned",
            NormFlag::RefMismatch => "ref_mismatch",
            NormFlag::NotNormalisable => "not_normalisable",
            NormFlag::UnknownContig => "unknown_contig",
        }
    }
}

/// One biallelic record after splitting and normalisation.
#[derive(Debug, Clone)]
pub struct NormalisedRecord {
    pub line: u64,
    /// The record with one ALT, INFO/FORMAT values split per allele, and
    /// POS/REF/ALT normalised: still the input line when normalisation
    /// left it as it was (see [`RecordData`]).
    pub data: RecordData,
    /// The allele as the rest of the pipeline sees it (mirrors `record`).
    pub allele: GenomicAllele,
    /// The input record, when splitting or normalisation changed it.
    pub original: Option<OriginalRecord>,
    pub flags: Vec<NormFlag>,
}

/// A normalised record with its consequences.
#[derive(Debug, Clone)]
pub struct AnnotatedRecord {
    pub normalised: NormalisedRecord,
    /// Every overlapping transcript (or one intergenic entry); one is picked.
    pub consequences: Vec<TranscriptConsequence>,
    /// bcftools-csq compatible consequence string (`--bcsq`).
    pub bcsq: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_line_columns() {
        let line = KeptLine::new("1\t5\t.\tA\tC\t.\t.\tDP=1\tGT\t0/1\t1/1".into());
        let columns: Vec<&str> = (0..9).map(|i| line.column(i)).collect();
        assert_eq!(columns, ["1", "5", ".", "A", "C", ".", ".", "DP=1", "GT"]);
        let sites = KeptLine::new("1\t5\t.\tA\tC\t.\t.\t.".into());
        assert_eq!((sites.column(7), sites.column(8)), (".", ""));
        let short = KeptLine::new("1\t5".into());
        assert_eq!(
            (short.column(1), short.column(2), short.column(8)),
            ("5", "", "")
        );
    }
}
