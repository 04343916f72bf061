//! The rules files: every threshold, level map, gene list and combining
//! table rule-tier applies, read at run time from `conf/rules/*.toml` so a
//! change of threshold changes results without recompiling.
//!
//! A rules directory holds six files, each with a `[meta]` table (id,
//! version, title, citation):
//! - `common.toml`: which knowledge-base sources and consequence terms mean
//!   what (ClinVar, hotspots, null variants, ...), and how population
//!   frequency is read;
//! - `genes.toml`: tumour suppressors, oncogenes, genes where loss of
//!   function is a mechanism of disease;
//! - `amp_asco_cap_2017.toml`: somatic tiers (Li et al. 2017);
//! - `clingen_cgc_vicc_2022.toml`: oncogenicity points (Horak et al. 2022);
//! - `acmg_amp_2015.toml`: germline criteria and combining table (Richards
//!   et al. 2015);
//! - `tmb.toml`: tumour mutational burden definition;
//! - `tumour_only.toml`: likely germline criteria of tumour-only samples.
//!
//! Unknown keys are errors (`deny_unknown_fields`), and every file is
//! validated after parsing, so a typo cannot silently switch a rule off.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use variant_model::SoTerm;
use variant_model::classification::{AmpLevel, AmpTier};

/// A rules file that cannot be read, parsed or validated.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct RulesError {
    /// `path` or `path:line:column`.
    pub location: String,
    pub message: String,
}

impl RulesError {
    fn at(path: &Path, message: impl Into<String>) -> Self {
        Self {
            location: path.display().to_string(),
            message: message.into(),
        }
    }
}

/// The `[meta]` table every rules file starts with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub version: String,
    pub title: String,
    /// The guideline or source the file implements.
    pub citation: String,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One parsed rules file with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub rules: T,
    pub meta: Meta,
    /// File name inside the rules directory.
    pub file_name: String,
    pub sha256: String,
}

impl<T> Loaded<T> {
    /// `file@version`, as recorded in every rule firing.
    pub fn label(&self) -> String {
        format!("{}@{}", self.file_name, self.meta.version)
    }
}

/// Everything rule-tier applies.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub dir: PathBuf,
    pub common: Loaded<CommonRules>,
    pub genes: Loaded<GeneRules>,
    pub amp: Loaded<AmpRules>,
    pub oncogenicity: Loaded<OncogenicityRules>,
    pub acmg: Loaded<AcmgRules>,
    pub tmb: Loaded<TmbRules>,
    pub tumour_only: Loaded<TumourOnlyRules>,
}

pub const COMMON_FILE: &str = "common.toml";
pub const GENES_FILE: &str = "genes.toml";
pub const AMP_FILE: &str = "amp_asco_cap_2017.toml";
pub const ONCOGENICITY_FILE: &str = "clingen_cgc_vicc_2022.toml";
pub const ACMG_FILE: &str = "acmg_amp_2015.toml";
pub const TMB_FILE: &str = "tmb.toml";
pub const TUMOUR_ONLY_FILE: &str = "tumour_only.toml";

impl RuleSet {
    /// Reads and validates the seven rules files of `dir`.
    pub fn load(dir: &Path) -> Result<Self, RulesError> {
        if !dir.is_dir() {
            return Err(RulesError::at(dir, "rules directory not found"));
        }
        let set = Self {
            dir: dir.to_path_buf(),
            common: load_file::<CommonFile, _>(dir, COMMON_FILE, CommonFile::validate)?,
            genes: load_file::<GenesFile, _>(dir, GENES_FILE, GenesFile::validate)?,
            amp: load_file::<AmpFile, _>(dir, AMP_FILE, AmpFile::validate)?,
            oncogenicity: load_file::<OncogenicityFile, _>(
                dir,
                ONCOGENICITY_FILE,
                OncogenicityFile::validate,
            )?,
            acmg: load_file::<AcmgFile, _>(dir, ACMG_FILE, AcmgFile::validate)?,
            tmb: load_file::<TmbFile, _>(dir, TMB_FILE, TmbFile::validate)?,
            tumour_only: load_file::<TumourOnlyFile, _>(
                dir,
                TUMOUR_ONLY_FILE,
                TumourOnlyFile::validate,
            )?,
        };
        Ok(set)
    }

    /// `name → "file version sha256"` for the header provenance.
    pub fn provenance(&self) -> BTreeMap<String, String> {
        let entry = |file: &str, version: &str, sha: &str| format!("{file} {version} sha256:{sha}");
        let mut map = BTreeMap::new();
        macro_rules! add {
            ($key:literal, $loaded:expr) => {
                map.insert(
                    format!("rules.{}", $key),
                    entry(&$loaded.file_name, &$loaded.meta.version, &$loaded.sha256),
                );
            };
        }
        add!("common", self.common);
        add!("genes", self.genes);
        add!("amp", self.amp);
        add!("oncogenicity", self.oncogenicity);
        add!("acmg", self.acmg);
        add!("tmb", self.tmb);
        add!("tumour_only", self.tumour_only);
        map
    }
}

/// A file's top-level layout: `[meta]` plus the rules, which a validator
/// turns into the typed form used by the classifiers.
trait RulesFile: DeserializeOwned {
    type Rules;
    fn into_parts(self) -> (Meta, Self::Rules);
}

fn load_file<F: RulesFile, R>(
    dir: &Path,
    file_name: &str,
    validate: impl FnOnce(F::Rules) -> Result<R, String>,
) -> Result<Loaded<R>, RulesError> {
    let path = dir.join(file_name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| RulesError::at(&path, format!("cannot read rules file: {e}")))?;
    let parsed: F = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    let (meta, rules) = parsed.into_parts();
    let rules = validate(rules).map_err(|message| RulesError::at(&path, message))?;
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Loaded {
        rules,
        meta,
        file_name: file_name.to_string(),
        sha256,
    })
}

/// `path:line:column: message` from a TOML error's byte span.
fn toml_error(path: &Path, text: &str, err: &toml::de::Error) -> RulesError {
    let location = match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{}:{line}:{column}", path.display())
        }
        None => path.display().to_string(),
    };
    RulesError {
        location,
        message: err.message().trim().to_string(),
    }
}

/// Lower case with `_` as a space, so `Likely_benign` and `likely benign`
/// compare equal: the form every vocabulary list in the rules is kept in.
pub fn normalise_term(term: &str) -> String {
    term.trim().to_lowercase().replace('_', " ")
}

fn normalise_all(terms: &mut [String]) {
    for term in terms {
        *term = normalise_term(term);
    }
}

fn parse_terms(terms: &[String], what: &str) -> Result<Vec<SoTerm>, String> {
    terms
        .iter()
        .map(|t| {
            SoTerm::from_str(t)
                .map_err(|_| format!("{what}: `{t}` is not a Sequence Ontology term VEP uses"))
        })
        .collect()
}

fn check_fraction(value: f64, what: &str) -> Result<(), String> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(format!("{what} = {value}: must be a frequency in 0..1"))
    }
}

fn check_citation(citation: &str, what: &str) -> Result<(), String> {
    if citation.trim().is_empty() {
        Err(format!(
            "{what}: citation is empty; every rule cites its source"
        ))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------- common

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommonFile {
    meta: Meta,
    sources: SourceRules,
    population: PopulationRules,
    consequences: ConsequenceRulesText,
}

impl RulesFile for CommonFile {
    type Rules = CommonRulesText;
    fn into_parts(self) -> (Meta, Self::Rules) {
        (
            self.meta,
            CommonRulesText {
                sources: self.sources,
                population: self.population,
                consequences: self.consequences,
            },
        )
    }
}

/// `common.toml` as written; [`CommonFile::validate`] types it.
#[derive(Debug)]
pub struct CommonRulesText {
    sources: SourceRules,
    population: PopulationRules,
    consequences: ConsequenceRulesText,
}

/// Shared vocabulary: which sources are which, what the consequence
/// classes are.
#[derive(Debug, Clone)]
pub struct CommonRules {
    pub sources: SourceRules,
    pub population: PopulationRules,
    pub consequences: ConsequenceRules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRules {
    /// Knowledge-base source names of ClinVar records.
    pub clinvar: Vec<String>,
    /// Source names of cancer hotspot records (cancerhotspots.org).
    pub hotspot: Vec<String>,
    /// Evidence types that also mark a hotspot record, whatever the source.
    pub hotspot_evidence_types: Vec<String>,
}

/// Which population frequency a rule compares with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyField {
    /// The highest frequency among genetic ancestry groups (gnomAD grpmax,
    /// popmax in gnomAD 2.x); the overall AF when grpmax is missing.
    GrpmaxElseAf,
    /// The overall allele frequency.
    Af,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationRules {
    pub frequency: FrequencyField,
    /// Absence from gnomAD (OP4, PM2) is only concluded when the stream
    /// was looked up against a knowledge-base bundle (header `bundle`).
    pub absence_requires_bundle: bool,
    pub citation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsequenceRulesText {
    null: Vec<String>,
    missense: Vec<String>,
    inframe_indel: Vec<String>,
    stop_lost: Vec<String>,
    start_lost: Vec<String>,
    citation: String,
}

/// Consequence classes the criteria refer to.
#[derive(Debug, Clone)]
pub struct ConsequenceRules {
    /// Null (loss-of-function) consequences: nonsense, frameshift,
    /// canonical splice site, initiation codon, transcript ablation.
    pub null: Vec<SoTerm>,
    pub missense: Vec<SoTerm>,
    pub inframe_indel: Vec<SoTerm>,
    pub stop_lost: Vec<SoTerm>,
    pub start_lost: Vec<SoTerm>,
}

impl CommonFile {
    fn validate(text: CommonRulesText) -> Result<CommonRules, String> {
        let mut sources = text.sources;
        normalise_all(&mut sources.clinvar);
        normalise_all(&mut sources.hotspot);
        normalise_all(&mut sources.hotspot_evidence_types);
        if sources.clinvar.is_empty() {
            return Err("sources.clinvar: name at least one ClinVar source".into());
        }
        check_citation(&text.population.citation, "population")?;
        let c = text.consequences;
        check_citation(&c.citation, "consequences")?;
        Ok(CommonRules {
            sources,
            population: text.population,
            consequences: ConsequenceRules {
                null: parse_terms(&c.null, "consequences.null")?,
                missense: parse_terms(&c.missense, "consequences.missense")?,
                inframe_indel: parse_terms(&c.inframe_indel, "consequences.inframe_indel")?,
                stop_lost: parse_terms(&c.stop_lost, "consequences.stop_lost")?,
                start_lost: parse_terms(&c.start_lost, "consequences.start_lost")?,
            },
        })
    }
}

// ------------------------------------------------------------------ genes

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenesFile {
    meta: Meta,
    tumour_suppressors: GeneList,
    oncogenes: GeneList,
    lof_mechanism: GeneList,
}

impl RulesFile for GenesFile {
    type Rules = GeneRules;
    fn into_parts(self) -> (Meta, GeneRules) {
        (
            self.meta,
            GeneRules {
                tumour_suppressors: self.tumour_suppressors,
                oncogenes: self.oncogenes,
                lof_mechanism: self.lof_mechanism,
            },
        )
    }
}

/// A named gene list with its source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneList {
    pub citation: String,
    pub genes: BTreeSet<String>,
}

impl GeneList {
    pub fn contains(&self, gene: &str) -> bool {
        self.genes.contains(gene)
    }
}

/// Gene roles used by OVS1, OM2 and PVS1.
#[derive(Debug, Clone)]
pub struct GeneRules {
    /// Bona fide tumour suppressor genes (OVS1, OM2).
    pub tumour_suppressors: GeneList,
    /// Oncogenes (OM2).
    pub oncogenes: GeneList,
    /// Genes where loss of function is a known mechanism of disease (PVS1).
    pub lof_mechanism: GeneList,
}

impl GenesFile {
    fn validate(rules: GeneRules) -> Result<GeneRules, String> {
        for (name, list) in [
            ("tumour_suppressors", &rules.tumour_suppressors),
            ("oncogenes", &rules.oncogenes),
            ("lof_mechanism", &rules.lof_mechanism),
        ] {
            check_citation(&list.citation, name)?;
            if let Some(bad) = list
                .genes
                .iter()
                .find(|g| g.is_empty() || g.contains(char::is_whitespace))
            {
                return Err(format!("{name}: `{bad}` is not a gene symbol"));
            }
        }
        Ok(rules)
    }
}

// -------------------------------------------------------------------- AMP

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AmpFile {
    meta: Meta,
    evidence: AmpEvidenceRules,
    level_map: Vec<LevelMap>,
    tumour_type: TumourTypeRules,
    tiers: TierRules,
    match_levels: MatchLevelRules,
    tier_iv: TierIvRules,
}

impl RulesFile for AmpFile {
    type Rules = AmpRules;
    fn into_parts(self) -> (Meta, AmpRules) {
        (
            self.meta,
            AmpRules {
                evidence: self.evidence,
                level_map: self.level_map,
                tumour_type: self.tumour_type,
                tiers: self.tiers,
                match_levels: self.match_levels,
                tier_iv: self.tier_iv,
            },
        )
    }
}

/// AMP/ASCO/CAP 2017 somatic tiering rules.
#[derive(Debug, Clone)]
pub struct AmpRules {
    pub evidence: AmpEvidenceRules,
    pub level_map: Vec<LevelMap>,
    pub tumour_type: TumourTypeRules,
    pub tiers: TierRules,
    pub match_levels: MatchLevelRules,
    pub tier_iv: TierIvRules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmpEvidenceRules {
    /// Evidence types with clinical significance (therapeutic, diagnostic,
    /// prognostic).
    pub clinical_types: Vec<String>,
    /// Evidence directions that do not support the stated significance.
    pub excluded_directions: Vec<String>,
    pub citation: String,
}

/// How one knowledge base's evidence levels map onto AMP levels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMap {
    /// Source names the map applies to.
    pub sources: Vec<String>,
    /// Source level (as written by the source; compared after
    /// [`normalise_level`]) → AMP level.
    pub levels: BTreeMap<String, AmpLevel>,
    pub citation: String,
}

impl LevelMap {
    /// The AMP level of a source level, if the map names it (keys are kept
    /// in [`normalise_level`] form by validation).
    pub fn amp_level(&self, source_level: &str) -> Option<AmpLevel> {
        self.levels.get(&normalise_level(source_level)).copied()
    }
}

/// Upper case, runs of non-alphanumerics as one `_`: `Tier I - Level A`,
/// `TIER_I_LEVEL_A` and `tier i level a` compare equal; `3A` stays `3A`.
pub fn normalise_level(level: &str) -> String {
    let mut out = String::new();
    for c in level.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    out.strip_prefix("LEVEL_")
        .map(str::to_string)
        .unwrap_or(out)
}

/// AMP level of evidence after comparing its tumour type with the sample's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TumourTypeRules {
    /// Evidence in the sample's tumour type (or a broader type containing
    /// it).
    pub same: BTreeMap<AmpLevel, AmpLevel>,
    /// Evidence in another tumour type.
    pub other: BTreeMap<AmpLevel, AmpLevel>,
    /// How evidence whose disease the ontology cannot place is treated.
    pub unmapped_disease: UnmappedDisease,
    pub citation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmappedDisease {
    /// As evidence in another tumour type.
    Other,
    /// Not used.
    Ignore,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRules {
    pub levels: BTreeMap<AmpLevel, AmpTier>,
    pub citation: String,
}

/// How evidence is used by how its record matched the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchPolicy {
    /// The record's level applies as stated.
    AsStated,
    /// Applies only when the oncogenicity call is Oncogenic or Likely
    /// oncogenic (gene-level categories such as "Oncogenic Mutations").
    RequiresOncogenic,
    /// Never used for tiering.
    Ignore,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchLevelRules {
    pub exact_allele: MatchPolicy,
    pub protein_change: MatchPolicy,
    pub codon: MatchPolicy,
    pub region: MatchPolicy,
    pub gene: MatchPolicy,
    /// Oncogenicity classes that satisfy `requires_oncogenic`.
    pub oncogenic_classes: Vec<String>,
    pub citation: String,
}

impl MatchLevelRules {
    pub fn policy(&self, level: variant_model::evidence::MatchLevel) -> MatchPolicy {
        use variant_model::evidence::MatchLevel as L;
        match level {
            L::ExactAllele => self.exact_allele,
            L::ProteinChange => self.protein_change,
            L::Codon => self.codon,
            L::Region => self.region,
            L::Gene => self.gene,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierIvRules {
    /// Tier IV when the population frequency is at least this.
    pub population_af_at_least: f64,
    /// ClinVar significances that make a variant Tier IV ...
    pub clinvar_significance: Vec<String>,
    /// ... when the ClinVar record has at least this many review stars.
    pub clinvar_min_review_stars: u8,
    pub citation: String,
}

impl AmpFile {
    fn validate(mut rules: AmpRules) -> Result<AmpRules, String> {
        check_citation(&rules.evidence.citation, "evidence")?;
        normalise_all(&mut rules.evidence.clinical_types);
        normalise_all(&mut rules.evidence.excluded_directions);
        if rules.evidence.clinical_types.is_empty() {
            return Err("evidence.clinical_types is empty".into());
        }
        let mut seen_sources = BTreeSet::new();
        for (i, map) in rules.level_map.iter_mut().enumerate() {
            check_citation(&map.citation, &format!("level_map[{i}]"))?;
            normalise_all(&mut map.sources);
            for source in &map.sources {
                if !seen_sources.insert(source.clone()) {
                    return Err(format!(
                        "level_map[{i}]: source `{source}` has more than one level map"
                    ));
                }
            }
            if map.levels.is_empty() {
                return Err(format!("level_map[{i}]: no levels"));
            }
            let mut normalised = BTreeMap::new();
            for (level, amp) in &map.levels {
                if normalised.insert(normalise_level(level), *amp).is_some() {
                    return Err(format!(
                        "level_map[{i}]: level `{level}` is listed twice (levels compare \
                         case-insensitively, punctuation as `_`)"
                    ));
                }
            }
            map.levels = normalised;
        }
        let all_levels = [AmpLevel::A, AmpLevel::B, AmpLevel::C, AmpLevel::D];
        for (name, map) in [
            ("tumour_type.same", &rules.tumour_type.same),
            ("tumour_type.other", &rules.tumour_type.other),
        ] {
            for level in all_levels {
                if !map.contains_key(&level) {
                    return Err(format!("{name}: no entry for level {level:?}"));
                }
            }
        }
        // Another tumour type never strengthens evidence.
        for level in all_levels {
            if rules.tumour_type.other[&level] < rules.tumour_type.same[&level] {
                return Err(format!(
                    "tumour_type.other.{level:?} is stronger than tumour_type.same.{level:?}"
                ));
            }
        }
        check_citation(&rules.tumour_type.citation, "tumour_type")?;
        for level in all_levels {
            match rules.tiers.levels.get(&level) {
                Some(AmpTier::I | AmpTier::II) => {}
                Some(other) => {
                    return Err(format!(
                        "tiers.levels.{level:?} = {other:?}: evidence levels give Tier I or II"
                    ));
                }
                None => return Err(format!("tiers.levels: no tier for level {level:?}")),
            }
        }
        check_citation(&rules.tiers.citation, "tiers")?;
        check_citation(&rules.match_levels.citation, "match_levels")?;
        normalise_all(&mut rules.match_levels.oncogenic_classes);
        let tier_iv = &mut rules.tier_iv;
        check_fraction(
            tier_iv.population_af_at_least,
            "tier_iv.population_af_at_least",
        )?;
        if tier_iv.clinvar_min_review_stars > 4 {
            return Err("tier_iv.clinvar_min_review_stars: ClinVar has 0 to 4 stars".into());
        }
        normalise_all(&mut tier_iv.clinvar_significance);
        check_citation(&tier_iv.citation, "tier_iv")?;
        Ok(rules)
    }
}

// ----------------------------------------------------------- oncogenicity

/// Criteria of Horak et al. 2022 rule-tier computes, in evaluation order.
/// A criterion may only be excluded by one earlier in this order (or by a
/// criterion that is not computed, which never applies).
pub const ONCOGENICITY_COMPUTED: &[&str] = &[
    "OVS1", "OS1", "OS3", "OM2", "OM3", "OM4", "OP3", "OP4", "SBVS1", "SBS1",
];

/// All criteria of Horak et al. 2022 Table 2.
pub const ONCOGENICITY_ALL: &[&str] = &[
    "OVS1", "OS1", "OS2", "OS3", "OM1", "OM2", "OM3", "OM4", "OP1", "OP2", "OP3", "OP4", "SBVS1",
    "SBS1", "SBS2", "SBP1", "SBP2",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OncogenicityFile {
    meta: Meta,
    classes: Vec<PointsClass>,
    criteria: BTreeMap<String, OncogenicityCriterion>,
    not_computed: BTreeMap<String, String>,
}

impl RulesFile for OncogenicityFile {
    type Rules = OncogenicityRules;
    fn into_parts(self) -> (Meta, OncogenicityRules) {
        (
            self.meta,
            OncogenicityRules {
                classes: self.classes,
                criteria: self.criteria,
                not_computed: self.not_computed,
            },
        )
    }
}

/// Horak et al. 2022 oncogenicity points scheme.
#[derive(Debug, Clone)]
pub struct OncogenicityRules {
    /// Point bands, contiguous over all integers.
    pub classes: Vec<PointsClass>,
    pub criteria: BTreeMap<String, OncogenicityCriterion>,
    /// Criteria of the SOP not computed from our data, and why.
    pub not_computed: BTreeMap<String, String>,
}

impl OncogenicityRules {
    pub fn class_of(&self, points: i32) -> &PointsClass {
        self.classes
            .iter()
            .find(|c| c.contains(points))
            .expect("validated: classes cover every integer")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsClass {
    pub class: String,
    /// Inclusive; none for the lowest band.
    pub min_points: Option<i32>,
    /// Inclusive; none for the highest band.
    pub max_points: Option<i32>,
    pub citation: String,
}

impl PointsClass {
    pub fn contains(&self, points: i32) -> bool {
        self.min_points.is_none_or(|m| points >= m) && self.max_points.is_none_or(|m| points <= m)
    }

    pub fn describe_range(&self) -> String {
        match (self.min_points, self.max_points) {
            (Some(a), Some(b)) => format!("{a} to {b} points"),
            (Some(a), None) => format!("≥ {a} points"),
            (None, Some(b)) => format!("≤ {b} points"),
            (None, None) => "any points".into(),
        }
    }
}

/// One criterion with its points and parameters. Each code requires its
/// own parameters (checked by validation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OncogenicityCriterion {
    pub points: i32,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    pub citation: String,
    /// Codes that, when applied, make this criterion not applicable.
    #[serde(default)]
    pub excluded_by: Vec<String>,
    /// OS1, OM4: knowledge-base oncogenicity terms that count as an
    /// established oncogenic variant.
    pub significance: Option<Vec<String>>,
    /// OS3: samples at the residue, at least.
    pub min_residue_count: Option<u32>,
    /// OM3: samples at the residue, at most.
    pub max_residue_count: Option<u32>,
    /// OS3, OM3: samples with the same amino-acid change, at least.
    pub min_change_count: Option<u32>,
    /// OP3: samples with the same amino-acid change, at most.
    pub max_change_count: Option<u32>,
    /// SBVS1, SBS1: population frequency above this.
    pub af_above: Option<f64>,
}

fn enabled_by_default() -> bool {
    true
}

impl OncogenicityFile {
    fn validate(mut rules: OncogenicityRules) -> Result<OncogenicityRules, String> {
        // Classes: sorted from the top, contiguous, covering every integer.
        let classes = &rules.classes;
        if classes.is_empty() {
            return Err("classes: none defined".into());
        }
        for (i, class) in classes.iter().enumerate() {
            check_citation(&class.citation, &format!("classes[{i}]"))?;
            let first = i == 0;
            let last = i + 1 == classes.len();
            if first != class.max_points.is_none() {
                return Err(format!(
                    "classes[{i}] ({}): only the first (highest) class has no max_points",
                    class.class
                ));
            }
            if last != class.min_points.is_none() {
                return Err(format!(
                    "classes[{i}] ({}): only the last (lowest) class has no min_points",
                    class.class
                ));
            }
            if let (Some(a), Some(b)) = (class.min_points, class.max_points)
                && a > b
            {
                return Err(format!(
                    "classes[{i}] ({}): min_points > max_points",
                    class.class
                ));
            }
            if !first {
                let above = classes[i - 1].min_points.expect("checked: not last");
                if class.max_points != Some(above - 1) {
                    return Err(format!(
                        "classes[{i}] ({}): max_points must be {} to meet the class above",
                        class.class,
                        above - 1
                    ));
                }
            }
        }
        for code in rules.criteria.keys() {
            if !ONCOGENICITY_COMPUTED.contains(&code.as_str()) {
                return Err(format!(
                    "criteria.{code}: not a computed criterion (computed: {})",
                    ONCOGENICITY_COMPUTED.join(", ")
                ));
            }
        }
        for code in ONCOGENICITY_COMPUTED {
            let Some(criterion) = rules.criteria.get_mut(*code) else {
                return Err(format!(
                    "criteria.{code}: missing (set `enabled = false` to switch it off)"
                ));
            };
            check_citation(&criterion.citation, &format!("criteria.{code}"))?;
            let position = ONCOGENICITY_COMPUTED.iter().position(|c| c == code);
            for excluder in &criterion.excluded_by {
                let excluder_position = ONCOGENICITY_COMPUTED.iter().position(|c| c == excluder);
                match excluder_position {
                    Some(p) if p < position.expect("code is computed") => {}
                    Some(_) => {
                        return Err(format!(
                            "criteria.{code}.excluded_by: {excluder} is evaluated after {code}"
                        ));
                    }
                    None if ONCOGENICITY_ALL.contains(&excluder.as_str()) => {}
                    None => {
                        return Err(format!(
                            "criteria.{code}.excluded_by: unknown criterion {excluder}"
                        ));
                    }
                }
            }
            let benign = code.starts_with('S');
            if benign != (criterion.points < 0) {
                return Err(format!(
                    "criteria.{code}.points = {}: oncogenic criteria score above 0, benign ones below",
                    criterion.points
                ));
            }
            let need = |present: bool, param: &str| {
                if present {
                    Ok(())
                } else {
                    Err(format!("criteria.{code}: `{param}` is required"))
                }
            };
            match *code {
                "OS1" | "OM4" => {
                    need(criterion.significance.is_some(), "significance")?;
                    if let Some(terms) = &mut criterion.significance {
                        normalise_all(terms);
                    }
                }
                "OS3" => {
                    need(criterion.min_residue_count.is_some(), "min_residue_count")?;
                    need(criterion.min_change_count.is_some(), "min_change_count")?;
                }
                "OM3" => {
                    need(criterion.max_residue_count.is_some(), "max_residue_count")?;
                    need(criterion.min_change_count.is_some(), "min_change_count")?;
                }
                "OP3" => need(criterion.max_change_count.is_some(), "max_change_count")?,
                "SBVS1" | "SBS1" => {
                    need(criterion.af_above.is_some(), "af_above")?;
                    check_fraction(
                        criterion.af_above.expect("checked"),
                        &format!("criteria.{code}.af_above"),
                    )?;
                }
                _ => {}
            }
        }
        for code in rules.not_computed.keys() {
            if !ONCOGENICITY_ALL.contains(&code.as_str())
                || ONCOGENICITY_COMPUTED.contains(&code.as_str())
            {
                return Err(format!(
                    "not_computed.{code}: not a criterion of the SOP that rule-tier leaves out"
                ));
            }
        }
        Ok(rules)
    }
}

// ------------------------------------------------------------------- ACMG

/// ACMG/AMP 2015 criteria rule-tier computes, in evaluation order.
pub const ACMG_COMPUTED: &[&str] = &["PVS1", "PS1", "PM2", "PM5", "PP5", "BA1", "BS1", "BP6"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcmgFile {
    meta: Meta,
    criteria: BTreeMap<String, AcmgCriterion>,
    combining: Vec<CombiningRule>,
    not_computed: BTreeMap<String, String>,
}

impl RulesFile for AcmgFile {
    type Rules = AcmgRules;
    fn into_parts(self) -> (Meta, AcmgRules) {
        (
            self.meta,
            AcmgRules {
                criteria: self.criteria,
                combining: self.combining,
                not_computed: self.not_computed,
            },
        )
    }
}

/// ACMG/AMP 2015 germline rules.
#[derive(Debug, Clone)]
pub struct AcmgRules {
    pub criteria: BTreeMap<String, AcmgCriterion>,
    /// Richards et al. 2015 Table 5, evaluated in order.
    pub combining: Vec<CombiningRule>,
    pub not_computed: BTreeMap<String, String>,
}

/// Strength of an ACMG criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    StandAlone,
    VeryStrong,
    Strong,
    Moderate,
    Supporting,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::StandAlone => "stand_alone",
            Strength::VeryStrong => "very_strong",
            Strength::Strong => "strong",
            Strength::Moderate => "moderate",
            Strength::Supporting => "supporting",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcmgCriterion {
    /// Default strength.
    pub strength: Strength,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    pub citation: String,
    /// Codes that, when applied, make this criterion not applicable.
    #[serde(default)]
    pub excluded_by: Vec<String>,
    /// PS1, PM5, PP5, BP6: ClinVar significances that count.
    pub significance: Option<Vec<String>>,
    /// PS1, PM5, PP5, BP6: minimum ClinVar review stars.
    pub min_review_stars: Option<u8>,
    /// PVS1: strength for a nonsense/frameshift variant in the last exon
    /// (not predicted to undergo nonsense-mediated decay).
    pub last_exon_strength: Option<Strength>,
    /// PVS1: strength for an initiation codon variant.
    pub start_lost_strength: Option<Strength>,
    /// PM2: absent, or frequency at most this.
    pub af_at_most: Option<f64>,
    /// BA1, BS1: frequency above this.
    pub af_above: Option<f64>,
}

/// One line of the combining table: minimum numbers of criteria per
/// strength (all must hold).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombiningRule {
    pub id: String,
    /// Pathogenic, Likely pathogenic, Benign or Likely benign.
    pub class: String,
    #[serde(default)]
    pub pvs: u32,
    #[serde(default)]
    pub ps: u32,
    #[serde(default)]
    pub pm: u32,
    #[serde(default)]
    pub pp: u32,
    #[serde(default)]
    pub ba: u32,
    #[serde(default)]
    pub bs: u32,
    #[serde(default)]
    pub bp: u32,
    pub citation: String,
}

pub const PATHOGENIC: &str = "Pathogenic";
pub const LIKELY_PATHOGENIC: &str = "Likely pathogenic";
pub const BENIGN: &str = "Benign";
pub const LIKELY_BENIGN: &str = "Likely benign";
pub const UNCERTAIN: &str = "Uncertain significance";

impl CombiningRule {
    pub fn is_pathogenic_side(&self) -> bool {
        self.class == PATHOGENIC || self.class == LIKELY_PATHOGENIC
    }
}

impl AcmgFile {
    fn validate(mut rules: AcmgRules) -> Result<AcmgRules, String> {
        for code in rules.criteria.keys() {
            if !ACMG_COMPUTED.contains(&code.as_str()) {
                return Err(format!(
                    "criteria.{code}: not a computed criterion (computed: {})",
                    ACMG_COMPUTED.join(", ")
                ));
            }
        }
        for code in ACMG_COMPUTED {
            let Some(c) = rules.criteria.get_mut(*code) else {
                return Err(format!(
                    "criteria.{code}: missing (set `enabled = false` to switch it off)"
                ));
            };
            check_citation(&c.citation, &format!("criteria.{code}"))?;
            let position = ACMG_COMPUTED.iter().position(|x| x == code);
            for excluder in &c.excluded_by {
                match ACMG_COMPUTED.iter().position(|x| x == excluder) {
                    Some(p) if p < position.expect("code is computed") => {}
                    Some(_) => {
                        return Err(format!(
                            "criteria.{code}.excluded_by: {excluder} is evaluated after {code}"
                        ));
                    }
                    None => {
                        return Err(format!(
                            "criteria.{code}.excluded_by: {excluder} is not a computed criterion"
                        ));
                    }
                }
            }
            let benign = code.starts_with('B');
            let strengths = [
                Some(c.strength),
                c.last_exon_strength,
                c.start_lost_strength,
            ];
            for strength in strengths.into_iter().flatten() {
                let ok = if benign {
                    matches!(
                        strength,
                        Strength::StandAlone | Strength::Strong | Strength::Supporting
                    )
                } else {
                    strength != Strength::StandAlone
                };
                if !ok {
                    return Err(format!(
                        "criteria.{code}: strength {} does not exist for {} criteria",
                        strength.as_str(),
                        if benign { "benign" } else { "pathogenic" }
                    ));
                }
            }
            let need = |present: bool, param: &str| {
                if present {
                    Ok(())
                } else {
                    Err(format!("criteria.{code}: `{param}` is required"))
                }
            };
            match *code {
                "PVS1" => {
                    need(c.last_exon_strength.is_some(), "last_exon_strength")?;
                    need(c.start_lost_strength.is_some(), "start_lost_strength")?;
                }
                "PS1" | "PM5" | "PP5" | "BP6" => {
                    need(c.significance.is_some(), "significance")?;
                    need(c.min_review_stars.is_some(), "min_review_stars")?;
                    if let Some(terms) = &mut c.significance {
                        normalise_all(terms);
                    }
                    if c.min_review_stars.is_some_and(|s| s > 4) {
                        return Err(format!(
                            "criteria.{code}.min_review_stars: ClinVar has 0 to 4 stars"
                        ));
                    }
                }
                "PM2" => {
                    need(c.af_at_most.is_some(), "af_at_most")?;
                    check_fraction(c.af_at_most.expect("checked"), "criteria.PM2.af_at_most")?;
                }
                "BA1" | "BS1" => {
                    need(c.af_above.is_some(), "af_above")?;
                    check_fraction(
                        c.af_above.expect("checked"),
                        &format!("criteria.{code}.af_above"),
                    )?;
                }
                _ => {}
            }
        }
        if rules.combining.is_empty() {
            return Err("combining: the combining table is empty".into());
        }
        for (i, rule) in rules.combining.iter().enumerate() {
            check_citation(&rule.citation, &format!("combining[{i}] ({})", rule.id))?;
            let pathogenic_counts = rule.pvs + rule.ps + rule.pm + rule.pp;
            let benign_counts = rule.ba + rule.bs + rule.bp;
            match rule.class.as_str() {
                PATHOGENIC | LIKELY_PATHOGENIC if benign_counts == 0 && pathogenic_counts > 0 => {}
                BENIGN | LIKELY_BENIGN if pathogenic_counts == 0 && benign_counts > 0 => {}
                PATHOGENIC | LIKELY_PATHOGENIC | BENIGN | LIKELY_BENIGN => {
                    return Err(format!(
                        "combining[{i}] ({}): a {} rule counts only {} criteria, at least one",
                        rule.id,
                        rule.class,
                        if rule.is_pathogenic_side() {
                            "pathogenic"
                        } else {
                            "benign"
                        }
                    ));
                }
                other => {
                    return Err(format!(
                        "combining[{i}] ({}): class `{other}` is not one of {PATHOGENIC}, \
                         {LIKELY_PATHOGENIC}, {BENIGN}, {LIKELY_BENIGN}",
                        rule.id
                    ));
                }
            }
        }
        // The stronger class of each side must be tried first.
        let position = |class: &str| rules.combining.iter().position(|r| r.class == class);
        for (strong, weak) in [(PATHOGENIC, LIKELY_PATHOGENIC), (BENIGN, LIKELY_BENIGN)] {
            if let (Some(s), Some(w)) = (position(strong), position(weak))
                && rules
                    .combining
                    .iter()
                    .skip(w)
                    .any(|r| r.class == strong && s > w)
            {
                return Err(format!(
                    "combining: every {strong} rule must come before the {weak} rules"
                ));
            }
        }
        for code in rules.not_computed.keys() {
            if ACMG_COMPUTED.contains(&code.as_str()) {
                return Err(format!("not_computed.{code}: {code} is computed"));
            }
        }
        Ok(rules)
    }
}

// -------------------------------------------------------------------- TMB

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TmbFile {
    meta: Meta,
    definition: TmbRulesText,
}

impl RulesFile for TmbFile {
    type Rules = TmbRulesText;
    fn into_parts(self) -> (Meta, TmbRulesText) {
        (self.meta, self.definition)
    }
}

/// `tmb.toml` `[definition]` as written; [`TmbFile::validate`] types it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TmbRulesText {
    counted_consequences: Vec<String>,
    default_min_vaf: f64,
    default_min_depth: u32,
    exclude_population_af_at_least: f64,
    citation: String,
}

/// Tumour mutational burden definition.
#[derive(Debug, Clone)]
pub struct TmbRules {
    /// A variant counts when its picked consequence includes one of these.
    pub counted_consequences: Vec<SoTerm>,
    pub default_min_vaf: f64,
    pub default_min_depth: u32,
    /// Likely germline polymorphisms are not counted.
    pub exclude_population_af_at_least: f64,
    pub citation: String,
}

impl TmbFile {
    fn validate(text: TmbRulesText) -> Result<TmbRules, String> {
        check_fraction(text.default_min_vaf, "default_min_vaf")?;
        check_fraction(
            text.exclude_population_af_at_least,
            "exclude_population_af_at_least",
        )?;
        check_citation(&text.citation, "tmb")?;
        let counted = parse_terms(&text.counted_consequences, "counted_consequences")?;
        if counted.is_empty() {
            return Err("counted_consequences is empty".into());
        }
        Ok(TmbRules {
            counted_consequences: counted,
            default_min_vaf: text.default_min_vaf,
            default_min_depth: text.default_min_depth,
            exclude_population_af_at_least: text.exclude_population_af_at_least,
            citation: text.citation,
        })
    }
}

// ------------------------------------------------------------ tumour-only

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TumourOnlyFile {
    meta: Meta,
    screen: ScreenText,
    criteria: GermlineCriteriaText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenText {
    min_supporting: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GermlineCriteriaText {
    population_af: PopulationCriterionText,
    clinvar_germline: ClinvarCriterionText,
    vaf_heterozygous: VafCriterionText,
    vaf_homozygous: VafCriterionText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PopulationCriterionText {
    role: String,
    frequency_at_least: f64,
    citation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinvarCriterionText {
    role: String,
    significance: Vec<String>,
    min_review_stars: u8,
    citation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VafCriterionText {
    role: String,
    vaf_min: f64,
    vaf_max: f64,
    citation: String,
}

impl RulesFile for TumourOnlyFile {
    type Rules = (ScreenText, GermlineCriteriaText);
    fn into_parts(self) -> (Meta, Self::Rules) {
        (self.meta, (self.screen, self.criteria))
    }
}

/// Whether a likely-germline criterion flags a variant on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionRole {
    /// Flags the variant alone.
    Sufficient,
    /// Counts towards `min_supporting`.
    Supporting,
}

impl CriterionRole {
    fn parse(text: &str, what: &str) -> Result<Self, String> {
        match text {
            "sufficient" => Ok(Self::Sufficient),
            "supporting" => Ok(Self::Supporting),
            other => Err(format!(
                "{what}: role `{other}`: expected sufficient or supporting"
            )),
        }
    }
}

/// The gnomAD frequency criterion.
#[derive(Debug, Clone)]
pub struct PopulationCriterion {
    pub role: CriterionRole,
    pub frequency_at_least: f64,
    pub citation: String,
}

/// The ClinVar germline pathogenic criterion.
#[derive(Debug, Clone)]
pub struct ClinvarGermlineCriterion {
    pub role: CriterionRole,
    /// Normalised ([`normalise_term`]) ClinVar significances.
    pub significance: Vec<String>,
    pub min_review_stars: u8,
    pub citation: String,
}

/// A tumour VAF window criterion (inclusive bounds).
#[derive(Debug, Clone)]
pub struct VafCriterion {
    pub role: CriterionRole,
    pub vaf_min: f64,
    pub vaf_max: f64,
    pub citation: String,
}

impl VafCriterion {
    pub fn contains(&self, vaf: f64) -> bool {
        (self.vaf_min..=self.vaf_max).contains(&vaf)
    }
}

/// Likely germline screen of tumour-only samples (`tumour_only.toml`).
#[derive(Debug, Clone)]
pub struct TumourOnlyRules {
    /// Criteria that must fire together to flag (sufficient ones alone).
    pub min_supporting: usize,
    pub population_af: PopulationCriterion,
    pub clinvar_germline: ClinvarGermlineCriterion,
    pub vaf_heterozygous: VafCriterion,
    pub vaf_homozygous: VafCriterion,
}

impl TumourOnlyFile {
    fn validate(
        (screen, c): (ScreenText, GermlineCriteriaText),
    ) -> Result<TumourOnlyRules, String> {
        if screen.min_supporting < 1 {
            return Err("screen.min_supporting must be at least 1".into());
        }
        let p = c.population_af;
        check_fraction(
            p.frequency_at_least,
            "criteria.population_af.frequency_at_least",
        )?;
        check_citation(&p.citation, "criteria.population_af")?;
        let clinvar = c.clinvar_germline;
        check_citation(&clinvar.citation, "criteria.clinvar_germline")?;
        if clinvar.significance.is_empty() {
            return Err("criteria.clinvar_germline.significance is empty".into());
        }
        if clinvar.min_review_stars > 4 {
            return Err(format!(
                "criteria.clinvar_germline.min_review_stars = {}: ClinVar has 0-4 stars",
                clinvar.min_review_stars
            ));
        }
        let vaf = |v: VafCriterionText, what: &str| -> Result<VafCriterion, String> {
            check_fraction(v.vaf_min, &format!("{what}.vaf_min"))?;
            check_fraction(v.vaf_max, &format!("{what}.vaf_max"))?;
            if v.vaf_min > v.vaf_max {
                return Err(format!(
                    "{what}: vaf_min {} is above vaf_max {}",
                    v.vaf_min, v.vaf_max
                ));
            }
            check_citation(&v.citation, what)?;
            Ok(VafCriterion {
                role: CriterionRole::parse(&v.role, what)?,
                vaf_min: v.vaf_min,
                vaf_max: v.vaf_max,
                citation: v.citation,
            })
        };
        Ok(TumourOnlyRules {
            min_supporting: screen.min_supporting,
            population_af: PopulationCriterion {
                role: CriterionRole::parse(&p.role, "criteria.population_af")?,
                frequency_at_least: p.frequency_at_least,
                citation: p.citation,
            },
            clinvar_germline: ClinvarGermlineCriterion {
                role: CriterionRole::parse(&clinvar.role, "criteria.clinvar_germline")?,
                significance: clinvar
                    .significance
                    .iter()
                    .map(|s| normalise_term(s))
                    .collect(),
                min_review_stars: clinvar.min_review_stars,
                citation: clinvar.citation,
            },
            vaf_heterozygous: vaf(c.vaf_heterozygous, "criteria.vaf_heterozygous")?,
            vaf_homozygous: vaf(c.vaf_homozygous, "criteria.vaf_homozygous")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_compare_in_normal_form() {
        assert_eq!(normalise_level("Tier I - Level A"), "TIER_I_LEVEL_A");
        assert_eq!(normalise_level("TIER_I_LEVEL_A"), "TIER_I_LEVEL_A");
        assert_eq!(normalise_level("LEVEL_3A"), "3A");
        assert_eq!(normalise_level("3a"), "3A");
        assert_eq!(normalise_level(" a "), "A");
    }

    #[test]
    fn terms_compare_in_normal_form() {
        assert_eq!(normalise_term("Likely_benign"), "likely benign");
        assert_eq!(
            normalise_term("Benign/Likely_benign"),
            "benign/likely benign"
        );
    }

    #[test]
    fn toml_errors_carry_line_and_column() {
        let text = "[meta]\nid = \"x\"\nversion = 1\n";
        let err = toml::from_str::<BTreeMap<String, Meta>>(text).unwrap_err();
        let e = toml_error(Path::new("r.toml"), text, &err);
        assert!(e.location.starts_with("r.toml:"), "{e}");
    }
}
