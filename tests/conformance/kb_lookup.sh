#!/usr/bin/env bash
# kb-lookup conformance against ../shared/data: CIViC API records, the
# cancerhotspots.org tables, the OncoKB annotator's GRCh38 MAF, a gnomAD
# excerpt and the PCGR GRCh37/GRCh38 pair (Rust tests marked #[ignore]),
# then the CLI on a real bundle: build --tar, verify, info, tamper
# detection, and bcftools reading the exact-allele table.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SHARED_DATA:-../shared/data}
for sub in civic cancer_hotspots gnomad_excerpts oncokb_inputs pcgr_examples; do
  if [ ! -d "$DATA/$sub" ]; then
    echo "kb_lookup conformance: cannot find $DATA/$sub" >&2
    exit 1
  fi
done
DATA=$(cd "$DATA" && pwd)
export SHARED_DATA=$DATA

cargo test -q -p kb-lookup --test conformance -- --ignored

cargo build -q -p kb-lookup --bin kb-lookup
BIN=$(pwd)/target/debug/kb-lookup
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/SOURCES.toml" <<TOML
[bundle]
version = "conformance"
genome_build = "GRCh38"

[[source]]
kind = "cancer_hotspots"
release = "v2"
licence = "ODbL-1.0"
files = { snv = "file://$DATA/cancer_hotspots/cancerhotspots.org_hotspots_v2.SNV-hotspots.tsv", indel = "$DATA/cancer_hotspots/cancerhotspots.org_hotspots_v2.INDEL-hotspots.tsv", alleles = "$DATA/cancer_hotspots/cancerhotspots_v2_GRCh38.tsv" }

[[source]]
kind = "gnomad"
release = "r2.1.1"
licence = "ODC-By-1.0"
files = { vcf = "$DATA/gnomad_excerpts/test_b38.gnomad.exomes.r2.1.1.sites.vcf.gz" }
TOML
fail() { echo "kb_lookup conformance: FAIL: $*" >&2; exit 1; }

SOURCE_DATE_EPOCH=1736899200 "$BIN" bundle build --sources "$WORK/SOURCES.toml" --out "$WORK/a.tar.gz" --tar
SOURCE_DATE_EPOCH=1736899200 "$BIN" bundle build --sources "$WORK/SOURCES.toml" --out "$WORK/b.tar.gz" --tar
cmp -s "$WORK/a.tar.gz" "$WORK/b.tar.gz" || fail "two builds of the same inputs differ"
"$BIN" bundle verify "$WORK/a.tar.gz" | grep -q '^OK ' || fail "verify of a fresh bundle"
"$BIN" bundle info "$WORK/a.tar.gz" | grep -q 'created          2025-01-15T00:00:00Z' || fail "info"

mkdir "$WORK/dir" && tar -xzf "$WORK/a.tar.gz" -C "$WORK/dir"
# tabix/bcftools read the exact-allele table as it is.
[ "$(bcftools view -H "$WORK/dir/exact/gnomad.vcf.gz" | wc -l)" = 7 ] || fail "bcftools view of the table"
[ "$(tabix "$WORK/dir/exact/gnomad.vcf.gz" chr21:42085325-42085325 | wc -l)" = 2 ] || fail "tabix query"
printf 'x' >> "$WORK/dir/curated/cancer_hotspots.jsonl.gz"
set +e
out=$("$BIN" bundle verify "$WORK/dir"); code=$?
set -e
[ "$code" = 1 ] || fail "verify of a tampered bundle exited $code"
echo "$out" | grep -q 'TAMPERED curated/cancer_hotspots.jsonl.gz' || fail "tampered file not named: $out"

# The GRCh37 PCGR calls are refused by the GRCh38 bundle, the GRCh38 ones matched.
set +e
err=$("$BIN" annotate --bundle "$WORK/a.tar.gz" "$DATA/pcgr_examples/T001-BRCA.grch37.vcf.gz" -o "$WORK/x.jsonl" 2>&1); code=$?
set -e
[ "$code" != 0 ] && echo "$err" | grep -q 'genome build mismatch' || fail "GRCh37 input accepted: $err"
[ ! -e "$WORK/x.jsonl" ] || fail "output left behind after a refusal"
"$BIN" annotate --bundle "$WORK/a.tar.gz" "$DATA/pcgr_examples/T001-BRCA.grch38.vcf.gz" -o "$WORK/brca.jsonl"
# PIK3CA H1047R at 3:179234297 A>G is a hotspot allele.
grep '"pos":179234297' "$WORK/brca.jsonl" | grep -q '"record_id":"PIK3CA:H1047R","level":"exact_allele"' \
  || fail "PIK3CA H1047R not matched"
echo "kb_lookup conformance: all checks passed"
