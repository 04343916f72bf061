//! Clinical classifications assigned by rule-tier, with the rule trace that
//! explains each of them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// AMP/ASCO/CAP 2017 somatic tier (Li et al., J Mol Diagn 2017).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum AmpTier {
    #[serde(rename = "I")]
    I,
    #[serde(rename = "II")]
    II,
    #[serde(rename = "III")]
    III,
    #[serde(rename = "IV")]
    IV,
}

/// AMP/ASCO/CAP 2017 evidence level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum AmpLevel {
    A,
    B,
    C,
    D,
}

/// The AMP tier of one variant in one tumour type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AmpCall {
    pub tier: AmpTier,
    pub level: Option<AmpLevel>,
}

/// One criterion of a points-based or criteria-based scheme that applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionHit {
    /// Criterion code: OVS1, OS3, PM2, BA1, ...
    pub code: String,
    /// Strength as applied (may be modified from the default).
    pub strength: Option<String>,
    /// Points contributed (oncogenicity SOP), if the scheme uses points.
    pub points: Option<i32>,
}

/// A classification from a criteria scheme: ClinGen/CGC/VICC oncogenicity
/// (Horak et al. 2022) or ACMG/AMP germline (Richards et al. 2015).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriteriaCall {
    /// Oncogenic, Likely oncogenic, VUS, Likely benign, Benign; or
    /// Pathogenic, Likely pathogenic, VUS, Likely benign, Benign.
    pub class: String,
    pub points: Option<i32>,
    pub criteria: Vec<CriterionHit>,
}

/// A reference to the evidence a rule used: a KB match or an annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceRef {
    pub source: String,
    pub record_id: String,
}

/// One rule that fired for a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleFiring {
    /// Rule identifier in the rules file.
    pub rule_id: String,
    /// Rules file and its version.
    pub rules_file: String,
    /// Guideline citation of the rule.
    pub citation: Option<String>,
    /// Readable statement of why the rule fired.
    pub explanation: String,
    pub evidence: Vec<EvidenceRef>,
}

/// A somatic variant of a tumour-only sample (no matched-normal call) that
/// is likely germline. Its `amp` tier and `oncogenicity` class are what it
/// would have as a somatic variant; reports list it apart from the somatic
/// tiers. The trace holds one `tumour_only.germline.<criterion>` firing per
/// criterion, with its explanation and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LikelyGermline {
    /// Criteria that fired: `population_af`, `clinvar_germline`,
    /// `vaf_heterozygous`, `vaf_homozygous`.
    pub criteria: Vec<String>,
    /// Readable reason, e.g. `gnomAD grpmax (nfe) 0.0310 ≥ 0.002`.
    pub reason: String,
}

/// Everything rule-tier concludes about one variant.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Classification {
    pub amp: Option<AmpCall>,
    pub oncogenicity: Option<CriteriaCall>,
    pub acmg: Option<CriteriaCall>,
    /// Set when the sample is tumour-only and the variant is likely
    /// germline (absent from older streams).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likely_germline: Option<LikelyGermline>,
    pub trace: Vec<RuleFiring>,
}
