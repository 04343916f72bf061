//! The report as built and rendered from streams made in code.

mod common;

use base64::Engine;
use common::*;
use report_gen::cohort::build_cohort;
use report_gen::html::{render_cohort, render_sample};
use report_gen::model::{SampleReport, TierKey};
use report_gen::tsv::{write_cohort_tsv, write_sample_tsv};
use report_gen::{build_report, stream::parse_stream};
use sha2::{Digest, Sha256};
use variant_model::classification::{AmpLevel, AmpTier};
use variant_model::record::StreamLine;

fn tiers_of(report: &SampleReport) -> Vec<(TierKey, Vec<String>)> {
    report
        .tiers
        .iter()
        .map(|s| {
            (
                s.tier,
                s.variants.iter().map(|v| v.gene.clone().unwrap()).collect(),
            )
        })
        .collect()
}

#[test]
fn demo_report_groups_variants_by_tier_with_key_findings_first() {
    let report = demo_report();
    assert_eq!(report.header.sample, "DEMO-MEL");
    assert_eq!(report.header.tumour_type.as_ref().unwrap().name, "Melanoma");
    assert_eq!(report.header.date.as_deref(), Some("2026-01-02"));
    assert_eq!(
        report.header.provenance.last().unwrap().tool,
        "report-gen",
        "report-gen adds itself to the provenance"
    );
    assert_eq!(
        tiers_of(&report),
        vec![
            (TierKey::I, vec!["BRAF".to_string()]),
            // level C before D, then by gene
            (
                TierKey::II,
                vec!["IDH1".to_string(), "PTEN".to_string(), "TP53".to_string()]
            ),
            (TierKey::III, vec!["PTEN".to_string()]),
            (TierKey::IV, vec!["BRAF".to_string(), "TP53".to_string()]),
        ]
    );
    let counts: Vec<u64> = report.summary.tier_counts.iter().map(|t| t.count).collect();
    assert_eq!(counts, [1, 3, 1, 2]);
    let findings: Vec<(&str, &str)> = report
        .summary
        .key_findings
        .iter()
        .map(|f| (f.gene.as_deref().unwrap(), f.change.as_str()))
        .collect();
    assert_eq!(
        findings,
        [
            ("BRAF", "p.V600E"),
            ("IDH1", "p.R132H"),
            ("PTEN", "p.R130*"),
            ("TP53", "p.R175H")
        ]
    );
    let braf = &report.tiers[0].variants[0];
    assert_eq!(braf.hgvsc.as_deref(), Some("c.1799T>A"));
    assert_eq!(braf.hgvsp.as_deref(), Some("p.Val600Glu"));
    assert!((braf.vaf.unwrap() - 37.0 / 90.0).abs() < 1e-12);
    assert_eq!(braf.depth, Some(90));
    assert_eq!(
        braf.therapies,
        ["Dabrafenib + Trametinib", "Vemurafenib"],
        "therapies from every match, deduplicated and sorted"
    );
    let labels: Vec<&str> = braf.sources.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "CIViC EID1409",
            "CIViC EID95",
            "ClinVar 13961",
            "PMID 21639808",
            "PMID 22735384"
        ]
    );
}

#[test]
fn tmb_qc_and_unknown_summary_fields_are_reported() {
    let text = with_summary_fields(
        &report_gen::demo::demo_jsonl(),
        serde_json::json!({"msi": {"score": 0.4, "status": "MSS"}}),
    );
    let report = build_report(parse_stream(text.as_bytes(), "demo").unwrap(), &options());
    let tmb = report
        .summary
        .tmb
        .as_ref()
        .expect("TMB from the summary line");
    assert_eq!(tmb.per_mb, 3.33);
    assert_eq!(tmb.variants_counted, Some(4));
    assert_eq!(tmb.target_size_mb, Some(1.2));
    assert_eq!(tmb.details["excluded: filter"], "1");
    let qc = &report.qc;
    assert_eq!(qc.records_read, Some(8));
    assert_eq!(qc.alleles_written, Some(7));
    assert_eq!(qc.variants_in_report, 7);
    assert_eq!(qc.filtered["unknown_contig"], 1);
    assert_eq!(qc.filtered_total, 1);
    assert_eq!(qc.unmatched_contigs["chrUn_KI270742v1"], 1);
    assert_eq!(qc.non_pass_in_report["LowEVS"], 1);
    assert_eq!(qc.classifications["oncogenicity"]["Oncogenic"], 3);
    assert_eq!(
        qc.other_summary_fields.keys().collect::<Vec<_>>(),
        ["msi"],
        "a field report-gen does not know is kept"
    );
    assert!(qc.warnings.is_empty(), "{:?}", qc.warnings);
    let html = render_sample(&report, 50).unwrap();
    assert!(
        html.contains(r#"{"score": 0.4, "status": "MSS"}"#),
        "unknown field rendered as is"
    );
    assert!(html.contains("Classes: oncogenicity"));
}

#[test]
fn tmb_written_by_another_tool_is_read_from_an_unknown_field() {
    let text = with_summary_fields(
        &jsonl(&[StreamLine::Header(header("S1")), summary(0, 0)]),
        serde_json::json!({"tmb_estimate": {"mutations_per_mb": 12.5, "caller": "x"}}),
    );
    let report = build_report(parse_stream(text.as_bytes(), "s1").unwrap(), &options());
    let tmb = report.summary.tmb.unwrap();
    assert_eq!(
        (tmb.per_mb, tmb.source_field.as_str()),
        (12.5, "tmb_estimate")
    );
    assert_eq!(tmb.details["caller"], "x");
    assert!(report.qc.other_summary_fields.is_empty());
}

#[test]
fn tumour_type_falls_back_to_the_rule_tier_parameter() {
    let mut h = header("S1");
    h.provenance[0]
        .params
        .insert("tumour_type".into(), "LUAD".into());
    let report = build_report(
        stream_of(vec![StreamLine::Header(h), summary(0, 0)]),
        &options(),
    );
    assert_eq!(report.header.tumour_type.unwrap().name, "LUAD");
}

#[test]
fn qc_warns_about_missing_summary_and_counts_that_do_not_add_up() {
    let lines = vec![
        StreamLine::Header(header("S1")),
        StreamLine::Variant(variant("KRAS", 5, Some(AmpTier::III), None, Some(1.5))),
    ];
    let report = build_report(stream_of(lines.clone()), &options());
    let warnings = report.qc.warnings.join("\n");
    assert!(warnings.contains("no summary line"), "{warnings}");
    assert!(warnings.contains("outside [0, 1]"), "{warnings}");
    assert_eq!(report.plots.variants_without_vaf, 1);

    let mut lines = lines;
    lines.push(summary(4, 3));
    let report = build_report(stream_of(lines), &options());
    assert!(
        report
            .qc
            .warnings
            .iter()
            .any(|w| w.contains("says 3 allele(s) were written, but the stream holds 1")),
        "{:?}",
        report.qc.warnings
    );
}

#[test]
fn unclassified_variants_get_their_own_section_and_plots_count_everything() {
    let lines = vec![
        StreamLine::Header(header("S1")),
        StreamLine::Variant(variant("A1", 1, None, None, Some(0.05))),
        StreamLine::Variant(variant("A2", 2, Some(AmpTier::IV), None, Some(0.5))),
        StreamLine::Variant(variant("A3", 3, Some(AmpTier::IV), None, Some(1.0))),
        StreamLine::Variant(variant("A4", 4, Some(AmpTier::IV), None, None)),
        summary(4, 4),
    ];
    let report = build_report(stream_of(lines), &options());
    let tiers: Vec<TierKey> = report.tiers.iter().map(|s| s.tier).collect();
    assert_eq!(
        tiers,
        [
            TierKey::I,
            TierKey::II,
            TierKey::III,
            TierKey::IV,
            TierKey::Unclassified
        ]
    );
    let histogram: Vec<u64> = report.plots.vaf_histogram.iter().map(|b| b.count).collect();
    assert_eq!(histogram[1], 1, "0.05 opens the second bin");
    assert_eq!(histogram[10], 1, "0.5 opens the eleventh bin");
    assert_eq!(histogram[19], 1, "1.0 falls in the last bin");
    assert_eq!(histogram.iter().sum::<u64>(), 3);
    assert_eq!(report.plots.variants_without_vaf, 1);
    assert_eq!(report.plots.consequence_spectrum.len(), 1);
    assert_eq!(
        report.plots.consequence_spectrum[0].term,
        "missense_variant"
    );
    assert_eq!(report.plots.consequence_spectrum[0].count, 4);
    assert!(report.summary.key_findings.is_empty());
}

/// The `<style>` / `<script>` element bodies of a page.
fn element_bodies<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    html.match_indices(&open)
        .map(|(start, _)| {
            let body = &html[start + open.len()..];
            &body[..body.find(&close).unwrap()]
        })
        .collect()
}

#[test]
fn html_is_self_contained_and_its_policy_pins_the_inline_assets() {
    let html = render_sample(&demo_report(), 50).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing is loaded: no src attributes, stylesheets links or CSS urls.
    for forbidden in [" src=", "<link", "url(", "@import", "<iframe", "<img"] {
        assert!(!html.contains(forbidden), "page contains {forbidden:?}");
    }
    let csp_start = html.find("Content-Security-Policy\" content=\"").unwrap();
    // The attribute is HTML-escaped: a `/` in a base64 hash is `&#x2f;`.
    let csp =
        html[csp_start..html[csp_start..].find("\">").unwrap() + csp_start].replace("&#x2f;", "/");
    let csp = csp.as_str();
    assert!(csp.contains("default-src &#x27;none&#x27;") || csp.contains("default-src 'none'"));
    let hash = |text: &str| {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    };
    let styles = element_bodies(&html, "style");
    let scripts = element_bodies(&html, "script");
    assert_eq!((styles.len(), scripts.len()), (1, 1));
    assert!(csp.contains(&hash(styles[0])), "style hash not in {csp}");
    assert!(csp.contains(&hash(scripts[0])), "script hash not in {csp}");
    // The data block is JSON, never executed.
    assert_eq!(
        html.matches("<script type=\"application/json\" id=\"variant-data\">")
            .count(),
        1
    );
    // Plots are inline SVG.
    for id in ["plot-tiers", "plot-vaf", "plot-consequences"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    assert_eq!(html.matches("<svg ").count(), 3);
    // The disclaimer is on the page.
    assert!(html.contains("is not a diagnosis"));
}

#[test]
fn html_shows_every_tier_section_and_the_header_facts() {
    let html = render_sample(&demo_report(), 50).unwrap();
    for tier in ["I", "II", "III", "IV"] {
        assert!(
            html.contains(&format!("<section id=\"tier-{tier}\"")),
            "no Tier {tier} section"
        );
    }
    assert!(!html.contains("id=\"tier-unclassified\""));
    for fact in [
        "DEMO-MEL",
        "Melanoma",
        "GRCh38",
        "2026-01-02",
        "demo-2026.11",
        "annotation-engine",
        "vcf-annotate",
        "pick_order=mane_select",
        "chrUn_KI270742v1",
        "unknown_contig",
        "mutect2",
        "##source=Mutect2",
        "normal NORMAL",
    ] {
        assert!(html.contains(fact), "page lacks {fact:?}");
    }
    // Every variant is in the table data with its rule trace.
    let data_start = html.find("id=\"variant-data\">").unwrap() + "id=\"variant-data\">".len();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&html[data_start..data_end]).unwrap();
    let rows: Vec<&serde_json::Value> = data["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap())
        .collect();
    assert_eq!(rows.len(), 7);
    let braf = rows.iter().find(|r| r["id"] == "v1").unwrap();
    assert_eq!(braf["detail"]["trace"][0]["rule_id"], "AMP-I-A-same-tumour");
    assert_eq!(
        braf["detail"]["evidence"][0]["record"]["url"],
        "https://civicdb.org/evidence/95/summary"
    );
    assert_eq!(
        braf["detail"]["evidence"][0]["publications"][0]["url"],
        "https://pubmed.ncbi.nlm.nih.gov/21639808/"
    );
}

#[test]
fn every_string_from_a_vcf_or_knowledge_base_is_escaped() {
    let input = parse_stream(hostile_jsonl().as_bytes(), "hostile.jsonl").unwrap();
    let report = build_report(input, &options());
    let html = render_sample(&report, 50).unwrap();

    // Only the page's own two script elements exist, and no injected tag.
    assert_eq!(html.matches("<script").count(), 2, "injected <script>");
    for injected in [
        "<img",
        "onerror=\"",
        "javascript:",
        "console.log('XSS')</script>",
    ] {
        assert!(!html.contains(injected), "page contains {injected:?}");
    }
    // Server-rendered text shows the markup as text...
    assert!(html.contains("S&lt;script&gt;console.log(&#x27;XSS&#x27;)&lt;&#x2f;script&gt;"));
    // ...and the table data carries it escaped for the script element.
    assert!(html.contains("BRAF\\u003cscript\\u003econsole.log('XSS')\\u003c/script\\u003e"));
    // The KB's javascript: URL and the odd PubMed id produced no link.
    let variant = &report.tiers[0].variants[0];
    assert!(variant.sources.iter().all(|s| s.url.is_none()));
}

#[test]
fn tsv_lists_every_variant_in_report_order() {
    let report = demo_report();
    let mut out = Vec::new();
    write_sample_tsv(&report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "header + 7 variants");
    let header: Vec<&str> = lines[0].split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let braf: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(braf.len(), header.len());
    assert_eq!(braf[col("gene")], "BRAF");
    assert_eq!(braf[col("pos")], "140753336");
    assert_eq!(braf[col("hgvsp")], "p.Val600Glu");
    assert_eq!(braf[col("amp_tier")], "I");
    assert_eq!(braf[col("amp_level")], "A");
    assert_eq!(braf[col("vaf")], "0.4111");
    assert_eq!(braf[col("pmids")], "21639808;22735384");
    assert_eq!(
        braf[col("rules_fired")],
        "AMP-I-A-same-tumour;ONC-OS3-hotspot"
    );
    let tiers: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split('\t').nth(col("amp_tier")).unwrap())
        .collect();
    assert_eq!(tiers, ["I", "II", "II", "II", "III", "IV", "IV"]);
}

#[test]
fn tsv_quotes_fields_with_tabs_or_newlines() {
    let mut record = variant("G\tX", 1, Some(AmpTier::III), None, Some(0.2));
    record.filters = vec!["line\nbreak".into()];
    let lines = vec![
        StreamLine::Header(header("S1")),
        StreamLine::Variant(record),
        summary(1, 1),
    ];
    let report = build_report(stream_of(lines), &options());
    let mut out = Vec::new();
    write_sample_tsv(&report, &mut out).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_reader(out.as_slice());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(row.len(), headers.len());
    let gene = headers.iter().position(|h| h == "gene").unwrap();
    let filters = headers.iter().position(|h| h == "filters").unwrap();
    assert_eq!(&row[gene], "G\tX");
    assert_eq!(&row[filters], "line\nbreak");
}

#[test]
fn json_report_round_trips() {
    let report = demo_report();
    let text = serde_json::to_string(&report).unwrap();
    let back: SampleReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
}

#[test]
fn same_input_renders_byte_identical_outputs() {
    let first = demo_report();
    let second = demo_report();
    assert_eq!(
        render_sample(&first, 50).unwrap(),
        render_sample(&second, 50).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&second).unwrap()
    );
}

fn sample_report(name: &str, variants: Vec<variant_model::VariantRecord>) -> SampleReport {
    let mut lines = vec![StreamLine::Header(header(name))];
    let n = variants.len() as u64;
    lines.extend(variants.into_iter().map(StreamLine::Variant));
    lines.push(summary(n, n));
    build_report(stream_of(lines), &options())
}

#[test]
fn cohort_matrix_shows_the_strongest_tier_per_gene_and_sample() {
    let a = sample_report(
        "A",
        vec![
            variant("BRAF", 600, Some(AmpTier::I), Some(AmpLevel::A), Some(0.4)),
            variant("BRAF", 601, Some(AmpTier::III), None, Some(0.2)),
            variant("TP53", 175, Some(AmpTier::II), Some(AmpLevel::D), Some(0.5)),
            variant("OR4F5", 1, Some(AmpTier::IV), None, Some(0.5)),
        ],
    );
    let b = sample_report(
        "B",
        vec![variant("TP53", 248, Some(AmpTier::III), None, Some(0.3))],
    );
    let cohort = build_cohort(
        &[("a.json".into(), a), ("b.json".into(), b)],
        TierKey::III,
        None,
    )
    .unwrap();
    let genes: Vec<&str> = cohort.genes.iter().map(|g| g.gene.as_str()).collect();
    assert_eq!(
        genes,
        ["TP53", "BRAF"],
        "most samples first; tier IV left out"
    );
    let tp53 = &cohort.genes[0];
    assert_eq!(tp53.samples_with_findings, 2);
    assert_eq!(tp53.cells[0].as_ref().unwrap().best_tier, TierKey::II);
    assert_eq!(tp53.cells[1].as_ref().unwrap().best_tier, TierKey::III);
    let braf = cohort.genes[1].cells[0].as_ref().unwrap();
    assert_eq!(braf.best_tier, TierKey::I);
    let changes: Vec<&str> = braf.findings.iter().map(|f| f.change.as_str()).collect();
    assert_eq!(changes, ["p.K600R", "p.K601R"]);
    assert!(cohort.genes[1].cells[1].is_none());
    let counts: Vec<u64> = cohort.samples[0]
        .tier_counts
        .iter()
        .map(|t| t.count)
        .collect();
    assert_eq!(
        counts,
        [1, 1, 1, 1, 0, 0],
        "I-IV, likely germline, unclassified"
    );

    let mut tsv = Vec::new();
    write_cohort_tsv(&cohort, &mut tsv).unwrap();
    let tsv = String::from_utf8(tsv).unwrap();
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        lines[0],
        "sample\ttumour_type\tgenome_build\tvariants\ttier_I\ttier_II\ttier_III\ttier_IV\ttier_likely_germline\ttier_unclassified\ttmb_per_mb\tTP53\tBRAF"
    );
    assert_eq!(
        lines[1],
        "A\t\tGRCh38\t4\t1\t1\t1\t1\t0\t0\t\tp.K175R (II D)\tp.K600R (I A);p.K601R (III)"
    );
    assert_eq!(
        lines[2],
        "B\t\tGRCh38\t1\t0\t0\t1\t0\t0\t0\t\tp.K248R (III)\t"
    );

    let html = render_cohort(&cohort).unwrap();
    assert!(html.contains("<td class=\"cell tier-I\""));
    assert!(html.contains("p.K600R"));
    assert!(html.contains("is not a diagnosis"));

    let only_tier_one = build_cohort(
        &[(
            "a.json".into(),
            sample_report(
                "A",
                vec![
                    variant("BRAF", 600, Some(AmpTier::I), Some(AmpLevel::A), Some(0.4)),
                    variant("TP53", 175, Some(AmpTier::II), Some(AmpLevel::D), Some(0.5)),
                ],
            ),
        )],
        TierKey::I,
        None,
    )
    .unwrap();
    assert_eq!(only_tier_one.genes.len(), 1);
}

#[test]
fn cohort_rejects_duplicate_samples_and_warns_on_mixed_builds() {
    let a = sample_report("A", vec![]);
    let err = build_cohort(
        &[("1.json".into(), a.clone()), ("2.json".into(), a.clone())],
        TierKey::III,
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "sample \"A\" appears twice (1.json and 2.json)"
    );
    let mut b = sample_report("B", vec![]);
    b.header.genome_build = Some("GRCh37".into());
    let cohort = build_cohort(
        &[("1.json".into(), a), ("2.json".into(), b)],
        TierKey::III,
        None,
    )
    .unwrap();
    assert_eq!(
        cohort.warnings,
        ["Samples use different genome builds: GRCh37, GRCh38."]
    );
}
