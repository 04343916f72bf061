//! Consequences of one allele on one transcript, with the Sequence Ontology
//! terms, positions, codons and HGVS that Ensembl VEP reports.
//!
//! Definitions follow Ensembl's `VariationEffect.pm`: splice donor/acceptor
//! are the first/last two intron bases; splice region is 1–3 exon bases or
//! 3–8 intron bases from a junction; donor 5th base is intron base +5; donor
//! region is +3..+6; polypyrimidine tract is −3..−17; introns of 12 bases or
//! fewer are treated as frameshift introns (no splice or intron terms).

use variant_model::consequence::{FeatureNumber, PositionRange};
use variant_model::protein::{GeneticCode, STOP, reverse_complement};
use variant_model::{SoTerm, TranscriptConsequence};

use crate::consequence::transcript_seq::{TranscriptSeq, TxPos};
use crate::consequence::variant::Variant;
use crate::hgvs::{CodingChange, hgvs_protein, hgvs_transcript};

/// Upstream/downstream window.
#[derive(Debug, Clone, Copy)]
pub struct Flanks {
    pub upstream: u64,
    pub downstream: u64,
}

/// Which splice-related parts of introns an allele touches.
#[derive(Debug, Default, Clone, Copy)]
struct IntronEffects {
    donor: bool,
    acceptor: bool,
    donor_5th_base: bool,
    donor_region: bool,
    polypyrimidine: bool,
    splice_region: bool,
    intronic: bool,
    /// 1-based intron numbers (transcript order) the allele overlaps.
    first: Option<u32>,
    last: Option<u32>,
}

fn intron_effects(ts: &TranscriptSeq, v: &Variant) -> IntronEffects {
    let forward = ts.is_forward();
    let insertion = v.is_insertion();
    let (vs, ve) = (v.start as i64, v.end as i64);
    let overlap = |s: i64, e: i64| ve >= s && vs <= e;
    let mut fx = IntronEffects::default();
    for (i, (s, e)) in ts.introns().enumerate() {
        let (s, e) = (s as i64, e as i64);
        if overlap(s, e) {
            let n = i as u32 + 1;
            fx.first = Some(fx.first.map_or(n, |f| f.min(n)));
            fx.last = Some(fx.last.map_or(n, |l| l.max(n)));
        }
        // Short introns are usually artefacts that keep a frame; Ensembl
        // gives them no splice or intron consequences.
        if e - s <= 12 {
            continue;
        }
        let start_site = overlap(s, s + 1);
        let end_site = overlap(e - 1, e);
        let (donor, acceptor) = if forward {
            (start_site, end_site)
        } else {
            (end_site, start_site)
        };
        fx.donor |= donor;
        fx.acceptor |= acceptor;
        if overlap(s + 2, e - 2) || (insertion && (vs == s + 2 || ve == e - 2)) {
            fx.intronic = true;
        }
        if forward {
            fx.donor_5th_base |= overlap(s + 4, s + 4);
            fx.donor_region |= overlap(s + 2, s + 5);
            fx.polypyrimidine |= overlap(e - 16, e - 2);
        } else {
            fx.donor_5th_base |= overlap(e - 4, e - 4);
            fx.donor_region |= overlap(e - 5, e - 2);
            fx.polypyrimidine |= overlap(s + 2, s + 16);
        }
        if overlap(s - 3, s - 1)
            || overlap(s + 2, s + 7)
            || overlap(e - 7, e - 2)
            || overlap(e + 1, e + 3)
            || (insertion && (vs == s || ve == e || vs == s + 2 || ve == e - 2))
        {
            fx.splice_region = true;
        }
    }
    fx
}

/// Translates codons; a trailing partial codon becomes `X`.
fn translate_partial(code: GeneticCode, seq: &[u8]) -> Vec<u8> {
    let mut out = code.translate(seq);
    if !seq.len().is_multiple_of(3) {
        out.push(b'X');
    }
    out
}

fn lower(s: &[u8]) -> String {
    String::from_utf8_lossy(&s.to_ascii_lowercase()).into_owned()
}

fn upper(s: &[u8]) -> String {
    String::from_utf8_lossy(&s.to_ascii_uppercase()).into_owned()
}

fn dash_if_empty(s: String) -> String {
    if s.is_empty() { "-".into() } else { s }
}

/// What an allele inside the CDS does to the codons it touches.
struct CodonChange {
    ref_pep: Vec<u8>,
    alt_pep: Vec<u8>,
    ref_codons: Vec<u8>,
    alt_codons: Vec<u8>,
    codons_text: String,
    protein: PositionRange,
    /// The first codon of the alternative CDS, when the allele touches the
    /// start codon.
    new_start_codon: Option<Vec<u8>>,
    touches_start: bool,
}

/// Codon-level view of an allele wholly inside the CDS. `first`/`last` are
/// CDS positions (1-based, with padding); an insertion has
/// `last = first - 1`.
fn codon_change(ts: &TranscriptSeq, first: u64, last: u64, alt: &[u8]) -> Option<CodonChange> {
    let coding = ts.coding.as_ref()?;
    let cds = &coding.cds;
    let len = cds.len();
    let (first, last) = (first as usize, last as usize);
    let (lo, hi, protein) = if first > last {
        // Insertion between `last` and `first`.
        if last % 3 == 0 {
            let k = last / 3;
            (
                last,
                last,
                PositionRange {
                    start: Some(k as u64),
                    end: Some(k as u64 + 1),
                },
            )
        } else {
            let k = (last - 1) / 3;
            (
                k * 3,
                (k * 3 + 3).min(len),
                PositionRange::single(k as u64 + 1),
            )
        }
    } else {
        let k1 = (first - 1) / 3;
        let k2 = (last - 1) / 3;
        (
            k1 * 3,
            (k2 * 3 + 3).min(len),
            PositionRange {
                start: Some(k1 as u64 + 1),
                end: Some(k2 as u64 + 1),
            },
        )
    };
    let ref_codons = cds[lo..hi].to_vec();
    let before = &cds[lo..first - 1];
    let after = &cds[last.min(hi)..hi];
    let mut alt_codons = before.to_vec();
    alt_codons.extend_from_slice(alt);
    alt_codons.extend_from_slice(after);
    let changed_ref = &cds[first - 1..last.max(first - 1)];
    let codons_text = format!(
        "{}/{}",
        dash_if_empty(format!(
            "{}{}{}",
            lower(before),
            upper(changed_ref),
            lower(after)
        )),
        dash_if_empty(format!("{}{}{}", lower(before), upper(alt), lower(after)))
    );
    let touches_start = lo == 0 && !(first > last && last == 0);
    let new_start_codon = touches_start.then(|| {
        let mut s = alt_codons.clone();
        s.extend_from_slice(&cds[hi..(hi + 3).min(len)]);
        s.truncate(3);
        s
    });
    Some(CodonChange {
        ref_pep: translate_partial(coding.code, &ref_codons),
        alt_pep: translate_partial(coding.code, &alt_codons),
        ref_codons,
        alt_codons,
        codons_text,
        protein,
        new_start_codon,
        touches_start,
    })
}

/// Coding consequence terms for an allele wholly inside the CDS.
fn coding_terms(ts: &TranscriptSeq, change: &CodonChange, length_change: i64) -> Vec<SoTerm> {
    let coding = ts.coding.as_ref().expect("coding transcript");
    let mut terms = Vec::new();
    let r = &change.ref_pep;
    let a = &change.alt_pep;
    let ref_stop = r.contains(&STOP);
    let alt_stop = a.contains(&STOP);
    if !change.ref_codons.len().is_multiple_of(3) {
        // The last, incomplete codon of a CDS without a complete end.
        terms.push(SoTerm::IncompleteTerminalCodonVariant);
        terms.push(SoTerm::CodingSequenceVariant);
        return terms;
    }
    if r.contains(&b'X') && length_change % 3 == 0 {
        terms.push(SoTerm::CodingSequenceVariant);
        return terms;
    }
    let start_complete = change.touches_start
        && !ts.tr.cds_start_nf
        && coding.pad == 0
        && coding.protein.first() == Some(&b'M');
    let start_kept = change.new_start_codon.as_ref().is_some_and(|c| {
        coding.code.translate_codon(c) == b'M' || c.as_slice() == &coding.cds[..3]
    });
    if length_change % 3 != 0 {
        terms.push(SoTerm::FrameshiftVariant);
        if alt_stop && !ref_stop {
            terms.push(SoTerm::StopGained);
        }
        if ref_stop && !alt_stop {
            terms.push(SoTerm::StopLost);
        }
        if start_complete && !start_kept {
            terms.push(SoTerm::StartLost);
        }
    } else if length_change != 0 {
        if alt_stop && !ref_stop {
            terms.push(SoTerm::StopGained);
        }
        if ref_stop && !alt_stop {
            terms.push(SoTerm::StopLost);
        }
        if ref_stop && alt_stop && a.last() == Some(&STOP) && r.last() == Some(&STOP) {
            terms.push(SoTerm::StopRetainedVariant);
        }
        if start_complete {
            terms.push(if start_kept {
                SoTerm::StartRetainedVariant
            } else {
                SoTerm::StartLost
            });
        }
        // As Ensembl: after trimming the shared prefix and suffix, a pure
        // deletion (insertion) leaves nothing of the ALT (REF) codons.
        let contained = |long: &[u8], short: &[u8]| {
            let p = long.iter().zip(short).take_while(|(x, y)| x == y).count();
            let (l, s) = (&long[p..], &short[p..]);
            let q = l
                .iter()
                .rev()
                .zip(s.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            q == s.len()
        };
        let (rc, ac) = (&change.ref_codons, &change.alt_codons);
        if length_change > 0 {
            if contained(ac, rc) || contained(a, r) {
                terms.push(SoTerm::InframeInsertion);
            } else {
                terms.push(SoTerm::ProteinAlteringVariant);
            }
        } else if contained(rc, ac) || contained(r, a) {
            terms.push(SoTerm::InframeDeletion);
        } else {
            terms.push(SoTerm::ProteinAlteringVariant);
        }
    } else if r == a {
        if ref_stop {
            terms.push(SoTerm::StopRetainedVariant);
        } else if start_complete {
            terms.push(SoTerm::StartRetainedVariant);
        } else {
            terms.push(SoTerm::SynonymousVariant);
        }
    } else if start_complete && r.first() == Some(&b'M') && a.first() != Some(&b'M') {
        terms.push(SoTerm::StartLost);
    } else if ref_stop && !alt_stop {
        terms.push(SoTerm::StopLost);
    } else if alt_stop && !ref_stop {
        terms.push(SoTerm::StopGained);
    } else if a.contains(&b'X') {
        terms.push(SoTerm::CodingSequenceVariant);
    } else {
        terms.push(SoTerm::MissenseVariant);
    }
    terms
}

/// The consequence of `v` on the transcript, or `None` when the transcript
/// is farther away than the up/downstream window.
pub fn transcript_consequence(
    ts: &TranscriptSeq,
    v: &Variant,
    flanks: Flanks,
) -> Option<TranscriptConsequence> {
    let tr = &ts.tr;
    let forward = ts.is_forward();
    let mut c = base_entry(ts);
    let nmd = tr.biotype == "nonsense_mediated_decay";
    let coding_transcript = ts.coding.is_some();

    if !v.overlaps(tr.start, tr.end) {
        let left = v.end < tr.start;
        let distance = if left {
            tr.start - v.end
        } else {
            v.start.saturating_sub(tr.end)
        };
        let upstream = left == forward;
        let limit = if upstream {
            flanks.upstream
        } else {
            flanks.downstream
        };
        if distance > limit {
            return None;
        }
        c.consequences = vec![if upstream {
            SoTerm::UpstreamGeneVariant
        } else {
            SoTerm::DownstreamGeneVariant
        }];
        c.distance = Some(distance);
        return Some(finish(c));
    }
    if v.is_deletion() && v.start <= tr.start && v.end >= tr.end {
        c.consequences = vec![SoTerm::TranscriptAblation];
        return Some(finish(c));
    }

    let mut terms: Vec<SoTerm> = Vec::new();
    let fx = intron_effects(ts, v);
    if fx.donor {
        terms.push(SoTerm::SpliceDonorVariant);
    }
    if fx.acceptor {
        terms.push(SoTerm::SpliceAcceptorVariant);
    }
    if fx.donor_5th_base {
        terms.push(SoTerm::SpliceDonor5thBaseVariant);
    } else if fx.donor_region {
        terms.push(SoTerm::SpliceDonorRegionVariant);
    }
    if fx.polypyrimidine {
        terms.push(SoTerm::SplicePolypyrimidineTractVariant);
    }
    if fx.splice_region && !fx.donor && !fx.acceptor && !fx.donor_5th_base && !fx.donor_region {
        terms.push(SoTerm::SpliceRegionVariant);
    }
    if fx.intronic {
        terms.push(SoTerm::IntronVariant);
    }
    if let (Some(first), Some(last)) = (fx.first, fx.last) {
        c.intron = Some(FeatureNumber {
            first,
            last,
            total: ts.exons.len() as u32 - 1,
        });
    }

    // Exons touched, and the allele's ends on the transcript (5' first).
    let touched: Vec<usize> = (0..ts.exons.len())
        .filter(|&i| v.overlaps(ts.exons[i].start, ts.exons[i].end))
        .collect();
    if let (Some(&a), Some(&b)) = (touched.first(), touched.last()) {
        let (na, nb) = (ts.exons[a].number, ts.exons[b].number);
        c.exon = Some(FeatureNumber {
            first: na.min(nb),
            last: na.max(nb),
            total: ts.exons.len() as u32,
        });
    }
    let (g5, g3) = if v.is_insertion() {
        if forward {
            (v.end, v.start)
        } else {
            (v.start, v.end)
        }
    } else if forward {
        (v.start, v.end)
    } else {
        (v.end, v.start)
    };
    let (p5, p3) = (ts.map(g5), ts.map(g3));
    let mut same_exon =
        matches!((p5, p3), (TxPos::Exon { exon: a, .. }, TxPos::Exon { exon: b, .. }) if a == b);
    let (mut c5, mut c3) = (p5.cdna(), p3.cdna());
    let mut touched = touched;
    if v.is_insertion() && touched.is_empty() {
        // An insertion right at an exon edge (one flank exonic, the other
        // intronic) adds bases to the spliced transcript next to that exon
        // edge: annotate it as exonic there, so a frameshift is not missed.
        match (p5, p3) {
            (TxPos::Exon { cdna, exon }, TxPos::Intron { .. })
                if exon + 1 < ts.exons.len() && cdna == ts.exons[exon].cdna_end() =>
            {
                (c5, c3) = (Some(cdna), Some(cdna + 1));
                same_exon = true;
                touched = vec![exon];
            }
            (TxPos::Intron { .. }, TxPos::Exon { cdna, exon })
                if exon > 0 && cdna == ts.exons[exon].cdna_start =>
            {
                (c5, c3) = (Some(cdna - 1), Some(cdna));
                same_exon = true;
                touched = vec![exon];
            }
            _ => {}
        }
        if let Some(&i) = touched.first() {
            let n = ts.exons[i].number;
            c.exon = Some(FeatureNumber {
                first: n,
                last: n,
                total: ts.exons.len() as u32,
            });
        }
    }
    if !touched.is_empty() && (c5.is_some() || c3.is_some()) {
        c.cdna_position = Some(PositionRange { start: c5, end: c3 });
    }

    if !touched.is_empty() {
        match &ts.coding {
            None => terms.push(SoTerm::NonCodingTranscriptExonVariant),
            Some(coding) => {
                let cds5 = c5.and_then(|x| coding.cds_pos(x));
                let cds3 = c3.and_then(|x| coding.cds_pos(x));
                if v.is_insertion() {
                    // Flanking bases: CDS positions when the insertion is
                    // between two CDS bases (or just inside either end).
                    if let (Some(a), Some(b)) = (c5, c3)
                        && same_exon
                        && a >= coding.cds_start
                        && b <= coding.cds_end
                    {
                        c.cds_position = Some(PositionRange {
                            start: coding.cds_pos(a),
                            end: coding.cds_pos(b),
                        });
                    }
                } else if cds5.is_some() || cds3.is_some() {
                    c.cds_position = Some(PositionRange {
                        start: cds5,
                        end: cds3,
                    });
                }
                let alt_tx = if forward {
                    v.alt_bases.clone()
                } else {
                    reverse_complement(&v.alt_bases)
                };
                let (a, b) = (c5.unwrap_or(0), c3.unwrap_or(0));
                // For an insertion `a`/`b` are the flanking bases.
                let in_cds = same_exon && a >= coding.cds_start && b <= coding.cds_end;
                let (in_utr5, in_utr3) = if v.is_insertion() {
                    (
                        same_exon && b <= coding.cds_start,
                        same_exon && a >= coding.cds_end,
                    )
                } else {
                    (
                        same_exon && b < coding.cds_start,
                        same_exon && a > coding.cds_end,
                    )
                };
                if in_cds {
                    let (first, last) = if v.is_insertion() {
                        (
                            coding.cds_pos(b).unwrap_or(0),
                            coding.cds_pos(a).unwrap_or(0),
                        )
                    } else {
                        (cds5.unwrap_or(0), cds3.unwrap_or(0))
                    };
                    if let Some(change) = codon_change(ts, first, last, &alt_tx) {
                        terms.extend(coding_terms(ts, &change, v.length_change()));
                        c.protein_position = Some(change.protein);
                        c.amino_acids = Some(if change.ref_pep == change.alt_pep {
                            upper(&change.ref_pep)
                        } else {
                            format!(
                                "{}/{}",
                                dash_if_empty(upper(&change.ref_pep)),
                                dash_if_empty(upper(&change.alt_pep))
                            )
                        });
                        c.codons = Some(change.codons_text.clone());
                        if let Some(protein_id) = &tr.protein_id {
                            let p = hgvs_protein(&CodingChange {
                                ts,
                                first,
                                last,
                                alt: alt_tx.clone(),
                            });
                            c.hgvsp = p.map(|p| format!("{protein_id}:{p}"));
                        }
                    } else {
                        terms.push(SoTerm::CodingSequenceVariant);
                    }
                } else if in_utr5 {
                    terms.push(SoTerm::FivePrimeUtrVariant);
                } else if in_utr3 {
                    terms.push(SoTerm::ThreePrimeUtrVariant);
                } else {
                    // Crosses an exon edge or the CDS edge: say what it
                    // touches.
                    let cds_lo = coding.cds_start;
                    let cds_hi = coding.cds_end;
                    let mut any_cds = false;
                    for &i in &touched {
                        let e = ts.exons[i];
                        let s = ts.map(v.start.max(e.start)).cdna().unwrap_or(0);
                        let t = ts.map(v.end.min(e.end)).cdna().unwrap_or(0);
                        let (lo, hi) = (s.min(t), s.max(t));
                        if lo < cds_lo {
                            terms.push(SoTerm::FivePrimeUtrVariant);
                        }
                        if hi > cds_hi {
                            terms.push(SoTerm::ThreePrimeUtrVariant);
                        }
                        if hi >= cds_lo && lo <= cds_hi {
                            any_cds = true;
                            if lo <= cds_lo + 2 && !tr.cds_start_nf && v.is_deletion() {
                                terms.push(SoTerm::StartLost);
                            }
                            if hi + 2 >= cds_hi && !tr.cds_end_nf && v.is_deletion() {
                                terms.push(SoTerm::StopLost);
                            }
                        }
                    }
                    if any_cds {
                        terms.push(SoTerm::CodingSequenceVariant);
                    }
                }
                if let Some(range) = c.cds_position
                    && c.protein_position.is_none()
                {
                    let aa = |p: Option<u64>| p.map(|p| p.div_ceil(3));
                    c.protein_position = Some(PositionRange {
                        start: aa(range.start),
                        end: aa(range.end),
                    });
                }
            }
        }
    }
    if !coding_transcript && !terms.contains(&SoTerm::NonCodingTranscriptExonVariant) {
        terms.push(SoTerm::NonCodingTranscriptVariant);
    }
    if nmd {
        terms.push(SoTerm::NmdTranscriptVariant);
    }
    if terms.is_empty() {
        // Inside the transcript span but in none of its parts (e.g. an
        // insertion exactly at an exon edge): still report the transcript.
        terms.push(if coding_transcript {
            SoTerm::CodingTranscriptVariant
        } else {
            SoTerm::NonCodingTranscriptVariant
        });
    }
    c.consequences = terms;
    if matches!(p5, TxPos::Exon { .. } | TxPos::Intron { .. })
        && matches!(p3, TxPos::Exon { .. } | TxPos::Intron { .. })
        && let Some((text, moved)) = hgvs_transcript(ts, v)
    {
        c.hgvsc = Some(format!("{}:{}", tr.versioned_id(), text));
        if moved > 0 {
            c.hgvs_offset = Some(if forward {
                moved as i64
            } else {
                -(moved as i64)
            });
        }
    }
    Some(finish(c))
}

/// Transcript fields shared by every consequence on it.
fn base_entry(ts: &TranscriptSeq) -> TranscriptConsequence {
    let tr = &ts.tr;
    let mut flags = Vec::new();
    if tr.cds_start_nf {
        flags.push("cds_start_NF".to_string());
    }
    if tr.cds_end_nf {
        flags.push("cds_end_NF".to_string());
    }
    TranscriptConsequence {
        symbol: tr.gene_symbol.clone(),
        symbol_source: tr.gene_symbol_source.clone(),
        hgnc_id: tr.hgnc_id.clone(),
        gene: Some(tr.gene_id.clone()),
        feature_type: Some("Transcript".into()),
        feature: Some(tr.versioned_id()),
        biotype: Some(tr.biotype.clone()),
        strand: Some(tr.strand),
        flags,
        canonical: tr.is_canonical,
        mane_select: tr.mane_select.clone(),
        mane_plus_clinical: tr.mane_plus_clinical.clone(),
        tsl: tr.tsl.clone(),
        ccds: tr.ccds.clone(),
        ensp: tr.protein_id.clone(),
        source: Some(tr.source.as_str().to_string()),
        ..Default::default()
    }
}

/// Sorts terms most severe first (VEP order), drops duplicates, sets IMPACT.
fn finish(mut c: TranscriptConsequence) -> TranscriptConsequence {
    c.consequences.sort();
    c.consequences.dedup();
    c.impact = c.most_severe().map(SoTerm::impact);
    c
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use variant_model::Strand;
    use variant_model::protein::reverse_complement;

    use super::*;
    use crate::consequence::transcript_seq::tests::{contig, transcript};

    // A 200 bp contig with one forward transcript of three exons:
    //   exon 1  11..30  (5' UTR 11..20, CDS 21..30)
    //   intron  31..60  (GTAAGT...TTAG)
    //   exon 2  61..75  (CDS)
    //   intron  76..105
    //   exon 3 106..140 (CDS 106..125 ending in TAA, 3' UTR 126..140)
    // CDS: ATG GCC AAA GGG TTT CCC AAA GAG CTG CTG CTG ACC GGA TGG TAA
    //      M   A   K   G   F   P   K   E   L   L   L   T   G   W   *
    const LEN: u64 = 200;

    fn forward_sequence() -> String {
        let intron = format!("GTAAGT{}TTAG", "T".repeat(20));
        let mut s = String::new();
        s.push_str("ACGTACGTAC"); // 1..10
        s.push_str("CCCAGCCACC"); // 11..20 5' UTR
        s.push_str("ATGGCCAAAG"); // 21..30
        s.push_str(&intron); // 31..60
        s.push_str("GGTTTCCCAAAGAGC"); // 61..75
        s.push_str(&intron); // 76..105
        s.push_str("TGCTGCTGACCGGATGGTAA"); // 106..125
        s.push_str("GCGCGCATTTAAAGC"); // 126..140 3' UTR
        while (s.len() as u64) < LEN {
            s.push_str("GATC");
        }
        s.truncate(LEN as usize);
        s
    }

    struct Fixture {
        forward: TranscriptSeq,
        reverse: TranscriptSeq,
    }

    fn fixture() -> Fixture {
        let seq = forward_sequence();
        let fwd = transcript(
            "TF",
            Strand::Forward,
            &[(11, 30), (61, 75), (106, 140)],
            Some((21, 125)),
        );
        let rev_seq = String::from_utf8(reverse_complement(seq.as_bytes())).unwrap();
        let m = |p: u64| LEN + 1 - p;
        let rev = transcript(
            "TR",
            Strand::Reverse,
            &[(m(140), m(106)), (m(75), m(61)), (m(30), m(11))],
            Some((m(125), m(21))),
        );
        Fixture {
            forward: TranscriptSeq::new(Arc::new(fwd), contig("1", &seq)),
            reverse: TranscriptSeq::new(Arc::new(rev), contig("1", &rev_seq)),
        }
    }

    const FLANKS: Flanks = Flanks {
        upstream: 5000,
        downstream: 5000,
    };

    /// Annotates a VCF-style allele given in forward-transcript coordinates
    /// on both the forward transcript and its mirror image on the reverse
    /// strand, checks both agree, and returns the forward result.
    fn both(pos: u64, reference: &str, alt: &str) -> TranscriptConsequence {
        both_strands(pos, reference, alt, true)
    }

    /// `same_terms = false` for indels in repeats: the mirrored allele is
    /// then a different (equally valid) placement, and VEP-style terms
    /// depend on the placement; HGVS does not.
    fn both_strands(
        pos: u64,
        reference: &str,
        alt: &str,
        same_terms: bool,
    ) -> TranscriptConsequence {
        let f = fixture();
        let v = Variant::from_parts(pos, reference.as_bytes(), alt.as_bytes()).unwrap();
        let fwd = transcript_consequence(&f.forward, &v, FLANKS).unwrap();
        // Mirror: same bases reverse-complemented, VCF padding base on the
        // left again (so indels are re-anchored).
        let end = pos + reference.len() as u64 - 1;
        let rc = |s: &str| String::from_utf8(reverse_complement(s.as_bytes())).unwrap();
        let (mpos, mref, malt) =
            if reference.len() != alt.len() && reference.as_bytes()[0] == alt.as_bytes()[0] {
                // Drop the left anchor, mirror, re-anchor on the new left base.
                let r = &reference[1..];
                let a = &alt[1..];
                let mpos = LEN + 1 - end - 1;
                let anchor = f.reverse.base(mpos) as char;
                (
                    mpos,
                    format!("{anchor}{}", rc(r)),
                    format!("{anchor}{}", rc(a)),
                )
            } else {
                (LEN + 1 - end, rc(reference), rc(alt))
            };
        let mv = Variant::from_parts(mpos, mref.as_bytes(), malt.as_bytes()).unwrap();
        let rev = transcript_consequence(&f.reverse, &mv, FLANKS).unwrap();
        if same_terms {
            assert_eq!(
                fwd.consequences, rev.consequences,
                "terms differ between strands"
            );
            assert_eq!(fwd.amino_acids, rev.amino_acids);
            assert_eq!(fwd.codons, rev.codons);
            assert_eq!(fwd.cdna_position, rev.cdna_position);
            assert_eq!(fwd.cds_position, rev.cds_position);
            assert_eq!(fwd.protein_position, rev.protein_position);
        }
        for h in [&fwd.hgvsc, &fwd.hgvsp, &rev.hgvsc, &rev.hgvsp]
            .into_iter()
            .flatten()
        {
            assert_valid_hgvs(h);
        }
        let strip =
            |h: &Option<String>| h.as_ref().map(|h| h.split_once(':').unwrap().1.to_string());
        assert_eq!(
            strip(&fwd.hgvsc),
            strip(&rev.hgvsc),
            "HGVSc differs between strands"
        );
        assert_eq!(
            strip(&fwd.hgvsp),
            strip(&rev.hgvsp),
            "HGVSp differs between strands"
        );
        fwd
    }

    /// Every HGVS string we emit must pass the HGVS grammar.
    fn assert_valid_hgvs(h: &str) {
        assert!(
            variant_model::hgvs::parse_with_contig_name(h).is_ok(),
            "invalid HGVS {h}"
        );
    }

    fn terms(c: &TranscriptConsequence) -> Vec<&'static str> {
        c.consequences.iter().map(|t| t.as_str()).collect()
    }

    fn hgvsc(c: &TranscriptConsequence) -> &str {
        c.hgvsc.as_deref().unwrap().split_once(':').unwrap().1
    }

    fn hgvsp(c: &TranscriptConsequence) -> &str {
        c.hgvsp.as_deref().unwrap().split_once(':').unwrap().1
    }

    #[test]
    fn fixture_translates() {
        let f = fixture();
        assert_eq!(
            f.forward.coding.as_ref().unwrap().protein,
            b"MAKGFPKELLLTGW*"
        );
        assert_eq!(
            f.reverse.coding.as_ref().unwrap().protein,
            b"MAKGFPKELLLTGW*"
        );
    }

    #[test]
    fn missense() {
        let c = both(25, "C", "A");
        assert_eq!(terms(&c), ["missense_variant"]);
        assert_eq!(c.impact, Some(variant_model::Impact::Moderate));
        assert_eq!(c.amino_acids.as_deref(), Some("A/D"));
        assert_eq!(c.codons.as_deref(), Some("gCc/gAc"));
        assert_eq!(c.cdna_position.unwrap().to_vep(), "15");
        assert_eq!(c.cds_position.unwrap().to_vep(), "5");
        assert_eq!(c.protein_position.unwrap().to_vep(), "2");
        assert_eq!(c.exon.unwrap().to_vep(), "1/3");
        assert_eq!(hgvsc(&c), "c.5C>A");
        assert_eq!(hgvsp(&c), "p.Ala2Asp");
        assert_eq!(c.hgvsp.as_deref(), Some("P_TF.1:p.Ala2Asp"));
        assert_eq!(c.feature.as_deref(), Some("TF.1"));
    }

    #[test]
    fn synonymous() {
        let c = both(26, "C", "T");
        assert_eq!(terms(&c), ["synonymous_variant"]);
        assert_eq!(c.amino_acids.as_deref(), Some("A"));
        assert_eq!(hgvsp(&c), "p.Ala2=");
    }

    #[test]
    fn stop_gained() {
        let c = both(27, "A", "T");
        assert_eq!(terms(&c), ["stop_gained"]);
        assert_eq!(c.amino_acids.as_deref(), Some("K/*"));
        assert_eq!(hgvsp(&c), "p.Lys3Ter");
    }

    #[test]
    fn start_lost() {
        let c = both(22, "T", "C");
        assert_eq!(terms(&c), ["start_lost"]);
        assert_eq!(hgvsp(&c), "p.Met1?");
        assert_eq!(hgvsc(&c), "c.2T>C");
    }

    #[test]
    fn stop_lost_extends_into_the_utr() {
        let c = both(123, "T", "C");
        assert_eq!(terms(&c), ["stop_lost"]);
        assert_eq!(c.amino_acids.as_deref(), Some("*/Q"));
        // 3' UTR GCG CGC ATT TAA: Ala Arg Ile Ter.
        assert_eq!(hgvsp(&c), "p.Ter15GlnextTer4");
    }

    #[test]
    fn stop_retained() {
        let c = both(125, "A", "G");
        assert_eq!(terms(&c), ["stop_retained_variant"]);
        assert_eq!(hgvsp(&c), "p.Ter15=");
    }

    #[test]
    fn frameshift_is_shifted_3prime_with_ter_position() {
        // Deleting one A of AAA (CDS 7-9), VCF left-aligned at 26.
        let c = both_strands(26, "CA", "C", false);
        assert_eq!(terms(&c), ["frameshift_variant"]);
        assert_eq!(hgvsc(&c), "c.9del");
        assert_eq!(c.hgvs_offset.map(i64::abs), Some(2));
        // ...AAG GGT TTC CCA AAG AGC TGC TGC TGA: Glu8 becomes Ser, stop at 4.
        assert_eq!(hgvsp(&c), "p.Glu8SerfsTer4");
        assert_eq!(c.impact, Some(variant_model::Impact::High));
    }

    #[test]
    fn inframe_deletion() {
        // Touches the first three bases of exon 2: also splice region.
        let c = both(62, "GTTT", "G");
        assert_eq!(terms(&c), ["inframe_deletion", "splice_region_variant"]);
        assert_eq!(hgvsc(&c), "c.13_15del");
        assert_eq!(hgvsp(&c), "p.Phe5del");
        assert_eq!(c.amino_acids.as_deref(), Some("F/-"));
    }

    #[test]
    fn duplication_rather_than_insertion() {
        // CCC inserted next to CCC (CDS 16-18).
        let c = both_strands(65, "T", "TCCC", false);
        assert_eq!(terms(&c), ["inframe_insertion"]);
        // Between codons 5 and 6 as written; described after the shift.
        assert_eq!(c.amino_acids.as_deref(), Some("-/P"));
        assert_eq!(c.codons.as_deref(), Some("-/CCC"));
        assert_eq!(hgvsc(&c), "c.16_18dup");
        assert_eq!(hgvsp(&c), "p.Pro6dup");
    }

    #[test]
    fn plain_insertion() {
        // AAC inserted between CDS 12 and 13 (G|T), in the first three
        // bases of exon 2.
        let c = both(62, "G", "GAAC");
        assert_eq!(terms(&c), ["inframe_insertion", "splice_region_variant"]);
        assert_eq!(c.codons.as_deref(), Some("-/AAC"));
        assert_eq!(hgvsc(&c), "c.12_13insAAC");
        assert_eq!(hgvsp(&c), "p.Gly4_Phe5insAsn");
        assert_eq!(c.protein_position.unwrap().to_vep(), "4-5");
    }

    #[test]
    fn insertion_at_an_exon_edge_is_coding() {
        // One base inserted between the last base of exon 1 and the intron.
        let c = both(30, "G", "GA");
        assert_eq!(terms(&c), ["frameshift_variant", "splice_region_variant"]);
        assert_eq!(c.exon.unwrap().to_vep(), "1/3");
        assert_eq!(c.cds_position.unwrap().to_vep(), "10-11");
        assert_eq!(hgvsc(&c), "c.10_10+1insA");
    }

    #[test]
    fn splice_sites_and_intron_offsets() {
        let donor = both(31, "G", "A");
        assert_eq!(terms(&donor), ["splice_donor_variant"]);
        assert_eq!(hgvsc(&donor), "c.10+1G>A");
        assert_eq!(donor.intron.unwrap().to_vep(), "1/2");
        assert!(donor.exon.is_none());
        let region = both(33, "A", "C");
        assert_eq!(
            terms(&region),
            ["splice_donor_region_variant", "intron_variant"]
        );
        assert_eq!(hgvsc(&region), "c.10+3A>C");
        let fifth = both(35, "G", "A");
        assert_eq!(
            terms(&fifth),
            ["splice_donor_5th_base_variant", "intron_variant"]
        );
        let deep = both(40, "T", "C");
        assert_eq!(terms(&deep), ["intron_variant"]);
        assert_eq!(hgvsc(&deep), "c.10+10T>C");
        let acceptor = both(60, "G", "A");
        assert_eq!(terms(&acceptor), ["splice_acceptor_variant"]);
        assert_eq!(hgvsc(&acceptor), "c.11-1G>A");
        let polypyrimidine = both(55, "T", "C");
        assert_eq!(
            terms(&polypyrimidine),
            [
                "splice_region_variant",
                "splice_polypyrimidine_tract_variant",
                "intron_variant"
            ]
        );
        assert_eq!(hgvsc(&polypyrimidine), "c.11-6T>C");
        let exonic = both(30, "G", "C");
        assert_eq!(
            terms(&exonic),
            ["missense_variant", "splice_region_variant"]
        );
    }

    #[test]
    fn utrs_and_flanks() {
        let utr5 = both(15, "G", "A");
        assert_eq!(terms(&utr5), ["5_prime_UTR_variant"]);
        assert_eq!(hgvsc(&utr5), "c.-6G>A");
        assert!(utr5.hgvsp.is_none() && utr5.cds_position.is_none());
        let utr3 = both(130, "G", "A");
        assert_eq!(terms(&utr3), ["3_prime_UTR_variant"]);
        assert_eq!(hgvsc(&utr3), "c.*5G>A");
        let f = fixture();
        let up = Variant::from_parts(5, b"A", b"G").unwrap();
        let c = transcript_consequence(&f.forward, &up, FLANKS).unwrap();
        assert_eq!(terms(&c), ["upstream_gene_variant"]);
        assert_eq!(c.distance, Some(6));
        assert!(c.hgvsc.is_none());
        let down = Variant::from_parts(150, b"T", b"G").unwrap();
        let c = transcript_consequence(&f.forward, &down, FLANKS).unwrap();
        assert_eq!(terms(&c), ["downstream_gene_variant"]);
        let near = Flanks {
            upstream: 3,
            downstream: 3,
        };
        assert!(transcript_consequence(&f.forward, &up, near).is_none());
        // The mirror image: upstream is on the right.
        let up_rev = Variant::from_parts(LEN + 1 - 5, b"T", b"C").unwrap();
        let c = transcript_consequence(&f.reverse, &up_rev, FLANKS).unwrap();
        assert_eq!(terms(&c), ["upstream_gene_variant"]);
        assert_eq!(c.strand, Some(Strand::Reverse));
    }

    #[test]
    fn intron_in_the_5prime_utr() {
        // Exon 1 (1..10) is all 5' UTR; exon 2 (41..60) holds the CDS from 45.
        let mut seq = String::from("CCCCCCCCCCGTAAGT");
        seq.push_str(&"T".repeat(20));
        seq.push_str("TTAGCCCCATGGCCAAATAAGG");
        let tr = transcript("U", Strand::Forward, &[(1, 10), (41, 60)], Some((45, 56)));
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", &seq));
        assert_eq!(ts.coding.as_ref().unwrap().protein, b"MAK*");
        let v = Variant::from_parts(13, b"A", b"G").unwrap();
        let c = transcript_consequence(&ts, &v, FLANKS).unwrap();
        assert_eq!(terms(&c), ["splice_donor_region_variant", "intron_variant"]);
        assert_eq!(hgvsc(&c), "c.-5+3A>G");
        assert_valid_hgvs(c.hgvsc.as_deref().unwrap());
        let v = Variant::from_parts(39, b"A", b"G").unwrap();
        let c = transcript_consequence(&ts, &v, FLANKS).unwrap();
        assert_eq!(hgvsc(&c), "c.-4-2A>G");
        assert_eq!(terms(&c), ["splice_acceptor_variant"]);
    }

    #[test]
    fn mitochondrial_code_reads_tga_as_trp() {
        // TGG (Trp) -> TGA: a stop in the standard code, Trp in MT.
        let seq = "ATGTGGTAA";
        for (chrom, expected) in [("MT", "synonymous_variant"), ("1", "stop_gained")] {
            let mut tr = transcript("M", Strand::Forward, &[(1, 9)], Some((1, 9)));
            tr.chrom = chrom.into();
            let ts = TranscriptSeq::new(Arc::new(tr), contig(chrom, seq));
            let v = Variant::from_parts(6, b"G", b"A").unwrap();
            let c = transcript_consequence(&ts, &v, FLANKS).unwrap();
            assert_eq!(terms(&c), [expected], "{chrom}");
        }
    }

    #[test]
    fn incomplete_terminal_codon() {
        // CDS of 8 bases with no stop (cds_end_NF): ATG GCC AA.
        let seq = "ATGGCCAAGGG";
        let mut tr = transcript("I", Strand::Forward, &[(1, 11)], Some((1, 8)));
        tr.cds_end_nf = true;
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", seq));
        let v = Variant::from_parts(8, b"A", b"G").unwrap();
        let c = transcript_consequence(&ts, &v, FLANKS).unwrap();
        assert_eq!(
            terms(&c),
            [
                "incomplete_terminal_codon_variant",
                "coding_sequence_variant"
            ]
        );
        assert_eq!(c.flags, ["cds_end_NF"]);
    }

    #[test]
    fn non_coding_transcript() {
        let seq = forward_sequence();
        let tr = transcript("N", Strand::Forward, &[(11, 30), (61, 75)], None);
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", &seq));
        let exonic = Variant::from_parts(15, b"G", b"A").unwrap();
        let c = transcript_consequence(&ts, &exonic, FLANKS).unwrap();
        assert_eq!(terms(&c), ["non_coding_transcript_exon_variant"]);
        assert_eq!(hgvsc(&c), "n.5G>A");
        let intronic = Variant::from_parts(40, b"T", b"C").unwrap();
        let c = transcript_consequence(&ts, &intronic, FLANKS).unwrap();
        assert_eq!(
            terms(&c),
            ["intron_variant", "non_coding_transcript_variant"]
        );
        assert_eq!(hgvsc(&c), "n.20+10T>C");
    }

    #[test]
    fn transcript_ablation() {
        let seq = forward_sequence();
        let tr = transcript("S", Strand::Forward, &[(20, 30)], None);
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", &seq));
        let reference = &seq[17..32];
        let v = Variant::from_parts(18, reference.as_bytes(), &reference.as_bytes()[..1]).unwrap();
        let c = transcript_consequence(&ts, &v, FLANKS).unwrap();
        assert_eq!(terms(&c), ["transcript_ablation"]);
    }
}
