#!/usr/bin/env bash
# Builds the tools and runs them on the shipped demo data:
#   1. the synthetic demo genome (assets/demo/genes.toml → FASTA + GFF3),
#   2. the demo knowledge-base bundle (assets/demo/bundle/SOURCES.toml, with
#      the generated genome as its reference and gene model),
#   3. every sample of assets/demo/samplesheet.csv through vcf-annotate and
#      kb-lookup annotate.
# Outputs go to results/demo/ (override with OUTDIR=...).
set -euo pipefail
cd "$(dirname "$0")/.."
OUTDIR=${OUTDIR:-results/demo}

echo "demo: building the tools (cargo build --release)"
cargo build --release -q --workspace --bins
BIN=target/release

mkdir -p "$OUTDIR/genome"
"$BIN/make-demo-genome" --genes assets/demo/genes.toml --out "$OUTDIR/genome"
"$BIN/kb-lookup" bundle build --sources assets/demo/bundle/SOURCES.toml \
  --var DEMO_GENOME_DIR="$(cd "$OUTDIR/genome" && pwd)" --out "$OUTDIR/kb-bundle" --force

tail -n +2 assets/demo/samplesheet.csv | while IFS=, read -r sample vcf tumour_type sample_type target_size; do
  echo "demo: $sample ($tumour_type, $sample_type)"
  "$BIN/vcf-annotate" -f "$OUTDIR/genome/genome.fa.gz" -g "$OUTDIR/genome/genes.gff3" \
    --summary "$OUTDIR/$sample.vcf-annotate.json" -o "$OUTDIR/$sample.annotated.vcf.gz" "$vcf"
  "$BIN/kb-lookup" annotate --bundle "$OUTDIR/kb-bundle" "$OUTDIR/$sample.annotated.vcf.gz" \
    -o "$OUTDIR/$sample.kb.jsonl" --vcf-out "$OUTDIR/$sample.kb.vcf.gz"
done
echo "demo: results in $OUTDIR/"
