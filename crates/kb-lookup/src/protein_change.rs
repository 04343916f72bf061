//! Protein changes as knowledge bases name them (`V600E`, `E746_A750del`,
//! `S45fs`) and as HGVS p. notation writes them (`ENSP..:p.Val600Glu`), reduced
//! to one canonical short form so both sides compare by string.
//!
//! This is a deliberately small local parser: it covers what the matching
//! needs (substitutions, deletions, duplications, insertions, delins,
//! frameshifts, extensions, bare residues). It is meant to give way to
//! `variant_model::hgvs::ProteinChange` once that grammar lands; the
//! [`ProteinChange`] fields are the interface the matcher relies on.

use std::fmt::Write as _;

use variant_model::protein;

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
/// (amplifications, fusions, `X1445_splice`, uncertain `p.?`).
pub fn parse(text: &str) -> Option<ProteinChange> {
    let mut t = text.trim();
    if let Some((_, rest)) = t.rsplit_once(':') {
        t = rest;
    }
    t = t.strip_prefix("p.").unwrap_or(t);
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        t = inner;
    }
    let mut cursor = Cursor {
        bytes: t.as_bytes(),
        at: 0,
    };
    let start_aa = cursor.amino_acid()?;
    let start = cursor.number()?;
    let mut end = None;
    if cursor.eat(b'_') {
        let aa = cursor.amino_acid()?;
        let pos = cursor.number()?;
        if pos <= start {
            return None;
        }
        end = Some((aa, pos));
    }
    let kind = if cursor.done() {
        if end.is_some() {
            return None;
        }
        ChangeKind::Residue
    } else if cursor.eat_str("delins") {
        ChangeKind::DelIns(cursor.sequence()?)
    } else if cursor.eat_str("del") {
        // `delV` style (deleted residue repeated) is tolerated.
        let _ = cursor.sequence();
        ChangeKind::Deletion
    } else if cursor.eat_str("dup") {
        let _ = cursor.sequence();
        ChangeKind::Duplication
    } else if cursor.eat_str("ins") {
        end?;
        ChangeKind::Insertion(cursor.sequence()?)
    } else if cursor.eat_str("fs") {
        cursor.skip_rest();
        ChangeKind::Frameshift
    } else if cursor.eat_str("ext") {
        cursor.skip_rest();
        ChangeKind::Extension
    } else if cursor.eat(b'=') {
        ChangeKind::Substitution(b'=')
    } else {
        let alt = cursor.amino_acid()?;
        if cursor.eat_str("fs") {
            cursor.skip_rest();
            ChangeKind::Frameshift
        } else if cursor.eat_str("ext") {
            cursor.skip_rest();
            ChangeKind::Extension
        } else {
            if end.is_some() {
                return None;
            }
            ChangeKind::Substitution(alt)
        }
    };
    if !cursor.done() {
        return None;
    }
    // A substitution to the same residue is synonymous.
    let kind = match kind {
        ChangeKind::Substitution(alt) if alt == start_aa => ChangeKind::Substitution(b'='),
        other => other,
    };
    Some(ProteinChange {
        start_aa,
        start,
        end,
        kind,
    })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.bytes.get(self.at) == Some(&b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.bytes[self.at..].starts_with(s.as_bytes()) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn skip_rest(&mut self) {
        self.at = self.bytes.len();
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.at;
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_digit() {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at])
            .ok()?
            .parse()
            .ok()
            .filter(|&n| n > 0)
    }

    /// One amino acid, three-letter (`Val`, `Ter`) or one-letter (`V`, `*`,
    /// `X` for Ter in some tools is not accepted: it means "unknown").
    fn amino_acid(&mut self) -> Option<u8> {
        let rest = &self.bytes[self.at..];
        if rest.len() >= 3 {
            if let Ok(three) = std::str::from_utf8(&rest[..3]) {
                if let Some(aa) = protein::one_letter(three) {
                    if three != "Xaa" {
                        self.at += 3;
                        return Some(aa);
                    }
                }
            }
        }
        let b = *rest.first()?;
        if b == b'*' || (b.is_ascii_uppercase() && b"ARNDCQEGHILKMFPSTWYVUO".contains(&b)) {
            self.at += 1;
            return Some(b);
        }
        None
    }

    /// A run of amino acids (`Glu`, `EA`, `GluAla`); a bare count such as
    /// `ins3` is not a sequence.
    fn sequence(&mut self) -> Option<Vec<u8>> {
        let mut seq = Vec::new();
        while let Some(aa) = self.amino_acid() {
            seq.push(aa);
        }
        (!seq.is_empty()).then_some(seq)
    }
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
