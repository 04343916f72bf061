#!/usr/bin/env bash
# Runs every conformance suite against the third-party data in ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SHARED_DATA:-../shared/data}
if [ ! -d "$DATA" ]; then
  echo "conformance: cannot find the shared test data folder $DATA" >&2
  exit 1
fi
cargo build -q -p vcf-annotate
export VCF_ANNOTATE=target/debug/vcf-annotate
status=0
echo "== VCF parser conformance (hts-specs)"
bash tests/conformance/vcf_spec.sh "$DATA/hts_specs_vcf_conformance" || status=1
echo "== normalisation conformance (bcftools norm tests)"
bash tests/conformance/norm.sh "$DATA/bcftools_norm" || status=1
exit $status
