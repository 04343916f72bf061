//! From the input stream to the [`SampleReport`]: grouping by tier, the
//! columns of the tier tables, key findings, plot data and QC.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use variant_model::consequence::{SoTerm, TranscriptConsequence};
use variant_model::evidence::Disease;
use variant_model::protein::one_letter;
use variant_model::record::{SampleCall, TmbSummary, ToolRun, VariantRecord};

use crate::date::ReportDate;
use crate::links::Linker;
use crate::model::*;
use crate::stream::InputStream;
use crate::{DISCLAIMER, TOOL_NAME, TOOL_VERSION};

/// Choices of the user that change the report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Overrides the sample name of the input header (the pipeline passes
    /// the sample sheet's id: a tumour/normal VCF's header names no single
    /// sample, or names its tumour column).
    pub sample: Option<String>,
    /// Overrides the tumour type of the input header.
    pub tumour_type: Option<String>,
    pub date: ReportDate,
}

/// Builds the report of one sample.
pub fn build_report(input: InputStream, options: &ReportOptions) -> SampleReport {
    let mut warnings = Vec::new();
    let sample = options
        .sample
        .clone()
        .or_else(|| input.header.sample.clone())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            warnings.push("The input header names no sample.".to_string());
            "unnamed sample".to_string()
        });

    let extra = input
        .summary
        .as_ref()
        .map(|s| s.extra.clone())
        .unwrap_or_default();
    let (found_tmb, other_summary_fields) = split_tmb(extra);
    let tmb = input
        .summary
        .as_ref()
        .and_then(|s| s.known.tmb.as_ref())
        .map(typed_tmb)
        .or(found_tmb);
    let mut qc = qc_summary(&input, other_summary_fields, warnings);
    let input_screen = input
        .summary
        .as_ref()
        .and_then(|s| s.known.germline_screen.clone());
    let variant_count = input.variants.len() as u64;
    let header = input.header;
    let linker = crate::links::Linker::for_bundle(header.bundle.as_ref());

    let mut by_tier: BTreeMap<TierKey, Vec<ReportVariant>> = BTreeMap::new();
    for (index, record) in input.variants.into_iter().enumerate() {
        let variant = report_variant(index, record, &linker);
        by_tier.entry(variant.tier).or_default().push(variant);
    }
    for variants in by_tier.values_mut() {
        variants.sort_by(compare_in_tier);
    }

    let mut tiers: Vec<TierSection> = TierKey::AMP
        .iter()
        .map(|&tier| section(tier, by_tier.remove(&tier).unwrap_or_default()))
        .collect();
    let analysis = analysis(input_screen.as_ref());
    // A tumour-only report always shows the group, even when empty, so the
    // reader sees that the screen ran.
    let likely_germline = by_tier.remove(&TierKey::LikelyGermline);
    if likely_germline.is_some() || analysis.mode == "tumour_only" {
        tiers.push(section(
            TierKey::LikelyGermline,
            likely_germline.unwrap_or_default(),
        ));
    }
    if let Some(unclassified) = by_tier.remove(&TierKey::Unclassified) {
        tiers.push(section(TierKey::Unclassified, unclassified));
    }
    let tier_counts: Vec<TierCount> = tiers
        .iter()
        .map(|s| TierCount {
            tier: s.tier,
            count: s.variants.len() as u64,
        })
        .collect();

    let key_findings = tiers
        .iter()
        .filter(|s| matches!(s.tier, TierKey::I | TierKey::II))
        .flat_map(|s| &s.variants)
        .map(key_finding)
        .collect();

    let plots = plot_data(&tiers, &tier_counts, &mut qc.warnings);

    let tumour_type = match &options.tumour_type {
        Some(name) => Some(Disease {
            name: name.clone(),
            doid: None,
            oncotree: None,
        }),
        None => header
            .tumour_type
            .clone()
            .or_else(|| tumour_type_parameter(&header.provenance)),
    };
    let mut params = BTreeMap::new();
    params.insert("date_source".to_string(), options.date.source.to_string());
    if let Some(name) = &options.tumour_type {
        params.insert("tumour_type".to_string(), name.clone());
    }
    if let Some(name) = &options.sample {
        params.insert("sample".to_string(), name.clone());
    }
    let mut provenance = header.provenance;
    provenance.push(ToolRun {
        tool: TOOL_NAME.to_string(),
        version: TOOL_VERSION.to_string(),
        params,
    });

    SampleReport {
        report_schema_version: REPORT_SCHEMA_VERSION.to_string(),
        header: ReportHeader {
            sample,
            tumour_type,
            genome_build: header
                .genome_build
                .or_else(|| header.bundle.as_ref().map(|b| b.genome_build.clone())),
            date: options.date.date.clone(),
            date_source: options.date.source.to_string(),
            pipeline: format!("annotation-engine {TOOL_VERSION}"),
            provenance,
            bundle: header.bundle,
            caller: header.caller,
            normal_sample: header.normal_sample,
            input_schema_version: header.schema_version,
        },
        summary: ReportSummary {
            variants: variant_count,
            tier_counts,
            analysis,
            tmb,
            key_findings,
        },
        tiers,
        plots,
        qc,
        disclaimer: DISCLAIMER.to_string(),
    }
}

fn section(tier: TierKey, variants: Vec<ReportVariant>) -> TierSection {
    TierSection {
        tier,
        title: tier.label().to_string(),
        description: tier.meaning().to_string(),
        variants,
    }
}

/// Readable names of the likely germline criteria.
pub fn criterion_label(code: &str) -> &str {
    match code {
        "population_af" => "gnomAD population frequency",
        "clinvar_germline" => "ClinVar germline pathogenic",
        "vaf_heterozygous" => "VAF near 0.5",
        "vaf_homozygous" => "VAF near 1.0",
        other => other,
    }
}

/// How the sample was analysed, from rule-tier's germline screen.
fn analysis(screen: Option<&variant_model::record::GermlineScreen>) -> Analysis {
    let Some(screen) = screen else {
        return Analysis {
            mode: "not_stated".into(),
            statement: "The input does not say whether a matched normal sample was used.".into(),
            likely_germline: 0,
            criteria: BTreeMap::new(),
            rules: None,
        };
    };
    let (mode, statement) = if screen.is_tumour_only() {
        let criteria = screen
            .criteria
            .iter()
            .map(|(code, n)| format!("{} {n}", criterion_label(code)))
            .collect::<Vec<_>>()
            .join(", ");
        (
            "tumour_only",
            format!(
                "Analysed tumour-only: no matched normal sample, so germline variants could not be subtracted. \
                 {} variant(s) are flagged likely germline{} and listed under \"Likely germline\" instead of the somatic tiers.",
                screen.likely_germline,
                if criteria.is_empty() {
                    String::new()
                } else {
                    format!(" ({criteria})")
                }
            ),
        )
    } else if screen.tumour_only_variants == 0 {
        (
            "tumour_normal",
            "Analysed with a matched normal sample (every variant has a normal call).".to_string(),
        )
    } else {
        (
            "tumour_only",
            format!(
                "Partly tumour-only: {} variant(s) have no matched-normal call and were screened for germline origin; {} are flagged likely germline.",
                screen.tumour_only_variants, screen.likely_germline
            ),
        )
    };
    Analysis {
        mode: mode.into(),
        statement,
        likely_germline: screen.likely_germline,
        criteria: screen.criteria.clone(),
        rules: Some(screen.rules.clone()).filter(|r| !r.is_empty()),
    }
}

/// The consequence the report shows: the picked one, else (no pick made
/// upstream) the most severe, first listed on ties.
pub fn shown_consequence(record: &VariantRecord) -> Option<&TranscriptConsequence> {
    record.picked().or_else(|| {
        record
            .consequences
            .iter()
            .min_by_key(|c| c.most_severe().unwrap_or(SoTerm::SequenceVariant))
    })
}

fn report_variant(index: usize, record: VariantRecord, linker: &Linker) -> ReportVariant {
    let shown = shown_consequence(&record);
    let call = record.primary_call();
    let classification = record.classification.as_ref();
    let hgvsp = shown.and_then(|c| c.hgvsp.as_deref()).map(strip_reference);
    let somatic_tier = TierKey::of(classification.and_then(|c| c.amp.as_ref()).map(|a| a.tier));
    let likely_germline = classification.and_then(|c| c.likely_germline.clone());

    let mut evidence_levels = BTreeSet::new();
    let mut therapies = BTreeSet::new();
    let mut sources = BTreeSet::new();
    let mut pmids = BTreeSet::new();
    for m in &record.kb_matches {
        let evidence = &m.evidence;
        if let Some(level) = &evidence.evidence_level {
            evidence_levels.insert(format!("{} {level}", crate::links::source_name(&m.source)));
        }
        let resistance = evidence
            .clinical_significance
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("resist"));
        for therapy in &evidence.therapies {
            therapies.insert(if resistance {
                format!("{therapy} (resistance)")
            } else {
                therapy.clone()
            });
        }
        sources.insert(linker.link(&m.source, &m.record_id, evidence.url.as_deref()));
        for pmid in &evidence.pmids {
            pmids.insert((pmid.parse::<u64>().unwrap_or(u64::MAX), pmid.clone()));
        }
    }
    let mut sources: Vec<SourceLink> = sources.into_iter().collect();
    sources.extend(
        pmids
            .into_iter()
            .map(|(_, pmid)| linker.link("pubmed", &pmid, None)),
    );

    ReportVariant {
        id: format!("v{}", index + 1),
        locus: format!(
            "{}:{} {}>{}",
            record.allele.chrom,
            record.allele.pos,
            record.allele.ref_allele,
            record.allele.alt_allele
        ),
        gene: shown.and_then(|c| c.symbol.clone().or_else(|| c.gene.clone())),
        transcript: shown.and_then(|c| c.feature.clone()),
        hgvsc: shown.and_then(|c| c.hgvsc.as_deref()).map(strip_reference),
        protein_change: hgvsp.as_deref().map(short_protein_change),
        hgvsp,
        consequence: shown
            .map(|c| {
                c.consequences
                    .iter()
                    .map(|t| t.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        impact: shown.and_then(|c| c.impact).map(|i| i.as_str().to_string()),
        vaf: call.and_then(SampleCall::allele_fraction),
        alt_depth: call.and_then(|c| c.alt_depth),
        depth: call.and_then(|c| c.total_depth),
        tier: if likely_germline.is_some() {
            TierKey::LikelyGermline
        } else {
            somatic_tier
        },
        somatic_tier: likely_germline.is_some().then_some(somatic_tier),
        likely_germline,
        level: classification
            .and_then(|c| c.amp.as_ref())
            .and_then(|a| a.level),
        evidence_levels: evidence_levels.into_iter().collect(),
        therapies: therapies.into_iter().collect(),
        sources,
        oncogenicity: classification.and_then(|c| c.oncogenicity.clone()),
        acmg: classification.and_then(|c| c.acmg.clone()),
        record,
    }
}

/// `ENST00000288602.11:c.1799T>A` → `c.1799T>A`.
pub fn strip_reference(hgvs: &str) -> String {
    match hgvs.split_once(':') {
        Some((_, change))
            if ["c.", "n.", "p.", "g.", "m.", "r.", "o."]
                .iter()
                .any(|p| change.starts_with(p)) =>
        {
            change.to_string()
        }
        _ => hgvs.to_string(),
    }
}

/// Three-letter to one-letter amino acids: `p.Val600Glu` → `p.V600E`,
/// `p.Arg130Ter` → `p.R130*`, `p.Glu746_Ala750del` → `p.E746_A750del`.
pub fn short_protein_change(hgvsp: &str) -> String {
    let bytes = hgvsp.as_bytes();
    let mut out = String::with_capacity(hgvsp.len());
    let mut i = 0;
    while i < bytes.len() {
        let code = hgvsp.get(i..i + 3);
        let is_code = bytes[i].is_ascii_uppercase()
            && code.is_some_and(|c| c[1..].bytes().all(|b| b.is_ascii_lowercase()));
        if let Some(letter) = code.filter(|_| is_code).and_then(one_letter) {
            out.push(char::from(letter));
            i += 3;
        } else {
            let ch = hgvsp[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn compare_in_tier(a: &ReportVariant, b: &ReportVariant) -> Ordering {
    let level = |v: &ReportVariant| v.level.map_or(u8::MAX, |l| l as u8);
    level(a)
        .cmp(&level(b))
        .then_with(|| a.gene.is_none().cmp(&b.gene.is_none()))
        .then_with(|| a.gene.cmp(&b.gene))
        .then_with(|| chrom_rank(&a.record.allele.chrom).cmp(&chrom_rank(&b.record.allele.chrom)))
        .then_with(|| a.record.allele.cmp(&b.record.allele))
        .then_with(|| natural_id(&a.id).cmp(&natural_id(&b.id)))
}

/// Karyotype order: 1..22, X, Y, M, then other contigs by name.
pub fn chrom_rank(chrom: &str) -> (u32, String) {
    let bare = chrom.strip_prefix("chr").unwrap_or(chrom);
    let rank = match bare {
        "X" => 23,
        "Y" => 24,
        "M" | "MT" => 25,
        _ => bare.parse::<u32>().ok().filter(|n| *n <= 22).unwrap_or(100),
    };
    (
        rank,
        if rank == 100 {
            chrom.to_string()
        } else {
            String::new()
        },
    )
}

fn natural_id(id: &str) -> u64 {
    id.trim_start_matches('v').parse().unwrap_or(u64::MAX)
}

fn key_finding(v: &ReportVariant) -> KeyFinding {
    let change = v
        .protein_change
        .clone()
        .or_else(|| v.hgvsc.clone())
        .unwrap_or_else(|| v.locus.clone());
    KeyFinding {
        variant_id: v.id.clone(),
        gene: v.gene.clone(),
        change,
        tier: v.tier,
        level: v.level,
        therapies: v.therapies.clone(),
        oncogenicity: v.oncogenicity.as_ref().map(|c| c.class.clone()),
    }
}

/// The tumour type a tool was run with (rule-tier's `tumour_type`
/// parameter), for streams whose header does not state one.
fn tumour_type_parameter(provenance: &[ToolRun]) -> Option<Disease> {
    provenance.iter().rev().find_map(|run| {
        let name = run.params.get("tumour_type")?.trim();
        (!name.is_empty()).then(|| Disease {
            name: name.to_string(),
            doid: None,
            oncotree: None,
        })
    })
}

/// The TMB rule-tier writes into the summary line.
fn typed_tmb(tmb: &TmbSummary) -> Tmb {
    let mut details = BTreeMap::new();
    details.insert("min_vaf".to_string(), tmb.min_vaf.to_string());
    details.insert("min_depth".to_string(), tmb.min_depth.to_string());
    details.insert(
        "counted_consequences".to_string(),
        tmb.counted_consequences.join(", "),
    );
    for (reason, n) in &tmb.excluded {
        details.insert(format!("excluded: {reason}"), n.to_string());
    }
    Tmb {
        per_mb: tmb.mutations_per_mb,
        variants_counted: Some(tmb.variants_counted),
        target_size_mb: Some(tmb.target_size_mb),
        source_field: "tmb".to_string(),
        details,
    }
}

/// Finds the TMB among the summary fields report-gen does not know:
/// the first field whose name contains `tmb`, either a number (per Mb) or
/// an object with a `per_mb`-like number. Returns it and the other fields.
fn split_tmb(mut extra: BTreeMap<String, Value>) -> (Option<Tmb>, BTreeMap<String, Value>) {
    const VALUE_KEYS: &[&str] = &["per_mb", "mutations_per_mb", "tmb_per_mb", "tmb", "value"];
    let found = extra.iter().find_map(|(key, value)| {
        if !key.to_ascii_lowercase().contains("tmb") {
            return None;
        }
        match value {
            Value::Number(n) => Some(Tmb {
                per_mb: n.as_f64()?,
                variants_counted: None,
                target_size_mb: None,
                source_field: key.clone(),
                details: BTreeMap::new(),
            }),
            Value::Object(map) => {
                let (value_key, per_mb) = VALUE_KEYS
                    .iter()
                    .find_map(|k| Some((*k, map.get(*k)?.as_f64()?)))?;
                let details = map
                    .iter()
                    .filter(|(k, _)| k.as_str() != value_key)
                    .map(|(k, v)| (k.clone(), value_text(v)))
                    .collect();
                Some(Tmb {
                    per_mb,
                    variants_counted: None,
                    target_size_mb: None,
                    source_field: key.clone(),
                    details,
                })
            }
            _ => None,
        }
    });
    if let Some(tmb) = &found {
        extra.remove(&tmb.source_field);
    }
    (found, extra)
}

/// A JSON value as text: strings bare, everything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn plot_data(
    tiers: &[TierSection],
    tier_counts: &[TierCount],
    warnings: &mut Vec<String>,
) -> PlotData {
    const BINS: usize = 20;
    let mut histogram = [0u64; BINS];
    let mut without_vaf = 0;
    let mut out_of_range = 0;
    let mut spectrum: BTreeMap<SoTerm, u64> = BTreeMap::new();
    let mut no_consequence = 0;
    for variant in tiers.iter().flat_map(|s| &s.variants) {
        match variant.vaf {
            Some(vaf) if (0.0..=1.0).contains(&vaf) => {
                histogram[((vaf * BINS as f64) as usize).min(BINS - 1)] += 1;
            }
            Some(_) => out_of_range += 1,
            None => without_vaf += 1,
        }
        match shown_consequence(&variant.record).and_then(|c| c.most_severe()) {
            Some(term) => *spectrum.entry(term).or_default() += 1,
            None => no_consequence += 1,
        }
    }
    if out_of_range > 0 {
        warnings.push(format!(
            "{out_of_range} variant(s) have an allele fraction outside [0, 1]; they are left out of the VAF histogram."
        ));
    }
    let mut consequence_spectrum: Vec<TermCount> = spectrum
        .into_iter()
        .map(|(term, count)| TermCount {
            term: term.as_str().to_string(),
            count,
        })
        .collect();
    if no_consequence > 0 {
        consequence_spectrum.push(TermCount {
            term: "no consequence".to_string(),
            count: no_consequence,
        });
    }
    PlotData {
        tier_counts: tier_counts.to_vec(),
        vaf_histogram: histogram
            .iter()
            .enumerate()
            .map(|(i, &count)| HistogramBin {
                lower: i as f64 / BINS as f64,
                upper: (i + 1) as f64 / BINS as f64,
                count,
            })
            .collect(),
        variants_without_vaf: without_vaf + out_of_range,
        consequence_spectrum,
    }
}

fn qc_summary(
    input: &InputStream,
    other_summary_fields: BTreeMap<String, Value>,
    mut warnings: Vec<String>,
) -> QcSummary {
    let mut normalised: BTreeMap<String, u64> = BTreeMap::new();
    let mut non_pass: BTreeMap<String, u64> = BTreeMap::new();
    let mut ref_mismatch = 0;
    for record in &input.variants {
        for flag in &record.flags {
            if flag == "ref_mismatch" {
                ref_mismatch += 1;
            } else {
                *normalised.entry(flag.clone()).or_default() += 1;
            }
        }
        for filter in record.filters.iter().filter(|f| f.as_str() != "PASS") {
            *non_pass.entry(filter.clone()).or_default() += 1;
        }
    }
    if ref_mismatch > 0 {
        warnings.push(format!(
            "{ref_mismatch} variant(s) have a REF allele that does not match the reference genome (flag ref_mismatch)."
        ));
    }
    let variants_in_report = input.variants.len() as u64;
    let (records_read, alleles_written, filtered, counts, unmatched_contigs, classifications) =
        match &input.summary {
            Some(s) => {
                let known = &s.known;
                if known.alleles_written != variants_in_report {
                    warnings.push(format!(
                    "The summary line says {} allele(s) were written, but the stream holds {} variant line(s).",
                    known.alleles_written, variants_in_report
                ));
                }
                (
                    Some(known.records_read),
                    Some(known.alleles_written),
                    known.filtered.clone(),
                    known.counts.clone(),
                    known.unmatched_contigs.clone(),
                    known.classifications.clone(),
                )
            }
            None => {
                warnings.push(
                "The input has no summary line: the numbers of records read and filtered are unknown, and the stream may be incomplete."
                    .to_string(),
            );
                Default::default()
            }
        };
    QcSummary {
        records_read,
        alleles_written,
        variants_in_report,
        normalised,
        filtered_total: filtered.values().sum(),
        filtered,
        non_pass_in_report: non_pass,
        unmatched_contigs,
        counts,
        classifications,
        other_summary_fields,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protein_changes_are_shortened_to_one_letter_codes() {
        assert_eq!(short_protein_change("p.Val600Glu"), "p.V600E");
        assert_eq!(short_protein_change("p.(Val600Glu)"), "p.(V600E)");
        assert_eq!(short_protein_change("p.Arg130Ter"), "p.R130*");
        assert_eq!(short_protein_change("p.Glu746_Ala750del"), "p.E746_A750del");
        assert_eq!(short_protein_change("p.Lys12AsnfsTer5"), "p.K12Nfs*5");
        assert_eq!(short_protein_change("p.="), "p.=");
        assert_eq!(short_protein_change("p.Met1?"), "p.M1?");
        assert_eq!(short_protein_change("p.Abc1Éx"), "p.Abc1Éx");
    }

    #[test]
    fn hgvs_reference_prefix_is_stripped() {
        assert_eq!(strip_reference("ENST00000288602.11:c.1799T>A"), "c.1799T>A");
        assert_eq!(
            strip_reference("ENSP00000288602.6:p.Val600Glu"),
            "p.Val600Glu"
        );
        assert_eq!(strip_reference("c.1799T>A"), "c.1799T>A");
        assert_eq!(strip_reference("weird:text"), "weird:text");
    }

    #[test]
    fn chromosomes_sort_in_karyotype_order() {
        let mut chroms = vec!["chrX", "10", "2", "MT", "GL000220.1", "1", "Y"];
        chroms.sort_by_key(|c| chrom_rank(c));
        assert_eq!(chroms, ["1", "2", "10", "chrX", "Y", "MT", "GL000220.1"]);
    }

    #[test]
    fn tmb_is_found_as_number_or_object() {
        let mut extra = BTreeMap::new();
        extra.insert("tier_counts".to_string(), serde_json::json!({"I": 1}));
        extra.insert(
            "tmb".to_string(),
            serde_json::json!({"per_mb": 7.5, "mutations": 9, "callable_mb": 1.2}),
        );
        let (tmb, rest) = split_tmb(extra);
        let tmb = tmb.unwrap();
        assert_eq!(tmb.per_mb, 7.5);
        assert_eq!(tmb.details["mutations"], "9");
        assert_eq!(tmb.details["callable_mb"], "1.2");
        assert_eq!(rest.keys().collect::<Vec<_>>(), ["tier_counts"]);

        let mut extra = BTreeMap::new();
        extra.insert("tmb_per_mb".to_string(), serde_json::json!(12.25));
        let (tmb, rest) = split_tmb(extra);
        assert_eq!(tmb.unwrap().per_mb, 12.25);
        assert!(rest.is_empty());

        let mut extra = BTreeMap::new();
        extra.insert("tmb".to_string(), serde_json::json!("high"));
        let (tmb, rest) = split_tmb(extra);
        assert!(tmb.is_none());
        assert_eq!(rest.len(), 1, "an unreadable TMB stays visible as-is");
    }

    #[test]
    fn vaf_and_depths_shown_are_the_tumour_calls() {
        let normal = SampleCall {
            sample: "N".into(),
            role: Some("normal".into()),
            vaf: Some(0.0),
            ..Default::default()
        };
        let tumour = SampleCall {
            sample: "T".into(),
            role: Some("tumor".into()),
            alt_depth: Some(25),
            total_depth: Some(100),
            ..Default::default()
        };
        let mut record = VariantRecord::new(variant_model::GenomicAllele::new("chr7", 5, "A", "T"));
        record.calls = vec![normal, tumour];
        let linker = Linker::for_bundle(None);
        let shown = report_variant(0, record.clone(), &linker);
        assert_eq!(shown.vaf, Some(0.25), "from the tumour's depths");
        assert_eq!((shown.alt_depth, shown.depth), (Some(25), Some(100)));
        // Two samples and no roles: no guess at which is the patient's.
        for call in &mut record.calls {
            call.role = None;
        }
        let shown = report_variant(0, record, &linker);
        assert_eq!((shown.vaf, shown.depth), (None, None));
    }
}
