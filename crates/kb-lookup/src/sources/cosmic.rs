//! COSMIC Cancer Mutation Census (licensed: read from the licensee's own
//! `cmc_export.tsv`, never shipped; columns as documented with the CMC
//! download at <https://cancer.sanger.ac.uk/cmc/download>): `GENE_NAME`,
//! `Mutation AA` (`p.V600E`), `GENOMIC_MUTATION_ID` (COSV), `Mutation
//! genome position GRCh37`/`GRCh38` (`7:140753336-140753336`),
//! `GENOMIC_WT_ALLELE_SEQ`, `GENOMIC_MUT_ALLELE_SEQ`,
//! `MUTATION_SIGNIFICANCE_TIER`, `COSMIC_SAMPLE_MUTATED`, `DISEASE`.
//!
//! Each row becomes a protein-level record, with the genomic allele on the
//! bundle's build when its coordinates are given (indels need the bundle
//! reference for their anchor base).

use variant_model::evidence::Evidence;

use super::tsv::Table;
use super::{Context, Converted};
use crate::config::SourceConfig;
use crate::curated::{CuratedRecord, MatchRule};

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let mut records = Vec::new();
    let paths = config.paths("cmc", ctx.base)?;
    if paths.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.cmc is required",
            config.name()
        )));
    }
    let build = crate::contig::canonical_build(ctx.genome_build);
    let position_column = format!("Mutation genome position {build}");
    for path in &paths {
        out.inputs.push(("cmc".into(), path.clone()));
        let mut table = Table::open(path)?;
        let gene_col = table.require(&["GENE_NAME"])?;
        let aa_col = table.require(&["Mutation AA"])?;
        let id_col = table.require(&["GENOMIC_MUTATION_ID"])?;
        let legacy = table.column(&["LEGACY_MUTATION_ID"]);
        let position = table.column(&[position_column.as_str()]);
        let wt = table.column(&["GENOMIC_WT_ALLELE_SEQ"]);
        let mt = table.column(&["GENOMIC_MUT_ALLELE_SEQ"]);
        let tier = table.column(&["MUTATION_SIGNIFICANCE_TIER"]);
        let samples = table.column(&["COSMIC_SAMPLE_MUTATED"]);
        let disease = table.column(&["DISEASE"]);
        let description = table.column(&["Mutation Description AA"]);
        if position.is_none() {
            out.notes.push(format!(
                "no `{position_column}` column: protein-level matching only"
            ));
        }
        while let Some(row) = table.next_row()? {
            out.count("rows_read");
            let gene = row
                .get(Some(gene_col))
                .ok_or_else(|| row.error("empty GENE_NAME"))?;
            // CMC names transcripts as GENE_ENST...; the symbol is the prefix.
            let gene = gene.split('_').next().unwrap_or(gene).to_string();
            let id = row
                .get(Some(id_col))
                .ok_or_else(|| row.error("empty GENOMIC_MUTATION_ID"))?;
            let mut rules = Vec::new();
            if let (Some(pos), Some(w), Some(m)) = (row.get(position), row.get(wt), row.get(mt)) {
                let parsed = pos.split_once(':').and_then(|(c, range)| {
                    let start: u64 = range.split('-').next()?.parse().ok()?;
                    Some((c.to_string(), start))
                });
                let Some((chrom, start)) = parsed else {
                    return Err(row.error(format!("`{pos}` is not chrom:start-end")));
                };
                match ctx.normaliser.from_maf(&chrom, start, w, m)? {
                    Some((c, p, r, a)) => match ctx.normaliser.normalise(&c, p, &r, &a)? {
                        Ok(allele) => rules.push(MatchRule::Allele {
                            chrom: allele.chrom,
                            pos: allele.pos,
                            ref_allele: allele.ref_allele,
                            alt_allele: allele.alt_allele,
                        }),
                        Err(skip) => out.count(&format!("allele_{}", skip.reason())),
                    },
                    None => out.count("allele_skipped:indel_without_reference"),
                }
            }
            let aa = row.get(Some(aa_col)).unwrap_or_default();
            if let Some(change) = crate::protein_change::parse(aa) {
                rules.push(MatchRule::Protein {
                    change: change.short(),
                });
            }
            if rules.is_empty() {
                out.count("skipped:no_matchable_allele_or_protein_change");
                continue;
            }
            let mut text = Vec::new();
            if let Some(n) = row.get(samples) {
                text.push(format!("{n} COSMIC samples"));
            }
            if let Some(d) = row.get(description) {
                text.push(d.to_string());
            }
            if let Some(l) = row.get(legacy) {
                text.push(format!("legacy id {l}"));
            }
            records.push(CuratedRecord {
                record_id: id.to_string(),
                term: format!("{gene} {}", aa.trim_start_matches("p.")),
                gene: Some(gene),
                rules,
                evidence: Evidence {
                    clinical_significance: row.get(tier).map(|t| format!("CMC tier {t}")),
                    evidence_type: Some("somatic_frequency".into()),
                    disease: row.get(disease).map(|d| variant_model::evidence::Disease {
                        name: d.to_string(),
                        doid: None,
                        oncotree: None,
                    }),
                    description: (!text.is_empty()).then(|| text.join("; ")),
                    url: Some(format!("https://cancer.sanger.ac.uk/cosmic/search?q={id}")),
                    redistributable: Some(false),
                    ..Default::default()
                },
            });
        }
    }
    super::write_curated(&config.name(), ctx, &mut records, &mut out)?;
    out.notes
        .push("licensed source: this bundle must not be redistributed".into());
    Ok(out)
}
