//! Benchmark inputs: a random genome, a GFF3 of multi-exon genes on both
//! strands whose coding sequences translate without premature stops, and a
//! sorted sites-only VCF of SNVs and short indels whose REF matches the
//! genome. Big enough to measure throughput (1M variants by default), and
//! identical on every run.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use noodles::bgzf;
use variant_model::protein::reverse_complement;

use crate::rng::{Rng, sense_codons};

#[derive(Debug, Clone)]
pub struct BenchSpec {
    pub contigs: usize,
    pub contig_length: u64,
    /// Mean distance between gene starts.
    pub gene_spacing: u64,
    pub variants: u64,
    pub seed: u64,
}

impl Default for BenchSpec {
    fn default() -> Self {
        Self {
            contigs: 4,
            contig_length: 25_000_000,
            gene_spacing: 40_000,
            variants: 1_000_000,
            seed: 7,
        }
    }
}

struct Gene {
    contig: usize,
    reverse: bool,
    /// Exons in genomic order.
    exons: Vec<(u64, u64)>,
    /// CDS segments in genomic order with their GFF3 phase.
    cds: Vec<(u64, u64, u64)>,
    index: usize,
}

/// Places genes along a contig and paints their exons (random UTRs, coding
/// sequence of sense codons between ATG and a stop) into `seq`.
fn make_genes(
    contig: usize,
    seq: &mut [u8],
    spec: &BenchSpec,
    rng: &mut Rng,
    next_index: &mut usize,
) -> Vec<Gene> {
    let sense = sense_codons();
    let mut genes = Vec::new();
    let mut pos = 20_000;
    let len = seq.len() as u64;
    loop {
        let start = pos + rng.range(spec.gene_spacing / 4, spec.gene_spacing * 7 / 4);
        let n_exons = rng.range(2, 14);
        let mut exons = Vec::new();
        let mut p = start;
        for i in 0..n_exons {
            if i > 0 {
                p += rng.range(300, 6_000);
            }
            let l = rng.range(80, 300);
            exons.push((p, p + l - 1));
            p += l;
        }
        if p + 20_000 >= len {
            break;
        }
        pos = p;
        let reverse = rng.next_u64().is_multiple_of(2);
        // Transcript-order exon list and spliced length.
        let ordered: Vec<(u64, u64)> = if reverse {
            exons.iter().rev().copied().collect()
        } else {
            exons.clone()
        };
        let spliced: u64 = ordered.iter().map(|(s, e)| e - s + 1).sum();
        let utr5 = rng.range(10, 60).min(ordered[0].1 - ordered[0].0);
        let utr3 = rng.range(10, 100);
        let coding = (spliced.saturating_sub(utr5 + utr3) / 3) * 3;
        if coding < 60 {
            continue;
        }
        let mut cds_seq = b"ATG".to_vec();
        while (cds_seq.len() as u64) < coding - 3 {
            cds_seq.extend_from_slice(&rng.pick(&sense));
        }
        cds_seq.extend_from_slice(rng.pick(&[b"TAA", b"TAG", b"TGA"]));
        let mut transcript = rng.bases(utr5, b"ACGT");
        transcript.extend_from_slice(&cds_seq);
        transcript.extend(rng.bases(spliced - utr5 - coding, b"ACGT"));

        // Paint exons and compute CDS segments in transcript order.
        let mut t = 0u64;
        let (cds_from, cds_to) = (utr5, utr5 + coding); // [from, to) in transcript
        let mut cds = Vec::new();
        let mut done = 0u64;
        for &(s, e) in &ordered {
            let l = e - s + 1;
            let piece = &transcript[t as usize..(t + l) as usize];
            let genomic = if reverse {
                reverse_complement(piece)
            } else {
                piece.to_vec()
            };
            seq[(s - 1) as usize..e as usize].copy_from_slice(&genomic);
            let (lo, hi) = (t.max(cds_from), (t + l).min(cds_to));
            if lo < hi {
                let (a, b) = if reverse {
                    (e - (hi - 1 - t), e - (lo - t))
                } else {
                    (s + (lo - t), s + (hi - 1 - t))
                };
                cds.push((a, b, (3 - done % 3) % 3));
                done += hi - lo;
            }
            t += l;
        }
        // Canonical splice sites in transcript orientation.
        for w in ordered.windows(2) {
            let (donor, acceptor) = if reverse {
                ((w[0].0 - 2, b"AC"), (w[1].1 + 1, b"CT"))
            } else {
                ((w[0].1 + 1, b"GT"), (w[1].0 - 2, b"AG"))
            };
            seq[(donor.0 - 1) as usize..(donor.0 + 1) as usize].copy_from_slice(donor.1);
            seq[(acceptor.0 - 1) as usize..(acceptor.0 + 1) as usize].copy_from_slice(acceptor.1);
        }
        cds.sort();
        *next_index += 1;
        genes.push(Gene {
            contig,
            reverse,
            exons,
            cds,
            index: *next_index,
        });
    }
    genes
}

fn gff3(genes: &[Gene], spec: &BenchSpec) -> String {
    let mut out = String::from("##gff-version 3\n");
    for c in 0..spec.contigs {
        let _ = writeln!(
            out,
            "##sequence-region chr{} 1 {}",
            c + 1,
            spec.contig_length
        );
    }
    for g in genes {
        let chrom = format!("chr{}", g.contig + 1);
        let s = if g.reverse { '-' } else { '+' };
        let (start, end) = (g.exons[0].0, g.exons[g.exons.len() - 1].1);
        let gid = format!("BENCHG{:06}", g.index);
        let tid = format!("BENCHT{:06}", g.index);
        let _ = writeln!(
            out,
            "{chrom}\tbench\tgene\t{start}\t{end}\t.\t{s}\t.\tID=gene:{gid};Name=GENE{};biotype=protein_coding;gene_id={gid};version=1",
            g.index
        );
        let _ = writeln!(
            out,
            "{chrom}\tbench\tmRNA\t{start}\t{end}\t.\t{s}\t.\tID=transcript:{tid};Parent=gene:{gid};biotype=protein_coding;tag=basic,Ensembl_canonical;transcript_id={tid};version=1"
        );
        let n = g.exons.len();
        for (i, (a, b)) in g.exons.iter().enumerate() {
            let rank = if g.reverse { n - i } else { i + 1 };
            let _ = writeln!(
                out,
                "{chrom}\tbench\texon\t{a}\t{b}\t.\t{s}\t.\tParent=transcript:{tid};rank={rank}"
            );
        }
        for (a, b, phase) in &g.cds {
            let _ = writeln!(
                out,
                "{chrom}\tbench\tCDS\t{a}\t{b}\t.\t{s}\t{phase}\tID=CDS:BENCHP{:06};Parent=transcript:{tid};protein_id=BENCHP{:06}",
                g.index, g.index
            );
        }
    }
    out
}

/// Writes `genome.fa` (+ `.fai`), `genes.gff3` and `variants.vcf.gz` into `dir`.
pub fn generate(spec: &BenchSpec, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(spec.seed, "bench");
    let mut contigs = Vec::new();
    let mut genes = Vec::new();
    let mut next_index = 0;
    for c in 0..spec.contigs {
        let mut seq = rng.bases(spec.contig_length, b"ACGT");
        genes.extend(make_genes(c, &mut seq, spec, &mut rng, &mut next_index));
        contigs.push(seq);
    }

    // Plain FASTA with 60-base lines and its .fai.
    let mut fasta = BufWriter::new(File::create(dir.join("genome.fa"))?);
    let mut fai = String::new();
    let mut offset = 0u64;
    for (c, seq) in contigs.iter().enumerate() {
        let header = format!(">chr{}\n", c + 1);
        offset += header.len() as u64;
        let _ = writeln!(fai, "chr{}\t{}\t{offset}\t60\t61", c + 1, seq.len());
        fasta.write_all(header.as_bytes())?;
        for line in seq.chunks(60) {
            fasta.write_all(line)?;
            fasta.write_all(b"\n")?;
            offset += line.len() as u64 + 1;
        }
    }
    fasta.flush()?;
    std::fs::write(dir.join("genome.fa.fai"), fai)?;
    std::fs::write(dir.join("genes.gff3"), gff3(&genes, spec))?;

    // Sorted sites-only VCF: ~85% SNVs, deletions and insertions of 1-6 bases.
    let file = BufWriter::new(File::create(dir.join("variants.vcf.gz"))?);
    let mut vcf = bgzf::io::Writer::new(file);
    let mut header = String::from("##fileformat=VCFv4.2\n");
    for c in 0..spec.contigs {
        let _ = writeln!(
            header,
            "##contig=<ID=chr{},length={}>",
            c + 1,
            spec.contig_length
        );
    }
    header.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    vcf.write_all(header.as_bytes())?;
    let per_contig = spec.variants / spec.contigs as u64;
    let mean_gap = (spec.contig_length - 2_000) / per_contig.max(1);
    let mut line = String::new();
    for (c, seq) in contigs.iter().enumerate() {
        let mut pos = 1_000u64;
        for _ in 0..per_contig {
            pos += rng.range(1, (2 * mean_gap).max(2) - 1);
            let kind = rng.next_u64() % 100;
            let base = seq[(pos - 1) as usize];
            line.clear();
            if kind < 85 {
                let alt = rng.pick(
                    &b"ACGT"
                        .iter()
                        .copied()
                        .filter(|&b| b != base)
                        .collect::<Vec<_>>(),
                );
                let _ = writeln!(
                    line,
                    "chr{}\t{pos}\t.\t{}\t{}\t.\t.\t.",
                    c + 1,
                    base as char,
                    alt as char
                );
            } else if kind < 93 {
                let l = rng.range(1, 6) as usize;
                let r = &seq[(pos - 1) as usize..(pos as usize + l)];
                let _ = writeln!(
                    line,
                    "chr{}\t{pos}\t.\t{}\t{}\t.\t.\t.",
                    c + 1,
                    String::from_utf8_lossy(r),
                    base as char
                );
            } else {
                let n = rng.range(1, 6);
                let ins = rng.bases(n, b"ACGT");
                let _ = writeln!(
                    line,
                    "chr{}\t{pos}\t.\t{}\t{}{}\t.\t.\t.",
                    c + 1,
                    base as char,
                    base as char,
                    String::from_utf8_lossy(&ins)
                );
            }
            vcf.write_all(line.as_bytes())?;
        }
    }
    vcf.finish()?.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use variant_model::protein::GeneticCode;

    #[test]
    fn small_bench_set_is_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let spec = BenchSpec {
            contigs: 1,
            contig_length: 400_000,
            gene_spacing: 40_000,
            variants: 2_000,
            seed: 1,
        };
        generate(&spec, dir.path()).unwrap();
        let fasta = std::fs::read_to_string(dir.path().join("genome.fa")).unwrap();
        let seq: Vec<u8> = fasta.lines().skip(1).flat_map(|l| l.bytes()).collect();
        assert_eq!(seq.len() as u64, spec.contig_length);
        let gff = std::fs::read_to_string(dir.path().join("genes.gff3")).unwrap();
        let mut by_tx: std::collections::BTreeMap<String, Vec<(u64, u64, char)>> =
            Default::default();
        for l in gff.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = l.split('\t').collect();
            if f[2] == "CDS" {
                let parent = f[8].split(';').find(|a| a.starts_with("Parent=")).unwrap();
                by_tx.entry(parent.to_string()).or_default().push((
                    f[3].parse().unwrap(),
                    f[4].parse().unwrap(),
                    f[6].chars().next().unwrap(),
                ));
            }
        }
        assert!(
            by_tx.len() >= 3,
            "expected several genes, got {}",
            by_tx.len()
        );
        for segments in by_tx.values() {
            let mut cds: Vec<u8> = segments
                .iter()
                .flat_map(|&(a, b, _)| seq[(a - 1) as usize..b as usize].to_vec())
                .collect();
            if segments[0].2 == '-' {
                cds = reverse_complement(&cds);
            }
            let protein = GeneticCode::Standard.translate(&cds);
            assert_eq!(cds.len() % 3, 0);
            assert_eq!(protein[0], b'M');
            assert_eq!(
                protein.iter().position(|&a| a == b'*'),
                Some(protein.len() - 1)
            );
        }
    }
}
