//! Validation of one VCF data line against the header, following the VCF
//! 4.1-4.5 specifications. Runs in parallel over chunks of lines, so it
//! only reads the shared [`HeaderModel`] and allocates little.

use super::header::{FieldDef, HeaderModel, Number, ValueType, bad_contig_char, is_field_key};

/// Why a line is invalid; `relaxable` problems are accepted by `--lenient`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIssue {
    pub message: String,
    pub relaxable: bool,
}

fn hard(message: impl Into<String>) -> LineIssue {
    LineIssue {
        message: message.into(),
        relaxable: false,
    }
}

/// What the sequential checks (sort order, duplicates) need from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineKey {
    pub chrom: String,
    pub pos: u64,
    /// REF/ALT pairs after trimming shared bases, with their position;
    /// empty for symbolic alleles, which may legitimately repeat.
    pub trimmed_alleles: Vec<(u64, String, String)>,
    /// The line is valid but noodles cannot read it as written; see
    /// [`rewrite_for_noodles`].
    pub needs_rewrite: bool,
}

/// Rewrites what the specification allows but noodles does not read:
/// `FLAG=0`/`FLAG=1` INFO entries become `FLAG` (htslib sets the flag in
/// both cases), and empty sample values (VCF 4.5 zero-length values, an
/// omitted sample column) become missing (`.`).
pub fn rewrite_for_noodles(model: &HeaderModel, line: &str) -> String {
    let columns: Vec<&str> = line.split('\t').collect();
    let mut out: Vec<String> = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let rewritten = match i {
            7 => column
                .split(';')
                .map(|entry| match entry.split_once('=') {
                    Some((key, "0" | "1"))
                        if model.info(key).is_some_and(|d| d.ty == ValueType::Flag) =>
                    {
                        key
                    }
                    _ => entry,
                })
                .collect::<Vec<_>>()
                .join(";"),
            9.. => column
                .split(':')
                .map(|v| if v.is_empty() { "." } else { v })
                .collect::<Vec<_>>()
                .join(":"),
            _ => column.to_string(),
        };
        out.push(rewritten);
    }
    out.join("\t")
}

/// Validates a data line (without its line terminator). Relaxable issues
/// are pushed to `relaxed` when `lenient`, and returned otherwise.
pub fn validate(
    model: &HeaderModel,
    line: &str,
    lenient: bool,
    relaxed: &mut Vec<&'static str>,
) -> Result<LineKey, LineIssue> {
    let mut soft = |kind: &'static str, message: String| -> Result<(), LineIssue> {
        if lenient {
            relaxed.push(kind);
            Ok(())
        } else {
            Err(LineIssue {
                message: format!("{message} (--lenient accepts this)"),
                relaxable: true,
            })
        }
    };
    let columns: Vec<&str> = line.split('\t').collect();
    let expected = if model.has_format_column {
        9 + model.samples.len()
    } else {
        8
    };
    if columns.len() != expected {
        return Err(hard(format!(
            "expected {expected} tab-separated columns ({} sample{}), found {}",
            model.samples.len(),
            if model.samples.len() == 1 { "" } else { "s" },
            columns.len()
        )));
    }
    let (chrom, pos, id, reference, alt, qual, filter, info) = (
        columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6],
        columns[7],
    );

    if chrom.is_empty() {
        return Err(hard("empty CHROM"));
    }
    // `<ID>` names a contig of an assembly file (VCF 4.1-4.3).
    let bare_chrom = chrom
        .strip_prefix('<')
        .and_then(|c| c.strip_suffix('>'))
        .filter(|c| !c.is_empty())
        .unwrap_or(chrom);
    if let Some(c) = bad_contig_char(bare_chrom, model.version) {
        if c.is_whitespace() || matches!(c, ',' | '<' | '>' | '"' | '\'') || c.is_control() {
            return Err(hard(format!(
                "CHROM `{chrom}` contains the character {c:?}"
            )));
        }
        soft(
            "contig names with `:`, `*`, `[`, `]` or `=`",
            format!("CHROM `{chrom}` contains the character {c:?}"),
        )?;
    }

    if pos.is_empty() || !pos.bytes().all(|b| b.is_ascii_digit()) {
        return Err(hard(format!("POS `{pos}` is not a non-negative integer")));
    }
    let pos_value: u64 = pos
        .parse()
        .map_err(|_| hard(format!("POS `{pos}` is too large")))?;

    if id != "." {
        let ids: Vec<&str> = id.split(';').collect();
        for (k, one) in ids.iter().enumerate() {
            if one.is_empty() || one.chars().any(char::is_whitespace) {
                return Err(hard(format!("invalid ID `{id}`")));
            }
            if ids[..k].contains(one) {
                return Err(hard(format!("ID `{one}` is repeated")));
            }
        }
    }

    if reference.is_empty() || reference == "." {
        return Err(hard("REF is missing"));
    }
    if !reference.bytes().all(is_base) {
        if reference.bytes().all(|b| b.is_ascii_alphabetic()) {
            soft(
                "REF with IUPAC ambiguity codes",
                format!("REF `{reference}` has bases other than A, C, G, T, N"),
            )?;
        } else {
            return Err(hard(format!("REF `{reference}` is not a DNA sequence")));
        }
    }

    let mut needs_rewrite = false;
    let mut alt_count = 0usize;
    let mut trimmed_alleles = Vec::new();
    if alt != "." {
        for allele in alt.split(',') {
            alt_count += 1;
            check_alt(allele)?;
            if allele.bytes().all(is_base) {
                let (p, r, a) = trim(pos_value, reference, allele);
                trimmed_alleles.push((p, r.to_ascii_uppercase(), a.to_ascii_uppercase()));
            }
        }
    }

    if qual != "." {
        match qual.parse::<f32>() {
            Ok(q) if q >= 0.0 || q.is_nan() => {}
            _ => return Err(hard(format!("QUAL `{qual}` is not a non-negative number"))),
        }
    }

    if filter != "PASS" && filter != "." {
        let filters: Vec<&str> = filter.split(';').collect();
        for (k, f) in filters.iter().enumerate() {
            if f.is_empty() || *f == "." || f.chars().any(char::is_whitespace) {
                return Err(hard(format!("invalid FILTER `{filter}`")));
            }
            if *f == "0" {
                return Err(hard("FILTER `0` is reserved"));
            }
            if filters[..k].contains(f) {
                return Err(hard(format!("FILTER `{f}` is repeated")));
            }
        }
    }

    if info != "." {
        let mut keys: Vec<&str> = Vec::new();
        for entry in info.split(';') {
            let (key, value) = match entry.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (entry, None),
            };
            if !is_field_key(key) {
                return Err(hard(format!("invalid INFO key `{key}`")));
            }
            if keys.contains(&key) {
                return Err(hard(format!("INFO/{key} appears twice")));
            }
            keys.push(key);
            // Spaces inside INFO values are read by htslib and allowed by
            // VCF 4.3; only the key must not have any.
            let Some(def) = model.info(key) else {
                continue;
            };
            match (def.ty, value) {
                // htslib writes and accepts 0/1 for flags.
                (ValueType::Flag, None) => {}
                (ValueType::Flag, Some("0" | "1")) => needs_rewrite = true,
                (ValueType::Flag, Some(_)) => {
                    return Err(hard(format!(
                        "INFO/{key} is a Flag and cannot have a value"
                    )));
                }
                (_, None) => soft(
                    "INFO keys without a value",
                    format!("INFO/{key} has no value but is not a Flag"),
                )?,
                (_, Some(v)) => {
                    // htslib reads a String with Number=1 as one value, commas
                    // included; the reserved AA is an allele, though.
                    let single_text = def.ty == ValueType::String
                        && def.number == Number::Count(1)
                        && key != "AA";
                    let def = if single_text {
                        FieldDef {
                            number: Number::Unchecked,
                            ..def
                        }
                    } else {
                        def
                    };
                    check_values("INFO", key, def, v, alt_count, None).or_else(|issue| {
                        relax(
                            issue,
                            &mut soft,
                            "INFO values whose count disagrees with Number",
                        )
                    })?;
                    if key == "CIGAR" && def.number == Number::A {
                        for c in v.split(',') {
                            if c != "." && !is_cigar(c) {
                                return Err(hard(format!(
                                    "INFO/CIGAR `{c}` is not a CIGAR string"
                                )));
                            }
                        }
                    }
                }
            }
        }
    }

    if model.has_format_column && columns[8] == "." {
        // htslib writes FORMAT `.` for a record without sample data.
        if columns[9..].iter().any(|c| *c != ".") {
            return Err(hard("FORMAT is `.` but a sample has values"));
        }
        soft(
            "FORMAT `.` (no sample data)",
            "FORMAT is `.` instead of a list of keys".into(),
        )?;
    } else if model.has_format_column {
        let format = columns[8];
        let keys: Vec<&str> = format.split(':').collect();
        for (k, key) in keys.iter().enumerate() {
            if !is_field_key(key) {
                return Err(hard(format!("invalid FORMAT key `{key}`")));
            }
            // Before VCF 4.3 FORMAT keys are alphanumeric; `_`/`.` are
            // tolerated when the header declares the key (GATK's MIN_DP in
            // VCFv4.2 gVCFs), not in an undeclared key.
            if model.version < (4, 3)
                && !key.chars().all(|c| c.is_ascii_alphanumeric())
                && model.format(key).is_none()
            {
                return Err(hard(format!(
                    "FORMAT key `{key}` is not alphanumeric (VCF < 4.3) and has no ##FORMAT line"
                )));
            }
            if keys[..k].contains(key) {
                return Err(hard(format!("FORMAT/{key} appears twice")));
            }
            if *key == "GT" && k != 0 {
                return Err(hard("GT must be the first FORMAT key"));
            }
        }
        let defs: Vec<Option<FieldDef>> = keys.iter().map(|k| model.format(k)).collect();
        for (sample_index, sample) in columns[9..].iter().enumerate() {
            let name = &model.samples[sample_index];
            if sample.is_empty() {
                // VCF 4.5 allows an omitted sample column; read as missing.
                needs_rewrite = true;
                continue;
            }
            let values: Vec<&str> = sample.split(':').collect();
            if values.len() > keys.len() {
                return Err(hard(format!(
                    "sample {name} has {} values but FORMAT lists {} keys",
                    values.len(),
                    keys.len()
                )));
            }
            let mut ploidy = None;
            for (k, value) in values.iter().enumerate() {
                if keys[k] == "GT" {
                    ploidy = Some(
                        check_genotype(value, alt_count, model.version)
                            .map_err(|m| hard(format!("sample {name}: GT `{value}` {m}")))?,
                    );
                    continue;
                }
                let Some(def) = defs[k] else { continue };
                if value.is_empty() {
                    // VCF 4.5: a zero-length value; read as missing.
                    needs_rewrite = true;
                    continue;
                }
                check_values("FORMAT", keys[k], def, value, alt_count, Some(ploidy))
                    .map_err(|issue| LineIssue {
                        message: format!("sample {name}: {}", issue.message),
                        ..issue
                    })
                    .or_else(|issue| {
                        relax(
                            issue,
                            &mut soft,
                            "FORMAT values whose count disagrees with Number",
                        )
                    })?;
            }
        }
    }

    Ok(LineKey {
        chrom: chrom.to_string(),
        pos: pos_value,
        trimmed_alleles,
        needs_rewrite,
    })
}

fn relax(
    issue: LineIssue,
    soft: &mut impl FnMut(&'static str, String) -> Result<(), LineIssue>,
    kind: &'static str,
) -> Result<(), LineIssue> {
    if issue.relaxable {
        soft(kind, issue.message)
    } else {
        Err(issue)
    }
}

fn is_base(b: u8) -> bool {
    matches!(
        b,
        b'A' | b'C' | b'G' | b'T' | b'N' | b'a' | b'c' | b'g' | b't' | b'n'
    )
}

fn is_cigar(s: &str) -> bool {
    let mut digits = 0;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'M' | b'I' | b'D' | b'N' | b'S' | b'H' | b'P' | b'X' | b'=' if digits > 0 => {
                digits = 0
            }
            _ => return false,
        }
    }
    !s.is_empty() && digits == 0
}

/// Removes bases shared at the end, then at the start (keeping at least
/// one base each), so equivalent spellings of one allele compare equal.
fn trim<'a>(pos: u64, reference: &'a str, alt: &'a str) -> (u64, &'a str, &'a str) {
    let (mut r, mut a) = (reference.as_bytes(), alt.as_bytes());
    while r.len() > 1 && a.len() > 1 && r[r.len() - 1].eq_ignore_ascii_case(&a[a.len() - 1]) {
        r = &r[..r.len() - 1];
        a = &a[..a.len() - 1];
    }
    let mut start = 0;
    while r.len() - start > 1 && a.len() - start > 1 && r[start].eq_ignore_ascii_case(&a[start]) {
        start += 1;
    }
    (
        pos + start as u64,
        &reference[start..r.len()],
        &alt[start..a.len()],
    )
}

fn check_alt(allele: &str) -> Result<(), LineIssue> {
    let bad = || hard(format!("invalid ALT allele `{allele}`"));
    if allele.is_empty() {
        return Err(hard("empty ALT allele (a stray comma?)"));
    }
    if allele == "*" || allele.bytes().all(is_base) {
        return Ok(());
    }
    if let Some(inner) = allele.strip_prefix('<') {
        let inner = inner.strip_suffix('>').ok_or_else(bad)?;
        if inner.is_empty()
            || inner.contains(['<', '>', ','])
            || inner.contains(char::is_whitespace)
        {
            return Err(bad());
        }
        return Ok(());
    }
    if allele.contains(['[', ']']) {
        // t[p[  t]p]  ]p]t  [p[t
        let bracket = if allele.contains('[') { '[' } else { ']' };
        let parts: Vec<&str> = allele.split(bracket).collect();
        if parts.len() != 3 || allele.contains(if bracket == '[' { ']' } else { '[' }) {
            return Err(bad());
        }
        let (before, mate, after) = (parts[0], parts[1], parts[2]);
        let bases = match (before.is_empty(), after.is_empty()) {
            (false, true) => before,
            (true, false) => after,
            _ => {
                return Err(hard(format!(
                    "breakend `{allele}` needs bases on exactly one side"
                )));
            }
        };
        let mate_ok = mate.rsplit_once(':').is_some_and(|(c, p)| {
            !c.is_empty() && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
        });
        if !mate_ok || !bases.bytes().all(|b| is_base(b) || b == b'.') {
            return Err(bad());
        }
        return Ok(());
    }
    // Single breakends: .t and t.
    let single = allele
        .strip_prefix('.')
        .or_else(|| allele.strip_suffix('.'))
        .is_some_and(|t| !t.is_empty() && t.bytes().all(is_base));
    if single { Ok(()) } else { Err(bad()) }
}

/// Checks a GT value; returns its ploidy.
fn check_genotype(value: &str, alt_count: usize, version: (u8, u8)) -> Result<usize, String> {
    if value.is_empty() {
        return Err("is empty".into());
    }
    let mut rest = value;
    // VCF 4.4 allows an explicit phasing prefix on the first allele.
    if version >= (4, 4)
        && let Some(r) = rest.strip_prefix(['/', '|'])
    {
        rest = r;
    }
    let mut ploidy = 0;
    for allele in rest.split(['/', '|']) {
        ploidy += 1;
        if allele == "." {
            continue;
        }
        if allele.is_empty() || !allele.bytes().all(|b| b.is_ascii_digit()) {
            return Err("is not a valid genotype".into());
        }
        let index: usize = allele.parse().map_err(|_| "is not a valid genotype")?;
        // With ALT `.` some files still give genotypes; there is nothing to
        // check them against.
        if index > alt_count && alt_count > 0 {
            return Err(format!(
                "refers to allele {index} but the record has {alt_count} ALT allele{}",
                if alt_count == 1 { "" } else { "s" }
            ));
        }
    }
    Ok(ploidy)
}

fn genotype_count(alleles: usize, ploidy: usize) -> usize {
    // C(alleles + ploidy - 1, ploidy)
    let mut count = 1usize;
    for k in 0..ploidy {
        count = count * (alleles + k) / (k + 1);
    }
    count
}

/// Checks the comma-separated values of an INFO or FORMAT field against
/// its definition. `ploidy` is `Some(..)` for FORMAT fields: the ploidy
/// from GT when known. Count mismatches are relaxable; type errors are not.
fn check_values(
    column: &str,
    key: &str,
    def: FieldDef,
    value: &str,
    alt_count: usize,
    ploidy: Option<Option<usize>>,
) -> Result<(), LineIssue> {
    let values = value.split(',');
    let n = if value == "." {
        None
    } else {
        Some(value.split(',').count())
    };
    if let Some(n) = n {
        let allowed: &[usize] = &match def.number {
            Number::Count(c) => [c, c],
            // A site without ALT alleles may still carry per-allele values.
            Number::A | Number::R | Number::G if alt_count == 0 => [n, n],
            Number::A => [alt_count, alt_count],
            Number::R => [alt_count + 1, alt_count + 1],
            Number::G => match ploidy {
                Some(Some(p)) => {
                    let c = genotype_count(alt_count + 1, p);
                    [c, c]
                }
                // Unknown ploidy: haploid or diploid.
                _ => [
                    genotype_count(alt_count + 1, 1),
                    genotype_count(alt_count + 1, 2),
                ],
            },
            Number::Unchecked => [n, n],
        };
        if !allowed.contains(&n) {
            let expected = if allowed[0] == allowed[1] {
                allowed[0].to_string()
            } else {
                format!("{} or {}", allowed[0], allowed[1])
            };
            return Err(LineIssue {
                message: format!("{column}/{key} has {n} values, its Number requires {expected}"),
                relaxable: true,
            });
        }
    }
    for v in values {
        if v == "." {
            continue;
        }
        let ok = match def.ty {
            ValueType::Integer => match v.parse::<i64>() {
                Ok(i) => {
                    // -2^31 .. -2^31+7 are reserved by BCF for missing/end-of-vector.
                    i >= -2_147_483_640 && i <= i32::MAX as i64 && !(def.non_negative && i < 0)
                }
                Err(_) => false,
            },
            ValueType::Float => match v.parse::<f32>() {
                Ok(f) => !(def.non_negative && f < 0.0),
                Err(_) => false,
            },
            ValueType::Character => v.chars().count() == 1,
            ValueType::String => !v.chars().any(|c| c.is_control()),
            ValueType::Flag => false,
        };
        if !ok {
            let what = match def.ty {
                ValueType::Integer if def.non_negative => "a non-negative 32-bit integer",
                ValueType::Integer => "a 32-bit integer (outside BCF's reserved values)",
                ValueType::Float if def.non_negative => "a non-negative number",
                ValueType::Float => "a number",
                ValueType::Character => "a single character",
                ValueType::String => "text without control characters",
                ValueType::Flag => "absent (Flag)",
            };
            return Err(hard(format!("{column}/{key} value `{v}` is not {what}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::header;
    use super::*;

    fn model() -> HeaderModel {
        let text = "##fileformat=VCFv4.3\n\
            ##INFO=<ID=XA,Number=A,Type=Integer,Description=\"x\">\n\
            ##INFO=<ID=XR,Number=R,Type=Float,Description=\"x\">\n\
            ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"x\">\n\
            ##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"x\">\n\
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1";
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        header::validate(&lines, false, &mut Vec::new()).unwrap()
    }

    fn check(line: &str) -> Result<LineKey, LineIssue> {
        validate(&model(), line, false, &mut Vec::new())
    }

    #[test]
    fn accepts_valid_lines() {
        for line in [
            "1\t10\trs1;rs2\tAC\tA,ACC\t30.5\tPASS\tXA=1,2;XR=.,0.5,1e-3;DB\tGT:PL\t0/2:0,1,2,3,4,5",
            "1\t10\t.\tA\t<DEL>,*\t.\t.\t.\tGT\t1|2",
            "1\t10\t.\tA\tA[2:30[,]2:40]A,.A,A.\t.\tq10;q20\t.\tGT:PL\t.:.",
            "1\t0\t.\tN\t.\t.\t.\tEND=10\tGT\t0",
        ] {
            assert!(check(line).is_ok(), "{line}: {:?}", check(line));
        }
    }

    #[test]
    fn rejects_invalid_lines() {
        for line in [
            "1\t-1\t.\tA\tC\t.\t.\t.\tGT\t0/1",
            "1\t10\t.\tB\tC\t.\t.\t.\tGT\t0/1",
            "1\t10\t.\tA\tC,,G\t.\t.\t.\tGT\t0/1",
            "1\t10\t.\tA\t[1:100[\t.\t.\t.\tGT\t0/1",
            "1\t10\t.\tA\tC\t-1\t.\t.\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\tPASS;\t.\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\t.\tDB=2\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\t.\tXA=x\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\t.\tAC=-1\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\t.\tXA=-2147483648\tGT\t0/1",
            "1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/2",
            "1\t10\t.\tA\tC\t.\t.\t.\tPL:GT\t0:0/1",
            "1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1:5",
            "1\t10\t.\tA\tC\t.\t.\t.",
            "chr 1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1",
        ] {
            assert!(check(line).is_err(), "{line} accepted");
        }
    }

    #[test]
    fn undeclared_non_alphanumeric_format_keys_are_rejected_before_vcf_4_3() {
        let header = |version: &str| {
            let text = format!(
                "##fileformat=VCFv{version}\n\
                 ##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description=\"x\">\n\
                 #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1"
            );
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            header::validate(&lines, false, &mut Vec::new()).unwrap()
        };
        let undeclared = "1\t10\t.\tA\tC\t.\t.\t.\tGT:G_S\t0/1:1";
        let declared = "1\t10\t.\tA\tC\t.\t.\t.\tGT:MIN_DP\t0/1:1";
        let v42 = header("4.2");
        assert!(validate(&v42, undeclared, false, &mut Vec::new()).is_err());
        assert!(validate(&v42, declared, false, &mut Vec::new()).is_ok());
        let v43 = header("4.3");
        assert!(validate(&v43, undeclared, false, &mut Vec::new()).is_ok());
    }

    #[test]
    fn count_mismatches_are_relaxable() {
        let line = "1\t10\t.\tA\tC\t.\t.\tXA=1,2\tGT:PL\t0/1:1,2";
        let issue = check(line).unwrap_err();
        assert!(issue.relaxable);
        let mut relaxed = Vec::new();
        validate(&model(), line, true, &mut relaxed).unwrap();
        assert_eq!(relaxed.len(), 2);
    }

    #[test]
    fn trimmed_alleles_expose_duplicates_in_different_spellings() {
        let a = check("1\t123\t.\tTAT\tTGT\t.\t.\t.\tGT\t0/1").unwrap();
        let b = check("1\t124\t.\tA\tG\t.\t.\t.\tGT\t0/1").unwrap();
        assert_eq!(a.trimmed_alleles, b.trimmed_alleles);
        assert_eq!(genotype_count(3, 2), 6);
        assert_eq!(genotype_count(2, 1), 2);
    }
}
