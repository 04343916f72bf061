//! Variant callers' own FORMAT conventions for read depths and allele
//! fractions, and which sample of a VCF is the tumour, the normal or the
//! germline sample.
//!
//! Users should not have to rewrite their VCFs before annotation: every
//! caller writes alt depth, total depth and allele fraction its own way
//! (Mutect2 `AD`/`AF`/`DP`, Strelka2 tier-1 base counts `AU`..`TU` or
//! `TAR`/`TIR`, VarScan2 `RD`/`AD`/`FREQ` "12.5%", FreeBayes `RO`/`AO`...).
//! [`detect`] recognises the caller from the header and
//! [`Caller::read_sample`] reads one sample's values for one ALT.
//!
//! Split multi-allelic records: vcf-annotate splits records the way
//! `bcftools norm -m-` does, which subsets the FORMAT values declared
//! `Number=A` (one per ALT) or `Number=R` (REF then each ALT) to the kept
//! ALT, but leaves fields declared otherwise (`Number=.`, fixed numbers or
//! undeclared) as they were. Which of the two a value is follows from its
//! length, given both this record's ALT count and the original record's
//! ([`AlleleIndex`]); a length that fits neither is an error.

use std::fmt;
use std::str::FromStr;

/// A variant caller whose FORMAT conventions are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Caller {
    /// GATK Mutect2 (somatic): `AD` (Number=R), `AF` (Number=A), `DP`.
    Mutect2,
    /// Illumina Strelka2: somatic SNVs tier-1 `AU`/`CU`/`GU`/`TU`, somatic
    /// indels tier-1 `TAR`/`TIR`; germline records `AD`/`DP`.
    Strelka2,
    /// VarScan2: `RD` (ref reads), `AD` (alt reads, Number=1), `FREQ`
    /// ("24.5%"), `DP`.
    VarScan2,
    /// FreeBayes: `RO`, `AO` (Number=A), `DP`.
    FreeBayes,
    /// Google DeepVariant: `AD` (Number=R), `VAF` (Number=A), `DP`.
    DeepVariant,
    /// GATK HaplotypeCaller (and GenotypeGVCFs): `AD` (Number=R), `DP`.
    HaplotypeCaller,
    /// Illumina DRAGEN: `AD` (Number=R), `AF` (Number=A), `DP`.
    Dragen,
    /// The TCGA consensus calls shipped as PCGR's examples: tumour
    /// `ADT`/`DPT`, control `ADC`/`DPC` in one sample column.
    PcgrTcga,
    /// Any other caller: `AD` (Number=R), `DP`, `AF` (Number=A) if present.
    Generic,
}

impl Caller {
    pub const ALL: [Caller; 9] = [
        Caller::Mutect2,
        Caller::Strelka2,
        Caller::VarScan2,
        Caller::FreeBayes,
        Caller::DeepVariant,
        Caller::HaplotypeCaller,
        Caller::Dragen,
        Caller::PcgrTcga,
        Caller::Generic,
    ];

    /// The name used on the command line and in the stream header.
    pub fn name(self) -> &'static str {
        match self {
            Caller::Mutect2 => "mutect2",
            Caller::Strelka2 => "strelka2",
            Caller::VarScan2 => "varscan2",
            Caller::FreeBayes => "freebayes",
            Caller::DeepVariant => "deepvariant",
            Caller::HaplotypeCaller => "haplotypecaller",
            Caller::Dragen => "dragen",
            Caller::PcgrTcga => "pcgr-tcga",
            Caller::Generic => "generic",
        }
    }

    /// Alt depth, total depth and VAF of one sample at one ALT.
    pub fn read_sample(
        self,
        sample: &SampleFields<'_>,
        allele: &AlleleIndex<'_>,
    ) -> Result<AlleleCounts, CallerError> {
        match self {
            Caller::Mutect2 | Caller::Dragen => read_ad_dp_with_fraction(sample, allele, "AF"),
            Caller::DeepVariant => read_ad_dp_with_fraction(sample, allele, "VAF"),
            Caller::HaplotypeCaller => read_ad_dp(sample, allele),
            Caller::Generic => read_ad_dp_with_fraction(sample, allele, "AF"),
            Caller::Strelka2 => read_strelka2(sample, allele),
            Caller::VarScan2 => read_varscan2(sample, allele),
            Caller::FreeBayes => read_freebayes(sample, allele),
            Caller::PcgrTcga => read_pcgr_tcga(sample, allele),
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Caller {
    type Err = CallerError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Caller::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| CallerError::UnknownCaller(text.to_string()))
    }
}

/// `--caller`: a caller, or `auto` to detect it from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallerChoice {
    #[default]
    Auto,
    Fixed(Caller),
}

impl FromStr for CallerChoice {
    type Err = CallerError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().eq_ignore_ascii_case("auto") {
            Ok(CallerChoice::Auto)
        } else {
            text.parse().map(CallerChoice::Fixed)
        }
    }
}

impl fmt::Display for CallerChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallerChoice::Auto => f.write_str("auto"),
            CallerChoice::Fixed(c) => c.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallerError {
    #[error("unknown variant caller `{0}`; known: auto, {names}", names = caller_names())]
    UnknownCaller(String),
    #[error(
        "the header names several variant callers ({}): pass --caller NAME to say whose FORMAT conventions to read",
        .0.iter().map(|(c, line)| format!("{c} from `{line}`")).collect::<Vec<_>>().join("; ")
    )]
    ConflictingCallers(Vec<(Caller, String)>),
    #[error(
        "{count} samples ({list}) and nothing says which is the {wanted}: {hint}",
        count = .samples.len(),
        list = .samples.join(", ")
    )]
    AmbiguousSamples {
        samples: Vec<String>,
        wanted: &'static str,
        hint: &'static str,
    },
    #[error("{given_by} names sample `{name}`, which is not in the VCF (samples: {list})", list = .samples.join(", "))]
    UnknownSample {
        name: String,
        given_by: String,
        samples: Vec<String>,
    },
    #[error("`{0}` is named as both the tumour and the normal sample")]
    SameSample(String),
    #[error("--normal-sample is for somatic samples, not germline ones")]
    NormalInGermline,
    #[error("sample {sample}: FORMAT/{key} `{value}`: {problem}")]
    BadValue {
        sample: String,
        key: String,
        value: String,
        problem: String,
    },
}

fn caller_names() -> String {
    Caller::ALL.map(Caller::name).join(", ")
}

/// The detected caller and the header line that identified it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub caller: Caller,
    /// The header line (shortened) that identified the caller, or a note
    /// that none did (`Generic`).
    pub evidence: String,
}

/// Header lines written by the callers themselves.
fn caller_from_meta_line(line: &str) -> Option<Caller> {
    let lower = line.to_ascii_lowercase();
    if lower.starts_with("##dragencommandline") {
        return Some(Caller::Dragen);
    }
    // GATK 4 writes `##GATKCommandLine=<ID=Mutect2,...>` and `##source=Mutect2`;
    // GATK 3 wrote `##GATKCommandLine.MuTect2=<...>`.
    if let Some(rest) = lower.strip_prefix("##gatkcommandline") {
        let tool = rest
            .trim_start_matches(['=', '<', '.'])
            .trim_start_matches("id=");
        return gatk_tool(tool);
    }
    let source = lower.strip_prefix("##source=")?;
    if source.starts_with("strelka") {
        Some(Caller::Strelka2)
    } else if source.starts_with("varscan") {
        Some(Caller::VarScan2)
    } else if source.starts_with("freebayes") {
        Some(Caller::FreeBayes)
    } else if source.starts_with("deepvariant") {
        Some(Caller::DeepVariant)
    } else if source.starts_with("dragen") {
        Some(Caller::Dragen)
    } else {
        gatk_tool(source)
    }
}

fn gatk_tool(tool: &str) -> Option<Caller> {
    if tool.starts_with("mutect2") || tool.starts_with("filtermutectcalls") {
        Some(Caller::Mutect2)
    } else if tool.starts_with("haplotypecaller") || tool.starts_with("genotypegvcfs") {
        Some(Caller::HaplotypeCaller)
    } else {
        None
    }
}

/// FORMAT definitions typical of one caller, for headers that lost the
/// caller's own lines (e.g. rewritten by other tools).
fn caller_from_formats(meta: &[String]) -> Option<(Caller, String)> {
    let defined = |id: &str| {
        meta.iter()
            .find(|m| m.starts_with(&format!("##FORMAT=<ID={id},")))
    };
    let all = |ids: &[&str]| -> Option<String> {
        let lines: Option<Vec<&String>> = ids.iter().map(|id| defined(id)).collect();
        lines.map(|l| shorten(l[0]))
    };
    let signatures: [(Caller, &[&str]); 6] = [
        (Caller::Strelka2, &["AU", "CU", "GU", "TU"]),
        (Caller::Strelka2, &["TAR", "TIR"]),
        (Caller::VarScan2, &["RD", "FREQ"]),
        (Caller::FreeBayes, &["RO", "AO"]),
        (Caller::DeepVariant, &["VAF", "AD"]),
        (Caller::PcgrTcga, &["ADT", "DPT"]),
    ];
    signatures
        .iter()
        .find_map(|(caller, ids)| all(ids).map(|line| (*caller, line)))
}

fn shorten(line: &str) -> String {
    const MAX: usize = 120;
    match line.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &line[..end]),
        None => line.to_string(),
    }
}

/// Detects the caller from the `##` header lines: the callers' own lines
/// (`##source=`, `##GATKCommandLine`, `##DRAGENCommandLine`,
/// `##DeepVariant_version`), else FORMAT definitions typical of one
/// caller, else [`Caller::Generic`]. Lines naming two different callers
/// are an error: the user must say which conventions to read.
pub fn detect(meta: &[String]) -> Result<Detection, CallerError> {
    let mut found: Vec<(Caller, String)> = Vec::new();
    for line in meta {
        let caller = if line.starts_with("##DeepVariant_version=") {
            Some(Caller::DeepVariant)
        } else {
            caller_from_meta_line(line)
        };
        if let Some(caller) = caller
            && !found.iter().any(|(c, _)| *c == caller)
        {
            found.push((caller, shorten(line)));
        }
    }
    match found.len() {
        0 => Ok(match caller_from_formats(meta) {
            Some((caller, evidence)) => Detection { caller, evidence },
            None => Detection {
                caller: Caller::Generic,
                evidence: "no caller named in the header".into(),
            },
        }),
        1 => {
            let (caller, evidence) = found.remove(0);
            Ok(Detection { caller, evidence })
        }
        _ => Err(CallerError::ConflictingCallers(found)),
    }
}

/// Which ALT of a record a sample's values are read for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlleleIndex<'a> {
    /// 1-based index of the ALT in this record's ALT column.
    pub alt: usize,
    /// Number of ALTs in this record.
    pub alt_count: usize,
    /// REF and ALT bases as written in this record (Strelka2 SNV counts
    /// are keyed by base).
    pub ref_bases: &'a str,
    pub alt_bases: &'a str,
    /// When this record was split from a multi-allelic one
    /// (`INFO/ORIGINAL`): the 1-based index of this ALT there and the
    /// number of ALTs there. Fields not declared Number=A/R keep the
    /// original record's values.
    pub original: Option<(usize, usize)>,
}

impl AlleleIndex<'_> {
    /// Whether this record is one ALT of a multi-allelic input record.
    fn split_from_multiallelic(&self) -> bool {
        self.alt_count == 1 && self.original.is_some_and(|(_, count)| count > 1)
    }
}

/// What a caller says about one sample at one ALT.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AlleleCounts {
    /// Reads supporting the ALT.
    pub alt_depth: Option<u32>,
    /// Reads at the site, as the caller counts them (see each caller).
    pub total_depth: Option<u32>,
    /// Variant allele fraction, 0 to 1.
    pub vaf: Option<f64>,
}

/// One sample's FORMAT values, by key.
#[derive(Debug, Clone)]
pub struct SampleFields<'a> {
    pub sample: &'a str,
    keys: &'a [&'a str],
    values: Vec<&'a str>,
}

impl<'a> SampleFields<'a> {
    /// `keys` is the split FORMAT column, `column` the sample's column.
    pub fn new(sample: &'a str, keys: &'a [&'a str], column: &'a str) -> Self {
        Self {
            sample,
            keys,
            values: column.split(':').collect(),
        }
    }

    /// The value of `key`; `None` when absent or missing (`.`, empty, or
    /// trailing fields left out).
    pub fn get(&self, key: &str) -> Option<&'a str> {
        let index = self.keys.iter().position(|k| *k == key)?;
        self.values
            .get(index)
            .copied()
            .filter(|v| !v.is_empty() && *v != ".")
    }

    fn error(&self, key: &str, value: &str, problem: impl Into<String>) -> CallerError {
        CallerError::BadValue {
            sample: self.sample.to_string(),
            key: key.to_string(),
            value: value.to_string(),
            problem: problem.into(),
        }
    }

    /// Comma-separated numbers of `key`; entries `.` are `None`.
    fn numbers<T: FromStr>(&self, key: &str) -> Result<Option<Vec<Option<T>>>, CallerError> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        value
            .split(',')
            .map(|part| {
                if part == "." {
                    Ok(None)
                } else {
                    part.parse()
                        .map(Some)
                        .map_err(|_| self.error(key, value, format!("`{part}` is not a number")))
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn number<T: FromStr>(&self, key: &str) -> Result<Option<T>, CallerError> {
        match self.numbers(key)? {
            None => Ok(None),
            Some(values) if values.len() == 1 => Ok(values.into_iter().next().flatten()),
            Some(values) => Err(self.error(
                key,
                self.get(key).unwrap_or_default(),
                format!("{} values where one was expected", values.len()),
            )),
        }
    }

    /// The value of a per-ALT field (Number=A) for `allele`.
    fn per_alt<T: FromStr + Copy>(
        &self,
        key: &str,
        allele: &AlleleIndex<'_>,
    ) -> Result<Option<T>, CallerError> {
        let Some(values) = self.numbers::<T>(key)? else {
            return Ok(None);
        };
        let index = if values.len() == allele.alt_count {
            allele.alt - 1
        } else if let Some((alt, count)) = allele.original
            && values.len() == count
        {
            alt - 1
        } else {
            return Err(self.count_error(key, values.len(), allele, 0));
        };
        Ok(values[index])
    }

    /// A per-allele field (Number=R: REF then each ALT) for `allele`;
    /// all `None` when the field is absent.
    fn per_allele(&self, key: &str, allele: &AlleleIndex<'_>) -> Result<AlleleDepths, CallerError> {
        let Some(values) = self.numbers::<u32>(key)? else {
            return Ok(AlleleDepths::default());
        };
        let index = if values.len() == allele.alt_count + 1 {
            allele.alt
        } else if let Some((alt, count)) = allele.original
            && values.len() == count + 1
        {
            alt
        } else {
            return Err(self.count_error(key, values.len(), allele, 1));
        };
        let sum = values
            .iter()
            .try_fold(0u32, |sum, v| v.map(|v| sum.saturating_add(v)));
        Ok(AlleleDepths {
            alt: values[index],
            sum,
        })
    }

    fn count_error(
        &self,
        key: &str,
        found: usize,
        allele: &AlleleIndex<'_>,
        with_ref: usize,
    ) -> CallerError {
        let what = if with_ref == 1 { "REF and " } else { "" };
        let mut expected = format!(
            "{} ({what}each ALT of this record)",
            allele.alt_count + with_ref
        );
        if let Some((_, count)) = allele.original
            && count != allele.alt_count
        {
            expected.push_str(&format!(
                " or {} (of the record before splitting)",
                count + with_ref
            ));
        }
        self.error(
            key,
            self.get(key).unwrap_or_default(),
            format!("{found} values, expected {expected}"),
        )
    }
}

/// The depths of a per-allele field at one ALT.
#[derive(Debug, Clone, Copy, Default)]
struct AlleleDepths {
    alt: Option<u32>,
    /// Sum over every allele of the field; `None` when any is missing.
    sum: Option<u32>,
}

fn fraction(alt: Option<u32>, total: Option<u32>) -> Option<f64> {
    match (alt, total) {
        (Some(alt), Some(total)) if total > 0 => Some(f64::from(alt) / f64::from(total)),
        _ => None,
    }
}

fn check_fraction(
    sample: &SampleFields<'_>,
    key: &str,
    vaf: Option<f64>,
) -> Result<Option<f64>, CallerError> {
    match vaf {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(sample.error(
            key,
            sample.get(key).unwrap_or_default(),
            "an allele fraction outside 0-1",
        )),
        _ => Ok(vaf),
    }
}

/// GATK HaplotypeCaller: alt depth `AD[alt]`, total depth `DP` (else the
/// sum of `AD`), VAF `AD[alt] / sum(AD)` over the alleles of the record
/// (after splitting: REF and this ALT), since GATK writes no per-sample
/// allele fraction and `DP` also counts uninformative reads.
///
/// GATK, "VCF - Variant Call Format"
/// (https://gatk.broadinstitute.org/hc/en-us/articles/360035531692, section
/// "Interpreting genotype and other sample-level information": AD is the
/// unfiltered allele depth of informative reads, DP the filtered depth).
fn read_ad_dp(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
) -> Result<AlleleCounts, CallerError> {
    let AlleleDepths {
        alt: alt_depth,
        sum: ad_sum,
    } = sample.per_allele("AD", allele)?;
    let total_depth = sample.number::<u32>("DP")?.or(ad_sum);
    Ok(AlleleCounts {
        alt_depth,
        total_depth,
        vaf: fraction(alt_depth, ad_sum),
    })
}

/// Mutect2 and DRAGEN (`AF`), DeepVariant (`VAF`), generic (`AF` when
/// present): as [`read_ad_dp`], with the caller's own per-ALT allele
/// fraction (Number=A) as VAF.
///
/// Mutect2: GATK tool documentation
/// (https://gatk.broadinstitute.org/hc/en-us/articles/360037593851-Mutect2),
/// FORMAT lines `AD` "Allelic depths for the ref and alt alleles", `AF`
/// "Allele fractions of alternate alleles in the tumor", `DP`.
/// DRAGEN: Illumina DRAGEN user guide, "Small Variant Caller > VCF output"
/// (https://support-docs.illumina.com/SW/DRAGEN_v42/Content/SW/DRAGEN/SmallVariantVCF_fDG.htm),
/// the same `AD`/`AF`/`DP` as Mutect2. DeepVariant: FORMAT `VAF` "Variant
/// allele fractions" (Number=A), defined in
/// https://github.com/google/deepvariant/blob/r1.6/deepvariant/dv_vcf_constants.py.
fn read_ad_dp_with_fraction(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
    fraction_key: &str,
) -> Result<AlleleCounts, CallerError> {
    let mut counts = read_ad_dp(sample, allele)?;
    let own = sample.per_alt::<f64>(fraction_key, allele)?;
    if let Some(vaf) = check_fraction(sample, fraction_key, own)? {
        counts.vaf = Some(vaf);
    }
    Ok(counts)
}

/// Strelka2 somatic calls.
///
/// Strelka2 user guide
/// (https://github.com/Illumina/strelka/blob/v2.9.x/docs/userGuide/README.md,
/// section "Somatic variant allele frequencies"): SNV counts are the
/// tier-1 (first) values of `AU`, `CU`, `GU`, `TU` (one per base); indel
/// counts the tier-1 values of `TAR` (reference and other alleles) and
/// `TIR` (the indel allele). Here:
/// - SNV: alt depth `{ALT}U[0]`, total depth the sum of the four tier-1
///   counts, VAF `{ALT}U[0] / ({ALT}U[0] + {REF}U[0])`, Strelka2's formula,
///   which leaves out reads showing a third base;
/// - indel: alt depth `TIR[0]`, total depth `TAR[0] + TIR[0]`, VAF
///   `TIR[0] / (TAR[0] + TIR[0])`.
///
/// Records with neither (Strelka2 germline) are read as [`read_ad_dp`].
fn read_strelka2(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
) -> Result<AlleleCounts, CallerError> {
    let tier1 = |key: &str| -> Result<Option<u32>, CallerError> {
        Ok(sample
            .numbers::<u32>(key)?
            .and_then(|v| v.first().copied().flatten()))
    };
    let base_keys = ["AU", "CU", "GU", "TU"];
    if base_keys.iter().any(|k| sample.keys.contains(k)) {
        let key_of = |bases: &str| match bases.to_ascii_uppercase().as_str() {
            "A" => Some("AU"),
            "C" => Some("CU"),
            "G" => Some("GU"),
            "T" => Some("TU"),
            _ => None,
        };
        let (Some(alt_key), Some(ref_key)) = (key_of(allele.alt_bases), key_of(allele.ref_bases))
        else {
            return Err(sample.error(
                "AU",
                sample.get("AU").unwrap_or_default(),
                format!(
                    "Strelka2 SNV base counts on REF `{}` ALT `{}`, which are not single bases",
                    allele.ref_bases, allele.alt_bases
                ),
            ));
        };
        let mut total_depth = Some(0u32);
        for key in base_keys {
            total_depth = match (total_depth, tier1(key)?) {
                (Some(sum), Some(n)) => Some(sum.saturating_add(n)),
                _ => None,
            };
        }
        let alt_depth = tier1(alt_key)?;
        let vaf = match (alt_depth, tier1(ref_key)?) {
            (Some(alt), Some(reference)) => {
                fraction(Some(alt), Some(alt.saturating_add(reference)))
            }
            _ => None,
        };
        return Ok(AlleleCounts {
            alt_depth,
            total_depth,
            vaf,
        });
    }
    if sample.keys.contains(&"TIR") || sample.keys.contains(&"TAR") {
        let alt_depth = tier1("TIR")?;
        let total_depth = match (tier1("TAR")?, alt_depth) {
            (Some(reference), Some(alt)) => Some(reference.saturating_add(alt)),
            _ => None,
        };
        return Ok(AlleleCounts {
            alt_depth,
            total_depth,
            vaf: fraction(alt_depth, total_depth),
        });
    }
    read_ad_dp(sample, allele)
}

/// VarScan2: alt depth `AD` (Number=1, the variant-supporting reads),
/// total depth `RD + AD` (the denominator of `FREQ`; `DP` when either is
/// missing), VAF `FREQ` ("24.5%") / 100, else `AD / (RD + AD)`.
///
/// VarScan documentation
/// (https://dkoboldt.github.io/varscan/using-varscan.html, sections
/// "somatic" and "mpileup2snp", VCF output): `RD` "Depth of
/// reference-supporting bases (reads1)", `AD` "Depth of variant-supporting
/// bases (reads2)", `FREQ` "Variant allele frequency", `DP` "Read depth".
///
/// `AD` and `FREQ` hold one value whatever the ALT count, so in a record
/// split from a multi-allelic one they cannot be attributed to this ALT:
/// alt depth and VAF are then left unknown.
fn read_varscan2(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
) -> Result<AlleleCounts, CallerError> {
    let ref_depth = sample.number::<u32>("RD")?;
    let dp = sample.number::<u32>("DP")?;
    if allele.split_from_multiallelic() || allele.alt_count > 1 {
        return Ok(AlleleCounts {
            alt_depth: None,
            total_depth: dp,
            vaf: None,
        });
    }
    let alt_depth = sample.number::<u32>("AD")?;
    let total_depth = match (ref_depth, alt_depth) {
        (Some(r), Some(a)) => Some(r.saturating_add(a)),
        _ => dp,
    };
    let vaf = match sample.get("FREQ") {
        Some(text) => {
            let number = text.trim_end_matches('%');
            let percent: f64 = number
                .replace(',', ".")
                .parse()
                .map_err(|_| sample.error("FREQ", text, "not a percentage"))?;
            if !(0.0..=100.0).contains(&percent) {
                return Err(sample.error("FREQ", text, "a percentage outside 0-100"));
            }
            Some(percent / 100.0)
        }
        None => fraction(alt_depth, total_depth),
    };
    Ok(AlleleCounts {
        alt_depth,
        total_depth,
        vaf,
    })
}

/// FreeBayes: alt depth `AO[alt]` (Number=A), total depth `DP` (else
/// `RO + sum(AO)` over the ALTs present), VAF alt depth / total depth.
///
/// FreeBayes README (https://github.com/freebayes/freebayes, section
/// "Calling variants: from fastq to VCF") and its VCF header: `RO`
/// "Reference allele observation count", `AO` "Alternate allele
/// observation count" (Number=A), `DP` "Read Depth". `DP` is the
/// denominator because it survives splitting whole: after vcf-annotate
/// splits a multi-allelic record, `AO` holds this ALT's count only, and
/// `RO + AO` would leave out the reads of the other ALTs.
fn read_freebayes(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
) -> Result<AlleleCounts, CallerError> {
    let alt_depth = sample.per_alt::<u32>("AO", allele)?;
    let observed = match (
        sample.number::<u32>("RO")?,
        sample.numbers::<u32>("AO")?,
        allele.split_from_multiallelic(),
    ) {
        (Some(reference), Some(alts), false) => alts
            .iter()
            .try_fold(reference, |sum, v| v.map(|v| sum.saturating_add(v))),
        _ => None,
    };
    let total_depth = sample.number::<u32>("DP")?.or(observed);
    Ok(AlleleCounts {
        alt_depth,
        total_depth,
        vaf: fraction(alt_depth, total_depth),
    })
}

/// The TCGA consensus VCFs of PCGR's examples (sigven/pcgr `examples/`):
/// one sample column holding the tumour's `ADT` (REF,ALT depths) and
/// `DPT` (depth) and the control's `ADC`/`DPC`. Alt depth `ADT[alt]`,
/// total depth `DPT` (else the sum of `ADT`), VAF `ADT[alt] / sum(ADT)`,
/// which is how those files' INFO/TVAF was computed (TDP equals DPT). The
/// control values are not read.
fn read_pcgr_tcga(
    sample: &SampleFields<'_>,
    allele: &AlleleIndex<'_>,
) -> Result<AlleleCounts, CallerError> {
    let AlleleDepths {
        alt: alt_depth,
        sum: ad_sum,
    } = sample.per_allele("ADT", allele)?;
    let total_depth = sample.number::<u32>("DPT")?.or(ad_sum);
    Ok(AlleleCounts {
        alt_depth,
        total_depth,
        vaf: fraction(alt_depth, ad_sum),
    })
}

/// What a sample is in the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Tumour,
    Normal,
    Germline,
}

impl Role {
    /// The value of `SampleCall::role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Tumour => "tumor",
            Role::Normal => "normal",
            Role::Germline => "germline",
        }
    }
}

/// Somatic (tumour, maybe with a matched normal) or germline analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleType {
    #[default]
    Somatic,
    Germline,
}

/// Sample names the user gave (`--tumour-sample`, `--normal-sample`,
/// sample sheet columns `tumour_sample`, `normal_sample`). In a germline
/// analysis the tumour sample is the sample to report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleRequest {
    pub sample_type: SampleType,
    pub tumour: Option<String>,
    pub normal: Option<String>,
}

/// The role of every sample column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SampleRoles {
    /// One per sample column, in VCF order.
    pub roles: Vec<Option<Role>>,
    /// The tumour (somatic) or germline sample: the one the report is about.
    pub primary: Option<usize>,
    pub normal: Option<usize>,
    /// How the roles were chosen (flags, header lines, sample names).
    pub evidence: String,
}

/// Assigns roles to the sample columns. Sources, strongest first: the
/// flags; Mutect2's `##tumor_sample=` / `##normal_sample=` header lines;
/// samples named `TUMOR`/`TUMOUR` and `NORMAL` (Strelka2, VarScan2
/// somatic); a single sample is the tumour (somatic) or the germline
/// sample. A multi-sample VCF where none of these names the tumour (or
/// the germline sample) is refused: guessing could report the normal's
/// calls as the tumour's.
pub fn assign_roles(
    meta: &[String],
    samples: &[String],
    request: &RoleRequest,
) -> Result<SampleRoles, CallerError> {
    let find = |name: &str, given_by: &str| -> Result<usize, CallerError> {
        samples
            .iter()
            .position(|s| s == name)
            .ok_or_else(|| CallerError::UnknownSample {
                name: name.to_string(),
                given_by: given_by.to_string(),
                samples: samples.to_vec(),
            })
    };
    let mut roles = SampleRoles {
        roles: vec![None; samples.len()],
        ..Default::default()
    };
    if request.sample_type == SampleType::Germline {
        if request.normal.is_some() {
            return Err(CallerError::NormalInGermline);
        }
        let primary = match (&request.tumour, samples.len()) {
            (Some(name), _) => {
                roles.evidence = "--tumour-sample".into();
                Some(find(name, "--tumour-sample")?)
            }
            (None, 0) => None,
            (None, 1) => {
                roles.evidence = "single sample".into();
                Some(0)
            }
            (None, _) => {
                return Err(CallerError::AmbiguousSamples {
                    samples: samples.to_vec(),
                    wanted: "sample to report",
                    hint: "pass --tumour-sample NAME (sample sheet column tumour_sample) to name it",
                });
            }
        };
        roles.primary = primary;
        if let Some(i) = primary {
            roles.roles[i] = Some(Role::Germline);
        }
        return Ok(roles);
    }

    let header_value = |key: &str| {
        meta.iter()
            .find_map(|m| m.strip_prefix(key))
            .map(|v| v.trim().to_string())
    };
    let named = |names: &[&str]| {
        let found: Vec<usize> = samples
            .iter()
            .enumerate()
            .filter(|(_, s)| names.iter().any(|n| s.eq_ignore_ascii_case(n)))
            .map(|(i, _)| i)
            .collect();
        (found.len() == 1).then(|| found[0])
    };
    let mut evidence = Vec::new();
    let mut tumour = None;
    let mut normal = None;
    if let Some(name) = &request.tumour {
        tumour = Some(find(name, "--tumour-sample")?);
        evidence.push("--tumour-sample");
    }
    if let Some(name) = &request.normal {
        normal = Some(find(name, "--normal-sample")?);
        evidence.push("--normal-sample");
    }
    if tumour.is_some() && tumour == normal {
        return Err(CallerError::SameSample(
            request.tumour.clone().unwrap_or_default(),
        ));
    }
    // Header lines and names fill in what the flags left open, never
    // overriding a flag.
    let header_tumour = header_value("##tumor_sample=");
    let header_normal = header_value("##normal_sample=");
    if tumour.is_none()
        && let Some(name) = &header_tumour
    {
        let i = find(name, "##tumor_sample")?;
        if normal != Some(i) {
            tumour = Some(i);
            evidence.push("##tumor_sample");
        }
    }
    if normal.is_none()
        && let Some(name) = &header_normal
    {
        let i = find(name, "##normal_sample")?;
        if tumour != Some(i) {
            normal = Some(i);
            evidence.push("##normal_sample");
        }
    }
    if samples.len() > 1 {
        if tumour.is_none()
            && let Some(i) = named(&["TUMOR", "TUMOUR"]).filter(|i| normal != Some(*i))
        {
            tumour = Some(i);
            evidence.push("sample named TUMOR");
        }
        if normal.is_none()
            && let Some(i) = named(&["NORMAL"]).filter(|i| tumour != Some(*i))
        {
            normal = Some(i);
            evidence.push("sample named NORMAL");
        }
    }
    if tumour.is_none() && normal.is_none() && samples.len() == 1 {
        tumour = Some(0);
        evidence.push("single sample");
    }
    if tumour.is_none() && !samples.is_empty() {
        return Err(CallerError::AmbiguousSamples {
            samples: samples.to_vec(),
            wanted: "tumour",
            hint: "no ##tumor_sample/##normal_sample header lines, no samples named TUMOR and NORMAL; pass --tumour-sample NAME and --normal-sample NAME (sample sheet columns tumour_sample, normal_sample)",
        });
    }
    if let Some(i) = tumour {
        roles.roles[i] = Some(Role::Tumour);
    }
    if let Some(i) = normal {
        roles.roles[i] = Some(Role::Normal);
    }
    roles.primary = tumour;
    roles.normal = normal;
    roles.evidence = evidence.join(", ");
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header lines, sample names and data lines of an inline VCF.
    fn parse(vcf: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let mut meta = Vec::new();
        let mut samples = Vec::new();
        let mut data = Vec::new();
        for line in vcf.lines().map(str::trim_start).filter(|l| !l.is_empty()) {
            if line.starts_with("##") {
                meta.push(line.to_string());
            } else if line.starts_with("#CHROM") {
                samples = line.split('\t').skip(9).map(str::to_string).collect();
            } else {
                data.push(line.to_string());
            }
        }
        (meta, samples, data)
    }

    /// The detected caller's reading of every sample of data line `line`
    /// at ALT `alt` (1-based), `original` as `INFO/ORIGINAL` would give.
    fn read(
        vcf: &str,
        line: usize,
        alt: usize,
        original: Option<(usize, usize)>,
    ) -> Result<Vec<AlleleCounts>, CallerError> {
        let (meta, samples, data) = parse(vcf);
        let caller = detect(&meta)?.caller;
        let fields: Vec<&str> = data[line].split('\t').collect();
        let alts: Vec<&str> = fields[4].split(',').collect();
        let keys: Vec<&str> = fields[8].split(':').collect();
        let allele = AlleleIndex {
            alt,
            alt_count: alts.len(),
            ref_bases: fields[3],
            alt_bases: alts[alt - 1],
            original,
        };
        samples
            .iter()
            .zip(&fields[9..])
            .map(|(s, column)| caller.read_sample(&SampleFields::new(s, &keys, column), &allele))
            .collect()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    // Strelka2 somatic SNV VCF as `configureStrelkaSomaticWorkflow.py`
    // writes it (somatic.snvs.vcf.gz): header and FORMAT lines from the
    // Strelka2 user guide, https://github.com/Illumina/strelka/blob/v2.9.x/docs/userGuide/README.md
    // ("Somatic variant allele frequencies"; samples NORMAL and TUMOR).
    const STRELKA_SNV: &str = "##fileformat=VCFv4.1
##source=strelka
##source_version=2.9.10
##content=strelka somatic snv calls
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth for tier1 (used+filtered)\">
##FORMAT=<ID=FDP,Number=1,Type=Integer,Description=\"Number of basecalls filtered from original read depth for tier1\">
##FORMAT=<ID=SDP,Number=1,Type=Integer,Description=\"Number of reads with deletions spanning this site at tier1\">
##FORMAT=<ID=SUBDP,Number=1,Type=Integer,Description=\"Number of reads below tier1 mapping quality threshold aligned across this site\">
##FORMAT=<ID=AU,Number=2,Type=Integer,Description=\"Number of 'A' alleles used in tiers 1,2\">
##FORMAT=<ID=CU,Number=2,Type=Integer,Description=\"Number of 'C' alleles used in tiers 1,2\">
##FORMAT=<ID=GU,Number=2,Type=Integer,Description=\"Number of 'G' alleles used in tiers 1,2\">
##FORMAT=<ID=TU,Number=2,Type=Integer,Description=\"Number of 'T' alleles used in tiers 1,2\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR
chr1\t1000\t.\tC\tT\t.\tPASS\tSOMATIC;QSS=70;TQSS=1;NT=ref;SGT=CC->CT\tDP:FDP:SDP:SUBDP:AU:CU:GU:TU\t50:0:0:0:0,0:50,51:0,0:0,0\t61:1:0:0:1,1:40,42:0,0:19,20
";

    #[test]
    fn strelka2_snv_counts_are_tier1_base_counts() {
        let (meta, samples, _) = parse(STRELKA_SNV);
        assert_eq!(detect(&meta).unwrap().caller, Caller::Strelka2);
        let calls = read(STRELKA_SNV, 0, 1, None).unwrap();
        // TUMOR: TU tier1 = 19; total = A 1 + C 40 + G 0 + T 19 = 60 (DP 61
        // also counts a filtered call); VAF = 19 / (19 + 40) (Strelka2's
        // alt / (alt + ref)).
        assert_eq!(
            (calls[1].alt_depth, calls[1].total_depth),
            (Some(19), Some(60))
        );
        assert!(close(calls[1].vaf, 19.0 / 59.0));
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(0), Some(50))
        );
        assert!(close(calls[0].vaf, 0.0));
        let roles = assign_roles(&meta, &samples, &RoleRequest::default()).unwrap();
        assert_eq!(roles.roles, [Some(Role::Normal), Some(Role::Tumour)]);
        assert_eq!(roles.primary, Some(1));
    }

    // Strelka2 somatic indels (somatic.indels.vcf.gz), same user guide:
    // TAR "Reads strongly supporting alternate allele for tiers 1,2" and TIR
    // "Reads strongly supporting indel allele for tiers 1,2".
    const STRELKA_INDEL: &str = "##fileformat=VCFv4.1
##source=strelka
##content=strelka somatic indel calls
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth for tier1\">
##FORMAT=<ID=DP2,Number=1,Type=Integer,Description=\"Read depth for tier2\">
##FORMAT=<ID=TAR,Number=2,Type=Integer,Description=\"Reads strongly supporting alternate allele for tiers 1,2\">
##FORMAT=<ID=TIR,Number=2,Type=Integer,Description=\"Reads strongly supporting indel allele for tiers 1,2\">
##FORMAT=<ID=TOR,Number=2,Type=Integer,Description=\"Other reads (weak support or insufficient indel breakpoint overlap) for tiers 1,2\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR
chr2\t500\t.\tGTA\tG\t.\tPASS\tSOMATIC;QSI=40;TQSI=1;NT=ref;SGT=ref->het\tDP:DP2:TAR:TIR:TOR\t30:30:28,29:0,0:2,2\t45:45:25,26:12,13:8,8
";

    #[test]
    fn strelka2_indel_vaf_is_tir_over_tar_plus_tir() {
        let calls = read(STRELKA_INDEL, 0, 1, None).unwrap();
        assert_eq!(
            (calls[1].alt_depth, calls[1].total_depth),
            (Some(12), Some(37))
        );
        assert!(close(calls[1].vaf, 12.0 / 37.0));
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(0), Some(28))
        );
    }

    // Mutect2 tumour-normal, as GATK 4 writes it: `##GATKCommandLine=<ID=Mutect2`,
    // `##tumor_sample`/`##normal_sample`, FORMAT AD (R), AF (A), DP.
    // https://gatk.broadinstitute.org/hc/en-us/articles/360037593851-Mutect2
    // ("Tumor with matched normal"); the normal column comes first here.
    const MUTECT2: &str = "##fileformat=VCFv4.2
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths for the ref and alt alleles in the order listed\">
##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fractions of alternate alleles in the tumor\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Approximate read depth (reads with MQ=255 or with bad mates are filtered)\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##GATKCommandLine=<ID=Mutect2,CommandLine=\"Mutect2 --input tumor.bam --input normal.bam --normal-sample HCC1143_N\",Version=\"4.2.6.1\",Date=\"2022\">
##GATKCommandLine=<ID=FilterMutectCalls,CommandLine=\"FilterMutectCalls\",Version=\"4.2.6.1\",Date=\"2022\">
##normal_sample=HCC1143_N
##source=FilterMutectCalls
##source=Mutect2
##tumor_sample=HCC1143_T
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tHCC1143_N\tHCC1143_T
chr7\t140753336\t.\tA\tT\t.\tPASS\tDP=101\tGT:AD:AF:DP\t0/0:40,0:0.024:40\t0/1:35,26:0.418:61
chr7\t140753400\t.\tA\tC,G\t.\tPASS\tDP=92\tGT:AD:AF:DP\t0/0:40,0,0:0.02,0.02:40\t0/1/2:30,12,8:0.24,0.16:52
chr7\t140753400\t.\tA\tG\t.\tPASS\tDP=92;ORIGINAL=chr7|140753400|A|C,G|2\tGT:AD:AF:DP\t0/0:40,0:0.02:40\t0/1:30,8:0.16:52
";

    #[test]
    fn mutect2_tumour_normal_reads_ad_af_dp_and_header_roles() {
        let (meta, samples, _) = parse(MUTECT2);
        let detection = detect(&meta).unwrap();
        assert_eq!(detection.caller, Caller::Mutect2);
        assert!(detection.evidence.contains("ID=Mutect2"));
        let roles = assign_roles(&meta, &samples, &RoleRequest::default()).unwrap();
        assert_eq!(roles.roles, [Some(Role::Normal), Some(Role::Tumour)]);
        assert_eq!(roles.evidence, "##tumor_sample, ##normal_sample");

        let calls = read(MUTECT2, 0, 1, None).unwrap();
        assert_eq!(
            (calls[1].alt_depth, calls[1].total_depth),
            (Some(26), Some(61))
        );
        assert!(close(calls[1].vaf, 0.418));

        // The second ALT of a multi-allelic record, unsplit and as
        // vcf-annotate writes it after splitting (AD, AF subset to it).
        let unsplit = read(MUTECT2, 1, 2, None).unwrap();
        let split = read(MUTECT2, 2, 1, Some((2, 2))).unwrap();
        assert_eq!(unsplit, split);
        assert_eq!(
            (split[1].alt_depth, split[1].total_depth),
            (Some(8), Some(52))
        );
        assert!(close(split[1].vaf, 0.16));
    }

    #[test]
    fn flags_win_over_header_lines_and_bad_names_are_refused() {
        let (meta, samples, _) = parse(MUTECT2);
        let swapped = RoleRequest {
            tumour: Some("HCC1143_N".into()),
            ..Default::default()
        };
        let roles = assign_roles(&meta, &samples, &swapped).unwrap();
        // The flag makes N the tumour; ##normal_sample cannot make it the
        // normal too, and ##tumor_sample does not apply once a flag named one.
        assert_eq!(roles.roles, [Some(Role::Tumour), None]);
        let unknown = RoleRequest {
            tumour: Some("T9".into()),
            ..Default::default()
        };
        let err = assign_roles(&meta, &samples, &unknown)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`T9`") && err.contains("HCC1143_N, HCC1143_T"),
            "{err}"
        );
        let same = RoleRequest {
            tumour: Some("HCC1143_T".into()),
            normal: Some("HCC1143_T".into()),
            ..Default::default()
        };
        assert!(matches!(
            assign_roles(&meta, &samples, &same),
            Err(CallerError::SameSample(_))
        ));
    }

    #[test]
    fn ambiguous_multi_sample_files_are_refused_with_the_names_and_flags() {
        let vcf = "##fileformat=VCFv4.2
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPT01_A\tPT01_B
1\t10\t.\tA\tT\t.\tPASS\t.\tAD\t10,5\t12,0
";
        let (meta, samples, _) = parse(vcf);
        let err = assign_roles(&meta, &samples, &RoleRequest::default()).unwrap_err();
        let text = err.to_string();
        for part in [
            "PT01_A, PT01_B",
            "--tumour-sample NAME",
            "--normal-sample NAME",
        ] {
            assert!(text.contains(part), "{text}");
        }
        let germline = RoleRequest {
            sample_type: SampleType::Germline,
            ..Default::default()
        };
        let text = assign_roles(&meta, &samples, &germline)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("sample to report") && text.contains("--tumour-sample"),
            "{text}"
        );
        // With the flags it works.
        let request = RoleRequest {
            tumour: Some("PT01_B".into()),
            normal: Some("PT01_A".into()),
            ..Default::default()
        };
        let roles = assign_roles(&meta, &samples, &request).unwrap();
        assert_eq!(roles.roles, [Some(Role::Normal), Some(Role::Tumour)]);
    }

    #[test]
    fn a_single_sample_is_the_tumour_or_the_germline_sample() {
        let samples = ["S1".to_string()];
        let somatic = assign_roles(&[], &samples, &RoleRequest::default()).unwrap();
        assert_eq!(somatic.roles, [Some(Role::Tumour)]);
        let germline = RoleRequest {
            sample_type: SampleType::Germline,
            ..Default::default()
        };
        let roles = assign_roles(&[], &samples, &germline).unwrap();
        assert_eq!(
            (roles.roles[0], roles.primary),
            (Some(Role::Germline), Some(0))
        );
        let with_normal = RoleRequest {
            normal: Some("S1".into()),
            ..germline
        };
        assert_eq!(
            assign_roles(&[], &samples, &with_normal),
            Err(CallerError::NormalInGermline)
        );
    }

    // VarScan2 somatic VCF (`varscan somatic --output-vcf 1`): samples
    // NORMAL and TUMOR, FREQ a percentage string.
    // https://dkoboldt.github.io/varscan/using-varscan.html ("somatic").
    const VARSCAN2: &str = "##fileformat=VCFv4.1
##source=VarScan2
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype Quality\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read Depth\">
##FORMAT=<ID=RD,Number=1,Type=Integer,Description=\"Depth of reference-supporting bases (reads1)\">
##FORMAT=<ID=AD,Number=1,Type=Integer,Description=\"Depth of variant-supporting bases (reads2)\">
##FORMAT=<ID=FREQ,Number=1,Type=String,Description=\"Variant allele frequency\">
##FORMAT=<ID=DP4,Number=1,Type=String,Description=\"Strand read counts: ref/fwd, ref/rev, var/fwd, var/rev\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR
chr17\t7674220\t.\tC\tT\t.\tPASS\tDP=105;SS=2;SSC=40;GPV=1E0;SPV=9.8E-5\tGT:GQ:DP:RD:AD:FREQ:DP4\t0/0:.:45:45:0:0%:20,25,0,0\t0/1:.:60:44:16:26.67%:20,24,8,8
chr17\t7674230\t.\tC\tA\t.\tPASS\tDP=60\tGT:GQ:DP:RD:AD:FREQ:DP4\t0/0:.:45:45:0:0%:20,25,0,0\t0/1:.:60:44:16:high:20,24,8,8
";

    #[test]
    fn varscan2_reads_rd_ad_and_the_freq_percentage() {
        let (meta, samples, _) = parse(VARSCAN2);
        assert_eq!(detect(&meta).unwrap().caller, Caller::VarScan2);
        let calls = read(VARSCAN2, 0, 1, None).unwrap();
        assert_eq!(
            (calls[1].alt_depth, calls[1].total_depth),
            (Some(16), Some(60))
        );
        assert!(close(calls[1].vaf, 0.2667));
        assert!(close(calls[0].vaf, 0.0));
        let roles = assign_roles(&meta, &samples, &RoleRequest::default()).unwrap();
        assert_eq!(roles.evidence, "sample named TUMOR, sample named NORMAL");
        // AD and FREQ hold one value: in a record split from a
        // multi-allelic one they belong to no ALT in particular.
        let split = read(VARSCAN2, 0, 1, Some((2, 2))).unwrap();
        assert_eq!(
            split[1],
            AlleleCounts {
                alt_depth: None,
                total_depth: Some(60),
                vaf: None
            }
        );
        let err = read(VARSCAN2, 1, 1, None).unwrap_err().to_string();
        assert_eq!(err, "sample TUMOR: FORMAT/FREQ `high`: not a percentage");
    }

    // FreeBayes multi-allelic site (`freebayes -f ref.fa in.bam`): AO is
    // Number=A, RO and DP Number=1.
    // https://github.com/freebayes/freebayes ("Calling variants: from fastq to VCF").
    // The third line is the second ALT as vcf-annotate writes it after
    // splitting (AD/AO subset, GT recoded, DP whole).
    const FREEBAYES: &str = "##fileformat=VCFv4.2
##source=freeBayes v1.3.6
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read Depth\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Number of observation for each allele\">
##FORMAT=<ID=RO,Number=1,Type=Integer,Description=\"Reference allele observation count\">
##FORMAT=<ID=AO,Number=A,Type=Integer,Description=\"Alternate allele observation count\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878
20\t1000\t.\tA\tC,T\t512\t.\tAO=18,11;RO=10\tGT:DP:AD:RO:AO\t1/2:40:10,18,11:10:18,11
20\t1000\t.\tA\tC,T\t512\t.\tAO=18,11;RO=10\tGT:AD:RO:AO\t1/2:10,18,11:10:18,11
20\t1000\t.\tA\tT\t512\t.\tAO=11;RO=10;ORIGINAL=20|1000|A|C,T|2\tGT:DP:AD:RO:AO\t0/1:40:10,11:10:11
";

    #[test]
    fn freebayes_multi_allelic_reads_per_allele_ao_before_and_after_splitting() {
        let (meta, _, _) = parse(FREEBAYES);
        assert_eq!(detect(&meta).unwrap().caller, Caller::FreeBayes);
        let first = read(FREEBAYES, 0, 1, None).unwrap();
        assert_eq!(
            (first[0].alt_depth, first[0].total_depth),
            (Some(18), Some(40))
        );
        let unsplit = read(FREEBAYES, 0, 2, None).unwrap();
        let split = read(FREEBAYES, 2, 1, Some((2, 2))).unwrap();
        assert_eq!(unsplit, split);
        assert_eq!(
            (split[0].alt_depth, split[0].total_depth),
            (Some(11), Some(40))
        );
        assert!(close(split[0].vaf, 11.0 / 40.0));
        // Without DP the observations of every allele are the total.
        let no_dp = read(FREEBAYES, 1, 2, None).unwrap();
        assert_eq!(no_dp[0].total_depth, Some(39));
    }

    // DeepVariant (`run_deepvariant`): `##DeepVariant_version`, FORMAT
    // GT:GQ:DP:AD:VAF:PL; VAF Number=A "Variant allele fractions."
    // https://github.com/google/deepvariant/blob/r1.6/docs/deepvariant-quick-start.md
    // (output VCF), definitions in deepvariant/dv_vcf_constants.py.
    const DEEPVARIANT: &str = "##fileformat=VCFv4.2
##FILTER=<ID=RefCall,Description=\"Genotyping model thinks this site is reference.\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Conditional genotype quality\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Read depth for each allele\">
##FORMAT=<ID=VAF,Number=A,Type=Float,Description=\"Variant allele fractions.\">
##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods rounded to the closest integer\">
##DeepVariant_version=1.6.1
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tHG002
chr20\t10001\t.\tT\tC\t48.2\tPASS\t.\tGT:GQ:DP:AD:VAF:PL\t0/1:48:35:20,15:0.428571:48,0,55
";

    #[test]
    fn deepvariant_reads_ad_dp_and_its_own_vaf() {
        let (meta, _, _) = parse(DEEPVARIANT);
        assert_eq!(detect(&meta).unwrap().caller, Caller::DeepVariant);
        let calls = read(DEEPVARIANT, 0, 1, None).unwrap();
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(15), Some(35))
        );
        assert!(close(calls[0].vaf, 0.428571));
    }

    // DRAGEN somatic tumour-only: `##DRAGENCommandLine`, FORMAT
    // GT:SQ:AD:AF:F1R2:F2R1:DP:SB:MB (DRAGEN user guide, "Small Variant
    // Caller > VCF output").
    const DRAGEN: &str = "##fileformat=VCFv4.2
##DRAGENCommandLine=<ID=dragen,Version=\"SW: 4.2.4, HW: 4.2.4\",Date=\"2024\",CommandLineOptions=\"--tumor-bam-input t.bam --enable-variant-caller true\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=SQ,Number=A,Type=Float,Description=\"Somatic quality\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths (counting only informative reads out of the total reads) for the ref and alt alleles in the order listed\">
##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fractions for alt alleles in the order listed\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Approximate read depth (reads with MQ=255 or with bad mates are filtered)\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR_1
chr12\t25245350\t.\tC\tA\t.\tPASS\tDP=100\tGT:SQ:AD:AF:DP\t0/1:35.2:70,29:0.293:100
";

    #[test]
    fn dragen_reads_ad_af_dp() {
        let (meta, samples, _) = parse(DRAGEN);
        assert_eq!(detect(&meta).unwrap().caller, Caller::Dragen);
        let calls = read(DRAGEN, 0, 1, None).unwrap();
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(29), Some(100))
        );
        assert!(close(calls[0].vaf, 0.293));
        let roles = assign_roles(&meta, &samples, &RoleRequest::default()).unwrap();
        assert_eq!(roles.roles, [Some(Role::Tumour)]);
    }

    // GATK HaplotypeCaller (germline): AD and DP, no per-sample AF.
    // https://gatk.broadinstitute.org/hc/en-us/articles/360035531692
    // ("Interpreting genotype and other sample-level information").
    const HAPLOTYPECALLER: &str = "##fileformat=VCFv4.2
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths for the ref and alt alleles in the order listed\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Approximate read depth (reads with MQ=255 or with bad mates are filtered)\">
##GATKCommandLine=<ID=HaplotypeCaller,CommandLine=\"HaplotypeCaller --input NA12878.bam\",Version=\"4.4.0.0\">
##source=HaplotypeCaller
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878
chr17\t43045712\t.\tT\tC\t250.6\tPASS\t.\tGT:AD:DP:GQ:PL\t0/1:12,10:23:99:258,0,320
";

    #[test]
    fn haplotypecaller_vaf_is_alt_over_the_allele_depths() {
        let (meta, _, _) = parse(HAPLOTYPECALLER);
        assert_eq!(detect(&meta).unwrap().caller, Caller::HaplotypeCaller);
        let calls = read(HAPLOTYPECALLER, 0, 1, None).unwrap();
        assert_eq!(
            (calls[0].alt_depth, calls[0].total_depth),
            (Some(10), Some(23))
        );
        assert!(close(calls[0].vaf, 10.0 / 22.0));
    }

    #[test]
    fn callers_are_told_by_their_format_lines_when_the_source_line_is_gone() {
        let strip = |vcf: &str| -> Vec<String> {
            parse(vcf)
                .0
                .into_iter()
                .filter(|l| !l.starts_with("##source") && !l.starts_with("##GATK"))
                .collect()
        };
        assert_eq!(
            detect(&strip(STRELKA_INDEL)).unwrap().caller,
            Caller::Strelka2
        );
        assert_eq!(detect(&strip(VARSCAN2)).unwrap().caller, Caller::VarScan2);
        assert_eq!(detect(&strip(FREEBAYES)).unwrap().caller, Caller::FreeBayes);
        assert_eq!(detect(&strip(MUTECT2)).unwrap().caller, Caller::Generic);
    }

    #[test]
    fn headers_naming_two_callers_are_refused() {
        let meta = vec![
            "##source=strelka".to_string(),
            "##GATKCommandLine=<ID=Mutect2,CommandLine=\"x\">".to_string(),
        ];
        let err = detect(&meta).unwrap_err().to_string();
        assert!(err.contains("strelka2 from `##source=strelka`"), "{err}");
        assert!(err.contains("mutect2") && err.contains("--caller"), "{err}");
    }

    #[test]
    fn value_counts_that_fit_no_allele_layout_are_errors() {
        let keys = ["AD", "DP"];
        let sample = SampleFields::new("T", &keys, "10,5,3,2:20");
        let allele = AlleleIndex {
            alt: 1,
            alt_count: 1,
            ref_bases: "A",
            alt_bases: "T",
            original: Some((2, 2)),
        };
        let err = Caller::Generic
            .read_sample(&sample, &allele)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "sample T: FORMAT/AD `10,5,3,2`: 4 values, expected 2 (REF and each ALT of this record) or 3 (of the record before splitting)"
        );
        let bad = SampleFields::new("T", &keys, "10,x:20");
        assert!(Caller::Generic.read_sample(&bad, &allele).is_err());
        // Missing values are not errors.
        let missing = SampleFields::new("T", &keys, ".,.:.");
        assert_eq!(
            Caller::Generic.read_sample(&missing, &allele).unwrap(),
            AlleleCounts::default()
        );
    }

    #[test]
    fn caller_names_parse_and_unknown_ones_list_the_choices() {
        for caller in Caller::ALL {
            assert_eq!(caller.name().parse::<Caller>().unwrap(), caller);
        }
        assert_eq!("AUTO".parse::<CallerChoice>().unwrap(), CallerChoice::Auto);
        let err = "gatk".parse::<CallerChoice>().unwrap_err().to_string();
        assert!(
            err.contains("`gatk`") && err.contains("mutect2, strelka2"),
            "{err}"
        );
    }
}
