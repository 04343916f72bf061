//! Entry points by biocommons grammar rule name, so the biocommons grammar
//! test table (`grammar_test.tsv`: rule, input, valid?, expected output)
//! can be run against this parser rule for rule.

use super::HgvsError;
use super::grammar::*;
use super::model::{ProteinEdit, SequenceType};
use super::residues::{three_letter, to_three_letter};
use nom::{bytes::complete::tag, combinator::opt};

/// Splits `c_interval` / `def_c_pos` / `uncertain_c_interval` into the
/// sequence type and the rest of the rule name (`interval`, `def_pos`, ...).
fn typed_rule(rule: &str) -> Option<(SequenceType, String)> {
    let (prefix, rest) = ["def_", "uncertain_"]
        .iter()
        .find_map(|p| rule.strip_prefix(p).map(|r| (*p, r)))
        .unwrap_or(("", rule));
    let mut chars = rest.chars();
    let letter = chars.next()?;
    let name = chars.as_str().strip_prefix('_')?;
    let sequence_type = SequenceType::from_letter(letter)?;
    Some((sequence_type, format!("{prefix}{name}")))
}

fn residue3(r: u8) -> String {
    three_letter(r).unwrap_or("Xaa").to_string()
}

/// Parses `input` as the whole of biocommons grammar rule `rule` and returns
/// its canonical text (HGVS fragments are formatted as
/// [`HgvsVariant`](super::HgvsVariant)'s `Display` does; numbers as numbers;
/// residues in three-letter code; gene rules give the bare symbol).
///
/// `Err(HgvsError::UnknownRule)` for rules this parser has no entry point for.
pub fn parse_rule(rule: &str, input: &str) -> Result<String, HgvsError> {
    let output = parse_known_rule(rule, input).ok_or_else(|| HgvsError::UnknownRule {
        rule: rule.to_string(),
    })?;
    output.ok_or_else(|| HgvsError::InvalidForRule {
        rule: rule.to_string(),
        input: input.to_string(),
    })
}

/// `None`: unknown rule; `Some(None)`: input rejected.
fn parse_known_rule(rule: &str, input: &str) -> Option<Option<String>> {
    let i = input;
    let text = |s: &str| s.to_string();
    Some(match rule {
        "accn" => complete(accession, i).map(text),
        "gene_symbol" => complete(gene_symbol, i).map(text),
        "paren_gene" => complete(paren_gene, i).map(text),
        "opt_gene_expr" => complete(opt(paren_gene), i).map(|g| g.unwrap_or("").to_string()),
        // Basic types.
        "num" => complete(num, i).map(|n| n.to_string()),
        "snum" | "base" => complete(snum, i).map(|n| n.to_string()),
        "nnum" => complete(nnum, i).map(|n| n.to_string()),
        "offset" => complete(opt(snum), i).map(|n| n.unwrap_or(0).to_string()),
        "pm" => one_symbol("+-", i).map(text),
        "dna" | "dna_iupac" => one_symbol(DNA, i).map(text),
        "rna" | "rna_iupac" => one_symbol(RNA, i).map(text),
        "na_iupac" => one_symbol(NA, i).map(text),
        "dna_seq" => complete(na_seq(DNA), i).map(text),
        "rna_seq" => complete(na_seq(RNA), i).map(text),
        "aa1" => complete(aa1, i).map(residue3),
        "aa3" => complete(aa3, i).map(residue3),
        "aa13" => complete(aa13, i).map(residue3),
        "aat1" => complete(aat1, i).map(residue3),
        "aat3" => complete(aat3, i).map(residue3),
        "aat13" => complete(aat13, i).map(residue3),
        "term1" => one_symbol("X*", i).map(|_| residue3(b'*')),
        "term3" => complete(tag("Ter"), i).map(text),
        "term13" => complete(term13, i).map(residue3),
        "aa1_seq" => complete(aa1_seq, i).map(|s| to_three_letter(&s)),
        "aa3_seq" => complete(aa3_seq, i).map(|s| to_three_letter(&s)),
        "aa13_seq" => complete(aa13_seq, i).map(|s| to_three_letter(&s)),
        "aat1_seq" => complete(aat1_seq, i).map(|s| to_three_letter(&s)),
        "aat3_seq" => complete(aat3_seq, i).map(|s| to_three_letter(&s)),
        "aat13_seq" => complete(aat13_seq, i).map(|s| to_three_letter(&s)),
        "fsext_offset" => complete(fsext_offset, i).map(|d| d.to_string()),
        "aa13_fs" => complete(aa13_fs, i).map(|d| format!("Ter{d}")),
        "fs" => complete(fs, i).map(|stop| {
            ProteinEdit::Frameshift {
                alternative: None,
                stop,
            }
            .to_string()
        }),
        "ext" => complete(ext, i).map(|extension| {
            ProteinEdit::Extension {
                alternative: None,
                extension,
            }
            .to_string()
        }),
        "aa13_ext" => complete(aa13_ext, i).map(|extension| {
            let edit = ProteinEdit::Extension {
                alternative: None,
                extension,
            };
            edit.to_string().trim_start_matches("ext").to_string()
        }),
        // Edits.
        "dna_ident" => complete(|i| DNA_EDITS.ident(i), i).map(|e| e.to_string()),
        "dna_subst" => complete(|i| DNA_EDITS.subst(i), i).map(|e| e.to_string()),
        "dna_delins" => complete(|i| DNA_EDITS.delins(i), i).map(|e| e.to_string()),
        "dna_ins" => complete(|i| DNA_EDITS.ins(i), i).map(|e| e.to_string()),
        "dna_del" => complete(|i| DNA_EDITS.del(i), i).map(|e| e.to_string()),
        "dna_dup" => complete(|i| DNA_EDITS.dup(i), i).map(|e| e.to_string()),
        "dna_inv" => complete(|i| DNA_EDITS.inv(i), i).map(|e| e.to_string()),
        "dna_con" => complete(|i| DNA_EDITS.con(i), i).map(|e| e.to_string()),
        "dna_copy" => complete(|i| DNA_EDITS.copy(i), i).map(|e| e.to_string()),
        "dna_edit" => complete(|i| DNA_EDITS.edit(i), i).map(|e| e.to_string()),
        "dna_edit_mu" => complete(|i| DNA_EDITS.edit_mu(i), i).map(mu),
        "rna_ident" => complete(|i| RNA_EDITS.ident(i), i).map(|e| e.to_string()),
        "rna_subst" => complete(|i| RNA_EDITS.subst(i), i).map(|e| e.to_string()),
        "rna_delins" => complete(|i| RNA_EDITS.delins(i), i).map(|e| e.to_string()),
        "rna_ins" => complete(|i| RNA_EDITS.ins(i), i).map(|e| e.to_string()),
        "rna_del" => complete(|i| RNA_EDITS.del(i), i).map(|e| e.to_string()),
        "rna_dup" => complete(|i| RNA_EDITS.dup(i), i).map(|e| e.to_string()),
        "rna_inv" => complete(|i| RNA_EDITS.inv(i), i).map(|e| e.to_string()),
        "rna_con" => complete(|i| RNA_EDITS.con(i), i).map(|e| e.to_string()),
        "rna_edit" => complete(|i| RNA_EDITS.edit(i), i).map(|e| e.to_string()),
        "rna_edit_mu" => complete(|i| RNA_EDITS.edit_mu(i), i).map(mu),
        "pro_subst" => complete(pro_subst, i).map(|e| e.to_string()),
        "pro_delins" => complete(pro_delins, i).map(|e| e.to_string()),
        "pro_ins" => complete(pro_ins, i).map(|e| e.to_string()),
        "pro_del" => complete(pro_del, i).map(|e| e.to_string()),
        "pro_dup" => complete(pro_dup, i).map(|e| e.to_string()),
        "pro_ident" => complete(pro_ident, i).map(|e| e.to_string()),
        "pro_fs" => complete(pro_fs, i).map(|e| e.to_string()),
        "pro_ext" => complete(pro_ext, i).map(|e| e.to_string()),
        "pro_edit" => complete(pro_edit, i).map(|e| e.to_string()),
        "pro_edit_mu" => complete(pro_edit_mu, i).map(|e| e.to_string()),
        "p_posedit_special" => complete(p_posedit_special, i).map(|p| p.to_string()),
        "hgvs_variant" => complete(hgvs_variant, i).map(|v| v.to_string()),
        "hgvs_position" => complete(hgvs_position, i).map(|p| p.to_string()),
        other => return parse_typed_rule(other, input),
    })
}

fn mu((edit, uncertain): (super::model::NaEdit, bool)) -> String {
    if uncertain {
        format!("({edit})")
    } else {
        edit.to_string()
    }
}

/// Rules named after a sequence type: `c_pos`, `def_g_interval`,
/// `uncertain_n_interval`, `r_posedit`, `p_typed_posedit`, `m_variant`, ...
fn parse_typed_rule(rule: &str, i: &str) -> Option<Option<String>> {
    let (t, name) = typed_rule(rule)?;
    let protein = t == SequenceType::Protein;
    let pos = position_parser(t);
    Some(match name.as_str() {
        "pos" | "def_pos" if protein => complete(p_pos, i).map(|p| p.to_string()),
        "pos" | "def_pos" => complete(pos, i).map(|p| p.to_string()),
        "def_interval" if protein => complete(def_p_interval, i).map(|p| p.to_string()),
        "interval" if protein => complete(p_interval, i).map(|p| p.to_string()),
        "def_interval" => complete(def_interval(pos), i).map(|p| p.to_string()),
        "uncertain_interval" if !protein => {
            complete(uncertain_interval(pos), i).map(|p| p.to_string())
        }
        "interval" => complete(interval(pos), i).map(|p| p.to_string()),
        "posedit" => complete(posedit(t), i).map(|p| p.to_string()),
        "typed_posedit" => complete(typed_posedit, i)
            .filter(|(parsed, _)| *parsed == t)
            .map(|(parsed, p)| format!("{}.{p}", parsed.letter())),
        "hgvs_position" => complete(hgvs_position, i)
            .filter(|p| p.sequence_type == t)
            .map(|p| p.to_string()),
        "variant" => complete(hgvs_variant, i)
            .filter(|v| v.sequence_type == t)
            .map(|v| v.to_string()),
        _ => return None,
    })
}
