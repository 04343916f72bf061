//! Facts about one variant that the rules test: gene, consequence, protein
//! change, population frequency, ClinVar and hotspot records. Read from the
//! picked consequence and the knowledge-base matches only.

use variant_model::classification::EvidenceRef;
use variant_model::consequence::FeatureNumber;
use variant_model::evidence::{KbMatch, MatchLevel};
use variant_model::protein::one_letter;
use variant_model::{SoTerm, VariantRecord};

use crate::rules::{CommonRules, FrequencyField, normalise_term};

/// A single-residue protein change such as `V600E` (alt `None` for a bare
/// residue such as `V600`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidueChange {
    pub reference: u8,
    pub position: u64,
    pub alternate: Option<u8>,
}

impl std::fmt::Display for ResidueChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.reference as char, self.position)?;
        if let Some(alt) = self.alternate {
            write!(f, "{}", alt as char)?;
        }
        Ok(())
    }
}

/// Parses the last word of a knowledge-base term as a residue change:
/// `BRAF V600E`, `V600`, `p.V600E`, `p.Val600Glu`, `V600X` (any change →
/// alternate `None`). Anything else (`exon 19 deletion`, `G12_G13dup`) is
/// `None`.
pub fn parse_residue_term(term: &str) -> Option<ResidueChange> {
    let word = term.split_whitespace().last()?;
    let word = word.strip_prefix("p.").unwrap_or(word);
    let word = word.trim_start_matches('(').trim_end_matches(')');
    let digits_start = word.find(|c: char| c.is_ascii_digit())?;
    let digits_end = digits_start
        + word[digits_start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(word.len() - digits_start);
    let (reference, position, alternate) = (
        &word[..digits_start],
        &word[digits_start..digits_end],
        &word[digits_end..],
    );
    let amino_acid = |s: &str| -> Option<u8> {
        match s.len() {
            1 => {
                let c = s.as_bytes()[0].to_ascii_uppercase();
                (c.is_ascii_uppercase() || c == b'*').then_some(c)
            }
            3 => one_letter(s),
            _ => None,
        }
    };
    let reference = amino_acid(reference)?;
    let position = position.parse().ok()?;
    let alternate = match alternate {
        "" | "X" | "x" | "Xaa" => None,
        other => Some(amino_acid(other)?),
    };
    Some(ResidueChange {
        reference,
        position,
        alternate,
    })
}

/// Population frequency of the variant in the population databases.
#[derive(Debug, Clone, PartialEq)]
pub enum Population {
    /// A population record of this allele, with the frequency the rules
    /// compare (see [`FrequencyField`]).
    Observed {
        frequency: f64,
        /// Which field it is (`grpmax (afr)`, `af`).
        field: String,
        evidence: EvidenceRef,
    },
    /// Looked up and not found, or found with no alternate alleles.
    Absent,
    /// No population lookup to rely on: absence cannot be concluded.
    Unknown,
}

/// What the rules test about one variant.
#[derive(Debug, Clone)]
pub struct VariantFacts {
    pub gene: Option<String>,
    /// Consequence terms of the picked transcript.
    pub consequences: Vec<SoTerm>,
    pub transcript: Option<String>,
    pub hgvsp: Option<String>,
    /// The single-residue change on the picked transcript (missense,
    /// nonsense).
    pub protein_change: Option<ResidueChange>,
    pub exon: Option<FeatureNumber>,
    pub population: Population,
    /// True when FILTER is PASS (or empty / `.`).
    pub passed_filters: bool,
}

impl VariantFacts {
    /// Reads the facts of `record`. `population_looked_up` tells whether a
    /// missing population record means absence.
    pub fn of(record: &VariantRecord, common: &CommonRules, population_looked_up: bool) -> Self {
        let picked = record
            .picked()
            .or_else(|| record.consequences.first())
            .cloned()
            .unwrap_or_default();
        let protein_change = picked
            .amino_acids
            .as_deref()
            .zip(picked.protein_position.and_then(|p| p.start))
            .and_then(|(aa, position)| {
                let (reference, alternate) = aa.split_once('/')?;
                (reference.len() == 1 && alternate.len() == 1).then(|| ResidueChange {
                    reference: reference.as_bytes()[0],
                    position,
                    alternate: Some(alternate.as_bytes()[0]),
                })
            });
        let passed_filters = record
            .filters
            .iter()
            .all(|f| f == "PASS" || f == "." || f.is_empty());
        Self {
            gene: picked.symbol.clone(),
            consequences: picked.consequences.clone(),
            transcript: picked.feature.clone(),
            hgvsp: picked.hgvsp.clone(),
            protein_change,
            exon: picked.exon,
            population: population_of(record, common.population.frequency, population_looked_up),
            passed_filters,
        }
    }

    pub fn has_consequence(&self, terms: &[SoTerm]) -> bool {
        self.consequences.iter().any(|c| terms.contains(c))
    }

    pub fn in_last_exon(&self) -> bool {
        self.exon.is_some_and(|e| e.last == e.total)
    }

    /// `BRAF p.V600E (missense_variant)`-style label for traces.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(g) = &self.gene {
            parts.push(g.clone());
        }
        if let Some(p) = &self.protein_change {
            parts.push(format!("p.{p}"));
        } else if let Some(h) = &self.hgvsp {
            parts.push(h.rsplit(':').next().unwrap_or(h).to_string());
        }
        if let Some(c) = self.consequences.first() {
            parts.push(format!("({c})"));
        }
        parts.join(" ")
    }
}

pub fn evidence_ref(m: &KbMatch) -> EvidenceRef {
    EvidenceRef {
        source: m.source.clone(),
        record_id: m.record_id.clone(),
    }
}

fn population_of(record: &VariantRecord, field: FrequencyField, looked_up: bool) -> Population {
    let mut best: Option<(f64, String, EvidenceRef)> = None;
    let mut seen_record = false;
    for m in &record.kb_matches {
        if m.level != MatchLevel::ExactAllele {
            continue;
        }
        let Some(pop) = &m.evidence.population else {
            continue;
        };
        seen_record = true;
        let value = match field {
            FrequencyField::GrpmaxElseAf => match pop.grpmax_af {
                Some(f) => Some((
                    f,
                    match &pop.grpmax_group {
                        Some(g) => format!("grpmax ({g})"),
                        None => "grpmax".to_string(),
                    },
                )),
                None => pop.af.map(|f| (f, "af".to_string())),
            },
            FrequencyField::Af => pop.af.map(|f| (f, "af".to_string())),
        };
        if let Some((frequency, name)) = value
            && best.as_ref().is_none_or(|(b, _, _)| frequency > *b)
        {
            best = Some((frequency, name, evidence_ref(m)));
        }
    }
    match best {
        Some((frequency, field, evidence)) if frequency > 0.0 => Population::Observed {
            frequency,
            field,
            evidence,
        },
        // A record with AF 0 (no alternate allele seen) is absence.
        Some(_) => Population::Absent,
        None if seen_record => Population::Unknown,
        None if looked_up => Population::Absent,
        None => Population::Unknown,
    }
}

/// True when the match is a ClinVar record.
pub fn is_clinvar(m: &KbMatch, common: &CommonRules) -> bool {
    common.sources.clinvar.contains(&normalise_term(&m.source))
}

/// True when the match is a cancer hotspot record.
pub fn is_hotspot(m: &KbMatch, common: &CommonRules) -> bool {
    common.sources.hotspot.contains(&normalise_term(&m.source))
        || m.evidence.evidence_type.as_deref().is_some_and(|t| {
            common
                .sources
                .hotspot_evidence_types
                .contains(&normalise_term(t))
        })
}

/// The normalised clinical significance of a match, if stated.
pub fn significance(m: &KbMatch) -> Option<String> {
    m.evidence
        .clinical_significance
        .as_deref()
        .map(normalise_term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residue_terms() {
        let v600e = parse_residue_term("BRAF V600E").unwrap();
        assert_eq!(v600e.to_string(), "V600E");
        assert_eq!(parse_residue_term("p.Val600Glu"), Some(v600e));
        assert_eq!(parse_residue_term("V600").unwrap().alternate, None);
        assert_eq!(parse_residue_term("KRAS G12X").unwrap().alternate, None);
        assert_eq!(parse_residue_term("R196*").unwrap().alternate, Some(b'*'));
        assert_eq!(parse_residue_term("EGFR exon 19 deletion"), None);
        assert_eq!(parse_residue_term("G12_G13dup"), None);
        assert_eq!(parse_residue_term("Oncogenic Mutations"), None);
    }
}
