//! ClinVar VCF (`clinvar_YYYYMMDD.vcf.gz`, format described at
//! <https://www.ncbi.nlm.nih.gov/clinvar/docs/maintenance_use/#vcf>): the ID
//! column is the VariationID; INFO carries ALLELEID, CLNSIG, CLNREVSTAT,
//! CLNDN, GENEINFO (and ONC/SCI for somatic classifications since 2024).

use variant_model::evidence::{Disease, Evidence};

use super::{Context, Converted, info_value};
use crate::config::SourceConfig;
use crate::exact::{SourceLine, decode_info_value, parse_info};

/// Review stars for a CLNREVSTAT value, per ClinVar's review-status table
/// (<https://www.ncbi.nlm.nih.gov/clinvar/docs/review_status/>).
pub fn review_stars(status: &str) -> Option<u8> {
    let s = status.to_ascii_lowercase().replace('_', " ");
    let s = s.trim();
    Some(match s {
        "practice guideline" => 4,
        "reviewed by expert panel" => 3,
        "criteria provided, multiple submitters, no conflicts" => 2,
        "criteria provided, conflicting classifications"
        | "criteria provided, conflicting interpretations"
        | "criteria provided, single submitter" => 1,
        "no assertion criteria provided"
        | "no assertion provided"
        | "no classification provided"
        | "no classifications from unflagged records"
        | "no classification for the single variant"
        | "no classification for the individual variant"
        | "no interpretation for the single variant" => 0,
        _ => return None,
    })
}

const INFO_LINES: &[&str] = &[
    "##INFO=<ID=ALLELEID,Number=1,Type=Integer,Description=\"ClinVar AlleleID\">",
    "##INFO=<ID=CLNSIG,Number=1,Type=String,Description=\"ClinVar germline classification (CLNSIG)\">",
    "##INFO=<ID=CLNREVSTAT,Number=1,Type=String,Description=\"ClinVar review status (CLNREVSTAT)\">",
    "##INFO=<ID=STARS,Number=1,Type=Integer,Description=\"Review stars (0-4) derived from CLNREVSTAT\">",
    "##INFO=<ID=CLNDN,Number=1,Type=String,Description=\"ClinVar disease names (CLNDN)\">",
    "##INFO=<ID=GENEINFO,Number=1,Type=String,Description=\"Gene symbol:GeneID pairs (GENEINFO)\">",
    "##INFO=<ID=ONC,Number=1,Type=String,Description=\"ClinVar oncogenicity classification (ONC)\">",
    "##INFO=<ID=SCI,Number=1,Type=String,Description=\"ClinVar somatic clinical impact (SCI)\">",
];

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let mut unknown_status = 0u64;
    super::convert_exact_vcf(
        config,
        ctx,
        INFO_LINES.iter().map(|s| s.to_string()).collect(),
        |record, _alt_index| {
            let mut info = Vec::new();
            for key in ["ALLELEID", "CLNSIG", "CLNREVSTAT"] {
                if let Some(v) = info_value(record.info, key) {
                    info.push((key.to_string(), decode_info_value(v)));
                }
            }
            if let Some(status) = info_value(record.info, "CLNREVSTAT") {
                match review_stars(&decode_info_value(status)) {
                    Some(stars) => info.push(("STARS".into(), stars.to_string())),
                    None => unknown_status += 1,
                }
            }
            for key in ["CLNDN", "GENEINFO", "ONC", "SCI"] {
                if let Some(v) = info_value(record.info, key) {
                    info.push((key.to_string(), decode_info_value(v)));
                }
            }
            Ok((record.id.to_string(), info))
        },
        &mut out,
    )?;
    if unknown_status > 0 {
        out.add("review_status_without_stars", unknown_status);
        out.notes.push(
            "some CLNREVSTAT values are not in ClinVar's review-status table: no stars given"
                .into(),
        );
    }
    Ok(out)
}

fn readable(value: &str) -> String {
    value.replace('_', " ")
}

/// Evidence of one exact-table line.
pub fn evidence(chrom: &str, line: &SourceLine) -> (String, Option<String>, Evidence) {
    let info = parse_info(line.info());
    let get = |k: &str| info.get(k).map(|v| decode_info_value(v));
    let gene = get("GENEINFO").map(|g| {
        g.split('|')
            .filter_map(|p| p.split(':').next())
            .collect::<Vec<_>>()
            .join(",")
    });
    let disease = get("CLNDN").map(|names| Disease {
        name: names
            .split('|')
            .map(readable)
            .collect::<Vec<_>>()
            .join("; "),
        doid: None,
        oncotree: None,
    });
    let evidence = Evidence {
        clinical_significance: get("CLNSIG").map(|s| readable(&s)),
        evidence_type: Some("germline_classification".into()),
        review_stars: get("STARS").and_then(|s| s.parse().ok()),
        review_status: get("CLNREVSTAT").map(|s| readable(&s)),
        disease,
        description: get("ONC").map(|o| format!("oncogenicity: {}", readable(&o))),
        url: Some(format!(
            "https://www.ncbi.nlm.nih.gov/clinvar/variation/{}/",
            line.id()
        )),
        redistributable: Some(true),
        ..Default::default()
    };
    let term = gene.map(|g| {
        format!(
            "{g} {chrom}:{}:{}>{}",
            line.pos,
            line.ref_allele(),
            line.alt_allele()
        )
    });
    (line.id().to_string(), term, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_clinvar_review_statuses() {
        assert_eq!(review_stars("practice_guideline"), Some(4));
        assert_eq!(review_stars("reviewed_by_expert_panel"), Some(3));
        assert_eq!(
            review_stars("criteria_provided,_multiple_submitters,_no_conflicts"),
            Some(2)
        );
        assert_eq!(
            review_stars("criteria_provided,_conflicting_classifications"),
            Some(1)
        );
        assert_eq!(review_stars("criteria_provided,_single_submitter"), Some(1));
        assert_eq!(review_stars("no_assertion_criteria_provided"), Some(0));
        assert_eq!(review_stars("something_new"), None);
    }
}
