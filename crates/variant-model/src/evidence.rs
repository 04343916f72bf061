//! Knowledge-base matches and the evidence each one carries.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How an allele matched a knowledge-base record, strongest first (the
/// derived `Ord` ranks `ExactAllele` before `Gene`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchLevel {
    /// Same normalised genomic allele (chrom, pos, ref, alt).
    ExactAllele,
    /// Same protein change on the same gene (e.g. BRAF p.V600E).
    ProteinChange,
    /// Same codon / hotspot residue (e.g. BRAF V600).
    Codon,
    /// An exon or region rule (e.g. EGFR exon 19 deletion).
    Region,
    /// A gene-level category (truncating, oncogenic mutations, any mutation).
    Gene,
}

/// One match of one allele against one knowledge-base record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KbMatch {
    /// Source name as in the bundle manifest (`clinvar`, `civic`, ...).
    pub source: String,
    pub source_version: Option<String>,
    /// Identifier of the record in its source (ClinVar VariationID, CIViC
    /// EID/AID, OncoKB alteration, ...).
    pub record_id: String,
    pub level: MatchLevel,
    /// What matched, in the source's words (`BRAF V600E`, `V600`,
    /// `EGFR exon 19 deletion`, `TP53 truncating mutations`).
    pub matched_term: Option<String>,
    /// The transcript whose annotation produced the match (protein,
    /// codon and region levels).
    pub transcript: Option<String>,
    /// True when that transcript is the picked one; false when the match
    /// came from another overlapping transcript.
    pub on_picked_transcript: Option<bool>,
    pub evidence: Evidence,
}

/// Evidence carried by a knowledge-base record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Clinical significance as the source states it (ClinVar CLNSIG,
    /// CIViC significance, OncoKB oncogenicity).
    pub clinical_significance: Option<String>,
    /// Evidence type: predictive, diagnostic, prognostic, oncogenic,
    /// predisposing, functional, population, hotspot.
    pub evidence_type: Option<String>,
    /// Evidence level in the source's scale (CIViC A-E, OncoKB 1-4/R1/R2).
    pub evidence_level: Option<String>,
    /// Supports / does not support.
    pub direction: Option<String>,
    pub therapies: Vec<String>,
    pub disease: Option<Disease>,
    /// PubMed identifiers.
    pub pmids: Vec<String>,
    /// ClinVar review status in stars (0-4).
    pub review_stars: Option<u8>,
    pub review_status: Option<String>,
    pub population: Option<PopulationFrequency>,
    /// Number of tumour samples with the hotspot mutation (cancerhotspots).
    pub hotspot_count: Option<u32>,
    /// Free-text summary from the source.
    pub description: Option<String>,
    /// Link to the source record.
    pub url: Option<String>,
    /// Whether the source may be redistributed (OncoKB/COSMIC may not).
    pub redistributable: Option<bool>,
}

/// A disease or tumour type with its ontology codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Disease {
    pub name: String,
    /// Disease Ontology identifier (CIViC), e.g. `DOID:8923`.
    pub doid: Option<String>,
    /// OncoTree code (OncoKB, sample sheet), e.g. `MEL`.
    pub oncotree: Option<String>,
}

/// Population allele frequencies (gnomAD).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct PopulationFrequency {
    pub af: Option<f64>,
    /// Highest frequency among genetic ancestry groups (grpmax, popmax in
    /// gnomAD 2.x) and which group it is.
    pub grpmax_af: Option<f64>,
    pub grpmax_group: Option<String>,
    pub allele_count: Option<u64>,
    pub allele_number: Option<u64>,
    pub nhomalt: Option<u64>,
}
