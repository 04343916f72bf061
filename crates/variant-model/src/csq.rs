//! The `INFO/CSQ` field in Ensembl VEP's layout: the header `Format:` line,
//! and conversion of [`TranscriptConsequence`]s to and from its entries, so
//! that tools written for VEP output (vcf2maf, PCGR, bcftools +split-vep)
//! read vcf-annotate's VCF unchanged.

use crate::consequence::{FeatureNumber, PositionRange, SoTerm, Strand, TranscriptConsequence};

/// CSQ sub-fields in VEP's own order (VEP `--vcf` output with `--hgvs
/// --hgvsg --flag_pick --variant_class --symbol --canonical --mane --tsl
/// --ccds --protein`), so readers indexing fields by name or position work.
pub const CSQ_FIELDS: &[&str] = &[
    "Allele",
    "Consequence",
    "IMPACT",
    "SYMBOL",
    "Gene",
    "Feature_type",
    "Feature",
    "BIOTYPE",
    "EXON",
    "INTRON",
    "HGVSc",
    "HGVSp",
    "cDNA_position",
    "CDS_position",
    "Protein_position",
    "Amino_acids",
    "Codons",
    "Existing_variation",
    "DISTANCE",
    "STRAND",
    "FLAGS",
    "PICK",
    "VARIANT_CLASS",
    "SYMBOL_SOURCE",
    "HGNC_ID",
    "CANONICAL",
    "MANE_SELECT",
    "MANE_PLUS_CLINICAL",
    "TSL",
    "CCDS",
    "ENSP",
    "SOURCE",
    "HGVS_OFFSET",
    "HGVSg",
];

/// The `##INFO=<ID=CSQ,...>` description, ending in VEP's `Format: ` list.
pub fn csq_header_description(tool: &str) -> String {
    format!(
        "Consequence annotations from {tool}. Format: {}",
        CSQ_FIELDS.join("|")
    )
}

/// Escapes a value as VEP does inside a CSQ entry: separators of the VCF
/// INFO column and of CSQ itself must not appear raw.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_escaped(&mut out, value);
    out
}

/// Appends `value` escaped as [`escape_value`] does.
fn push_escaped(out: &mut String, value: &str) {
    // Most values need no escaping: copy them whole.
    let plain = |b: &u8| b.is_ascii_graphic() && !matches!(b, b',' | b'|' | b';' | b'=');
    if value.as_bytes().iter().all(plain) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            ',' | '|' => out.push('&'),
            ';' => out.push_str("%3B"),
            '=' => out.push_str("%3D"),
            c if c.is_whitespace() => out.push('_'),
            c => out.push(c),
        }
    }
}

/// Reverses [`escape_value`] for the percent-encoded characters.
pub fn unescape_value(value: &str) -> String {
    value.replace("%3B", ";").replace("%3D", "=")
}

fn push_opt(out: &mut String, value: &Option<String>) {
    if let Some(v) = value {
        push_escaped(out, v);
    }
}

/// Appends escaped values joined by `&`.
fn push_list(out: &mut String, values: &[String]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_escaped(out, v);
    }
}

/// Appends a [`PositionRange`] as [`PositionRange::to_vep`] writes it.
fn push_range(out: &mut String, range: Option<PositionRange>) {
    use std::fmt::Write;
    let Some(range) = range else { return };
    match (range.start, range.end) {
        (Some(s), Some(e)) if s == e => write!(out, "{s}"),
        (s, e) => match s {
            Some(s) => write!(out, "{s}"),
            None => write!(out, "?"),
        }
        .and_then(|_| out.write_char('-'))
        .and_then(|_| match e {
            Some(e) => write!(out, "{e}"),
            None => write!(out, "?"),
        }),
    }
    .expect("writing to a String cannot fail");
}

/// Appends a [`FeatureNumber`] as [`FeatureNumber::to_vep`] writes it.
fn push_number(out: &mut String, number: Option<FeatureNumber>) {
    use std::fmt::Write;
    let Some(n) = number else { return };
    if n.first == n.last {
        write!(out, "{}/{}", n.first, n.total)
    } else {
        write!(out, "{}-{}/{}", n.first, n.last, n.total)
    }
    .expect("writing to a String cannot fail");
}

/// Formats one consequence as a CSQ entry (fields joined by `|`).
pub fn format_entry(c: &TranscriptConsequence) -> String {
    let mut out = String::with_capacity(256);
    write_entry(c, &mut out);
    out
}

/// Appends one consequence as a CSQ entry (as [`format_entry`] makes it)
/// to `out`, without allocating per field.
pub fn write_entry(c: &TranscriptConsequence, out: &mut String) {
    use std::fmt::Write;
    push_escaped(out, &c.allele);
    out.push('|');
    for (i, t) in c.consequences.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(t.as_str());
    }
    out.push('|');
    if let Some(impact) = c.impact {
        out.push_str(impact.as_str());
    }
    out.push('|');
    push_opt(out, &c.symbol);
    out.push('|');
    push_opt(out, &c.gene);
    out.push('|');
    push_opt(out, &c.feature_type);
    out.push('|');
    push_opt(out, &c.feature);
    out.push('|');
    push_opt(out, &c.biotype);
    out.push('|');
    push_number(out, c.exon);
    out.push('|');
    push_number(out, c.intron);
    out.push('|');
    push_opt(out, &c.hgvsc);
    out.push('|');
    push_opt(out, &c.hgvsp);
    out.push('|');
    push_range(out, c.cdna_position);
    out.push('|');
    push_range(out, c.cds_position);
    out.push('|');
    push_range(out, c.protein_position);
    out.push('|');
    push_opt(out, &c.amino_acids);
    out.push('|');
    push_opt(out, &c.codons);
    out.push('|');
    push_list(out, &c.existing_variation);
    out.push('|');
    if let Some(d) = c.distance {
        write!(out, "{d}").expect("writing to a String cannot fail");
    }
    out.push('|');
    if let Some(s) = c.strand {
        out.push_str(s.as_vep());
    }
    out.push('|');
    push_list(out, &c.flags);
    out.push('|');
    if c.pick {
        out.push('1');
    }
    out.push('|');
    push_opt(out, &c.variant_class);
    out.push('|');
    push_opt(out, &c.symbol_source);
    out.push('|');
    push_opt(out, &c.hgnc_id);
    out.push('|');
    if c.canonical {
        out.push_str("YES");
    }
    out.push('|');
    push_opt(out, &c.mane_select);
    out.push('|');
    push_opt(out, &c.mane_plus_clinical);
    out.push('|');
    push_opt(out, &c.tsl);
    out.push('|');
    push_opt(out, &c.ccds);
    out.push('|');
    push_opt(out, &c.ensp);
    out.push('|');
    push_opt(out, &c.source);
    out.push('|');
    if let Some(o) = c.hgvs_offset {
        write!(out, "{o}").expect("writing to a String cannot fail");
    }
    out.push('|');
    push_opt(out, &c.hgvsg);
}

/// Formats all consequences of one allele as the `INFO/CSQ` value.
pub fn format_csq(consequences: &[TranscriptConsequence]) -> String {
    consequences
        .iter()
        .map(format_entry)
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsqParseError {
    #[error("the CSQ header has no `Format:` field list")]
    MissingFormat,
    #[error("CSQ entry has {found} fields, the header declares {expected}")]
    FieldCount { expected: usize, found: usize },
    #[error("CSQ field {field} has an invalid value `{value}`")]
    BadValue { field: &'static str, value: String },
}

/// Field layout of a CSQ header, which may come from VEP itself (any
/// subset or order of fields) or from vcf-annotate.
#[derive(Debug, Clone)]
pub struct CsqLayout {
    pub fields: Vec<String>,
}

impl CsqLayout {
    /// Reads the field list after `Format:` in a CSQ header description.
    pub fn from_description(description: &str) -> Result<Self, CsqParseError> {
        let (_, list) = description
            .split_once("Format: ")
            .ok_or(CsqParseError::MissingFormat)?;
        let fields = list
            .trim()
            .trim_end_matches('"')
            .split('|')
            .map(str::to_string)
            .collect();
        Ok(Self { fields })
    }

    pub fn ours() -> Self {
        Self {
            fields: CSQ_FIELDS.iter().map(|f| f.to_string()).collect(),
        }
    }

    /// Parses one CSQ entry. Unknown fields are ignored; unknown
    /// consequence terms are an error so a misread is never silent.
    pub fn parse_entry(&self, entry: &str) -> Result<TranscriptConsequence, CsqParseError> {
        let values: Vec<&str> = entry.split('|').collect();
        if values.len() != self.fields.len() {
            return Err(CsqParseError::FieldCount {
                expected: self.fields.len(),
                found: values.len(),
            });
        }
        let mut c = TranscriptConsequence::default();
        let some = |v: &str| (!v.is_empty()).then(|| unescape_value(v));
        let list = |v: &str| -> Vec<String> {
            v.split('&')
                .filter(|s| !s.is_empty())
                .map(unescape_value)
                .collect()
        };
        for (name, value) in self.fields.iter().zip(values) {
            match name.as_str() {
                "Allele" => c.allele = value.to_string(),
                "Consequence" => {
                    c.consequences = value
                        .split('&')
                        .filter(|s| !s.is_empty())
                        .map(|t| {
                            t.parse::<SoTerm>().map_err(|_| CsqParseError::BadValue {
                                field: "Consequence",
                                value: t.to_string(),
                            })
                        })
                        .collect::<Result<_, _>>()?
                }
                "IMPACT" if !value.is_empty() => {
                    c.impact = Some(value.parse().map_err(|_| CsqParseError::BadValue {
                        field: "IMPACT",
                        value: value.to_string(),
                    })?)
                }
                "SYMBOL" => c.symbol = some(value),
                "Gene" => c.gene = some(value),
                "Feature_type" => c.feature_type = some(value),
                "Feature" => c.feature = some(value),
                "BIOTYPE" => c.biotype = some(value),
                "EXON" if !value.is_empty() => {
                    c.exon = Some(FeatureNumber::from_vep(value).ok_or(
                        CsqParseError::BadValue {
                            field: "EXON",
                            value: value.to_string(),
                        },
                    )?)
                }
                "INTRON" if !value.is_empty() => {
                    c.intron = Some(FeatureNumber::from_vep(value).ok_or(
                        CsqParseError::BadValue {
                            field: "INTRON",
                            value: value.to_string(),
                        },
                    )?)
                }
                "HGVSc" => c.hgvsc = some(value),
                "HGVSp" => c.hgvsp = some(value),
                "HGVSg" => c.hgvsg = some(value),
                "cDNA_position" => c.cdna_position = PositionRange::from_vep(value),
                "CDS_position" => c.cds_position = PositionRange::from_vep(value),
                "Protein_position" => c.protein_position = PositionRange::from_vep(value),
                "Amino_acids" => c.amino_acids = some(value),
                "Codons" => c.codons = some(value),
                "Existing_variation" => c.existing_variation = list(value),
                "DISTANCE" => c.distance = value.parse().ok(),
                "STRAND" => {
                    c.strand = match value {
                        "1" => Some(Strand::Forward),
                        "-1" => Some(Strand::Reverse),
                        _ => None,
                    }
                }
                "FLAGS" => c.flags = list(value),
                "PICK" => c.pick = value == "1",
                "VARIANT_CLASS" => c.variant_class = some(value),
                "SYMBOL_SOURCE" => c.symbol_source = some(value),
                "HGNC_ID" => c.hgnc_id = some(value),
                "CANONICAL" => c.canonical = value == "YES",
                "MANE_SELECT" | "MANE" => c.mane_select = some(value),
                "MANE_PLUS_CLINICAL" => c.mane_plus_clinical = some(value),
                "TSL" => c.tsl = some(value),
                "CCDS" => c.ccds = some(value),
                "ENSP" => c.ensp = some(value),
                "SOURCE" => c.source = some(value),
                "HGVS_OFFSET" => c.hgvs_offset = value.parse().ok(),
                _ => {}
            }
        }
        Ok(c)
    }

    /// Parses a whole `INFO/CSQ` value (entries separated by `,`).
    pub fn parse(&self, value: &str) -> Result<Vec<TranscriptConsequence>, CsqParseError> {
        value.split(',').map(|e| self.parse_entry(e)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consequence::Impact;

    fn braf() -> TranscriptConsequence {
        TranscriptConsequence {
            allele: "T".into(),
            consequences: vec![SoTerm::MissenseVariant],
            impact: Some(Impact::Moderate),
            symbol: Some("BRAF".into()),
            gene: Some("ENSG00000157764".into()),
            feature_type: Some("Transcript".into()),
            feature: Some("ENST00000646891.2".into()),
            biotype: Some("protein_coding".into()),
            exon: Some(FeatureNumber {
                first: 15,
                last: 15,
                total: 18,
            }),
            hgvsc: Some("ENST00000646891.2:c.1799T>A".into()),
            hgvsp: Some("ENSP00000493543.1:p.Val600Glu".into()),
            cds_position: Some(PositionRange::single(1799)),
            protein_position: Some(PositionRange::single(600)),
            amino_acids: Some("V/E".into()),
            codons: Some("gTg/gAg".into()),
            strand: Some(Strand::Reverse),
            pick: true,
            canonical: true,
            mane_select: Some("NM_004333.6".into()),
            ..Default::default()
        }
    }

    #[test]
    fn entries_round_trip_through_our_layout() {
        let entry = format_entry(&braf());
        assert_eq!(entry.split('|').count(), CSQ_FIELDS.len());
        assert!(entry.starts_with("T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|"));
        let parsed = CsqLayout::ours().parse_entry(&entry).unwrap();
        assert_eq!(parsed, braf());
    }

    /// The entry as a list of separately escaped fields joined by `|`: an
    /// independent statement of the layout `write_entry` must produce.
    fn entry_by_fields(c: &TranscriptConsequence) -> String {
        let opt = |v: &Option<String>| v.as_deref().map(escape_value).unwrap_or_default();
        let list = |v: &[String]| {
            v.iter()
                .map(|x| escape_value(x))
                .collect::<Vec<_>>()
                .join("&")
        };
        let fields = [
            escape_value(&c.allele),
            c.consequences
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join("&"),
            c.impact.map(|i| i.as_str().to_string()).unwrap_or_default(),
            opt(&c.symbol),
            opt(&c.gene),
            opt(&c.feature_type),
            opt(&c.feature),
            opt(&c.biotype),
            c.exon.map(FeatureNumber::to_vep).unwrap_or_default(),
            c.intron.map(FeatureNumber::to_vep).unwrap_or_default(),
            opt(&c.hgvsc),
            opt(&c.hgvsp),
            c.cdna_position
                .map(PositionRange::to_vep)
                .unwrap_or_default(),
            c.cds_position
                .map(PositionRange::to_vep)
                .unwrap_or_default(),
            c.protein_position
                .map(PositionRange::to_vep)
                .unwrap_or_default(),
            opt(&c.amino_acids),
            opt(&c.codons),
            list(&c.existing_variation),
            c.distance.map(|d| d.to_string()).unwrap_or_default(),
            c.strand.map(|s| s.as_vep().to_string()).unwrap_or_default(),
            list(&c.flags),
            if c.pick { "1".into() } else { String::new() },
            opt(&c.variant_class),
            opt(&c.symbol_source),
            opt(&c.hgnc_id),
            if c.canonical {
                "YES".into()
            } else {
                String::new()
            },
            opt(&c.mane_select),
            opt(&c.mane_plus_clinical),
            opt(&c.tsl),
            opt(&c.ccds),
            opt(&c.ensp),
            opt(&c.source),
            c.hgvs_offset.map(|o| o.to_string()).unwrap_or_default(),
            opt(&c.hgvsg),
        ];
        assert_eq!(fields.len(), CSQ_FIELDS.len());
        fields.join("|")
    }

    #[test]
    fn entries_have_every_field_in_order_and_escaped() {
        let mut full = braf();
        full.intron = Some(FeatureNumber {
            first: 2,
            last: 3,
            total: 9,
        });
        full.cdna_position = Some(PositionRange {
            start: None,
            end: Some(40),
        });
        full.existing_variation = vec!["rs1".into(), "COSV 2".into()];
        full.flags = vec!["cds_start_NF".into(), "cds_end_NF".into()];
        full.distance = Some(250);
        full.hgvs_offset = Some(-2);
        full.variant_class = Some("SNV".into());
        full.hgvsg = Some("7:g.140753336A>T".into());
        full.tsl = Some("1".into());
        full.source = Some("Ensembl".into());
        let mut odd = full.clone();
        odd.symbol = Some("a,b|c;d=e f\tg\u{a0}h%3Bµ".into());
        odd.consequences.push(SoTerm::SpliceRegionVariant);
        for c in [braf(), full, odd, TranscriptConsequence::default()] {
            assert_eq!(format_entry(&c), entry_by_fields(&c));
        }
        let odd = format_entry(&TranscriptConsequence {
            symbol: Some("a,b|c;d=e f".into()),
            ..Default::default()
        });
        assert!(odd.starts_with("|||a&b&c%3Bd%3De_f|"));
    }

    #[test]
    fn synonymous_hgvsp_equals_sign_is_escaped_as_vep_does() {
        let mut c = braf();
        c.hgvsp = Some("ENSP00000382948.3:p.Thr368=".into());
        let entry = format_entry(&c);
        assert!(entry.contains("p.Thr368%3D"));
        let parsed = CsqLayout::ours().parse_entry(&entry).unwrap();
        assert_eq!(parsed.hgvsp.as_deref(), Some("ENSP00000382948.3:p.Thr368="));
    }

    #[test]
    fn reads_a_vep_header_and_entry() {
        // Header and entry written by VEP itself (ensembl-vep t/OutputFactory_VCF.t).
        let header = "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|Existing_variation|DISTANCE|STRAND|FLAGS";
        let layout = CsqLayout::from_description(header).unwrap();
        let c = layout
            .parse_entry("T|missense_variant|MODERATE||ENSG00000154719|Transcript|ENST00000352957||||||1033|991|331|A/T|Gca/Aca|||-1|")
            .unwrap();
        assert_eq!(c.consequences, vec![SoTerm::MissenseVariant]);
        assert_eq!(c.cds_position, Some(PositionRange::single(991)));
        assert_eq!(c.strand, Some(Strand::Reverse));
        assert!(layout.parse_entry("T|missense_variant").is_err());
        assert!(
            layout
                .parse_entry("T|not_a_term|MODERATE||||||||||||||||||")
                .is_err()
        );
    }
}
