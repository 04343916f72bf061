#!/usr/bin/env bash
# The whole pipeline on the shipped demo data, on one machine, without
# Nextflow or containers:
#   1. builds the tools (cargo build --release);
#   2. the synthetic demo genome (assets/demo/genes.toml → FASTA + GFF3);
#   3. the demo knowledge-base bundle (assets/demo/bundle/SOURCES.toml, with
#      the generated genome as its reference and gene model), verified;
#   4. every sample of assets/demo/samplesheet.csv through
#      vcf-annotate --bundle → kb-lookup annotate → rule-tier → report-gen sample;
#   5. report-gen cohort over every sample.
#
#   bash scripts/demo.sh                 (outputs in results/demo/)
#   OUTDIR=/tmp/demo bash scripts/demo.sh
#
# Per-sample and cohort outputs use the pipeline's layout
# (conf/modules.config; README.md "Output layout"):
#   $OUTDIR/genome/                               demo genome (bundle input)
#   $OUTDIR/bundle/                               demo knowledge-base bundle
#   $OUTDIR/bundle_info.txt                       the bundle's manifest, readable
#   $OUTDIR/<sample>/annotation/<sample>.annotated.vcf.gz(.tbi), .vcf-annotate.json
#   $OUTDIR/<sample>/kb/<sample>.kb.jsonl
#   $OUTDIR/<sample>/tiers/<sample>.tiered.jsonl, .explain.txt
#   $OUTDIR/<sample>/report/<sample>.{html,json,tsv}
#   $OUTDIR/cohort/cohort.{html,tsv}
set -euo pipefail
cd "$(dirname "$0")/.."
OUTDIR=${OUTDIR:-results/demo}
SAMPLESHEET=${SAMPLESHEET:-assets/demo/samplesheet.csv}
# Report date: REPORT_DATE=YYYY-MM-DD (or `today`); by default report-gen's
# (the input's analysis date, else SOURCE_DATE_EPOCH, else "not recorded"),
# so reruns give identical reports.
date_option=()
[ -n "${REPORT_DATE:-}" ] && date_option=(--date "$REPORT_DATE")

echo "demo: building the tools (cargo build --release)"
cargo build --release -q --workspace --bins
BIN=$PWD/target/release

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
BUNDLE=$OUTDIR/bundle

echo "demo: demo genome and knowledge-base bundle"
"$BIN/make-demo-genome" --genes assets/demo/genes.toml --out "$OUTDIR/genome"
"$BIN/kb-lookup" bundle build --sources assets/demo/bundle/SOURCES.toml \
  --var DEMO_GENOME_DIR="$OUTDIR/genome" --out "$BUNDLE" --force
"$BIN/kb-lookup" bundle verify "$BUNDLE" >/dev/null
"$BIN/kb-lookup" bundle info "$BUNDLE" >"$OUTDIR/bundle_info.txt"

# The sample sheet's columns, by header name (columns may be added or
# reordered; empty optional fields give no option).
header=$(head -n 1 "$SAMPLESHEET" | tr -d '\r')
column() { # name → 1-based index, or 0 when absent
  awk -F, -v want="$1" '{ for (i = 1; i <= NF; i++) if ($i == want) { print i; exit } print 0 }' <<<"$header"
}
for name in sample vcf sample_type; do
  if [ "$(column "$name")" = 0 ]; then
    echo "demo: $SAMPLESHEET: no \`$name\` column in the header" >&2
    exit 1
  fi
done
field() { # line, column name
  local index
  index=$(column "$2")
  [ "$index" = 0 ] && return 0
  cut -d, -f"$index" <<<"$1"
}

reports=()
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  [ -z "$line" ] && continue
  sample=$(field "$line" sample)
  vcf=$(field "$line" vcf)
  sample_type=$(field "$line" sample_type)
  tumour_type=$(field "$line" tumour_type)
  target_size=$(field "$line" target_size_mb)
  echo "demo: $sample (${tumour_type:-no tumour type}, $sample_type)"
  dir=$OUTDIR/$sample
  mkdir -p "$dir/annotation" "$dir/kb" "$dir/tiers" "$dir/report"

  "$BIN/vcf-annotate" --bundle "$BUNDLE" \
    --summary "$dir/annotation/$sample.vcf-annotate.json" \
    --output "$dir/annotation/$sample.annotated.vcf.gz" "$vcf"
  # Tumour/normal sample columns, when the sheet has them (kb-lookup picks
  # the columns itself otherwise: ##tumor_sample, TUMOR/NORMAL).
  kb_options=()
  tumour_sample=$(field "$line" tumour_sample)
  normal_sample=$(field "$line" normal_sample)
  [ -n "$tumour_sample" ] && kb_options+=(--tumour-sample "$tumour_sample")
  [ -n "$normal_sample" ] && kb_options+=(--normal-sample "$normal_sample")
  "$BIN/kb-lookup" annotate --bundle "$BUNDLE" "${kb_options[@]}" \
    --output "$dir/kb/$sample.kb.jsonl" "$dir/annotation/$sample.annotated.vcf.gz"
  tier_options=(--sample-type "$sample_type")
  [ -n "$tumour_type" ] && tier_options+=(--tumour-type "$tumour_type")
  [ -n "$target_size" ] && tier_options+=(--target-size-mb "$target_size")
  "$BIN/rule-tier" --bundle "$BUNDLE" "${tier_options[@]}" \
    --explain-file "$dir/tiers/$sample.explain.txt" \
    --output "$dir/tiers/$sample.tiered.jsonl" "$dir/kb/$sample.kb.jsonl"
  "$BIN/report-gen" sample "${date_option[@]}" --sample "$sample" --out-dir "$dir/report" --prefix "$sample" \
    "$dir/tiers/$sample.tiered.jsonl"
  reports+=("$dir/report/$sample.json")
done < <(tail -n +2 "$SAMPLESHEET")

if [ "${#reports[@]}" -eq 0 ]; then
  echo "demo: $SAMPLESHEET lists no samples" >&2
  exit 1
fi
mkdir -p "$OUTDIR/cohort"
"$BIN/report-gen" cohort "${date_option[@]}" --out-dir "$OUTDIR/cohort" --prefix cohort "${reports[@]}"

echo
echo "demo: done. Reports (open in a browser; everything is SYNTHETIC):"
for report in "${reports[@]}"; do
  echo "  ${report%.json}.html"
done
echo "  $OUTDIR/cohort/cohort.html   (cohort summary)"
