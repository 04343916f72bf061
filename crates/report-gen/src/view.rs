//! The data behind the HTML tier tables.
//!
//! A tier can hold thousands of variants, so the page does not carry them
//! as markup: it embeds them once as JSON (`<script type="application/json">`,
//! never executed) and its script builds only the rows of the current page,
//! and a variant's details when they are opened, with DOM text nodes (which
//! need no escaping). Links are resolved here, and only `https`/`http` URLs
//! of known shape get through.
//!
//! The JSON is made safe to sit inside `<script>` by escaping `<`, `>` and
//! `&` as `\u003c`, `\u003e`, `\u0026`, so no string can close the element.

use serde::Serialize;
use variant_model::classification::{AmpLevel, CriteriaCall, LikelyGermline};
use variant_model::evidence::MatchLevel;
use variant_model::record::SampleCall;

use crate::build::chrom_rank;
use crate::links::record_link;
use crate::model::{ReportVariant, SampleReport, SourceLink, TierKey};

/// All tier tables of a page, by tier.
#[derive(Serialize)]
pub struct TableData<'a> {
    pub tiers: Vec<TierRows<'a>>,
}

#[derive(Serialize)]
pub struct TierRows<'a> {
    pub tier: TierKey,
    pub rows: Vec<Row<'a>>,
}

/// One row of a tier table, with the variant's details.
#[derive(Serialize)]
pub struct Row<'a> {
    pub id: &'a str,
    pub gene: Option<&'a str>,
    pub locus: &'a str,
    /// Sorts loci in karyotype order.
    pub locus_key: String,
    pub transcript: Option<&'a str>,
    pub hgvsc: Option<&'a str>,
    pub hgvsp: Option<&'a str>,
    pub consequence: String,
    pub vaf: Option<f64>,
    pub depth: Option<u32>,
    pub level: Option<AmpLevel>,
    pub therapies: &'a [String],
    pub sources: &'a [SourceLink],
    /// Likely germline variants (tumour-only): the criteria that fired.
    pub germline: Option<String>,
    pub detail: Detail<'a>,
}

#[derive(Serialize)]
pub struct Detail<'a> {
    pub ids: &'a [String],
    pub filters: &'a [String],
    pub qual: Option<f64>,
    pub flags: &'a [String],
    /// The input record before normalisation, as `chrom:pos ref>alts (ALT n)`.
    pub original: Option<String>,
    /// The AMP tier (for a likely germline variant, the tier it would have
    /// as a somatic variant).
    pub tier: TierKey,
    pub likely_germline: Option<&'a LikelyGermline>,
    pub oncogenicity: Option<&'a CriteriaCall>,
    pub acmg: Option<&'a CriteriaCall>,
    pub evidence_levels: &'a [String],
    pub trace: Vec<Firing<'a>>,
    pub evidence: Vec<KbRow<'a>>,
    pub calls: &'a [SampleCall],
    pub transcripts: Vec<Transcript<'a>>,
}

#[derive(Serialize)]
pub struct Firing<'a> {
    pub rule_id: &'a str,
    pub explanation: &'a str,
    pub rules_file: &'a str,
    pub citation: Option<&'a str>,
    pub evidence: Vec<SourceLink>,
}

#[derive(Serialize)]
pub struct KbRow<'a> {
    pub record: SourceLink,
    pub source_version: Option<&'a str>,
    pub match_level: &'static str,
    pub matched_term: Option<&'a str>,
    /// The transcript of a match made on a transcript other than the picked one.
    pub other_transcript: Option<&'a str>,
    pub significance: Option<&'a str>,
    pub direction: Option<&'a str>,
    pub evidence_type: Option<&'a str>,
    pub evidence_level: Option<&'a str>,
    pub therapies: &'a [String],
    pub disease: Option<&'a str>,
    pub publications: Vec<SourceLink>,
    pub review_stars: Option<u8>,
    pub review_status: Option<&'a str>,
    /// Population frequency, as text (`AF 0.66 · grpmax 0.74 (afr)`).
    pub population: Option<String>,
    pub hotspot_count: Option<u32>,
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Transcript<'a> {
    pub feature: Option<&'a str>,
    pub gene: Option<&'a str>,
    pub consequence: String,
    pub impact: Option<&'static str>,
    pub hgvsc: Option<&'a str>,
    pub hgvsp: Option<&'a str>,
    pub picked: bool,
    pub mane_select: Option<&'a str>,
    pub canonical: bool,
}

/// The table data of a report.
pub fn table_data(report: &SampleReport) -> TableData<'_> {
    TableData {
        tiers: report
            .tiers
            .iter()
            .map(|section| TierRows {
                tier: section.tier,
                rows: section.variants.iter().map(row).collect(),
            })
            .collect(),
    }
}

fn row(v: &ReportVariant) -> Row<'_> {
    let r = &v.record;
    let (rank, other) = chrom_rank(&r.allele.chrom);
    Row {
        id: &v.id,
        gene: v.gene.as_deref(),
        locus: &v.locus,
        locus_key: format!("{rank:03}{other}:{:012}", r.allele.pos),
        transcript: v.transcript.as_deref(),
        hgvsc: v.hgvsc.as_deref(),
        hgvsp: v.hgvsp.as_deref(),
        consequence: v.consequence.join(", "),
        vaf: v.vaf,
        depth: v.depth,
        level: v.level,
        therapies: &v.therapies,
        sources: &v.sources,
        germline: v.likely_germline.as_ref().map(|g| {
            g.criteria
                .iter()
                .map(|c| crate::build::criterion_label(c))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        detail: Detail {
            ids: &r.ids,
            filters: &r.filters,
            qual: r.qual,
            flags: &r.flags,
            original: r.original.as_ref().map(|o| {
                format!(
                    "{}:{} {}>{} (ALT {})",
                    o.chrom,
                    o.pos,
                    o.ref_allele,
                    o.alt_alleles.join(","),
                    o.alt_index
                )
            }),
            tier: v.somatic_tier.unwrap_or(v.tier),
            likely_germline: v.likely_germline.as_ref(),
            oncogenicity: v.oncogenicity.as_ref(),
            acmg: v.acmg.as_ref(),
            evidence_levels: &v.evidence_levels,
            trace: r
                .classification
                .iter()
                .flat_map(|c| &c.trace)
                .map(|f| Firing {
                    rule_id: &f.rule_id,
                    explanation: &f.explanation,
                    rules_file: &f.rules_file,
                    citation: f.citation.as_deref(),
                    evidence: f
                        .evidence
                        .iter()
                        .map(|e| record_link(&e.source, &e.record_id, None))
                        .collect(),
                })
                .collect(),
            evidence: r
                .kb_matches
                .iter()
                .map(|m| {
                    let e = &m.evidence;
                    KbRow {
                        record: record_link(&m.source, &m.record_id, e.url.as_deref()),
                        source_version: m.source_version.as_deref(),
                        match_level: match_level_label(m.level),
                        matched_term: m.matched_term.as_deref(),
                        other_transcript: (m.on_picked_transcript == Some(false))
                            .then(|| m.transcript.as_deref().unwrap_or("another transcript")),
                        significance: e.clinical_significance.as_deref(),
                        direction: e.direction.as_deref(),
                        evidence_type: e.evidence_type.as_deref(),
                        evidence_level: e.evidence_level.as_deref(),
                        therapies: &e.therapies,
                        disease: e.disease.as_ref().map(|d| d.name.as_str()),
                        publications: e
                            .pmids
                            .iter()
                            .map(|p| record_link("pubmed", p, None))
                            .collect(),
                        review_stars: e.review_stars,
                        review_status: e.review_status.as_deref(),
                        population: e.population.as_ref().map(|p| {
                            let mut parts = Vec::new();
                            if let Some(af) = p.af {
                                parts.push(format!("AF {af}"));
                            }
                            if let Some(af) = p.grpmax_af {
                                match &p.grpmax_group {
                                    Some(group) => parts.push(format!("grpmax {af} ({group})")),
                                    None => parts.push(format!("grpmax {af}")),
                                }
                            }
                            parts.join(" · ")
                        }),
                        hotspot_count: e.hotspot_count,
                        description: e.description.as_deref(),
                    }
                })
                .collect(),
            calls: &r.calls,
            transcripts: r
                .consequences
                .iter()
                .map(|c| Transcript {
                    feature: c.feature.as_deref(),
                    gene: c.symbol.as_deref().or(c.gene.as_deref()),
                    consequence: c
                        .consequences
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    impact: c.impact.map(|i| i.as_str()),
                    hgvsc: c.hgvsc.as_deref(),
                    hgvsp: c.hgvsp.as_deref(),
                    picked: c.pick,
                    mane_select: c.mane_select.as_deref(),
                    canonical: c.canonical,
                })
                .collect(),
        },
    }
}

/// Serialises `value` as JSON that can sit inside a `<script>` element:
/// `<`, `>` and `&` (which occur only inside JSON strings) become `\u003c`,
/// `\u003e` and `\u0026`, and so do U+2028/U+2029.
pub fn script_safe_json<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let json = serde_json::to_vec(value)?;
    let mut out = Vec::with_capacity(json.len() + json.len() / 64);
    let mut copied = 0;
    let mut i = 0;
    while i < json.len() {
        let escape: Option<(&[u8], usize)> = match json[i] {
            b'<' => Some((b"\\u003c", 1)),
            b'>' => Some((b"\\u003e", 1)),
            b'&' => Some((b"\\u0026", 1)),
            // U+2028 and U+2029 in UTF-8.
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA8) => {
                Some((b"\\u2028", 3))
            }
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA9) => {
                Some((b"\\u2029", 3))
            }
            _ => None,
        };
        match escape {
            Some((replacement, width)) => {
                out.extend_from_slice(&json[copied..i]);
                out.extend_from_slice(replacement);
                i += width;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.extend_from_slice(&json[copied..]);
    Ok(String::from_utf8(out).expect("escaping keeps UTF-8 valid"))
}

fn match_level_label(level: MatchLevel) -> &'static str {
    match level {
        MatchLevel::ExactAllele => "exact allele",
        MatchLevel::ProteinChange => "protein change",
        MatchLevel::Codon => "codon",
        MatchLevel::Region => "region",
        MatchLevel::Gene => "gene",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let text = script_safe_json(&vec![
            "</script><script>alert(1)</script>",
            "a & b",
            "\u{2028}",
        ])
        .unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
        assert_eq!(back[1], "a & b");
        assert_eq!(back[2], "\u{2028}");
    }
}
