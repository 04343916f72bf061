#!/usr/bin/env bash
# Runs every conformance suite against the third-party data in ../shared/data
# (or $SHARED_DATA): the Rust conformance tests (marked #[ignore] so that a
# plain `cargo test` passes without the data) and each runner script here.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SHARED_DATA=${SHARED_DATA:-../shared/data}
if [ ! -d "$SHARED_DATA" ]; then
  echo "conformance: cannot find the shared test data folder $SHARED_DATA" >&2
  exit 1
fi

status=0
echo "== conformance: Rust suites (cargo test -- --ignored)"
cargo test --workspace --release -- --ignored || status=1

for runner in tests/conformance/*.sh; do
  [ "$(basename "$runner")" = run_all.sh ] && continue
  echo "== conformance: $runner"
  bash "$runner" || status=1
done
exit $status
