//! gnomAD sites VCF (<https://gnomad.broadinstitute.org/downloads>): per
//! ALT allele AF, AC, AN, nhomalt, and the highest frequency among genetic
//! ancestry groups: `AF_grpmax`/`grpmax` in v4, `AF_popmax`/`popmax` in
//! v2/v3. FILTER is kept so non-PASS sites can be told apart.

use variant_model::evidence::{Evidence, PopulationFrequency};

use super::{Context, Converted, per_allele};
use crate::config::SourceConfig;
use crate::exact::{SourceLine, decode_info_value};

const INFO_LINES: &[&str] = &[
    "##INFO=<ID=AF,Number=1,Type=Float,Description=\"Alternate allele frequency\">",
    "##INFO=<ID=AC,Number=1,Type=Integer,Description=\"Alternate allele count\">",
    "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Total number of alleles\">",
    "##INFO=<ID=NHOMALT,Number=1,Type=Integer,Description=\"Homozygous individuals\">",
    "##INFO=<ID=GRPMAX_AF,Number=1,Type=Float,Description=\"Highest AF among genetic ancestry groups (AF_grpmax, or AF_popmax in gnomAD 2/3)\">",
    "##INFO=<ID=GRPMAX,Number=1,Type=String,Description=\"Group with the highest AF (grpmax, or popmax)\">",
    "##INFO=<ID=SITE_FILTER,Number=1,Type=String,Description=\"FILTER of the gnomAD site (PASS or failed filters)\">",
];

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let mut without_af = 0u64;
    super::convert_exact_vcf(
        config,
        ctx,
        INFO_LINES.iter().map(|s| s.to_string()).collect(),
        |record, alt| {
            // One pass over INFO (gnomAD lines carry hundreds of keys).
            let mut fields: [Option<&str>; 8] = [None; 8];
            const KEYS: [&str; 8] = [
                "AF",
                "AC",
                "AN",
                "nhomalt",
                "AF_grpmax",
                "AF_popmax",
                "grpmax",
                "popmax",
            ];
            for field in record.info.split(';') {
                let (key, value) = field.split_once('=').unwrap_or((field, ""));
                if let Some(i) = KEYS.iter().position(|k| *k == key) {
                    fields[i] = Some(value);
                }
            }
            let [af, ac, an, nhomalt, af_grpmax, af_popmax, grpmax, popmax] = fields;
            let mut info = Vec::new();
            match per_allele(af, alt) {
                Some(af) => info.push(("AF".into(), af.to_string())),
                None => without_af += 1,
            }
            if let Some(ac) = per_allele(ac, alt) {
                info.push(("AC".into(), ac.to_string()));
            }
            if let Some(an) = an.filter(|v| !v.is_empty() && *v != ".") {
                info.push(("AN".into(), an.to_string()));
            }
            if let Some(n) = per_allele(nhomalt, alt) {
                info.push(("NHOMALT".into(), n.to_string()));
            }
            if let Some(v) = per_allele(af_grpmax, alt).or_else(|| per_allele(af_popmax, alt)) {
                info.push(("GRPMAX_AF".into(), v.to_string()));
            }
            if let Some(g) = per_allele(grpmax, alt).or_else(|| per_allele(popmax, alt)) {
                info.push(("GRPMAX".into(), decode_info_value(g)));
            }
            if record.filter != "." {
                info.push(("SITE_FILTER".into(), record.filter.to_string()));
            }
            Ok((record.id.to_string(), info))
        },
        &mut out,
    )?;
    if without_af > 0 {
        out.add("alleles_without_af", without_af);
    }
    Ok(out)
}

/// Evidence of one exact-table line.
pub fn evidence(chrom: &str, line: &SourceLine) -> (String, Option<String>, Evidence) {
    // One pass over INFO: this runs once per matched allele of the
    // largest sources.
    let mut population = PopulationFrequency::default();
    let mut filter = None;
    for (key, value) in super::info_fields(line.info()) {
        match key {
            "AF" => population.af = value.parse().ok(),
            "GRPMAX_AF" => population.grpmax_af = value.parse().ok(),
            "GRPMAX" => population.grpmax_group = Some(decode_info_value(value)),
            "AC" => population.allele_count = value.parse().ok(),
            "AN" => population.allele_number = value.parse().ok(),
            "NHOMALT" => population.nhomalt = value.parse().ok(),
            "SITE_FILTER" => filter = Some(decode_info_value(value)),
            _ => {}
        }
    }
    // gnomAD's own variant id, `7-140753336-A-T`: the browser's URL key
    // and the record id of lines without an rsID.
    let variant_id = format!(
        "{}-{}-{}-{}",
        crate::contig::canonical(chrom),
        line.pos,
        line.ref_allele(),
        line.alt_allele()
    );
    let evidence = Evidence {
        evidence_type: Some("population".into()),
        population: Some(population),
        description: filter
            .filter(|f| f != "PASS")
            .map(|f| format!("gnomAD site filter: {f}")),
        url: Some(format!(
            "https://gnomad.broadinstitute.org/variant/{variant_id}"
        )),
        redistributable: Some(true),
        ..Default::default()
    };
    let record_id = if line.id().is_empty() || line.id() == "." {
        variant_id
    } else {
        line.id().to_string()
    };
    (record_id, None, evidence)
}
