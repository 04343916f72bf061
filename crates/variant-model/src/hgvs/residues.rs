//! Amino-acid codes as the HGVS grammar uses them.
//!
//! Residues are stored as their one-letter code (`*` for the stop codon) and
//! written in three-letter code (`Ter` for the stop codon). The alphabet is
//! the one of the biocommons grammar: the 20 standard amino acids, `Sec`
//! (`U`), and the ambiguity codes `Asx` (`B`), `Glx` (`Z`) and `Xaa` (`X`);
//! pyrrolysine (`Pyl`/`O`) is not part of it.

/// Stop codon in one-letter code.
pub const STOP: u8 = b'*';

const TABLE: [(u8, &str); 24] = [
    (b'A', "Ala"),
    (b'R', "Arg"),
    (b'N', "Asn"),
    (b'D', "Asp"),
    (b'C', "Cys"),
    (b'Q', "Gln"),
    (b'E', "Glu"),
    (b'G', "Gly"),
    (b'H', "His"),
    (b'I', "Ile"),
    (b'L', "Leu"),
    (b'K', "Lys"),
    (b'M', "Met"),
    (b'F', "Phe"),
    (b'P', "Pro"),
    (b'S', "Ser"),
    (b'T', "Thr"),
    (b'W', "Trp"),
    (b'Y', "Tyr"),
    (b'V', "Val"),
    (b'U', "Sec"),
    (b'B', "Asx"),
    (b'Z', "Glx"),
    (b'X', "Xaa"),
];

/// Three-letter code of a one-letter residue (`*` → `Ter`); `None` outside
/// the alphabet.
pub fn three_letter(one: u8) -> Option<&'static str> {
    if one == STOP {
        return Some("Ter");
    }
    TABLE
        .iter()
        .find(|(code, _)| *code == one)
        .map(|(_, three)| *three)
}

/// One-letter code of a three-letter residue (`Ter` → `*`); `None` outside
/// the alphabet.
pub fn one_letter(three: &str) -> Option<u8> {
    if three == "Ter" {
        return Some(STOP);
    }
    TABLE
        .iter()
        .find(|(_, name)| *name == three)
        .map(|(code, _)| *code)
}

/// True for an amino acid (not the stop codon) in one-letter code.
pub fn is_amino_acid(one: u8) -> bool {
    TABLE.iter().any(|(code, _)| *code == one)
}

/// True for a residue allowed in a protein position (`Gly12`, `*757`): the
/// ambiguity codes `Asx`/`Glx` do not name a residue of a reference sequence.
pub fn is_position_residue(one: u8) -> bool {
    one == STOP || (is_amino_acid(one) && one != b'B' && one != b'Z')
}

/// Writes residues in three-letter code.
pub fn to_three_letter(residues: &[u8]) -> String {
    residues
        .iter()
        .map(|&r| three_letter(r).unwrap_or("Xaa"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        for (one, three) in TABLE {
            assert_eq!(three_letter(one), Some(three));
            assert_eq!(one_letter(three), Some(one));
        }
        assert_eq!(three_letter(STOP), Some("Ter"));
        assert_eq!(one_letter("Ter"), Some(STOP));
        assert_eq!(three_letter(b'O'), None);
        assert_eq!(one_letter("Pyl"), None);
        assert_eq!(to_three_letter(b"SVD*"), "SerValAspTer");
    }

    #[test]
    fn position_residues_exclude_ambiguity_codes() {
        assert!(is_position_residue(b'M'));
        assert!(is_position_residue(b'*'));
        assert!(is_position_residue(b'X'));
        assert!(!is_position_residue(b'Z'));
        assert!(!is_position_residue(b'B'));
        assert!(!is_position_residue(b'J'));
    }
}
