//! Converters from each source's published format into bundle files.
//!
//! Exact-allele sources (ClinVar, gnomAD) become [`crate::exact`] tables;
//! curated sources (CIViC, OncoKB, cancer hotspots, COSMIC CMC) become
//! [`crate::curated`] record files. Every converter counts what it read,
//! wrote and skipped (by reason), so nothing disappears silently.

pub mod civic;
pub mod clinvar;
pub mod cosmic;
pub mod gnomad;
pub mod hotspots;
pub mod oncokb;
pub mod tsv;
pub mod vcf;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use variant_model::evidence::Evidence;

use crate::config::SourceConfig;
use crate::curated::{CuratedRecord, GeneCategory, MatchRule, RegionEffect};
use crate::exact::SourceLine;
use crate::manifest::SourceKind;
use crate::normalise::Normaliser;

/// What a converter needs from the build.
pub struct Context<'a> {
    /// Bundle staging directory (files are written below it).
    pub out_dir: &'a Path,
    /// Directory of SOURCES.toml, for relative paths.
    pub base: &'a Path,
    pub genome_build: &'a str,
    pub normaliser: &'a mut Normaliser,
    /// Made-up data: records get no links into the real database (their
    /// ids exist only in the demo).
    pub synthetic: bool,
}

/// What a converter produced.
#[derive(Debug, Default)]
pub struct Converted {
    /// `(path relative to the bundle root, role)`.
    pub files: Vec<(String, String)>,
    pub counts: BTreeMap<String, u64>,
    pub notes: Vec<String>,
    /// `(role, input path)` of every file read.
    pub inputs: Vec<(String, PathBuf)>,
}

impl Converted {
    pub fn count(&mut self, key: &str) {
        *self.counts.entry(key.to_string()).or_default() += 1;
    }

    pub fn add(&mut self, key: &str, n: u64) {
        *self.counts.entry(key.to_string()).or_default() += n;
    }
}

/// Converts one source into the staging directory.
pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    match config.kind {
        SourceKind::Clinvar => clinvar::convert(config, ctx),
        SourceKind::Gnomad => gnomad::convert(config, ctx),
        SourceKind::Civic => civic::convert(config, ctx),
        SourceKind::CancerHotspots => hotspots::convert(config, ctx),
        SourceKind::Oncokb => oncokb::convert(config, ctx),
        SourceKind::CosmicCmc => cosmic::convert(config, ctx),
        SourceKind::Reference | SourceKind::GeneModel | SourceKind::Ontology => {
            Err(crate::Error::Other(format!(
                "{} is copied by the bundle builder, not converted",
                config.kind.as_str()
            )))
        }
    }
}

/// Whether a kind's records live in an exact-allele table.
pub fn is_exact(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Clinvar | SourceKind::Gnomad)
}

/// Decodes an exact-table record into `(record id, matched term, evidence)`.
pub fn exact_evidence(
    kind: SourceKind,
    chrom: &str,
    line: &SourceLine,
) -> (String, Option<String>, Evidence) {
    match kind {
        SourceKind::Clinvar => clinvar::evidence(chrom, line),
        SourceKind::Gnomad => gnomad::evidence(chrom, line),
        _ => (line.id().to_string(), None, Evidence::default()),
    }
}

/// Writes curated records to `curated/<name>.jsonl.gz` and records the file.
pub fn write_curated(
    name: &str,
    ctx: &Context,
    records: &mut [CuratedRecord],
    out: &mut Converted,
) -> crate::Result<()> {
    std::fs::create_dir_all(ctx.out_dir.join("curated"))
        .map_err(|e| crate::Error::file(ctx.out_dir, e))?;
    if ctx.synthetic {
        for record in records.iter_mut() {
            record.evidence.url = None;
        }
    }
    let rel = format!("curated/{name}.jsonl.gz");
    let path = ctx.out_dir.join(&rel);
    let n =
        crate::curated::write_records(&path, records).map_err(|e| crate::Error::file(&path, e))?;
    out.add("records_written", n);
    out.files.push((rel, "curated_records".into()));
    Ok(())
}

/// Match rules implied by an alteration name as knowledge bases write
/// them: a protein change (`V600E`), a residue (`V600`), an exon rule
/// (`EXON 19 DELETION`, `Exon 20 in-frame insertions`, `KIT exon 11
/// mutations`) or a gene-level category (`Truncating Mutations`,
/// `Oncogenic Mutations`, `MUTATION`, `LOSS-OF-FUNCTION`). Empty for
/// alterations that are not small variants (amplification, fusion,
/// expression).
pub fn rules_from_name(name: &str) -> Vec<MatchRule> {
    let trimmed = name.trim();
    if let Some(change) = crate::protein_change::parse(trimmed) {
        return vec![match change.kind {
            crate::protein_change::ChangeKind::Residue => MatchRule::Codon {
                position: change.start,
                ref_aa: Some(change.start_aa as char),
            },
            _ => MatchRule::Protein {
                change: change.short(),
            },
        }];
    }
    let lower = trimmed.to_ascii_lowercase().replace(['-', '_'], " ");
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    match lower.as_str() {
        "truncating mutation"
        | "truncating mutations"
        | "loss of function"
        | "frameshift truncation"
        | "nonsense mutation" => {
            return vec![MatchRule::Gene {
                category: GeneCategory::Truncating,
            }];
        }
        "oncogenic mutation" | "oncogenic mutations" => {
            return vec![MatchRule::Gene {
                category: GeneCategory::Oncogenic,
            }];
        }
        "mutation" | "mutations" | "any mutation" => {
            return vec![MatchRule::Gene {
                category: GeneCategory::AnyMutation,
            }];
        }
        _ => {}
    }
    if let Some(rule) = exon_rule(&lower) {
        return vec![rule];
    }
    Vec::new()
}

/// `exon 19 deletion`, `exon 20 in frame insertions`, `exon 11 mutations`,
/// `exons 18 21 mutation` (after lower-casing and `-` → space).
fn exon_rule(lower: &str) -> Option<MatchRule> {
    let words: Vec<&str> = lower.split(' ').collect();
    let at = words.iter().position(|w| *w == "exon" || *w == "exons")?;
    let first: u32 = words.get(at + 1)?.parse().ok()?;
    let mut next = at + 2;
    let mut last = first;
    if let Some(l) = words.get(next).and_then(|w| w.parse::<u32>().ok()) {
        last = l;
        next += 1;
    }
    if last < first {
        return None;
    }
    let rest = words[next..].join(" ");
    let rest = rest.trim_start_matches("in frame ").trim();
    let effect = match rest {
        "deletion" | "deletions" | "inframe deletion" | "inframe deletions" => {
            RegionEffect::InframeDeletion
        }
        "insertion" | "insertions" | "inframe insertion" | "inframe insertions" => {
            RegionEffect::InframeInsertion
        }
        "indel" | "indels" | "insertion/deletion" | "deletion/insertion" => {
            RegionEffect::InframeIndel
        }
        "mutation" | "mutations" | "alteration" | "alterations" | "variant" | "variants" => {
            RegionEffect::AnyMutation
        }
        "missense" | "missense mutation" | "missense mutations" => RegionEffect::Missense,
        "frameshift" | "frameshift mutation" | "frameshift mutations" => RegionEffect::Frameshift,
        _ => return None,
    };
    // The gene name, when written before "exon" (`KIT exon 11 mutations`),
    // is handled by the caller's gene column.
    Some(MatchRule::Exon {
        first,
        last,
        effect,
    })
}

/// Readable form of the upper-case enum values of the CIViC v2 API
/// (`SENSITIVITYRESPONSE` → `Sensitivity/Response`, `TIER_I_LEVEL_A` →
/// `Tier I - Level A`); other text is returned unchanged.
pub fn display_enum(value: &str) -> String {
    if value.is_empty() || value.chars().any(|c| c.is_ascii_lowercase()) {
        return value.to_string();
    }
    match value {
        "SENSITIVITYRESPONSE" => return "Sensitivity/Response".into(),
        "NA" => return "N/A".into(),
        _ => {}
    }
    if let Some(rest) = value.strip_prefix("TIER_")
        && let Some((tier, level)) = rest.split_once("_LEVEL_")
    {
        return format!("Tier {tier} - Level {level}");
    }
    value
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(c) => c.to_string() + &chars.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Converts a source VCF into an exact-allele table: every ALT of every
/// record is split off, normalised and written with the INFO pairs that
/// `extract(record, alt_index)` returns (`alt_index` is 0-based). Returns
/// the number of input records.
pub fn convert_exact_vcf<F>(
    config: &SourceConfig,
    ctx: &mut Context,
    info_lines: Vec<String>,
    mut extract: F,
    out: &mut Converted,
) -> crate::Result<()>
where
    F: FnMut(&vcf::VcfRecord, usize) -> crate::Result<(String, Vec<(String, String)>)>,
{
    let name = config.name();
    let inputs = config.paths("vcf", ctx.base)?;
    if inputs.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{name}`: files.vcf is required"
        )));
    }
    std::fs::create_dir_all(ctx.out_dir.join("exact"))
        .map_err(|e| crate::Error::file(ctx.out_dir, e))?;
    let rel = format!("exact/{name}.vcf.gz");
    let table_path = ctx.out_dir.join(&rel);
    let lengths = ctx
        .normaliser
        .reference_lengths()
        .cloned()
        .unwrap_or_default();
    let mut writer = crate::exact::ExactWriter::create(&table_path, info_lines, lengths)
        .map_err(|e| crate::Error::file(&table_path, e))?;
    let progress = variant_model::progress::record_progress(&format!("{name}: records"), None);
    for input in &inputs {
        out.inputs.push(("vcf".into(), input.clone()));
        let mut vcf = vcf::VcfLines::open(input)?;
        let path = vcf.path().to_path_buf();
        while let Some(record) = vcf.next_record()? {
            out.count("records_read");
            progress.inc(1);
            for (alt_index, alt) in record.alts.iter().enumerate() {
                let (id, info) = extract(&record, alt_index).map_err(|e| match e {
                    crate::Error::Other(m) => crate::Error::at(&path, record.line_number, m),
                    other => other,
                })?;
                match ctx
                    .normaliser
                    .normalise(record.chrom, record.pos, record.ref_allele, alt)?
                {
                    Ok(allele) => {
                        if allele.pos != record.pos
                            || allele.ref_allele.len() != record.ref_allele.len()
                        {
                            out.count("alleles_normalised_changed");
                        }
                        writer.push(
                            crate::exact::ExactRecord { allele, id, info },
                            &format!("{}:{}", path.display(), record.line_number),
                        )?;
                    }
                    Err(skip) => out.count(skip.reason()),
                }
            }
        }
    }
    progress.finish_and_clear();
    let (written, duplicates) = writer.finish()?;
    out.add("alleles_written", written);
    if duplicates > 0 {
        out.add("skipped:identical_duplicate", duplicates);
    }
    out.files.push((rel.clone(), "exact_alleles".into()));
    out.files
        .push((format!("{rel}.tbi"), "exact_alleles_index".into()));
    Ok(())
}

/// The value of an INFO key in a raw INFO column (`None` when absent;
/// `Some("")` for a flag).
pub fn info_value<'a>(info: &'a str, key: &str) -> Option<&'a str> {
    info_fields(info).find_map(|(k, v)| (k == key).then_some(v))
}

/// The `KEY=VALUE` fields of an INFO column (a flag has an empty value).
pub fn info_fields(info: &str) -> impl Iterator<Item = (&str, &str)> {
    split_on(info, b';').map(|field| match memchr::memchr(b'=', field.as_bytes()) {
        Some(eq) => (&field[..eq], &field[eq + 1..]),
        None => (field, ""),
    })
}

/// The pieces of `text` between `separator` bytes (an ASCII separator, so
/// every piece is valid UTF-8). memchr's vectorised search: splitting VCF
/// lines and INFO columns with `str::split` showed up in profiles, and
/// this runs for every input line and every table match.
pub fn split_on(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    debug_assert!(separator.is_ascii());
    let mut start = 0;
    let ends = memchr::memchr_iter(separator, text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        let field = &text[start..end];
        start = end + 1;
        field
    })
}

/// The `index`-th comma-separated value of a Number=A field.
pub fn per_allele(value: Option<&str>, index: usize) -> Option<&str> {
    value
        .and_then(|v| v.split(',').nth(index))
        .filter(|v| !v.is_empty() && *v != ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_fields_split_keys_and_values() {
        let fields: Vec<(&str, &str)> = info_fields("AF=0.1;DB;CSQ=a|b=c;;X=").collect();
        assert_eq!(
            fields,
            vec![
                ("AF", "0.1"),
                ("DB", ""),
                ("CSQ", "a|b=c"),
                ("", ""),
                ("X", "")
            ]
        );
        assert_eq!(info_value("AF=0.1;DB;CSQ=a|b=c", "CSQ"), Some("a|b=c"));
        assert_eq!(info_value("AF=0.1;DB", "DB"), Some(""));
        assert_eq!(info_value("AF=0.1;DB", "AC"), None);
    }

    #[test]
    fn names_become_rules() {
        assert_eq!(
            rules_from_name("V600E"),
            vec![MatchRule::Protein {
                change: "V600E".into()
            }]
        );
        assert_eq!(
            rules_from_name("V600"),
            vec![MatchRule::Codon {
                position: 600,
                ref_aa: Some('V')
            }]
        );
        assert_eq!(
            rules_from_name("EXON 19 DELETION"),
            vec![MatchRule::Exon {
                first: 19,
                last: 19,
                effect: RegionEffect::InframeDeletion
            }]
        );
        assert_eq!(
            rules_from_name("Exon 20 in-frame insertions"),
            vec![MatchRule::Exon {
                first: 20,
                last: 20,
                effect: RegionEffect::InframeInsertion
            }]
        );
        assert_eq!(
            rules_from_name("EXON 11 MUTATION"),
            vec![MatchRule::Exon {
                first: 11,
                last: 11,
                effect: RegionEffect::AnyMutation
            }]
        );
        assert_eq!(
            rules_from_name("Truncating Mutations"),
            vec![MatchRule::Gene {
                category: GeneCategory::Truncating
            }]
        );
        assert_eq!(
            rules_from_name("LOSS-OF-FUNCTION"),
            vec![MatchRule::Gene {
                category: GeneCategory::Truncating
            }]
        );
        assert_eq!(
            rules_from_name("Oncogenic Mutations"),
            vec![MatchRule::Gene {
                category: GeneCategory::Oncogenic
            }]
        );
        assert!(rules_from_name("AMPLIFICATION").is_empty());
        assert!(rules_from_name("EML4::ALK").is_empty());
    }

    #[test]
    fn displays_civic_v2_enums() {
        assert_eq!(display_enum("SENSITIVITYRESPONSE"), "Sensitivity/Response");
        assert_eq!(display_enum("PREDICTIVE"), "Predictive");
        assert_eq!(display_enum("POOR_OUTCOME"), "Poor Outcome");
        assert_eq!(display_enum("TIER_I_LEVEL_A"), "Tier I - Level A");
        assert_eq!(display_enum("Sensitivity/Response"), "Sensitivity/Response");
    }
}
