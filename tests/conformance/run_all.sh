#!/usr/bin/env bash
# Runs every conformance suite against the third-party data in ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SHARED_DATA:-../shared/data}
if [ ! -d "$DATA" ]; then
  echo "conformance: cannot find the shared test data folder $DATA" >&2
  exit 1
fi
# rule-tier: CIViC assertions' AMP/ASCO/CAP categories (../shared/data/civic).
SHARED_DATA="$(cd "$DATA" && pwd)" cargo test -p rule-tier --test conformance -- --ignored
