#!/usr/bin/env bash
# VCF parser conformance: runs `vcf-annotate --validate-only` on every file of
# the hts-specs VCF test suite. Files under */passed/ must be accepted; at
# least 95% of the files under */failed/ must be rejected.
#
# Usage: tests/conformance/vcf_spec.sh [DIR]   (default ../shared/data/hts_specs_vcf_conformance)
# Env:   VCF_ANNOTATE=path/to/binary (default: builds target/debug/vcf-annotate)
#        VERBOSE=1 also prints the error message of every rejected failed/ file.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:-../shared/data/hts_specs_vcf_conformance}
if [ ! -d "$DIR" ]; then
  echo "vcf_spec: cannot find the hts-specs VCF conformance folder $DIR" >&2
  exit 1
fi
if [ -z "${VCF_ANNOTATE:-}" ]; then
  cargo build -q -p vcf-annotate
  VCF_ANNOTATE=target/debug/vcf-annotate
fi

passed_total=0 passed_ok=0 failed_total=0 failed_ok=0
while IFS= read -r file; do
  case "$file" in
    */passed/*) expect=accept ;;
    */failed/*) expect=reject ;;
    *) continue ;;
  esac
  if message=$("$VCF_ANNOTATE" --validate-only "$file" 2>&1 >/dev/null); then
    got=accept
  else
    got=reject
  fi
  if [ "$expect" = accept ]; then
    passed_total=$((passed_total + 1))
    if [ "$got" = accept ]; then
      passed_ok=$((passed_ok + 1))
    else
      echo "MISCLASSIFIED (should be accepted): $file"
      echo "    $(echo "$message" | tail -n 1)"
    fi
  else
    failed_total=$((failed_total + 1))
    cause=$(grep -m1 '^##CauseOfFailure=' "$file" | cut -d= -f2- || true)
    if [ "$got" = reject ]; then
      failed_ok=$((failed_ok + 1))
      if [ -n "${VERBOSE:-}" ]; then
        echo "rejected: $file [${cause:-no stated cause}]"
        echo "    $(echo "$message" | tail -n 1)"
      fi
    else
      echo "MISCLASSIFIED (should be rejected): $file [${cause:-no stated cause}]"
      if [ -n "$message" ]; then echo "    $(echo "$message" | tail -n 1)"; fi
    fi
  fi
done < <(find "$DIR" -type f -name '*.vcf*' | LC_ALL=C sort)

echo "passed accepted: $passed_ok/$passed_total"
echo "failed rejected: $failed_ok/$failed_total"
status=0
if [ "$passed_ok" -ne "$passed_total" ]; then
  echo "vcf_spec: every file under passed/ must be accepted" >&2
  status=1
fi
# 95% goal, in integer arithmetic: rejected * 100 >= total * 95
if [ $((failed_ok * 100)) -lt $((failed_total * 95)) ]; then
  echo "vcf_spec: fewer than 95% of the files under failed/ were rejected" >&2
  status=1
fi
exit $status
