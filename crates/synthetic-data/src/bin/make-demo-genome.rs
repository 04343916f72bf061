//! `make-demo-genome`: writes the synthetic demo genome described by
//! `assets/demo/genes.toml` as a bgzipped FASTA (with `.fai` and `.gzi`) and
//! an Ensembl-style GFF3.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Gene description file.
    #[arg(long, default_value = "assets/demo/genes.toml")]
    genes: PathBuf,
    /// Output directory (created); receives genome.fa.gz(+.fai,+.gzi) and genes.gff3.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let text = fs::read_to_string(&args.genes)
        .with_context(|| format!("{}: cannot read", args.genes.display()))?;
    let genes: synthetic_data::demo::GenesFile =
        toml::from_str(&text).with_context(|| format!("{}: invalid", args.genes.display()))?;
    let (placed, contigs) = synthetic_data::demo::build(&genes)?;
    let order = synthetic_data::demo::contig_order(&genes);
    fs::create_dir_all(&args.out)?;

    let gff = synthetic_data::demo::gff3(&genes, &placed, &order);
    fs::write(args.out.join("genes.gff3"), gff)?;
    synthetic_data::fasta::write_bgzf_fasta(
        &args.out.join("genome.fa.gz"),
        order.iter().map(|n| (n.as_str(), contigs[n].as_slice())),
    )?;
    eprintln!(
        "make-demo-genome: {} genes on {} contigs written to {}",
        placed.len(),
        order.len(),
        args.out.display()
    );
    Ok(())
}
