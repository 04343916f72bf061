#!/usr/bin/env bash
# Runs every conformance suite against the third-party data in ../shared/data
# (or $SHARED_DATA): the Rust conformance tests (marked #[ignore] so that a
# plain `cargo test` passes without the data) and each runner script here,
# which takes its data folder under $SHARED_DATA.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED_DATA=${SHARED_DATA:-../shared/data}
if [ ! -d "$SHARED_DATA" ]; then
  echo "conformance: cannot find the shared test data folder $SHARED_DATA" >&2
  exit 1
fi
# Absolute, because cargo runs each test binary from its own crate folder.
SHARED_DATA=$(cd "$SHARED_DATA" && pwd)
export SHARED_DATA

cargo build --release -q --workspace --bins
export VCF_ANNOTATE=$PWD/target/release/vcf-annotate

status=0
echo "== conformance: Rust suites (cargo test -- --ignored)"
cargo test --workspace --release -- --ignored || status=1

run() {
  local runner=$1 data=$2
  echo "== conformance: $runner"
  if [ ! -d "$SHARED_DATA/$data" ]; then
    echo "conformance: cannot find $SHARED_DATA/$data for $runner" >&2
    status=1
    return
  fi
  bash "tests/conformance/$runner" "$SHARED_DATA/$data" || status=1
}
run vcf_spec.sh hts_specs_vcf_conformance
run norm.sh bcftools_norm
run csq.sh bcftools_csq
echo "== conformance: kb_lookup.sh"
bash tests/conformance/kb_lookup.sh || status=1
echo "== conformance: kb_demo.sh"
bash tests/conformance/kb_demo.sh || status=1
exit $status
