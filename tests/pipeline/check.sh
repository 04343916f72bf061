#!/usr/bin/env bash
# Static checks of the Nextflow pipeline that run without Nextflow:
#  - every .nf/.config file through the official Nextflow parser (nflint,
#    ../shared/tools/nflint), strict syntax, no errors allowed;
#  - the command-line contract: every flag a module passes to a tool exists
#    in that tool's --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
NFLINT=${NFLINT:-../shared/tools/nflint/nflint}
if [ ! -x "$NFLINT" ]; then
  echo "pipeline check: cannot find the Nextflow parser at $NFLINT" >&2
  exit 1
fi
"$NFLINT" .
cargo build --release -q --workspace --bins
python3 tests/pipeline/cli_contract.py target/release
