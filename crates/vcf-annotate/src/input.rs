//! Reading and validating VCF 4.1-4.5 (plain, gzip, bgzip) and BCF input.
//!
//! The format is detected from the content (gzip magic, then `BCF\2` or
//! `##fileformat`), never from the file name. Lines are read sequentially
//! and validated/parsed in parallel chunks ([`VcfInput::next_chunk`]);
//! sort order and duplicate alleles are then checked in input order.
//! noodles parses leniently, so the specification's rules are checked here
//! ([`header`], [`line`]) with errors of the form `FILE:LINE: reason`.

pub mod header;
pub mod line;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use noodles::bcf;
use noodles::vcf::variant::RecordBuf;
use noodles::vcf::variant::io::Write as _;
use noodles::vcf::{self, Header};
use rayon::prelude::*;

use self::header::HeaderModel;
use self::line::LineKey;
use crate::record::{InputRecord, RecordData};

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: record {record}: {message}")]
    InvalidRecord {
        path: String,
        record: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Accept some spec violations (listed by [`VcfInput::relaxations`]).
    pub lenient: bool,
    /// Report unsorted input as a warning ([`VcfInput::warnings`]) instead
    /// of an error; only for validation, since the pipeline streams.
    pub allow_unsorted: bool,
    /// Parse every line with noodles, also those that may be written back
    /// as they are (otherwise kept as text, see [`RecordData`]); for
    /// callers that read more of each record than [`RecordData`]'s
    /// accessors give. Validation is the same either way.
    pub parse_every_line: bool,
}

/// The BGZF end-of-file marker block: its absence means a truncated file.
const BGZF_EOF: [u8; 28] = [
    0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
    0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

type Stream = Box<dyn BufRead + Send>;

enum Source {
    Text {
        reader: Stream,
        next_line: u64,
    },
    Bcf {
        reader: Box<bcf::io::Reader<Stream>>,
        next_record: u64,
    },
}

/// A validated, streaming VCF/BCF reader.
pub struct VcfInput {
    name: String,
    header: Header,
    model: HeaderModel,
    options: InputOptions,
    source: Source,
    done: bool,
    records_read: u64,
    /// Relaxation → (count, first line).
    relaxed: BTreeMap<String, (u64, u64)>,
    warnings: Vec<String>,
    /// The first out-of-order record was reported (only the first is).
    unsorted_reported: bool,
    order: OrderCheck,
}

impl VcfInput {
    pub fn open(path: Option<&Path>, options: InputOptions) -> Result<Self, InputError> {
        let name = variant_model::io::display_name(path, "<stdin>");
        let file_error = |message: String| InputError::File {
            path: name.clone(),
            message,
        };
        let mut relaxed = BTreeMap::new();
        let raw: Box<dyn Read + Send> = match path {
            Some(p) if p != Path::new("-") => {
                let mut file =
                    File::open(p).map_err(|e| file_error(format!("cannot open: {e}")))?;
                if is_bgzf(&mut file).map_err(|e| file_error(format!("cannot read: {e}")))?
                    && !has_bgzf_eof(&mut file)
                        .map_err(|e| file_error(format!("cannot read: {e}")))?
                {
                    if options.lenient {
                        relaxed.insert("bgzip file without its end-of-file marker".into(), (1, 0));
                    } else {
                        return Err(file_error(
                            "the bgzip end-of-file marker is missing: the file is truncated \
                             (--lenient reads it anyway)"
                                .into(),
                        ));
                    }
                }
                Box::new(file)
            }
            _ => Box::new(io::stdin()),
        };
        let mut reader = BufReader::with_capacity(1 << 16, raw);
        let magic = reader
            .fill_buf()
            .map_err(|e| file_error(format!("cannot read: {e}")))?;
        let mut stream: Stream = if magic.starts_with(&[0x1f, 0x8b]) {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(reader),
            ))
        } else {
            Box::new(reader)
        };
        let head = stream.fill_buf().map_err(|e| read_error(&name, e))?;
        if head.starts_with(b"BCF\x02") {
            Self::open_bcf(name, stream, options, relaxed)
        } else {
            Self::open_text(name, stream, options, relaxed)
        }
    }

    fn open_text(
        name: String,
        mut reader: Stream,
        options: InputOptions,
        mut relaxed: BTreeMap<String, (u64, u64)>,
    ) -> Result<Self, InputError> {
        let mut lines = Vec::new();
        let mut buf = Vec::new();
        loop {
            let line_no = lines.len() as u64 + 1;
            let Some(text) = read_line(
                &mut reader,
                &mut buf,
                &name,
                line_no,
                &options,
                &mut relaxed,
                None,
            )?
            else {
                break;
            };
            let is_chrom = text.starts_with('#') && !text.starts_with("##");
            let is_meta = text.starts_with("##");
            if !is_meta && !is_chrom && !lines.is_empty() {
                // A data line (or garbage) before #CHROM: let validation say so.
                lines.push(text);
                break;
            }
            lines.push(text);
            if is_chrom || lines.len() == 1 && !is_meta {
                break;
            }
        }
        let mut relaxed_header = Vec::new();
        let model =
            header::validate(&lines, options.lenient, &mut relaxed_header).map_err(|issue| {
                InputError::Invalid {
                    path: name.clone(),
                    line: issue.line,
                    message: issue.message,
                }
            })?;
        for r in relaxed_header {
            relaxed.insert(r, (1, 0));
        }
        let header_warnings = model.warnings.clone();
        let header = noodles_header(&lines, &mut relaxed).map_err(|(line, message)| {
            InputError::Invalid {
                path: name.clone(),
                line,
                message,
            }
        })?;
        let next_line = lines.len() as u64 + 1;
        Ok(Self {
            name,
            header,
            model,
            options,
            source: Source::Text { reader, next_line },
            done: false,
            records_read: 0,
            relaxed,
            warnings: header_warnings,
            unsorted_reported: false,
            order: OrderCheck::default(),
        })
    }

    fn open_bcf(
        name: String,
        stream: Stream,
        options: InputOptions,
        mut relaxed: BTreeMap<String, (u64, u64)>,
    ) -> Result<Self, InputError> {
        let mut reader = Box::new(bcf::io::Reader::from(stream));
        let header = reader.read_header().map_err(|e| InputError::File {
            path: name.clone(),
            message: format!("cannot read the BCF header: {e}"),
        })?;
        let mut text = Vec::new();
        vcf::io::Writer::new(&mut text)
            .write_header(&header)
            .map_err(|e| read_error(&name, e))?;
        let lines: Vec<String> = String::from_utf8_lossy(&text)
            .lines()
            .map(str::to_string)
            .collect();
        let mut relaxed_header = Vec::new();
        let model =
            header::validate(&lines, options.lenient, &mut relaxed_header).map_err(|issue| {
                InputError::File {
                    path: name.clone(),
                    message: format!("BCF header line {}: {}", issue.line, issue.message),
                }
            })?;
        for r in relaxed_header {
            relaxed.insert(r, (1, 0));
        }
        let header_warnings = model.warnings.clone();
        Ok(Self {
            name,
            header,
            model,
            options,
            source: Source::Bcf {
                reader,
                next_record: 1,
            },
            done: false,
            records_read: 0,
            relaxed,
            warnings: header_warnings,
            unsorted_reported: false,
            order: OrderCheck::default(),
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The input's name in messages (`<stdin>` for standard input).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What `--lenient` relaxed so far, to report to the user.
    pub fn relaxations(&self) -> Vec<String> {
        self.relaxed
            .iter()
            .map(|(what, (count, first))| {
                if *first == 0 {
                    what.clone()
                } else {
                    format!("{what}: {count} time(s), first at line {first}")
                }
            })
            .collect()
    }

    /// Problems that are not errors for this run (unsorted input when
    /// [`InputOptions::allow_unsorted`]).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn records_read(&self) -> u64 {
        self.records_read
    }

    /// Up to `max` next records, validated; `None` at end of input.
    pub fn next_chunk(&mut self, max: usize) -> Result<Option<Vec<InputRecord>>, InputError> {
        if self.done {
            return Ok(None);
        }
        let parsed = match &mut self.source {
            Source::Text { reader, next_line } => {
                let mut raw = Vec::with_capacity(max.min(1 << 16));
                let mut buf = Vec::new();
                // The VCF 4.3 conformance suite rejects a missing final
                // newline (a sign of truncation); the 4.5 suite accepts it,
                // so from 4.4 on it is only a warning.
                let newline_optional = self.model.version >= (4, 4);
                while raw.len() < max {
                    let line_no = *next_line;
                    let Some(text) = read_line(
                        reader,
                        &mut buf,
                        &self.name,
                        line_no,
                        &self.options,
                        &mut self.relaxed,
                        newline_optional.then_some(&mut self.warnings),
                    )?
                    else {
                        self.done = true;
                        break;
                    };
                    *next_line += 1;
                    if text.is_empty() {
                        if !self.options.lenient {
                            return Err(InputError::Invalid {
                                path: self.name.clone(),
                                line: line_no,
                                message: "empty line (--lenient skips it)".into(),
                            });
                        }
                        note(&mut self.relaxed, "empty lines skipped", line_no);
                        continue;
                    }
                    raw.push((line_no, text));
                }
                let (model, header, options) = (&self.model, &self.header, &self.options);
                raw.into_par_iter()
                    .map(|(line_no, text)| parse_text_line(model, header, options, line_no, text))
                    .collect::<Vec<_>>()
            }
            Source::Bcf {
                reader,
                next_record,
            } => {
                let mut raw = Vec::with_capacity(max.min(1 << 16));
                while raw.len() < max {
                    let mut record = bcf::Record::default();
                    let n =
                        reader
                            .read_record(&mut record)
                            .map_err(|e| InputError::InvalidRecord {
                                path: self.name.clone(),
                                record: *next_record,
                                message: describe_read_error(&e),
                            })?;
                    if n == 0 {
                        self.done = true;
                        break;
                    }
                    raw.push((*next_record, record));
                    *next_record += 1;
                }
                let (model, header, lenient) = (&self.model, &self.header, self.options.lenient);
                raw.into_par_iter()
                    .map(|(n, record)| {
                        // noodles-bcf panics on value types it does not
                        // implement; report that as an error on the record.
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            parse_bcf_record(model, header, lenient, n, &record)
                        }))
                        .unwrap_or_else(|_| {
                            Err((n, "cannot decode the record: a BCF value type noodles does not support".into()))
                        })
                    })
                    .collect::<Vec<_>>()
            }
        };
        let is_bcf = matches!(self.source, Source::Bcf { .. });
        let mut records = Vec::with_capacity(parsed.len());
        for result in parsed {
            let parsed = result.map_err(|(line, message)| self.invalid(is_bcf, line, message))?;
            for kind in &parsed.relaxed {
                note(&mut self.relaxed, kind, parsed.record.line);
            }
            let line = parsed.record.line;
            if let Err(problem) = self.order.check(&parsed.key, line) {
                match problem {
                    OrderProblem::Unsorted(message) if self.options.allow_unsorted => {
                        if !self.unsorted_reported {
                            self.unsorted_reported = true;
                            self.warnings.push(format!(
                                "{}: {} {line}: {message} (normalisation would refuse this input)",
                                self.name,
                                if is_bcf { "record" } else { "line" }
                            ));
                        }
                    }
                    OrderProblem::Duplicate(message) if self.options.lenient => {
                        let _ = message;
                        note(&mut self.relaxed, "duplicate alleles", line);
                    }
                    OrderProblem::Unsorted(message) => {
                        return Err(self.invalid(is_bcf, line, message));
                    }
                    OrderProblem::Duplicate(message) => {
                        return Err(self.invalid(
                            is_bcf,
                            line,
                            format!("{message} (--lenient accepts this)"),
                        ));
                    }
                }
            }
            records.push(parsed.record);
        }
        self.records_read += records.len() as u64;
        if records.is_empty() && self.done {
            return Ok(None);
        }
        Ok(Some(records))
    }

    fn invalid(&self, is_bcf: bool, line: u64, message: String) -> InputError {
        if is_bcf {
            InputError::InvalidRecord {
                path: self.name.clone(),
                record: line,
                message,
            }
        } else {
            InputError::Invalid {
                path: self.name.clone(),
                line,
                message,
            }
        }
    }
}

/// Builds the noodles header from validated header lines. noodles does not
/// read everything the specification allows, so: VCF 4.4+ local counts
/// (`Number=LA/LR/LG/M`) definitions are built directly; a
/// repeated ID keeps its first definition; other lines noodles cannot
/// structure (e.g. a VCF 4.1 `##PEDIGREE` without ID) are kept verbatim.
fn noodles_header(
    lines: &[String],
    relaxed: &mut BTreeMap<String, (u64, u64)>,
) -> Result<Header, (u64, String)> {
    use noodles::vcf::header::parser::ParseError;

    let mut parser = vcf::header::Parser::default();
    let mut direct_definitions = Vec::new();
    let mut verbatim = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u64 + 1;
        let text = line.as_str();
        match parser.parse_partial(text.as_bytes()) {
            Ok(_) => {}
            Err(
                ParseError::DuplicateContigId(id)
                | ParseError::DuplicateInfoId(id)
                | ParseError::DuplicateFormatId(id)
                | ParseError::DuplicateFilterId(id)
                | ParseError::DuplicateAlternativeAlleleId(id),
            ) => {
                note(
                    relaxed,
                    &format!("repeated header definition of `{id}` (the first is kept)"),
                    line_no,
                );
            }
            Err(ParseError::InvalidRecord(_))
                if line.starts_with("##INFO=") || line.starts_with("##FORMAT=") =>
            {
                // Definitions our validator accepted but noodles does not
                // (VCF 4.4+ local counts, reserved keys defined as in an
                // older version).
                let definition = direct_definition(line)
                    .ok_or_else(|| (line_no, format!("cannot read the header line `{line}`")))?;
                direct_definitions.push(definition);
            }
            Err(ParseError::InvalidRecord(_)) if line.starts_with("##") => {
                let (key, value) = line[2..].split_once('=').unwrap_or((&line[2..], ""));
                match key.parse::<vcf::header::record::key::Other>() {
                    Ok(key) => verbatim.push((line_no, key, value.to_string())),
                    Err(_) => {
                        return Err((line_no, format!("cannot read the header line `{line}`")));
                    }
                }
            }
            Err(e) => return Err((line_no, format!("invalid header: {e}"))),
        }
    }
    let mut header = parser
        .finish()
        .map_err(|e| (lines.len() as u64, format!("invalid header: {e}")))?;
    for definition in direct_definitions {
        match definition {
            DirectDefinition::Info(id, map) => {
                header.infos_mut().insert(id, map);
            }
            DirectDefinition::Format(id, map) => {
                header.formats_mut().insert(id, map);
            }
        }
    }
    for (line_no, key, value) in verbatim {
        header
            .insert(key, vcf::header::record::Value::String(value))
            .map_err(|e| (line_no, format!("cannot keep this header line: {e}")))?;
    }
    Ok(header)
}

enum DirectDefinition {
    Info(
        String,
        vcf::header::record::value::Map<vcf::header::record::value::map::Info>,
    ),
    Format(
        String,
        vcf::header::record::value::Map<vcf::header::record::value::map::Format>,
    ),
}

/// Builds an INFO/FORMAT definition from its header line without noodles'
/// parser (which rejects some valid definitions).
fn direct_definition(line: &str) -> Option<DirectDefinition> {
    use vcf::header::record::value::Map;
    use vcf::header::record::value::map::{Format, Info, format, info};

    let (key, value) = line.strip_prefix("##")?.split_once('=')?;
    let fields = header::parse_structured(value).ok()?;
    let get = |k: &str| fields.iter().find(|f| f.key == k).map(|f| f.value.as_str());
    let id = get("ID")?.to_string();
    let number = get("Number")?;
    let ty = get("Type")?;
    let description = get("Description").unwrap_or_default();
    let count = number.parse::<usize>().ok();
    if key == "INFO" {
        let number = match (number, count) {
            (_, Some(n)) => info::Number::Count(n),
            ("A", _) => info::Number::AlternateBases,
            ("R", _) => info::Number::ReferenceAlternateBases,
            ("G", _) => info::Number::Samples,
            _ => info::Number::Unknown,
        };
        let ty = match ty {
            "Integer" => info::Type::Integer,
            "Float" => info::Type::Float,
            "Flag" => info::Type::Flag,
            "Character" => info::Type::Character,
            _ => info::Type::String,
        };
        Some(DirectDefinition::Info(
            id,
            Map::<Info>::new(number, ty, description),
        ))
    } else {
        let number = match (number, count) {
            (_, Some(n)) => format::Number::Count(n),
            ("A", _) => format::Number::AlternateBases,
            ("R", _) => format::Number::ReferenceAlternateBases,
            ("G", _) => format::Number::Samples,
            ("LA", _) => format::Number::LocalAlternateBases,
            ("LR", _) => format::Number::LocalReferenceAlternateBases,
            ("LG", _) => format::Number::LocalSamples,
            ("P", _) => format::Number::Ploidy,
            ("M", _) => format::Number::BaseModifications,
            _ => format::Number::Unknown,
        };
        let ty = match ty {
            "Integer" => format::Type::Integer,
            "Float" => format::Type::Float,
            "Character" => format::Type::Character,
            _ => format::Type::String,
        };
        Some(DirectDefinition::Format(
            id,
            Map::<Format>::new(number, ty, description),
        ))
    }
}

/// Parses a validated line with noodles. noodles applies its own reserved
/// definitions to keys the header does not define; when a value does not
/// fit them (the specification only asks for header definitions), the
/// record is read again with those keys defined as free text.
pub(crate) fn parse_line(header: &Header, text: &str) -> std::io::Result<RecordBuf> {
    let parse = |header: &Header| {
        vcf::Record::try_from(text.as_bytes())
            .and_then(|r| RecordBuf::try_from_variant_record(header, &r))
    };
    let first_error = match parse(header) {
        Ok(record) => return Ok(record),
        Err(e) => e,
    };
    use vcf::header::record::value::Map;
    use vcf::header::record::value::map::{Format, Info, format, info};
    let columns: Vec<&str> = text.split('\t').collect();
    let mut patched = header.clone();
    let mut changed = false;
    if let Some(info_column) = columns.get(7).filter(|c| **c != ".") {
        for entry in info_column.split(';') {
            let key = entry.split('=').next().unwrap_or_default();
            if !header.infos().contains_key(key) {
                let ty = if entry.contains('=') {
                    info::Type::String
                } else {
                    info::Type::Flag
                };
                let number = if entry.contains('=') {
                    info::Number::Unknown
                } else {
                    info::Number::Count(0)
                };
                patched
                    .infos_mut()
                    .insert(key.to_string(), Map::<Info>::new(number, ty, ""));
                changed = true;
            }
        }
    }
    if let Some(format_column) = columns.get(8) {
        for key in format_column.split(':') {
            if key != "GT" && !header.formats().contains_key(key) {
                patched.formats_mut().insert(
                    key.to_string(),
                    Map::<Format>::new(format::Number::Unknown, format::Type::String, ""),
                );
                changed = true;
            }
        }
    }
    if changed {
        parse(&patched)
    } else {
        Err(first_error)
    }
}

fn note(relaxed: &mut BTreeMap<String, (u64, u64)>, kind: &str, line: u64) {
    let entry = relaxed.entry(kind.to_string()).or_insert((0, line));
    entry.0 += 1;
}

fn read_error(name: &str, e: io::Error) -> InputError {
    InputError::File {
        path: name.to_string(),
        message: describe_read_error(&e),
    }
}

fn describe_read_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "unexpected end of input: the compressed file is truncated".into()
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("corrupt or truncated input: {e}")
        }
        _ => format!("cannot read: {e}"),
    }
}

/// Reads one line without its terminator; `None` at end of input. A last
/// line without a newline and CRLF endings are spec violations that
/// `--lenient` accepts.
fn read_line(
    reader: &mut Stream,
    buf: &mut Vec<u8>,
    name: &str,
    line_no: u64,
    options: &InputOptions,
    relaxed: &mut BTreeMap<String, (u64, u64)>,
    warnings: Option<&mut Vec<String>>,
) -> Result<Option<String>, InputError> {
    buf.clear();
    let n = reader
        .read_until(b'\n', buf)
        .map_err(|e| InputError::Invalid {
            path: name.to_string(),
            line: line_no,
            message: describe_read_error(&e),
        })?;
    if n == 0 {
        return Ok(None);
    }
    let invalid = |message: &str| InputError::Invalid {
        path: name.to_string(),
        line: line_no,
        message: message.to_string(),
    };
    if buf.last() == Some(&b'\n') {
        buf.pop();
    } else if let Some(warnings) = warnings {
        warnings.push(format!(
            "{name}:{line_no}: the file does not end with a newline"
        ));
    } else if options.lenient {
        note(relaxed, "missing newline at the end of the file", line_no);
    } else {
        return Err(invalid(
            "the file does not end with a newline (truncated? --lenient accepts this)",
        ));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
        if options.lenient {
            note(relaxed, "CRLF (Windows) line endings", line_no);
        } else {
            return Err(invalid(
                "CRLF (Windows) line ending (--lenient accepts this)",
            ));
        }
    }
    match String::from_utf8(std::mem::take(buf)) {
        Ok(s) => Ok(Some(s)),
        Err(_) => Err(invalid("the line is not valid UTF-8 text")),
    }
}

struct Parsed {
    record: InputRecord,
    key: LineKey,
    relaxed: Vec<&'static str>,
}

fn parse_text_line(
    model: &HeaderModel,
    header: &Header,
    options: &InputOptions,
    line_no: u64,
    text: String,
) -> Result<Parsed, (u64, String)> {
    let mut relaxed = Vec::new();
    let key = line::validate(model, &text, options.lenient, &mut relaxed)
        .map_err(|issue| (line_no, issue.message))?;
    // The line itself stands for the record when it may be written back as
    // it came in: one ALT at most (more are split), nothing to rewrite or
    // relax.
    let as_read = !key.needs_rewrite && relaxed.is_empty();
    let one_alt = || {
        text.split('\t')
            .nth(4)
            .is_some_and(|alt| !alt.contains(','))
    };
    let kept = as_read && one_alt();
    let data = if kept && !options.parse_every_line {
        RecordData::from_line(text)
    } else {
        let record = if key.needs_rewrite {
            parse_line(header, &line::rewrite_for_noodles(model, &text))
        } else {
            parse_line(header, &text)
        }
        .map_err(|e| (line_no, format!("cannot parse the record: {e}")))?;
        RecordData::from_parsed(Box::new(record), kept.then_some(text))
    };
    Ok(Parsed {
        record: InputRecord {
            line: line_no,
            data,
        },
        key,
        relaxed,
    })
}

fn parse_bcf_record(
    model: &HeaderModel,
    header: &Header,
    lenient: bool,
    number: u64,
    record: &bcf::Record,
) -> Result<Parsed, (u64, String)> {
    let record = RecordBuf::try_from_variant_record(header, record)
        .map_err(|e| (number, format!("cannot decode the record: {e}")))?;
    // Validate the record as the VCF line it stands for, so BCF input gets
    // exactly the checks of VCF input.
    let mut text = Vec::new();
    vcf::io::Writer::new(&mut text)
        .write_variant_record(header, &record)
        .map_err(|e| (number, format!("cannot represent the record as VCF: {e}")))?;
    let text = String::from_utf8_lossy(&text);
    let mut relaxed = Vec::new();
    let key = line::validate(model, text.trim_end_matches('\n'), lenient, &mut relaxed)
        .map_err(|issue| (number, issue.message))?;
    Ok(Parsed {
        record: InputRecord {
            line: number,
            data: RecordData::from_parsed(Box::new(record), None),
        },
        key,
        relaxed,
    })
}

fn is_bgzf(file: &mut File) -> io::Result<bool> {
    let mut head = [0u8; 14];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(filled == 14 && head[..2] == [0x1f, 0x8b] && head[3] & 4 != 0 && &head[12..14] == b"BC")
}

fn has_bgzf_eof(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len < BGZF_EOF.len() as u64 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-(BGZF_EOF.len() as i64)))?;
    let mut tail = [0u8; 28];
    file.read_exact(&mut tail)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(tail == BGZF_EOF)
}

enum OrderProblem {
    Unsorted(String),
    Duplicate(String),
}

/// Sort order and duplicate alleles, checked in input order. Memory is
/// bounded by the alleles of one position window.
#[derive(Default)]
struct OrderCheck {
    chrom: String,
    pos: u64,
    finished: HashSet<String>,
    /// (trimmed pos, REF, ALT) → line, for positions not yet passed.
    recent: BTreeMap<(u64, String, String), u64>,
}

impl OrderCheck {
    fn check(&mut self, key: &LineKey, line: u64) -> Result<(), OrderProblem> {
        let mut problem = None;
        if key.chrom != self.chrom {
            if self.finished.contains(&key.chrom) {
                problem = Some(OrderProblem::Unsorted(format!(
                    "contig `{}` appears again after records on other contigs: the input is not sorted",
                    key.chrom
                )));
            }
            let previous = std::mem::replace(&mut self.chrom, key.chrom.clone());
            if !previous.is_empty() {
                self.finished.insert(previous);
            }
            self.recent.clear();
        } else if key.pos < self.pos {
            problem = Some(OrderProblem::Unsorted(format!(
                "POS {} comes after POS {} on `{}`: the input is not sorted",
                key.pos, self.pos, key.chrom
            )));
            self.recent.clear();
        }
        self.pos = key.pos;
        // Trimming only moves alleles right, so none of a later record can
        // land before this record's POS.
        self.recent = self
            .recent
            .split_off(&(key.pos, String::new(), String::new()));
        for (pos, r, a) in &key.trimmed_alleles {
            if let Some(first) = self.recent.insert((*pos, r.clone(), a.clone()), line)
                && problem.is_none()
            {
                problem = Some(OrderProblem::Duplicate(format!(
                    "the allele {}:{pos}:{r}>{a} was already given at line {first}",
                    key.chrom
                )));
            }
        }
        match problem {
            Some(p) => Err(p),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const HEADER: &str = "##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n\
        ##INFO=<ID=XA,Number=A,Type=Integer,Description=\"x\">\n\
        ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
        #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\n";

    fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("{HEADER}{body}")).unwrap();
        path
    }

    fn read_all(path: &Path, options: InputOptions) -> Result<Vec<InputRecord>, InputError> {
        let mut input = VcfInput::open(Some(path), options)?;
        let mut all = Vec::new();
        while let Some(chunk) = input.next_chunk(2)? {
            all.extend(chunk);
        }
        Ok(all)
    }

    #[test]
    fn reads_records_in_chunks_with_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.vcf",
            "1\t10\t.\tA\tC\t.\t.\tXA=1\tGT\t0/1\n1\t20\t.\tA\tG,T\t.\t.\t.\tGT\t1/2\n2\t5\t.\tC\tT\t.\t.\t.\tGT\t0|1\n",
        );
        let records = read_all(&path, InputOptions::default()).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].line, 7);
        assert_eq!(records[2].line, 9);
        assert_eq!(records[1].data.alternate_bases(), ["G", "T"]);
    }

    /// A line that may be written back is kept as text; what is read from
    /// it agrees with noodles' parse of the same line.
    #[test]
    fn kept_lines_read_as_noodles_parses_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.vcf",
            "1\t0\t.\tN\t.\t.\t.\tFL\tGT\t0/0\n\
             1\t10\trs1\tacGT\tA\t50.00\tPASS\tXA=1;DP=5\tGT\t0/1\n\
             1\t20\t.\tA\tG,T\t.\t.\t.\tGT\t1/2\n\
             2\t5\t.\tC\t<DEL>\t.\t.\t.\tGT\t0|1\n",
        );
        let kept = read_all(&path, InputOptions::default()).unwrap();
        let parsed = read_all(
            &path,
            InputOptions {
                parse_every_line: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(kept.len(), 4);
        // Multi-allelic lines are split, so parsed at once.
        assert!(kept[2].data.line().is_none());
        let header = VcfInput::open(Some(&path), InputOptions::default())
            .unwrap()
            .header()
            .clone();
        for (k, p) in kept.iter().zip(&parsed) {
            let (k, p) = (&k.data, &p.data);
            if k.alt_count() <= 1 {
                assert!(k.as_parsed().is_none());
                assert_eq!(k.line(), p.line(), "the line is kept either way");
            }
            assert!(p.as_parsed().is_some());
            assert_eq!(k.chrom(), p.chrom());
            assert_eq!(k.pos(), p.pos());
            assert_eq!(k.reference_bases(), p.reference_bases());
            assert_eq!(k.alternate_bases(), p.alternate_bases());
            assert_eq!(k.alt_count(), p.alt_count());
            assert_eq!(k.first_alt(), p.first_alt());
            for key in ["XA", "DP", "FL", "X", "D"] {
                assert_eq!(k.has_info(key), p.has_info(key), "{key}");
            }
            assert_eq!(
                k.clone().into_parsed(&header).unwrap(),
                p.clone().into_parsed(&header).unwrap()
            );
        }
        assert_eq!(kept[1].data.pos(), 10);
        assert_eq!(kept[1].data.reference_bases(), "acGT");
        assert!(kept[1].data.has_info("DP") && !kept[1].data.has_info("D"));
        assert_eq!(kept[0].data.first_alt(), None);
    }

    #[test]
    fn unsorted_input_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.vcf",
            "1\t20\t.\tA\tC\t.\t.\t.\tGT\t0/1\n1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\n",
        );
        let err = read_all(&path, InputOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a.vcf:8:") && err.contains("not sorted"),
            "{err}"
        );
        let path = write(
            dir.path(),
            "b.vcf",
            "1\t20\t.\tA\tC\t.\t.\t.\tGT\t0/1\n2\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\n1\t30\t.\tA\tG\t.\t.\t.\tGT\t0/1\n",
        );
        let err = read_all(&path, InputOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("b.vcf:9:") && err.contains("appears again"),
            "{err}"
        );
        let mut input = VcfInput::open(
            Some(&path),
            InputOptions {
                allow_unsorted: true,
                ..Default::default()
            },
        )
        .unwrap();
        while input.next_chunk(10).unwrap().is_some() {}
        assert_eq!(input.warnings().len(), 1);
    }

    #[test]
    fn duplicates_are_errors_unless_lenient() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.vcf",
            "1\t123\t.\tTAT\tTGT\t.\t.\t.\tGT\t0/1\n1\t124\t.\tA\tG\t.\t.\t.\tGT\t0/1\n",
        );
        let err = read_all(&path, InputOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains(":8:") && err.contains("line 7"), "{err}");
        let mut input = VcfInput::open(
            Some(&path),
            InputOptions {
                lenient: true,
                ..Default::default()
            },
        )
        .unwrap();
        while input.next_chunk(10).unwrap().is_some() {}
        assert_eq!(input.records_read(), 2);
        assert_eq!(input.relaxations().len(), 1);
    }

    #[test]
    fn reads_gzip_and_bgzip_by_content_and_detects_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let body: String = (1..=2000)
            .map(|i| format!("1\t{i}\t.\tA\tC\t.\t.\t.\tGT\t0/1\n"))
            .collect();
        let text = format!("{HEADER}{body}");
        // bgzip, named .txt: detected from content
        let bgz = dir.path().join("in.txt");
        let mut w = noodles::bgzf::io::Writer::new(File::create(&bgz).unwrap());
        w.write_all(text.as_bytes()).unwrap();
        w.finish().unwrap();
        assert_eq!(read_all(&bgz, InputOptions::default()).unwrap().len(), 2000);
        // truncated gzip
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).unwrap();
        let bytes = enc.finish().unwrap();
        let gz = dir.path().join("cut.vcf.gz");
        std::fs::write(&gz, &bytes[..bytes.len() - 20]).unwrap();
        let err = read_all(&gz, InputOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cut.vcf.gz") && err.contains("truncated"),
            "{err}"
        );
        // bgzip cut at a block boundary: no EOF marker
        let all = std::fs::read(&bgz).unwrap();
        let cut = dir.path().join("cut.bgz");
        std::fs::write(&cut, &all[..all.len() - 28]).unwrap();
        let err = VcfInput::open(Some(&cut), InputOptions::default())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn reads_bcf_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.vcf",
            "1\t10\t.\tA\tC\t.\t.\tXA=1\tGT\t0/1\n2\t5\t.\tC\tT,G\t.\t.\t.\tGT\t1|2\n",
        );
        let every_line = InputOptions {
            parse_every_line: true,
            ..Default::default()
        };
        let vcf_records = read_all(&path, every_line).unwrap();
        let input = VcfInput::open(Some(&path), InputOptions::default()).unwrap();
        let header = input.header().clone();
        let bcf_path = dir.path().join("a.dat");
        {
            let mut writer = bcf::io::Writer::new(File::create(&bcf_path).unwrap());
            writer.write_header(&header).unwrap();
            for r in &vcf_records {
                writer
                    .write_variant_record(&header, r.data.as_parsed().unwrap())
                    .unwrap();
            }
            writer.try_finish().unwrap();
        }
        let bcf_records = read_all(&bcf_path, InputOptions::default()).unwrap();
        assert_eq!(bcf_records.len(), 2);
        assert_eq!(bcf_records[1].line, 2);
        for (a, b) in vcf_records.iter().zip(&bcf_records) {
            assert_eq!(a.data.as_parsed(), b.data.as_parsed());
        }
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "bad.vcf",
            "1\t10\t.\tA\tC\t.\t.\tXA=x\tGT\t0/1\n",
        );
        let err = read_all(&path, InputOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}:7: INFO/XA", path.display())),
            "{err}"
        );
        let path = dir.path().join("nonl.vcf");
        std::fs::write(&path, format!("{HEADER}1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1")).unwrap();
        assert!(read_all(&path, InputOptions::default()).is_err());
    }
}
