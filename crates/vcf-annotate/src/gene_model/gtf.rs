//! GTF reader (GTF 2.2 as written by Ensembl, GENCODE and NCBI).
//!
//! Lines are grouped by `transcript_id`; the file need not be sorted.
//! Lines are split here rather than with noodles-gtf, which rejects the
//! empty attributes (`...; tag "mRNA_end_NF";;`) that Ensembl's own GTF
//! test files contain. GTF
//! `CDS` lines exclude the stop codon, which GTF lists as `stop_codon`: the
//! reader merges stop codons into the CDS, so the model follows the GFF3
//! convention (see the [module docs](super)). Transcript attributes are
//! taken from the `transcript` line, or from the first line of the
//! transcript when the file has no `transcript` lines (plain GTF 2.2).
//! `gene` lines supply gene attributes missing from transcript lines.
//! Features outside the transcript model (`Selenocysteine`, ...) are counted
//! by type; lines without `transcript_id` other than `gene` are counted as
//! skipped.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use variant_model::Strand;

use super::assemble::{
    CdsPart, Part, TranscriptDraft, apply_tags, refseq_biotype, split_version, strip_version,
    tsl_value,
};
use super::{GeneModelError, LoadSummary, LoadedModel, ReadOptions, TranscriptSource};

/// True when the file's first feature line uses GTF attribute syntax
/// (`key "value";`) rather than GFF3 (`key=value`). A `##gff-version 3`
/// directive means GFF3.
pub fn looks_like_gtf(path: &Path) -> std::io::Result<bool> {
    let input = variant_model::io::open_input(Some(path))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    for line in input.lines() {
        let line = line?;
        if line.starts_with("##gff-version") {
            return Ok(line.split_whitespace().nth(1) != Some("3"));
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(attributes) = line.split('\t').nth(8) else {
            return Ok(false);
        };
        return Ok(is_gtf_attributes(attributes));
    }
    Ok(false)
}

fn is_gtf_attributes(attributes: &str) -> bool {
    match (attributes.find('='), attributes.find('"')) {
        (None, Some(_)) => true,
        (Some(eq), Some(quote)) => quote < eq,
        (None, None) => attributes.trim().contains(' '),
        (Some(_), None) => false,
    }
}

/// Reads every transcript (with exons and CDS) from a GTF file, plain or
/// gzip/bgzip compressed.
pub fn read(path: &Path, options: &ReadOptions) -> Result<LoadedModel, GeneModelError> {
    let name = path.display().to_string();
    let input = variant_model::io::open_input(Some(path)).map_err(|e| GeneModelError::Io {
        path: name.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    read_from(input, &name, options)
}

/// Attribute keys the model reads.
const KEPT_ATTRIBUTES: &[&str] = &[
    "gene_id",
    "gene_version",
    "gene_name",
    "gene",
    "gene_biotype",
    "gene_type",
    "transcript_id",
    "transcript_version",
    "transcript_biotype",
    "transcript_type",
    "tag",
    "ccds_id",
    "transcript_support_level",
    "hgnc_id",
    "db_xref",
];

type Attributes = Vec<(&'static str, String)>;

fn get<'a>(attributes: &'a Attributes, key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
}

fn xref<'a>(attributes: &'a Attributes, db: &str) -> Option<&'a str> {
    attributes
        .iter()
        .filter(|(k, _)| *k == "db_xref")
        .find_map(|(_, v)| v.strip_prefix(db).and_then(|r| r.strip_prefix(':')))
}

#[derive(Default)]
struct GtfTranscript {
    id: String,
    line: u64,
    seqid: String,
    strand: Option<Strand>,
    /// From the `transcript` line.
    extent: Option<(u64, u64)>,
    attributes: Attributes,
    attributes_from_transcript_line: bool,
    exons: Vec<Part>,
    cds: Vec<CdsPart>,
    other_parts: Vec<Part>,
    stop_codons: Vec<Part>,
    protein_id: Option<String>,
}

/// Reads GTF from any buffered reader; `name` is used in messages.
pub fn read_from(
    input: impl BufRead,
    name: &str,
    options: &ReadOptions,
) -> Result<LoadedModel, GeneModelError> {
    let invalid = |line: u64, message: String| GeneModelError::Invalid {
        path: name.to_string(),
        line,
        message,
    };
    let mut summary = LoadSummary {
        format: "GTF".into(),
        ..Default::default()
    };
    let mut genes: HashMap<String, Attributes> = HashMap::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut transcripts: Vec<GtfTranscript> = Vec::new();

    let mut input = input;
    let mut buffer = Vec::new();
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        let n = input
            .read_until(b'\n', &mut buffer)
            .map_err(|source| GeneModelError::Io {
                path: name.to_string(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_number += 1;
        let ln = line_number;
        let text = std::str::from_utf8(&buffer)
            .map_err(|_| invalid(ln, "text is not UTF-8".into()))?
            .trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() || text.starts_with('#') {
            continue;
        }
        let record = GtfLine::parse(text).map_err(|message| invalid(ln, message))?;
        summary.feature_lines += 1;
        let GtfLine {
            seqid,
            ty,
            start,
            end,
            strand,
            phase,
            attributes: raw,
        } = record;
        let mut attributes: Attributes = Vec::new();
        let mut protein_id = None;
        let mut protein_version = None;
        for (key, value) in raw {
            match key {
                "protein_id" => protein_id = Some(value.to_string()),
                "protein_version" => protein_version = Some(value.to_string()),
                _ => {
                    if let Some(&k) = KEPT_ATTRIBUTES.iter().find(|k| **k == key) {
                        attributes.push((k, value.to_string()));
                    }
                }
            }
        }
        let ty = ty.to_string();
        let seqid = seqid.to_string();

        let kind = match ty.as_str() {
            "gene" => {
                if let Some(gene_id) = get(&attributes, "gene_id") {
                    genes.insert(gene_id.to_string(), attributes);
                } else {
                    summary.skip("gene lines without gene_id", || format!("line {ln}"));
                }
                continue;
            }
            "transcript" | "exon" | "CDS" | "UTR" | "five_prime_utr" | "three_prime_utr"
            | "5UTR" | "3UTR" | "start_codon" | "stop_codon" => ty.as_str(),
            _ => {
                summary.ignore_type(&ty);
                continue;
            }
        };
        let Some(transcript_ids) = get(&attributes, "transcript_id").map(str::to_string) else {
            summary.skip("transcript lines without transcript_id", || {
                format!("line {ln}: {ty}")
            });
            continue;
        };
        // VEP's test GTFs share a part between transcripts with
        // `transcript_id "A,B"`, as GFF3 does with `Parent=A,B`.
        let ids: Vec<&str> = transcript_ids.split(',').collect();
        if kind == "transcript" && ids.len() > 1 {
            return Err(invalid(
                ln,
                format!("transcript line with several transcript_id values `{transcript_ids}`"),
            ));
        }
        let part = Part {
            start,
            end,
            line: ln,
        };
        let protein_id = match (protein_id, protein_version) {
            (Some(p), Some(v)) if !p.ends_with(&format!(".{v}")) => Some(format!("{p}.{v}")),
            (p, _) => p,
        };
        for transcript_id in ids {
            let i = *index.entry(transcript_id.to_string()).or_insert_with(|| {
                transcripts.push(GtfTranscript {
                    id: transcript_id.to_string(),
                    line: ln,
                    seqid: seqid.clone(),
                    strand,
                    ..Default::default()
                });
                transcripts.len() - 1
            });
            let t = &mut transcripts[i];
            if t.seqid != seqid || t.strand != strand {
                return Err(invalid(
                    ln,
                    format!(
                        "transcript {transcript_id} lies on another contig or strand than at line {}",
                        t.line
                    ),
                ));
            }
            match kind {
                "transcript" => {
                    if t.extent.is_some() {
                        return Err(invalid(
                            ln,
                            format!("transcript {transcript_id} defined twice"),
                        ));
                    }
                    t.extent = Some((start, end));
                    t.line = ln;
                    t.attributes = attributes.clone();
                    t.attributes_from_transcript_line = true;
                    continue;
                }
                "exon" => t.exons.push(part),
                "CDS" => {
                    t.cds.push(CdsPart { part, phase });
                    if t.protein_id.is_none() {
                        t.protein_id = protein_id.clone();
                    }
                }
                "stop_codon" => t.stop_codons.push(part),
                _ => t.other_parts.push(part),
            }
            if !t.attributes_from_transcript_line && t.attributes.is_empty() {
                t.attributes = attributes.clone();
            }
        }
    }

    let mut out = Vec::with_capacity(transcripts.len());
    let mut genes_with_transcripts: HashSet<String> = HashSet::new();
    for t in transcripts {
        if t.exons.is_empty() && t.cds.is_empty() && t.other_parts.is_empty() {
            summary.skip("transcript lines without exons or CDS", || {
                format!("line {}", t.line)
            });
            continue;
        }
        let Some(strand) = t.strand else {
            return Err(invalid(t.line, "transcript has no strand (+ or -)".into()));
        };
        let a = &t.attributes;
        let gene_id_raw = get(a, "gene_id").unwrap_or_default();
        genes_with_transcripts.insert(gene_id_raw.to_string());
        let gene = genes.get(gene_id_raw);
        let attr = |key: &str| get(a, key).or_else(|| gene.and_then(|g| get(g, key)));
        let mut draft = TranscriptDraft {
            line: t.line,
            extent: t.extent,
            exons: t.exons,
            cds: t.cds,
            other_parts: t.other_parts,
            stop_codons: t.stop_codons,
            ..Default::default()
        };
        let tr = &mut draft.transcript;
        let raw_id = t.id.as_str();
        (tr.id, tr.version) = match get(a, "transcript_version") {
            Some(v) => (raw_id.to_string(), Some(v.to_string())),
            None => split_version(raw_id),
        };
        let refseq = xref(a, "GeneID").is_some()
            || matches!(tr.id.get(..3), Some("NM_" | "NR_" | "XM_" | "XR_"));
        tr.source = if refseq {
            TranscriptSource::RefSeq
        } else if tr.id.starts_with("ENS") {
            if attr("transcript_type").is_some() || attr("gene_type").is_some() {
                TranscriptSource::Gencode
            } else {
                TranscriptSource::Ensembl
            }
        } else {
            TranscriptSource::Other
        };
        tr.chrom = t.seqid;
        tr.strand = strand;
        tr.gene_id = match xref(a, "GeneID") {
            Some(id) if refseq => id.to_string(),
            _ => strip_version(gene_id_raw),
        };
        tr.gene_symbol = attr("gene_name")
            .or_else(|| attr("gene"))
            .map(str::to_string);
        tr.hgnc_id = attr("hgnc_id").map(str::to_string).or_else(|| {
            xref(a, "HGNC").map(|h| {
                if h.starts_with("HGNC:") {
                    h.to_string()
                } else {
                    format!("HGNC:{h}")
                }
            })
        });
        tr.gene_symbol_source = match (&tr.gene_symbol, &tr.hgnc_id) {
            (None, _) => None,
            (Some(_), _) if refseq && xref(a, "GeneID").is_some() => Some("EntrezGene".into()),
            (Some(_), Some(_)) => Some("HGNC".into()),
            _ => None,
        };
        let has_cds = !draft.cds.is_empty();
        let tr = &mut draft.transcript;
        tr.biotype = match attr("transcript_biotype").or_else(|| attr("transcript_type")) {
            // NCBI GTF writes the feature type (`mRNA`) as biotype.
            Some(b) if refseq => refseq_biotype(b, None, has_cds),
            Some(b) => b.to_string(),
            None => attr("gene_biotype")
                .or_else(|| attr("gene_type"))
                .unwrap_or("unknown")
                .to_string(),
        };
        tr.tags = a
            .iter()
            .filter(|(k, _)| *k == "tag")
            .map(|(_, v)| v.clone())
            .collect();
        apply_tags(tr);
        tr.tsl = get(a, "transcript_support_level").and_then(tsl_value);
        tr.ccds = get(a, "ccds_id").map(str::to_string);
        tr.protein_id = t.protein_id;
        out.push(draft.assemble(name, options, &mut summary)?);
    }

    for gene_id in genes.keys() {
        if !genes_with_transcripts.contains(gene_id) {
            summary.ignore_type("gene (no transcripts)");
        }
    }
    out.sort_by(|a, b| (&a.chrom, a.start, a.end, &a.id).cmp(&(&b.chrom, b.start, b.end, &b.id)));
    let gene_ids: HashSet<(&str, &str)> = out
        .iter()
        .map(|t| (t.chrom.as_str(), t.gene_id.as_str()))
        .collect();
    summary.genes = gene_ids.len();
    summary.transcripts = out.len();
    summary.coding_transcripts = out.iter().filter(|t| t.is_coding()).count();
    Ok(LoadedModel {
        transcripts: out,
        summary,
    })
}

/// One GTF line split into its columns; attribute values unquoted.
struct GtfLine<'a> {
    seqid: &'a str,
    ty: &'a str,
    start: u64,
    end: u64,
    strand: Option<Strand>,
    phase: Option<u8>,
    attributes: Vec<(&'a str, &'a str)>,
}

impl<'a> GtfLine<'a> {
    fn parse(line: &'a str) -> Result<Self, String> {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 9 {
            return Err(format!(
                "expected 9 tab-separated columns, found {}",
                columns.len()
            ));
        }
        let position = |what: &str, s: &str| -> Result<u64, String> {
            match s.parse::<u64>() {
                Ok(p) if p > 0 => Ok(p),
                _ => Err(format!("invalid {what} `{s}`")),
            }
        };
        let start = position("start", columns[3])?;
        let end = position("end", columns[4])?;
        if start > end {
            return Err(format!("start {start} is after end {end}"));
        }
        let strand = match columns[6] {
            "+" => Some(Strand::Forward),
            "-" => Some(Strand::Reverse),
            "." | "?" => None,
            other => return Err(format!("invalid strand `{other}`")),
        };
        let phase = match columns[7] {
            "0" => Some(0),
            "1" => Some(1),
            "2" => Some(2),
            "." => None,
            other => return Err(format!("invalid frame `{other}`")),
        };
        Ok(Self {
            seqid: columns[0],
            ty: columns[2],
            start,
            end,
            strand,
            phase,
            attributes: parse_attributes(columns[8])?,
        })
    }
}

/// `key "value"; key value; ...`; empty attributes (`;;`) are allowed.
fn parse_attributes(mut src: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut out = Vec::new();
    loop {
        src = src.trim_start_matches([' ', ';']);
        if src.is_empty() {
            return Ok(out);
        }
        let Some((key, rest)) = src.split_once(' ') else {
            return Err(format!("attribute `{src}` has no value"));
        };
        let rest = rest.trim_start();
        let (value, rest) = if let Some(quoted) = rest.strip_prefix('"') {
            quoted
                .split_once('"')
                .ok_or_else(|| format!("unterminated quote in attribute `{key}`"))?
        } else {
            rest.split_at(rest.find(';').unwrap_or(rest.len()))
        };
        let rest = rest.trim_start();
        if !(rest.is_empty() || rest.starts_with(';')) {
            return Err(format!("missing `;` after attribute `{key}`"));
        }
        out.push((key, value.trim_end()));
        src = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_attribute_syntax() {
        assert!(is_gtf_attributes(
            r#"gene_id "ENSG1"; transcript_id "ENST1";"#
        ));
        assert!(!is_gtf_attributes("ID=gene:ENSG1;Name=A"));
        assert!(!is_gtf_attributes(r#"ID=x;Note="quoted""#));
    }

    #[test]
    fn parses_attributes_with_empty_fields_and_bare_values() {
        assert_eq!(
            parse_attributes(r#"gene_id "G1"; exon_number 2; tag "basic"; tag "CCDS";;"#).unwrap(),
            [
                ("gene_id", "G1"),
                ("exon_number", "2"),
                ("tag", "basic"),
                ("tag", "CCDS")
            ]
        );
        assert!(parse_attributes(r#"gene_id "G1"#).is_err());
        assert!(parse_attributes("gene_id").is_err());
        assert!(parse_attributes(r#"gene_id "G1" transcript_id "T1";"#).is_err());
    }

    fn read_rows(rows: &[&str], lenient: bool) -> Result<LoadedModel, GeneModelError> {
        // Columns separated by single spaces here; attributes after the 8th.
        let text: String = rows
            .iter()
            .map(|r| {
                let (cols, attrs) = r.split_at(r.match_indices(' ').nth(7).unwrap().0);
                format!("{}\t{}\n", cols.replace(' ', "\t"), &attrs[1..])
            })
            .collect();
        read_from(text.as_bytes(), "t.gtf", &ReadOptions { lenient })
    }

    #[test]
    fn merges_a_stop_codon_split_over_two_exons() {
        // Reverse strand; CDS ends 2 bases before the end of exon 2 (at 501),
        // the stop codon is 500-501 + 300 in exon 3.
        let a = r#"gene_id "ENSG1"; gene_version "3"; transcript_id "ENST1"; transcript_version "4"; gene_name "ABC"; gene_biotype "protein_coding"; transcript_biotype "protein_coding"; tag "basic"; tag "CCDS"; ccds_id "CCDS1"; transcript_support_level "2";"#;
        let cds = format!(r#"{a} protein_id "ENSP1"; protein_version "7";"#);
        let rows = [
            format!("1 ensembl gene 250 1000 . - . {a}"),
            format!("1 ensembl transcript 250 1000 . - . {a}"),
            format!("1 ensembl exon 900 1000 . - . {a} exon_number \"1\";"),
            format!("1 ensembl exon 500 600 . - . {a} exon_number \"2\";"),
            format!("1 ensembl exon 250 300 . - . {a} exon_number \"3\";"),
            format!("1 ensembl CDS 900 950 . - 0 {cds}"),
            format!("1 ensembl CDS 502 600 . - 0 {cds}"),
            format!("1 ensembl start_codon 948 950 . - 0 {a}"),
            format!("1 ensembl stop_codon 500 501 . - 0 {a}"),
            format!("1 ensembl stop_codon 300 300 . - 1 {a}"),
            format!("1 ensembl Selenocysteine 510 512 . - . {a}"),
        ];
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let model = read_rows(&rows, false).unwrap();
        let t = &model.transcripts[0];
        assert_eq!(t.versioned_id(), "ENST1.4");
        assert_eq!(t.gene_id, "ENSG1");
        assert_eq!(t.gene_symbol.as_deref(), Some("ABC"));
        assert_eq!(t.source, TranscriptSource::Ensembl);
        assert_eq!(t.protein_id.as_deref(), Some("ENSP1.7"));
        assert_eq!(t.ccds.as_deref(), Some("CCDS1"));
        assert_eq!(t.tsl.as_deref(), Some("2"));
        assert_eq!(t.tags, ["basic", "CCDS"]);
        // 51 + 99 coding bases + 3 stop bases: phases 0, 0, then the last
        // stop base alone completes the codon begun by the 2 before it: its
        // phase (bases to skip to the next codon) is 1.
        let cds: Vec<(u64, u64, u8)> = t.cds.iter().map(|c| (c.start, c.end, c.phase)).collect();
        assert_eq!(cds, [(300, 300, 1), (500, 600, 0), (900, 950, 0)]);
        assert_eq!(t.cds_length() % 3, 0);
        assert_eq!(
            model.summary.ignored_feature_types.get("Selenocysteine"),
            Some(&1)
        );
    }

    #[test]
    fn reads_plain_gtf22_and_gencode_ids() {
        // No gene/transcript lines; GENCODE-style versioned identifiers.
        let a = r#"gene_id "ENSG00000223972.5"; transcript_id "ENST00000456328.2"; gene_type "transcribed_unprocessed_pseudogene"; gene_name "DDX11L1"; transcript_type "processed_transcript"; level 2; tag "basic"; tag "Ensembl_canonical"; hgnc_id "HGNC:37102";"#;
        let rows = [
            format!("chr1 HAVANA exon 12613 12721 . + . {a}"),
            format!("chr1 HAVANA exon 11869 12227 . + . {a}"),
        ];
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let model = read_rows(&rows, false).unwrap();
        let t = &model.transcripts[0];
        assert_eq!(
            (t.id.as_str(), t.version.as_deref()),
            ("ENST00000456328", Some("2"))
        );
        assert_eq!(t.gene_id, "ENSG00000223972");
        assert_eq!(t.biotype, "processed_transcript");
        assert_eq!(t.source, TranscriptSource::Gencode);
        assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:37102"));
        assert!(t.is_canonical);
        assert_eq!((t.start, t.end), (11869, 12721));
        assert_eq!(t.exons.iter().map(|e| e.number).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn gtf_errors_name_the_line() {
        let a = r#"gene_id "G"; transcript_id "T";"#;
        let cases = [
            (
                vec![
                    format!("1 x exon 10 20 . + . {a}"),
                    "1\tx\texon\t10\t20".into(),
                ],
                "t.gtf:2: expected 9",
            ),
            (
                vec![
                    format!("1 x exon 10 20 . + . {a}"),
                    format!("2 x exon 30 40 . + . {a}"),
                ],
                "t.gtf:2: transcript T lies on another contig",
            ),
            (
                vec![
                    format!("1 x exon 10 20 . + . {a}"),
                    format!("1 x CDS 15 25 . + 0 {a}"),
                ],
                "t.gtf:2: CDS 15-25 of transcript T is not inside",
            ),
            (
                vec![
                    format!("1 x exon 10 20 . + . {a}"),
                    format!("1 x CDS 15 20 . + . {a}"),
                ],
                "t.gtf:2: CDS 15-20 of transcript T has no phase",
            ),
            (
                vec![format!("1 x exon 10 20 . + 5 {a}")],
                "t.gtf:1: invalid frame",
            ),
            (
                vec![r#"1 x exon 10 20 . + . gene_id "G; transcript_id "T";"#.to_string()],
                "t.gtf:1: missing `;` after attribute `gene_id`",
            ),
        ];
        for (rows, expected) in cases {
            let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
            let text: String = rows
                .iter()
                .map(|r| {
                    if r.contains('\t') {
                        format!("{r}\n")
                    } else {
                        let (cols, attrs) = r.split_at(r.match_indices(' ').nth(7).unwrap().0);
                        format!("{}\t{}\n", cols.replace(' ', "\t"), &attrs[1..])
                    }
                })
                .collect();
            let err = read_from(text.as_bytes(), "t.gtf", &ReadOptions::default())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(expected), "{err}\nexpected: {expected}");
        }
    }
}
