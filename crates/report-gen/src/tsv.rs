//! Tab-separated tables for spreadsheets: every variant of a sample, and the
//! cohort summary. In the sample table, `amp_tier` is the group the report
//! lists the variant in (`likely_germline` for a variant of a tumour-only
//! sample flagged likely germline, with the criteria and reason in the next
//! columns), and `analysis` says `tumour_only`, `tumour_normal` or
//! `not_stated`. Lists inside a cell are joined with `;`; a field holding
//! a tab, newline or quote is quoted as RFC 4180 describes.

use std::io::Write;

use crate::cohort::CohortReport;
use crate::model::SampleReport;

const SAMPLE_COLUMNS: &[&str] = &[
    "sample",
    "variant_id",
    "chrom",
    "pos",
    "ref",
    "alt",
    "ids",
    "filters",
    "gene",
    "transcript",
    "hgvsc",
    "hgvsp",
    "protein_change",
    "consequence",
    "impact",
    "vaf",
    "alt_depth",
    "depth",
    "amp_tier",
    "amp_level",
    "likely_germline",
    "likely_germline_reason",
    "oncogenicity",
    "oncogenicity_points",
    "acmg",
    "evidence_levels",
    "therapies",
    "sources",
    "pmids",
    "rules_fired",
    "analysis",
];

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// One row per variant, in the report's order (tier, level, gene, locus).
pub fn write_sample_tsv<W: Write>(report: &SampleReport, out: W) -> csv::Result<()> {
    let mut w = writer(out);
    w.write_record(SAMPLE_COLUMNS)?;
    for variant in report.tiers.iter().flat_map(|s| &s.variants) {
        let r = &variant.record;
        let trace = r
            .classification
            .as_ref()
            .map(|c| {
                c.trace
                    .iter()
                    .map(|f| f.rule_id.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let (sources, pmids): (Vec<_>, Vec<_>) =
            variant.sources.iter().partition(|s| s.source != "pubmed");
        w.write_record([
            report.header.sample.clone(),
            variant.id.clone(),
            r.allele.chrom.clone(),
            r.allele.pos.to_string(),
            r.allele.ref_allele.clone(),
            r.allele.alt_allele.clone(),
            r.ids.join(";"),
            r.filters.join(";"),
            opt(variant.gene.as_ref()),
            opt(variant.transcript.as_ref()),
            opt(variant.hgvsc.as_ref()),
            opt(variant.hgvsp.as_ref()),
            opt(variant.protein_change.as_ref()),
            variant.consequence.join("&"),
            opt(variant.impact.as_ref()),
            variant.vaf.map(|v| format!("{v:.4}")).unwrap_or_default(),
            opt(variant.alt_depth),
            opt(variant.depth),
            match variant.tier {
                crate::model::TierKey::Unclassified => String::new(),
                tier => tier.as_str().to_string(),
            },
            opt(variant.level.map(|l| format!("{l:?}"))),
            variant
                .likely_germline
                .as_ref()
                .map(|g| g.criteria.join(";"))
                .unwrap_or_default(),
            opt(variant.likely_germline.as_ref().map(|g| &g.reason)),
            opt(variant.oncogenicity.as_ref().map(|c| &c.class)),
            opt(variant.oncogenicity.as_ref().and_then(|c| c.points)),
            opt(variant.acmg.as_ref().map(|c| &c.class)),
            variant.evidence_levels.join(";"),
            variant.therapies.join(";"),
            sources
                .iter()
                .map(|s| format!("{}:{}", s.source, s.record_id))
                .collect::<Vec<_>>()
                .join(";"),
            pmids
                .iter()
                .map(|s| s.record_id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            trace.join(";"),
            report.summary.analysis.mode.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// One row per sample: tier counts, TMB, then one column per gene with the
/// sample's findings in it (`p.V600E (I A)`).
pub fn write_cohort_tsv<W: Write>(cohort: &CohortReport, out: W) -> csv::Result<()> {
    let mut w = writer(out);
    let mut header: Vec<String> = ["sample", "tumour_type", "genome_build", "variants"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some(first) = cohort.samples.first() {
        header.extend(
            first
                .tier_counts
                .iter()
                .map(|t| format!("tier_{}", t.tier.as_str())),
        );
    }
    header.push("tmb_per_mb".to_string());
    header.extend(cohort.genes.iter().map(|g| g.gene.clone()));
    w.write_record(&header)?;
    for (index, sample) in cohort.samples.iter().enumerate() {
        let mut row = vec![
            sample.sample.clone(),
            opt(sample.tumour_type.as_ref()),
            opt(sample.genome_build.as_ref()),
            sample.variants.to_string(),
        ];
        row.extend(sample.tier_counts.iter().map(|t| t.count.to_string()));
        row.push(opt(sample.tmb.as_ref().map(|t| t.per_mb)));
        for gene in &cohort.genes {
            row.push(match &gene.cells[index] {
                Some(cell) => cell
                    .findings
                    .iter()
                    .map(|f| match f.level {
                        Some(level) => format!("{} ({} {level:?})", f.change, f.tier.as_str()),
                        None => format!("{} ({})", f.change, f.tier.as_str()),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                None => String::new(),
            });
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}
