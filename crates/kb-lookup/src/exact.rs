//! Exact-allele tables: large sources (gnomAD, ClinVar) kept on disk as a
//! bgzipped, coordinate-sorted sites-only VCF with a tabix index, and read
//! by a streaming merge-join against a sorted query (with indexed seeks
//! across gaps), so memory does not grow with the source.
//!
//! File layout (`exact/<source>.vcf.gz` + `.tbi`): VCF 4.3 header with the
//! source's `##INFO` lines and one `##contig` line per contig present;
//! records split to one ALT each, normalised, sorted by contig (first-seen
//! order of the input), position, REF, ALT. The ID column holds the
//! source's record id; INFO holds the evidence fields, values
//! percent-encoded as VCF 4.3 requires. Because it is plain VCF, `tabix`,
//! `bcftools annotate -a` and vcfanno read it too.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use noodles::bgzf;
use noodles::core::Position;
use noodles::csi::BinningIndex;
use noodles::csi::binning_index::index::reference_sequence::bin::Chunk;
use noodles::tabix;

use crate::normalise::Allele;

/// Left-alignment can move a record back by the length of a repeat: keep
/// this many bases of records buffered to restore sorted order.
const SORT_WINDOW: u64 = 100_000;

/// Percent-encodes the characters VCF 4.3 reserves in INFO values.
pub fn encode_info_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_encoded_info_value(&mut out, value);
    out
}

/// [`encode_info_value`] appended to `out`, without an allocation of its own.
pub fn push_encoded_info_value(out: &mut String, value: &str) {
    const SPECIAL: &[u8] = b"%;=,\t\n\r ";
    if !value.bytes().any(|b| SPECIAL.contains(&b)) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            ';' => out.push_str("%3B"),
            '=' => out.push_str("%3D"),
            ',' => out.push_str("%2C"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
}

/// Reverses [`encode_info_value`].
pub fn decode_info_value(value: &str) -> String {
    if !value.contains('%') {
        return value.to_string();
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&value[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses an INFO column into key → raw value (flags map to "").
pub fn parse_info(info: &str) -> BTreeMap<&str, &str> {
    info.split(';')
        .filter(|f| !f.is_empty() && *f != ".")
        .map(|f| f.split_once('=').unwrap_or((f, "")))
        .collect()
}

/// One record for an exact-allele table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExactRecord {
    pub allele: Allele,
    pub id: String,
    /// `(key, value)` INFO pairs; values are encoded on writing. Empty
    /// values are written as flags.
    pub info: Vec<(String, String)>,
}

impl ExactRecord {
    fn to_line(&self) -> String {
        let info = if self.info.is_empty() {
            ".".to_string()
        } else {
            self.info
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        k.clone()
                    } else {
                        format!("{k}={}", encode_info_value(v))
                    }
                })
                .collect::<Vec<_>>()
                .join(";")
        };
        let id = if self.id.is_empty() { "." } else { &self.id };
        format!(
            "{}\t{}\t{}\t{}\t{}\t.\t.\t{}\n",
            self.allele.chrom,
            self.allele.pos,
            id,
            self.allele.ref_allele,
            self.allele.alt_allele,
            info
        )
    }
}

/// Writes an exact-allele table. Records must arrive grouped by contig and
/// sorted by position to within [`SORT_WINDOW`] bases (as published VCFs
/// are, before left-alignment moved some of them).
pub struct ExactWriter {
    path: PathBuf,
    info_lines: Vec<String>,
    contig_lengths: BTreeMap<String, u64>,
    /// Lines in final order go to a temporary file first: the header lists
    /// the contigs, which are known only at the end.
    body: BufWriter<tempfile::NamedTempFile>,
    contigs: Vec<String>,
    window: BTreeMap<(u64, String, String, String), ()>,
    current_contig: Option<String>,
    last_flushed_pos: u64,
    max_pos: u64,
    written: u64,
    duplicates: u64,
}

impl ExactWriter {
    /// `info_lines` are complete `##INFO=<...>` lines; `contig_lengths`
    /// (from the reference, when known) adds `length=` to contig lines.
    pub fn create(
        path: &Path,
        info_lines: Vec<String>,
        contig_lengths: BTreeMap<String, u64>,
    ) -> io::Result<Self> {
        let dir = path.parent().unwrap_or(Path::new("."));
        Ok(Self {
            path: path.to_path_buf(),
            info_lines,
            contig_lengths,
            body: BufWriter::with_capacity(1 << 20, tempfile::NamedTempFile::new_in(dir)?),
            contigs: Vec::new(),
            window: BTreeMap::new(),
            current_contig: None,
            last_flushed_pos: 0,
            max_pos: 0,
            written: 0,
            duplicates: 0,
        })
    }

    /// Adds one record; `origin` names the input file and line for errors.
    pub fn push(&mut self, record: ExactRecord, origin: &str) -> crate::Result<()> {
        let chrom = record.allele.chrom.clone();
        if self.current_contig.as_deref() != Some(chrom.as_str()) {
            self.flush_window(u64::MAX)?;
            if self.contigs.contains(&chrom) {
                return Err(crate::Error::Other(format!(
                    "{origin}: contig {chrom} appears again after other contigs: exact-allele sources must be sorted by contig and position (e.g. `bcftools sort`)"
                )));
            }
            self.contigs.push(chrom.clone());
            self.current_contig = Some(chrom);
            self.last_flushed_pos = 0;
            self.max_pos = 0;
        }
        let pos = record.allele.pos;
        if pos < self.last_flushed_pos || pos.saturating_add(SORT_WINDOW) < self.max_pos {
            return Err(crate::Error::Other(format!(
                "{origin}: position {pos} is more than {SORT_WINDOW} bases before an earlier record: exact-allele sources must be coordinate sorted (e.g. `bcftools sort`)"
            )));
        }
        self.max_pos = self.max_pos.max(pos);
        let line = record.to_line();
        let key = (
            pos,
            record.allele.ref_allele,
            record.allele.alt_allele,
            line,
        );
        if self.window.insert(key, ()).is_some() {
            self.duplicates += 1;
        }
        if pos > SORT_WINDOW {
            self.flush_window(pos - SORT_WINDOW)?;
        }
        Ok(())
    }

    /// Writes buffered lines with a position before `before`.
    fn flush_window(&mut self, before: u64) -> crate::Result<()> {
        while let Some(entry) = self.window.first_entry() {
            if entry.key().0 >= before {
                break;
            }
            let ((pos, _, _, line), ()) = entry.remove_entry();
            self.last_flushed_pos = pos;
            self.body
                .write_all(line.as_bytes())
                .map_err(|e| crate::Error::file(&self.path, e))?;
            self.written += 1;
        }
        Ok(())
    }

    /// Finishes the table: header, bgzip, tabix index. Returns the number
    /// of records written and of identical duplicates dropped.
    pub fn finish(mut self) -> crate::Result<(u64, u64)> {
        self.flush_window(u64::MAX)?;
        let err = |e: io::Error| crate::Error::file(&self.path, e);
        let temp = self.body.into_inner().map_err(|e| err(e.into_error()))?;
        let mut body = io::BufReader::with_capacity(1 << 20, temp.reopen().map_err(err)?);

        let file = File::create(&self.path).map_err(err)?;
        let mut writer = bgzf::io::Writer::new(BufWriter::new(file));
        let mut header = String::from("##fileformat=VCFv4.3\n");
        for line in &self.info_lines {
            header.push_str(line);
            header.push('\n');
        }
        for contig in &self.contigs {
            match self.contig_lengths.get(contig) {
                Some(length) => {
                    header.push_str(&format!("##contig=<ID={contig},length={length}>\n"))
                }
                None => header.push_str(&format!("##contig=<ID={contig}>\n")),
            }
        }
        header.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        writer.write_all(header.as_bytes()).map_err(err)?;

        let mut indexer = tabix::index::Indexer::default();
        indexer.set_header(noodles::csi::binning_index::index::header::Builder::vcf().build());
        // Consecutive records of one contig in one tabix bin are given to the
        // indexer as a single record spanning them (same bin, same chunk
        // start, so the same index): feeding every record separately makes
        // the indexer's memory grow with the table.
        let mut pending: Option<PendingRun> = None;
        let mut line = Vec::new();
        loop {
            line.clear();
            if body.read_until(b'\n', &mut line).map_err(err)? == 0 {
                break;
            }
            let mut fields = line.split(|&b| b == b'\t');
            let chrom = fields.next().unwrap_or_default();
            let pos: u64 = std::str::from_utf8(fields.next().unwrap_or_default())
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let _id = fields.next();
            let ref_len = fields.next().map(|r| r.len()).unwrap_or(1).max(1) as u64;
            let end = pos + ref_len - 1;
            let bin = tabix_bin(pos - 1, end);
            let start_vp = writer.virtual_position();
            writer.write_all(&line).map_err(err)?;
            let end_vp = writer.virtual_position();
            match pending.as_mut() {
                Some(run) if run.chrom == chrom && run.bin == bin && run.end_vp == start_vp => {
                    run.end = run.end.max(end);
                    run.end_vp = end_vp;
                }
                _ => {
                    if let Some(run) = pending.take() {
                        run.add_to(&mut indexer).map_err(err)?;
                    }
                    pending = Some(PendingRun {
                        chrom: chrom.to_vec(),
                        bin,
                        start: pos,
                        end,
                        start_vp,
                        end_vp,
                    });
                }
            }
        }
        if let Some(run) = pending.take() {
            run.add_to(&mut indexer).map_err(err)?;
        }
        writer.finish().map_err(err)?.flush().map_err(err)?;
        let index = indexer.build();
        tabix::fs::write(index_path(&self.path), &index).map_err(err)?;
        Ok((self.written, self.duplicates))
    }
}

/// Consecutive records of one contig in one tabix bin.
struct PendingRun {
    chrom: Vec<u8>,
    bin: u32,
    start: u64,
    end: u64,
    start_vp: bgzf::VirtualPosition,
    end_vp: bgzf::VirtualPosition,
}

impl PendingRun {
    fn add_to(self, indexer: &mut tabix::index::Indexer) -> io::Result<()> {
        let chrom = std::str::from_utf8(&self.chrom).map_err(io::Error::other)?;
        let start = Position::try_from(self.start as usize).map_err(io::Error::other)?;
        let end = Position::try_from(self.end as usize).map_err(io::Error::other)?;
        indexer.add_record(chrom, start, end, Chunk::new(self.start_vp, self.end_vp))
    }
}

/// The tabix/BAI bin (min_shift 14, depth 5) of the 0-based half-open
/// interval `[begin, end)`, as in the SAM specification's `reg2bin`.
fn tabix_bin(begin: u64, end: u64) -> u32 {
    let end = end - 1;
    for (shift, offset) in [(14, 4681), (17, 585), (20, 73), (23, 9), (26, 1)] {
        if begin >> shift == end >> shift {
            return (offset + (begin >> shift)) as u32;
        }
    }
    0
}

/// `<table>.tbi`.
pub fn index_path(table: &Path) -> PathBuf {
    let mut name = table.as_os_str().to_owned();
    name.push(".tbi");
    PathBuf::from(name)
}

/// One source record at the current position of a table: the raw line
/// and where its columns are (parsed once, no per-column allocation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub pos: u64,
    text: String,
    id: (usize, usize),
    ref_allele: (usize, usize),
    alt_allele: (usize, usize),
    info: (usize, usize),
}

impl SourceLine {
    /// Splits a data line (without its newline); gives the text back if it
    /// has fewer than 8 columns or a bad POS.
    fn parse(text: String) -> Result<Self, String> {
        let mut bounds = [(0usize, 0usize); 8];
        let mut start = 0;
        let bytes = text.as_bytes();
        let mut column = 0;
        for i in memchr::memchr_iter(b'\t', bytes) {
            bounds[column] = (start, i);
            column += 1;
            start = i + 1;
            if column == 7 {
                break;
            }
        }
        if column < 7 {
            return Err(text);
        }
        let end = memchr::memchr(b'\t', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        bounds[7] = (start, end);
        let Ok(pos) = text[bounds[1].0..bounds[1].1].parse() else {
            return Err(text);
        };
        Ok(Self {
            pos,
            id: bounds[2],
            ref_allele: bounds[3],
            alt_allele: bounds[4],
            info: bounds[7],
            text,
        })
    }

    pub fn id(&self) -> &str {
        &self.text[self.id.0..self.id.1]
    }

    pub fn ref_allele(&self) -> &str {
        &self.text[self.ref_allele.0..self.ref_allele.1]
    }

    pub fn alt_allele(&self) -> &str {
        &self.text[self.alt_allele.0..self.alt_allele.1]
    }

    pub fn info(&self) -> &str {
        &self.text[self.info.0..self.info.1]
    }
}

/// Counters of how a table was read (for the summary line and tuning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub lines_read: u64,
    pub seeks: u64,
}

/// Bytes of compressed data below which reading forward is cheaper than
/// an indexed seek.
const SEEK_THRESHOLD_BYTES: u64 = 1 << 16;

/// A table opened for look-ups by a position-sorted stream of queries.
///
/// Queries within a contig should come in ascending position order (as a
/// sorted VCF gives them): each call then reads forward from where the last
/// one stopped (a merge-join), seeking with the tabix linear index only
/// when the next query is far ahead. A query behind the cursor (unsorted
/// input) is still answered correctly, by seeking back.
pub struct ExactTable {
    path: PathBuf,
    index: tabix::Index,
    contig_ids: HashMap<String, usize>,
    contig_names: Vec<String>,
    reader: bgzf::io::MultithreadedReader<File>,
    contig: Option<usize>,
    /// Position whose records are in `at_pos`; 0 before the first query.
    at_pos: u64,
    at_pos_lines: Vec<SourceLine>,
    next: Option<SourceLine>,
    contig_done: bool,
    /// The last queried contig name and its id in this table, if any.
    resolved: Option<(String, Option<usize>)>,
    /// The bundle's contig alias table: queries named in another style
    /// (`NC_000007.14`) find the table's contig (`chr7`).
    aliases: Option<variant_model::contig_alias::ContigAliases>,
    pub stats: ReadStats,
}

impl ExactTable {
    pub fn open(path: &Path) -> crate::Result<Self> {
        let index = tabix::fs::read(index_path(path)).map_err(|e| {
            crate::Error::file(&index_path(path), format!("cannot read tabix index: {e}"))
        })?;
        let contig_names: Vec<String> = index
            .header()
            .map(|h| {
                h.reference_sequence_names()
                    .iter()
                    .map(|n| n.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let contig_ids = contig_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let file = File::open(path).map_err(|e| crate::Error::file(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            index,
            contig_ids,
            contig_names,
            // One worker inflates blocks ahead while the caller matches.
            reader: bgzf::io::MultithreadedReader::with_worker_count(
                std::num::NonZero::new(1).expect("non-zero"),
                file,
            ),
            contig: None,
            at_pos: 0,
            at_pos_lines: Vec::new(),
            next: None,
            contig_done: true,
            resolved: None,
            aliases: None,
            stats: ReadStats::default(),
        })
    }

    /// Lets queries use any alias of the table's contig names.
    pub fn set_contig_aliases(
        &mut self,
        aliases: Option<variant_model::contig_alias::ContigAliases>,
    ) {
        self.aliases = aliases;
        self.resolved = None;
    }

    pub fn contigs(&self) -> &[String] {
        &self.contig_names
    }

    /// The records at `chrom:pos` (any REF/ALT); the caller compares alleles.
    pub fn at(&mut self, chrom: &str, pos: u64) -> crate::Result<&[SourceLine]> {
        // Queries come grouped by contig: resolve its name once per contig.
        let id = match &self.resolved {
            Some((name, id)) if name == chrom => *id,
            _ => {
                let ids = &self.contig_ids;
                let id = crate::contig::aliases(chrom)
                    .find_map(|n| ids.get(&n).copied())
                    .or_else(|| {
                        self.aliases.as_ref().and_then(|table| {
                            table
                                .names_of(chrom)
                                .into_iter()
                                .flat_map(crate::contig::aliases)
                                .find_map(|n| ids.get(&n).copied())
                        })
                    });
                self.resolved = Some((chrom.to_string(), id));
                id
            }
        };
        let Some(id) = id else {
            return Ok(&[]);
        };
        if self.contig == Some(id) && self.at_pos == pos {
            return Ok(&self.at_pos_lines);
        }
        if self.contig != Some(id) || pos < self.at_pos {
            self.seek(id, pos)?;
        } else if let Some(next) = &self.next {
            if next.pos < pos && self.far_ahead(id, pos) {
                self.seek(id, pos)?;
            }
        } else if !self.contig_done && self.far_ahead(id, pos) {
            self.seek(id, pos)?;
        }
        self.at_pos = pos;
        self.at_pos_lines.clear();
        loop {
            if self.next.is_none() {
                self.next = self.read_line(pos)?;
            }
            match &self.next {
                None => break,
                Some(line) if line.pos < pos => self.next = None,
                Some(line) if line.pos == pos => {
                    let line = self.next.take().expect("matched Some");
                    self.at_pos_lines.push(line);
                }
                Some(_) => break,
            }
        }
        Ok(&self.at_pos_lines)
    }

    /// True when the index puts `pos` far enough past the reader's current
    /// block that seeking beats reading forward.
    fn far_ahead(&self, id: usize, pos: u64) -> bool {
        match self.linear_offset(id, pos) {
            Some(target) => {
                target.compressed()
                    > self.reader.virtual_position().compressed() + SEEK_THRESHOLD_BYTES
            }
            None => false,
        }
    }

    /// The linear-index offset for the 16 kb window holding `pos`: no
    /// record starting at or after `pos` lies before it. `None` past the
    /// last window with records.
    fn linear_offset(&self, id: usize, pos: u64) -> Option<bgzf::VirtualPosition> {
        let reference = self.index.reference_sequences().get(id)?;
        let window = ((pos.max(1) - 1) >> 14) as usize;
        reference.index().get(window).copied()
    }

    fn seek(&mut self, id: usize, pos: u64) -> crate::Result<()> {
        self.contig = Some(id);
        self.next = None;
        self.at_pos = 0;
        self.at_pos_lines.clear();
        match self.linear_offset(id, pos) {
            Some(offset) => {
                use noodles::bgzf::io::Seek as _;
                self.reader
                    .seek_to_virtual_position(offset)
                    .map_err(|e| crate::Error::file(&self.path, e))?;
                self.contig_done = false;
                self.stats.seeks += 1;
            }
            // No window at or after `pos` holds records of this contig.
            None => self.contig_done = true,
        }
        Ok(())
    }

    /// Reads the next record of the current contig at or after `min_pos`;
    /// records before it are skipped after reading only CHROM and POS.
    /// Most lines of a large table are skipped: those are looked at in the
    /// reader's buffer and never copied.
    fn read_line(&mut self, min_pos: u64) -> crate::Result<Option<SourceLine>> {
        if self.contig_done {
            return Ok(None);
        }
        let contig = self.contig_names[self.contig.expect("seeked before reading")].as_bytes();
        loop {
            let buf = self
                .reader
                .fill_buf()
                .map_err(|e| crate::Error::file(&self.path, e))?;
            if buf.is_empty() {
                self.contig_done = true;
                return Ok(None);
            }
            let (verdict, wanted) = match memchr::memchr(b'\n', buf) {
                Some(newline) => {
                    let line = &buf[..newline];
                    let Some(verdict) = examine(line, contig, min_pos) else {
                        return Err(malformed(&self.path, line));
                    };
                    let wanted = (verdict == Examined::Wanted).then(|| line.to_vec());
                    self.reader.consume(newline + 1);
                    (verdict, wanted)
                }
                None => {
                    // The line runs past the buffer: copy it out whole.
                    let mut line = Vec::new();
                    self.reader
                        .read_until(b'\n', &mut line)
                        .map_err(|e| crate::Error::file(&self.path, e))?;
                    let Some(verdict) = examine(&line, contig, min_pos) else {
                        return Err(malformed(&self.path, &line));
                    };
                    (verdict, Some(line))
                }
            };
            if verdict != Examined::Header {
                self.stats.lines_read += 1;
            }
            match verdict {
                Examined::Header | Examined::Skip => {}
                Examined::ContigEnd => {
                    // Tables are grouped by contig: the next one has begun.
                    self.contig_done = true;
                    return Ok(None);
                }
                Examined::Wanted => {
                    let text = wanted.expect("copied when wanted");
                    return self.source_line(text).map(Some);
                }
            }
        }
    }

    /// A wanted line, trimmed of its line end and split into columns.
    fn source_line(&self, mut text: Vec<u8>) -> crate::Result<SourceLine> {
        while matches!(text.last(), Some(b'\n' | b'\r')) {
            text.pop();
        }
        let text = String::from_utf8(text).map_err(|e| crate::Error::file(&self.path, e))?;
        SourceLine::parse(text).map_err(|text| malformed(&self.path, text.as_bytes()))
    }
}

/// What [`ExactTable::read_line`] does with a table line.
#[derive(Debug, PartialEq)]
enum Examined {
    /// A `#` line.
    Header,
    /// Before the position looked for.
    Skip,
    /// Of another contig: the current one is done.
    ContigEnd,
    /// To be parsed and returned.
    Wanted,
}

/// Reads only CHROM and POS of a table line (newline optional); `None`
/// when it has no tab or a bad POS.
fn examine(line: &[u8], contig: &[u8], min_pos: u64) -> Option<Examined> {
    if line.first() == Some(&b'#') {
        return Some(Examined::Header);
    }
    let tab = memchr::memchr(b'\t', line)?;
    if &line[..tab] != contig {
        return Some(Examined::ContigEnd);
    }
    let rest = &line[tab + 1..];
    let pos_end = memchr::memchr(b'\t', rest).unwrap_or(rest.len());
    let pos = parse_u64(&rest[..pos_end])?;
    Some(if pos < min_pos {
        Examined::Skip
    } else {
        Examined::Wanted
    })
}

fn malformed(path: &Path, line: &[u8]) -> crate::Error {
    crate::Error::file(
        path,
        format!(
            "malformed record `{}`",
            String::from_utf8_lossy(line).trim_end()
        ),
    )
}

/// Parses ASCII digits.
fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(n)
}

/// Reads a whole file into memory only to check it is a readable table;
/// used by `bundle verify` to go beyond checksums.
pub fn check_readable(path: &Path) -> crate::Result<u64> {
    let file = File::open(path).map_err(|e| crate::Error::file(path, e))?;
    let mut reader = bgzf::io::Reader::new(file);
    let mut buf = vec![0; 1 << 16];
    let mut total = 0;
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| crate::Error::file(path, e))?;
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examine_reads_only_chrom_and_pos() {
        let line = b"chr1\t1000\trs1\tA\tG\t.\t.\tAF=0.1";
        assert_eq!(examine(line, b"chr1", 999), Some(Examined::Wanted));
        assert_eq!(examine(line, b"chr1", 1000), Some(Examined::Wanted));
        assert_eq!(examine(line, b"chr1", 1001), Some(Examined::Skip));
        assert_eq!(examine(line, b"chr2", 1), Some(Examined::ContigEnd));
        assert_eq!(examine(b"#CHROM\tPOS", b"chr1", 1), Some(Examined::Header));
        assert_eq!(examine(b"chr1 1000", b"chr1", 1), None);
        assert_eq!(examine(b"chr1\tx\t.", b"chr1", 1), None);
        assert_eq!(examine(b"chr1\t5", b"chr1", 5), Some(Examined::Wanted));
    }

    fn record(chrom: &str, pos: u64, r: &str, a: &str, id: &str) -> ExactRecord {
        ExactRecord {
            allele: Allele {
                chrom: chrom.into(),
                pos,
                ref_allele: r.into(),
                alt_allele: a.into(),
            },
            id: id.into(),
            info: vec![("NOTE".into(), "a b;c=d,e%".into())],
        }
    }

    #[test]
    fn info_values_round_trip_through_percent_encoding() {
        let raw = "a b;c=d,e%f";
        let enc = encode_info_value(raw);
        assert!(!enc.contains([' ', ';', '=', ',']));
        assert_eq!(decode_info_value(&enc), raw);
        assert_eq!(decode_info_value("100%"), "100%");
    }

    #[test]
    fn writes_sorted_indexed_tables_and_merge_joins_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.vcf.gz");
        let mut w = ExactWriter::create(
            &path,
            vec!["##INFO=<ID=NOTE,Number=1,Type=String,Description=\"n\">".into()],
            BTreeMap::new(),
        )
        .unwrap();
        // Slightly out of order within the window (as left-alignment does).
        w.push(record("1", 200, "A", "G", "r2"), "t").unwrap();
        w.push(record("1", 100, "C", "T", "r1"), "t").unwrap();
        w.push(record("1", 200, "A", "C", "r3"), "t").unwrap();
        for i in 0..50_000u64 {
            w.push(record("1", 1_000 + i * 40, "A", "T", &format!("d{i}")), "t")
                .unwrap();
        }
        w.push(record("2", 5, "G", "GA", "r4"), "t").unwrap();
        assert_eq!(w.finish().unwrap(), (50_004, 0));

        let mut t = ExactTable::open(&path).unwrap();
        assert_eq!(t.contigs(), ["1", "2"]);
        assert_eq!(t.at("1", 50).unwrap().len(), 0);
        let at100 = t.at("chr1", 100).unwrap();
        assert_eq!(at100.len(), 1);
        assert_eq!(at100[0].id(), "r1");
        assert_eq!(
            decode_info_value(parse_info(at100[0].info())["NOTE"]),
            "a b;c=d,e%"
        );
        let ids: Vec<_> = t
            .at("1", 200)
            .unwrap()
            .iter()
            .map(|l| l.alt_allele().to_string())
            .collect();
        assert_eq!(ids, ["C", "G"]);
        // A far jump seeks instead of reading everything in between.
        let far = t.at("1", 1_000 + 49_000 * 40).unwrap();
        assert_eq!(far[0].id(), "d49000");
        assert!(t.stats.seeks >= 2, "{:?}", t.stats);
        assert!(t.stats.lines_read < 20_000, "{:?}", t.stats);
        // Backwards (unsorted query) still answers correctly.
        assert_eq!(t.at("1", 1_040).unwrap()[0].id(), "d1");
        assert_eq!(t.at("2", 5).unwrap()[0].id(), "r4");
        assert_eq!(t.at("2", 6).unwrap().len(), 0);
        assert_eq!(t.at("3", 6).unwrap().len(), 0);
        assert_eq!(t.at("1", 3_000_000).unwrap().len(), 0);
    }

    #[test]
    fn rejects_unsorted_sources_naming_the_origin() {
        let dir = tempfile::tempdir().unwrap();
        let mut w =
            ExactWriter::create(&dir.path().join("u.vcf.gz"), vec![], BTreeMap::new()).unwrap();
        w.push(record("1", 500_000, "A", "G", "a"), "in.vcf:3")
            .unwrap();
        let err = w
            .push(record("1", 10, "A", "G", "b"), "in.vcf:4")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("in.vcf:4: position 10"),
            "{err}"
        );
        w.push(record("2", 1, "A", "G", "c"), "in.vcf:5").unwrap();
        let err = w
            .push(record("1", 600_000, "A", "G", "d"), "in.vcf:6")
            .unwrap_err();
        assert!(err.to_string().contains("contig 1 appears again"), "{err}");
    }
}
