#!/usr/bin/env bash
# Builds the tools and runs them on the shipped demo data:
#   1. the synthetic demo genome (assets/demo/genes.toml → FASTA + GFF3),
#   2. every sample of assets/demo/samplesheet.csv through vcf-annotate.
# Outputs go to results/demo/ (override with OUTDIR=...).
set -euo pipefail
cd "$(dirname "$0")/.."
OUTDIR=${OUTDIR:-results/demo}

echo "demo: building the tools (cargo build --release)"
cargo build --release -q --workspace --bins
BIN=target/release

mkdir -p "$OUTDIR/genome"
"$BIN/make-demo-genome" --genes assets/demo/genes.toml --out "$OUTDIR/genome"

tail -n +2 assets/demo/samplesheet.csv | while IFS=, read -r sample vcf tumour_type sample_type target_size; do
  echo "demo: $sample ($tumour_type, $sample_type)"
  "$BIN/vcf-annotate" -f "$OUTDIR/genome/genome.fa.gz" -g "$OUTDIR/genome/genes.gff3" \
    --summary "$OUTDIR/$sample.vcf-annotate.json" -o "$OUTDIR/$sample.annotated.vcf.gz" "$vcf"
done
echo "demo: results in $OUTDIR/"
