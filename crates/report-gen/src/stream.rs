//! Reading rule-tier's JSON Lines stream: one `header` line, `variant`
//! lines, and an optional `summary` line last.
//!
//! Summaries are read leniently: every tool may add its own counters, so
//! the fields report-gen does not know are kept (as JSON) and rendered as
//! they are rather than rejected or dropped.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;
use variant_model::io::{display_name, open_input};
use variant_model::record::{StreamHeader, StreamLine, StreamSummary, VariantRecord};

/// A whole input stream, checked for shape.
#[derive(Debug, Clone, PartialEq)]
pub struct InputStream {
    /// Where it came from, for messages (`<stdin>` for standard input).
    pub source: String,
    pub header: StreamHeader,
    pub variants: Vec<VariantRecord>,
    /// `None` when the stream has no summary line.
    pub summary: Option<ReadSummary>,
}

/// The summary line: the fields of [`StreamSummary`] plus every other field
/// the producing tools added (e.g. tier counts or TMB from rule-tier).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadSummary {
    pub known: StreamSummary,
    /// Fields [`StreamSummary`] does not declare, by name.
    pub extra: BTreeMap<String, Value>,
}

/// Why a stream could not be read; every variant names the input and line.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Io(#[from] variant_model::io::IoError),
    #[error("{source_name}:{line}: cannot read: {error}")]
    Read {
        source_name: String,
        line: usize,
        error: std::io::Error,
    },
    #[error("{source_name}:{line}: not a valid stream line: {error}")]
    Parse {
        source_name: String,
        line: usize,
        error: serde_json::Error,
    },
    #[error("{source_name}:{line}: {problem}")]
    Shape {
        source_name: String,
        line: usize,
        problem: String,
    },
    #[error("{source_name}: empty input: expected a JSON Lines stream starting with a header line")]
    Empty { source_name: String },
}

/// Reads a stream from a path, or stdin for `None`/`-` (gzip accepted).
pub fn read_stream(path: Option<&Path>) -> Result<InputStream, StreamError> {
    let name = display_name(path, "<stdin>");
    let reader = open_input(path)?;
    parse_stream(reader, &name)
}

/// Reads a stream from any reader; `source_name` is used in messages.
pub fn parse_stream(reader: impl BufRead, source_name: &str) -> Result<InputStream, StreamError> {
    let shape = |line: usize, problem: String| StreamError::Shape {
        source_name: source_name.to_string(),
        line,
        problem,
    };
    let mut header: Option<StreamHeader> = None;
    let mut variants = Vec::new();
    let mut summary: Option<(usize, ReadSummary)> = None;

    // Parse on all cores (lines are independent), then check the order of
    // kinds sequentially so the first problem in line order is reported.
    let mut lines = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|error| StreamError::Read {
            source_name: source_name.to_string(),
            line: index + 1,
            error,
        })?;
        if !line.trim().is_empty() {
            lines.push((index + 1, line));
        }
    }
    let parsed: Vec<Result<StreamLine, serde_json::Error>> =
        lines.par_iter().map(|(_, text)| parse_line(text)).collect();

    for ((number, text), parsed) in lines.iter().zip(parsed) {
        let number = *number;
        let parsed = parsed.map_err(|error| StreamError::Parse {
            source_name: source_name.to_string(),
            line: number,
            error,
        })?;
        if let Some((summary_line, _)) = &summary {
            return Err(shape(
                number,
                format!(
                    "a line follows the summary line (line {summary_line}); the summary must be last"
                ),
            ));
        }
        match parsed {
            StreamLine::Header(h) => {
                if header.is_some() {
                    return Err(shape(number, "a second header line".to_string()));
                }
                header = Some(h);
            }
            _ if header.is_none() => {
                return Err(shape(
                    number,
                    "expected the header line first (kind \"header\")".to_string(),
                ));
            }
            StreamLine::Variant(record) => variants.push(record),
            StreamLine::Summary(known) => {
                // Parse again as a map to keep the fields StreamSummary lacks.
                let extra = unknown_summary_fields(text);
                summary = Some((number, ReadSummary { known, extra }));
            }
        }
    }
    let header = header.ok_or_else(|| StreamError::Empty {
        source_name: source_name.to_string(),
    })?;
    Ok(InputStream {
        source: source_name.to_string(),
        header,
        variants,
        summary: summary.map(|(_, s)| s),
    })
}

/// Parses one line. Variant lines as the tools write them start with their
/// kind; those are read straight into a record, which skips the buffering
/// serde needs to find the tag of an internally tagged enum (the costliest
/// part of reading a large stream). Any other line takes the general path.
fn parse_line(text: &str) -> Result<StreamLine, serde_json::Error> {
    const VARIANT_PREFIX: &str = "{\"kind\":\"variant\",";
    if text.starts_with(VARIANT_PREFIX)
        && let Ok(record) = serde_json::from_str::<VariantRecord>(text)
    {
        return Ok(StreamLine::Variant(record));
    }
    serde_json::from_str(text)
}

fn unknown_summary_fields(line: &str) -> BTreeMap<String, Value> {
    const KNOWN: &[&str] = &[
        "kind",
        "records_read",
        "alleles_written",
        "filtered",
        "counts",
        "unmatched_contigs",
        "classifications",
        "tmb",
        "germline_screen",
    ];
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .filter(|(key, _)| !KNOWN.contains(&key.as_str()))
            .collect(),
        _ => BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<InputStream, StreamError> {
        parse_stream(text.as_bytes(), "in.jsonl")
    }

    const HEADER: &str = r#"{"kind":"header","schema_version":"1.0","sample":"S1","genome_build":"GRCh38","provenance":[],"bundle":null}"#;
    const VARIANT: &str = r#"{"kind":"variant","chrom":"7","pos":140753336,"ref":"A","alt":"T","ids":[],"qual":null,"filters":["PASS"],"original":null,"flags":[],"calls":[],"consequences":[],"kb_matches":[],"classification":null}"#;

    #[test]
    fn reads_header_variants_and_summary_with_unknown_fields() {
        let text = format!(
            "{HEADER}\n{VARIANT}\n\n{VARIANT}\n{}\n",
            r#"{"kind":"summary","records_read":2,"alleles_written":2,"filtered":{"filter:LowQual":1},"msi":{"score":3.5},"tier_counts":{"I":1}}"#
        );
        let stream = parse(&text).unwrap();
        assert_eq!(stream.header.sample.as_deref(), Some("S1"));
        assert_eq!(stream.variants.len(), 2);
        let summary = stream.summary.unwrap();
        assert_eq!(summary.known.records_read, 2);
        assert_eq!(summary.known.filtered["filter:LowQual"], 1);
        assert_eq!(
            summary.extra.keys().collect::<Vec<_>>(),
            ["msi", "tier_counts"]
        );
        assert_eq!(summary.extra["msi"]["score"], 3.5);
    }

    #[test]
    fn variant_lines_parse_alike_with_or_without_the_kind_first() {
        let reordered = VARIANT.replacen("\"kind\":\"variant\",", "", 1).replacen(
            "\"classification\":null}",
            "\"classification\":null,\"kind\":\"variant\"}",
            1,
        );
        assert!(!reordered.starts_with("{\"kind\""));
        let fast = parse_line(VARIANT).unwrap();
        assert_eq!(fast, parse_line(&reordered).unwrap());
        assert_eq!(fast, serde_json::from_str::<StreamLine>(VARIANT).unwrap());
        // A broken variant line reports the general parser's error.
        assert!(parse_line("{\"kind\":\"variant\",\"pos\":1}").is_err());
    }

    #[test]
    fn summary_is_optional() {
        let stream = parse(&format!("{HEADER}\n{VARIANT}\n")).unwrap();
        assert!(stream.summary.is_none());
    }

    #[test]
    fn errors_name_the_input_and_line() {
        let err = parse(&format!("{HEADER}\n{{\"kind\":\"variant\",\"chrom\":7}}\n")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("in.jsonl:2: not a valid stream line"),
            "{err}"
        );

        let err = parse(&format!("{VARIANT}\n")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.jsonl:1: expected the header line first (kind \"header\")"
        );

        let err = parse(&format!("{HEADER}\n{HEADER}\n")).unwrap_err();
        assert_eq!(err.to_string(), "in.jsonl:2: a second header line");

        let summary = r#"{"kind":"summary"}"#;
        let err = parse(&format!("{HEADER}\n{summary}\n{VARIANT}\n")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("in.jsonl:3: a line follows the summary")
        );

        let err = parse("\n\n").unwrap_err();
        assert!(err.to_string().starts_with("in.jsonl: empty input"));

        let err = parse("not json\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("in.jsonl:1: not a valid stream line")
        );
    }
}
