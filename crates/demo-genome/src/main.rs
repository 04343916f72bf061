//! `make-demo-genome`: writes the synthetic demo genome described by
//! `assets/demo/genes.toml` as a bgzipped FASTA (with `.fai` and `.gzi`) and
//! an Ensembl-style GFF3.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::num::NonZero;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use noodles::bgzf;
use noodles::fasta::fai;

/// Bytes of uncompressed data per BGZF block (the format's maximum payload).
const BLOCK: usize = 65_280;
const LINE_WIDTH: usize = 60;

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
    let genes: demo_genome::GenesFile =
        toml::from_str(&text).with_context(|| format!("{}: invalid", args.genes.display()))?;
    let (placed, contigs) = demo_genome::build(&genes)?;
    let order = demo_genome::contig_order(&genes);
    fs::create_dir_all(&args.out)?;

    let gff = demo_genome::gff3(&genes, &placed, &order);
    fs::write(args.out.join("genes.gff3"), gff)?;
    write_fasta(&args.out, &order, &contigs)?;
    eprintln!(
        "make-demo-genome: {} genes on {} contigs written to {}",
        placed.len(),
        order.len(),
        args.out.display()
    );
    Ok(())
}

/// Writes bgzipped FASTA plus its `.fai` and `.gzi`, flushing a BGZF block
/// every `BLOCK` bytes so the `.gzi` block table is known exactly.
fn write_fasta(
    dir: &std::path::Path,
    order: &[String],
    contigs: &std::collections::BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<()> {
    let path = dir.join("genome.fa.gz");
    let file = BufWriter::new(File::create(&path)?);
    let mut writer = bgzf::io::Writer::new(file);
    let mut pending: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut uncompressed: u64 = 0;
    let mut blocks: Vec<(u64, u64)> = Vec::new();
    let mut fai_records = Vec::new();

    let emit = |bytes: &[u8],
                writer: &mut bgzf::io::Writer<BufWriter<File>>,
                pending: &mut Vec<u8>,
                uncompressed: &mut u64,
                blocks: &mut Vec<(u64, u64)>|
     -> anyhow::Result<()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let take = (BLOCK - pending.len()).min(rest.len());
            pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if pending.len() == BLOCK {
                writer.write_all(pending)?;
                writer.flush()?;
                *uncompressed += BLOCK as u64;
                blocks.push((writer.position(), *uncompressed));
                pending.clear();
            }
        }
        Ok(())
    };

    let mut offset: u64 = 0;
    for name in order {
        let seq = &contigs[name];
        let header = format!(">{name}\n");
        offset += header.len() as u64;
        fai_records.push(fai::Record::new(
            name.as_str(),
            seq.len() as u64,
            offset,
            NonZero::new(LINE_WIDTH as u64).expect("non-zero"),
            NonZero::new(LINE_WIDTH as u64 + 1).expect("non-zero"),
        ));
        emit(
            header.as_bytes(),
            &mut writer,
            &mut pending,
            &mut uncompressed,
            &mut blocks,
        )?;
        let mut lines = Vec::with_capacity(seq.len() + seq.len() / LINE_WIDTH + 1);
        for line in seq.chunks(LINE_WIDTH) {
            lines.extend_from_slice(line);
            lines.push(b'\n');
        }
        offset += lines.len() as u64;
        emit(
            &lines,
            &mut writer,
            &mut pending,
            &mut uncompressed,
            &mut blocks,
        )?;
    }
    if !pending.is_empty() {
        writer.write_all(&pending)?;
        writer.flush()?;
    } else {
        // The last full block's entry points at the EOF block: drop it.
        blocks.pop();
    }
    writer.finish()?.flush()?;

    let mut fai_writer =
        fai::io::Writer::new(BufWriter::new(File::create(dir.join("genome.fa.gz.fai"))?));
    fai_writer.write_index(&fai::Index::from(fai_records))?;
    bgzf::gzi::fs::write(
        dir.join("genome.fa.gz.gzi"),
        &bgzf::gzi::Index::from(blocks),
    )?;
    Ok(())
}
