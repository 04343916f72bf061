//! Benchmark: load a GFF3/GTF gene model, then time overlap queries.
//!
//! `cargo run --release -p vcf-annotate --example gene_model_bench -- MODEL [QUERIES]`
//!
//! Prints the load summary, load time, peak memory (Linux) and the query
//! rate for positions spread evenly over each contig's transcripts.

use std::path::PathBuf;
use std::time::Instant;

use vcf_annotate::gene_model::GeneModel;

/// A memory figure from /proc/self/status (`VmHWM` peak, `VmRSS` now).
fn memory(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .expect("usage: gene_model_bench MODEL [QUERIES]"),
    );
    let queries: u64 = args.next().map_or(Ok(1_000_000), |q| q.parse())?;

    let started = Instant::now();
    let model = GeneModel::from_path(&path)?;
    let load = started.elapsed();
    println!("{}", model.summary);
    println!(
        "loaded in {:.2} s, peak memory {}, resident after loading {}",
        load.as_secs_f64(),
        memory("VmHWM"),
        memory("VmRSS")
    );

    // Query positions spread over the span of each contig's transcripts.
    let mut spans: Vec<(String, u64, u64)> = Vec::new();
    for t in model.transcripts() {
        match spans.last_mut() {
            Some((c, _, hi)) if *c == t.chrom => *hi = (*hi).max(t.end),
            _ => spans.push((t.chrom.clone(), t.start, t.end)),
        }
    }
    let per_contig = (queries / spans.len().max(1) as u64).max(1);
    let started = Instant::now();
    let (mut asked, mut hits) = (0u64, 0usize);
    for (chrom, lo, hi) in &spans {
        let step = ((hi - lo) / per_contig).max(1);
        let mut pos = *lo;
        while pos <= *hi && asked < queries {
            hits += model.overlapping(chrom, pos, pos, 5000).len();
            asked += 1;
            pos += step;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{asked} queries (5 kb flank) in {elapsed:.2} s: {:.0} queries/s, {:.1} transcripts per query",
        asked as f64 / elapsed,
        hits as f64 / asked.max(1) as f64
    );
    Ok(())
}
