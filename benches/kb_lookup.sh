#!/usr/bin/env bash
# Benchmark: kb-lookup exact-allele annotation against `bcftools annotate -a`
# and vcfanno on the same data: a generated gnomAD-like source of N alleles
# (default 5,000,000) and a sorted query of about M alleles (1,000,000),
# half of them in the source. Prints wall time, throughput, peak RSS and
# ratios. Goal: >= 3x bcftools annotate, >= vcfanno, peak RSS <= 1 GiB
# whatever the source size.
#
#   bash benches/kb_lookup.sh [N] [M]      (work files in $BENCH_DIR or a temp dir)
#
# Every tool runs RUNS times (default 3), round-robin so that a machine
# whose speed drifts (shared cloud cores) slows all of them alike; the
# table shows median wall and CPU times and the largest peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000000}
M=${2:-1000000}
WORK=${BENCH_DIR:-$(mktemp -d)}
echo "bench: work directory $WORK"

cargo build --release -q -p kb-lookup --bin kb-lookup --example bench_data
BIN=target/release/kb-lookup
if [ ! -s "$WORK/source.vcf.gz" ]; then
  target/release/examples/bench_data "$WORK" "$N" "$M"
fi
# bcftools annotate reads its input through the synced reader, which wants an index.
[ -s "$WORK/query.vcf.gz.tbi" ] || tabix -f -p vcf "$WORK/query.vcf.gz"

cat > "$WORK/SOURCES.toml" <<TOML
[bundle]
version = "bench"
genome_build = "GRCh38"
created = "2025-01-01T00:00:00Z"

[[source]]
kind = "gnomad"
release = "synthetic"
licence = "CC0-1.0"
synthetic = true
files = { vcf = "source.vcf.gz" }
TOML

# measure NAME COMMAND...: wall seconds, CPU seconds (user + system) and
# peak RSS (KiB) into $NAME_secs, $NAME_cpu, $NAME_rss. On a shared machine
# wall time depends on the load; CPU time much less.
RUNS=${RUNS:-3}
# One timed run, appended to $WORK/NAME.times as "wall user sys rss".
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@"
  cat "$WORK/$name.time" >> "$WORK/$name.times"
}
# Sets NAME_secs, NAME_cpu (medians) and NAME_rss (largest) from the runs.
summarise() {
  local name=$1 secs cpu rss
  secs=$(awk '{ print $1 }' "$WORK/$name.times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  cpu=$(awk '{ printf "%.2f\n", $2 + $3 }' "$WORK/$name.times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  rss=$(awk '$4 > m { m = $4 } END { print m }' "$WORK/$name.times")
  printf -v "${name}_secs" '%s' "$secs"
  printf -v "${name}_cpu" '%s' "$cpu"
  printf -v "${name}_rss" '%s' "$rss"
}

rm -rf "$WORK/bundle" "$WORK"/*.times
measure build "$BIN" bundle build --sources "$WORK/SOURCES.toml" --out "$WORK/bundle"
TABLE="$WORK/bundle/exact/gnomad.vcf.gz"
summarise build
echo "bench: bundle built in ${build_secs}s (peak RSS $((build_rss / 1024)) MiB)"

cat > "$WORK/vcfanno.toml" <<TOML
[[annotation]]
file = "$TABLE"
fields = ["AF", "GRPMAX_AF"]
names = ["gnomad_AF", "gnomad_GRPMAX_AF"]
ops = ["self", "self"]
TOML
for _ in $(seq "$RUNS"); do
  measure kb "$BIN" annotate --bundle "$WORK/bundle" "$WORK/query.vcf.gz" \
    --vcf-only --vcf-out "$WORK/kb.vcf.gz"
  measure kbjson "$BIN" annotate --bundle "$WORK/bundle" "$WORK/query.vcf.gz" \
    -o "$WORK/kb.jsonl" --vcf-out "$WORK/kb2.vcf.gz"
  measure bcftools bcftools annotate -a "$TABLE" -c INFO/AF,INFO/GRPMAX_AF \
    -Oz -o "$WORK/bcftools.vcf.gz" "$WORK/query.vcf.gz"
  measure vcfanno sh -c "vcfanno -p 2 '$WORK/vcfanno.toml' '$WORK/query.vcf.gz' 2>/dev/null | bgzip > '$WORK/vcfanno.vcf.gz'"

done
for name in kb kbjson bcftools vcfanno; do summarise "$name"; done

# Same answers: alleles annotated with AF by each tool (bcftools annotates
# only the first of two identical query lines, so it may report a few less).
kb_hits=$(zcat "$WORK/kb.vcf.gz" | grep -v '^#' | grep -c 'gnomad_AF=' || true)
bcf_hits=$(zcat "$WORK/bcftools.vcf.gz" | grep -v '^#' | grep -c ';AF=' || true)
anno_hits=$(zcat "$WORK/vcfanno.vcf.gz" | grep -v '^#' | grep -c 'gnomad_AF=' || true)
queries=$(zcat "$WORK/query.vcf.gz" | grep -vc '^#')

rate() { awk -v n="$queries" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() { printf '%-28s %9s %9s %14s %10s %10s\n' "$@"; }
echo
echo "median of $RUNS runs each, $(nproc) cores"
row tool "wall s" "CPU s" variants/s "peak MiB" "AF hits"
row "kb-lookup (VCF out)" "$kb_secs" "$kb_cpu" "$(rate "$kb_secs")" $((kb_rss / 1024)) "$kb_hits"
row "kb-lookup (JSONL + VCF out)" "$kbjson_secs" "$kbjson_cpu" "$(rate "$kbjson_secs")" $((kbjson_rss / 1024)) "-"
row "bcftools annotate -a" "$bcftools_secs" "$bcftools_cpu" "$(rate "$bcftools_secs")" $((bcftools_rss / 1024)) "$bcf_hits"
row "vcfanno -p 2" "$vcfanno_secs" "$vcfanno_cpu" "$(rate "$vcfanno_secs")" $((vcfanno_rss / 1024)) "$anno_hits"
echo
echo "speed-up vs bcftools annotate: $(ratio "$bcftools_secs" "$kb_secs")x wall, $(ratio "$bcftools_cpu" "$kb_cpu")x CPU (goal >= 3)"
echo "speed-up vs vcfanno:           $(ratio "$vcfanno_secs" "$kb_secs")x wall, $(ratio "$vcfanno_cpu" "$kb_cpu")x CPU (goal >= 1)"
echo "kb-lookup peak RSS:            $((kb_rss / 1024)) MiB (goal <= 1024)"
echo "queries: $queries; source alleles: $(zcat "$TABLE" | grep -vc '^#')"
