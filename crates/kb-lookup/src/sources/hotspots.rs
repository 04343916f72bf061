//! cancerhotspots.org v2 (Chang et al. 2018, <https://www.cancerhotspots.org>):
//! the published SNV and indel hotspot tables (`Hugo_Symbol`,
//! `Amino_Acid_Position`, `Reference_Amino_Acid` `V:897`,
//! `Variant_Amino_Acid` `E:833` / `K546del:5`, `Mutation_Count`, `qvalue`),
//! and optionally an allele-level table of the same hotspots on the bundle's
//! build (no header: chrom, pos, ref, alt, gene, class, protein change; MAF
//! alleles, `-` for none).
//!
//! Each hotspot residue becomes a codon-level record (`BRAF:V600`), each
//! observed change a protein-level record (`BRAF:V600E`, with the allele
//! when the allele table has it), and each indel hotspot range a
//! region-level record (`CDKN2A:27-42`, in-frame indels inside the range).
//! Splice-site hotspots (`X187_splice`) are counted and skipped: they have
//! no protein position to match.

use std::collections::BTreeMap;

use variant_model::evidence::Evidence;

use super::tsv::Table;
use super::{Context, Converted};
use crate::config::SourceConfig;
use crate::curated::{CuratedRecord, MatchRule, RegionEffect};

fn evidence(count: Option<u32>, qvalue: Option<&str>, what: &str) -> Evidence {
    let mut description = format!("cancerhotspots.org v2 {what}");
    if let Some(n) = count {
        description.push_str(&format!("; {n} tumour samples"));
    }
    if let Some(q) = qvalue {
        description.push_str(&format!("; q-value {q}"));
    }
    Evidence {
        clinical_significance: Some("Hotspot".into()),
        evidence_type: Some("hotspot".into()),
        hotspot_count: count,
        description: Some(description),
        url: Some("https://www.cancerhotspots.org".into()),
        redistributable: Some(true),
        ..Default::default()
    }
}

/// `E:833` → (`E`, 833); `K546del:5` → (`K546del`, 5).
fn split_count(text: &str) -> Option<(&str, u32)> {
    let (value, count) = text.rsplit_once(':')?;
    Some((value, count.parse().ok()?))
}

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    // Keyed by record id so residue rows repeated per variant merge.
    let mut records: BTreeMap<String, CuratedRecord> = BTreeMap::new();
    let snv = config.paths("snv", ctx.base)?;
    let indel = config.paths("indel", ctx.base)?;
    let alleles = config.paths("alleles", ctx.base)?;
    if snv.is_empty() && indel.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.snv and/or files.indel are required",
            config.name()
        )));
    }
    for path in &snv {
        out.inputs.push(("snv".into(), path.clone()));
        let mut table = Table::open(path)?;
        let gene_col = table.require(&["Hugo_Symbol"])?;
        let pos_col = table.require(&["Amino_Acid_Position"])?;
        let ref_col = table.require(&["Reference_Amino_Acid"])?;
        let ref_short = table.column(&["ref"]);
        let var_col = table.require(&["Variant_Amino_Acid"])?;
        let count_col = table.column(&["Mutation_Count"]);
        let q_col = table.column(&["qvalue"]);
        while let Some(row) = table.next_row()? {
            out.count("snv_rows_read");
            let gene = row
                .get(Some(gene_col))
                .ok_or_else(|| row.error("empty Hugo_Symbol"))?;
            let position_text = row.get(Some(pos_col)).unwrap_or_default();
            if position_text.ends_with("_splice") {
                out.count("skipped:splice_hotspot");
                continue;
            }
            let position: u64 = position_text.parse().map_err(|_| {
                row.error(format!(
                    "Amino_Acid_Position `{position_text}` is not a number"
                ))
            })?;
            let ref_aa = row
                .get(ref_short)
                .or_else(|| row.get(Some(ref_col)).and_then(|r| r.split(':').next()))
                .filter(|r| r.len() == 1)
                .ok_or_else(|| row.error("no one-letter reference amino acid"))?;
            let residue_count = row.get(count_col).and_then(|c| c.parse().ok());
            let q = row.get(q_col).map(str::to_string);
            let residue_id = format!("{gene}:{ref_aa}{position}");
            records
                .entry(residue_id.clone())
                .or_insert_with(|| CuratedRecord {
                    record_id: residue_id.clone(),
                    gene: Some(gene.to_string()),
                    term: format!("{gene} {ref_aa}{position}"),
                    rules: vec![MatchRule::Codon {
                        position,
                        ref_aa: ref_aa.chars().next(),
                    }],
                    evidence: evidence(residue_count, q.as_deref(), "hotspot residue"),
                });
            let (variant_aa, variant_count) = row
                .get(Some(var_col))
                .and_then(split_count)
                .ok_or_else(|| row.error("Variant_Amino_Acid is not `AA:count`"))?;
            let change = format!("{ref_aa}{position}{variant_aa}");
            let Some(parsed) = crate::protein_change::parse(&change) else {
                out.count("skipped:unparsed_variant_amino_acid");
                continue;
            };
            let id = format!("{gene}:{}", parsed.short());
            records.insert(
                id.clone(),
                CuratedRecord {
                    record_id: id,
                    gene: Some(gene.to_string()),
                    term: format!("{gene} {}", parsed.short()),
                    rules: vec![MatchRule::Protein {
                        change: parsed.short(),
                    }],
                    evidence: evidence(Some(variant_count), q.as_deref(), "hotspot variant"),
                },
            );
        }
    }
    for path in &indel {
        out.inputs.push(("indel".into(), path.clone()));
        let mut table = Table::open(path)?;
        let gene_col = table.require(&["Hugo_Symbol"])?;
        let pos_col = table.require(&["Amino_Acid_Position"])?;
        let var_col = table.require(&["Variant_Amino_Acid"])?;
        let count_col = table.column(&["Mutation_Count"]);
        let q_col = table.column(&["qvalue"]);
        while let Some(row) = table.next_row()? {
            out.count("indel_rows_read");
            let gene = row
                .get(Some(gene_col))
                .ok_or_else(|| row.error("empty Hugo_Symbol"))?;
            let range = row.get(Some(pos_col)).unwrap_or_default();
            let (start, end) = match range.split_once('-') {
                Some((a, b)) => (a.parse().ok(), b.parse().ok()),
                None => (range.parse().ok(), range.parse().ok()),
            };
            let (Some(start), Some(end)) = (start, end) else {
                return Err(row.error(format!("Amino_Acid_Position `{range}` is not N or N-M")));
            };
            let q = row.get(q_col).map(str::to_string);
            let range_id = format!("{gene}:{start}-{end}");
            records
                .entry(range_id.clone())
                .or_insert_with(|| CuratedRecord {
                    record_id: range_id.clone(),
                    gene: Some(gene.to_string()),
                    term: format!("{gene} in-frame indel at residues {start}-{end}"),
                    rules: vec![MatchRule::ProteinRange {
                        start,
                        end,
                        effect: RegionEffect::InframeIndel,
                    }],
                    evidence: evidence(
                        row.get(count_col).and_then(|c| c.parse().ok()),
                        q.as_deref(),
                        "indel hotspot region",
                    ),
                });
            let (name, count) = row
                .get(Some(var_col))
                .and_then(split_count)
                .ok_or_else(|| row.error("Variant_Amino_Acid is not `change:count`"))?;
            let Some(parsed) = crate::protein_change::parse(name) else {
                out.count("skipped:unparsed_variant_amino_acid");
                continue;
            };
            let id = format!("{gene}:{}", parsed.short());
            records.insert(
                id.clone(),
                CuratedRecord {
                    record_id: id,
                    gene: Some(gene.to_string()),
                    term: format!("{gene} {}", parsed.short()),
                    rules: vec![MatchRule::Protein {
                        change: parsed.short(),
                    }],
                    evidence: evidence(Some(count), q.as_deref(), "indel hotspot variant"),
                },
            );
        }
    }
    for path in &alleles {
        out.inputs.push(("alleles".into(), path.clone()));
        read_alleles(path, ctx, &mut records, &mut out)?;
    }
    let mut records: Vec<CuratedRecord> = records.into_values().collect();
    super::write_curated(&config.name(), ctx, &mut records, &mut out)?;
    if !alleles.is_empty() && !ctx.normaliser.left_aligns() {
        out.notes.push(
            "no reference in the bundle: allele-table indels (MAF alleles without an anchor base) were skipped".into(),
        );
    }
    Ok(out)
}

/// Allele table: attaches each allele to its protein-level record.
fn read_alleles(
    path: &std::path::Path,
    ctx: &mut Context,
    records: &mut BTreeMap<String, CuratedRecord>,
    out: &mut Converted,
) -> crate::Result<()> {
    let reader = variant_model::io::open_input(Some(path))?;
    use std::io::BufRead;
    for (i, line) in reader.lines().enumerate() {
        let line_number = i as u64 + 1;
        let line = line.map_err(|e| crate::Error::at(path, line_number, e.to_string()))?;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        out.count("allele_rows_read");
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            return Err(crate::Error::at(
                path,
                line_number,
                format!(
                    "expected 7 columns (chrom pos ref alt gene class protein), found {}",
                    f.len()
                ),
            ));
        }
        let pos: u64 = f[1].parse().map_err(|_| {
            crate::Error::at(
                path,
                line_number,
                format!("position `{}` is not a number", f[1]),
            )
        })?;
        let Some((chrom, vpos, r, a)) = ctx.normaliser.from_maf(f[0], pos, f[2], f[3])? else {
            out.count("skipped:indel_without_reference");
            continue;
        };
        let allele = match ctx.normaliser.normalise(&chrom, vpos, &r, &a)? {
            Ok(allele) => allele,
            Err(skip) => {
                out.count(skip.reason());
                continue;
            }
        };
        let gene = f[4];
        let Some(change) = crate::protein_change::parse(f[6]) else {
            out.count("skipped:unparsed_protein_change");
            continue;
        };
        let rule = MatchRule::Allele {
            chrom: allele.chrom,
            pos: allele.pos,
            ref_allele: allele.ref_allele,
            alt_allele: allele.alt_allele,
        };
        let id = format!("{gene}:{}", change.short());
        let record = records.entry(id.clone()).or_insert_with(|| CuratedRecord {
            record_id: id,
            gene: Some(gene.to_string()),
            term: format!("{gene} {}", change.short()),
            rules: vec![MatchRule::Protein {
                change: change.short(),
            }],
            evidence: evidence(None, None, "hotspot allele"),
        });
        if !record.rules.contains(&rule) {
            record.rules.insert(0, rule);
        }
        out.count("alleles_attached");
    }
    Ok(())
}
