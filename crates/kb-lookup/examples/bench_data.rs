//! Generates benchmark data for `benches/kb_lookup.sh`: a gnomAD-like
//! sites VCF of N source alleles and a sorted query VCF of about M alleles,
//! half of them present in the source. Deterministic (fixed seed).
//!
//! `cargo run --release -p kb-lookup --example bench_data -- OUT_DIR [N] [M]`

use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// GRCh38 lengths of chr1-22 (the source is spread over them by length).
const CONTIGS: &[(&str, u64)] = &[
    ("chr1", 248956422),
    ("chr2", 242193529),
    ("chr3", 198295559),
    ("chr4", 190214555),
    ("chr5", 181538259),
    ("chr6", 170805979),
    ("chr7", 159345973),
    ("chr8", 145138636),
    ("chr9", 138394717),
    ("chr10", 133797422),
    ("chr11", 135086622),
    ("chr12", 133275309),
    ("chr13", 114364328),
    ("chr14", 107043718),
    ("chr15", 101991189),
    ("chr16", 90338345),
    ("chr17", 83257441),
    ("chr18", 80373285),
    ("chr19", 58617616),
    ("chr20", 64444167),
    ("chr21", 46709983),
    ("chr22", 50818468),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn header(out: &mut impl Write, query: bool) -> std::io::Result<()> {
    writeln!(out, "##fileformat=VCFv4.2")?;
    writeln!(out, "##reference=GRCh38")?;
    for (name, length) in CONTIGS {
        writeln!(out, "##contig=<ID={name},length={length},assembly=GRCh38>")?;
    }
    if query {
        writeln!(
            out,
            "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">"
        )?;
        writeln!(
            out,
            "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">"
        )?;
        writeln!(
            out,
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE"
        )
    } else {
        for (id, number, kind) in [
            ("AC", "A", "Integer"),
            ("AN", "1", "Integer"),
            ("AF", "A", "Float"),
            ("nhomalt", "A", "Integer"),
            ("AF_grpmax", "A", "Float"),
            ("grpmax", "A", "String"),
        ] {
            writeln!(
                out,
                "##INFO=<ID={id},Number={number},Type={kind},Description=\"{id}\">"
            )?;
        }
        writeln!(out, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: bench_data OUT_DIR [N] [M]"));
    let n: u64 = args.next().map(|a| a.parse().unwrap()).unwrap_or(5_000_000);
    let m: u64 = args.next().map(|a| a.parse().unwrap()).unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir)?;
    let bgzf = |name: &str| -> std::io::Result<_> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            noodles::bgzf::io::Writer::new(std::fs::File::create(dir.join(name))?),
        ))
    };
    let mut source = bgzf("source.vcf.gz")?;
    let mut query = bgzf("query.vcf.gz")?;
    header(&mut source, false)?;
    header(&mut query, true)?;
    let total: u64 = CONTIGS.iter().map(|c| c.1).sum();
    // Each source record brings a query record with probability m/n:
    // half a known allele, half a novel one next to it.
    let per_mille = (m * 1000 / n).min(1000);
    let bases = [b'A', b'C', b'G', b'T'];
    let groups = ["afr", "amr", "eas", "nfe", "sas"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut written, mut queried) = (0u64, 0u64);
    for (contig, length) in CONTIGS {
        let count = n * length / total;
        let gap = (length / count.max(1)).max(2);
        let mut pos = 1;
        for _ in 0..count {
            pos += 1 + rng.below(2 * gap - 1);
            if pos + 2 >= *length {
                break;
            }
            let r = bases[rng.below(4) as usize];
            let a = bases
                [(bases.iter().position(|&b| b == r).unwrap() + 1 + rng.below(3) as usize) % 4];
            let (ref_allele, alt_allele) = if rng.below(20) == 0 {
                (
                    format!("{}{}", r as char, a as char),
                    (r as char).to_string(),
                )
            } else {
                ((r as char).to_string(), (a as char).to_string())
            };
            let an = 100_000 + rng.below(50_000);
            let ac = 1 + rng.below(500);
            writeln!(
                source,
                "{contig}\t{pos}\trs{written}\t{ref_allele}\t{alt_allele}\t.\tPASS\tAC={ac};AN={an};AF={:.6e};nhomalt={};AF_grpmax={:.6e};grpmax={}",
                ac as f64 / an as f64,
                ac / 100,
                (ac * 3) as f64 / an as f64,
                groups[rng.below(5) as usize]
            )?;
            written += 1;
            let roll = rng.below(2000);
            if roll < per_mille {
                writeln!(
                    query,
                    "{contig}\t{pos}\t.\t{ref_allele}\t{alt_allele}\t50\tPASS\tDP=30\tGT\t0/1"
                )?;
                queried += 1;
            } else if roll < 2 * per_mille {
                let novel = bases[(bases.iter().position(|&b| b == r).unwrap() + 2) % 4];
                writeln!(
                    query,
                    "{contig}\t{}\t.\t{}\t{}\t50\tPASS\tDP=30\tGT\t0/1",
                    pos + 1,
                    r as char,
                    novel as char
                )?;
                queried += 1;
            }
        }
    }
    source.into_inner().map_err(|e| e.into_error())?.finish()?;
    query.into_inner().map_err(|e| e.into_error())?.finish()?;
    eprintln!(
        "bench_data: {written} source alleles, {queried} query alleles in {}",
        dir.display()
    );
    Ok(())
}
