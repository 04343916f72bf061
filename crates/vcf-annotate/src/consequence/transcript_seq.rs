//! A transcript with its sequences, built once per transcript and block:
//! exons in transcript order with their cDNA offsets, the spliced cDNA, the
//! translateable CDS and its protein, and genomic ↔ transcript coordinate
//! mapping (with HGVS intron offsets).

use std::sync::Arc;

use variant_model::Strand;
use variant_model::protein::{GeneticCode, STOP, reverse_complement};

use crate::gene_model::Transcript;
use crate::reference::ContigSequence;

/// One exon in transcript order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxExon {
    pub start: u64,
    pub end: u64,
    /// cDNA position (1-based) of the exon's 5' base in transcript orientation.
    pub cdna_start: u64,
    /// Rank as the gene model numbers it.
    pub number: u32,
}

impl TxExon {
    pub fn cdna_end(&self) -> u64 {
        self.cdna_start + (self.end - self.start)
    }
}

/// Where a genomic position falls on a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxPos {
    /// In an exon (`exon` = index in transcript order).
    Exon { cdna: u64, exon: usize },
    /// In the intron after exon `intron` (transcript order); `anchor` is the
    /// cDNA position of the nearest exon base and `offset` the signed
    /// distance from it (`+` after a donor, `-` before an acceptor), as HGVS
    /// writes `c.123+5` / `c.124-3`.
    Intron {
        intron: usize,
        anchor: u64,
        offset: i64,
    },
    /// 5' of the transcript, by this many bases.
    Upstream(u64),
    /// 3' of the transcript, by this many bases.
    Downstream(u64),
}

impl TxPos {
    pub fn cdna(self) -> Option<u64> {
        match self {
            TxPos::Exon { cdna, .. } => Some(cdna),
            _ => None,
        }
    }
}

/// Coding part of a transcript.
#[derive(Debug, Clone)]
pub struct Coding {
    /// cDNA positions (1-based, inclusive) of the first and last CDS base.
    pub cds_start: u64,
    pub cds_end: u64,
    /// `N`s put before the CDS so that an incomplete 5' CDS (GFF phase > 0)
    /// stays in frame, as Ensembl does.
    pub pad: u64,
    /// Translateable sequence: `pad` × `N` then the CDS bases.
    pub cds: Vec<u8>,
    /// Translation of `cds` (complete codons only; `*` for stops).
    pub protein: Vec<u8>,
    pub code: GeneticCode,
}

impl Coding {
    /// CDS position (1-based, counting the padding) of a cDNA position
    /// inside the CDS.
    pub fn cds_pos(&self, cdna: u64) -> Option<u64> {
        (cdna >= self.cds_start && cdna <= self.cds_end)
            .then(|| cdna - self.cds_start + 1 + self.pad)
    }

    /// Length of the CDS including the padding.
    pub fn len(&self) -> u64 {
        self.cds.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.cds.is_empty()
    }
}

/// A transcript and the sequences derived from it.
#[derive(Debug)]
pub struct TranscriptSeq {
    pub tr: Arc<Transcript>,
    /// Exons in transcript (5'→3') order.
    pub exons: Vec<TxExon>,
    /// Spliced transcript sequence in transcript orientation.
    pub cdna: Vec<u8>,
    pub coding: Option<Coding>,
    /// Genomic sequence of the transcript span plus flanks, for 3' shifting
    /// and splice-site context (forward strand; `genomic_start` is the
    /// contig position of its first base).
    pub contig: Arc<ContigSequence>,
}

impl TranscriptSeq {
    pub fn new(tr: Arc<Transcript>, contig: Arc<ContigSequence>) -> Self {
        let forward = tr.strand == Strand::Forward;
        let mut ordered: Vec<_> = tr.exons.clone();
        ordered.sort_by_key(|e| e.start);
        if !forward {
            ordered.reverse();
        }
        let mut exons = Vec::with_capacity(ordered.len());
        let mut cdna = Vec::with_capacity(tr.cdna_length() as usize);
        let mut next = 1;
        for e in &ordered {
            exons.push(TxExon {
                start: e.start,
                end: e.end,
                cdna_start: next,
                number: e.number,
            });
            next += e.end - e.start + 1;
            let bases = contig_slice(&contig, e.start, e.end);
            if forward {
                cdna.extend_from_slice(&bases);
            } else {
                cdna.extend(reverse_complement(&bases));
            }
        }
        let mut seq = Self {
            tr: Arc::clone(&tr),
            exons,
            cdna,
            coding: None,
            contig,
        };
        seq.coding = seq.build_coding();
        seq
    }

    fn build_coding(&self) -> Option<Coding> {
        let tr = &self.tr;
        if tr.cds.is_empty() {
            return None;
        }
        let lo = tr.cds.iter().map(|c| c.start).min()?;
        let hi = tr.cds.iter().map(|c| c.end).max()?;
        let forward = tr.strand == Strand::Forward;
        let (five, three) = if forward { (lo, hi) } else { (hi, lo) };
        let cds_start = self.map(five).cdna()?;
        let cds_end = self.map(three).cdna()?;
        if cds_end < cds_start {
            return None;
        }
        // Phase of the 5'-most CDS segment in transcript orientation.
        let first = if forward {
            tr.cds.iter().min_by_key(|c| c.start)
        } else {
            tr.cds.iter().max_by_key(|c| c.end)
        }?;
        let pad = u64::from(first.phase % 3);
        let mut cds = vec![b'N'; pad as usize];
        cds.extend_from_slice(&self.cdna[(cds_start - 1) as usize..cds_end as usize]);
        let code = GeneticCode::for_contig(&tr.chrom);
        let protein = code.translate(&cds);
        Some(Coding {
            cds_start,
            cds_end,
            pad,
            cds,
            protein,
            code,
        })
    }

    pub fn is_forward(&self) -> bool {
        self.tr.strand == Strand::Forward
    }

    /// Maps a genomic position to the transcript.
    pub fn map(&self, pos: u64) -> TxPos {
        let tr = &self.tr;
        let forward = self.is_forward();
        if pos < tr.start {
            let d = tr.start - pos;
            return if forward {
                TxPos::Upstream(d)
            } else {
                TxPos::Downstream(d)
            };
        }
        if pos > tr.end {
            let d = pos - tr.end;
            return if forward {
                TxPos::Downstream(d)
            } else {
                TxPos::Upstream(d)
            };
        }
        for (i, e) in self.exons.iter().enumerate() {
            if pos >= e.start && pos <= e.end {
                let cdna = if forward {
                    e.cdna_start + (pos - e.start)
                } else {
                    e.cdna_start + (e.end - pos)
                };
                return TxPos::Exon { cdna, exon: i };
            }
        }
        for i in 0..self.exons.len().saturating_sub(1) {
            let (a, b) = (self.exons[i], self.exons[i + 1]);
            let (d5, d3) = if forward {
                if pos <= a.end || pos >= b.start {
                    continue;
                }
                (pos - a.end, b.start - pos)
            } else {
                if pos >= a.start || pos <= b.end {
                    continue;
                }
                (a.start - pos, pos - b.end)
            };
            return if d5 <= d3 {
                TxPos::Intron {
                    intron: i,
                    anchor: a.cdna_end(),
                    offset: d5 as i64,
                }
            } else {
                TxPos::Intron {
                    intron: i,
                    anchor: b.cdna_start,
                    offset: -(d3 as i64),
                }
            };
        }
        // Inside the transcript span but outside every exon: only possible
        // with exons that do not reach the transcript ends.
        if forward == (pos < self.exons.first().map_or(pos, |e| e.start.min(e.end))) {
            TxPos::Upstream(0)
        } else {
            TxPos::Downstream(0)
        }
    }

    /// Introns as genomic `(start, end)` in transcript order.
    pub fn introns(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.exons.windows(2).map(move |w| {
            if w[0].start < w[1].start {
                (w[0].end + 1, w[1].start - 1)
            } else {
                (w[1].end + 1, w[0].start - 1)
            }
        })
    }

    /// Forward-strand genomic bases `start..=end`, `N` outside the contig.
    pub fn genomic(&self, start: u64, end: u64) -> Vec<u8> {
        contig_slice(&self.contig, start, end)
    }

    /// Base at a genomic position, `N` outside the contig.
    pub fn base(&self, pos: u64) -> u8 {
        self.contig.slice(pos, pos).map_or(b'N', |s| s[0])
    }

    /// The protein up to and including its first stop.
    pub fn protein_to_stop(&self) -> Option<&[u8]> {
        let coding = self.coding.as_ref()?;
        let end = coding
            .protein
            .iter()
            .position(|&a| a == STOP)
            .map_or(coding.protein.len(), |i| i + 1);
        Some(&coding.protein[..end])
    }
}

/// Bases `start..=end` of a contig, with `N` for positions outside it.
pub fn contig_slice(contig: &ContigSequence, start: u64, end: u64) -> Vec<u8> {
    if end < start {
        return Vec::new();
    }
    if start >= 1
        && end <= contig.len()
        && let Some(s) = contig.slice(start, end)
    {
        return s.to_vec();
    }
    (start..=end)
        .map(|p| contig.slice(p, p).map_or(b'N', |s| s[0]))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::gene_model::{CdsSegment, Exon, TranscriptSource};

    /// Builds a transcript from exons and a CDS span (genomic, inclusive).
    pub(crate) fn transcript(
        id: &str,
        strand: Strand,
        exons: &[(u64, u64)],
        cds: Option<(u64, u64)>,
    ) -> Transcript {
        let n = exons.len() as u32;
        let exon_list: Vec<Exon> = exons
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| Exon {
                start,
                end,
                number: if strand == Strand::Forward {
                    i as u32 + 1
                } else {
                    n - i as u32
                },
            })
            .collect();
        let mut segments = Vec::new();
        if let Some((cs, ce)) = cds {
            for &(s, e) in exons {
                let (s, e) = (s.max(cs), e.min(ce));
                if s <= e {
                    segments.push(CdsSegment {
                        start: s,
                        end: e,
                        phase: 0,
                    });
                }
            }
        }
        Transcript {
            id: id.into(),
            version: Some("1".into()),
            gene_id: format!("GENE_{id}"),
            gene_symbol: Some(format!("SYM_{id}")),
            gene_symbol_source: None,
            hgnc_id: None,
            biotype: if cds.is_some() {
                "protein_coding".into()
            } else {
                "lncRNA".into()
            },
            chrom: "1".into(),
            strand,
            start: exons.iter().map(|e| e.0).min().unwrap(),
            end: exons.iter().map(|e| e.1).max().unwrap(),
            exons: exon_list,
            cds: segments,
            protein_id: cds.map(|_| format!("P_{id}.1")),
            tags: Vec::new(),
            mane_select: None,
            mane_plus_clinical: None,
            is_canonical: false,
            tsl: None,
            ccds: None,
            cds_start_nf: false,
            cds_end_nf: false,
            source: TranscriptSource::Ensembl,
            exception: None,
        }
    }

    pub(crate) fn contig(name: &str, seq: &str) -> Arc<ContigSequence> {
        Arc::new(ContigSequence {
            name: name.into(),
            sequence: seq.as_bytes().to_vec(),
        })
    }

    #[test]
    fn maps_positions_on_the_forward_strand() {
        //            1234567890123456789012345
        let seq = "AAATGGCCGTTTTTTTTAGGTAAAT";
        let tr = transcript("T", Strand::Forward, &[(3, 9), (18, 24)], Some((3, 23)));
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", seq));
        assert_eq!(ts.cdna, b"ATGGCCGAGGTAAA".to_vec());
        assert_eq!(ts.map(3), TxPos::Exon { cdna: 1, exon: 0 });
        assert_eq!(ts.map(18), TxPos::Exon { cdna: 8, exon: 1 });
        assert_eq!(
            ts.map(10),
            TxPos::Intron {
                intron: 0,
                anchor: 7,
                offset: 1
            }
        );
        assert_eq!(
            ts.map(17),
            TxPos::Intron {
                intron: 0,
                anchor: 8,
                offset: -1
            }
        );
        assert_eq!(ts.map(1), TxPos::Upstream(2));
        assert_eq!(ts.map(25), TxPos::Downstream(1));
        let coding = ts.coding.as_ref().unwrap();
        assert_eq!((coding.cds_start, coding.cds_end), (1, 13));
        assert_eq!(coding.protein, b"MAEV".to_vec());
    }

    #[test]
    fn maps_positions_on_the_reverse_strand() {
        let seq = "TTTACCTCGGCCATGG";
        // transcript 2..15 reverse; cDNA = revcomp(2..15) = CATGGCCGAGGTAA
        let tr = transcript("R", Strand::Reverse, &[(2, 15)], Some((4, 15)));
        let ts = TranscriptSeq::new(Arc::new(tr), contig("1", seq));
        assert_eq!(ts.cdna, b"CATGGCCGAGGTAA".to_vec());
        assert_eq!(ts.map(15), TxPos::Exon { cdna: 1, exon: 0 });
        assert_eq!(ts.map(16), TxPos::Upstream(1));
        assert_eq!(ts.map(1), TxPos::Downstream(1));
        let coding = ts.coding.as_ref().unwrap();
        assert_eq!(coding.cds, b"CATGGCCGAGGT".to_vec());
    }
}
