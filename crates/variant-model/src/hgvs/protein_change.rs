//! Protein changes as knowledge bases name them, for matching.
//!
//! [`ProteinChange::parse`] accepts full HGVS p. descriptions (three- or
//! one-letter code, with or without accession, `p.` and the parentheses of a
//! predicted change) and the short one-letter forms that knowledge bases use
//! (`V600E`, `E746_A750del`, `W288fs`, `Q61*`, `V600`, `X123_splice`), with an
//! optional leading gene symbol (`BRAF V600E`). All forms of one change
//! normalise to the same value, so `p.Val600Glu`, `V600E` and `p.(V600E)` are
//! equal.
//!
//! Equality is exact except for frameshifts, which are equal when they start
//! at the same residue: knowledge bases mostly write `W288fs` for any
//! frameshift at Trp288, so `W288fs` == `p.Trp288SerfsTer12` (the new
//! residue and the distance to the new stop are kept and printed, but not
//! compared).
//!
//! Knowledge-base forms beyond HGVS: `V600` (any change of that codon),
//! `X123_splice` (a splice variant at that residue, `X` = any residue),
//! `E746_A750delELREA` (deleted residues written out; checked against the
//! interval), and a one-letter `X` as the new residue of a substitution,
//! which is read as a stop codon as in legacy nomenclature (`Q61X` ==
//! `Q61*`; three-letter `Xaa` stays an unknown amino acid). Descriptions
//! without a residue (`p.?`, `p.=`, `p.0`) and region terms (`exon 19
//! deletion`) are not protein changes and are rejected.

use std::fmt::{self, Display, Formatter};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use nom::{bytes::complete::tag, combinator::map, sequence::terminated};

use super::HgvsError;
use super::grammar::{aa13_seq, complete, def_p_interval, p_pos, p_posedit};
use super::model::{
    Bound, Extension, Interval, PosEdit, ProteinEdit, ProteinPosition, StopDistance,
};
use super::residues::{STOP, three_letter, to_three_letter};

/// What happens at the residue(s) of a [`ProteinChange`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProteinChangeKind {
    /// Missense: `V600E`. The new residue is neither the old one nor a stop.
    Substitution { alternative: u8 },
    /// `V600=` (or `V600V`).
    Synonymous,
    /// `Q61*`.
    Nonsense,
    /// `E746_A750del`.
    Deletion,
    /// `D770_N771insSVD` (residues in one-letter code, `*` for a stop).
    Insertion { inserted: Vec<u8> },
    /// `V600_K601delinsE`.
    DelIns { inserted: Vec<u8> },
    /// `A767_V769dup`.
    Duplication,
    /// `W288fs`, `W288Sfs*12`: compared at residue level only.
    Frameshift {
        alternative: Option<u8>,
        stop: StopDistance,
    },
    /// `*757Kext*?` (stop loss) or `M1ext-5` (new upstream start).
    Extension {
        alternative: Option<u8>,
        extension: Extension,
    },
    /// `M1?`: the start codon is changed with unknown consequence.
    StartLoss,
    /// `V600?`: the residue changes in an unknown way.
    Unknown,
    /// `V600`: any change of this codon (knowledge-base hotspot term).
    AnyAtCodon,
    /// `X123_splice`: a splice variant at this residue (knowledge-base term).
    Splice,
}

impl ProteinChangeKind {
    /// Comparison key: frameshift details do not take part in equality.
    fn matching_key(&self) -> Self {
        match self {
            ProteinChangeKind::Frameshift { .. } => ProteinChangeKind::Frameshift {
                alternative: None,
                stop: StopDistance::Unspecified,
            },
            other => other.clone(),
        }
    }
}

/// A protein change normalised for matching (see the module docs).
#[derive(Debug, Clone)]
pub struct ProteinChange {
    /// First (or only) affected residue and its position.
    pub start: ProteinPosition,
    /// Last affected residue of a range (`E746_A750del`).
    pub end: Option<ProteinPosition>,
    pub kind: ProteinChangeKind,
}

impl PartialEq for ProteinChange {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
            && self.end == other.end
            && self.kind.matching_key() == other.kind.matching_key()
    }
}

impl Eq for ProteinChange {}

impl Hash for ProteinChange {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.start.hash(state);
        self.end.hash(state);
        self.kind.matching_key().hash(state);
    }
}

fn invalid(input: &str, reason: &'static str) -> HgvsError {
    HgvsError::InvalidProteinChange {
        input: input.to_string(),
        reason,
    }
}

fn residue1(r: u8) -> char {
    r as char
}

fn residue3(r: u8) -> &'static str {
    three_letter(r).unwrap_or("Xaa")
}

fn one_letter_seq(residues: &[u8]) -> String {
    residues.iter().map(|&r| residue1(r)).collect()
}

impl ProteinChange {
    /// Parses a protein change; any gene symbol or accession before it is
    /// dropped (see [`ProteinChange::parse_with_label`]).
    pub fn parse(text: &str) -> Result<Self, HgvsError> {
        Self::parse_with_label(text).map(|(_, change)| change)
    }

    /// Parses a protein change and returns the label written before it: the
    /// gene symbol of `BRAF V600E` or the accession of
    /// `ENSP00000493543.1:p.Val600Glu`.
    pub fn parse_with_label(text: &str) -> Result<(Option<String>, Self), HgvsError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid(text, "empty"));
        }
        let (label, description) = if let Some((label, rest)) = trimmed.split_once(':') {
            if label.is_empty() || label.contains(char::is_whitespace) {
                return Err(invalid(text, "malformed accession before ':'"));
            }
            (Some(label), rest)
        } else {
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            match words.as_slice() {
                [change] => (None, *change),
                [gene, change] => (Some(*gene), *change),
                _ => return Err(invalid(text, "not a single protein change")),
            }
        };
        let body = description.strip_prefix("p.").unwrap_or(description);
        let change = Self::parse_body(body).ok_or_else(|| {
            invalid(
                text,
                "not an HGVS p. description nor a knowledge-base protein change",
            )
        })??;
        Ok((label.map(str::to_string), change))
    }

    /// `None` when nothing matches; `Some(Err)` when a description parses
    /// but cannot be a residue-level change.
    fn parse_body(body: &str) -> Option<Result<Self, HgvsError>> {
        if let Some(posedit) = complete(p_posedit, body) {
            return Some(Self::from_posedit(&posedit, body));
        }
        // Knowledge-base forms, optionally in parentheses like HGVS
        // predictions.
        let unwrapped = body
            .strip_prefix('(')
            .and_then(|b| b.strip_suffix(')'))
            .unwrap_or(body);
        if let Some(start) = complete(p_pos, unwrapped) {
            return Some(Ok(Self {
                start,
                end: None,
                kind: ProteinChangeKind::AnyAtCodon,
            }));
        }
        if let Some(start) = complete(terminated(p_pos, tag("_splice")), unwrapped) {
            return Some(Ok(Self {
                start,
                end: None,
                kind: ProteinChangeKind::Splice,
            }));
        }
        let deletion_with_residues = map(
            (def_p_interval, tag("del"), aa13_seq),
            |(interval, _, residues)| (interval, residues),
        );
        if let Some((interval, residues)) = complete(deletion_with_residues, unwrapped) {
            return Some(Self::deletion_with_residues(&interval, &residues, body));
        }
        None
    }

    fn deletion_with_residues(
        interval: &Interval<ProteinPosition>,
        residues: &[u8],
        body: &str,
    ) -> Result<Self, HgvsError> {
        let (start, end) = exact_ends(interval);
        let last = end.unwrap_or(start);
        let span = (last.number - start.number + 1) as usize;
        if residues.len() != span
            || residues.first() != Some(&start.residue)
            || residues.last() != Some(&last.residue)
        {
            return Err(invalid(
                body,
                "deleted residues do not match the deleted interval",
            ));
        }
        Ok(Self {
            start,
            end,
            kind: ProteinChangeKind::Deletion,
        })
    }

    fn from_posedit(posedit: &PosEdit, body: &str) -> Result<Self, HgvsError> {
        let PosEdit::Protein { location, edit, .. } = posedit else {
            return Err(invalid(body, "describes the whole protein, not a residue"));
        };
        let (start, end) = exact_ends(location);
        let kind = match edit {
            ProteinEdit::Substitution { alternative } => {
                let legacy_stop = *alternative == b'X' && body.trim_end_matches(')').ends_with('X');
                if *alternative == STOP || legacy_stop {
                    ProteinChangeKind::Nonsense
                } else if *alternative == start.residue && end.is_none() {
                    ProteinChangeKind::Synonymous
                } else {
                    ProteinChangeKind::Substitution {
                        alternative: *alternative,
                    }
                }
            }
            ProteinEdit::Unknown if start.residue == b'M' && start.number == 1 => {
                ProteinChangeKind::StartLoss
            }
            ProteinEdit::Unknown => ProteinChangeKind::Unknown,
            ProteinEdit::Identity => ProteinChangeKind::Synonymous,
            ProteinEdit::Deletion => ProteinChangeKind::Deletion,
            ProteinEdit::Duplication => ProteinChangeKind::Duplication,
            ProteinEdit::Insertion { inserted } => ProteinChangeKind::Insertion {
                inserted: inserted.clone(),
            },
            ProteinEdit::DelIns { inserted } => ProteinChangeKind::DelIns {
                inserted: inserted.clone(),
            },
            ProteinEdit::Frameshift { alternative, stop } => ProteinChangeKind::Frameshift {
                alternative: *alternative,
                stop: *stop,
            },
            ProteinEdit::Extension {
                alternative,
                extension,
            } => ProteinChangeKind::Extension {
                alternative: *alternative,
                extension: *extension,
            },
        };
        Ok(Self { start, end, kind })
    }

    /// First residue and position in one-letter code: `V600` for `V600E`,
    /// `E746` for `E746_A750del`, `*757` for a stop-loss.
    pub fn codon(&self) -> String {
        format!("{}{}", residue1(self.start.residue), self.start.number)
    }

    fn location_one_letter(&self) -> String {
        match &self.end {
            Some(end) => format!("{}_{}{}", self.codon(), residue1(end.residue), end.number),
            None => self.codon(),
        }
    }

    fn location_three_letter(&self) -> String {
        let start = format!("{}{}", residue3(self.start.residue), self.start.number);
        match &self.end {
            Some(end) => format!("{start}_{}{}", residue3(end.residue), end.number),
            None => start,
        }
    }

    /// One-letter form as knowledge bases write it: `V600E`, `Q61*`,
    /// `E746_A750del`, `W288fs` (or `W288Sfs*12` when those details were
    /// given), `*757Kext*?`, `M1?`, `V600`, `X123_splice`.
    pub fn short(&self) -> String {
        let location = self.location_one_letter();
        let edit = match &self.kind {
            ProteinChangeKind::Substitution { alternative } => residue1(*alternative).to_string(),
            ProteinChangeKind::Synonymous => "=".to_string(),
            ProteinChangeKind::Nonsense => "*".to_string(),
            ProteinChangeKind::Deletion => "del".to_string(),
            ProteinChangeKind::Insertion { inserted } => {
                format!("ins{}", one_letter_seq(inserted))
            }
            ProteinChangeKind::DelIns { inserted } => format!("delins{}", one_letter_seq(inserted)),
            ProteinChangeKind::Duplication => "dup".to_string(),
            ProteinChangeKind::Frameshift { alternative, stop } => format!(
                "{}fs{}",
                alternative
                    .map(residue1)
                    .map(String::from)
                    .unwrap_or_default(),
                stop_suffix("*", *stop)
            ),
            ProteinChangeKind::Extension {
                alternative,
                extension,
            } => format!(
                "{}ext{}",
                alternative
                    .map(residue1)
                    .map(String::from)
                    .unwrap_or_default(),
                extension_suffix(*extension, "*", |r| residue1(r).to_string())
            ),
            ProteinChangeKind::StartLoss | ProteinChangeKind::Unknown => "?".to_string(),
            ProteinChangeKind::AnyAtCodon => String::new(),
            ProteinChangeKind::Splice => "_splice".to_string(),
        };
        format!("{location}{edit}")
    }

    /// HGVS p. description in three-letter code: `p.Val600Glu`,
    /// `p.Gln61Ter`, `p.Trp288fs`, `p.Ter757LysextTer?`. `None` for the
    /// knowledge-base terms that have no HGVS form (`V600`, `X123_splice`).
    pub fn hgvs_three_letter(&self) -> Option<String> {
        let edit = match &self.kind {
            ProteinChangeKind::Substitution { alternative } => residue3(*alternative).to_string(),
            ProteinChangeKind::Synonymous => "=".to_string(),
            ProteinChangeKind::Nonsense => "Ter".to_string(),
            ProteinChangeKind::Deletion => "del".to_string(),
            ProteinChangeKind::Insertion { inserted } => {
                format!("ins{}", to_three_letter(inserted))
            }
            ProteinChangeKind::DelIns { inserted } => {
                format!("delins{}", to_three_letter(inserted))
            }
            ProteinChangeKind::Duplication => "dup".to_string(),
            ProteinChangeKind::Frameshift { alternative, stop } => format!(
                "{}fs{}",
                alternative.map(residue3).unwrap_or_default(),
                stop_suffix("Ter", *stop)
            ),
            ProteinChangeKind::Extension {
                alternative,
                extension,
            } => format!(
                "{}ext{}",
                alternative.map(residue3).unwrap_or_default(),
                extension_suffix(*extension, "Ter", |r| residue3(r).to_string())
            ),
            ProteinChangeKind::StartLoss | ProteinChangeKind::Unknown => "?".to_string(),
            ProteinChangeKind::AnyAtCodon | ProteinChangeKind::Splice => return None,
        };
        Some(format!("p.{}{edit}", self.location_three_letter()))
    }
}

/// The two ends of a protein interval (protein intervals have no uncertain
/// ends; parentheses around the whole interval are dropped).
fn exact_ends(interval: &Interval<ProteinPosition>) -> (ProteinPosition, Option<ProteinPosition>) {
    let exact = |b: &Bound<ProteinPosition>| match b {
        Bound::Exact(p) | Bound::Range(p, _) => *p,
    };
    (exact(&interval.start), interval.end.as_ref().map(exact))
}

fn stop_suffix(stop_code: &str, stop: StopDistance) -> String {
    match stop {
        StopDistance::Unspecified => String::new(),
        StopDistance::Known(n) => format!("{stop_code}{n}"),
        StopDistance::Unknown => format!("{stop_code}?"),
    }
}

fn extension_suffix(
    extension: Extension,
    stop_code: &str,
    residue: impl Fn(u8) -> String,
) -> String {
    match extension {
        Extension::Unspecified => String::new(),
        Extension::CTerminal(stop) => format!("{stop_code}{stop}"),
        Extension::NTerminal { new_start, offset } => {
            format!("{}{offset}", new_start.map(residue).unwrap_or_default())
        }
    }
}

impl Display for ProteinChange {
    /// The one-letter [`short`](ProteinChange::short) form.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

impl FromStr for ProteinChange {
    type Err = HgvsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(text: &str) -> ProteinChange {
        ProteinChange::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every form in a group names the same change; `short` and
    /// `hgvs_three_letter` give the expected canonical forms.
    #[test]
    fn equal_forms_normalise_to_one_change() {
        let groups: &[(&[&str], &str, Option<&str>)] = &[
            (
                &[
                    "V600E",
                    "p.V600E",
                    "p.(V600E)",
                    "(V600E)",
                    "p.Val600Glu",
                    "p.(Val600Glu)",
                    "BRAF V600E",
                    "BRAF p.V600E",
                    "ENSP00000493543.1:p.Val600Glu",
                    "NP_004324.2:p.(Val600Glu)",
                    " V600E ",
                ],
                "V600E",
                Some("p.Val600Glu"),
            ),
            (
                &["G12C", "p.Gly12Cys", "KRAS G12C"],
                "G12C",
                Some("p.Gly12Cys"),
            ),
            (&["T790M", "p.Thr790Met"], "T790M", Some("p.Thr790Met")),
            (&["R248Q", "p.Arg248Gln"], "R248Q", Some("p.Arg248Gln")),
            (&["S249C"], "S249C", Some("p.Ser249Cys")),
            (&["E545K"], "E545K", Some("p.Glu545Lys")),
            (&["H1047R", "p.His1047Arg"], "H1047R", Some("p.His1047Arg")),
            (
                &["Q61*", "p.Gln61Ter", "p.Gln61*", "Q61X", "p.(Gln61Ter)"],
                "Q61*",
                Some("p.Gln61Ter"),
            ),
            (
                &["E746_A750del", "p.Glu746_Ala750del", "E746_A750delELREA"],
                "E746_A750del",
                Some("p.Glu746_Ala750del"),
            ),
            (
                &["V600_K601delinsE", "p.Val600_Lys601delinsGlu"],
                "V600_K601delinsE",
                Some("p.Val600_Lys601delinsGlu"),
            ),
            (
                &["D770_N771insSVD", "p.Asp770_Asn771insSerValAsp"],
                "D770_N771insSVD",
                Some("p.Asp770_Asn771insSerValAsp"),
            ),
            (
                &["A767_V769dup", "p.Ala767_Val769dup"],
                "A767_V769dup",
                Some("p.Ala767_Val769dup"),
            ),
            (&["W288fs", "p.Trp288fs"], "W288fs", Some("p.Trp288fs")),
            (
                &["p.*757Lysext*?", "*757Kext*?", "p.Ter757LysextTer?"],
                "*757Kext*?",
                Some("p.Ter757LysextTer?"),
            ),
            (&["M1?", "p.Met1?", "p.(Met1?)"], "M1?", Some("p.Met1?")),
            (&["V600=", "p.Val600=", "V600V"], "V600=", Some("p.Val600=")),
            (&["V600", "p.V600", "Val600", "BRAF V600"], "V600", None),
            (&["X123_splice", "p.X123_splice"], "X123_splice", None),
        ];
        for (forms, short, three) in groups {
            let first = change(forms[0]);
            for form in *forms {
                assert_eq!(change(form), first, "{form} vs {}", forms[0]);
            }
            assert_eq!(first.short(), *short);
            assert_eq!(first.to_string(), *short);
            assert_eq!(first.hgvs_three_letter().as_deref(), *three);
            // The canonical forms parse back to the same change.
            assert_eq!(change(short), first);
            if let Some(three) = three {
                assert_eq!(change(three), first);
            }
        }
    }

    #[test]
    fn kinds_and_positions() {
        let c = change("E746_A750del");
        assert_eq!(c.kind, ProteinChangeKind::Deletion);
        assert_eq!((c.start.residue, c.start.number), (b'E', 746));
        let end = c.end.unwrap();
        assert_eq!((end.residue, end.number), (b'A', 750));
        assert_eq!(c.codon(), "E746");
        assert_eq!(change("p.Val600Glu").codon(), "V600");
        assert_eq!(change("p.*757Lysext*?").codon(), "*757");
        assert_eq!(
            change("V600E").kind,
            ProteinChangeKind::Substitution { alternative: b'E' }
        );
        assert_eq!(change("Q61*").kind, ProteinChangeKind::Nonsense);
        assert_eq!(change("V600=").kind, ProteinChangeKind::Synonymous);
        assert_eq!(change("M1?").kind, ProteinChangeKind::StartLoss);
        assert_eq!(change("V600?").kind, ProteinChangeKind::Unknown);
        assert_eq!(change("V600").kind, ProteinChangeKind::AnyAtCodon);
        assert_eq!(change("X123_splice").kind, ProteinChangeKind::Splice);
        assert_eq!(change("A767_V769dup").kind, ProteinChangeKind::Duplication);
        assert_eq!(
            change("D770_N771insSVD").kind,
            ProteinChangeKind::Insertion {
                inserted: b"SVD".to_vec()
            }
        );
        assert!(matches!(
            change("p.Met1ext-5").kind,
            ProteinChangeKind::Extension {
                extension: Extension::NTerminal { offset: -5, .. },
                ..
            }
        ));
        // Three-letter Xaa is an unknown amino acid, not a stop.
        assert_eq!(
            change("p.Gln61Xaa").kind,
            ProteinChangeKind::Substitution { alternative: b'X' }
        );
    }

    #[test]
    fn frameshifts_match_at_residue_level() {
        let short = change("W288fs");
        let full = change("p.Trp288SerfsTer12");
        assert_eq!(short, full);
        assert_eq!(change("p.Trp288Serfs*12"), full);
        assert_eq!(full.short(), "W288Sfs*12");
        assert_eq!(
            full.hgvs_three_letter().as_deref(),
            Some("p.Trp288SerfsTer12")
        );
        assert_eq!(change("W288Sfs*?").short(), "W288Sfs*?");
        // Same residue, other kinds or other residues do not match.
        assert_ne!(short, change("W288*"));
        assert_ne!(short, change("W289fs"));
        assert_ne!(short, change("G288fs"));
        let mut set = std::collections::HashSet::new();
        set.insert(full);
        assert!(set.contains(&short), "Hash must agree with Eq");
    }

    #[test]
    fn different_changes_differ() {
        assert_ne!(change("V600E"), change("V600K"));
        assert_ne!(change("V600E"), change("V601E"));
        assert_ne!(change("V600E"), change("V600"));
        assert_ne!(change("E746_A750del"), change("E746_T751del"));
        assert_ne!(change("D770_N771insSVD"), change("D770_N771insG"));
        assert_ne!(change("V600E"), change("A600E"));
    }

    #[test]
    fn labels_are_returned() {
        let (label, c) = ProteinChange::parse_with_label("BRAF V600E").unwrap();
        assert_eq!(label.as_deref(), Some("BRAF"));
        assert_eq!(c, change("V600E"));
        let (label, _) = ProteinChange::parse_with_label("ENSP00000493543.1:p.Val600Glu").unwrap();
        assert_eq!(label.as_deref(), Some("ENSP00000493543.1"));
        let (label, _) = ProteinChange::parse_with_label("p.V600E").unwrap();
        assert_eq!(label, None);
    }

    #[test]
    fn rejects_what_is_not_a_protein_change() {
        for text in [
            "",
            "exon 19 deletion",
            "EGFR exon 19 deletion",
            "TP53 truncating mutations",
            "Oncogenic Mutations",
            "p.?",
            "p.=",
            "p.0",
            "p.(=)",
            "c.1799T>A",
            "NM_004333.4:c.1799T>A",
            "V600EE",
            "V0E",
            "J600E",
            "Glx600Glu",
            "V600_K599del",
            "E746_A750delELRE",
            "E746_A750delKLREA",
            "BRAF: V600E",
        ] {
            assert!(
                ProteinChange::parse(text).is_err(),
                "{text:?} must be rejected"
            );
        }
    }
}
