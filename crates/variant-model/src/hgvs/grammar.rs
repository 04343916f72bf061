//! The HGVS grammar as nom parsers, rule for rule after the biocommons hgvs
//! grammar (`hgvs/_data/hgvs.pymeta`), which is a PEG like nom: alternatives
//! are tried in order and the first that matches wins, so the order of the
//! alternatives below matters (e.g. `delins` before `del`, `fs` and `ext`
//! before a plain substitution).
//!
//! Two checks go beyond the biocommons grammar because they reject
//! descriptions that no reference can have: positions and intronic offsets
//! are never zero (`c.0`, `c.76+0`), and the known positions of an interval
//! must be strictly increasing (`g.20_10del`, `p.Gly12_Gly12del`).

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take, take_while, take_while_m_n, take_while1},
    character::complete::{char, digit1, one_of, satisfy},
    combinator::{all_consuming, map, map_opt, map_res, opt, recognize, value, verify},
    multi::many1,
    sequence::{delimited, pair, preceded, separated_pair},
};

use super::model::{
    Bound, Datum, Extension, HgvsPosition, HgvsVariant, Interval, Location, NaEdit,
    NucleotidePosition, Offset, PosEdit, ProteinEdit, ProteinPosition, ReferenceSpec, SequenceType,
    StopDistance, WholeProtein,
};
use super::residues::{STOP, is_amino_acid, is_position_residue, one_letter};

pub(crate) type Res<'a, T> = IResult<&'a str, T>;

// ---------------------------------------------------------------- numbers

pub(crate) fn num(i: &str) -> Res<'_, u64> {
    map_res(digit1, str::parse::<u64>).parse(i)
}

fn num_u32(i: &str) -> Res<'_, u32> {
    map_res(digit1, str::parse::<u32>).parse(i)
}

/// A position or offset magnitude: positions start at 1 in HGVS.
fn nonzero(i: &str) -> Res<'_, i64> {
    map_res(verify(num, |n| *n > 0), i64::try_from).parse(i)
}

pub(crate) fn snum(i: &str) -> Res<'_, i64> {
    map_res(pair(opt(one_of("+-")), num), |(sign, n)| {
        i64::try_from(n).map(|n| if sign == Some('-') { -n } else { n })
    })
    .parse(i)
}

pub(crate) fn nnum(i: &str) -> Res<'_, i64> {
    map_res(preceded(char('-'), num), |n| i64::try_from(n).map(|n| -n)).parse(i)
}

// ------------------------------------------------- accessions and genes

/// `NM_004333.4`, `NC_000007.14`, `ENSP00000493543.1`, `LRG_199t1`, `chr7`:
/// a letter, then letters/digits (single underscores between them), then an
/// optional `.version`.
pub(crate) fn accession(i: &str) -> Res<'_, &str> {
    recognize((
        satisfy(|c| c.is_ascii_alphabetic()),
        many1(alt((
            satisfy(|c| c.is_ascii_alphanumeric()),
            preceded(char('_'), satisfy(|c| c.is_ascii_alphanumeric())),
        ))),
        opt((char('.'), digit1)),
    ))
    .parse(i)
}

/// Any sequence name without `:`, `(` or white space: VEP writes HGVSg on
/// Ensembl chromosome names (`7:g.140753336A>T`).
fn contig_name(i: &str) -> Res<'_, &str> {
    take_while1(|c: char| !(c == ':' || c == '(' || c.is_whitespace())).parse(i)
}

pub(crate) fn gene_symbol(i: &str) -> Res<'_, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
    ))
    .parse(i)
}

pub(crate) fn paren_gene(i: &str) -> Res<'_, &str> {
    delimited(char('('), gene_symbol, char(')')).parse(i)
}

// ------------------------------------------------------- nucleotides

pub(crate) const DNA: &str = "ACGTRYMKWSBDHVNacgtrymkwsbdhvn";
pub(crate) const RNA: &str = "ACGURYMKWSBDHVNacgurymkwsbdhvn";
pub(crate) const NA: &str = "ACGTURYMKWSBDHVNacgturymkwsbdhvn";

pub(crate) fn na_seq(alphabet: &'static str) -> impl Fn(&str) -> Res<'_, &str> {
    move |i| take_while1(|c| alphabet.contains(c)).parse(i)
}

pub(crate) fn na_base(alphabet: &'static str) -> impl Fn(&str) -> Res<'_, &str> {
    move |i| take_while_m_n(1, 1, |c| alphabet.contains(c)).parse(i)
}

fn reference_spec(alphabet: &'static str) -> impl Fn(&str) -> Res<'_, ReferenceSpec> {
    move |i| {
        alt((
            map(num, ReferenceSpec::Length),
            map(na_seq(alphabet), |s| ReferenceSpec::Sequence(s.to_string())),
        ))
        .parse(i)
    }
}

/// The nucleic-acid edits, one parser per biocommons rule.
#[derive(Clone, Copy)]
pub(crate) struct NaEdits {
    pub alphabet: &'static str,
}

impl NaEdits {
    pub fn ident<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(pair(opt(na_seq(self.alphabet)), char('=')), |(r, _)| {
            NaEdit::Identity {
                reference: r.map(str::to_string),
            }
        })
        .parse(i)
    }

    pub fn subst<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(
            separated_pair(na_base(self.alphabet), char('>'), na_base(self.alphabet)),
            |(r, a)| NaEdit::Substitution {
                reference: r.to_string(),
                alternative: a.to_string(),
            },
        )
        .parse(i)
    }

    pub fn delins<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(
            (
                tag("del"),
                opt(reference_spec(self.alphabet)),
                tag("ins"),
                na_seq(self.alphabet),
            ),
            |(_, reference, _, alt)| NaEdit::DelIns {
                reference,
                alternative: alt.to_string(),
            },
        )
        .parse(i)
    }

    pub fn ins<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(preceded(tag("ins"), na_seq(self.alphabet)), |a| {
            NaEdit::Insertion {
                alternative: a.to_string(),
            }
        })
        .parse(i)
    }

    pub fn del<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(
            preceded(tag("del"), opt(reference_spec(self.alphabet))),
            |reference| NaEdit::Deletion { reference },
        )
        .parse(i)
    }

    pub fn dup<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(preceded(tag("dup"), opt(na_seq(self.alphabet))), |r| {
            NaEdit::Duplication {
                reference: r.map(str::to_string),
            }
        })
        .parse(i)
    }

    pub fn inv<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(
            preceded(tag("inv"), opt(reference_spec(self.alphabet))),
            |reference| NaEdit::Inversion { reference },
        )
        .parse(i)
    }

    pub fn con<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(preceded(tag("con"), hgvs_position), |source| {
            let source = Box::new(source);
            NaEdit::Conversion { source }
        })
        .parse(i)
    }

    pub fn copy<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        map(preceded(tag("copy"), num_u32), |count| NaEdit::Copy {
            count,
        })
        .parse(i)
    }

    pub fn edit<'a>(&self, i: &'a str) -> Res<'a, NaEdit> {
        alt((
            |i| self.ident(i),
            |i| self.subst(i),
            |i| self.delins(i),
            |i| self.ins(i),
            |i| self.del(i),
            |i| self.dup(i),
            |i| self.inv(i),
            |i| self.con(i),
            |i| self.copy(i),
        ))
        .parse(i)
    }

    /// An edit, possibly in parentheses; the flag tells which.
    pub fn edit_mu<'a>(&self, i: &'a str) -> Res<'a, (NaEdit, bool)> {
        alt((
            map(delimited(char('('), |i| self.edit(i), char(')')), |e| {
                (e, true)
            }),
            map(|i| self.edit(i), |e| (e, false)),
        ))
        .parse(i)
    }
}

pub(crate) const DNA_EDITS: NaEdits = NaEdits { alphabet: DNA };
pub(crate) const RNA_EDITS: NaEdits = NaEdits { alphabet: RNA };

// --------------------------------------------------- nucleotide positions

fn offset(i: &str) -> Res<'_, Offset> {
    alt((
        map(preceded(char('+'), nonzero), Offset::Known),
        map(preceded(char('-'), nonzero), |n| Offset::Known(-n)),
        value(Offset::Unknown { downstream: true }, tag("+?")),
        value(Offset::Unknown { downstream: false }, tag("-?")),
    ))
    .parse(i)
}

fn unknown_position(i: &str) -> Res<'_, NucleotidePosition> {
    value(
        NucleotidePosition {
            datum: Datum::Start,
            base: None,
            offset: None,
        },
        char('?'),
    )
    .parse(i)
}

/// `g.` and `m.` positions: a number or `?`.
pub(crate) fn g_pos(i: &str) -> Res<'_, NucleotidePosition> {
    alt((
        unknown_position,
        map(nonzero, |n| NucleotidePosition {
            datum: Datum::Start,
            base: Some(n),
            offset: None,
        }),
    ))
    .parse(i)
}

/// `c.` and `r.` positions: `123`, `-14`, `*46`, `88+1`, `-1-3`, `?`.
pub(crate) fn c_pos(i: &str) -> Res<'_, NucleotidePosition> {
    alt((
        unknown_position,
        map(
            (preceded(char('*'), nonzero), opt(offset)),
            |(base, offset)| NucleotidePosition {
                datum: Datum::CdsEnd,
                base: Some(base),
                offset,
            },
        ),
        n_pos,
    ))
    .parse(i)
}

/// `n.` positions: `123`, `-14`, `88+1`, `?` (no `*`).
pub(crate) fn n_pos(i: &str) -> Res<'_, NucleotidePosition> {
    alt((
        unknown_position,
        map(
            (opt(char('-')), nonzero, opt(offset)),
            |(minus, base, offset)| NucleotidePosition {
                datum: Datum::Start,
                base: Some(if minus.is_some() { -base } else { base }),
                offset,
            },
        ),
    ))
    .parse(i)
}

type NucPosParser = fn(&str) -> Res<'_, NucleotidePosition>;

/// The position parser of a nucleotide sequence type.
pub(crate) fn position_parser(sequence_type: SequenceType) -> NucPosParser {
    match sequence_type {
        SequenceType::Genomic | SequenceType::Mitochondrial => g_pos,
        SequenceType::Coding | SequenceType::Rna => c_pos,
        SequenceType::NonCoding => n_pos,
        // Protein positions have their own parser (`p_pos`); no caller asks
        // for a nucleotide parser of `p.`, and one that accepts nothing
        // keeps a wrong call from accepting anything.
        SequenceType::Protein => |i| nom::combinator::fail().parse(i),
    }
}

fn bound(pos: NucPosParser) -> impl Fn(&str) -> Res<'_, Bound<NucleotidePosition>> {
    move |i| {
        alt((
            map(
                delimited(char('('), separated_pair(pos, char('_'), pos), char(')')),
                |(a, b)| Bound::Range(a, b),
            ),
            map(pos, Bound::Exact),
        ))
        .parse(i)
    }
}

fn nucleotide_interval_is_ordered(interval: &Interval<NucleotidePosition>) -> bool {
    let mut positions = Vec::with_capacity(4);
    for b in std::iter::once(&interval.start).chain(interval.end.as_ref()) {
        match b {
            Bound::Exact(p) => positions.push(p),
            Bound::Range(a, z) => positions.extend([a, z]),
        }
    }
    let keys: Vec<_> = positions.iter().filter_map(|p| p.order_key()).collect();
    keys.windows(2).all(|w| w[0] < w[1])
}

/// `start_end` or a single position, without parentheses.
pub(crate) fn def_interval(
    pos: NucPosParser,
) -> impl Fn(&str) -> Res<'_, Interval<NucleotidePosition>> {
    move |i| {
        verify(
            map(pair(pos, opt(preceded(char('_'), pos))), |(s, e)| {
                Interval {
                    start: Bound::Exact(s),
                    end: e.map(Bound::Exact),
                    uncertain: false,
                }
            }),
            nucleotide_interval_is_ordered,
        )
        .parse(i)
    }
}

/// Intervals with at least one uncertain end: `(1_10)_(21_30)`, `?_(21_30)`.
pub(crate) fn uncertain_interval(
    pos: NucPosParser,
) -> impl Fn(&str) -> Res<'_, Interval<NucleotidePosition>> {
    move |i| {
        verify(
            map(
                separated_pair(bound(pos), char('_'), bound(pos)),
                |(s, e)| Interval {
                    start: s,
                    end: Some(e),
                    uncertain: false,
                },
            ),
            nucleotide_interval_is_ordered,
        )
        .parse(i)
    }
}

/// Any nucleotide interval: `1_10`, `(1_10)`, `(4_6)_246`, `5`.
pub(crate) fn interval(
    pos: NucPosParser,
) -> impl Fn(&str) -> Res<'_, Interval<NucleotidePosition>> {
    move |i| {
        alt((
            uncertain_interval(pos),
            map(
                delimited(char('('), def_interval(pos), char(')')),
                |interval| Interval {
                    uncertain: true,
                    ..interval
                },
            ),
            def_interval(pos),
        ))
        .parse(i)
    }
}

// ------------------------------------------------------- amino acids

pub(crate) fn aa3(i: &str) -> Res<'_, u8> {
    map_opt(take(3usize), |s: &str| {
        one_letter(s).filter(|&one| one != STOP)
    })
    .parse(i)
}

pub(crate) fn aa1(i: &str) -> Res<'_, u8> {
    map(
        satisfy(|c| c.is_ascii_uppercase() && is_amino_acid(c as u8)),
        |c| c as u8,
    )
    .parse(i)
}

pub(crate) fn aa13(i: &str) -> Res<'_, u8> {
    alt((aa3, aa1)).parse(i)
}

pub(crate) fn aat3(i: &str) -> Res<'_, u8> {
    alt((aa3, value(STOP, tag("Ter")))).parse(i)
}

pub(crate) fn aat1(i: &str) -> Res<'_, u8> {
    alt((aa1, value(STOP, char('*')))).parse(i)
}

pub(crate) fn aat13(i: &str) -> Res<'_, u8> {
    alt((aat3, aat1)).parse(i)
}

/// A stop codon: `Ter`, `*`, or the legacy `X`.
pub(crate) fn term13(i: &str) -> Res<'_, u8> {
    value(STOP, alt((tag("Ter"), tag("*"), tag("X")))).parse(i)
}

pub(crate) fn aa3_seq(i: &str) -> Res<'_, Vec<u8>> {
    many1(aa3).parse(i)
}

pub(crate) fn aa1_seq(i: &str) -> Res<'_, Vec<u8>> {
    many1(aa1).parse(i)
}

pub(crate) fn aa13_seq(i: &str) -> Res<'_, Vec<u8>> {
    alt((aa3_seq, aa1_seq)).parse(i)
}

fn with_stop((mut residues, stop): (Vec<u8>, Option<u8>)) -> Vec<u8> {
    residues.extend(stop);
    residues
}

/// Amino acids optionally ending in a stop, or a lone stop (`GlyTer`, `Ter`).
pub(crate) fn aat3_seq(i: &str) -> Res<'_, Vec<u8>> {
    alt((
        map(pair(aa3_seq, opt(value(STOP, tag("Ter")))), with_stop),
        value(vec![STOP], tag("Ter")),
    ))
    .parse(i)
}

pub(crate) fn aat1_seq(i: &str) -> Res<'_, Vec<u8>> {
    alt((
        map(pair(aa1_seq, opt(value(STOP, char('*')))), with_stop),
        value(vec![STOP], char('*')),
    ))
    .parse(i)
}

pub(crate) fn aat13_seq(i: &str) -> Res<'_, Vec<u8>> {
    alt((aat3_seq, aat1_seq)).parse(i)
}

// ------------------------------------------------------- protein edits

/// The distance to a new stop: a number, `?`, or nothing.
pub(crate) fn fsext_offset(i: &str) -> Res<'_, StopDistance> {
    map(
        opt(alt((
            map(num_u32, StopDistance::Known),
            value(StopDistance::Unknown, char('?')),
        ))),
        |d| d.unwrap_or(StopDistance::Unspecified),
    )
    .parse(i)
}

pub(crate) fn aa13_fs(i: &str) -> Res<'_, StopDistance> {
    preceded(term13, fsext_offset).parse(i)
}

pub(crate) fn fs(i: &str) -> Res<'_, StopDistance> {
    map(preceded(tag("fs"), opt(aa13_fs)), |d| {
        d.unwrap_or(StopDistance::Unspecified)
    })
    .parse(i)
}

pub(crate) fn aa13_ext(i: &str) -> Res<'_, Extension> {
    alt((
        map(aa13_fs, Extension::CTerminal),
        map(pair(opt(aa13), preceded(char('-'), nonzero)), |(aa, n)| {
            Extension::NTerminal {
                new_start: aa,
                offset: -n,
            }
        }),
    ))
    .parse(i)
}

pub(crate) fn ext(i: &str) -> Res<'_, Extension> {
    map(preceded(tag("ext"), opt(aa13_ext)), |e| {
        e.unwrap_or(Extension::Unspecified)
    })
    .parse(i)
}

pub(crate) fn pro_fs(i: &str) -> Res<'_, ProteinEdit> {
    map(pair(opt(aat13), fs), |(alternative, stop)| {
        ProteinEdit::Frameshift { alternative, stop }
    })
    .parse(i)
}

pub(crate) fn pro_ext(i: &str) -> Res<'_, ProteinEdit> {
    map(pair(opt(aat13), ext), |(alternative, extension)| {
        ProteinEdit::Extension {
            alternative,
            extension,
        }
    })
    .parse(i)
}

pub(crate) fn pro_subst(i: &str) -> Res<'_, ProteinEdit> {
    alt((
        map(aat13, |alternative| ProteinEdit::Substitution {
            alternative,
        }),
        value(ProteinEdit::Unknown, char('?')),
    ))
    .parse(i)
}

pub(crate) fn pro_delins(i: &str) -> Res<'_, ProteinEdit> {
    map(preceded(tag("delins"), aat13_seq), |inserted| {
        ProteinEdit::DelIns { inserted }
    })
    .parse(i)
}

pub(crate) fn pro_ins(i: &str) -> Res<'_, ProteinEdit> {
    map(preceded(tag("ins"), aat13_seq), |inserted| {
        ProteinEdit::Insertion { inserted }
    })
    .parse(i)
}

pub(crate) fn pro_del(i: &str) -> Res<'_, ProteinEdit> {
    value(ProteinEdit::Deletion, tag("del")).parse(i)
}

pub(crate) fn pro_dup(i: &str) -> Res<'_, ProteinEdit> {
    value(ProteinEdit::Duplication, tag("dup")).parse(i)
}

pub(crate) fn pro_ident(i: &str) -> Res<'_, ProteinEdit> {
    value(ProteinEdit::Identity, char('=')).parse(i)
}

pub(crate) fn pro_edit(i: &str) -> Res<'_, ProteinEdit> {
    alt((
        pro_fs, pro_ext, pro_subst, pro_delins, pro_ins, pro_del, pro_dup, pro_ident,
    ))
    .parse(i)
}

pub(crate) fn pro_edit_mu(i: &str) -> Res<'_, ProteinEdit> {
    alt((delimited(char('('), pro_edit, char(')')), pro_edit)).parse(i)
}

// --------------------------------------------------- protein positions

/// `Val600`, `V600`, `Ter757`, `*757`.
pub(crate) fn p_pos(i: &str) -> Res<'_, ProteinPosition> {
    map(
        pair(
            verify(alt((aat3, aat1)), |r| is_position_residue(*r)),
            verify(num_u32, |n| *n > 0),
        ),
        |(residue, number)| ProteinPosition { residue, number },
    )
    .parse(i)
}

pub(crate) fn def_p_interval(i: &str) -> Res<'_, Interval<ProteinPosition>> {
    verify(
        map(pair(p_pos, opt(preceded(char('_'), p_pos))), |(s, e)| {
            Interval {
                start: Bound::Exact(s),
                end: e.map(Bound::Exact),
                uncertain: false,
            }
        }),
        |interval| match (&interval.start, &interval.end) {
            (Bound::Exact(s), Some(Bound::Exact(e))) => s.number < e.number,
            _ => true,
        },
    )
    .parse(i)
}

pub(crate) fn p_interval(i: &str) -> Res<'_, Interval<ProteinPosition>> {
    alt((
        map(
            delimited(char('('), def_p_interval, char(')')),
            |interval| Interval {
                uncertain: true,
                ..interval
            },
        ),
        def_p_interval,
    ))
    .parse(i)
}

// ------------------------------------------------------------ posedits

pub(crate) fn na_posedit(sequence_type: SequenceType) -> impl Fn(&str) -> Res<'_, PosEdit> {
    move |i| {
        let pos = position_parser(sequence_type);
        if sequence_type == SequenceType::Rna {
            // Only r. descriptions may be predicted as a whole: `r.(76a>c)`.
            alt((
                map(
                    delimited(
                        char('('),
                        pair(interval(pos), |i| RNA_EDITS.edit(i)),
                        char(')'),
                    ),
                    |(location, edit)| PosEdit::Nucleotide {
                        location,
                        edit,
                        edit_uncertain: false,
                        predicted: true,
                    },
                ),
                map(
                    pair(interval(pos), |i| RNA_EDITS.edit_mu(i)),
                    |(location, (edit, edit_uncertain))| PosEdit::Nucleotide {
                        location,
                        edit,
                        edit_uncertain,
                        predicted: false,
                    },
                ),
            ))
            .parse(i)
        } else {
            map(
                pair(interval(pos), |i| DNA_EDITS.edit_mu(i)),
                |(location, (edit, edit_uncertain))| PosEdit::Nucleotide {
                    location,
                    edit,
                    edit_uncertain,
                    predicted: false,
                },
            )
            .parse(i)
        }
    }
}

pub(crate) fn p_posedit_special(i: &str) -> Res<'_, PosEdit> {
    map(
        alt((
            value(WholeProtein::NoChangePredicted, tag("(=)")),
            value(WholeProtein::NoChange, tag("=")),
            value(WholeProtein::NoProteinUncertain, tag("0?")),
            value(WholeProtein::NoProtein, tag("0")),
            value(WholeProtein::Unknown, tag("?")),
        )),
        PosEdit::ProteinWhole,
    )
    .parse(i)
}

pub(crate) fn p_posedit(i: &str) -> Res<'_, PosEdit> {
    alt((
        map(
            delimited(char('('), pair(p_interval, pro_edit), char(')')),
            |(location, edit)| PosEdit::Protein {
                location,
                edit,
                predicted: true,
            },
        ),
        map(pair(p_interval, pro_edit), |(location, edit)| {
            PosEdit::Protein {
                location,
                edit,
                predicted: false,
            }
        }),
        p_posedit_special,
    ))
    .parse(i)
}

pub(crate) fn posedit(sequence_type: SequenceType) -> impl Fn(&str) -> Res<'_, PosEdit> {
    move |i| match sequence_type {
        SequenceType::Protein => p_posedit(i),
        other => na_posedit(other)(i),
    }
}

fn sequence_type(i: &str) -> Res<'_, SequenceType> {
    map_opt(one_of("gmcnrp"), SequenceType::from_letter).parse(i)
}

/// `c.76A>T`: a type prefix and a posedit of that type.
pub(crate) fn typed_posedit(i: &str) -> Res<'_, (SequenceType, PosEdit)> {
    let (i, t) = sequence_type(i)?;
    let (i, _) = char('.')(i)?;
    let (i, p) = posedit(t)(i)?;
    Ok((i, (t, p)))
}

/// A whole variant whose reference name is parsed by `reference`.
fn variant_with<'a>(
    reference: fn(&str) -> Res<'_, &str>,
) -> impl Fn(&'a str) -> Res<'a, HgvsVariant> {
    move |i| {
        let (i, accession) = reference(i)?;
        let (i, gene) = opt(paren_gene).parse(i)?;
        let (i, _) = char(':')(i)?;
        let (i, (sequence_type, posedit)) = typed_posedit(i)?;
        Ok((
            i,
            HgvsVariant {
                accession: accession.to_string(),
                gene: gene.map(str::to_string),
                sequence_type,
                posedit,
            },
        ))
    }
}

pub(crate) fn hgvs_variant(i: &str) -> Res<'_, HgvsVariant> {
    variant_with(accession)(i)
}

pub(crate) fn hgvs_variant_any_reference(i: &str) -> Res<'_, HgvsVariant> {
    variant_with(contig_name)(i)
}

/// `NM_004006.1:c.15_355`: a reference and a location, no edit.
pub(crate) fn hgvs_position(i: &str) -> Res<'_, HgvsPosition> {
    let (i, accession) = accession(i)?;
    let (i, gene) = opt(paren_gene).parse(i)?;
    let (i, _) = char(':')(i)?;
    let (i, sequence_type) = sequence_type(i)?;
    let (i, _) = char('.')(i)?;
    let (i, location) = match sequence_type {
        SequenceType::Protein => map(p_interval, Location::Protein).parse(i)?,
        t => map(interval(position_parser(t)), Location::Nucleotide).parse(i)?,
    };
    Ok((
        i,
        HgvsPosition {
            accession: accession.to_string(),
            gene: gene.map(str::to_string),
            sequence_type,
            location,
        },
    ))
}

/// Runs `parser` over the whole of `input`.
pub(crate) fn complete<'a, T>(
    parser: impl Parser<&'a str, Output = T, Error = nom::error::Error<&'a str>>,
    input: &'a str,
) -> Option<T> {
    all_consuming(parser).parse(input).ok().map(|(_, t)| t)
}

/// Exactly one character of `alphabet`, for the rules that name a single
/// symbol (`dna`, `pm`, `term1`).
pub(crate) fn one_symbol<'a>(alphabet: &'static str, input: &'a str) -> Option<&'a str> {
    complete(take_while_m_n(1, 1, |c| alphabet.contains(c)), input)
}
