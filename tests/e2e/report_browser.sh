#!/usr/bin/env bash
# The report as a user sees it: renders report-gen's HTML in headless
# Chromium (Debian package `chromium`, installed here if missing) and fails
# on any console message (errors, CSP violations, anything an injected
# script would print) or a missing tier section, row or detail.
#
#   bash tests/e2e/report_browser.sh
#
# The demo report is a real one: scripts/demo.sh runs the whole chain
# (vcf-annotate --bundle → kb-lookup → rule-tier → report-gen) on the demo
# sample sheet into target/e2e/demo/; DEMO_OUT=DIR reuses a finished demo
# run instead (e.g. DEMO_OUT=results/demo). The melanoma sample DEMO-MEL is
# checked in the browser, the cohort summary too; a stream full of markup
# and 10,000 made-up variants test escaping and paging.
#
# Screenshots: target/e2e/report.png (DEMO-MEL report), report-detail.png
# (BRAF p.V600E opened), cohort.png, large.png (10,000 variants).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "report_browser: chromium is not installed (apt-get install chromium)" >&2
    exit 1
  fi
fi

OUT=target/e2e
rm -rf "$OUT"
mkdir -p "$OUT"
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT

cargo build -q -p report-gen --bin report-gen --example hostile_stream
BIN=target/debug/report-gen

# Inputs: the demo pipeline's reports, a stream full of markup, 10,000
# made-up variants.
if [ -n "${DEMO_OUT:-}" ]; then
  DEMO=$(cd "$DEMO_OUT" && pwd)
else
  DEMO=$PWD/$OUT/demo
  OUTDIR=$DEMO bash scripts/demo.sh >"$OUT/demo.log" 2>&1 || {
    tail -20 "$OUT/demo.log" >&2
    echo "report_browser: scripts/demo.sh failed" >&2
    exit 1
  }
fi
SAMPLE=DEMO-MEL
for file in "$DEMO/$SAMPLE/report/$SAMPLE.html" "$DEMO/$SAMPLE/report/$SAMPLE.tsv" "$DEMO/cohort/cohort.html"; do
  [ -s "$file" ] || { echo "report_browser: the demo wrote no $file" >&2; exit 1; }
done
cp "$DEMO/$SAMPLE/report/$SAMPLE.html" "$OUT/demo.html"
cp "$DEMO/cohort/cohort.html" "$OUT/cohort.html"
# What the report must show, from its own TSV: the rows, and BRAF p.V600E's
# row id and tier.
TSV=$DEMO/$SAMPLE/report/$SAMPLE.tsv
rows_expected=$(($(wc -l <"$TSV") - 1))
braf=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["gene"] == "BRAF" && $col["hgvsp"] == "p.Val600Glu" { print $col["variant_id"] "\t" $col["amp_tier"] }' "$TSV")
braf_id=${braf%%$'\t'*}
braf_tier=${braf##*$'\t'}
target/debug/examples/hostile_stream >"$OUT/hostile.jsonl"
"$BIN" sample "$OUT/hostile.jsonl" --out-dir "$OUT" --prefix hostile 2>/dev/null
"$BIN" demo --variants 10000 -o "$OUT/large.jsonl"
"$BIN" sample "$OUT/large.jsonl" --out-dir "$OUT" --prefix large

passed=0
failed=0
check() { # description, command...
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
  fi
}

# Runs Chromium on a page; extra flags choose --dump-dom or --screenshot.
# Console messages go to $OUT/NAME.console, the browser's stdout to NAME.dom.
browse() { # name, url, flags...
  local name=$1 url=$2
  shift 2
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-quic --no-first-run --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$PROFILE/$name" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 "$@" "$url" \
    >"$OUT/$name.dom" 2>"$OUT/$name.log" || {
    echo "chromium failed on $url" >&2
    tail -5 "$OUT/$name.log" >&2
    return 1
  }
  grep -F ':CONSOLE' "$OUT/$name.log" >"$OUT/$name.console" || true
}

no_console_messages() { # name
  if [ -s "$OUT/$1.console" ]; then
    cat "$OUT/$1.console" >&2
    return 1
  fi
}

dom_has() { # name, fixed string
  grep -qF -- "$2" "$OUT/$1.dom" || { echo "$1: DOM lacks: $2" >&2; return 1; }
}

dom_lacks() { # name, fixed string
  ! grep -qF -- "$2" "$OUT/$1.dom" || { echo "$1: DOM contains: $2" >&2; return 1; }
}

count_in_dom() { # name, fixed string → count
  grep -oF -- "$2" "$OUT/$1.dom" | wc -l
}

in_section() { # name, section id, fixed string: the string lies inside that <section>
  python3 - "$OUT/$1.dom" "$2" "$3" <<'PY' || { echo "$1: section $2 lacks: $3" >&2; return 1; }
import re, sys
dom, section, needle = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
match = re.search(r'<section id="%s".*?</section>' % re.escape(section), dom, re.S)
sys.exit(0 if match and needle in match.group(0) else 1)
PY
}

page() { echo "file://$PWD/$OUT/$1"; }

# 1. The demo pipeline's melanoma report: script ran, every tier section,
#    every row of its TSV, BRAF p.V600E in Tier I.
browse demo "$(page demo.html)" --dump-dom
check "demo: no console messages" no_console_messages demo
check "demo: script finished" dom_has demo 'data-report-ready="true"'
check "demo: sample name" dom_has demo "$SAMPLE"
check "demo: tumour type" dom_has demo 'MEL'
for tier in I II III IV; do
  check "demo: Tier $tier section" dom_has demo "<section id=\"tier-$tier\""
done
check "demo: BRAF p.V600E found in the TSV ($braf)" test -n "$braf_id"
check "demo: BRAF p.V600E is Tier I" test "$braf_tier" = I
check "demo: BRAF row in the Tier I section" in_section demo tier-I "<tr class=\"variant-row\" id=\"$braf_id\""
check "demo: $rows_expected variant rows, as in the TSV" \
  test "$(count_in_dom demo 'class="variant-row"')" -eq "$rows_expected"
check "demo: key finding" dom_has demo 'p.V600E'
check "demo: tier and consequence plots" test "$(count_in_dom demo '<svg ')" -ge 2
check "demo: disclaimer" dom_has demo 'is not a diagnosis'
browse demo-shot "$(page demo.html)" --screenshot="$PWD/$OUT/report.png" --window-size=1400,2700
check "demo screenshot: no console messages" no_console_messages demo-shot
check "demo screenshot written" test -s "$OUT/report.png"

# 2. A variant's details open from a key finding's link, with the rule
#    trace and the evidence behind the call.
browse detail "$(page demo.html)#$braf_id" --dump-dom
check "detail: no console messages" no_console_messages detail
check "detail: opened" dom_has detail "id=\"$braf_id-detail\""
check "detail: rule trace" dom_has detail 'amp.tier_i.level_a'
check "detail: CIViC evidence" dom_has detail 'EID90001'
check "detail: therapy" dom_has detail 'Vemurafenib'
browse detail-shot "$(page demo.html)#$braf_id" --screenshot="$PWD/$OUT/report-detail.png" --window-size=1400,3400
check "detail screenshot written" test -s "$OUT/report-detail.png"

# 3. Markup in every field stays text: nothing runs, nothing loads.
browse hostile "$(page hostile.html)#v1" --dump-dom
check "hostile: no console messages (no script ran, no load blocked)" no_console_messages hostile
check "hostile: script finished" dom_has hostile 'data-report-ready="true"'
check "hostile: details opened" dom_has hostile 'id="v1-detail"'
check "hostile: markup shown as text" dom_has hostile "&lt;script&gt;console.log('XSS')&lt;/script&gt;"
check "hostile: no injected img" dom_lacks hostile '<img'
check "hostile: only the page's scripts" test "$(count_in_dom hostile '<script')" -eq 2

# 4. Cohort summary.
browse cohort "$(page cohort.html)" --dump-dom
check "cohort: no console messages" no_console_messages cohort
check "cohort: matrix" dom_has cohort '<td class="cell tier-I"'
for sample in $(tail -n +2 assets/demo/samplesheet.csv | cut -d, -f1); do
  check "cohort: sample $sample" dom_has cohort "$sample"
done
browse cohort-shot "$(page cohort.html)" --screenshot="$PWD/$OUT/cohort.png" --window-size=1400,1100

# 5. 10,000 variants: one page of rows per table in the document.
browse large "$(page large.html)" --dump-dom
check "large: no console messages" no_console_messages large
check "large: script finished" dom_has large 'data-report-ready="true"'
rows=$(count_in_dom large 'class="variant-row"')
check "large: paged rows ($rows in the DOM)" test "$rows" -le 250
check "large: paging status" dom_has large 'Showing 1–50 of'
browse large-shot "$(page large.html)" --screenshot="$PWD/$OUT/large.png" --window-size=1400,1400

echo "screenshots: $OUT/report.png $OUT/report-detail.png $OUT/cohort.png $OUT/large.png"
echo "report_browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
