//! Inputs built in code for the report-gen tests.
#![allow(dead_code)]

use std::collections::BTreeMap;

use report_gen::date::ReportDate;
use report_gen::demo::{demo_jsonl, demo_stream};
use report_gen::stream::parse_stream;
use report_gen::{InputStream, ReportOptions, SampleReport, build_report};
use variant_model::GenomicAllele;
use variant_model::classification::{
    AmpCall, AmpLevel, AmpTier, Classification, CriteriaCall, CriterionHit, EvidenceRef, RuleFiring,
};
use variant_model::consequence::{SoTerm, TranscriptConsequence};
use variant_model::evidence::{Disease, Evidence, KbMatch, MatchLevel};
use variant_model::record::{
    BundleRef, SampleCall, StreamHeader, StreamLine, StreamSummary, ToolRun, VariantRecord,
};

pub fn options() -> ReportOptions {
    ReportOptions {
        sample: None,
        tumour_type: None,
        date: ReportDate {
            date: Some("2026-01-02".into()),
            source: "--date",
        },
    }
}

/// The demo sample, through the same JSON Lines text the CLI reads.
pub fn demo_input() -> InputStream {
    parse_stream(demo_jsonl().as_bytes(), "demo.jsonl").expect("the demo stream parses")
}

pub fn demo_report() -> SampleReport {
    build_report(demo_input(), &options())
}

/// JSON Lines text of stream lines.
pub fn jsonl(lines: &[StreamLine]) -> String {
    report_gen::demo::to_jsonl(lines)
}

pub fn stream_of(lines: Vec<StreamLine>) -> InputStream {
    parse_stream(jsonl(&lines).as_bytes(), "test.jsonl").expect("test stream parses")
}

/// A variant in `gene` with the given tier, VAF and picked consequence.
pub fn variant(
    gene: &str,
    pos: u64,
    tier: Option<AmpTier>,
    level: Option<AmpLevel>,
    vaf: Option<f64>,
) -> VariantRecord {
    let mut record = VariantRecord::new(GenomicAllele::new("1", pos, "A", "G"));
    record.filters.push("PASS".into());
    record.calls.push(SampleCall {
        sample: "T".into(),
        role: Some("tumor".into()),
        vaf,
        total_depth: Some(100),
        alt_depth: vaf.map(|v| (v * 100.0).round() as u32),
        ..Default::default()
    });
    record.consequences.push(TranscriptConsequence {
        consequences: vec![SoTerm::MissenseVariant],
        symbol: Some(gene.into()),
        feature: Some(format!("TX-{gene}")),
        hgvsc: Some(format!("TX-{gene}:c.{pos}A>G")),
        hgvsp: Some(format!("PX-{gene}:p.Lys{pos}Arg")),
        pick: true,
        ..Default::default()
    });
    record.classification = tier.map(|tier| Classification {
        amp: Some(AmpCall { tier, level }),
        ..Default::default()
    });
    record
}

pub fn header(sample: &str) -> StreamHeader {
    StreamHeader {
        schema_version: "1.0".into(),
        sample: Some(sample.into()),
        genome_build: Some("GRCh38".into()),
        provenance: vec![ToolRun {
            tool: "rule-tier".into(),
            version: "0.1.0".into(),
            params: BTreeMap::new(),
        }],
        bundle: Some(BundleRef {
            version: "b1".into(),
            genome_build: "GRCh38".into(),
            manifest_sha256: "ab".repeat(32),
            redistributable: true,
        }),
        ..Default::default()
    }
}

pub fn summary(read: u64, written: u64) -> StreamLine {
    StreamLine::Summary(StreamSummary {
        records_read: read,
        alleles_written: written,
        ..Default::default()
    })
}

/// Markup that must never reach the page as markup.
pub const SCRIPT: &str = "<script>console.log('XSS')</script>";
pub const IMG: &str = "<img src=x onerror=\"console.log('XSS')\">";

/// A stream whose every text field from a VCF or a knowledge base carries
/// markup: sample, IDs, filters, gene, HGVS, KB record fields, rule trace,
/// summary field names and values, tool parameters.
pub fn hostile_stream() -> Vec<StreamLine> {
    let mut header = header(&format!("S{SCRIPT}"));
    header.tumour_type = Some(Disease {
        name: format!("Melanoma{IMG}"),
        doid: Some(SCRIPT.into()),
        oncotree: None,
    });
    header.provenance[0]
        .params
        .insert(format!("p{SCRIPT}"), IMG.into());
    header.bundle.as_mut().unwrap().version = format!("v{SCRIPT}");

    let mut record = variant(
        &format!("BRAF{SCRIPT}"),
        100,
        Some(AmpTier::I),
        Some(AmpLevel::A),
        Some(0.4),
    );
    record.allele.alt_allele = format!("G{IMG}");
    record.ids = vec![SCRIPT.into()];
    record.filters = vec![IMG.into()];
    record.flags = vec![SCRIPT.into()];
    let csq = &mut record.consequences[0];
    csq.hgvsc = Some(format!("TX:c.1A>G{SCRIPT}"));
    csq.hgvsp = Some(format!("PX:p.Val600Glu{IMG}"));
    csq.feature = Some(format!("TX\"{SCRIPT}"));
    record.calls[0].sample = SCRIPT.into();
    record.calls[0].genotype = Some(IMG.into());
    record.kb_matches.push(KbMatch {
        source: format!("kb{SCRIPT}"),
        source_version: Some(SCRIPT.into()),
        record_id: format!("id{IMG}"),
        level: MatchLevel::ExactAllele,
        matched_term: Some(SCRIPT.into()),
        transcript: Some(IMG.into()),
        on_picked_transcript: Some(false),
        evidence: Evidence {
            clinical_significance: Some(SCRIPT.into()),
            evidence_type: Some(IMG.into()),
            evidence_level: Some(SCRIPT.into()),
            direction: Some(IMG.into()),
            therapies: vec![format!("Drug{SCRIPT}")],
            disease: Some(Disease {
                name: IMG.into(),
                doid: None,
                oncotree: None,
            }),
            pmids: vec![format!("1{SCRIPT}")],
            review_status: Some(SCRIPT.into()),
            review_stars: Some(3),
            description: Some(format!("desc {SCRIPT} {IMG}")),
            url: Some(format!("javascript:alert(1)//{SCRIPT}")),
            ..Default::default()
        },
    });
    record.classification = Some(Classification {
        amp: Some(AmpCall {
            tier: AmpTier::I,
            level: Some(AmpLevel::A),
        }),
        oncogenicity: Some(CriteriaCall {
            class: format!("Oncogenic{SCRIPT}"),
            points: Some(10),
            criteria: vec![CriterionHit {
                code: IMG.into(),
                strength: Some(SCRIPT.into()),
                points: Some(4),
            }],
        }),
        acmg: None,
        likely_germline: None,
        trace: vec![RuleFiring {
            rule_id: format!("R{SCRIPT}"),
            rules_file: IMG.into(),
            citation: Some(SCRIPT.into()),
            explanation: format!("because {IMG}"),
            evidence: vec![EvidenceRef {
                source: "clinvar".into(),
                record_id: format!("1{SCRIPT}"),
            }],
        }],
    });

    let mut summary = StreamSummary {
        records_read: 1,
        alleles_written: 1,
        ..Default::default()
    };
    summary.filtered.insert(format!("filter:{SCRIPT}"), 1);
    summary.counts.insert(IMG.into(), 2);
    summary.unmatched_contigs.insert(format!("chr{SCRIPT}"), 3);
    vec![
        StreamLine::Header(header),
        StreamLine::Variant(record),
        StreamLine::Summary(summary),
    ]
}

/// The hostile stream as JSON Lines, with an unknown summary field whose
/// name and value carry markup too.
pub fn hostile_jsonl() -> String {
    with_summary_fields(
        &jsonl(&hostile_stream()),
        serde_json::json!({ SCRIPT: IMG }),
    )
}

/// Adds fields (a JSON object) to the summary line, the last line of `text`,
/// as a tool newer than report-gen would.
pub fn with_summary_fields(text: &str, fields: serde_json::Value) -> String {
    let extra = fields.to_string();
    let trimmed = text.trim_end().strip_suffix('}').unwrap();
    format!("{trimmed},{}\n", &extra[1..])
}

pub fn demo_lines() -> Vec<StreamLine> {
    demo_stream()
}
