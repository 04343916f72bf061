//! `make-bench-data`: writes benchmark inputs (random genome, GFF3, sorted
//! VCF) for `benches/vcf_annotate.sh`.

use std::path::PathBuf;

use clap::Parser;
use synthetic_data::bench::{BenchSpec, generate};

#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Output directory (created).
    #[arg(long)]
    out: PathBuf,
    /// Number of variants in variants.vcf.gz.
    #[arg(long, default_value_t = 1_000_000)]
    variants: u64,
    #[arg(long, default_value_t = 4)]
    contigs: usize,
    #[arg(long, default_value_t = 25_000_000)]
    contig_length: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let spec = BenchSpec {
        contigs: args.contigs,
        contig_length: args.contig_length,
        variants: args.variants,
        ..BenchSpec::default()
    };
    generate(&spec, &args.out)?;
    eprintln!("make-bench-data: wrote {}", args.out.display());
    Ok(())
}
