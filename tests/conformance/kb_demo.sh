#!/usr/bin/env bash
# The demo knowledge-base bundle, as scripts/demo.sh builds it, through the
# command line: generate the synthetic genome, build the bundle from
# assets/demo/bundle/SOURCES.toml twice (--var and environment variable) and
# compare the archives byte for byte, verify and unpack it, run every demo
# sample through vcf-annotate --bundle → kb-lookup annotate → rule-tier --bundle. Then the Rust
# end-to-end tests (crates/kb-lookup/tests/end_to_end.rs), which check the
# matches in detail; the ones that read ../shared/data are skipped when it is
# absent. Needs no third-party data itself.
#
#   bash tests/conformance/kb_demo.sh        (PROFILE=debug for debug builds)
set -euo pipefail
cd "$(dirname "$0")/../.."
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then
  cargo build -q --release -p kb-lookup -p vcf-annotate -p synthetic-data -p rule-tier --bins
else
  cargo build -q -p kb-lookup -p vcf-annotate -p synthetic-data -p rule-tier --bins
fi
BIN=$(pwd)/target/$PROFILE
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "kb_demo: FAIL: $*" >&2; exit 1; }

"$BIN/make-demo-genome" --genes assets/demo/genes.toml --out "$WORK/genome" >/dev/null
"$BIN/kb-lookup" bundle build --sources assets/demo/bundle/SOURCES.toml \
  --var DEMO_GENOME_DIR="$WORK/genome" --out "$WORK/a.tar.gz" --tar
DEMO_GENOME_DIR="$WORK/genome" "$BIN/kb-lookup" bundle build \
  --sources assets/demo/bundle/SOURCES.toml --out "$WORK/b.tar.gz" --tar
cmp -s "$WORK/a.tar.gz" "$WORK/b.tar.gz" || fail "two builds of the demo bundle differ"
"$BIN/kb-lookup" bundle verify "$WORK/a.tar.gz" | grep -q '^OK ' || fail "verify of the demo bundle"
info=$("$BIN/kb-lookup" bundle info "$WORK/a.tar.gz")
[ "$(grep -c '^Source ' <<<"$info")" = 7 ] || fail "the demo bundle should have 7 sources: $info"
[ "$(grep -c '^Source .* SYNTHETIC$' <<<"$info")" = 7 ] || fail "every demo source is synthetic: $info"
"$BIN/kb-lookup" bundle unpack "$WORK/a.tar.gz" --out "$WORK/bundle" | grep -q '^OK ' || fail "unpack of the demo bundle"

tail -n +2 assets/demo/samplesheet.csv | while IFS=, read -r sample vcf tumour_type sample_type target_size; do
  # The reference and gene model pinned by the bundle.
  "$BIN/vcf-annotate" --bundle "$WORK/bundle" -o "$WORK/$sample.annotated.vcf.gz" "$vcf" 2>/dev/null
  "$BIN/kb-lookup" annotate --bundle "$WORK/bundle" "$WORK/$sample.annotated.vcf.gz" \
    -o "$WORK/$sample.kb.jsonl" --vcf-out "$WORK/$sample.kb.vcf.gz"
  # rule-tier finds the ontology mapping inside the bundle.
  "$BIN/rule-tier" --bundle "$WORK/bundle" --sample-type "$sample_type" \
    --tumour-type "$tumour_type" --target-size-mb "$target_size" \
    -o "$WORK/$sample.tiers.jsonl" "$WORK/$sample.kb.jsonl" \
    || fail "rule-tier on $sample"
done
zcat "$WORK/DEMO-MEL.kb.vcf.gz" | grep -v '^#' | grep -P '^7\t140753336\t' \
  | grep -q 'KB=.*civic|EID90001|protein_change|DEMOT00000001.1' \
  || fail "BRAF V600E: no CIViC EID90001 protein-level match in INFO/KB"
zcat "$WORK/DEMO-CRC.kb.vcf.gz" | grep -P '^17\t7676154\t' | grep -q 'gnomad_AF=0.6' \
  || fail "TP53 P72R: gnomad_AF=0.6 missing"

export MAKE_DEMO_GENOME=$BIN/make-demo-genome VCF_ANNOTATE=$BIN/vcf-annotate
if [ -d "${SHARED_DATA:-../shared/data}" ]; then
  cargo test -q $([ "$PROFILE" = release ] && echo --release) -p kb-lookup --test end_to_end -- --ignored
else
  echo "kb_demo: ../shared/data absent: running only the demo end-to-end tests" >&2
  cargo test -q $([ "$PROFILE" = release ] && echo --release) -p kb-lookup --test end_to_end -- --ignored demo_bundle_builds demo_samples
fi
# Callers' multi-allelic records split by the real vcf-annotate.
cargo test -q $([ "$PROFILE" = release ] && echo --release) -p kb-lookup --test callers -- --ignored
echo "kb_demo: all checks passed"
