//! Amino-acid codes and genetic codes (NCBI translation tables).

/// Stop codon in one-letter code.
pub const STOP: u8 = b'*';

/// Three-letter code of a one-letter amino acid (`*` → `Ter`, unknown →
/// `Xaa`), as HGVS p. notation writes it.
pub fn three_letter(aa: u8) -> &'static str {
    match aa.to_ascii_uppercase() {
        b'A' => "Ala",
        b'R' => "Arg",
        b'N' => "Asn",
        b'D' => "Asp",
        b'C' => "Cys",
        b'Q' => "Gln",
        b'E' => "Glu",
        b'G' => "Gly",
        b'H' => "His",
        b'I' => "Ile",
        b'L' => "Leu",
        b'K' => "Lys",
        b'M' => "Met",
        b'F' => "Phe",
        b'P' => "Pro",
        b'S' => "Ser",
        b'T' => "Thr",
        b'W' => "Trp",
        b'Y' => "Tyr",
        b'V' => "Val",
        b'U' => "Sec",
        b'O' => "Pyl",
        b'*' => "Ter",
        _ => "Xaa",
    }
}

/// One-letter code of a three-letter amino acid (`Ter` and `*` → `*`).
pub fn one_letter(aa: &str) -> Option<u8> {
    Some(match aa {
        "Ala" => b'A',
        "Arg" => b'R',
        "Asn" => b'N',
        "Asp" => b'D',
        "Cys" => b'C',
        "Gln" => b'Q',
        "Glu" => b'E',
        "Gly" => b'G',
        "His" => b'H',
        "Ile" => b'I',
        "Leu" => b'L',
        "Lys" => b'K',
        "Met" => b'M',
        "Phe" => b'F',
        "Pro" => b'P',
        "Ser" => b'S',
        "Thr" => b'T',
        "Trp" => b'W',
        "Tyr" => b'Y',
        "Val" => b'V',
        "Sec" => b'U',
        "Pyl" => b'O',
        "Ter" | "*" => b'*',
        "Xaa" => b'X',
        _ => return None,
    })
}

/// Converts a one-letter protein sequence to concatenated three-letter codes.
pub fn to_three_letter(seq: &[u8]) -> String {
    seq.iter().map(|&aa| three_letter(aa)).collect()
}

/// An NCBI genetic code (translation table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneticCode {
    /// Table 1, the standard code.
    Standard,
    /// Table 2, vertebrate mitochondrial (AGA/AGG stop, ATA Met, TGA Trp).
    VertebrateMitochondrial,
}

// Table 1 amino acids in TCAG order of the three codon positions.
const STANDARD_TABLE: &[u8; 64] =
    b"FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
const VERT_MITO_TABLE: &[u8; 64] =
    b"FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSS**VVVVAAAADDEEGGGG";

fn base_index(base: u8) -> Option<usize> {
    match base.to_ascii_uppercase() {
        b'T' | b'U' => Some(0),
        b'C' => Some(1),
        b'A' => Some(2),
        b'G' => Some(3),
        _ => None,
    }
}

impl GeneticCode {
    /// The code to use for a contig: vertebrate mitochondrial for the usual
    /// names of the mitochondrial genome, standard otherwise.
    pub fn for_contig(name: &str) -> Self {
        match name {
            "MT" | "chrM" | "chrMT" | "M" | "NC_012920.1" | "NC_001807.4" => {
                GeneticCode::VertebrateMitochondrial
            }
            _ => GeneticCode::Standard,
        }
    }

    /// Translates one codon; `X` when it holds an ambiguous base or is
    /// shorter than three bases.
    pub fn translate_codon(self, codon: &[u8]) -> u8 {
        if codon.len() < 3 {
            return b'X';
        }
        let table = match self {
            GeneticCode::Standard => STANDARD_TABLE,
            GeneticCode::VertebrateMitochondrial => VERT_MITO_TABLE,
        };
        match (
            base_index(codon[0]),
            base_index(codon[1]),
            base_index(codon[2]),
        ) {
            (Some(a), Some(b), Some(c)) => table[a * 16 + b * 4 + c],
            _ => b'X',
        }
    }

    /// Translates a coding sequence codon by codon; a trailing partial codon
    /// is ignored (callers handle incomplete terminal codons themselves).
    pub fn translate(self, cds: &[u8]) -> Vec<u8> {
        cds.chunks_exact(3)
            .map(|codon| self.translate_codon(codon))
            .collect()
    }
}

/// Reverse complement of a DNA sequence (IUPAC aware, case preserving).
pub fn reverse_complement(seq: &[u8]) -> Vec<u8> {
    seq.iter().rev().map(|&b| complement(b)).collect()
}

/// Complement of one IUPAC nucleotide code, preserving case.
pub fn complement(base: u8) -> u8 {
    match base {
        b'A' => b'T',
        b'C' => b'G',
        b'G' => b'C',
        b'T' => b'A',
        b'U' => b'A',
        b'a' => b't',
        b'c' => b'g',
        b'g' => b'c',
        b't' => b'a',
        b'u' => b'a',
        b'R' => b'Y',
        b'Y' => b'R',
        b'K' => b'M',
        b'M' => b'K',
        b'B' => b'V',
        b'V' => b'B',
        b'D' => b'H',
        b'H' => b'D',
        b'r' => b'y',
        b'y' => b'r',
        b'k' => b'm',
        b'm' => b'k',
        b'b' => b'v',
        b'v' => b'b',
        b'd' => b'h',
        b'h' => b'd',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_with_the_standard_code() {
        let code = GeneticCode::Standard;
        assert_eq!(code.translate_codon(b"ATG"), b'M');
        assert_eq!(code.translate_codon(b"GTG"), b'V');
        assert_eq!(code.translate_codon(b"GAG"), b'E');
        assert_eq!(code.translate_codon(b"TGA"), b'*');
        assert_eq!(code.translate_codon(b"TAG"), b'*');
        assert_eq!(code.translate_codon(b"TAA"), b'*');
        assert_eq!(code.translate_codon(b"AGA"), b'R');
        assert_eq!(code.translate_codon(b"ANG"), b'X');
        assert_eq!(code.translate(b"ATGGTGTAAC"), b"MV*".to_vec());
    }

    #[test]
    fn translates_with_the_mitochondrial_code() {
        let code = GeneticCode::for_contig("chrM");
        assert_eq!(code.translate_codon(b"TGA"), b'W');
        assert_eq!(code.translate_codon(b"AGA"), b'*');
        assert_eq!(code.translate_codon(b"ATA"), b'M');
        assert_eq!(GeneticCode::for_contig("7"), GeneticCode::Standard);
    }

    #[test]
    fn converts_amino_acid_codes() {
        assert_eq!(three_letter(b'V'), "Val");
        assert_eq!(three_letter(b'*'), "Ter");
        assert_eq!(one_letter("Glu"), Some(b'E'));
        assert_eq!(one_letter("Ter"), Some(b'*'));
        assert_eq!(one_letter("Foo"), None);
        assert_eq!(to_three_letter(b"VE*"), "ValGluTer");
        for aa in b"ARNDCQEGHILKMFPSTWYVUO*" {
            assert_eq!(one_letter(three_letter(*aa)), Some(*aa));
        }
    }

    #[test]
    fn reverse_complements() {
        assert_eq!(reverse_complement(b"ACGTN"), b"NACGT".to_vec());
        assert_eq!(reverse_complement(b"aCgR"), b"YcGt".to_vec());
    }
}
