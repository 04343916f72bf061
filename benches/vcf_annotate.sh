#!/usr/bin/env bash
# Benchmark: vcf-annotate against `bcftools csq` on the same generated
# genome, GFF3 and VCF (1M variants by default).
#
#   bash benches/vcf_annotate.sh [VARIANTS]
#
# Prints wall time, throughput (variants/s) and peak RSS of each tool and the
# throughput ratio. Goal: vcf-annotate >= 2x bcftools csq, peak RSS <= 1 GiB.
# Needs bcftools and GNU time (/usr/bin/time); inputs are cached under
# target/bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
VARIANTS=${1:-1000000}
DATA=target/bench-data/vcf-annotate-$VARIANTS
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

for tool in bcftools /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "benchmark needs $tool" >&2; exit 1; }
done

cargo build --release -q -p synthetic-data -p vcf-annotate
if [ ! -s "$DATA/variants.vcf.gz" ]; then
  target/release/make-bench-data --out "$DATA" --variants "$VARIANTS"
fi

# Runs a command under GNU time; prints "seconds peak_kib".
measure() {
  /usr/bin/time -f '%e %M' -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr" || {
    cat "$OUT/stderr" >&2
    exit 1
  }
  cat "$OUT/time"
}

report() {
  local name=$1 seconds=$2 kib=$3
  awk -v n="$name" -v s="$seconds" -v k="$kib" -v v="$VARIANTS" \
    'BEGIN { printf "%-14s %8.2f s %12.0f variants/s %8.1f MiB peak RSS\n", n, s, v / s, k / 1024 }'
}

read -r csq_s csq_kib < <(measure bcftools csq -f "$DATA/genome.fa" -g "$DATA/genes.gff3" \
  "$DATA/variants.vcf.gz" -Oz -o "$OUT/bcftools.vcf.gz")
read -r ours_s ours_kib < <(measure target/release/vcf-annotate -f "$DATA/genome.fa" \
  -g "$DATA/genes.gff3" "$DATA/variants.vcf.gz" -o "$OUT/ours.vcf.gz")

echo "vcf-annotate vs bcftools csq on $VARIANTS variants ($(nproc) cores)"
report "bcftools csq" "$csq_s" "$csq_kib"
report "vcf-annotate" "$ours_s" "$ours_kib"
awk -v a="$csq_s" -v b="$ours_s" 'BEGIN { printf "throughput ratio (vcf-annotate / bcftools csq): %.2fx (goal >= 2x)\n", a / b }'
