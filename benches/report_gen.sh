#!/usr/bin/env bash
# Benchmark: report-gen on a synthetic stream of 10,000 variants by default.
#
#   bash benches/report_gen.sh [VARIANTS] [RUNS]
#
# Prints, over RUNS runs (default 5), the best and median wall time of
# `report-gen sample` (read, build, write HTML + JSON + TSV), its peak RSS,
# and the size of each output. Goal: under 1 s for 10,000 variants.
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
VARIANTS=${1:-10000}
RUNS=${2:-5}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

command -v /usr/bin/time >/dev/null || { echo "benchmark needs GNU time (/usr/bin/time)" >&2; exit 1; }

cargo build --release -q -p report-gen
BIN=target/release/report-gen
"$BIN" demo --variants "$VARIANTS" -o "$OUT/input.jsonl"

for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %M' -o "$OUT/time" "$BIN" sample "$OUT/input.jsonl" \
    --out-dir "$OUT/report" --prefix bench 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
  cat "$OUT/time" >>"$OUT/times"
done

size() { du -h "$1" | cut -f1; }
echo "report-gen sample on $VARIANTS variants ($(size "$OUT/input.jsonl") input), $RUNS runs, $(nproc) cores"
sort -n "$OUT/times" | awk -v runs="$RUNS" -v v="$VARIANTS" '
  { t[NR] = $1; if ($2 > rss) rss = $2 }
  END {
    median = t[int((runs + 1) / 2)]
    printf "best %.2f s, median %.2f s (%.0f variants/s), peak RSS %.1f MiB\n", t[1], median, v / median, rss / 1024
    printf "goal: under 1 s for 10,000 variants: %s\n", (v <= 10000 && median < 1.0) ? "met" : (v > 10000 ? "n/a" : "NOT met")
  }'
echo "outputs: HTML $(size "$OUT/report/bench.html"), JSON $(size "$OUT/report/bench.json"), TSV $(size "$OUT/report/bench.tsv")"
