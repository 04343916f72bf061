//! Validation of the VCF header (meta-information lines and the `#CHROM`
//! line), and the field definitions that record validation needs.
//!
//! noodles parses headers leniently; the checks here follow the VCF
//! 4.1-4.5 specifications (and the hts-specs conformance suite), so a
//! malformed header is reported with its line instead of being guessed at.

use std::collections::{HashMap, HashSet};

/// `Number=` of an INFO/FORMAT definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Count(usize),
    /// One per ALT allele.
    A,
    /// One per allele, REF included.
    R,
    /// One per possible genotype.
    G,
    /// Unknown, or a VCF 4.4+ local/ploidy count (`.`, `LA`, `LR`, `LG`,
    /// `P`, `M`), which is not checked.
    Unchecked,
}

impl Number {
    fn parse(s: &str, version: (u8, u8)) -> Option<Self> {
        Some(match s {
            "A" => Number::A,
            "R" => Number::R,
            "G" => Number::G,
            "." => Number::Unchecked,
            "LA" | "LR" | "LG" | "P" | "M" if version >= (4, 4) => Number::Unchecked,
            _ if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                Number::Count(s.parse().ok()?)
            }
            _ => return None,
        })
    }
}

/// `Type=` of an INFO/FORMAT definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Integer,
    Float,
    Flag,
    Character,
    String,
}

impl ValueType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Integer" => ValueType::Integer,
            "Float" => ValueType::Float,
            "Flag" => ValueType::Flag,
            "Character" => ValueType::Character,
            "String" => ValueType::String,
            _ => return None,
        })
    }
}

/// What the record validator needs to know about one INFO or FORMAT key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub number: Number,
    pub ty: ValueType,
    /// Counts and frequencies the specification reserves cannot be negative.
    pub non_negative: bool,
}

const fn def(number: Number, ty: ValueType, non_negative: bool) -> FieldDef {
    FieldDef {
        number,
        ty,
        non_negative,
    }
}

/// INFO keys reserved by the specification, with their required Number and
/// Type; they apply even when the header does not define them.
pub fn reserved_info(key: &str) -> Option<FieldDef> {
    use Number::*;
    use ValueType::*;
    Some(match key {
        "AA" => def(Count(1), String, false),
        "AC" => def(A, Integer, true),
        "AD" | "ADF" | "ADR" => def(R, Integer, true),
        "AF" => def(A, Float, true),
        "AN" => def(Count(1), Integer, true),
        "BQ" => def(Count(1), Float, false),
        "CIGAR" => def(A, String, false),
        "DB" | "H2" | "H3" | "SOMATIC" | "VALIDATED" | "1000G" => def(Count(0), Flag, false),
        "DP" => def(Count(1), Integer, true),
        "END" => def(Count(1), Integer, true),
        "MQ" => def(Count(1), Float, false),
        "MQ0" => def(Count(1), Integer, true),
        "NS" => def(Count(1), Integer, true),
        _ => return None,
    })
}

/// Redefinitions of reserved keys that widely used callers write, accepted
/// without `--lenient` (with a warning) so their VCFs load as they come.
/// Everything else that contradicts the specification needs `--lenient`.
fn caller_redefinition(key: &str, id: &str, ty: ValueType) -> Option<&'static str> {
    match (key, id, ty) {
        // freebayes: `##FORMAT=<ID=GQ,Number=1,Type=Float,...>`
        ("FORMAT", "GQ", ValueType::Float) => Some("FreeBayes"),
        _ => None,
    }
}

/// FORMAT keys reserved by the specification.
pub fn reserved_format(key: &str) -> Option<FieldDef> {
    use Number::*;
    use ValueType::*;
    Some(match key {
        "AD" | "ADF" | "ADR" => def(R, Integer, true),
        "DP" => def(Count(1), Integer, true),
        "EC" => def(A, Integer, true),
        "FT" => def(Count(1), String, false),
        "GL" | "GP" => def(G, Float, false),
        "GLE" => def(G, String, false),
        "GQ" => def(Count(1), Integer, false),
        "GT" => def(Count(1), String, false),
        "HQ" => def(Count(2), Integer, false),
        "MQ" => def(Count(1), Integer, false),
        "PL" => def(G, Integer, false),
        "PQ" => def(Count(1), Integer, false),
        "PS" => def(Count(1), Integer, false),
        _ => return None,
    })
}

/// The parts of a validated header that record validation uses.
#[derive(Debug, Clone, Default)]
pub struct HeaderModel {
    /// `(4, 3)` for `VCFv4.3`.
    pub version: (u8, u8),
    pub infos: HashMap<String, FieldDef>,
    pub formats: HashMap<String, FieldDef>,
    pub contigs: HashSet<String>,
    pub samples: Vec<String>,
    /// Whether the `#CHROM` line has a FORMAT column.
    pub has_format_column: bool,
    /// Deviations accepted without `--lenient` because widely used callers
    /// write them (reported to the user, never silent).
    pub warnings: Vec<String>,
}

impl HeaderModel {
    pub fn info(&self, key: &str) -> Option<FieldDef> {
        self.infos.get(key).copied().or_else(|| reserved_info(key))
    }

    pub fn format(&self, key: &str) -> Option<FieldDef> {
        self.formats
            .get(key)
            .copied()
            .or_else(|| reserved_format(key))
    }
}

/// A header problem: the 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderIssue {
    pub line: u64,
    pub message: String,
    /// `--lenient` accepts it (and reports it).
    pub relaxable: bool,
}

/// Validates header lines (without line terminators; the last one is the
/// `#CHROM` line). Relaxable issues are returned in `relaxed` when
/// `lenient`, and as the error otherwise.
pub fn validate(
    lines: &[String],
    lenient: bool,
    relaxed: &mut Vec<String>,
) -> Result<HeaderModel, HeaderIssue> {
    let mut model = HeaderModel::default();
    let fail = |line: usize, message: String| HeaderIssue {
        line: line as u64 + 1,
        message,
        relaxable: false,
    };
    let Some(first) = lines.first() else {
        return Err(fail(0, "empty input: no VCF header".into()));
    };
    let version = first
        .strip_prefix("##fileformat=VCFv")
        .and_then(|v| v.split_once('.'))
        .and_then(|(major, minor)| Some((major.parse::<u8>().ok()?, minor.parse::<u8>().ok()?)))
        .filter(|&(major, minor)| major == 4 && minor <= 5);
    model.version = match version {
        Some(v) => v,
        None if first.starts_with("##fileformat=") => {
            return Err(fail(
                0,
                format!(
                    "unsupported or malformed file format `{first}` (expected ##fileformat=VCFv4.0 to VCFv4.5)"
                ),
            ));
        }
        None => {
            return Err(fail(
                0,
                "the first line must be ##fileformat=VCFv4.x: this is not a VCF file".into(),
            ));
        }
    };
    let mut issue = |line: usize, message: String| -> Result<(), HeaderIssue> {
        if lenient {
            relaxed.push(format!("header line {}: {message}", line + 1));
            Ok(())
        } else {
            Err(HeaderIssue {
                line: line as u64 + 1,
                message: format!("{message} (--lenient accepts this)"),
                relaxable: true,
            })
        }
    };

    let last = lines.len() - 1;
    for (i, line) in lines.iter().enumerate().take(last).skip(1) {
        let Some(meta) = line.strip_prefix("##") else {
            return Err(fail(
                i,
                "header line does not start with `##` (a broken meta-information line?)".into(),
            ));
        };
        let Some((key, value)) = meta.split_once('=') else {
            return Err(fail(
                i,
                "meta-information line is not a `##key=value` pair".into(),
            ));
        };
        if !is_meta_key(key) {
            return Err(fail(i, format!("invalid meta-information key `{key}`")));
        }
        if value.is_empty() {
            return Err(fail(i, format!("##{key} has an empty value")));
        }
        let structured_key = matches!(
            key,
            "INFO" | "FORMAT" | "FILTER" | "ALT" | "contig" | "SAMPLE" | "PEDIGREE" | "META"
        );
        if key == "fileformat" {
            return Err(fail(i, "a second ##fileformat line".into()));
        }
        if !value.starts_with('<') {
            if structured_key {
                return Err(fail(
                    i,
                    format!("##{key} must be a structured `<ID=...>` line"),
                ));
            }
            if matches!(key, "assembly" | "pedigreeDB") && !is_plausible_url(value) {
                return Err(fail(i, format!("##{key} is not a valid URL: `{value}`")));
            }
            continue;
        }
        let fields = match parse_structured(value) {
            Ok(fields) => fields,
            // Other keys may hold any text that happens to start with `<`.
            Err(_) if !structured_key && key != "pedigreeDB" => continue,
            Err(m) => return Err(fail(i, format!("##{key}: {m}"))),
        };
        if key == "pedigreeDB" {
            match fields.first() {
                None => return Err(fail(i, "##pedigreeDB is empty".into())),
                Some(_) => continue,
            }
        }
        if !structured_key {
            continue;
        }
        let get = |name: &str| fields.iter().find(|f| f.key == name);
        let position = |name: &str| fields.iter().position(|f| f.key == name);
        let id = match get("ID") {
            Some(f) if !f.value.is_empty() => f.value.as_str(),
            _ if key == "PEDIGREE" && model.version < (4, 3) => "",
            _ => return Err(fail(i, format!("##{key} has no ID"))),
        };
        if fields.iter().any(|f| f.key == "Description" && !f.quoted) {
            issue(
                i,
                format!("##{key} ID={id}: Description must be in double quotes"),
            )?;
        }
        match key {
            "INFO" | "FORMAT" | "ALT" | "META" => {
                // ID, Number, Type, Description must come in this order.
                let order: Vec<Option<usize>> = ["ID", "Number", "Type", "Description", "Values"]
                    .iter()
                    .map(|n| position(n))
                    .collect();
                let present: Vec<usize> = order.iter().flatten().copied().collect();
                if present.windows(2).any(|w| w[0] > w[1]) || position("ID") != Some(0) {
                    return Err(fail(
                        i,
                        format!(
                            "##{key} ID={id}: fields must come in the order ID, Number, Type, Description"
                        ),
                    ));
                }
            }
            _ => {}
        }
        match key {
            "INFO" | "FORMAT" => {
                if !is_field_key(id) {
                    return Err(fail(i, format!("##{key}: invalid ID `{id}`")));
                }
                let (Some(number), Some(ty), Some(_)) =
                    (get("Number"), get("Type"), get("Description"))
                else {
                    return Err(fail(
                        i,
                        format!("##{key} ID={id}: Number, Type and Description are required"),
                    ));
                };
                let Some(number) = Number::parse(&number.value, model.version) else {
                    return Err(fail(
                        i,
                        format!("##{key} ID={id}: invalid Number `{}`", number.value),
                    ));
                };
                let ty_value = ty.value.as_str();
                let Some(ty) = ValueType::parse(ty_value)
                    .filter(|t| !(key == "FORMAT" && *t == ValueType::Flag))
                else {
                    return Err(fail(
                        i,
                        format!("##{key} ID={id}: invalid Type `{ty_value}`"),
                    ));
                };
                let reserved = if key == "INFO" {
                    reserved_info(id)
                } else {
                    reserved_format(id)
                };
                let mut field = FieldDef {
                    number,
                    ty,
                    non_negative: false,
                };
                if let Some(r) = reserved {
                    // MQ's Type differs between versions; only its Number is fixed.
                    let type_matters = !(key == "INFO" && id == "MQ");
                    if r.number != number {
                        issue(
                            i,
                            format!(
                                "##{key} ID={id} is reserved by the VCF specification as Number={}, Type={:?}",
                                number_str(r.number),
                                r.ty
                            ),
                        )?;
                    } else if type_matters && r.ty != ty {
                        match caller_redefinition(key, id, ty) {
                            // A widely used caller writes this: read values as
                            // the file declares them and tell the user.
                            Some(caller) => model.warnings.push(format!(
                                "header line {}: ##{key} ID={id} is declared Type={:?} (as {caller} writes it); the VCF specification reserves Type={:?}. Values are read as declared.",
                                i + 1,
                                ty,
                                r.ty
                            )),
                            None => issue(
                                i,
                                format!(
                                    "##{key} ID={id} is reserved by the VCF specification as Number={}, Type={:?}",
                                    number_str(r.number),
                                    r.ty
                                ),
                            )?,
                        }
                    } else {
                        field.non_negative = r.non_negative;
                    }
                }
                if key == "INFO" {
                    model.infos.insert(id.to_string(), field);
                } else {
                    model.formats.insert(id.to_string(), field);
                }
            }
            "ALT" => {
                if id
                    .chars()
                    .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '>')
                {
                    return Err(fail(i, format!("##ALT: invalid ID `{id}`")));
                }
                if let Some((prefix, _)) = id.split_once(':')
                    && !matches!(prefix, "DEL" | "INS" | "DUP" | "INV" | "CNV")
                {
                    return Err(fail(
                        i,
                        format!(
                            "##ALT ID={id}: a structured ID must start with DEL, INS, DUP, INV or CNV"
                        ),
                    ));
                }
                if let Some(n) = get("Number")
                    && Number::parse(&n.value, model.version).is_none()
                {
                    return Err(fail(
                        i,
                        format!("##ALT ID={id}: invalid Number `{}`", n.value),
                    ));
                }
                if let Some(t) = get("Type")
                    && ValueType::parse(&t.value).is_none()
                {
                    return Err(fail(
                        i,
                        format!("##ALT ID={id}: invalid Type `{}`", t.value),
                    ));
                }
            }
            "contig" => {
                if let Some(bad) = bad_contig_char(id, model.version) {
                    let message = format!("##contig: ID `{id}` contains the character {bad:?}");
                    // VCF 4.3's grammar allows these after the first
                    // character (HLA contigs of GRCh38 use `*` and `:`).
                    if matches!(bad, ':' | '*' | '[' | ']' | '=') {
                        issue(i, message)?;
                    } else {
                        return Err(fail(i, message));
                    }
                }
                model.contigs.insert(id.to_string());
            }
            "SAMPLE" => {
                if id
                    .chars()
                    .any(|c| c.is_whitespace() || c == ',' || c == '*')
                {
                    return Err(fail(i, format!("##SAMPLE: invalid ID `{id}`")));
                }
                if model.version < (4, 3) && get("Genomes").is_none() {
                    return Err(fail(i, format!("##SAMPLE ID={id}: Genomes is required")));
                }
                if model.version < (4, 3)
                    && fields.iter().any(|f| f.quoted && f.key != "Description")
                {
                    return Err(fail(
                        i,
                        format!("##SAMPLE ID={id}: only Description may be quoted"),
                    ));
                }
            }
            "PEDIGREE" => {
                for f in &fields {
                    if f.value
                        .chars()
                        .any(|c| c.is_whitespace() || c == ':' || c == ',')
                    {
                        return Err(fail(
                            i,
                            format!("##PEDIGREE: invalid value `{}` for {}", f.value, f.key),
                        ));
                    }
                }
            }
            "META" => {
                if let Some(n) = get("Number")
                    && n.value != "."
                    && n.value.parse::<usize>().is_err()
                {
                    return Err(fail(
                        i,
                        format!("##META ID={id}: invalid Number `{}`", n.value),
                    ));
                }
                if let Some(t) = get("Type")
                    && !matches!(
                        t.value.as_str(),
                        "Integer" | "Float" | "String" | "Character"
                    )
                {
                    return Err(fail(
                        i,
                        format!("##META ID={id}: invalid Type `{}`", t.value),
                    ));
                }
                if let Some(v) = get("Values")
                    && !(v.value.starts_with('[') && v.value.ends_with(']'))
                {
                    return Err(fail(i, format!("##META ID={id}: Values must be a [list]")));
                }
            }
            _ => {}
        }
    }

    let columns: Vec<&str> = lines[last].split('\t').collect();
    const FIXED: [&str; 8] = [
        "#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
    ];
    if !lines[last].starts_with("#CHROM") {
        return Err(fail(last, "missing the #CHROM header line".into()));
    }
    if columns.len() < 8 || columns[..8] != FIXED {
        return Err(fail(
            last,
            "the #CHROM line must list #CHROM POS ID REF ALT QUAL FILTER INFO separated by tabs"
                .into(),
        ));
    }
    if columns.len() > 8 {
        if columns[8] != "FORMAT" {
            return Err(fail(
                last,
                "the 9th column of the #CHROM line must be FORMAT".into(),
            ));
        }
        if columns.len() == 9 {
            return Err(fail(
                last,
                "the #CHROM line has a FORMAT column but no sample".into(),
            ));
        }
        model.has_format_column = true;
        let mut seen = HashSet::new();
        for name in &columns[9..] {
            if name.is_empty() {
                return Err(fail(last, "empty sample name in the #CHROM line".into()));
            }
            if !seen.insert(*name) {
                return Err(fail(last, format!("sample name `{name}` appears twice")));
            }
            model.samples.push(name.to_string());
        }
    }
    Ok(model)
}

fn number_str(n: Number) -> String {
    match n {
        Number::Count(c) => c.to_string(),
        Number::A => "A".into(),
        Number::R => "R".into(),
        Number::G => "G".into(),
        Number::Unchecked => ".".into(),
    }
}

/// A character not allowed in a contig name (VCF 4.3 restricts more than
/// earlier versions; `:` would also make `chr:pos` regions ambiguous).
pub fn bad_contig_char(name: &str, version: (u8, u8)) -> Option<char> {
    name.chars().find(|&c| {
        c.is_whitespace()
            || matches!(c, ',' | '<' | '>' | ':' | '"' | '\'' | '[' | ']' | '=')
            || (version >= (4, 3) && c == '*')
            || c.is_control()
    })
}

fn is_meta_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// INFO/FORMAT key syntax: `[A-Za-z_][0-9A-Za-z_.]*`, or `1000G`.
pub fn is_field_key(key: &str) -> bool {
    if key == "1000G" {
        return true;
    }
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
}

/// `scheme://host[:port]/...` with a dotted host name or address; a bare
/// file name is accepted too.
fn is_plausible_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return !value.chars().any(char::is_whitespace);
    };
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    // A host name has a letter (`8080` is a port, not a host) unless it is
    // a dotted address.
    (host.chars().any(|c| c.is_ascii_alphabetic()) || host.contains('.'))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && !value.chars().any(char::is_whitespace)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuredField {
    pub key: String,
    pub value: String,
    pub quoted: bool,
}

/// Parses `<key=value,key="quoted, \"escaped\"",key=[a, b]>`.
pub fn parse_structured(value: &str) -> Result<Vec<StructuredField>, String> {
    let Some(inner) = value.strip_prefix('<') else {
        return Err("a structured value must start with `<`".into());
    };
    let Some(inner) = inner.strip_suffix('>') else {
        return Err("the structured value is not closed by `>`".into());
    };
    let bytes = inner.as_bytes();
    let mut fields = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let key_end = inner[at..]
            .find(['=', ','])
            .map(|p| at + p)
            .unwrap_or(bytes.len());
        if key_end == bytes.len() || bytes[key_end] != b'=' {
            return Err(format!("`{}` is not a key=value pair", &inner[at..key_end]));
        }
        let key = &inner[at..key_end];
        if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c == '"') {
            return Err(format!("invalid key `{key}`"));
        }
        at = key_end + 1;
        let (value, quoted) = if bytes.get(at) == Some(&b'"') {
            let mut out = String::new();
            let mut i = at + 1;
            let mut closed = false;
            let mut chars = inner[i..].char_indices();
            while let Some((off, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            out.push(next);
                        }
                    }
                    '"' => {
                        i += off + 1;
                        closed = true;
                        break;
                    }
                    _ => out.push(c),
                }
            }
            if !closed {
                return Err(format!("the quoted value of {key} is not closed"));
            }
            if i < bytes.len() && bytes[i] != b',' {
                return Err(format!(
                    "unexpected text after the quoted value of {key} (an unescaped quote?)"
                ));
            }
            at = i;
            (out, true)
        } else if bytes.get(at) == Some(&b'[') {
            let close = inner[at..]
                .find(']')
                .map(|p| at + p)
                .ok_or_else(|| format!("the [list] of {key} is not closed"))?;
            let v = inner[at..=close].to_string();
            at = close + 1;
            if at < bytes.len() && bytes[at] != b',' {
                return Err(format!("unexpected text after the list of {key}"));
            }
            (v, false)
        } else {
            let end = inner[at..].find(',').map(|p| at + p).unwrap_or(bytes.len());
            let v = inner[at..end].to_string();
            at = end;
            (v, false)
        };
        fields.push(StructuredField {
            key: key.to_string(),
            value,
            quoted,
        });
        if at < bytes.len() {
            at += 1; // the comma
            if at == bytes.len() {
                return Err("trailing comma".into());
            }
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn check(text: &str) -> Result<HeaderModel, HeaderIssue> {
        validate(&lines(text), false, &mut Vec::new())
    }

    const CHROM: &str = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";

    #[test]
    fn parses_structured_values_with_quotes_and_lists() {
        let fields =
            parse_structured(r#"<ID=X,Description="a, \"b\"",Values=[a, b],Other=c=d>"#).unwrap();
        assert_eq!(fields[1].value, r#"a, "b""#);
        assert!(fields[1].quoted);
        assert_eq!(fields[2].value, "[a, b]");
        assert_eq!(fields[3].value, "c=d");
        assert!(parse_structured(r#"<ID=X,Description="a "b" c">"#).is_err());
        assert!(parse_structured(r#"<ID=X,Description="open>"#).is_err());
        assert!(parse_structured("<ID=X,Description=\"x\"").is_err());
    }

    #[test]
    fn accepts_a_good_header_and_collects_definitions() {
        let model = check(&format!(
            "##fileformat=VCFv4.3\n##INFO=<ID=XX,Number=A,Type=Integer,Description=\"x\">\n\
             ##contig=<ID=chr1,length=10>\n{CHROM}\tFORMAT\ts1\ts2"
        ))
        .unwrap();
        assert_eq!(model.version, (4, 3));
        assert_eq!(model.info("XX").unwrap().number, Number::A);
        assert_eq!(model.info("DP").unwrap().ty, ValueType::Integer);
        assert_eq!(model.samples, ["s1", "s2"]);
        assert!(model.contigs.contains("chr1"));
    }

    #[test]
    fn rejects_bad_meta_lines_with_their_line_number() {
        let bad = [
            "##INFO=<ID=DP,Number=N,Type=Integer,Description=\"x\">",
            "##INFO=<ID=DP,Number=1,Type=Int,Description=\"x\">",
            "##INFO=<ID=DP,Number=1,Type=Integer,Description=x>",
            "##INFO=<Number=1,Type=Integer,Description=\"x\",ID=DP>",
            "##INFO=<ID=AC,Number=1,Type=Integer,Description=\"x\">",
            "##contig=<ID=chr 1>",
            "##ALT=<ID=FOO:BAR,Description=\"x\">",
            "##Some text",
            "##reference=",
            "30NFO=<ID=X>",
        ];
        for line in bad {
            let err = check(&format!("##fileformat=VCFv4.3\n{line}\n{CHROM}")).unwrap_err();
            assert_eq!(err.line, 2, "{line}: {err:?}");
        }
    }

    #[test]
    fn lenient_accepts_and_reports_reserved_redefinitions() {
        let text = format!(
            "##fileformat=VCFv4.2\n##FORMAT=<ID=AD,Number=.,Type=Integer,Description=\"x\">\n{CHROM}"
        );
        assert!(check(&text).unwrap_err().relaxable);
        let mut relaxed = Vec::new();
        validate(&lines(&text), true, &mut relaxed).unwrap();
        assert_eq!(relaxed.len(), 1);
        assert!(relaxed[0].contains("AD"), "{relaxed:?}");
    }

    #[test]
    fn a_reserved_key_with_another_type_is_read_as_declared_with_a_warning() {
        // FreeBayes declares FORMAT/GQ as Float (the specification: Integer).
        let text = format!(
            "##fileformat=VCFv4.2\n##FORMAT=<ID=GQ,Number=1,Type=Float,Description=\"x\">\n{CHROM}"
        );
        let model = check(&text).unwrap();
        assert_eq!(model.format("GQ").unwrap().ty, ValueType::Float);
        assert_eq!(model.warnings.len(), 1);
        assert!(model.warnings[0].contains("GQ"), "{:?}", model.warnings);
    }

    #[test]
    fn checks_the_chrom_line() {
        assert!(
            check("##fileformat=VCFv4.3\n#CHROM\tPOSITION\tID\tREF\tALT\tQUAL\tFILTER\tINFO")
                .is_err()
        );
        assert!(check(&format!("##fileformat=VCFv4.3\n{CHROM}\tFORMAT")).is_err());
        assert!(check(&format!("##fileformat=VCFv4.3\n{CHROM}\tFORMAT\ta\ta")).is_err());
        assert!(check(&format!("##fileformat=VCF v4.3\n{CHROM}")).is_err());
        assert!(check(&format!("##fileformat=VCFv4.5\n{CHROM}")).is_ok());
    }
}
