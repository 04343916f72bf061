#!/usr/bin/env bash
# Benchmark: report-gen on a synthetic stream of 10,000 variants by default.
#
#   bash benches/report_gen.sh [VARIANTS] [RUNS]
#
# Prints, over RUNS runs (default 5), the best and median wall time of
# `report-gen sample` (read, build, write HTML + JSON + TSV), its CPU time
# (less sensitive to a busy machine), peak RSS, and the size of each output.
# Goal: under 1 s wall for 10,000 variants.
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
  /usr/bin/time -f '%e %M %U %S' -o "$OUT/time" "$BIN" sample "$OUT/input.jsonl" \
    --out-dir "$OUT/report" --prefix bench 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
  cat "$OUT/time" >>"$OUT/times"
done

size() { du -h "$1" | cut -f1; }
echo "report-gen sample on $VARIANTS variants ($(size "$OUT/input.jsonl") input), $RUNS runs, $(nproc) cores"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
best=$(awk '{ print $1 }' "$OUT/times" | sort -n | head -1)
wall=$(awk '{ print $1 }' "$OUT/times" | median)
cpu=$(awk '{ print $3 + $4 }' "$OUT/times" | median)
rss=$(awk '$2 > m { m = $2 } END { print m }' "$OUT/times")
awk -v best="$best" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" -v v="$VARIANTS" 'BEGIN {
  printf "wall: best %.2f s, median %.2f s (%.0f variants/s); CPU (user+sys) median %.2f s; peak RSS %.1f MiB\n", best, wall, v / wall, cpu, rss / 1024
  printf "goal: under 1 s for 10,000 variants: %s\n", (v > 10000) ? "n/a" : ((wall < 1.0) ? "met" : "NOT met")
}'
echo "outputs: HTML $(size "$OUT/report/bench.html"), JSON $(size "$OUT/report/bench.json"), TSV $(size "$OUT/report/bench.tsv")"
