//! The synthetic demo genome: gene models described in `assets/demo/genes.toml`
//! laid out at real GRCh38 coordinates, with random exon sequence except the
//! codons of well-known cancer variants, and N everywhere else.
//!
//! Everything is derived from the description and a fixed seed, so the FASTA
//! and GFF3 are byte-identical on every run (the demo bundle pins their sha256).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, bail, ensure};
use serde::Deserialize;
use variant_model::protein::{GeneticCode, reverse_complement};

use crate::rng::{Rng, sense_codons};

/// Bases of real sequence kept on each side of an exon inside introns.
pub const INTRON_FLANK: u64 = 30;
/// Intron length used 5' of the first and 3' of the last anchored exon.
const FREE_INTRON: u64 = 1_500;
/// Shortest intron allowed between exons squeezed between anchors.
const MIN_INTRON: u64 = 80;
/// Length of each non-coding leading exon.
const NONCODING_EXON: u64 = 100;
/// 5' UTR bases in the first coding exon, and 3' UTR after the stop codon.
const UTR5_IN_CODING_EXON: u64 = 50;
const UTR3: u64 = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesFile {
    pub build: String,
    pub seed: u64,
    pub contigs: BTreeMap<String, u64>,
    pub gene: Vec<GeneSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneSpec {
    pub symbol: String,
    pub gene_id: String,
    pub hgnc_id: String,
    pub description: String,
    pub transcript_id: String,
    pub protein_id: String,
    pub chrom: String,
    pub strand: String,
    pub exons: u32,
    #[serde(default)]
    pub noncoding_first_exons: u32,
    pub protein_length: u64,
    pub anchors: Vec<Anchor>,
    /// Protein position → codon (transcript orientation).
    #[serde(default)]
    pub codons: BTreeMap<String, String>,
}

/// An exon placed at real coordinates: CDS bases `cds_start..=cds_end`, with
/// CDS base `c` at genome position `pos`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub exon: u32,
    pub cds_start: u64,
    pub cds_end: u64,
    pub c: u64,
    pub pos: u64,
}

/// One exon of a laid-out transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedExon {
    pub number: u32,
    /// Genomic interval, 1-based inclusive.
    pub start: u64,
    pub end: u64,
    /// Transcript coordinates (1-based) of the exon's 5' and 3' ends.
    pub tx_start: u64,
    pub tx_end: u64,
}

/// A transcript laid out on its contig, with its spliced sequence.
#[derive(Debug, Clone)]
pub struct PlacedGene {
    pub spec_index: usize,
    pub reverse: bool,
    pub exons: Vec<PlacedExon>,
    /// Spliced transcript sequence, 5' to 3'.
    pub transcript: Vec<u8>,
    /// Transcript coordinates of the first and last CDS base (stop included).
    pub cds_tx_start: u64,
    pub cds_tx_end: u64,
}

impl PlacedGene {
    pub fn start(&self) -> u64 {
        self.exons.iter().map(|e| e.start).min().unwrap_or(0)
    }

    pub fn end(&self) -> u64 {
        self.exons.iter().map(|e| e.end).max().unwrap_or(0)
    }

    /// Genomic position of a transcript coordinate.
    pub fn genomic(&self, tx: u64) -> Option<u64> {
        self.exons
            .iter()
            .find(|e| (e.tx_start..=e.tx_end).contains(&tx))
            .map(|e| {
                if self.reverse {
                    e.end - (tx - e.tx_start)
                } else {
                    e.start + (tx - e.tx_start)
                }
            })
    }
}

/// Coding sequence: ATG, random sense codons with the fixed ones in place,
/// a stop codon.
fn coding_sequence(spec: &GeneSpec, rng: &mut Rng) -> anyhow::Result<Vec<u8>> {
    let mut fixed = BTreeMap::new();
    for (position, codon) in &spec.codons {
        let p: u64 = position
            .parse()
            .with_context(|| format!("{}: codon position `{position}`", spec.symbol))?;
        let codon = codon.as_bytes();
        ensure!(
            (2..=spec.protein_length).contains(&p),
            "{}: codon {p} is outside residues 2..{}",
            spec.symbol,
            spec.protein_length
        );
        ensure!(
            codon.len() == 3 && GeneticCode::Standard.translate_codon(codon) != b'*',
            "{}: codon {p} must be a sense codon",
            spec.symbol
        );
        fixed.insert(p, [codon[0], codon[1], codon[2]]);
    }
    let sense = sense_codons();
    let mut cds = b"ATG".to_vec();
    for residue in 2..=spec.protein_length {
        let codon = fixed
            .get(&residue)
            .copied()
            .unwrap_or_else(|| rng.pick(&sense));
        cds.extend_from_slice(&codon);
    }
    cds.extend_from_slice(rng.pick(&[b"TAA", b"TAG", b"TGA"]));
    Ok(cds)
}

/// Splits `total` bases into `parts` near-equal sizes, larger ones first.
fn split_evenly(total: u64, parts: u64) -> Vec<u64> {
    (0..parts)
        .map(|i| total / parts + u64::from(i < total % parts))
        .collect()
}

/// Lays out one gene: exon sizes, transcript coordinates and genomic positions.
pub fn place_gene(spec: &GeneSpec, spec_index: usize, seed: u64) -> anyhow::Result<PlacedGene> {
    let name = &spec.symbol;
    let reverse = match spec.strand.as_str() {
        "+" => false,
        "-" => true,
        other => bail!("{name}: strand must be + or -, not `{other}`"),
    };
    let cds_len = spec.protein_length * 3 + 3;
    let n = u64::from(spec.exons);
    let first_coding = u64::from(spec.noncoding_first_exons) + 1;
    ensure!(
        first_coding <= n,
        "{name}: no coding exon left after the non-coding ones"
    );
    let mut anchors = spec.anchors.clone();
    anchors.sort_by_key(|a| a.exon);
    ensure!(!anchors.is_empty(), "{name}: needs at least one anchor");
    for a in &anchors {
        let e = u64::from(a.exon);
        ensure!(
            (first_coding..=n).contains(&e)
                && a.cds_start <= a.c
                && a.c <= a.cds_end
                && a.cds_end <= cds_len,
            "{name}: anchor on exon {} is inconsistent",
            a.exon
        );
        ensure!(
            (a.cds_start == 1) == (e == first_coding),
            "{name}: the first coding exon must start at c.1 and only it"
        );
        ensure!(
            (a.cds_end == cds_len) == (e == n),
            "{name}: the last exon must end at the stop codon (c.{cds_len}) and only it"
        );
    }

    // CDS range of every coding exon: anchors fixed, others share the rest.
    let mut cds_ranges: BTreeMap<u64, (u64, u64)> = BTreeMap::new();
    for a in &anchors {
        cds_ranges.insert(u64::from(a.exon), (a.cds_start, a.cds_end));
    }
    let mut previous: (u64, u64) = (first_coding - 1, 0); // (exon, last c)
    let boundaries: Vec<(u64, u64, u64)> = anchors
        .iter()
        .map(|a| (u64::from(a.exon), a.cds_start, a.cds_end))
        .chain(std::iter::once((n + 1, cds_len + 1, cds_len + 1)))
        .collect();
    for (exon, cds_start, cds_end) in boundaries {
        let run = exon - previous.0 - 1;
        let bases = cds_start - previous.1 - 1;
        ensure!(
            (run == 0) == (bases == 0) && bases >= run * 20,
            "{name}: exons {}..{} cannot hold c.{}..c.{}",
            previous.0 + 1,
            exon - 1,
            previous.1 + 1,
            cds_start - 1
        );
        let mut c = previous.1 + 1;
        for (i, size) in split_evenly(bases, run).into_iter().enumerate() {
            cds_ranges.insert(previous.0 + 1 + i as u64, (c, c + size - 1));
            c += size;
        }
        previous = (exon, cds_end);
    }

    // Transcript coordinates: non-coding exons, then coding exons with the
    // remaining 5' UTR in the first and the 3' UTR in the last.
    let utr5 = u64::from(spec.noncoding_first_exons) * NONCODING_EXON + UTR5_IN_CODING_EXON;
    let mut tx_ranges = Vec::new();
    let mut t = 1;
    for exon in 1..=n {
        let len = if exon < first_coding {
            NONCODING_EXON
        } else {
            let (s, e) = cds_ranges[&exon];
            let mut len = e - s + 1;
            if exon == first_coding {
                len += UTR5_IN_CODING_EXON;
            }
            if exon == n {
                len += UTR3;
            }
            len
        };
        tx_ranges.push((t, t + len - 1));
        t += len;
    }

    // Oriented axis: increases 5'→3' along the transcript on either strand.
    let orient = |g: u64| if reverse { -(g as i64) } else { g as i64 };
    let mut oriented: Vec<Option<i64>> = vec![None; n as usize];
    for a in &anchors {
        let i = (a.exon - 1) as usize;
        let t_of_c = utr5 + a.c;
        oriented[i] = Some(orient(a.pos) - (t_of_c - tx_ranges[i].0) as i64);
    }
    let exon_len = |i: usize| (tx_ranges[i].1 - tx_ranges[i].0 + 1) as i64;
    // Before the first anchor and after the last: fixed-size introns.
    let first_anchor = (anchors[0].exon - 1) as usize;
    for i in (0..first_anchor).rev() {
        let next = oriented[i + 1].expect("placed");
        oriented[i] = Some(next - FREE_INTRON as i64 - exon_len(i));
    }
    let last_anchor = (anchors[anchors.len() - 1].exon - 1) as usize;
    for i in last_anchor + 1..n as usize {
        let prev = oriented[i - 1].expect("placed");
        oriented[i] = Some(prev + exon_len(i - 1) + FREE_INTRON as i64);
    }
    // Between anchors: spread the exons evenly over the gap.
    for pair in anchors.windows(2) {
        let (a, b) = ((pair[0].exon - 1) as usize, (pair[1].exon - 1) as usize);
        let gap_start = oriented[a].expect("anchor") + exon_len(a);
        let gap_end = oriented[b].expect("anchor"); // exclusive
        let inner: i64 = (a + 1..b).map(exon_len).sum();
        let introns = (b - a) as i64;
        let intron = (gap_end - gap_start - inner) / introns;
        ensure!(
            intron >= MIN_INTRON as i64,
            "{name}: exons {} and {} are too close for the exons between them",
            a + 1,
            b + 1
        );
        let mut o = gap_start + intron;
        for (i, slot) in oriented.iter_mut().enumerate().take(b).skip(a + 1) {
            *slot = Some(o);
            o += exon_len(i) + intron;
        }
    }

    let mut exons = Vec::new();
    for (i, (tx_start, tx_end)) in tx_ranges.iter().copied().enumerate() {
        let o5 = oriented[i].expect("every exon placed");
        let o3 = o5 + exon_len(i) - 1;
        let (start, end) = if reverse {
            ((-o3) as u64, (-o5) as u64)
        } else {
            (o5 as u64, o3 as u64)
        };
        ensure!(start >= 1, "{name}: exon {} falls off the contig", i + 1);
        exons.push(PlacedExon {
            number: i as u32 + 1,
            start,
            end,
            tx_start,
            tx_end,
        });
    }
    for pair in exons.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let gap = if reverse {
            a.start.saturating_sub(b.end)
        } else {
            b.start.saturating_sub(a.end)
        };
        ensure!(
            gap > MIN_INTRON,
            "{name}: exons {} and {} overlap or touch",
            a.number,
            b.number
        );
    }

    let mut rng = Rng::new(seed, name);
    let cds = coding_sequence(spec, &mut rng)?;
    let total = tx_ranges.last().expect("exons").1;
    let mut transcript = rng.bases(utr5, b"ACGT");
    transcript.extend_from_slice(&cds);
    transcript.extend(rng.bases(total - utr5 - cds_len, b"ACGT"));
    Ok(PlacedGene {
        spec_index,
        reverse,
        exons,
        transcript,
        cds_tx_start: utr5 + 1,
        cds_tx_end: utr5 + cds_len,
    })
}

/// Writes exon and intron-flank sequence of a placed gene onto its contig.
pub fn paint(gene: &PlacedGene, seed: u64, symbol: &str, contig: &mut [u8]) -> anyhow::Result<()> {
    let mut rng = Rng::new(seed ^ 0xF1A4C, symbol);
    let put = |start: u64, bases: &[u8], contig: &mut [u8]| -> anyhow::Result<()> {
        let from = (start - 1) as usize;
        let to = from + bases.len();
        ensure!(
            to <= contig.len(),
            "{symbol}: sequence runs past the contig end"
        );
        ensure!(
            contig[from..to].iter().all(|&b| b == b'N'),
            "{symbol}: overlaps another gene's sequence"
        );
        contig[from..to].copy_from_slice(bases);
        Ok(())
    };
    let last = gene.exons.len() - 1;
    for (i, exon) in gene.exons.iter().enumerate() {
        let slice = &gene.transcript[(exon.tx_start - 1) as usize..exon.tx_end as usize];
        let genomic = if gene.reverse {
            reverse_complement(slice)
        } else {
            slice.to_vec()
        };
        put(exon.start, &genomic, contig)?;
        // Flanks in transcript orientation: donor after, acceptor before.
        let mut donor = b"GTAAGT".to_vec();
        donor.extend(rng.bases(INTRON_FLANK - 6, b"ACGT"));
        let mut acceptor = rng.bases(INTRON_FLANK - 6, b"CT");
        acceptor.extend_from_slice(b"TTCCAG");
        let (five_prime_side, three_prime_side) = if gene.reverse {
            (exon.end + 1, exon.start - INTRON_FLANK)
        } else {
            (exon.start - INTRON_FLANK, exon.end + 1)
        };
        if i > 0 {
            let bases = if gene.reverse {
                reverse_complement(&acceptor)
            } else {
                acceptor
            };
            put(five_prime_side, &bases, contig)?;
        }
        if i < last {
            let bases = if gene.reverse {
                reverse_complement(&donor)
            } else {
                donor
            };
            put(three_prime_side, &bases, contig)?;
        }
    }
    Ok(())
}

/// The GFF3 (Ensembl flavour) of the placed genes.
pub fn gff3(genes: &GenesFile, placed: &[PlacedGene], contig_order: &[String]) -> String {
    let mut out = String::from("##gff-version 3\n");
    let _ = writeln!(out, "#!genome-build {} synthetic demo genes", genes.build);
    let _ = writeln!(
        out,
        "# SYNTHETIC gene models for the annotation-engine demo; see assets/demo/genes.toml"
    );
    for chrom in contig_order {
        let _ = writeln!(out, "##sequence-region {chrom} 1 {}", genes.contigs[chrom]);
    }
    let strand = |g: &PlacedGene| if g.reverse { '-' } else { '+' };
    for chrom in contig_order {
        let mut on_contig: Vec<&PlacedGene> = placed
            .iter()
            .filter(|g| &genes.gene[g.spec_index].chrom == chrom)
            .collect();
        on_contig.sort_by_key(|g| g.start());
        for g in on_contig {
            let spec = &genes.gene[g.spec_index];
            let s = strand(g);
            let src = "annotation-engine-demo";
            let _ = writeln!(
                out,
                "{chrom}\t{src}\tgene\t{}\t{}\t.\t{s}\t.\tID=gene:{id};Name={sym};biotype=protein_coding;description={desc} [Source:HGNC Symbol%3BAcc:{hgnc}];gene_id={id};logic_name=synthetic_demo;version=1",
                g.start(),
                g.end(),
                id = spec.gene_id,
                sym = spec.symbol,
                desc = spec.description.replace(',', "%2C"),
                hgnc = spec.hgnc_id,
            );
            let _ = writeln!(
                out,
                "{chrom}\t{src}\tmRNA\t{}\t{}\t.\t{s}\t.\tID=transcript:{tx};Parent=gene:{gid};Name={sym}-201;biotype=protein_coding;tag=basic,Ensembl_canonical;transcript_id={tx};transcript_support_level=1;version=1",
                g.start(),
                g.end(),
                tx = spec.transcript_id,
                gid = spec.gene_id,
                sym = spec.symbol,
            );
            let mut features: Vec<(u64, u64, String)> = Vec::new();
            let mut cds_done = 0u64;
            // Exons are in transcript order (5'→3'), so CDS phases accumulate
            // as GFF3 defines them.
            for exon in &g.exons {
                features.push((
                    exon.start,
                    exon.end,
                    format!(
                        "exon\t{}\t{}\t.\t{s}\t.\tParent=transcript:{};Name={}E{:02};exon_id={}E{:02};rank={};version=1",
                        exon.start,
                        exon.end,
                        spec.transcript_id,
                        spec.transcript_id,
                        exon.number,
                        spec.transcript_id,
                        exon.number,
                        exon.number
                    ),
                ));
                let cds_lo = exon.tx_start.max(g.cds_tx_start);
                let cds_hi = exon.tx_end.min(g.cds_tx_end);
                let map = |tx: u64| g.genomic(tx).expect("inside exon");
                let utr = |from: u64, to: u64, kind: &str| {
                    let (a, b) = (map(from), map(to));
                    let (lo, hi) = (a.min(b), a.max(b));
                    (
                        lo,
                        hi,
                        format!(
                            "{kind}\t{lo}\t{hi}\t.\t{s}\t.\tParent=transcript:{}",
                            spec.transcript_id
                        ),
                    )
                };
                if cds_lo <= cds_hi {
                    let phase = (3 - cds_done % 3) % 3;
                    let (a, b) = (map(cds_lo), map(cds_hi));
                    let (lo, hi) = (a.min(b), a.max(b));
                    features.push((
                        lo,
                        hi,
                        format!(
                            "CDS\t{lo}\t{hi}\t.\t{s}\t{phase}\tID=CDS:{p};Parent=transcript:{t};protein_id={p}",
                            p = spec.protein_id,
                            t = spec.transcript_id
                        ),
                    ));
                    cds_done += cds_hi - cds_lo + 1;
                    if exon.tx_start < cds_lo {
                        features.push(utr(exon.tx_start, cds_lo - 1, "five_prime_UTR"));
                    }
                    if exon.tx_end > cds_hi {
                        features.push(utr(cds_hi + 1, exon.tx_end, "three_prime_UTR"));
                    }
                } else if exon.tx_end < g.cds_tx_start {
                    features.push(utr(exon.tx_start, exon.tx_end, "five_prime_UTR"));
                } else {
                    features.push(utr(exon.tx_start, exon.tx_end, "three_prime_UTR"));
                }
            }
            features.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
            for (_, _, line) in features {
                let _ = writeln!(out, "{chrom}\t{src}\t{line}");
            }
        }
    }
    out
}

/// Contigs in natural order (2, 3, 7, 10, ...; names that are not numbers last).
pub fn contig_order(genes: &GenesFile) -> Vec<String> {
    let mut names: Vec<String> = genes.contigs.keys().cloned().collect();
    names.sort_by_key(|n| (n.parse::<u64>().unwrap_or(u64::MAX), n.clone()));
    names
}

/// Contig name → sequence.
pub type ContigSequences = BTreeMap<String, Vec<u8>>;

/// Lays out every gene and paints the contigs that carry genes.
pub fn build(genes: &GenesFile) -> anyhow::Result<(Vec<PlacedGene>, ContigSequences)> {
    let mut placed = Vec::new();
    for (i, spec) in genes.gene.iter().enumerate() {
        ensure!(
            genes.contigs.contains_key(&spec.chrom),
            "{}: contig {} is not in [contigs]",
            spec.symbol,
            spec.chrom
        );
        placed.push(place_gene(spec, i, genes.seed)?);
    }
    let mut contigs = BTreeMap::new();
    for (name, len) in &genes.contigs {
        let mut seq = vec![b'N'; *len as usize];
        for g in placed
            .iter()
            .filter(|g| &genes.gene[g.spec_index].chrom == name)
        {
            paint(g, genes.seed, &genes.gene[g.spec_index].symbol, &mut seq)?;
        }
        contigs.insert(name.clone(), seq);
    }
    Ok((placed, contigs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> GenesFile {
        let text = include_str!("../../../assets/demo/genes.toml");
        toml::from_str(text).unwrap()
    }

    fn codon_at(g: &PlacedGene, residue: u64) -> Vec<u8> {
        let t = g.cds_tx_start + (residue - 1) * 3;
        g.transcript[(t - 1) as usize..(t + 2) as usize].to_vec()
    }

    #[test]
    fn anchored_codons_sit_at_their_grch38_positions() {
        let genes = demo();
        let (placed, contigs) = build(&genes).unwrap();
        let by_symbol = |s: &str| {
            placed
                .iter()
                .find(|g| genes.gene[g.spec_index].symbol == s)
                .unwrap()
        };
        // (gene, residue, expected aa, c. position, contig, genome position, genome base)
        let cases = [
            ("BRAF", 600, b'V', 1799, "7", 140753336, b'A'),
            ("KRAS", 12, b'G', 34, "12", 25245351, b'C'),
            ("TP53", 248, b'R', 743, "17", 7674220, b'C'),
            ("TP53", 72, b'P', 215, "17", 7676154, b'G'),
            ("EGFR", 858, b'L', 2573, "7", 55191822, b'T'),
            ("EGFR", 304, b'H', 910, "7", 55155850, b'C'),
            ("PIK3CA", 542, b'E', 1624, "3", 179218294, b'G'),
            ("PIK3CA", 1047, b'H', 3140, "3", 179234297, b'A'),
            ("PTEN", 136, b'C', 406, "10", 87933165, b'T'),
            ("IDH1", 132, b'R', 395, "2", 208248388, b'C'),
        ];
        for (symbol, residue, aa, c, chrom, pos, base) in cases {
            let g = by_symbol(symbol);
            let codon = codon_at(g, residue);
            assert_eq!(
                GeneticCode::Standard.translate_codon(&codon),
                aa,
                "{symbol} {residue}"
            );
            assert_eq!(
                g.genomic(g.cds_tx_start + c - 1),
                Some(pos),
                "{symbol} c.{c}"
            );
            assert_eq!(contigs[chrom][(pos - 1) as usize], base, "{symbol} {pos}");
        }
    }

    #[test]
    fn proteins_have_no_premature_stop_and_exons_are_numbered() {
        let genes = demo();
        let (placed, _) = build(&genes).unwrap();
        for g in &placed {
            let spec = &genes.gene[g.spec_index];
            let cds = &g.transcript[(g.cds_tx_start - 1) as usize..g.cds_tx_end as usize];
            let protein = GeneticCode::Standard.translate(cds);
            assert_eq!(protein.len() as u64, spec.protein_length + 1);
            assert_eq!(protein[0], b'M');
            assert_eq!(protein.iter().filter(|&&a| a == b'*').count(), 1);
            assert_eq!(*protein.last().unwrap(), b'*');
            assert_eq!(g.exons.len() as u32, spec.exons);
        }
    }

    #[test]
    fn gff3_cds_phases_and_lengths_are_consistent() {
        let genes = demo();
        let (placed, _) = build(&genes).unwrap();
        let text = gff3(&genes, &placed, &contig_order(&genes));
        for spec in &genes.gene {
            let cds: Vec<(u64, u64, u64)> = text
                .lines()
                .filter(|l| l.contains(&format!("ID=CDS:{}", spec.protein_id)))
                .map(|l| {
                    let f: Vec<&str> = l.split('\t').collect();
                    (
                        f[3].parse().unwrap(),
                        f[4].parse().unwrap(),
                        f[7].parse().unwrap(),
                    )
                })
                .collect();
            let total: u64 = cds.iter().map(|(s, e, _)| e - s + 1).sum();
            assert_eq!(total, spec.protein_length * 3 + 3, "{}", spec.symbol);
            assert!(cds.iter().all(|&(_, _, phase)| phase < 3));
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let genes = demo();
        let (a, ca) = build(&genes).unwrap();
        let (b, cb) = build(&genes).unwrap();
        assert_eq!(
            gff3(&genes, &a, &contig_order(&genes)),
            gff3(&genes, &b, &contig_order(&genes))
        );
        assert!(ca == cb);
    }
}
