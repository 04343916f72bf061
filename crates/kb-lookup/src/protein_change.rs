//! Protein changes as knowledge bases name them (`V600E`, `E746_A750del`,
//! `S45fs`) and as HGVS p. notation writes them (`ENSP..:p.Val600Glu`), reduced
//! to one canonical short form so both sides compare by string.
//!
//! Parsing is done by `variant_model::hgvs::ProteinChange` (the shared HGVS
//! grammar); this module reduces its result to the fields the matcher
//! indexes on, and fixes one canonical short form used as the map key in
//! bundles (frameshifts reduced to `S45fs`, so `S45fs` == `S45Rfs*3`).

use std::fmt::Write as _;

use variant_model::hgvs::{ProteinChange as HgvsProteinChange, ProteinChangeKind};

/// What happens at the changed residue(s).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// One residue replaced (`V600E`), including nonsense (`R248*`) and
    /// synonymous (`T368=`).
    Substitution(u8),
    Deletion,
    Duplication,
    Insertion(Vec<u8>),
    DelIns(Vec<u8>),
    /// Frameshift starting at the first residue; the new residues and the
    /// distance to the new stop are ignored for matching (`S45fs` ==
    /// `S45Rfs*3`), as knowledge bases name frameshifts both ways.
    Frameshift,
    /// Stop-loss or start extension (`*757Lext*?`).
    Extension,
    /// A residue named without a change (`V600`): a codon-level term.
    Residue,
}

/// A parsed protein change in one-letter amino-acid codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProteinChange {
    /// Reference amino acid at `start` (one-letter, `*` for stop).
    pub start_aa: u8,
    pub start: u64,
    /// Last reference residue of a range (`E746_A750del` → `A`, 750).
    pub end: Option<(u8, u64)>,
    pub kind: ChangeKind,
}

impl ProteinChange {
    /// The canonical short form: one-letter codes, no `p.` prefix,
    /// frameshifts reduced to `S45fs`.
    pub fn short(&self) -> String {
        let mut s = String::new();
        s.push(self.start_aa as char);
        let _ = write!(s, "{}", self.start);
        if let Some((aa, pos)) = self.end {
            let _ = write!(s, "_{}{}", aa as char, pos);
        }
        match &self.kind {
            ChangeKind::Substitution(alt) => s.push(*alt as char),
            ChangeKind::Deletion => s.push_str("del"),
            ChangeKind::Duplication => s.push_str("dup"),
            ChangeKind::Insertion(seq) => {
                s.push_str("ins");
                s.push_str(std::str::from_utf8(seq).unwrap_or("?"));
            }
            ChangeKind::DelIns(seq) => {
                s.push_str("delins");
                s.push_str(std::str::from_utf8(seq).unwrap_or("?"));
            }
            ChangeKind::Frameshift => s.push_str("fs"),
            ChangeKind::Extension => s.push_str("ext"),
            ChangeKind::Residue => {}
        }
        s
    }

    /// True for a missense change (one residue to another amino acid).
    pub fn is_missense(&self) -> bool {
        matches!(self.kind, ChangeKind::Substitution(alt) if alt != b'*' && alt != b'=' && alt != self.start_aa)
    }

    /// True when the change alters the protein at residue `start`
    /// (everything but synonymous and a bare residue).
    pub fn alters_protein(&self) -> bool {
        match self.kind {
            ChangeKind::Substitution(alt) => alt != b'=' && alt != self.start_aa,
            ChangeKind::Residue => false,
            _ => true,
        }
    }

    /// Last residue touched (the range end, or `start`).
    pub fn last_position(&self) -> u64 {
        self.end.map(|(_, p)| p).unwrap_or(self.start)
    }
}

/// Parses a protein change in any of the notations knowledge bases and
/// annotators use: `V600E`, `p.V600E`, `p.Val600Glu`, `ENSP..:p.Val600Glu`,
/// `p.(Val600Glu)`, `E746_A750del`, `p.Glu746_Ala750del`, `S45Rfs*3`,
/// `R248*`, `p.Arg248Ter`, `T368=`, `V600`. Returns `None` for anything else
/// (amplifications, fusions, splice terms `X1445_splice`, unknown `p.?`,
/// `V600?`).
pub fn parse(text: &str) -> Option<ProteinChange> {
    let parsed = HgvsProteinChange::parse(text.trim()).ok()?;
    let kind = match parsed.kind {
        ProteinChangeKind::Substitution { alternative } => ChangeKind::Substitution(alternative),
        ProteinChangeKind::Synonymous => ChangeKind::Substitution(b'='),
        ProteinChangeKind::Nonsense => ChangeKind::Substitution(b'*'),
        ProteinChangeKind::Deletion => ChangeKind::Deletion,
        ProteinChangeKind::Duplication => ChangeKind::Duplication,
        ProteinChangeKind::Insertion { inserted } => ChangeKind::Insertion(inserted),
        ProteinChangeKind::DelIns { inserted } => ChangeKind::DelIns(inserted),
        ProteinChangeKind::Frameshift { .. } => ChangeKind::Frameshift,
        ProteinChangeKind::Extension { .. } => ChangeKind::Extension,
        ProteinChangeKind::AnyAtCodon => ChangeKind::Residue,
        ProteinChangeKind::StartLoss | ProteinChangeKind::Unknown | ProteinChangeKind::Splice => {
            return None;
        }
    };
    Some(ProteinChange {
        start_aa: parsed.start.residue,
        start: u64::from(parsed.start.number),
        end: parsed.end.map(|e| (e.residue, u64::from(e.number))),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(text: &str) -> Option<String> {
        parse(text).map(|p| p.short())
    }

    #[test]
    fn three_and_one_letter_forms_agree() {
        for text in [
            "V600E",
            "p.V600E",
            "p.Val600Glu",
            "ENSP00000493543.1:p.Val600Glu",
            "p.(Val600Glu)",
        ] {
            assert_eq!(short(text).as_deref(), Some("V600E"), "{text}");
        }
        assert_eq!(short("p.Arg248Ter").as_deref(), Some("R248*"));
        assert_eq!(short("R248*").as_deref(), Some("R248*"));
        assert_eq!(short("p.Thr368=").as_deref(), Some("T368="));
        assert_eq!(short("T368T").as_deref(), Some("T368="));
    }

    #[test]
    fn indels_and_frameshifts_are_canonical() {
        assert_eq!(short("p.Glu746_Ala750del").as_deref(), Some("E746_A750del"));
        assert_eq!(short("E746_A750del").as_deref(), Some("E746_A750del"));
        assert_eq!(short("K546del").as_deref(), Some("K546del"));
        assert_eq!(short("p.Asn239dup").as_deref(), Some("N239dup"));
        assert_eq!(
            short("p.Asp770_Asn771insGly").as_deref(),
            Some("D770_N771insG")
        );
        assert_eq!(
            short("p.Glu746_Thr751delinsAla").as_deref(),
            Some("E746_T751delinsA")
        );
        assert_eq!(short("p.Ser45ArgfsTer3").as_deref(), Some("S45fs"));
        assert_eq!(short("S45Rfs*3").as_deref(), Some("S45fs"));
        assert_eq!(short("S45fs").as_deref(), Some("S45fs"));
    }

    #[test]
    fn residues_and_non_protein_terms() {
        let residue = parse("V600").unwrap();
        assert_eq!(residue.kind, ChangeKind::Residue);
        assert_eq!((residue.start_aa, residue.start), (b'V', 600));
        for text in [
            "AMPLIFICATION",
            "EXON 19 DELETION",
            "X1445_splice",
            "p.?",
            "Oncogenic Mutations",
            "V600E/K",
            "",
            "D770_N771ins3",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn classifies_changes() {
        assert!(parse("V600E").unwrap().is_missense());
        assert!(!parse("R248*").unwrap().is_missense());
        assert!(parse("R248*").unwrap().alters_protein());
        assert!(!parse("p.Thr368=").unwrap().alters_protein());
        assert_eq!(parse("E746_A750del").unwrap().last_position(), 750);
    }
}
