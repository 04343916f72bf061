//! bcftools-csq compatible, haplotype-aware consequences (`INFO/BCSQ`).
//!
//! This reproduces the behaviour of `bcftools csq` (1.16 and later) so that
//! its users get the field they know and the conformance suite can compare
//! like with like: variants on the same haplotype of a transcript's coding
//! sequence are applied together; a combined consequence is written on the
//! variant first in transcript order and the others point to it (`@POS`).
//!
//! Which variants share a haplotype: with no samples, all variants of a
//! transcript (as bcftools does); with samples, the ALT alleles of each
//! phased haplotype (`0|1`: second haplotype), homozygous ALT on both, and
//! an unphased heterozygous ALT on a haplotype of its own (never combined,
//! where bcftools' default would stop with an error).
//!
//! Coordinates here are 0-based, like bcftools', to keep its boundary
//! arithmetic recognisable.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use noodles::vcf::variant::record::samples::keys::key;
use noodles::vcf::variant::record::samples::series::value::genotype::Phasing;
use noodles::vcf::variant::record_buf::info::field::Value as InfoValue;
use noodles::vcf::variant::record_buf::samples::sample::Value as SampleValue;
use variant_model::Strand;
use variant_model::protein::{GeneticCode, complement};

use crate::consequence::transcript_seq::contig_slice;
use crate::gene_model::{GeneModel, Transcript};
use crate::record::NormalisedRecord;
use crate::reference::ContigSequence;

// Consequence bits, in bcftools' print order.
const PRINTED_UPSTREAM: u32 = 1 << 0;
const SYNONYMOUS: u32 = 1 << 1;
const MISSENSE: u32 = 1 << 2;
const STOP_LOST: u32 = 1 << 3;
const STOP_GAINED: u32 = 1 << 4;
const INFRAME_DELETION: u32 = 1 << 5;
const INFRAME_INSERTION: u32 = 1 << 6;
const FRAMESHIFT: u32 = 1 << 7;
const SPLICE_ACCEPTOR: u32 = 1 << 8;
const SPLICE_DONOR: u32 = 1 << 9;
const START_LOST: u32 = 1 << 10;
const SPLICE_REGION: u32 = 1 << 11;
const STOP_RETAINED: u32 = 1 << 12;
const UTR5: u32 = 1 << 13;
const UTR3: u32 = 1 << 14;
const NON_CODING: u32 = 1 << 15;
const INTRON: u32 = 1 << 16;
const INFRAME_ALTERING: u32 = 1 << 18;
const UPSTREAM_STOP: u32 = 1 << 19;
const INCOMPLETE_CDS: u32 = 1 << 20;
const CODING_SEQUENCE: u32 = 1 << 21;
const ELONGATION: u32 = 1 << 22;
const START_RETAINED: u32 = 1 << 23;
const TRUNCATION: u32 = 1 << 24;
const NMD_TRANSCRIPT: u32 = 1 << 25;

const NAMES: &[(u32, &str)] = &[
    (SYNONYMOUS, "synonymous"),
    (MISSENSE, "missense"),
    (STOP_LOST, "stop_lost"),
    (STOP_GAINED, "stop_gained"),
    (INFRAME_DELETION, "inframe_deletion"),
    (INFRAME_INSERTION, "inframe_insertion"),
    (FRAMESHIFT, "frameshift"),
    (SPLICE_ACCEPTOR, "splice_acceptor"),
    (SPLICE_DONOR, "splice_donor"),
    (START_LOST, "start_lost"),
    (SPLICE_REGION, "splice_region"),
    (STOP_RETAINED, "stop_retained"),
    (UTR5, "5_prime_utr"),
    (UTR3, "3_prime_utr"),
    (NON_CODING, "non_coding"),
    (INTRON, "intron"),
    (INFRAME_ALTERING, "inframe_altering"),
    (CODING_SEQUENCE, "coding_sequence"),
    (ELONGATION, "feature_elongation"),
    (START_RETAINED, "start_retained"),
    (TRUNCATION, "feature_truncation"),
    (NMD_TRANSCRIPT, "NMD_transcript"),
];

const COMPOUND: u32 = SYNONYMOUS
    | MISSENSE
    | STOP_LOST
    | STOP_GAINED
    | INFRAME_DELETION
    | INFRAME_INSERTION
    | FRAMESHIFT
    | START_LOST
    | STOP_RETAINED
    | INFRAME_ALTERING
    | INCOMPLETE_CDS
    | UPSTREAM_STOP
    | START_RETAINED;
const START_STOP: u32 = STOP_LOST | STOP_GAINED | STOP_RETAINED | START_LOST | START_RETAINED;
const PRN_TSCRIPT: u32 = !(INTRON | NON_CODING);

const N_SPLICE_DONOR: i64 = 2;
const N_SPLICE_REGION_INTRON: i64 = 8;
/// Reference bases kept on both sides of a transcript.
const PAD: i64 = 10;

/// Result of classifying an allele against one exon/CDS/UTR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpliceResult {
    Outside,
    Inside,
    /// Same REF and ALT: not a variant.
    VarRef,
    /// Overlaps the region edge; consequence set but not computed further.
    Overlap,
}

/// Biotypes bcftools translates (CDS read) and how it prints them.
fn coding_biotype(biotype: &str) -> Option<&'static str> {
    Some(match biotype {
        "protein_coding" | "mRNA" => "protein_coding",
        "polymorphic_pseudogene" => "polymorphic_pseudogene",
        "IG_C_gene" => "IG_C",
        "IG_D_gene" => "IG_D",
        "IG_J_gene" => "IG_J",
        "IG_LV_gene" => "IG_LV",
        "IG_V_gene" => "IG_V",
        "TR_C_gene" => "TR_C",
        "TR_D_gene" => "TR_D",
        "TR_J_gene" => "TR_J",
        "TR_V_gene" => "TR_V",
        "nonsense_mediated_decay" | "NMD" => "NMD",
        "non_stop_decay" => "non_stop_decay",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy)]
struct Cds {
    beg: i64,
    len: i64,
    /// Offset of the segment in the spliced CDS.
    pos: i64,
    icds: usize,
}

#[derive(Debug, Clone, Copy)]
struct Utr {
    beg: i64,
    end: i64,
    prime5: bool,
}

/// A transcript as bcftools sees it.
struct BTranscript {
    idx: usize,
    id: String,
    gene: String,
    biotype: String,
    is_nmd: bool,
    coding: bool,
    fwd: bool,
    beg: i64,
    end: i64,
    cds: Vec<Cds>,
    trim5: bool,
    trim3: bool,
    utrs: Vec<Utr>,
    exons: Vec<(i64, i64)>,
    /// Genomic sequence `beg - PAD ..= end + PAD` (N outside the contig).
    reference: Vec<u8>,
    /// Spliced CDS with `PAD` bases of genomic context on both sides.
    sref: Vec<u8>,
    code: GeneticCode,
}

impl BTranscript {
    fn new(idx: usize, tr: &Transcript, contig: &ContigSequence) -> Self {
        let beg = tr.start as i64 - 1;
        let end = tr.end as i64 - 1;
        let fwd = tr.strand == Strand::Forward;
        let biotype_coding = coding_biotype(&tr.biotype);
        let biotype = biotype_coding
            .map(str::to_string)
            .unwrap_or_else(|| tr.biotype.clone());
        // 0-based `beg - PAD ..= end + PAD`, N outside the contig.
        let lo = beg - PAD + 1;
        let hi = (end + PAD + 1) as u64;
        let reference = if lo >= 1 {
            contig_slice(contig, lo as u64, hi)
        } else {
            let mut r = vec![b'N'; (1 - lo) as usize];
            r.extend(contig_slice(contig, 1, hi));
            r
        };
        let mut exons: Vec<(i64, i64)> = tr
            .exons
            .iter()
            .map(|e| (e.start as i64 - 1, e.end as i64 - 1))
            .collect();
        exons.sort();
        let mut utrs = Vec::new();
        if !tr.cds.is_empty() {
            let lo = tr.cds.iter().map(|c| c.start).min().unwrap() as i64 - 1;
            let hi = tr.cds.iter().map(|c| c.end).max().unwrap() as i64 - 1;
            for &(s, e) in &exons {
                if s < lo {
                    utrs.push(Utr {
                        beg: s,
                        end: e.min(lo - 1),
                        prime5: fwd,
                    });
                }
                if e > hi {
                    utrs.push(Utr {
                        beg: s.max(hi + 1),
                        end: e,
                        prime5: !fwd,
                    });
                }
            }
        }
        let mut t = Self {
            idx,
            id: tr.id.clone(),
            gene: tr.gene_symbol.clone().unwrap_or_else(|| tr.gene_id.clone()),
            biotype,
            is_nmd: biotype_coding == Some("NMD"),
            coding: biotype_coding.is_some() && !tr.cds.is_empty(),
            fwd,
            beg,
            end,
            cds: Vec::new(),
            trim5: false,
            trim3: false,
            utrs,
            exons,
            reference,
            sref: Vec::new(),
            code: GeneticCode::for_contig(&tr.chrom),
        };
        if t.coding {
            t.init_cds(tr);
            t.splice_ref();
        }
        t
    }

    /// Sorts CDS segments, trims an incomplete 5' codon (by GFF phase) and
    /// an incomplete 3' codon, and sets spliced offsets, as bcftools does.
    fn init_cds(&mut self, tr: &Transcript) {
        let mut segs: Vec<(i64, i64, u8)> = tr
            .cds
            .iter()
            .map(|c| (c.start as i64 - 1, (c.end - c.start + 1) as i64, c.phase))
            .collect();
        segs.sort();
        if self.fwd {
            let phase = i64::from(segs[0].2);
            if phase > 0 {
                self.trim5 = true;
                segs[0].0 += phase;
                segs[0].1 -= phase;
            }
        } else {
            let mut i = segs.len() - 1;
            let mut phase = i64::from(segs[i].2);
            if phase > 0 {
                self.trim5 = true;
            }
            while i > 0 && phase > segs[i].1 {
                phase -= segs[i].1;
                segs[i].1 = 0;
                i -= 1;
            }
            segs[i].1 -= phase;
        }
        let mut len: i64 = segs.iter().map(|s| s.1).sum();
        if len % 3 != 0 {
            self.trim3 = true;
            if self.fwd {
                let mut i = segs.len();
                while i > 0 && len % 3 != 0 {
                    i -= 1;
                    let d = segs[i].1.min(len % 3);
                    segs[i].1 -= d;
                    len -= d;
                }
            } else {
                let mut i = 0;
                while i < segs.len() && len % 3 != 0 {
                    let d = segs[i].1.min(len % 3);
                    segs[i].1 -= d;
                    segs[i].0 += d;
                    len -= d;
                    i += 1;
                }
            }
        }
        let mut pos = 0;
        self.cds = segs
            .iter()
            .enumerate()
            .map(|(icds, &(beg, len, _))| {
                let c = Cds {
                    beg,
                    len,
                    pos,
                    icds,
                };
                pos += len;
                c
            })
            .collect();
    }

    fn splice_ref(&mut self) {
        let first = self.cds[0].beg;
        let last = self.cds[self.cds.len() - 1].beg;
        let mut s = Vec::new();
        // Left context: PAD bases before the first CDS start.
        s.extend_from_slice(self.ref_slice(first - PAD, PAD));
        for c in &self.cds {
            s.extend_from_slice(self.ref_slice(c.beg, c.len));
        }
        // Right context, as bcftools takes it (from the last segment's start).
        s.extend_from_slice(self.ref_slice(last, PAD));
        self.sref = s;
    }

    /// `len` reference bases from genomic `pos` (clamped to what is held).
    fn ref_slice(&self, pos: i64, len: i64) -> &[u8] {
        let a = (PAD + pos - self.beg).clamp(0, self.reference.len() as i64) as usize;
        let b = (a as i64 + len.max(0)).min(self.reference.len() as i64) as usize;
        &self.reference[a..b]
    }

    fn nsref(&self) -> i64 {
        self.sref.len() as i64
    }
}

/// One staged consequence of one record.
#[derive(Debug, Clone, Default)]
struct Vcsq {
    kind: u32,
    transcript: usize,
    ial: usize,
    /// `|aa_change|dna_change`, empty when none.
    vstr: Option<String>,
    /// For `@POS`: the 0-based position of the record holding the
    /// combined consequence.
    reference_pos: Option<i64>,
}

/// One allele as bcftools reads it: the record as written in the input.
#[derive(Debug, Clone)]
struct BRecord {
    pos: i64,
    reference: Vec<u8>,
    alt: Vec<u8>,
    /// Haplotypes (2 per sample) carrying the ALT, `None` with no samples.
    haplotypes: Option<Vec<usize>>,
    symbolic: Symbolic,
}

/// Symbolic ALTs bcftools interprets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Symbolic {
    No,
    /// `<INS...>`: something inserted after POS.
    Insertion,
    /// `<DEL...>` ending at this 0-based position.
    Deletion(i64),
}

impl BRecord {
    fn rlen(&self) -> i64 {
        self.reference.len() as i64
    }

    fn var_string(&self) -> String {
        format!(
            "{}>{}",
            String::from_utf8_lossy(&self.reference),
            String::from_utf8_lossy(&self.alt)
        )
    }
}

/// Per-transcript splice classification state (bcftools' `splice_t`).
struct Splice<'a> {
    tr: &'a BTranscript,
    rec: usize,
    pos: i64,
    rlen: i64,
    alen: i64,
    reference: &'a [u8],
    alt: &'a [u8],
    check_acceptor: bool,
    check_start: bool,
    check_stop: bool,
    check_donor: bool,
    check_region_beg: bool,
    check_region_end: bool,
    check_utr: bool,
    set_refalt: bool,
    csq: u32,
    tbeg: i64,
    tend: i64,
    ref_beg: i64,
    ref_end: i64,
    kref: Vec<u8>,
    kalt: Vec<u8>,
}

/// All staged consequences of a block, per record.
struct Staging {
    per_record: Vec<Vec<Vcsq>>,
}

impl Staging {
    /// Adds a consequence to a record, merging with what is there as
    /// bcftools' `csq_push` does.
    fn push(&mut self, transcripts: &[BTranscript], rec: usize, mut csq: Vcsq) {
        if csq.kind & SPLICE_REGION != 0 && csq.kind & (SPLICE_DONOR | SPLICE_ACCEPTOR) != 0 {
            csq.kind &= !SPLICE_REGION;
        }
        let list = &mut self.per_record[rec];
        let same_tr = |a: &Vcsq, b: &Vcsq| {
            a.transcript == b.transcript || (a.kind | b.kind) & PRN_TSCRIPT == 0
        };
        let attrs = |a: &Vcsq| {
            let t = &transcripts[a.transcript];
            (t.biotype.clone(), t.gene.clone())
        };
        if csq.kind & PRINTED_UPSTREAM != 0 {
            for v in list.iter_mut() {
                if csq.kind & START_STOP != 0 && v.kind & START_STOP != 0 {
                    *v = csq;
                    return;
                }
                if v.kind & PRINTED_UPSTREAM == 0 {
                    continue;
                }
                if csq.reference_pos != v.reference_pos {
                    continue;
                }
                return;
            }
        } else if csq.kind & COMPOUND != 0 {
            for v in list.iter_mut() {
                if !same_tr(&csq, v) {
                    continue;
                }
                if attrs(&csq) != attrs(v) || csq.ial != v.ial {
                    continue;
                }
                if (csq.kind & UPSTREAM_STOP) != (v.kind & UPSTREAM_STOP) {
                    continue;
                }
                if csq.vstr.is_some() || v.vstr.is_some() {
                    if csq.vstr.is_none() || v.vstr.is_none() {
                        if csq.kind & START_STOP != 0 && v.kind & START_STOP != 0 {
                            v.kind |= csq.kind;
                            if v.kind & STOP_RETAINED != 0 {
                                v.kind &= !(STOP_LOST | SYNONYMOUS);
                            }
                            if v.vstr.is_none() {
                                v.vstr = csq.vstr;
                            }
                            return;
                        }
                        continue;
                    }
                    if csq.vstr != v.vstr {
                        continue;
                    }
                }
                v.kind |= csq.kind;
                return;
            }
        } else {
            for v in list.iter_mut() {
                if !same_tr(&csq, v) {
                    continue;
                }
                if transcripts[csq.transcript].biotype != transcripts[v.transcript].biotype {
                    continue;
                }
                if v.kind & COMPOUND == 0 {
                    v.kind |= csq.kind;
                    return;
                }
                if v.kind == v.kind | csq.kind {
                    return;
                }
            }
        }
        list.push(csq);
    }

    fn stage(&mut self, transcripts: &[BTranscript], rec: usize, tr: usize, kind: u32, ial: usize) {
        if kind == 0 {
            return;
        }
        self.push(
            transcripts,
            rec,
            Vcsq {
                kind,
                transcript: tr,
                ial,
                ..Default::default()
            },
        );
    }
}

impl<'a> Splice<'a> {
    fn new(tr: &'a BTranscript, rec: usize, r: &'a BRecord) -> Self {
        Self {
            tr,
            rec,
            pos: r.pos,
            rlen: r.rlen(),
            alen: r.alt.len() as i64,
            reference: &r.reference,
            alt: &r.alt,
            check_acceptor: false,
            check_start: false,
            check_stop: false,
            check_donor: false,
            check_region_beg: false,
            check_region_end: false,
            check_utr: false,
            set_refalt: false,
            csq: 0,
            tbeg: 0,
            tend: 0,
            ref_beg: 0,
            ref_end: 0,
            kref: Vec::new(),
            kalt: Vec::new(),
        }
    }

    /// Builds the REF and ALT haplotype of `len` bases from `beg` (or
    /// ending at `beg` when `len < 0`), as bcftools' `splice_build_hap`.
    fn build_hap(&mut self, beg: i64, len: i64) {
        let tr = self.tr;
        let (mut rlen, mut alen, rbeg, abeg);
        if len < 0 {
            rlen = -len;
            alen = -len;
            rbeg = beg - rlen + 1;
            let mut dlen = self.alen - self.rlen;
            if dlen < 0 && beg < self.ref_end {
                dlen += self.ref_end - beg;
            }
            abeg = rbeg + dlen;
        } else {
            rbeg = beg;
            abeg = beg;
            rlen = len;
            alen = len;
        }
        self.kref.clear();
        self.kalt.clear();
        let roff = if rbeg < self.pos {
            let s = tr.ref_slice(rbeg, self.pos - rbeg).to_vec();
            self.kref.extend_from_slice(&s);
            0
        } else {
            rbeg - self.pos
        };
        if roff < self.rlen && (self.kref.len() as i64) < rlen {
            let mut l = self.rlen - roff;
            if l > rlen - self.kref.len() as i64 {
                l = rlen - self.kref.len() as i64;
            }
            let s = &self.reference[roff as usize..(roff + l) as usize];
            self.kref.extend_from_slice(s);
        }
        let end = self.pos + self.rlen;
        if (self.kref.len() as i64) < rlen {
            if end + rlen - self.kref.len() as i64 - 1 > tr.end {
                rlen -= end + rlen - self.kref.len() as i64 - 1 - tr.end;
            }
            if (self.kref.len() as i64) < rlen {
                let s = tr.ref_slice(end, rlen - self.kref.len() as i64).to_vec();
                self.kref.extend_from_slice(&s);
            }
        }
        let mut aoff;
        if abeg < self.pos {
            let s = tr.ref_slice(abeg, self.pos - abeg).to_vec();
            self.kalt.extend_from_slice(&s);
            aoff = 0;
        } else {
            aoff = abeg - self.pos;
        }
        if aoff < self.alen && (self.kalt.len() as i64) < alen {
            let mut l = self.alen - aoff;
            if l > alen - self.kalt.len() as i64 {
                l = alen - self.kalt.len() as i64;
            }
            let s = &self.alt[aoff as usize..(aoff + l) as usize];
            self.kalt.extend_from_slice(s);
            aoff -= l;
        }
        if aoff < 0 {
            aoff = 0;
        } else {
            aoff -= 1;
        }
        let end = self.pos + self.rlen;
        if (self.kalt.len() as i64) < alen {
            if end + alen + aoff - self.kalt.len() as i64 - 1 > tr.end {
                alen -= end + alen + aoff - self.kalt.len() as i64 - 1 - tr.end;
            }
            if alen > 0 && alen > self.kalt.len() as i64 {
                let s = tr
                    .ref_slice(end + aoff, alen - self.kalt.len() as i64)
                    .to_vec();
                self.kalt.extend_from_slice(&s);
            }
        }
    }
}

/// The engine for one block.
struct Engine<'a> {
    transcripts: Vec<BTranscript>,
    records: &'a [BRecord],
    staging: Staging,
}

/// A variant applied to a transcript's haplotype (bcftools' `hap_node_t`).
#[derive(Debug, Clone)]
struct HapNode {
    rec: usize,
    ial: usize,
    icds: usize,
    /// Alternative sequence from the end of the previous node to the end
    /// of this variant's ALT.
    seq: Vec<u8>,
    sbeg: i64,
    rbeg: i64,
    rlen: i64,
    dlen: i64,
    var: String,
    csq: u32,
}

enum HapInit {
    Added(HapNode),
    /// Splice-site or otherwise non-coding: staged directly.
    Sss(u32),
    Overlapping,
    Silent,
}

/// bcftools' `!strncmp(a, b, n)`: the first `n` bases agree (a shorter
/// string only agrees with one ending at the same place).
fn strncmp_eq(a: &[u8], b: &[u8], n: usize) -> bool {
    a[..a.len().min(n)] == b[..b.len().min(n)]
}

fn splice_csq(
    trs: &[BTranscript],
    st: &mut Staging,
    s: &mut Splice,
    ex_beg: i64,
    ex_end: i64,
) -> SpliceResult {
    let rlen1 = s.rlen - 1;
    let alen1 = s.alen - 1;
    let mut i = 0;
    while i <= rlen1 && i <= alen1 {
        if s.reference[(rlen1 - i) as usize] != s.alt[(alen1 - i) as usize] {
            break;
        }
        i += 1;
    }
    s.tend = i;
    let (rlen1, alen1) = (rlen1 - i, alen1 - i);
    let mut i = 0;
    while i <= rlen1 && i <= alen1 {
        if s.reference[i as usize] != s.alt[i as usize] {
            break;
        }
        i += 1;
    }
    s.tbeg = i;
    if s.rlen == s.alen {
        splice_csq_mnp(trs, st, s, ex_beg, ex_end)
    } else if s.rlen < s.alen {
        splice_csq_ins(trs, st, s, ex_beg, ex_end)
    } else {
        splice_csq_del(trs, st, s, ex_beg, ex_end)
    }
}

/// Stages a UTR consequence when the transcript has a UTR at `a..=b`.
fn stage_utr(trs: &[BTranscript], st: &mut Staging, s: &Splice, a: i64, b: i64, extra: u32) -> u32 {
    if a > b {
        return 0;
    }
    let Some(utr) = s.tr.utrs.iter().find(|u| u.beg <= b && u.end >= a) else {
        return 0;
    };
    let kind = if utr.prime5 { UTR5 } else { UTR3 } | extra;
    st.stage(trs, s.rec, s.tr.idx, kind, 1);
    kind
}

fn stage_splice(trs: &[BTranscript], st: &mut Staging, s: &Splice) {
    st.stage(trs, s.rec, s.tr.idx, s.csq, 1);
}

fn splice_csq_ins(
    trs: &[BTranscript],
    st: &mut Staging,
    s: &mut Splice,
    ex_beg: i64,
    ex_end: i64,
) -> SpliceResult {
    if s.tbeg != 0 || s.reference[0] != s.alt[0] {
        s.ref_beg = s.pos + s.tbeg - 1;
        s.ref_end = s.pos + s.rlen - s.tend;
    } else {
        if s.tend != 0 {
            s.tend -= 1;
        }
        s.ref_beg = s.pos;
        s.ref_end = s.pos + s.rlen - s.tend;
    }
    let fwd = s.tr.fwd;
    if s.ref_beg >= ex_end {
        if s.check_utr && stage_utr(trs, st, s, s.ref_beg + 1, s.ref_beg + 1, s.csq) != 0 {
            return SpliceResult::Outside;
        }
        if !s.check_region_end {
            return SpliceResult::Outside;
        }
        let refalt = if s.set_refalt {
            s.build_hap(ex_end + 1, N_SPLICE_REGION_INTRON);
            Some((s.kref.clone(), s.kalt.clone()))
        } else {
            None
        };
        if s.ref_beg < ex_end + N_SPLICE_REGION_INTRON && s.ref_end > ex_end + N_SPLICE_DONOR {
            s.csq |= SPLICE_REGION;
            if let Some((r, a)) = &refalt
                && strncmp_eq(r, a, N_SPLICE_REGION_INTRON as usize)
            {
                s.csq |= SYNONYMOUS;
            }
        }
        if s.ref_beg < ex_end + N_SPLICE_DONOR {
            if s.check_donor && fwd {
                s.csq |= SPLICE_DONOR;
            }
            if s.check_acceptor && !fwd {
                s.csq |= SPLICE_ACCEPTOR;
            }
            if let Some((r, a)) = &refalt
                && strncmp_eq(r, a, N_SPLICE_DONOR as usize)
            {
                s.csq |= SYNONYMOUS;
            }
        }
        stage_splice(trs, st, s);
        return SpliceResult::Outside;
    }
    if s.ref_end < ex_beg || (s.ref_end == ex_beg && !s.check_region_beg) {
        if s.check_utr && stage_utr(trs, st, s, s.ref_end - 1, s.ref_end - 1, s.csq) != 0 {
            return SpliceResult::Outside;
        }
        if !s.check_region_beg {
            return SpliceResult::Outside;
        }
        let refalt = if s.set_refalt {
            s.build_hap(ex_beg - N_SPLICE_REGION_INTRON, N_SPLICE_REGION_INTRON);
            Some((s.kref.clone(), s.kalt.clone()))
        } else {
            None
        };
        if s.ref_end > ex_beg - N_SPLICE_REGION_INTRON && s.ref_beg < ex_beg - N_SPLICE_DONOR {
            s.csq |= SPLICE_REGION;
            if let Some((r, a)) = &refalt
                && strncmp_eq(r, a, N_SPLICE_REGION_INTRON as usize)
            {
                s.csq |= SYNONYMOUS;
            }
        }
        if s.ref_end > ex_beg - N_SPLICE_DONOR {
            if s.check_donor && !fwd {
                s.csq |= SPLICE_DONOR;
            }
            if s.check_acceptor && fwd {
                s.csq |= SPLICE_ACCEPTOR;
            }
            if let Some((r, a)) = &refalt {
                let o = (N_SPLICE_REGION_INTRON - N_SPLICE_DONOR) as usize;
                let tail = |x: &Vec<u8>| x.get(o..).map(<[u8]>::to_vec).unwrap_or_default();
                if strncmp_eq(&tail(r), &tail(a), N_SPLICE_DONOR as usize) {
                    s.csq |= SYNONYMOUS;
                }
            }
        }
        stage_splice(trs, st, s);
        return SpliceResult::Outside;
    }
    if s.ref_beg <= ex_beg + 2 {
        if s.check_region_beg {
            s.csq |= SPLICE_REGION;
        }
        if fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.ref_end > ex_end - 2 {
        if s.check_region_end {
            s.csq |= SPLICE_REGION;
        }
        if !fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.set_refalt {
        if s.ref_beg < s.pos {
            let d = s.pos - s.ref_beg;
            s.tbeg += d;
            if s.tbeg + s.tend == s.rlen {
                s.tend -= d;
            }
            s.ref_beg = s.pos;
        }
        if s.ref_end == ex_beg {
            s.tend -= 1;
        }
        s.build_hap(s.ref_beg, s.alen - s.tend - s.tbeg + 1);
        s.rlen -= s.tbeg + s.tend - 1;
        if s.kref.len() as i64 > s.rlen {
            s.kref.truncate(s.rlen.max(0) as usize);
        }
    }
    stage_splice(trs, st, s);
    SpliceResult::Inside
}

/// Is a deletion at the start codon synonymous once shifted (the
/// deleted bases can be replaced by identical reference bases)?
fn shifted_del_synonymous(s: &Splice, ex_beg: i64, ex_end: i64) -> bool {
    let tr = s.tr;
    let ref_len = s.reference.len() as i64;
    let alt_len = s.alt.len() as i64;
    if !tr.fwd && s.pos + s.rlen + 2 <= ex_end {
        return false;
    }
    if tr.fwd && s.pos >= ex_beg + 3 {
        return false;
    }
    if ref_len <= alt_len {
        return false;
    }
    let ndel = ref_len - alt_len;
    if !tr.fwd {
        let vcf_ref_end = s.pos + ref_len - 1;
        if vcf_ref_end + ndel > tr.end + PAD {
            return false;
        }
        let vcf_block = &s.reference[alt_len as usize..];
        let ref_block = tr.ref_slice(vcf_ref_end + 1, ndel);
        vcf_block == ref_block
    } else {
        let vcf_block_beg = s.pos + ref_len - 2 * ndel;
        if vcf_block_beg < tr.beg - PAD {
            return false;
        }
        let vcf_block = &s.reference[alt_len as usize..];
        let ref_block = tr.ref_slice(vcf_block_beg, ndel);
        vcf_block == ref_block
    }
}

fn splice_csq_del(
    trs: &[BTranscript],
    st: &mut Staging,
    s: &mut Splice,
    ex_beg: i64,
    ex_end: i64,
) -> SpliceResult {
    let fwd = s.tr.fwd;
    if s.check_start && shifted_del_synonymous(s, ex_beg, ex_end) {
        s.csq |= START_RETAINED;
        return SpliceResult::Overlap;
    }
    s.ref_beg = s.pos + s.tbeg - 1;
    s.ref_end = s.pos + s.rlen - s.tend - 1;
    if s.ref_beg + 1 < ex_beg {
        if s.check_region_beg {
            let mut csq = 0;
            if s.check_utr {
                csq = stage_utr(trs, st, s, s.ref_beg, ex_beg - 1, s.csq);
            }
            if csq == 0 {
                let refalt = if s.set_refalt {
                    s.build_hap(ex_beg - N_SPLICE_REGION_INTRON, N_SPLICE_REGION_INTRON);
                    Some((s.kref.clone(), s.kalt.clone()))
                } else {
                    None
                };
                if s.ref_end >= ex_beg - N_SPLICE_REGION_INTRON
                    && s.ref_beg < ex_beg - N_SPLICE_DONOR
                {
                    s.csq |= SPLICE_REGION;
                    if let Some((r, a)) = &refalt
                        && strncmp_eq(r, a, N_SPLICE_REGION_INTRON as usize)
                    {
                        s.csq |= SYNONYMOUS;
                    }
                }
                if s.ref_end >= ex_beg - N_SPLICE_DONOR {
                    if s.check_donor && !fwd {
                        s.csq |= SPLICE_DONOR;
                    }
                    if s.check_acceptor && fwd {
                        s.csq |= SPLICE_ACCEPTOR;
                    }
                    if let Some((r, a)) = &refalt {
                        let o = (N_SPLICE_REGION_INTRON - N_SPLICE_DONOR) as usize;
                        let tail = |x: &Vec<u8>| x.get(o..).map(<[u8]>::to_vec).unwrap_or_default();
                        if strncmp_eq(&tail(r), &tail(a), N_SPLICE_DONOR as usize) {
                            s.csq |= SYNONYMOUS;
                        }
                    }
                }
            }
        }
        if s.ref_end >= ex_beg {
            s.tbeg = s.ref_beg - s.pos + 1;
            s.ref_beg = ex_beg - 1;
            if s.tbeg + s.tend == s.alen {
                if s.tend == 0 {
                    s.csq |= CODING_SEQUENCE;
                    return SpliceResult::Overlap;
                }
                s.tend -= 1;
            }
        }
    }
    if ex_end < s.ref_end {
        if s.check_region_end {
            let mut csq = 0;
            if s.check_utr {
                csq = stage_utr(trs, st, s, ex_end + 1, s.ref_end, s.csq);
            }
            if csq == 0 {
                let refalt = if s.set_refalt {
                    s.build_hap(ex_end + 1, N_SPLICE_REGION_INTRON);
                    Some((s.kref.clone(), s.kalt.clone()))
                } else {
                    None
                };
                if s.ref_beg < ex_end + N_SPLICE_REGION_INTRON
                    && s.ref_end > ex_end + N_SPLICE_DONOR
                {
                    s.csq |= SPLICE_REGION;
                    if let Some((r, a)) = &refalt
                        && strncmp_eq(r, a, N_SPLICE_REGION_INTRON as usize)
                    {
                        s.csq |= SYNONYMOUS;
                    }
                }
                if s.ref_beg < ex_end + N_SPLICE_DONOR {
                    if s.check_donor && fwd {
                        s.csq |= SPLICE_DONOR;
                    }
                    if s.check_acceptor && !fwd {
                        s.csq |= SPLICE_ACCEPTOR;
                    }
                    if let Some((r, a)) = &refalt {
                        let o = (N_SPLICE_REGION_INTRON - N_SPLICE_DONOR) as usize;
                        let tail = |x: &Vec<u8>| x.get(o..).map(<[u8]>::to_vec).unwrap_or_default();
                        if strncmp_eq(&tail(r), &tail(a), N_SPLICE_DONOR as usize) {
                            s.csq |= SYNONYMOUS;
                        }
                    }
                }
            }
        }
        if s.ref_beg < ex_end {
            s.tend = s.rlen - (s.ref_end - s.pos + 1);
            s.ref_end = ex_end;
        }
    }
    if s.ref_end < ex_beg || s.ref_beg >= ex_end {
        stage_splice(trs, st, s);
        return SpliceResult::Outside;
    }
    if s.ref_beg < ex_beg + 2 {
        if s.check_region_beg {
            s.csq |= SPLICE_REGION;
        }
        if fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.ref_end > ex_end - 3 {
        if s.check_region_end {
            s.csq |= SPLICE_REGION;
        }
        if !fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.set_refalt {
        if s.tbeg > 0 {
            s.tbeg -= 1;
        }
        if s.rlen > s.tbeg + s.tend && s.alen > s.tbeg + s.tend {
            s.rlen -= s.tbeg + s.tend;
            s.alen -= s.tbeg + s.tend;
        }
        let tb = s.tbeg.max(0) as usize;
        s.kref = s.reference
            [tb.min(s.reference.len())..(tb + s.rlen.max(0) as usize).min(s.reference.len())]
            .to_vec();
        s.kalt =
            s.alt[tb.min(s.alt.len())..(tb + s.alen.max(0) as usize).min(s.alt.len())].to_vec();
        if (s.ref_beg + 1 < ex_beg && s.ref_end >= ex_beg)
            || (s.ref_beg + 1 < ex_end && s.ref_end >= ex_end)
        {
            s.csq |= if (s.ref_end - s.ref_beg) % 3 != 0 {
                FRAMESHIFT
            } else {
                INFRAME_DELETION
            };
            return SpliceResult::Overlap;
        }
    }
    stage_splice(trs, st, s);
    SpliceResult::Inside
}

fn splice_csq_mnp(
    trs: &[BTranscript],
    st: &mut Staging,
    s: &mut Splice,
    ex_beg: i64,
    ex_end: i64,
) -> SpliceResult {
    if s.tbeg + s.tend == s.rlen {
        return SpliceResult::VarRef;
    }
    let fwd = s.tr.fwd;
    s.ref_beg = s.pos + s.tbeg;
    s.ref_end = s.pos + s.rlen - s.tend - 1;
    if s.ref_beg < ex_beg {
        if s.check_region_beg {
            let mut csq = 0;
            if s.check_utr {
                csq = stage_utr(trs, st, s, s.ref_beg, ex_beg - 1, s.csq);
            }
            if csq == 0 {
                if s.ref_end >= ex_beg - N_SPLICE_REGION_INTRON
                    && s.ref_beg < ex_beg - N_SPLICE_DONOR
                {
                    s.csq |= SPLICE_REGION;
                }
                if s.ref_end >= ex_beg - N_SPLICE_DONOR {
                    if s.check_donor && !fwd {
                        s.csq |= SPLICE_DONOR;
                    }
                    if s.check_acceptor && fwd {
                        s.csq |= SPLICE_ACCEPTOR;
                    }
                }
            }
        }
        if s.ref_end >= ex_beg {
            s.tbeg = s.ref_beg - s.pos;
            s.ref_beg = ex_beg;
        }
    }
    if ex_end < s.ref_end {
        if s.check_region_end {
            let mut csq = 0;
            if s.check_utr {
                csq = stage_utr(trs, st, s, ex_end + 1, s.ref_end, s.csq);
            }
            if csq == 0 {
                if s.ref_beg <= ex_end + N_SPLICE_REGION_INTRON
                    && s.ref_end > ex_end + N_SPLICE_DONOR
                {
                    s.csq |= SPLICE_REGION;
                }
                if s.ref_beg <= ex_end + N_SPLICE_DONOR {
                    if s.check_donor && fwd {
                        s.csq |= SPLICE_DONOR;
                    }
                    if s.check_acceptor && !fwd {
                        s.csq |= SPLICE_ACCEPTOR;
                    }
                }
            }
        }
        if s.ref_beg <= ex_end {
            s.tend = s.rlen - (s.ref_end - s.pos + 1);
            s.ref_end = ex_end;
        }
    }
    if s.ref_end < ex_beg || s.ref_beg > ex_end {
        stage_splice(trs, st, s);
        return SpliceResult::Outside;
    }
    if s.ref_beg < ex_beg + 3 {
        if s.check_region_beg {
            s.csq |= SPLICE_REGION;
        }
        if fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.ref_end > ex_end - 3 {
        if s.check_region_end {
            s.csq |= SPLICE_REGION;
        }
        if !fwd {
            if s.check_start {
                s.csq |= START_LOST;
            }
        } else if s.check_stop {
            s.csq |= STOP_LOST;
        }
    }
    if s.set_refalt {
        s.rlen -= s.tbeg + s.tend;
        let tb = s.tbeg as usize;
        s.kref = s.reference[tb..tb + s.rlen as usize].to_vec();
        s.kalt = s.alt[tb..tb + s.rlen as usize].to_vec();
    }
    stage_splice(trs, st, s);
    SpliceResult::Inside
}

impl<'a> Engine<'a> {
    /// Applies a record to a transcript haplotype after `parent`
    /// (bcftools' `hap_init`).
    fn hap_init(
        &mut self,
        parent: Option<&HapNode>,
        tr_idx: usize,
        cds_i: usize,
        rec: usize,
    ) -> HapInit {
        let r = &self.records[rec];
        let trs = &self.transcripts;
        let tr = &trs[tr_idx];
        let cds = tr.cds[cds_i];
        let mut s = Splice::new(tr, rec, r);
        s.check_acceptor = true;
        s.check_donor = true;
        s.set_refalt = true;
        s.check_utr = true;
        let last = tr.cds.len() - 1;
        if !tr.trim5 {
            s.check_start = if tr.fwd {
                cds.icds == 0
            } else {
                cds.icds == last
            };
        }
        if !tr.trim3 {
            s.check_stop = if tr.fwd {
                cds.icds == last
            } else {
                cds.icds == 0
            };
        }
        if s.check_start {
            // Do not check starts of incomplete CDS, those not starting with M.
            let codon: Vec<u8> = if tr.fwd {
                tr.ref_slice(cds.beg, 3).to_vec()
            } else {
                let c = tr.ref_slice(cds.beg + cds.len - 3, 3);
                c.iter().rev().map(|&b| complement(b)).collect()
            };
            if tr.code.translate_codon(&codon) != b'M' {
                s.check_start = false;
            }
        }
        s.check_region_beg = cds.icds != 0;
        s.check_region_end = cds.icds != last;
        let ret = splice_csq(
            trs,
            &mut self.staging,
            &mut s,
            cds.beg,
            cds.beg + cds.len - 1,
        );
        hap_init_rest(parent, tr, cds, r, rec, ret, s)
    }
}

#[allow(clippy::too_many_arguments)]
fn hap_init_rest(
    parent: Option<&HapNode>,
    tr: &BTranscript,
    cds: Cds,
    r: &BRecord,
    rec: usize,
    ret: SpliceResult,
    mut s: Splice,
) -> HapInit {
    if ret == SpliceResult::VarRef {
        return HapInit::Silent;
    }
    if ret == SpliceResult::Outside || ret == SpliceResult::Overlap || s.csq == START_LOST {
        if s.csq == 0 {
            return HapInit::Silent;
        }
        return HapInit::Sss(s.csq);
    }
    if s.csq & SYNONYMOUS != 0 {
        s.csq &= !SYNONYMOUS;
    }
    let mut dbeg = 0;
    if s.ref_beg < cds.beg {
        dbeg = cds.beg - s.ref_beg;
        let l = (s.kref.len() as i64 - dbeg).max(0) as usize;
        s.kref.truncate(l);
        s.ref_beg = cds.beg;
    }
    let mut seq: Vec<u8> = Vec::new();
    if let Some(p) = parent {
        let mut i = p.icds;
        if i != cds.icds {
            let pc = tr.cds[i];
            let len = pc.len - p.rbeg - p.rlen + pc.beg;
            if len > 0 {
                seq.extend_from_slice(tr.ref_slice(p.rbeg + p.rlen, len));
            }
        }
        i += 1;
        while i < cds.icds {
            seq.extend_from_slice(tr.ref_slice(tr.cds[i].beg, tr.cds[i].len));
            i += 1;
        }
        if p.icds == cds.icds {
            let len = s.ref_beg - p.rbeg - p.rlen;
            if len < 0 {
                return HapInit::Overlapping;
            }
            seq.extend_from_slice(tr.ref_slice(p.rbeg + p.rlen, len));
        } else {
            seq.extend_from_slice(tr.ref_slice(cds.beg, s.ref_beg - cds.beg));
        }
    }
    let dbeg = (dbeg.max(0) as usize).min(s.kalt.len());
    seq.extend_from_slice(&s.kalt[dbeg..]);
    let mut node = HapNode {
        rec,
        ial: 1,
        icds: cds.icds,
        seq,
        sbeg: cds.pos + (s.ref_beg - cds.beg),
        rbeg: s.ref_beg,
        rlen: s.kref.len() as i64,
        dlen: r.alt.len() as i64 - r.rlen(),
        var: r.var_string(),
        csq: s.csq,
    };
    if node.rbeg + node.rlen > cds.beg + cds.len {
        if node.csq == 0 {
            node.csq |= CODING_SEQUENCE;
        }
        return HapInit::Sss(node.csq);
    }
    HapInit::Added(node)
}

/// bcftools' `cds_translate`: translates `seq` (a stretch of the
/// alternative spliced CDS starting at spliced position `sbeg`, replacing
/// reference `rbeg..rend`), padding partial codons from the reference, and
/// with `fill` continuing through the rest of the reference CDS. The
/// arguments mirror bcftools' function so the two can be read side by side.
#[allow(clippy::too_many_arguments)]
fn cds_translate(
    code: GeneticCode,
    sref: &[u8],
    seq: &[u8],
    seq_m: i64,
    sbeg: i64,
    rbeg: i64,
    rend: i64,
    fwd: bool,
    fill: bool,
) -> Vec<u8> {
    let mut out = Vec::new();
    if seq.is_empty() {
        out.push(b'?');
        return out;
    }
    let at = |i: i64| -> u8 {
        if i < 0 || i >= sref.len() as i64 {
            b'N'
        } else {
            sref[i as usize]
        }
    };
    let aa = |c: &[u8]| code.translate_codon(c);
    let raa = |c: &[u8]| {
        let rc = [complement(c[2]), complement(c[1]), complement(c[0])];
        code.translate_codon(&rc)
    };
    let l = seq.len() as i64;
    let mut tmp = [b'N'; 3];
    if fwd {
        let npad = sbeg % 3;
        let mut i: i64 = 0;
        while i < npad {
            tmp[i as usize] = at(rbeg + i - npad + PAD);
            i += 1;
        }
        while i < 3 && i - npad < l {
            tmp[i as usize] = seq[(i - npad) as usize];
            i += 1;
        }
        let len = l - i + npad;
        if i == 3 {
            out.push(aa(&tmp));
            let mut codon = 3 - npad;
            let end = codon + len - 1 - (len % 3);
            while codon < end {
                out.push(aa(&seq[codon as usize..codon as usize + 3]));
                codon += 3;
            }
            let end = l - 1;
            i = 0;
            while codon + i <= end {
                tmp[i as usize] = seq[(codon + i) as usize];
                i += 1;
            }
        }
        let mut codon = rend + PAD;
        if i > 0 {
            while i < 3 {
                tmp[i as usize] = at(codon);
                codon += 1;
                i += 1;
            }
            out.push(aa(&tmp));
        }
        if fill {
            let end = sref.len() as i64 - PAD;
            while codon + 3 <= end {
                out.push(aa(&[at(codon), at(codon + 1), at(codon + 2)]));
                codon += 3;
            }
        }
    } else {
        let npad = (seq_m - (sbeg + l)).rem_euclid(3);
        let mut i: i64;
        if npad == 2 {
            tmp[1] = at(rend + PAD);
            tmp[2] = at(rend + PAD + 1);
            i = 0;
        } else if npad == 1 {
            tmp[2] = at(rend + PAD);
            i = 1;
        } else {
            i = 2;
        }
        let mut end = l;
        while i >= 0 && end > 0 {
            end -= 1;
            tmp[i as usize] = seq[end as usize];
            i -= 1;
        }
        if i == -1 {
            out.push(raa(&tmp));
            let mut codon = end - 3;
            while codon >= 0 {
                out.push(raa(&seq[codon as usize..codon as usize + 3]));
                codon -= 3;
            }
            if -codon == 2 {
                tmp[2] = seq[0];
                i = 1;
            } else if -codon == 1 {
                tmp[1] = seq[0];
                tmp[2] = seq[1];
                i = 0;
            } else {
                i = -1;
            }
        }
        let mut endr = PAD + rbeg;
        if i >= 0 {
            while i >= 0 && endr > 0 {
                endr -= 1;
                tmp[i as usize] = at(endr);
                i -= 1;
            }
            out.push(raa(&tmp));
        }
        if fill {
            let mut codon = endr - 3;
            while codon >= PAD {
                out.push(raa(&[at(codon), at(codon + 1), at(codon + 2)]));
                codon -= 3;
            }
        }
    }
    out
}

/// bcftools' brief amino-acid notation (`-b`/`-B N`).
fn aa_prediction(brief: usize, beg: i64, aa: &[u8]) -> String {
    if brief == 0 || (aa.len() as i64) - (brief as i64) < 3 {
        return String::from_utf8_lossy(aa).into_owned();
    }
    let mut len = aa.len();
    if aa[len - 1] == b'*' {
        len -= 1;
    }
    let head = &aa[..len.min(brief)];
    format!("{}..{}", String::from_utf8_lossy(head), beg + len as i64)
}

/// Variants of a haplotype whose effects are translated together, with the
/// reference and alternative peptides.
struct Segment {
    ibeg: usize,
    iend: usize,
    dlen: i64,
    indel: bool,
    tref: Vec<u8>,
    tseq: Vec<u8>,
}

/// Entry of a haplotype's stack during finalisation.
struct Stacked<'n> {
    node: &'n HapNode,
    /// Length of the alternative sequence up to and including this node.
    slen: i64,
}

impl<'a> Engine<'a> {
    /// Consequences of one haplotype (list of nodes in genomic order) of a
    /// transcript, as bcftools' `hap_finalize`. Indexing follows bcftools'
    /// stack arithmetic (neighbours `i ± 1`), hence the index loops.
    #[allow(clippy::needless_range_loop)]
    fn hap_finalize(&mut self, tr_idx: usize, nodes: &[HapNode], brief: usize) {
        if nodes.is_empty() {
            return;
        }
        let mut sseq: Vec<u8> = Vec::new();
        let mut stack: Vec<Stacked> = Vec::with_capacity(nodes.len() + 1);
        for n in nodes {
            sseq.extend_from_slice(&n.seq);
            stack.push(Stacked {
                node: n,
                slen: sseq.len() as i64,
            });
        }
        let total_dlen: i64 = nodes.iter().map(|n| n.dlen).sum();
        let (fwd, code, nsref) = {
            let tr = &self.transcripts[tr_idx];
            (tr.fwd, tr.code, tr.nsref())
        };
        let sref = std::mem::take(&mut self.transcripts[tr_idx].sref);
        let sseq_m = nsref - 2 * PAD + total_dlen;
        let hap_sbeg = stack[0].node.sbeg;
        let soff = |i: usize| stack[i].slen - (stack[i].node.rlen + stack[i].node.dlen);
        let sbeg_of = |i: usize| hap_sbeg + soff(i);
        let send_of = |i: usize| hap_sbeg + stack[i].slen;
        let rbeg_of = |i: usize| stack[i].node.sbeg;
        let rend_of = |i: usize| stack[i].node.sbeg + stack[i].node.rlen;
        let k = stack.len();
        let mut upstream_stop = false;
        let mut segments: Vec<Segment> = Vec::new();
        if fwd {
            let mut ibeg: Option<usize> = None;
            let mut dlen = 0;
            let mut indel = false;
            for i in 0..k {
                dlen += stack[i].node.dlen;
                if stack[i].node.dlen != 0 {
                    indel = true;
                }
                if i + 1 < k {
                    if dlen % 3 != 0 {
                        ibeg.get_or_insert(i);
                        continue;
                    }
                    let mut icur = sbeg_of(i);
                    let inext = sbeg_of(i + 1);
                    let nd = stack[i].node.dlen;
                    if nd > 0 {
                        icur += nd;
                    } else if nd < 0 {
                        icur += 1;
                    }
                    if icur / 3 == inext / 3 {
                        ibeg.get_or_insert(i);
                        continue;
                    }
                }
                let b = *ibeg.get_or_insert(i);
                let ioff = soff(b);
                let icur = sbeg_of(b);
                let rbeg = rbeg_of(b);
                let rend = rend_of(i);
                let mut fill = dlen % 3 != 0;
                let alt_part: &[u8] = if !sseq.is_empty() {
                    let a = ioff.clamp(0, sseq.len() as i64) as usize;
                    let e = stack[i].slen.clamp(a as i64, sseq.len() as i64) as usize;
                    &sseq[a..e]
                } else {
                    fill = false;
                    &[]
                };
                let tseq =
                    cds_translate(code, &sref, alt_part, sseq_m, icur, rbeg, rend, true, fill);
                let ra = (PAD + rbeg).clamp(0, sref.len() as i64) as usize;
                let re = (PAD + rend_of(i)).clamp(ra as i64, sref.len() as i64) as usize;
                let tref = cds_translate(
                    code,
                    &sref,
                    &sref[ra..re],
                    nsref - 2 * PAD,
                    rbeg,
                    rbeg,
                    rend,
                    true,
                    fill,
                );
                segments.push(Segment {
                    ibeg: b,
                    iend: i,
                    dlen,
                    indel,
                    tref,
                    tseq,
                });
                ibeg = None;
                dlen = 0;
                indel = false;
            }
        } else {
            let mut ibeg: Option<usize> = None;
            let mut dlen = 0;
            let mut indel = false;
            for i in (0..k).rev() {
                dlen += stack[i].node.dlen;
                if stack[i].node.dlen != 0 {
                    indel = true;
                }
                if i > 0 {
                    if dlen % 3 != 0 {
                        ibeg.get_or_insert(i);
                        continue;
                    }
                    let mut icur = sseq_m - 1 - sbeg_of(i);
                    let mut inext = sseq_m - 1 - sbeg_of(i - 1);
                    let nd = stack[i].node.dlen;
                    if nd > 0 {
                        icur += nd - 1;
                    } else if nd < 0 {
                        icur -= nd;
                    }
                    if stack[i - 1].node.dlen > 0 {
                        inext -= stack[i - 1].node.dlen;
                    }
                    if icur.div_euclid(3) == inext.div_euclid(3) {
                        ibeg.get_or_insert(i);
                        continue;
                    }
                }
                let b = *ibeg.get_or_insert(i);
                let ioff = soff(i);
                let icur = sbeg_of(i);
                let rbeg = rbeg_of(i);
                let rend = rend_of(b);
                let mut fill = dlen % 3 != 0;
                let alt_part: &[u8] = if !sseq.is_empty() {
                    let a = ioff.clamp(0, sseq.len() as i64) as usize;
                    let e = stack[b].slen.clamp(a as i64, sseq.len() as i64) as usize;
                    &sseq[a..e]
                } else {
                    fill = false;
                    &[]
                };
                let tseq =
                    cds_translate(code, &sref, alt_part, sseq_m, icur, rbeg, rend, false, fill);
                let ra = (PAD + rbeg).clamp(0, sref.len() as i64) as usize;
                let re = (PAD + rend_of(b)).clamp(ra as i64, sref.len() as i64) as usize;
                let tref = cds_translate(
                    code,
                    &sref,
                    &sref[ra..re],
                    nsref - 2 * PAD,
                    rbeg,
                    rbeg,
                    rend,
                    false,
                    fill,
                );
                segments.push(Segment {
                    ibeg: i,
                    iend: b,
                    dlen,
                    indel,
                    tref,
                    tseq,
                });
                ibeg = None;
                dlen = 0;
                indel = false;
            }
        }
        // Positions for the aa strings.
        let positions: Vec<(i64, i64)> = segments
            .iter()
            .map(|&Segment { ibeg, iend, .. }| {
                if fwd {
                    (rbeg_of(ibeg) / 3 + 1, sbeg_of(ibeg) / 3 + 1)
                } else {
                    (
                        (nsref - 2 * PAD - rend_of(iend)) / 3 + 1,
                        (sseq_m - send_of(iend)) / 3 + 1,
                    )
                }
            })
            .collect();
        self.transcripts[tr_idx].sref = sref;
        for (
            Segment {
                ibeg,
                iend,
                dlen,
                indel,
                tref,
                tseq,
            },
            (aa_rbeg, aa_sbeg),
        ) in segments.into_iter().zip(positions)
        {
            self.hap_add_csq(
                tr_idx,
                nodes,
                ibeg,
                iend,
                dlen,
                indel,
                tref,
                tseq,
                aa_rbeg,
                aa_sbeg,
                &mut upstream_stop,
                brief,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn hap_add_csq(
        &mut self,
        tr_idx: usize,
        nodes: &[HapNode],
        ibeg: usize,
        iend: usize,
        dlen: i64,
        indel: bool,
        mut tref: Vec<u8>,
        mut tseq: Vec<u8>,
        aa_rbeg: i64,
        aa_sbeg: i64,
        upstream_stop: &mut bool,
        brief: usize,
    ) {
        let fwd = self.transcripts[tr_idx].fwd;
        let ref_node = if fwd { ibeg } else { iend };
        let leaf_ial = nodes[nodes.len() - 1].ial;
        let mut rm = 0u32;
        let mut kind = 0u32;
        for n in &nodes[ibeg..=iend] {
            kind |= n.csq & COMPOUND;
        }
        if dlen == 0 && indel {
            kind |= INFRAME_ALTERING;
        }
        let has_upstream_stop = *upstream_stop;
        if let Some(i) = tref.iter().position(|&c| c == b'*') {
            tref.truncate(i + 1);
        }
        if let Some(i) = tseq.iter().position(|&c| c == b'*') {
            tseq.truncate(i + 1);
            *upstream_stop = true;
        }
        let last = |v: &Vec<u8>| v.last().copied().unwrap_or(0);
        if kind & STOP_LOST != 0 {
            if last(&tref) == b'*' && last(&tref) == last(&tseq) {
                rm |= STOP_LOST;
                kind |= STOP_RETAINED;
            } else if last(&tref) != b'*' {
                if last(&tseq) == b'*' {
                    rm |= STOP_GAINED;
                    kind |= STOP_RETAINED;
                } else {
                    kind |= INCOMPLETE_CDS;
                }
            }
        }
        if kind & START_LOST != 0 && tref.first() != Some(&b'M') {
            rm |= START_LOST;
            kind &= !START_LOST;
        }
        if dlen != 0 {
            kind |= if dlen % 3 != 0 {
                FRAMESHIFT
            } else if dlen < 0 {
                INFRAME_DELETION
            } else {
                INFRAME_INSERTION
            };
            if last(&tref) != b'*' && last(&tseq) == b'*' {
                kind |= STOP_GAINED;
            }
        } else {
            let i = (0..tref.len())
                .find(|&i| tseq.get(i) != Some(&tref[i]))
                .unwrap_or(tref.len());
            if i == tref.len() {
                kind |= SYNONYMOUS;
            } else if tref[i] == b'*' {
                kind |= STOP_LOST;
            } else if tseq.contains(&b'*') {
                // A stop anywhere in the changed codons (an MNV changing
                // two codons: `EE>D*`), as bcftools after 1.16.
                kind |= STOP_GAINED;
            } else {
                kind |= MISSENSE;
            }
        }
        if ibeg != iend
            && kind & (INFRAME_DELETION | INFRAME_INSERTION | INFRAME_ALTERING) != 0
            && last(&tseq) == b'*'
        {
            rm |= INFRAME_DELETION | INFRAME_INSERTION | INFRAME_ALTERING;
            kind |= FRAMESHIFT | STOP_GAINED;
        }
        if has_upstream_stop {
            kind |= UPSTREAM_STOP;
        }
        kind &= !rm;

        let mut vstr = String::from("|");
        vstr.push_str(&aa_rbeg.to_string());
        vstr.push_str(&aa_prediction(brief, aa_rbeg, &tref));
        if kind & SYNONYMOUS == 0 {
            vstr.push('>');
            vstr.push_str(&aa_sbeg.to_string());
            vstr.push_str(&aa_prediction(brief, aa_sbeg, &tseq));
        }
        vstr.push('|');
        let dna: Vec<String> = nodes[ibeg..=iend]
            .iter()
            .map(|n| format!("{}{}", self.records[n.rec].pos + 1, n.var))
            .collect();
        vstr.push_str(&dna.join("+"));

        let ref_rec = nodes[ref_node].rec;
        let main = Vcsq {
            kind,
            transcript: tr_idx,
            ial: leaf_ial,
            vstr: Some(vstr.clone()),
            reference_pos: None,
        };
        self.staging.push(&self.transcripts, ref_rec, main);
        for (i, n) in nodes.iter().enumerate().take(iend + 1).skip(ibeg) {
            if n.csq & !COMPOUND != 0 {
                let extra = Vcsq {
                    kind: n.csq & !COMPOUND & !rm,
                    transcript: tr_idx,
                    ial: 0,
                    vstr: Some(vstr.clone()),
                    reference_pos: None,
                };
                self.staging.push(&self.transcripts, n.rec, extra);
            }
            if i != ref_node && (kind & COMPOUND != 0 || n.csq & !COMPOUND == 0) {
                let pointer = Vcsq {
                    kind: PRINTED_UPSTREAM | n.csq,
                    transcript: tr_idx,
                    ial: 0,
                    vstr: None,
                    reference_pos: Some(self.records[ref_rec].pos),
                };
                self.staging.push(&self.transcripts, n.rec, pointer);
            }
        }
    }

    /// bcftools' `test_cds`: applies a record to the haplotypes of every
    /// coding transcript whose CDS it touches. Returns whether it did.
    fn test_cds(
        &mut self,
        rec: usize,
        haps: &mut HashMap<usize, BTreeMap<usize, Vec<HapNode>>>,
    ) -> bool {
        let r = &self.records[rec];
        let (a, b) = (r.pos, r.pos + r.rlen());
        let mut hit = false;
        for t in 0..self.transcripts.len() {
            if !self.transcripts[t].coding {
                continue;
            }
            let overlapping: Vec<usize> = self.transcripts[t]
                .cds
                .iter()
                .enumerate()
                .filter(|(_, c)| c.len > 0 && c.beg <= b && c.beg + c.len > a)
                .map(|(i, _)| i)
                .collect();
            for cds_i in overlapping {
                hit = true;
                let carriers: Vec<usize> = match &r.haplotypes {
                    None => vec![0],
                    Some(h) => h.clone(),
                };
                for h in carriers {
                    let parent = haps
                        .get(&t)
                        .and_then(|lists| lists.get(&h))
                        .and_then(|nodes| nodes.last())
                        .cloned();
                    match self.hap_init(parent.as_ref(), t, cds_i, rec) {
                        HapInit::Added(node) => {
                            haps.entry(t).or_default().entry(h).or_default().push(node);
                        }
                        HapInit::Sss(kind) => {
                            self.staging.stage(&self.transcripts, rec, t, kind, 1);
                        }
                        HapInit::Overlapping | HapInit::Silent => {}
                    }
                }
            }
        }
        hit
    }

    fn test_utr(&mut self, rec: usize) -> bool {
        let r = &self.records[rec];
        let (a, b) = (r.pos, r.pos + r.rlen());
        let trs = &self.transcripts;
        let mut hit = false;
        for tr in trs {
            for utr in tr.utrs.iter().filter(|u| u.beg <= b && u.end >= a) {
                let mut s = Splice::new(tr, rec, r);
                let ret = splice_csq(trs, &mut self.staging, &mut s, utr.beg, utr.end);
                if ret == SpliceResult::Inside || ret == SpliceResult::Overlap {
                    let kind = if utr.prime5 { UTR5 } else { UTR3 };
                    self.staging.stage(trs, rec, tr.idx, kind, 1);
                    hit = true;
                }
            }
        }
        hit
    }

    fn test_splice(&mut self, rec: usize) -> bool {
        let r = &self.records[rec];
        let (a, b) = (r.pos, r.pos + r.rlen());
        let trs = &self.transcripts;
        let mut hit = false;
        for tr in trs.iter().filter(|t| !t.cds.is_empty()) {
            // Exons are found with their splice region (8 intron bases)
            // included, as bcftools indexes them.
            let near = |e: &&(i64, i64)| {
                e.0 - N_SPLICE_REGION_INTRON <= b && e.1 + N_SPLICE_REGION_INTRON >= a
            };
            for &(eb, ee) in tr.exons.iter().filter(near) {
                let mut s = Splice::new(tr, rec, r);
                s.check_acceptor = true;
                s.check_donor = true;
                s.check_region_beg = tr.beg != eb;
                s.check_region_end = tr.end != ee;
                splice_csq(trs, &mut self.staging, &mut s, eb, ee);
                if s.csq != 0 {
                    hit = true;
                }
            }
        }
        hit
    }

    /// Symbolic insertions (`feature_elongation`, bcftools'
    /// `test_symbolic_alt`) and deletions (`feature_truncation`).
    fn test_symbolic(&mut self, rec: usize) {
        let r = &self.records[rec];
        let trs = &self.transcripts;
        if let Symbolic::Deletion(end) = r.symbolic {
            let (a, b) = (r.pos + 1, end);
            for tr in trs.iter().filter(|t| t.beg <= b && t.end >= a) {
                self.staging.stage(trs, rec, tr.idx, TRUNCATION, 1);
            }
            return;
        }
        let (a, b) = (r.pos + 1, r.pos + 1);
        let mut hit = false;
        for tr in trs {
            for c in tr
                .cds
                .iter()
                .filter(|c| c.len > 0 && c.beg <= b && c.beg + c.len > a)
            {
                let _ = c;
                let kind = if tr.coding {
                    CODING_SEQUENCE
                } else {
                    NON_CODING
                } | ELONGATION;
                self.staging.stage(trs, rec, tr.idx, kind, 1);
                hit = true;
            }
            for u in tr.utrs.iter().filter(|u| u.beg <= b && u.end >= a) {
                let kind = if u.prime5 { UTR5 } else { UTR3 } | ELONGATION;
                self.staging.stage(trs, rec, tr.idx, kind, 1);
                hit = true;
            }
        }
        for tr in trs.iter().filter(|t| !t.cds.is_empty()) {
            let near = |e: &&(i64, i64)| {
                e.0 - N_SPLICE_REGION_INTRON <= b && e.1 + N_SPLICE_REGION_INTRON >= a
            };
            for &(eb, ee) in tr.exons.iter().filter(near) {
                let mut s = Splice::new(tr, rec, r);
                s.check_acceptor = true;
                s.check_donor = true;
                s.check_region_beg = tr.beg != eb;
                s.check_region_end = tr.end != ee;
                s.csq = ELONGATION;
                splice_csq(trs, &mut self.staging, &mut s, eb, ee);
                hit = true;
            }
        }
        if hit {
            return;
        }
        for tr in trs.iter().filter(|t| t.beg <= b && t.end >= a) {
            let mut s = Splice::new(tr, rec, r);
            s.csq = ELONGATION;
            let ret = splice_csq(trs, &mut self.staging, &mut s, tr.beg, tr.end);
            if ret == SpliceResult::Inside || ret == SpliceResult::Overlap {
                let kind = if tr.coding { INTRON } else { NON_CODING } | ELONGATION;
                self.staging.stage(trs, rec, tr.idx, kind, 1);
            }
        }
    }

    fn test_tscript(&mut self, rec: usize) {
        let r = &self.records[rec];
        let (a, b) = (r.pos, r.pos + r.rlen());
        let trs = &self.transcripts;
        for tr in trs.iter().filter(|t| t.beg <= b && t.end >= a) {
            let mut s = Splice::new(tr, rec, r);
            let ret = splice_csq(trs, &mut self.staging, &mut s, tr.beg, tr.end);
            if ret == SpliceResult::Inside || ret == SpliceResult::Overlap {
                let kind = if tr.coding { INTRON } else { NON_CODING };
                self.staging.stage(trs, rec, tr.idx, kind, 1);
            }
        }
    }
}

/// Reads which haplotypes carry the ALT of a (biallelic) record.
/// Haplotype ids: `2 × sample + i` for phased (or homozygous) alleles;
/// an unphased heterozygous ALT gets an id of its own per record
/// (`2 × samples + record × samples + sample`), so it never combines.
fn haplotypes_of(record: &NormalisedRecord, index: usize, n_samples: usize) -> Option<Vec<usize>> {
    if n_samples == 0 {
        return None;
    }
    // The pipeline parses every record for --bcsq (InputOptions::
    // parse_every_line).
    debug_assert!(
        record.data.as_parsed().is_some(),
        "--bcsq reads parsed records"
    );
    let samples = record.data.as_parsed()?.samples();
    let mut haps = Vec::new();
    let Some(series) = samples.select(key::GENOTYPE) else {
        return Some(haps);
    };
    for s in 0..n_samples {
        let Some(Some(SampleValue::Genotype(gt))) = series.get(s) else {
            continue;
        };
        let alleles: Vec<_> = gt.as_ref().to_vec();
        let phased = alleles
            .iter()
            .skip(1)
            .all(|a| a.phasing() == Phasing::Phased);
        let alt: Vec<bool> = alleles.iter().map(|a| a.position() == Some(1)).collect();
        let is_het = alt.iter().any(|&x| x) && !alt.iter().all(|&x| x);
        if alleles.len() > 2 {
            continue;
        }
        for (h, &is_alt) in alt.iter().enumerate() {
            if !is_alt {
                continue;
            }
            if phased || !is_het {
                haps.push(2 * s + h);
            } else {
                // Unphased heterozygous: a haplotype of its own.
                haps.push(2 * n_samples + index * n_samples + s);
            }
        }
    }
    Some(haps)
}

/// BCSQ values for the records of one block (same order), `None` where
/// there is no consequence. `brief` abbreviates protein changes (bcftools
/// `-B`); `local` annotates every record alone (bcftools `-l`).
pub fn annotate_block(
    model: &GeneModel,
    contigs: &dyn Fn(&str) -> Option<Arc<ContigSequence>>,
    block: &[NormalisedRecord],
    n_samples: usize,
    brief: usize,
    local: bool,
) -> Vec<Option<String>> {
    let mut out = vec![None; block.len()];
    let Some(first) = block.first() else {
        return out;
    };
    let chrom = first.allele.chrom.clone();
    let Some(contig) = contigs(&chrom) else {
        return out;
    };
    // Records as written in the input, in input order.
    let mut order: Vec<usize> = Vec::new();
    let mut records: Vec<BRecord> = Vec::new();
    for (i, r) in block.iter().enumerate() {
        let (pos, reference, alt) = match &r.original {
            Some(o) if o.alt_index >= 1 && o.alt_index <= o.alt_alleles.len() => (
                o.pos,
                o.ref_allele.clone(),
                o.alt_alleles[o.alt_index - 1].clone(),
            ),
            _ => (
                r.allele.pos,
                r.allele.ref_allele.clone(),
                r.allele.alt_allele.clone(),
            ),
        };
        let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
        if !ok(&reference) {
            continue;
        }
        let symbolic = if ok(&alt) {
            Symbolic::No
        } else if alt.starts_with("<INS") {
            Symbolic::Insertion
        } else if alt.starts_with("<DEL") {
            let end = match r.data.as_parsed().and_then(|p| p.info().get("END")) {
                Some(Some(InfoValue::Integer(e))) => i64::from(*e) - 1,
                _ => pos as i64 - 1 + reference.len() as i64 - 1,
            };
            Symbolic::Deletion(end)
        } else {
            continue;
        };
        order.push(i);
        records.push(BRecord {
            pos: pos as i64 - 1,
            reference: reference.to_ascii_uppercase().into_bytes(),
            alt: alt.to_ascii_uppercase().into_bytes(),
            // Local mode (bcftools -l): every record on a haplotype of its own.
            haplotypes: if local {
                Some(vec![i])
            } else {
                haplotypes_of(r, i, n_samples)
            },
            symbolic,
        });
    }
    // bcftools needs sorted input; keep input order for equal positions.
    let mut idx: Vec<usize> = (0..records.len()).collect();
    idx.sort_by_key(|&i| (records[i].pos, i));
    let records: Vec<BRecord> = idx.iter().map(|&i| records[i].clone()).collect();
    let order: Vec<usize> = idx.iter().map(|&i| order[i]).collect();
    if records.is_empty() {
        return out;
    }
    let lo = records.iter().map(|r| r.pos).min().unwrap_or(0).max(0) as u64 + 1;
    let hi = records
        .iter()
        .map(|r| r.pos + r.rlen() + 1)
        .max()
        .unwrap_or(0) as u64
        + 1;
    let mut seen = HashSet::new();
    let mut transcripts = Vec::new();
    for tr in model.overlapping(&chrom, lo, hi, 1) {
        if seen.insert(tr.id.clone()) {
            let idx = transcripts.len();
            transcripts.push(BTranscript::new(idx, &tr, &contig));
        }
    }
    let mut engine = Engine {
        transcripts,
        records: &records,
        staging: Staging {
            per_record: vec![Vec::new(); records.len()],
        },
    };
    let mut haps: HashMap<usize, BTreeMap<usize, Vec<HapNode>>> = HashMap::new();
    for (rec, record) in records.iter().enumerate() {
        if record.symbolic != Symbolic::No {
            engine.test_symbolic(rec);
            continue;
        }
        let mut hit = engine.test_cds(rec, &mut haps);
        hit |= engine.test_utr(rec);
        hit |= engine.test_splice(rec);
        if !hit {
            engine.test_tscript(rec);
        }
    }
    let mut tr_ids: Vec<usize> = haps.keys().copied().collect();
    tr_ids.sort_unstable();
    for t in tr_ids {
        let lists = haps.remove(&t).unwrap_or_default();
        let mut done: HashSet<Vec<usize>> = HashSet::new();
        for nodes in lists.into_values() {
            let key: Vec<usize> = nodes.iter().map(|n| n.rec).collect();
            if nodes.is_empty() || !done.insert(key) {
                continue;
            }
            engine.hap_finalize(t, &nodes, brief);
        }
    }
    for (rec, list) in engine.staging.per_record.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let text: Vec<String> = list
            .iter()
            .map(|v| format_vcsq(&engine.transcripts, &records, v))
            .collect();
        out[order[rec]] = Some(text.join(","));
    }
    out
}

/// One BCSQ entry as bcftools' `kput_vcsq` writes it.
fn format_vcsq(transcripts: &[BTranscript], records: &[BRecord], v: &Vcsq) -> String {
    let _ = records;
    let mut kind = v.kind;
    if kind & INCOMPLETE_CDS != 0 && kind & !(START_STOP | INCOMPLETE_CDS | UPSTREAM_STOP) != 0 {
        kind &= !(START_STOP | INCOMPLETE_CDS);
    }
    if kind & START_STOP != 0 && kind & MISSENSE != 0 {
        kind &= !MISSENSE;
    }
    if kind & PRINTED_UPSTREAM != 0
        && let Some(p) = v.reference_pos
    {
        return format!("@{}", p + 1);
    }
    let tr = &transcripts[v.transcript];
    if tr.is_nmd && kind & !(INTRON | NON_CODING) != 0 {
        kind |= NMD_TRANSCRIPT;
    }
    let mut s = String::new();
    if kind & UPSTREAM_STOP != 0 {
        s.push('*');
    }
    let names: Vec<&str> = NAMES
        .iter()
        .filter(|(bit, _)| kind & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    s.push_str(&names.join("&"));
    s.push('|');
    s.push_str(&tr.gene);
    s.push('|');
    if kind & PRN_TSCRIPT != 0 {
        s.push_str(&tr.id);
    }
    s.push('|');
    s.push_str(&tr.biotype);
    let prn_strand =
        kind & COMPOUND != 0 && kind & (SPLICE_ACCEPTOR | SPLICE_DONOR | SPLICE_REGION) == 0;
    let vstr = v.vstr.as_deref().unwrap_or("");
    if prn_strand || !vstr.is_empty() {
        s.push_str(if tr.fwd { "|+" } else { "|-" });
    }
    s.push_str(vstr);
    s
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use noodles::core::Position;
    use noodles::vcf::variant::RecordBuf;
    use noodles::vcf::variant::record_buf::samples::{Keys, Samples};
    use variant_model::{GenomicAllele, Strand};

    use super::*;
    use crate::consequence::transcript_seq::tests::{contig, transcript};
    use crate::record::RecordData;

    //                 123456789012345678
    const FORWARD: &str = "ATGGCCAAAGGGTTTTAAGGGGGGGG";

    fn record(pos: u64, r: &str, a: &str, genotypes: &[&str]) -> NormalisedRecord {
        let mut builder = RecordBuf::builder()
            .set_reference_sequence_name("1")
            .set_variant_start(Position::try_from(pos as usize).unwrap())
            .set_reference_bases(r)
            .set_alternate_bases(vec![a.to_string()].into());
        if !genotypes.is_empty() {
            let keys: Keys = [String::from("GT")].into_iter().collect();
            let values = genotypes
                .iter()
                .map(|g| vec![Some(SampleValue::Genotype(g.parse().unwrap()))])
                .collect();
            builder = builder.set_samples(Samples::new(keys, values));
        }
        NormalisedRecord {
            line: pos,
            data: RecordData::from_parsed(Box::new(builder.build()), None),
            allele: GenomicAllele::new("1", pos, r, a),
            original: None,
            flags: Vec::new(),
        }
    }

    fn run(
        seq: &str,
        strand: Strand,
        cds: (u64, u64),
        records: &[NormalisedRecord],
        samples: usize,
    ) -> Vec<Option<String>> {
        let tr = transcript("T", strand, &[(1, seq.len() as u64)], Some(cds));
        let model = GeneModel::from_transcripts([tr]);
        let c = contig("1", seq);
        let contigs = move |_: &str| Some(Arc::clone(&c));
        annotate_block(&model, &contigs, records, samples, 0, false)
    }

    #[test]
    fn single_variants() {
        let out = run(
            FORWARD,
            Strand::Forward,
            (1, 18),
            &[record(5, "C", "A", &[])],
            0,
        );
        assert_eq!(
            out[0].as_deref(),
            Some("missense|SYM_T|T|protein_coding|+|2A>2D|5C>A")
        );
        let out = run(
            FORWARD,
            Strand::Forward,
            (1, 18),
            &[record(6, "C", "T", &[])],
            0,
        );
        assert_eq!(
            out[0].as_deref(),
            Some("synonymous|SYM_T|T|protein_coding|+|2A|6C>T")
        );
        let out = run(
            FORWARD,
            Strand::Forward,
            (1, 18),
            &[record(7, "A", "T", &[])],
            0,
        );
        assert_eq!(
            out[0].as_deref(),
            Some("stop_gained|SYM_T|T|protein_coding|+|3K>3*|7A>T")
        );
        // Frameshift: the new reading frame is translated to its stop.
        let out = run(
            FORWARD,
            Strand::Forward,
            (1, 18),
            &[record(9, "AG", "A", &[])],
            0,
        );
        assert_eq!(
            out[0].as_deref(),
            // bcftools starts at the codon of the VCF anchor base.
            Some("frameshift|SYM_T|T|protein_coding|+|3KGF*>3KGF|9AG>A")
        );
    }

    #[test]
    fn variants_in_one_codon_combine_without_samples() {
        let records = [record(4, "G", "T", &[]), record(5, "C", "A", &[])];
        let out = run(FORWARD, Strand::Forward, (1, 18), &records, 0);
        assert_eq!(
            out[0].as_deref(),
            Some("missense|SYM_T|T|protein_coding|+|2A>2Y|4G>T+5C>A")
        );
        assert_eq!(out[1].as_deref(), Some("@4"));
    }

    #[test]
    fn phased_haplotypes_decide_what_combines() {
        // Same haplotype: combined.
        let records = [record(4, "G", "T", &["0|1"]), record(5, "C", "A", &["0|1"])];
        let out = run(FORWARD, Strand::Forward, (1, 18), &records, 1);
        assert_eq!(
            out[0].as_deref(),
            Some("missense|SYM_T|T|protein_coding|+|2A>2Y|4G>T+5C>A")
        );
        assert_eq!(out[1].as_deref(), Some("@4"));
        // Different haplotypes, or unphased: each alone.
        for gts in [["1|0", "0|1"], ["0/1", "0/1"]] {
            let records = [
                record(4, "G", "T", &[gts[0]]),
                record(5, "C", "A", &[gts[1]]),
            ];
            let out = run(FORWARD, Strand::Forward, (1, 18), &records, 1);
            assert_eq!(
                out[0].as_deref(),
                Some("missense|SYM_T|T|protein_coding|+|2A>2S|4G>T"),
                "{gts:?}"
            );
            assert_eq!(
                out[1].as_deref(),
                Some("missense|SYM_T|T|protein_coding|+|2A>2D|5C>A"),
                "{gts:?}"
            );
        }
    }

    #[test]
    fn reverse_strand_reports_on_the_first_variant_in_transcript_order() {
        let seq = String::from_utf8(variant_model::protein::reverse_complement(
            FORWARD.as_bytes(),
        ))
        .unwrap();
        let n = seq.len() as u64;
        // Mirror of positions 4 and 5 (codon 2 GCC): n+1-5 and n+1-4.
        let (a, b) = (n + 1 - 5, n + 1 - 4);
        let ra = (seq.as_bytes()[a as usize - 1] as char).to_string();
        let rb = (seq.as_bytes()[b as usize - 1] as char).to_string();
        // C>A at forward 5 is G>T here; G>T at forward 4 is C>A here.
        let records = [record(a, &ra, "T", &[]), record(b, &rb, "A", &[])];
        let out = run(&seq, Strand::Reverse, (n + 1 - 18, n), &records, 0);
        assert_eq!(out[0].as_deref(), Some(format!("@{b}").as_str()));
        assert_eq!(
            out[1].as_deref(),
            Some(format!("missense|SYM_T|T|protein_coding|-|2A>2Y|{a}{ra}>T+{b}{rb}>A").as_str())
        );
    }

    #[test]
    fn introns_and_utrs_outside_the_cds() {
        let seq = "CCCCCATGGCCGTAAGTTTTTTTTTTTTTTTTTTTTCAGAAATAAGGGG";
        //         5'UTR 1-5, CDS 6-11 | intron 12-38 | 39-44 CDS (AAATAA), 45-49 UTR
        let tr = transcript("T", Strand::Forward, &[(1, 11), (39, 49)], Some((6, 44)));
        let model = GeneModel::from_transcripts([tr]);
        let c = contig("1", seq);
        let contigs = move |_: &str| Some(Arc::clone(&c));
        let records = [
            record(2, "C", "A", &[]),
            record(13, "T", "C", &[]),
            record(25, "T", "C", &[]),
            record(47, "G", "A", &[]),
        ];
        let out = annotate_block(&model, &contigs, &records, 0, 0, false);
        assert_eq!(
            out[0].as_deref(),
            Some("5_prime_utr|SYM_T|T|protein_coding")
        );
        assert_eq!(
            out[1].as_deref(),
            Some("splice_donor|SYM_T|T|protein_coding")
        );
        assert_eq!(out[2].as_deref(), Some("intron|SYM_T||protein_coding"));
        assert_eq!(
            out[3].as_deref(),
            Some("3_prime_utr|SYM_T|T|protein_coding")
        );
    }
}
