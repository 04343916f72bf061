//! OncoKB exports (licensed: read from the licensee's own files, never
//! shipped; <https://www.oncokb.org/api/v1/utils/allAnnotatedVariants.txt>
//! and `allActionableVariants.txt`, described at
//! <https://api.oncokb.org/oncokb-website/api>): tab-separated, one row per
//! alteration (`Hugo Symbol`, `Alteration`, `Protein Change`,
//! `Oncogenicity`, `Mutation Effect`, `PMIDs for Mutation Effect`) and, for
//! actionable variants, one row per level, cancer type and drugs (`Level`,
//! `Cancer Type`, `Drugs(s)`, `PMIDs for drug`).
//!
//! Alterations become rules by name: protein changes (`V600E`), residues
//! (`V600`), exon rules (`Exon 19 in-frame deletions`), `Truncating
//! Mutations` and `Oncogenic Mutations`. Amplifications, deletions and
//! fusions are counted as skipped.

use variant_model::evidence::{Disease, Evidence};

use super::tsv::Table;
use super::{Context, Converted, rules_from_name};
use crate::config::SourceConfig;
use crate::curated::CuratedRecord;

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let mut records = Vec::new();
    let annotated = config.paths("annotated_variants", ctx.base)?;
    let actionable = config.paths("actionable_variants", ctx.base)?;
    if annotated.is_empty() && actionable.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.annotated_variants and/or files.actionable_variants are required",
            config.name()
        )));
    }
    for (role, paths) in [
        ("annotated_variants", &annotated),
        ("actionable_variants", &actionable),
    ] {
        for path in paths {
            out.inputs.push((role.into(), path.clone()));
            read(path, role == "actionable_variants", &mut records, &mut out)?;
        }
    }
    super::write_curated(&config.name(), ctx, &mut records, &mut out)?;
    out.notes.push(
        "licensed source: this bundle must not be redistributed; cancer types are OncoKB names (the exports carry no OncoTree codes)".into(),
    );
    Ok(out)
}

fn split_list(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.split([',', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

fn read(
    path: &std::path::Path,
    actionable: bool,
    records: &mut Vec<CuratedRecord>,
    out: &mut Converted,
) -> crate::Result<()> {
    let mut table = Table::open(path)?;
    let gene_col = table.require(&["Hugo Symbol", "Gene"])?;
    let alteration_col = table.require(&["Alteration"])?;
    let protein_col = table.column(&["Protein Change"]);
    let oncogenicity = table.column(&["Oncogenicity"]);
    let effect = table.column(&["Mutation Effect"]);
    let effect_pmids = table.column(&["PMIDs for Mutation Effect"]);
    let level = table.column(&["Level"]);
    let cancer_type = table.column(&["Cancer Type"]);
    let oncotree = table.column(&["OncoTree Code", "Cancer Type Code"]);
    let drugs = table.column(&["Drugs(s)", "Drugs", "Drug(s)"]);
    let drug_pmids = table.column(&["PMIDs for drug", "PMIDs for Drug"]);
    if actionable && (level.is_none() || cancer_type.is_none()) {
        return Err(table.error("actionable variants need `Level` and `Cancer Type` columns"));
    }
    while let Some(row) = table.next_row()? {
        out.count("rows_read");
        let gene = row
            .get(Some(gene_col))
            .ok_or_else(|| row.error("empty gene"))?;
        let alteration = row
            .get(Some(alteration_col))
            .ok_or_else(|| row.error("empty Alteration"))?;
        let mut rules = rules_from_name(alteration);
        if rules.is_empty()
            && let Some(protein) = row.get(protein_col)
        {
            rules = rules_from_name(protein.trim_start_matches("p."));
        }
        if rules.is_empty() {
            out.count("skipped:not_a_small_variant");
            continue;
        }
        let level_value = row.get(level).map(str::to_string);
        let evidence_type = match level_value.as_deref() {
            Some(l) if l.starts_with("Dx") => "diagnostic",
            Some(l) if l.starts_with("Px") => "prognostic",
            Some(_) => "predictive",
            None => "oncogenic",
        };
        let disease = row.get(cancer_type).map(|name| Disease {
            name: name.to_string(),
            doid: None,
            oncotree: row.get(oncotree).map(str::to_string),
        });
        let mut pmids = split_list(row.get(drug_pmids));
        pmids.extend(split_list(row.get(effect_pmids)));
        let record_id = match (&level_value, &disease) {
            (Some(l), Some(d)) => format!("{gene}:{alteration}:{l}:{}", d.name),
            _ => format!("{gene}:{alteration}"),
        };
        records.push(CuratedRecord {
            record_id,
            gene: Some(gene.to_string()),
            term: format!("{gene} {alteration}"),
            rules,
            evidence: Evidence {
                clinical_significance: row.get(oncogenicity).map(str::to_string),
                evidence_type: Some(evidence_type.into()),
                evidence_level: level_value.map(|l| {
                    if l.starts_with("LEVEL_") {
                        l.trim_start_matches("LEVEL_").to_string()
                    } else {
                        l
                    }
                }),
                therapies: row
                    .get(drugs)
                    .map(|d| {
                        d.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                disease,
                pmids,
                description: row.get(effect).map(|e| format!("mutation effect: {e}")),
                url: Some(format!("https://www.oncokb.org/gene/{gene}/{alteration}")),
                redistributable: Some(false),
                ..Default::default()
            },
        });
    }
    Ok(())
}
