//! The picked transcript: one consequence per allele flagged by a
//! documented, configurable order of criteria, like VEP's `--flag_pick`
//! with `--pick_order`.
//!
//! The candidates are ranked by each criterion in turn; the first criterion
//! that separates them decides. VEP's default order is
//! `mane_select,mane_plus_clinical,canonical,appris,tsl,biotype,ccds,rank,length,ensembl,refseq`:
//!
//! | criterion | preferred |
//! |---|---|
//! | `mane_select` | MANE Select transcript |
//! | `mane_plus_clinical` | MANE Plus Clinical transcript |
//! | `canonical` | Ensembl canonical transcript |
//! | `appris` | accepted for VEP compatibility and **ignored**: GFF3/GTF gene models carry no APPRIS annotation |
//! | `tsl` | lower transcript support level (1 best; `NA` or none last) |
//! | `biotype` | `protein_coding` |
//! | `ccds` | transcript with a CCDS identifier |
//! | `rank` | most severe consequence (VEP's severity order, [`SoTerm`]) |
//! | `length` | longer CDS, then longer spliced transcript (VEP: "translated, then transcript length") |
//! | `ensembl` | Ensembl/GENCODE transcript |
//! | `refseq` | RefSeq transcript |
//!
//! When all criteria tie, the transcript identifier (with version) decides,
//! so the pick never depends on input order. VEP instead keeps its internal
//! order at that point, and VEP's `length` compares protein length of coding
//! transcripts against transcript length of non-coding ones; ours always
//! prefers a coding transcript there.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use variant_model::{SoTerm, TranscriptConsequence};

use crate::gene_model::{Transcript, TranscriptSource};

/// One criterion of the pick order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PickCriterion {
    ManeSelect,
    ManePlusClinical,
    Canonical,
    /// No APPRIS data in GFF3/GTF: accepted and ignored.
    Appris,
    Tsl,
    Biotype,
    Ccds,
    Rank,
    Length,
    Ensembl,
    Refseq,
}

impl PickCriterion {
    pub const ALL: &'static [PickCriterion] = &[
        PickCriterion::ManeSelect,
        PickCriterion::ManePlusClinical,
        PickCriterion::Canonical,
        PickCriterion::Appris,
        PickCriterion::Tsl,
        PickCriterion::Biotype,
        PickCriterion::Ccds,
        PickCriterion::Rank,
        PickCriterion::Length,
        PickCriterion::Ensembl,
        PickCriterion::Refseq,
    ];

    /// The name VEP's `--pick_order` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PickCriterion::ManeSelect => "mane_select",
            PickCriterion::ManePlusClinical => "mane_plus_clinical",
            PickCriterion::Canonical => "canonical",
            PickCriterion::Appris => "appris",
            PickCriterion::Tsl => "tsl",
            PickCriterion::Biotype => "biotype",
            PickCriterion::Ccds => "ccds",
            PickCriterion::Rank => "rank",
            PickCriterion::Length => "length",
            PickCriterion::Ensembl => "ensembl",
            PickCriterion::Refseq => "refseq",
        }
    }

    /// `Less` when candidate `a` is preferred to `b` by this criterion.
    fn compare(self, a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
        // `false` sorts first, so "has it" compares as `!has`.
        let prefer = |has: fn(&Transcript) -> bool| (!has(a.transcript)).cmp(&!has(b.transcript));
        match self {
            PickCriterion::ManeSelect => prefer(|t| t.mane_select.is_some()),
            PickCriterion::ManePlusClinical => prefer(|t| t.mane_plus_clinical.is_some()),
            PickCriterion::Canonical => prefer(|t| t.is_canonical),
            PickCriterion::Appris => Ordering::Equal,
            PickCriterion::Tsl => tsl_rank(a.transcript).cmp(&tsl_rank(b.transcript)),
            PickCriterion::Biotype => prefer(|t| t.biotype == "protein_coding"),
            PickCriterion::Ccds => prefer(|t| t.ccds.is_some()),
            PickCriterion::Rank => severity_rank(a.consequence).cmp(&severity_rank(b.consequence)),
            PickCriterion::Length => {
                let length = |t: &Transcript| (t.cds_length(), t.cdna_length());
                length(b.transcript).cmp(&length(a.transcript))
            }
            PickCriterion::Ensembl => prefer(|t| {
                matches!(
                    t.source,
                    TranscriptSource::Ensembl | TranscriptSource::Gencode
                )
            }),
            PickCriterion::Refseq => prefer(|t| t.source == TranscriptSource::RefSeq),
        }
    }
}

impl fmt::Display for PickCriterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--pick-order` value that is not a list of known criteria.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PickOrderError {
    #[error("unknown pick criterion `{0}` (known: {known})", known = known_criteria())]
    Unknown(String),
    #[error("pick criterion `{0}` is given twice")]
    Repeated(String),
    #[error("the pick order is empty")]
    Empty,
}

fn known_criteria() -> String {
    PickCriterion::ALL
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for PickCriterion {
    type Err = PickOrderError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PickCriterion::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| PickOrderError::Unknown(s.to_string()))
    }
}

/// The criteria that pick one consequence per allele, most important first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOrder(Vec<PickCriterion>);

impl PickOrder {
    pub fn new(criteria: Vec<PickCriterion>) -> Self {
        Self(criteria)
    }

    pub fn criteria(&self) -> &[PickCriterion] {
        &self.0
    }
}

impl Default for PickOrder {
    /// VEP's default `--pick_order`.
    fn default() -> Self {
        Self(PickCriterion::ALL.to_vec())
    }
}

impl FromStr for PickOrder {
    type Err = PickOrderError;
    /// Comma-separated criteria, as VEP's `--pick_order`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut criteria = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let criterion: PickCriterion = name.parse()?;
            if criteria.contains(&criterion) {
                return Err(PickOrderError::Repeated(name.to_string()));
            }
            criteria.push(criterion);
        }
        if criteria.is_empty() {
            return Err(PickOrderError::Empty);
        }
        Ok(Self(criteria))
    }
}

impl fmt::Display for PickOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|c| c.as_str()).collect();
        f.write_str(&names.join(","))
    }
}

struct Candidate<'a> {
    transcript: &'a Transcript,
    consequence: &'a TranscriptConsequence,
}

/// Support level 1-5; `NA`, unparsable or missing rank last.
fn tsl_rank(t: &Transcript) -> u8 {
    t.tsl
        .as_deref()
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|n| (1..=5).contains(n))
        .unwrap_or(u8::MAX)
}

/// Position of the most severe term in VEP's order; no term ranks last.
fn severity_rank(c: &TranscriptConsequence) -> usize {
    c.most_severe()
        .and_then(|term| SoTerm::ALL.iter().position(|t| *t == term))
        .unwrap_or(usize::MAX)
}

/// The index of the candidate to flag as picked, or `None` when there are
/// no candidates. Consequences without a transcript (intergenic) are not
/// candidates: the caller picks such an entry when it is the only one.
pub fn pick(
    candidates: &[(&Transcript, &TranscriptConsequence)],
    order: &PickOrder,
) -> Option<usize> {
    let ranked: Vec<Candidate<'_>> = candidates
        .iter()
        .map(|&(transcript, consequence)| Candidate {
            transcript,
            consequence,
        })
        .collect();
    (0..ranked.len()).min_by(|&i, &j| {
        let (a, b) = (&ranked[i], &ranked[j]);
        order
            .0
            .iter()
            .map(|criterion| criterion.compare(a, b))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| {
                (
                    a.transcript.versioned_id(),
                    &a.transcript.chrom,
                    a.transcript.start,
                )
                    .cmp(&(
                        b.transcript.versioned_id(),
                        &b.transcript.chrom,
                        b.transcript.start,
                    ))
                    .then(i.cmp(&j))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gene_model::{CdsSegment, Exon};

    fn transcript(id: &str) -> Transcript {
        Transcript {
            id: id.into(),
            biotype: "protein_coding".into(),
            chrom: "1".into(),
            start: 100,
            end: 199,
            exons: vec![Exon {
                start: 100,
                end: 199,
                number: 1,
            }],
            cds: vec![CdsSegment {
                start: 110,
                end: 139,
                phase: 0,
            }],
            source: TranscriptSource::Ensembl,
            ..Default::default()
        }
    }

    fn consequence(terms: &[SoTerm]) -> TranscriptConsequence {
        TranscriptConsequence {
            consequences: terms.to_vec(),
            ..Default::default()
        }
    }

    /// Picks among transcripts that all carry a missense consequence.
    fn pick_among(transcripts: &[Transcript], order: &str) -> String {
        let c = consequence(&[SoTerm::MissenseVariant]);
        let candidates: Vec<(&Transcript, &TranscriptConsequence)> =
            transcripts.iter().map(|t| (t, &c)).collect();
        let order: PickOrder = order.parse().unwrap();
        transcripts[pick(&candidates, &order).unwrap()].id.clone()
    }

    #[test]
    fn each_criterion_prefers_what_it_says() {
        let plain = transcript("A");
        let with = |f: fn(&mut Transcript)| {
            let mut t = transcript("Z");
            f(&mut t);
            t
        };
        let cases: Vec<(&str, Transcript)> = vec![
            (
                "mane_select",
                with(|t| t.mane_select = Some("NM_1.1".into())),
            ),
            (
                "mane_plus_clinical",
                with(|t| t.mane_plus_clinical = Some("NM_2.1".into())),
            ),
            ("canonical", with(|t| t.is_canonical = true)),
            ("tsl", with(|t| t.tsl = Some("1".into()))),
            ("ccds", with(|t| t.ccds = Some("CCDS1.1".into()))),
            ("length", with(|t| t.cds[0].end = 160)),
            ("refseq", with(|t| t.source = TranscriptSource::RefSeq)),
        ];
        for (criterion, preferred) in cases {
            // "Z" loses the identifier tie-break, so only the criterion can
            // pick it, whatever the input order.
            let both = [plain.clone(), preferred.clone()];
            assert_eq!(pick_among(&both, criterion), "Z", "{criterion}");
            let both = [preferred, plain.clone()];
            assert_eq!(pick_among(&both, criterion), "Z", "{criterion}");
        }
    }

    #[test]
    fn tsl_ranks_levels_and_puts_na_last() {
        let level = |id: &str, tsl: Option<&str>| {
            let mut t = transcript(id);
            t.tsl = tsl.map(str::to_string);
            t
        };
        let ts = [
            level("A", Some("NA")),
            level("B", None),
            level("C", Some("3")),
            level("D", Some("2")),
        ];
        assert_eq!(pick_among(&ts, "tsl"), "D");
        assert_eq!(pick_among(&ts[..2], "tsl"), "A", "tie: identifier decides");
    }

    #[test]
    fn biotype_prefers_protein_coding() {
        let mut nmd = transcript("A");
        nmd.biotype = "nonsense_mediated_decay".into();
        let coding = transcript("Z");
        assert_eq!(pick_among(&[nmd, coding], "biotype"), "Z");
    }

    #[test]
    fn ensembl_prefers_ensembl_and_gencode() {
        let mut refseq = transcript("A");
        refseq.source = TranscriptSource::RefSeq;
        let mut gencode = transcript("Z");
        gencode.source = TranscriptSource::Gencode;
        assert_eq!(pick_among(&[refseq.clone(), gencode], "ensembl"), "Z");
        let mut other = transcript("Z");
        other.source = TranscriptSource::Other;
        assert_eq!(pick_among(&[other, refseq], "ensembl,refseq"), "A");
    }

    #[test]
    fn rank_prefers_the_most_severe_consequence() {
        let (a, z) = (transcript("A"), transcript("Z"));
        let mild = consequence(&[SoTerm::SynonymousVariant, SoTerm::SpliceRegionVariant]);
        let severe = consequence(&[SoTerm::IntronVariant, SoTerm::StopGained]);
        let order: PickOrder = "rank".parse().unwrap();
        assert_eq!(pick(&[(&a, &mild), (&z, &severe)], &order), Some(1));
        assert_eq!(pick(&[(&z, &severe), (&a, &mild)], &order), Some(0));
        let none = consequence(&[]);
        assert_eq!(pick(&[(&a, &none), (&z, &mild)], &order), Some(1));
    }

    #[test]
    fn length_compares_cds_then_transcript() {
        let mut long_cdna = transcript("A");
        long_cdna.exons[0].end = 900;
        let mut long_cds = transcript("B");
        long_cds.cds[0].end = 142;
        let mut non_coding_longest = transcript("C");
        non_coding_longest.cds.clear();
        non_coding_longest.exons[0].end = 5000;
        let ts = [long_cdna.clone(), non_coding_longest, long_cds];
        assert_eq!(pick_among(&ts, "length"), "B");
        assert_eq!(pick_among(&[transcript("Z"), long_cdna], "length"), "A");
    }

    #[test]
    fn earlier_criteria_win_and_ties_go_to_the_identifier() {
        let mut canonical = transcript("Z");
        canonical.is_canonical = true;
        let mut mane = transcript("Y");
        mane.mane_select = Some("NM_1.1".into());
        let ts = [canonical.clone(), mane.clone()];
        assert_eq!(pick_among(&ts, "mane_select,canonical"), "Y");
        assert_eq!(pick_among(&ts, "canonical,mane_select"), "Z");
        // appris is ignored: the identifier decides.
        assert_eq!(pick_among(&ts, "appris"), "Y");
        let mut v2 = transcript("X");
        v2.version = Some("2".into());
        let mut v1 = transcript("X");
        v1.version = Some("1".into());
        assert_eq!(
            pick(
                &[(&v2, &consequence(&[])), (&v1, &consequence(&[]))],
                &PickOrder::default()
            ),
            Some(1)
        );
        assert_eq!(pick(&[], &PickOrder::default()), None);
    }

    #[test]
    fn default_order_is_veps() {
        // MANE Select beats a canonical, longer, more severely hit transcript.
        let mut mane = transcript("Z");
        mane.mane_select = Some("ENST1.1".into());
        let mut other = transcript("A");
        other.is_canonical = true;
        other.cds[0].end = 190;
        let c_mane = consequence(&[SoTerm::SynonymousVariant]);
        let c_other = consequence(&[SoTerm::StopGained]);
        let picked = pick(
            &[(&other, &c_other), (&mane, &c_mane)],
            &PickOrder::default(),
        );
        assert_eq!(picked, Some(1));
    }

    #[test]
    fn parses_and_prints_pick_orders() {
        let default = PickOrder::default();
        assert_eq!(
            default.to_string(),
            "mane_select,mane_plus_clinical,canonical,appris,tsl,biotype,ccds,rank,length,ensembl,refseq"
        );
        assert_eq!(default.to_string().parse::<PickOrder>(), Ok(default));
        assert_eq!(
            " rank , length ".parse::<PickOrder>().unwrap().criteria(),
            [PickCriterion::Rank, PickCriterion::Length]
        );
        assert_eq!(
            "rank,severity".parse::<PickOrder>(),
            Err(PickOrderError::Unknown("severity".into()))
        );
        assert_eq!(
            "rank,rank".parse::<PickOrder>(),
            Err(PickOrderError::Repeated("rank".into()))
        );
        assert_eq!(",".parse::<PickOrder>(), Err(PickOrderError::Empty));
        assert!(
            PickOrderError::Unknown("x".into())
                .to_string()
                .contains("mane_select, mane_plus_clinical")
        );
    }
}
