//! A tumour-only sample: the report says so (HTML, JSON, TSV), and lists the
//! variants rule-tier flagged likely germline apart from the somatic tiers,
//! with the reason.

mod common;

use std::collections::BTreeMap;

use common::*;
use report_gen::build_report;
use report_gen::html::render_sample;
use report_gen::model::TierKey;
use report_gen::tsv::write_sample_tsv;
use variant_model::classification::{AmpLevel, AmpTier, LikelyGermline, RuleFiring};
use variant_model::record::{GermlineScreen, StreamLine, StreamSummary};

const REASON: &str = "gnomAD grpmax (nfe) 0.0310 ≥ 0.002: likely a germline polymorphism";

fn stream(screen: GermlineScreen) -> Vec<StreamLine> {
    let somatic = variant("BRAF", 600, Some(AmpTier::I), Some(AmpLevel::A), Some(0.21));
    let mut germline = variant(
        "BRCA2",
        3000,
        Some(AmpTier::I),
        Some(AmpLevel::A),
        Some(0.49),
    );
    let classification = germline.classification.as_mut().unwrap();
    classification.likely_germline = Some(LikelyGermline {
        criteria: vec!["population_af".into(), "vaf_heterozygous".into()],
        reason: REASON.into(),
    });
    classification.trace.push(RuleFiring {
        rule_id: "tumour_only.germline.flagged".into(),
        rules_file: "tumour_only.toml@1.0.0".into(),
        citation: None,
        explanation: format!("tumour-only sample: likely germline: {REASON}"),
        evidence: Vec::new(),
    });
    let vus = variant("KRAS", 12, Some(AmpTier::III), None, Some(0.3));
    vec![
        StreamLine::Header(header("T1")),
        StreamLine::Variant(somatic),
        StreamLine::Variant(germline),
        StreamLine::Variant(vus),
        StreamLine::Summary(StreamSummary {
            records_read: 3,
            alleles_written: 3,
            unmatched_contigs: BTreeMap::from([("chrUn_x".to_string(), 2)]),
            germline_screen: Some(screen),
            ..Default::default()
        }),
    ]
}

fn tumour_only_screen() -> GermlineScreen {
    GermlineScreen {
        tumour_only_variants: 3,
        tumour_normal_variants: 0,
        likely_germline: 1,
        criteria: BTreeMap::from([
            ("population_af".to_string(), 1),
            ("vaf_heterozygous".to_string(), 1),
        ]),
        rules: "tumour_only.toml@1.0.0".into(),
    }
}

#[test]
fn tumour_only_reports_say_so_and_list_likely_germline_variants_apart() {
    let report = build_report(stream_of(stream(tumour_only_screen())), &options());

    let analysis = &report.summary.analysis;
    assert_eq!(analysis.mode, "tumour_only");
    assert!(
        analysis.statement.starts_with("Analysed tumour-only"),
        "{}",
        analysis.statement
    );
    assert!(analysis.statement.contains("1 variant(s) are flagged likely germline (gnomAD population frequency 1, VAF near 0.5 1)"), "{}", analysis.statement);

    // BRCA2 is not in Tier I (nor in the key findings) but in its own group,
    // with the tier it would have as a somatic variant.
    let tier = |key: TierKey| report.tiers.iter().find(|s| s.tier == key).unwrap();
    let genes = |key: TierKey| -> Vec<String> {
        tier(key)
            .variants
            .iter()
            .map(|v| v.gene.clone().unwrap())
            .collect()
    };
    assert_eq!(genes(TierKey::I), ["BRAF"]);
    assert_eq!(genes(TierKey::LikelyGermline), ["BRCA2"]);
    let brca2 = &tier(TierKey::LikelyGermline).variants[0];
    assert_eq!(brca2.somatic_tier, Some(TierKey::I));
    assert_eq!(brca2.likely_germline.as_ref().unwrap().reason, REASON);
    let key: Vec<&str> = report
        .summary
        .key_findings
        .iter()
        .map(|f| f.gene.as_deref().unwrap())
        .collect();
    assert_eq!(key, ["BRAF"]);
    let order: Vec<TierKey> = report.tiers.iter().map(|s| s.tier).collect();
    assert_eq!(
        order,
        [
            TierKey::I,
            TierKey::II,
            TierKey::III,
            TierKey::IV,
            TierKey::LikelyGermline
        ]
    );

    // JSON.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["summary"]["analysis"]["mode"], "tumour_only");
    assert_eq!(json["tiers"][4]["tier"], "likely_germline");
    // Unknown contigs reach the QC section.
    assert_eq!(report.qc.unmatched_contigs["chrUn_x"], 2);

    // HTML: the notice, the masthead fact, the section, the reason in the data.
    let html = render_sample(&report, 50).unwrap();
    assert!(html.contains("<strong>Tumour-only analysis.</strong> Analysed tumour-only"));
    assert!(html.contains("<strong class=\"tumour-only\">Tumour-only</strong>"));
    assert!(html.contains("id=\"tier-likely_germline\""));
    assert!(html.contains("<th>Why likely germline</th>"));
    assert!(html.contains("\"germline\":\"gnomAD population frequency, VAF near 0.5\""));
    assert!(html.contains("chrUn_x"));

    // TSV: one column says tumour-only, two say which variant and why.
    let mut out = Vec::new();
    write_sample_tsv(&report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let col = |name: &str| lines[0].iter().position(|h| *h == name).unwrap();
    let brca2 = lines.iter().find(|l| l[col("gene")] == "BRCA2").unwrap();
    assert_eq!(brca2[col("amp_tier")], "likely_germline");
    assert_eq!(
        brca2[col("likely_germline")],
        "population_af;vaf_heterozygous"
    );
    assert_eq!(brca2[col("likely_germline_reason")], REASON);
    let braf = lines.iter().find(|l| l[col("gene")] == "BRAF").unwrap();
    assert_eq!(braf[col("likely_germline")], "");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l[col("analysis")] == "tumour_only")
    );
}

#[test]
fn matched_normal_and_unscreened_samples_have_no_germline_group() {
    let paired = GermlineScreen {
        tumour_only_variants: 0,
        tumour_normal_variants: 3,
        likely_germline: 0,
        criteria: BTreeMap::new(),
        rules: "tumour_only.toml@1.0.0".into(),
    };
    let mut lines = stream(paired);
    // No flag in a paired sample.
    if let StreamLine::Variant(v) = &mut lines[2] {
        v.classification.as_mut().unwrap().likely_germline = None;
    }
    let report = build_report(stream_of(lines), &options());
    assert_eq!(report.summary.analysis.mode, "tumour_normal");
    assert!(
        report
            .tiers
            .iter()
            .all(|s| s.tier != TierKey::LikelyGermline)
    );
    let html = render_sample(&report, 50).unwrap();
    assert!(!html.contains("Tumour-only analysis."));
    assert!(html.contains("Tumour–normal"));

    // A stream without a screen (older rule-tier, germline sample).
    let report = demo_report();
    assert_eq!(report.summary.analysis.mode, "not_stated");
    assert!(
        report
            .tiers
            .iter()
            .all(|s| s.tier != TierKey::LikelyGermline)
    );
}

#[test]
fn an_empty_germline_group_still_shows_in_a_tumour_only_report() {
    let mut screen = tumour_only_screen();
    screen.likely_germline = 0;
    screen.criteria.clear();
    let mut lines = stream(screen);
    if let StreamLine::Variant(v) = &mut lines[2] {
        v.classification.as_mut().unwrap().likely_germline = None;
    }
    let report = build_report(stream_of(lines), &options());
    let group = report
        .tiers
        .iter()
        .find(|s| s.tier == TierKey::LikelyGermline)
        .expect("shown even when empty");
    assert!(group.variants.is_empty());
    assert!(
        report
            .summary
            .analysis
            .statement
            .contains("0 variant(s) are flagged")
    );
}
