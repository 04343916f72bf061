//! HGVS notation (g., c., n., p.) for an allele on a transcript, as Ensembl
//! VEP writes it with `--hgvs --hgvsg --shift_hgvs 1`: insertions and
//! deletions are shifted 3' (in transcript orientation for c./n./p., on the
//! forward strand for g.) before they are described, an insertion that
//! repeats the preceding bases is a `dup`, and protein changes follow the
//! HGVS 3' rule for repeated residues.

use variant_model::protein::{STOP, reverse_complement, three_letter};

use crate::consequence::transcript_seq::{TranscriptSeq, TxPos};
use crate::consequence::variant::Variant;
use crate::reference::ContigSequence;

/// Moves an insertion or deletion as far as it goes in one direction
/// through repeated sequence, staying within `lo..=hi`. Returns the moved
/// variant and the number of bases it moved. Substitutions are returned
/// unchanged.
pub fn shift_indel(
    contig: &ContigSequence,
    v: &Variant,
    toward_higher: bool,
    lo: u64,
    hi: u64,
) -> (Variant, u64) {
    let base = |p: u64| contig.slice(p, p).map(|s| s[0]);
    let mut out = v.clone();
    let mut moved = 0;
    if v.is_deletion() {
        if toward_higher {
            while out.end < hi
                && base(out.end + 1).is_some()
                && base(out.end + 1) == base(out.start)
            {
                out.start += 1;
                out.end += 1;
                moved += 1;
            }
        } else {
            while out.start > lo.max(1) && base(out.start - 1) == base(out.end) {
                out.start -= 1;
                out.end -= 1;
                moved += 1;
            }
        }
        if moved > 0 {
            out.ref_bases = contig
                .slice(out.start, out.end)
                .map(<[u8]>::to_vec)
                .unwrap_or(out.ref_bases);
        }
    } else if v.is_insertion() {
        // The insertion lies between `end` and `start`.
        if toward_higher {
            while out.start <= hi && base(out.start) == Some(out.alt_bases[0]) {
                out.alt_bases.rotate_left(1);
                out.start += 1;
                out.end += 1;
                moved += 1;
            }
        } else {
            while out.end >= lo.max(1) && base(out.end) == out.alt_bases.last().copied() {
                out.alt_bases.rotate_right(1);
                out.start -= 1;
                out.end -= 1;
                moved += 1;
            }
        }
    }
    (out, moved)
}

/// `CHROM:g.` notation, shifted 3' on the forward strand.
pub fn hgvs_genomic(chrom: &str, contig: &ContigSequence, v: &Variant) -> String {
    if v.is_snv() {
        // Most alleles: what the general path below gives a SNV (which
        // does not shift), without its intermediate strings.
        let (r, a) = (v.ref_bases[0] as char, v.alt_bases[0] as char);
        return format!("{chrom}:g.{}{r}>{a}", v.start);
    }
    hgvs_genomic_shifted(chrom, contig, v)
}

/// [`hgvs_genomic`] by the general path: shift 3', then describe.
fn hgvs_genomic_shifted(chrom: &str, contig: &ContigSequence, v: &Variant) -> String {
    let (v, _) = shift_indel(contig, v, true, 1, contig.len());
    let pos = |p: u64| Some(p.to_string());
    let before = |v: &Variant, len: u64| {
        (v.start > len)
            .then(|| contig.slice(v.start - len, v.start - 1).map(<[u8]>::to_vec))
            .flatten()
    };
    let body = describe(&v, true, pos, before).unwrap_or_default();
    format!("{chrom}:g.{body}")
}

/// A transcript position as HGVS writes it: `123`, `-45`, `*18`, `123+5`,
/// `-45+3`; `None` outside the transcript.
pub fn transcript_position(ts: &TranscriptSeq, pos: TxPos) -> Option<String> {
    let cdna_text = |cdna: u64| match &ts.coding {
        Some(c) if cdna < c.cds_start => format!("-{}", c.cds_start - cdna),
        Some(c) if cdna > c.cds_end => format!("*{}", cdna - c.cds_end),
        Some(c) => (cdna - c.cds_start + 1 + c.pad).to_string(),
        None => cdna.to_string(),
    };
    match pos {
        TxPos::Exon { cdna, .. } => Some(cdna_text(cdna)),
        TxPos::Intron { anchor, offset, .. } => Some(format!(
            "{}{}{}",
            cdna_text(anchor),
            if offset > 0 { "+" } else { "-" },
            offset.unsigned_abs()
        )),
        TxPos::Upstream(_) | TxPos::Downstream(_) => None,
    }
}

/// `c.`/`n.` notation (without the `ID:` prefix) and the number of bases
/// the allele was shifted 3' to describe it.
pub fn hgvs_transcript(ts: &TranscriptSeq, v: &Variant) -> Option<(String, u64)> {
    let forward = ts.is_forward();
    let (v, moved) = shift_indel(&ts.contig, v, forward, ts.tr.start, ts.tr.end);
    let pos = |p: u64| transcript_position(ts, ts.map(p));
    // Bases 5' of an insertion point in transcript orientation.
    let before = |v: &Variant, len: u64| -> Option<Vec<u8>> {
        if forward {
            (v.start > len).then(|| ts.genomic(v.start - len, v.start - 1))
        } else {
            Some(reverse_complement(&ts.genomic(v.start, v.start + len - 1)))
        }
    };
    let body = describe(&v, forward, pos, before)?;
    let kind = if ts.coding.is_some() { "c" } else { "n" };
    Some((format!("{kind}.{body}"), moved))
}

/// Describes a (shifted) allele: `A>G`, `del`, `dup`, `ins`, `delins`.
/// `before(v, len)` returns the `len` bases 5' of an insertion point (in the
/// described orientation) for duplication checks.
fn describe(
    v: &Variant,
    forward: bool,
    pos: impl Fn(u64) -> Option<String>,
    before: impl Fn(&Variant, u64) -> Option<Vec<u8>>,
) -> Option<String> {
    let orient = |s: &[u8]| {
        if forward {
            s.to_vec()
        } else {
            reverse_complement(s)
        }
    };
    // Genomic range in described order (5' first).
    let range = |a: u64, b: u64| -> Option<String> {
        let (first, last) = if forward { (a, b) } else { (b, a) };
        if first == last {
            pos(first)
        } else {
            Some(format!("{}_{}", pos(first)?, pos(last)?))
        }
    };
    let alt = String::from_utf8_lossy(&orient(&v.alt_bases)).into_owned();
    if v.is_insertion() {
        let inserted = orient(&v.alt_bases);
        let len = inserted.len() as u64;
        // The base 5' of the insertion in described orientation.
        let (five, three) = if forward {
            (v.end, v.start)
        } else {
            (v.start, v.end)
        };
        if before(v, len).as_deref() == Some(inserted.as_slice()) {
            let (a, b) = if forward {
                (v.start - len, v.start - 1)
            } else {
                (v.end + 1, v.end + len)
            };
            // A duplicated stretch running off the transcript cannot be
            // numbered: describe the insertion instead.
            if let Some(r) = range(a, b) {
                return Some(format!("{r}dup"));
            }
        }
        return Some(format!("{}_{}ins{alt}", pos(five)?, pos(three)?));
    }
    if v.is_deletion() {
        return Some(format!("{}del", range(v.start, v.end)?));
    }
    if v.is_snv() {
        let r = orient(&v.ref_bases);
        return Some(format!("{}{}>{alt}", pos(v.start)?, r[0] as char));
    }
    Some(format!("{}delins{alt}", range(v.start, v.end)?))
}

/// Everything protein-level HGVS needs about an in-CDS allele.
pub struct CodingChange<'a> {
    pub ts: &'a TranscriptSeq,
    /// CDS positions (1-based, with padding) of the first and last replaced
    /// base in transcript orientation; for an insertion `last = first - 1`.
    pub first: u64,
    pub last: u64,
    /// Inserted bases in transcript orientation.
    pub alt: Vec<u8>,
}

/// `p.` notation (without the `ID:` prefix) for an allele wholly inside
/// the CDS.
pub fn hgvs_protein(change: &CodingChange) -> Option<String> {
    let coding = change.ts.coding.as_ref()?;
    let code = coding.code;
    let ref_protein = change.ts.protein_to_stop()?;
    let (first, last) = (change.first as usize, change.last as usize);
    // The allele starts at codon `codon0` (0-based).
    let codon0 = if first > last {
        // Insertion between `last` and `first`.
        last.saturating_sub(1) / 3
    } else {
        (first - 1) / 3
    };
    if codon0 >= ref_protein.len() {
        return None;
    }
    // Alternative coding sequence from codon0 on. It is translated up to
    // its first stop; only when the CDS ends without one (lost stop,
    // frameshift) does translation continue into the 3' UTR.
    let utr = &change.ts.cdna[coding.cds_end as usize..];
    let mut alt_seq = Vec::with_capacity(coding.cds.len() + utr.len());
    alt_seq.extend_from_slice(&coding.cds[codon0 * 3..first - 1]);
    alt_seq.extend_from_slice(&change.alt);
    alt_seq.extend_from_slice(&coding.cds[last.min(coding.cds.len())..]);
    let cds_part = alt_seq.len();
    let ref_has_stop = ref_protein.last() == Some(&STOP);
    let mut alt_protein = Vec::new();
    let mut stopped = false;
    let length_change = change.alt.len() as i64 - (last as i64 - first as i64 + 1);
    // In frame and away from the stop codon, the protein after the touched
    // codons is the reference one: translate only those codons.
    let last_codon = if first > last { codon0 } else { (last - 1) / 3 };
    let region_end = (last_codon + 1) * 3;
    let local = length_change % 3 == 0
        && region_end <= coding.cds.len()
        && last_codon + 1 < ref_protein.len()
        && !ref_protein[codon0..=last_codon].contains(&STOP);
    let alt_seq = if local {
        let region_len = (region_end - codon0 * 3) as i64 + length_change;
        for codon in alt_seq[..region_len as usize].chunks_exact(3) {
            let aa = code.translate_codon(codon);
            alt_protein.push(aa);
            if aa == STOP {
                stopped = true;
                break;
            }
        }
        if !stopped {
            alt_protein.extend_from_slice(&ref_protein[last_codon + 1..]);
            stopped = true;
        }
        &alt_seq[..0]
    } else {
        &alt_seq[..]
    };
    for codon in alt_seq.chunks_exact(3) {
        let aa = code.translate_codon(codon);
        alt_protein.push(aa);
        if aa == STOP {
            stopped = true;
            break;
        }
    }
    if !stopped && ref_has_stop {
        // Continue in frame through the 3' UTR.
        let done = alt_protein.len() * 3;
        let mut rest = alt_seq[done..cds_part].to_vec();
        rest.extend_from_slice(utr);
        for codon in rest.chunks_exact(3) {
            let aa = code.translate_codon(codon);
            alt_protein.push(aa);
            if aa == STOP {
                break;
            }
        }
    }
    let ref_tail = &ref_protein[codon0..];
    let shift = codon0 + 1; // protein position of ref_tail[0]
    if codon0 == 0
        && !change.ts.tr.cds_start_nf
        && ref_tail.first() == Some(&b'M')
        && alt_protein.first() != Some(&b'M')
    {
        return Some("p.Met1?".into());
    }
    let aa = |a: u8| three_letter(a);
    let prefix = ref_tail
        .iter()
        .zip(&alt_protein)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == ref_tail.len() && prefix == alt_protein.len() {
        // Identical protein (synonymous or retained stop).
        let at = if first > last {
            codon0
        } else {
            (first - 1) / 3
        };
        let r = ref_protein.get(at)?;
        return Some(format!("p.{}{}=", aa(*r), at + 1));
    }
    if prefix == ref_tail.len() {
        // The reference ended (no stop codon, incomplete CDS) before any
        // difference: nothing to describe at the protein level.
        return None;
    }
    let p = prefix + shift; // protein position of the first changed residue
    let r0 = ref_tail[prefix];
    if length_change % 3 != 0 {
        let Some(&a0) = alt_protein.get(prefix) else {
            return Some(format!("p.{}{}fs", aa(r0), p));
        };
        if a0 == STOP {
            return Some(format!("p.{}{}Ter", aa(r0), p));
        }
        let ter = match alt_protein[prefix..].iter().position(|&x| x == STOP) {
            Some(i) => (i + 1).to_string(),
            None => "?".to_string(),
        };
        return Some(format!("p.{}{}{}fsTer{}", aa(r0), p, aa(a0), ter));
    }
    if r0 == STOP {
        // Stop lost: extension to the next stop in frame, if any.
        let a0 = *alt_protein.get(prefix)?;
        let ter = match alt_protein[prefix + 1..].iter().position(|&x| x == STOP) {
            Some(i) => (i + 1).to_string(),
            None => "?".to_string(),
        };
        return Some(format!("p.Ter{}{}extTer{}", p, aa(a0), ter));
    }
    // In-frame change: trim the shared suffix. Compare the reference tail
    // with the alternative protein, both up to their stop.
    let r_rest = &ref_tail[prefix..];
    let a_rest = &alt_protein[prefix..];
    let delta = length_change / 3;
    let ref_stop = r_rest.iter().position(|&x| x == STOP);
    let new_stop = a_rest
        .iter()
        .position(|&x| x == STOP)
        .filter(|&j| ref_stop.is_none_or(|k| j as i64 != k as i64 + delta));
    if let Some(j) = new_stop {
        // A new stop ends the protein here: nonsense, or residues replaced
        // up to the new stop.
        if j == 0 {
            return Some(format!("p.{}{}Ter", aa(r0), p));
        }
        if j < r_rest.len() && r_rest[j] != STOP {
            let names = |s: &[u8]| s.iter().map(|&x| aa(x)).collect::<String>();
            let del = &r_rest[..j.max(1)];
            let range = if del.len() == 1 {
                format!("{}{}", aa(del[0]), p)
            } else {
                format!(
                    "{}{}_{}{}",
                    aa(del[0]),
                    p,
                    aa(del[del.len() - 1]),
                    p + del.len() - 1
                )
            };
            return Some(format!("p.{range}delins{}", names(&a_rest[..=j])));
        }
    }
    let mut suffix = 0;
    while suffix < r_rest.len().min(a_rest.len())
        && r_rest[r_rest.len() - 1 - suffix] == a_rest[a_rest.len() - 1 - suffix]
    {
        suffix += 1;
    }
    let del = r_rest[..r_rest.len() - suffix].to_vec();
    let ins = a_rest[..a_rest.len() - suffix].to_vec();
    let start = p; // 1-based protein position of del[0] / insertion point + 1
    let names = |s: &[u8]| s.iter().map(|&x| aa(x)).collect::<String>();
    match (del.len(), ins.len()) {
        (1, 1) => Some(format!("p.{}{}{}", aa(del[0]), start, aa(ins[0]))),
        (_, 0) => {
            // Deletion; 3' rule: shift through repeated residues.
            let mut s = start - 1; // 0-based
            let n = del.len();
            while s + n < ref_protein.len()
                && ref_protein[s + n] == ref_protein[s]
                && ref_protein[s + n] != STOP
            {
                s += 1;
            }
            Some(if n == 1 {
                format!("p.{}{}del", aa(ref_protein[s]), s + 1)
            } else {
                format!(
                    "p.{}{}_{}{}del",
                    aa(ref_protein[s]),
                    s + 1,
                    aa(ref_protein[s + n - 1]),
                    s + n
                )
            })
        }
        (0, _) => {
            // Insertion after 0-based residue `k`.
            let mut k = start.checked_sub(2)?;
            let mut inserted = ins.clone();
            while k + 1 < ref_protein.len()
                && ref_protein[k + 1] == inserted[0]
                && ref_protein[k + 1] != STOP
            {
                inserted.rotate_left(1);
                k += 1;
            }
            let n = inserted.len();
            if k + 1 >= n && ref_protein[k + 1 - n..=k] == inserted[..] {
                let a = k + 1 - n;
                return Some(if n == 1 {
                    format!("p.{}{}dup", aa(ref_protein[a]), a + 1)
                } else {
                    format!(
                        "p.{}{}_{}{}dup",
                        aa(ref_protein[a]),
                        a + 1,
                        aa(ref_protein[k]),
                        k + 1
                    )
                });
            }
            let next = *ref_protein.get(k + 1)?;
            Some(format!(
                "p.{}{}_{}{}ins{}",
                aa(ref_protein[k]),
                k + 1,
                aa(next),
                k + 2,
                names(&inserted)
            ))
        }
        (1, _) => Some(format!("p.{}{}delins{}", aa(del[0]), start, names(&ins))),
        (n, _) => Some(format!(
            "p.{}{}_{}{}delins{}",
            aa(del[0]),
            start,
            aa(del[n - 1]),
            start + n - 1,
            names(&ins)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SNV shortcut writes what the general path writes.
    #[test]
    fn snv_shortcut_equals_the_general_path() {
        let contig = ContigSequence {
            name: "chr1".into(),
            sequence: b"ACGTNACGTTTTACGA".to_vec(),
        };
        for pos in [1, 2, 5, 9, 16] {
            let reference = contig.sequence[pos as usize - 1];
            for alt in *b"ACGTNacgt" {
                let Some(v) = Variant::from_parts(pos, &[reference], &[alt]) else {
                    continue;
                };
                assert!(v.is_snv());
                assert_eq!(
                    hgvs_genomic("chr1", &contig, &v),
                    hgvs_genomic_shifted("chr1", &contig, &v),
                    "{pos} {}",
                    alt as char
                );
            }
        }
        let v = Variant::from_parts(9, b"T", b"C").unwrap();
        assert_eq!(hgvs_genomic("chr1", &contig, &v), "chr1:g.9T>C");
    }
}
