#!/usr/bin/env bash
# Static checks of the Nextflow pipeline that run without Nextflow:
#  - every .nf/.config file through the official Nextflow parser (nflint,
#    ../shared/tools/nflint), strict syntax, no errors allowed;
#  - the command-line contract: every flag a module passes to a tool exists
#    in that tool's --help;
#  - container tags: modules, containers/*/Dockerfile and the Cargo version
#    agree (container_tags.py);
#  - the nf-test files match the modules' inputs, emits and published
#    outputs (nf_tests.py), and the Groovy renderer's unit tests.
# tests/pipeline/containers.sh (podman, slow) runs the modules in their images.
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
python3 tests/pipeline/container_tags.py
python3 tests/pipeline/nf_tests.py
python3 -m unittest discover -s tests/pipeline -p 'test_*.py'
