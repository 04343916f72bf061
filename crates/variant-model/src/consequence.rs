//! Transcript consequences: Sequence Ontology terms as Ensembl VEP uses
//! them, their IMPACT classes, and the per-transcript annotation record.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// VEP's IMPACT classes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Impact {
    High,
    Moderate,
    Low,
    Modifier,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::High => "HIGH",
            Impact::Moderate => "MODERATE",
            Impact::Low => "LOW",
            Impact::Modifier => "MODIFIER",
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Impact {
    type Err = UnknownTerm;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "HIGH" => Ok(Impact::High),
            "MODERATE" => Ok(Impact::Moderate),
            "LOW" => Ok(Impact::Low),
            "MODIFIER" => Ok(Impact::Modifier),
            other => Err(UnknownTerm(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown term `{0}`")]
pub struct UnknownTerm(pub String);

macro_rules! so_terms {
    ($( $variant:ident => ($name:literal, $accession:literal, $impact:ident) ),+ $(,)?) => {
        /// Sequence Ontology consequence terms, declared in VEP's severity
        /// order (most severe first), so the derived `Ord` ranks them as VEP
        /// does when it picks the "most severe consequence".
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum SoTerm {
            $(
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl SoTerm {
            /// Every term, most severe first.
            pub const ALL: &'static [SoTerm] = &[$(SoTerm::$variant),+];

            /// The SO term name as VEP writes it (e.g. `missense_variant`).
            pub fn as_str(self) -> &'static str {
                match self { $(SoTerm::$variant => $name,)+ }
            }

            /// The Sequence Ontology accession (e.g. `SO:0001583`).
            pub fn accession(self) -> &'static str {
                match self { $(SoTerm::$variant => $accession,)+ }
            }

            /// VEP's IMPACT class for this term.
            pub fn impact(self) -> Impact {
                match self { $(SoTerm::$variant => Impact::$impact,)+ }
            }
        }

        impl FromStr for SoTerm {
            type Err = UnknownTerm;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(SoTerm::$variant),)+
                    other => Err(UnknownTerm(other.to_string())),
                }
            }
        }
    };
}

// Order and impacts follow Ensembl VEP's consequence table
// (https://www.ensembl.org/info/genome/variation/prediction/predicted_data.html).
so_terms! {
    TranscriptAblation => ("transcript_ablation", "SO:0001893", High),
    SpliceAcceptorVariant => ("splice_acceptor_variant", "SO:0001574", High),
    SpliceDonorVariant => ("splice_donor_variant", "SO:0001575", High),
    StopGained => ("stop_gained", "SO:0001587", High),
    FrameshiftVariant => ("frameshift_variant", "SO:0001589", High),
    StopLost => ("stop_lost", "SO:0001578", High),
    StartLost => ("start_lost", "SO:0002012", High),
    TranscriptAmplification => ("transcript_amplification", "SO:0001889", High),
    FeatureElongation => ("feature_elongation", "SO:0001907", High),
    FeatureTruncation => ("feature_truncation", "SO:0001906", High),
    InframeInsertion => ("inframe_insertion", "SO:0001821", Moderate),
    InframeDeletion => ("inframe_deletion", "SO:0001822", Moderate),
    MissenseVariant => ("missense_variant", "SO:0001583", Moderate),
    ProteinAlteringVariant => ("protein_altering_variant", "SO:0001818", Moderate),
    SpliceDonor5thBaseVariant => ("splice_donor_5th_base_variant", "SO:0001787", Low),
    SpliceRegionVariant => ("splice_region_variant", "SO:0001630", Low),
    SpliceDonorRegionVariant => ("splice_donor_region_variant", "SO:0002170", Low),
    SplicePolypyrimidineTractVariant => ("splice_polypyrimidine_tract_variant", "SO:0002169", Low),
    IncompleteTerminalCodonVariant => ("incomplete_terminal_codon_variant", "SO:0001626", Low),
    StartRetainedVariant => ("start_retained_variant", "SO:0002019", Low),
    StopRetainedVariant => ("stop_retained_variant", "SO:0001567", Low),
    SynonymousVariant => ("synonymous_variant", "SO:0001819", Low),
    CodingSequenceVariant => ("coding_sequence_variant", "SO:0001580", Modifier),
    MatureMirnaVariant => ("mature_miRNA_variant", "SO:0001620", Modifier),
    FivePrimeUtrVariant => ("5_prime_UTR_variant", "SO:0001623", Modifier),
    ThreePrimeUtrVariant => ("3_prime_UTR_variant", "SO:0001624", Modifier),
    NonCodingTranscriptExonVariant => ("non_coding_transcript_exon_variant", "SO:0001792", Modifier),
    IntronVariant => ("intron_variant", "SO:0001627", Modifier),
    NmdTranscriptVariant => ("NMD_transcript_variant", "SO:0001621", Modifier),
    NonCodingTranscriptVariant => ("non_coding_transcript_variant", "SO:0001619", Modifier),
    CodingTranscriptVariant => ("coding_transcript_variant", "SO:0001968", Modifier),
    UpstreamGeneVariant => ("upstream_gene_variant", "SO:0001631", Modifier),
    DownstreamGeneVariant => ("downstream_gene_variant", "SO:0001632", Modifier),
    IntergenicVariant => ("intergenic_variant", "SO:0001628", Modifier),
    SequenceVariant => ("sequence_variant", "SO:0001060", Modifier),
}

impl fmt::Display for SoTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Strand of a feature on the genome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Strand {
    #[serde(rename = "+")]
    Forward,
    #[serde(rename = "-")]
    Reverse,
}

impl Strand {
    /// VEP's STRAND column: `1` or `-1`.
    pub fn as_vep(self) -> &'static str {
        match self {
            Strand::Forward => "1",
            Strand::Reverse => "-1",
        }
    }
}

/// A `start-end` range inside a transcript (cDNA, CDS or protein
/// coordinates). VEP writes a single number when start == end and `?` for an
/// end that falls outside the feature (e.g. `?-12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PositionRange {
    pub start: Option<u64>,
    pub end: Option<u64>,
}

impl PositionRange {
    pub fn single(position: u64) -> Self {
        Self {
            start: Some(position),
            end: Some(position),
        }
    }

    pub fn to_vep(self) -> String {
        let show = |p: Option<u64>| p.map_or_else(|| "?".to_string(), |p| p.to_string());
        match (self.start, self.end) {
            (Some(s), Some(e)) if s == e => s.to_string(),
            (s, e) => format!("{}-{}", show(s), show(e)),
        }
    }

    pub fn from_vep(text: &str) -> Option<Self> {
        let parse = |p: &str| {
            if p == "?" {
                Some(None)
            } else {
                p.parse().ok().map(Some)
            }
        };
        match text.split_once('-') {
            Some((s, e)) => Some(Self {
                start: parse(s)?,
                end: parse(e)?,
            }),
            None => {
                let p = parse(text)?;
                Some(Self { start: p, end: p })
            }
        }
    }
}

/// `number/total` for EXON and INTRON columns (e.g. exon `3/11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeatureNumber {
    pub first: u32,
    /// Last exon/intron touched, when the variant spans several.
    pub last: u32,
    pub total: u32,
}

impl FeatureNumber {
    pub fn to_vep(self) -> String {
        if self.first == self.last {
            format!("{}/{}", self.first, self.total)
        } else {
            format!("{}-{}/{}", self.first, self.last, self.total)
        }
    }

    pub fn from_vep(text: &str) -> Option<Self> {
        let (range, total) = text.split_once('/')?;
        let total = total.parse().ok()?;
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
            None => {
                let n = range.parse().ok()?;
                (n, n)
            }
        };
        Some(Self { first, last, total })
    }
}

/// What one allele does to one feature (a transcript, or nothing for an
/// intergenic variant): one `INFO/CSQ` entry in VEP's layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
pub struct TranscriptConsequence {
    /// The allele in VEP's notation (`-` for a deletion, inserted bases for
    /// an insertion, otherwise the ALT allele with the shared anchor removed).
    pub allele: String,
    /// Consequence terms, most severe first.
    pub consequences: Vec<SoTerm>,
    pub impact: Option<Impact>,
    pub symbol: Option<String>,
    /// Where the symbol comes from (HGNC, EntrezGene, ...), when known.
    pub symbol_source: Option<String>,
    pub hgnc_id: Option<String>,
    /// Gene identifier (Ensembl ENSG, or RefSeq GeneID).
    pub gene: Option<String>,
    /// `Transcript`, or empty for intergenic entries.
    pub feature_type: Option<String>,
    /// Transcript identifier with version (e.g. `ENST00000288602.11`).
    pub feature: Option<String>,
    pub biotype: Option<String>,
    pub exon: Option<FeatureNumber>,
    pub intron: Option<FeatureNumber>,
    /// HGVS coding/non-coding notation, `ENST...:c.1799T>A`.
    pub hgvsc: Option<String>,
    /// HGVS protein notation, `ENSP...:p.Val600Glu`.
    pub hgvsp: Option<String>,
    /// HGVS genomic notation on the reference contig, `7:g.140753336A>T`.
    pub hgvsg: Option<String>,
    /// Number of bases the HGVS notation was shifted 3' from the VCF
    /// (left-aligned) position, as VEP's HGVS_OFFSET.
    pub hgvs_offset: Option<i64>,
    pub cdna_position: Option<PositionRange>,
    pub cds_position: Option<PositionRange>,
    pub protein_position: Option<PositionRange>,
    /// `V/E` for a missense change, `V` for synonymous.
    pub amino_acids: Option<String>,
    /// `gTg/gAg`: changed bases in upper case.
    pub codons: Option<String>,
    pub existing_variation: Vec<String>,
    /// Distance to the transcript for upstream/downstream variants.
    pub distance: Option<u64>,
    pub strand: Option<Strand>,
    /// VEP FLAGS: `cds_start_NF`, `cds_end_NF`, ...
    pub flags: Vec<String>,
    /// True for the one consequence per allele flagged by the pick order.
    pub pick: bool,
    pub variant_class: Option<String>,
    /// True when the transcript carries the Ensembl canonical tag.
    pub canonical: bool,
    /// MANE Select RefSeq identifier matched by this transcript, if any.
    pub mane_select: Option<String>,
    pub mane_plus_clinical: Option<String>,
    pub tsl: Option<String>,
    pub ccds: Option<String>,
    /// Protein identifier (ENSP / NP_).
    pub ensp: Option<String>,
    /// Where the transcript model comes from (Ensembl, RefSeq, GENCODE).
    pub source: Option<String>,
}

impl TranscriptConsequence {
    /// The most severe consequence term of this entry.
    pub fn most_severe(&self) -> Option<SoTerm> {
        self.consequences.iter().min().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn so_terms_are_ranked_and_parsed_as_vep_writes_them() {
        assert!(SoTerm::StopGained < SoTerm::MissenseVariant);
        assert!(SoTerm::MissenseVariant < SoTerm::SynonymousVariant);
        assert!(SoTerm::SpliceDonor5thBaseVariant < SoTerm::SpliceRegionVariant);
        assert_eq!(SoTerm::FrameshiftVariant.impact(), Impact::High);
        assert_eq!(SoTerm::SpliceRegionVariant.impact(), Impact::Low);
        assert_eq!(SoTerm::IntergenicVariant.impact(), Impact::Modifier);
        assert_eq!(
            "5_prime_UTR_variant".parse::<SoTerm>(),
            Ok(SoTerm::FivePrimeUtrVariant)
        );
        assert!("missense".parse::<SoTerm>().is_err());
        for term in SoTerm::ALL {
            assert_eq!(term.as_str().parse::<SoTerm>(), Ok(*term));
            assert!(term.accession().starts_with("SO:"));
        }
        let json = serde_json::to_string(&SoTerm::NmdTranscriptVariant).unwrap();
        assert_eq!(json, "\"NMD_transcript_variant\"");
    }

    #[test]
    fn position_ranges_use_vep_notation() {
        assert_eq!(PositionRange::single(12).to_vep(), "12");
        let partial = PositionRange {
            start: None,
            end: Some(12),
        };
        assert_eq!(partial.to_vep(), "?-12");
        assert_eq!(PositionRange::from_vep("?-12"), Some(partial));
        assert_eq!(
            PositionRange::from_vep("3-5"),
            Some(PositionRange {
                start: Some(3),
                end: Some(5)
            })
        );
        assert_eq!(PositionRange::from_vep("x"), None);
    }

    #[test]
    fn feature_numbers_use_vep_notation() {
        let n = FeatureNumber::from_vep("2-3/11").unwrap();
        assert_eq!((n.first, n.last, n.total), (2, 3, 11));
        assert_eq!(n.to_vep(), "2-3/11");
        assert_eq!(FeatureNumber::from_vep("4/4").unwrap().to_vep(), "4/4");
        assert_eq!(FeatureNumber::from_vep("4"), None);
    }
}
