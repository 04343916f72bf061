//! Parsed HGVS variants and their canonical formatting.
//!
//! `Display` writes the canonical form that biocommons hgvs writes: deleted,
//! duplicated and inverted sequences are dropped (`c.76_78delACT` →
//! `c.76_78del`), a one-nucleotide `delins` with a known reference becomes a
//! substitution (`delAinsT` → `A>T`), proteins are written in three-letter
//! code with `Ter` for the stop codon, and a frameshift always names its
//! terminator (`p.Arg97fs` → `p.Arg97fsTer`). Everything else is written as
//! parsed.

use std::fmt::{self, Display, Formatter};

use super::residues::{three_letter, to_three_letter};

/// The coordinate type of an HGVS description (the letter before the `.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequenceType {
    /// `g.`: linear genomic reference.
    Genomic,
    /// `m.`: mitochondrial reference.
    Mitochondrial,
    /// `c.`: coding DNA reference (positions relative to the CDS).
    Coding,
    /// `n.`: non-coding DNA reference.
    NonCoding,
    /// `r.`: RNA reference.
    Rna,
    /// `p.`: protein reference.
    Protein,
}

impl SequenceType {
    /// The HGVS prefix letter (`g`, `m`, `c`, `n`, `r`, `p`).
    pub fn letter(self) -> char {
        match self {
            SequenceType::Genomic => 'g',
            SequenceType::Mitochondrial => 'm',
            SequenceType::Coding => 'c',
            SequenceType::NonCoding => 'n',
            SequenceType::Rna => 'r',
            SequenceType::Protein => 'p',
        }
    }

    /// The type of an HGVS prefix letter.
    pub fn from_letter(letter: char) -> Option<Self> {
        Some(match letter {
            'g' => SequenceType::Genomic,
            'm' => SequenceType::Mitochondrial,
            'c' => SequenceType::Coding,
            'n' => SequenceType::NonCoding,
            'r' => SequenceType::Rna,
            'p' => SequenceType::Protein,
            _ => return None,
        })
    }
}

/// One HGVS sequence variant: `NM_004333.4(BRAF):c.1799T>A`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HgvsVariant {
    /// Reference sequence accession (`NM_004333.4`, `NC_000007.14`, `ENSP...`).
    pub accession: String,
    /// Optional gene symbol written in parentheses after the accession.
    pub gene: Option<String>,
    pub sequence_type: SequenceType,
    pub posedit: PosEdit,
}

impl HgvsVariant {
    /// The protein change of a `p.` variant, `None` for other types.
    pub fn protein_posedit(&self) -> Option<&PosEdit> {
        (self.sequence_type == SequenceType::Protein).then_some(&self.posedit)
    }
}

impl Display for HgvsVariant {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.accession)?;
        if let Some(gene) = &self.gene {
            write!(f, "({gene})")?;
        }
        write!(f, ":{}.{}", self.sequence_type.letter(), self.posedit)
    }
}

/// A location and what happened there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PosEdit {
    /// A change on a nucleic-acid reference (`g.`, `m.`, `c.`, `n.`, `r.`).
    Nucleotide {
        location: Interval<NucleotidePosition>,
        edit: NaEdit,
        /// The edit itself is in parentheses: `c.76(A>C)`.
        edit_uncertain: bool,
        /// The whole change is in parentheses (predicted; `r.` only):
        /// `r.(76a>c)`.
        predicted: bool,
    },
    /// A change on a protein reference.
    Protein {
        location: Interval<ProteinPosition>,
        edit: ProteinEdit,
        /// Predicted consequence, in parentheses: `p.(Val600Glu)`.
        predicted: bool,
    },
    /// A whole-protein description without a location (`p.=`, `p.0`, `p.?`).
    ProteinWhole(WholeProtein),
}

impl Display for PosEdit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PosEdit::Nucleotide {
                location,
                edit,
                edit_uncertain,
                predicted,
            } => {
                if *predicted {
                    f.write_str("(")?;
                }
                if *edit_uncertain {
                    write!(f, "{location}({edit})")?;
                } else {
                    write!(f, "{location}{edit}")?;
                }
                if *predicted {
                    f.write_str(")")?;
                }
                Ok(())
            }
            PosEdit::Protein {
                location,
                edit,
                predicted,
            } => {
                if *predicted {
                    write!(f, "({location}{edit})")
                } else {
                    write!(f, "{location}{edit}")
                }
            }
            PosEdit::ProteinWhole(whole) => whole.fmt(f),
        }
    }
}

/// Descriptions of a whole protein.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WholeProtein {
    /// `p.=`: no change.
    NoChange,
    /// `p.(=)`: no change predicted.
    NoChangePredicted,
    /// `p.0`: no protein produced.
    NoProtein,
    /// `p.0?`: probably no protein produced.
    NoProteinUncertain,
    /// `p.?`: effect unknown.
    Unknown,
}

impl Display for WholeProtein {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WholeProtein::NoChange => "=",
            WholeProtein::NoChangePredicted => "(=)",
            WholeProtein::NoProtein => "0",
            WholeProtein::NoProteinUncertain => "0?",
            WholeProtein::Unknown => "?",
        })
    }
}

/// A range `start_end`, a single position, or either in parentheses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Interval<P> {
    pub start: Bound<P>,
    /// `None` for a single position.
    pub end: Option<Bound<P>>,
    /// The whole interval is in parentheses: `g.(100_200)del`.
    pub uncertain: bool,
}

impl<P: Display> Display for Interval<P> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.uncertain {
            f.write_str("(")?;
        }
        write!(f, "{}", self.start)?;
        if let Some(end) = &self.end {
            write!(f, "_{end}")?;
        }
        if self.uncertain {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// One end of an interval: a position, or an uncertain range of positions
/// `(a_b)` as in `c.(4071+1_4072-1)_(5154+1_5155-1)del`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bound<P> {
    Exact(P),
    Range(P, P),
}

impl<P: Display> Display for Bound<P> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Exact(p) => p.fmt(f),
            Bound::Range(a, b) => write!(f, "({a}_{b})"),
        }
    }
}

/// What a nucleotide position is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Datum {
    /// First nucleotide of the reference (`g.`, `m.`, `n.`) or of the CDS
    /// (`c.`, `r.`); negative bases lie upstream of it.
    Start,
    /// The stop codon (`c.*10`, `r.*10`): bases downstream of the CDS.
    CdsEnd,
}

/// A nucleotide position: `123`, `-14`, `*46`, `88+1`, `89-2`, `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NucleotidePosition {
    pub datum: Datum,
    /// `None` for an unknown position (`?`). Never zero.
    pub base: Option<i64>,
    /// Intronic offset from `base`.
    pub offset: Option<Offset>,
}

impl NucleotidePosition {
    /// Sort key for ordering checks, `None` when the position is unknown.
    pub(crate) fn order_key(&self) -> Option<(Datum, i64, i64)> {
        let offset = match self.offset {
            None => 0,
            Some(Offset::Known(n)) => n,
            Some(Offset::Unknown { .. }) => return None,
        };
        Some((self.datum, self.base?, offset))
    }
}

impl Display for NucleotidePosition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.datum == Datum::CdsEnd {
            f.write_str("*")?;
        }
        match self.base {
            Some(base) => write!(f, "{base}")?,
            None => f.write_str("?")?,
        }
        match self.offset {
            None => Ok(()),
            Some(Offset::Known(n)) => write!(f, "{n:+}"),
            Some(Offset::Unknown { downstream: true }) => f.write_str("+?"),
            Some(Offset::Unknown { downstream: false }) => f.write_str("-?"),
        }
    }
}

/// Intronic offset of a position: `+1`, `-2`, `+?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Offset {
    /// Signed, never zero.
    Known(i64),
    Unknown {
        downstream: bool,
    },
}

/// A protein position: residue and number (`Val600`, `Ter757`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProteinPosition {
    /// One-letter code, `*` for the stop codon.
    pub residue: u8,
    /// Position, 1-based.
    pub number: u32,
}

impl Display for ProteinPosition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let residue = three_letter(self.residue).unwrap_or("Xaa");
        write!(f, "{residue}{}", self.number)
    }
}

/// The reference part of an edit, when it is written: a sequence or a
/// length (`delAAT`, `del3`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReferenceSpec {
    Sequence(String),
    Length(u64),
}

/// A nucleic-acid edit. Sequences are kept as written (case included).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NaEdit {
    /// `=` or `T=`.
    Identity { reference: Option<String> },
    /// `A>C`.
    Substitution {
        reference: String,
        alternative: String,
    },
    /// `del`, `delAAT`, `del3`.
    Deletion { reference: Option<ReferenceSpec> },
    /// `delinsTT`, `delAAinsTT`, `del2insTT`.
    DelIns {
        reference: Option<ReferenceSpec>,
        alternative: String,
    },
    /// `insAT`.
    Insertion { alternative: String },
    /// `dup`, `dupCTG`.
    Duplication { reference: Option<String> },
    /// `inv`, `invAT`, `inv2`.
    Inversion { reference: Option<ReferenceSpec> },
    /// `conNM_004006.1:c.15_355` (gene conversion).
    Conversion { source: Box<HgvsPosition> },
    /// `copy2` (copy number; an Invitae extension that biocommons accepts).
    Copy { count: u32 },
}

impl Display for NaEdit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            NaEdit::Identity { .. } => f.write_str("="),
            NaEdit::Substitution {
                reference,
                alternative,
            } => write!(f, "{reference}>{alternative}"),
            NaEdit::Deletion { .. } => f.write_str("del"),
            NaEdit::DelIns {
                reference: Some(ReferenceSpec::Sequence(reference)),
                alternative,
            } if reference.len() == 1 && alternative.len() == 1 => {
                write!(f, "{reference}>{alternative}")
            }
            NaEdit::DelIns { alternative, .. } => write!(f, "delins{alternative}"),
            NaEdit::Insertion { alternative } => write!(f, "ins{alternative}"),
            NaEdit::Duplication { .. } => f.write_str("dup"),
            NaEdit::Inversion { .. } => f.write_str("inv"),
            NaEdit::Conversion { source } => write!(f, "con{source}"),
            NaEdit::Copy { count } => write!(f, "copy{count}"),
        }
    }
}

/// A position on a reference without an edit, as in `con` sources:
/// `NM_004006.1:c.15_355`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HgvsPosition {
    pub accession: String,
    pub gene: Option<String>,
    pub sequence_type: SequenceType,
    pub location: Location,
}

impl Display for HgvsPosition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.accession)?;
        if let Some(gene) = &self.gene {
            write!(f, "({gene})")?;
        }
        write!(f, ":{}.{}", self.sequence_type.letter(), self.location)
    }
}

/// An interval on either kind of reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    Nucleotide(Interval<NucleotidePosition>),
    Protein(Interval<ProteinPosition>),
}

impl Display for Location {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Location::Nucleotide(i) => i.fmt(f),
            Location::Protein(i) => i.fmt(f),
        }
    }
}

/// The stop of a frameshift or C-terminal extension: `Ter12`, `Ter?`, `Ter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopDistance {
    /// No distance written (`fs`, `fsTer`, `ext*`).
    Unspecified,
    /// Position of the new stop codon counted from the first changed residue.
    Known(u32),
    /// `?`: no new stop codon found.
    Unknown,
}

impl Display for StopDistance {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            StopDistance::Unspecified => Ok(()),
            StopDistance::Known(n) => write!(f, "{n}"),
            StopDistance::Unknown => f.write_str("?"),
        }
    }
}

/// How a protein is extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extension {
    /// Bare `ext`.
    Unspecified,
    /// Stop-loss: a new stop further downstream (`ext*17`, `extTer?`).
    CTerminal(StopDistance),
    /// A new start upstream (`ext-5`, `extMet-5`): `offset` is negative.
    NTerminal { new_start: Option<u8>, offset: i64 },
}

/// A protein edit. Residues are one-letter codes, `*` for the stop codon.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProteinEdit {
    /// `Glu`, `Ter` (nonsense).
    Substitution {
        alternative: u8,
    },
    /// `?`: the residue changes in an unknown way (`p.Met1?`).
    Unknown,
    /// `=`: synonymous.
    Identity,
    Deletion,
    Duplication,
    Insertion {
        inserted: Vec<u8>,
    },
    DelIns {
        inserted: Vec<u8>,
    },
    /// `Serfs*12`, `fs`.
    Frameshift {
        alternative: Option<u8>,
        stop: StopDistance,
    },
    /// `Lysext*?`, `ext-5`.
    Extension {
        alternative: Option<u8>,
        extension: Extension,
    },
}

fn residue3(residue: u8) -> &'static str {
    three_letter(residue).unwrap_or("Xaa")
}

impl Display for ProteinEdit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ProteinEdit::Substitution { alternative } => f.write_str(residue3(*alternative)),
            ProteinEdit::Unknown => f.write_str("?"),
            ProteinEdit::Identity => f.write_str("="),
            ProteinEdit::Deletion => f.write_str("del"),
            ProteinEdit::Duplication => f.write_str("dup"),
            ProteinEdit::Insertion { inserted } => write!(f, "ins{}", to_three_letter(inserted)),
            ProteinEdit::DelIns { inserted } => write!(f, "delins{}", to_three_letter(inserted)),
            ProteinEdit::Frameshift { alternative, stop } => {
                if let Some(alt) = alternative {
                    f.write_str(residue3(*alt))?;
                }
                write!(f, "fsTer{stop}")
            }
            ProteinEdit::Extension {
                alternative,
                extension,
            } => {
                if let Some(alt) = alternative {
                    f.write_str(residue3(*alt))?;
                }
                f.write_str("ext")?;
                match extension {
                    Extension::Unspecified => Ok(()),
                    Extension::CTerminal(stop) => write!(f, "Ter{stop}"),
                    Extension::NTerminal { new_start, offset } => {
                        if let Some(start) = new_start {
                            f.write_str(residue3(*start))?;
                        }
                        write!(f, "{offset}")
                    }
                }
            }
        }
    }
}
