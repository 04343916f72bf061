#!/usr/bin/env bash
# The report as a user sees it: renders report-gen's HTML in headless
# Chromium (Debian package `chromium`, installed here if missing) and fails
# on any console message (errors, CSP violations, anything an injected
# script would print) or a missing tier section, row or detail.
#
#   bash tests/e2e/report_browser.sh
#
# Screenshots: target/e2e/report.png (demo report), report-detail.png
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

# Inputs: the demo sample, a stream full of markup, 10,000 made-up variants.
"$BIN" demo -o "$OUT/demo.jsonl"
"$BIN" sample "$OUT/demo.jsonl" --out-dir "$OUT" --prefix demo
target/debug/examples/hostile_stream >"$OUT/hostile.jsonl"
"$BIN" sample "$OUT/hostile.jsonl" --out-dir "$OUT" --prefix hostile 2>/dev/null
"$BIN" demo --variants 2 -o "$OUT/second.jsonl"
"$BIN" cohort "$OUT/demo.json" "$OUT/second.jsonl" --out-dir "$OUT" --prefix cohort
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

page() { echo "file://$PWD/$OUT/$1"; }

# 1. The demo report: script ran, every tier section, rows in the tables.
browse demo "$(page demo.html)" --dump-dom
check "demo: no console messages" no_console_messages demo
check "demo: script finished" dom_has demo 'data-report-ready="true"'
for tier in I II III IV; do
  check "demo: Tier $tier section" dom_has demo "<section id=\"tier-$tier\""
done
check "demo: BRAF row in Tier I" dom_has demo '<tr class="variant-row" id="v1">'
check "demo: 7 variant rows" test "$(count_in_dom demo 'class="variant-row"')" -eq 7
check "demo: key finding" dom_has demo 'p.V600E'
check "demo: three plots" test "$(count_in_dom demo '<svg ')" -eq 3
check "demo: disclaimer" dom_has demo 'is not a diagnosis'
browse demo-shot "$(page demo.html)" --screenshot="$PWD/$OUT/report.png" --window-size=1400,2700
check "demo screenshot: no console messages" no_console_messages demo-shot
check "demo screenshot written" test -s "$OUT/report.png"

# 2. A variant's details open from a key finding's link, with the rule trace.
browse detail "$(page demo.html)#v1" --dump-dom
check "detail: no console messages" no_console_messages detail
check "detail: opened" dom_has detail 'id="v1-detail"'
check "detail: rule trace" dom_has detail 'AMP-I-A-same-tumour'
check "detail: CIViC link" dom_has detail 'href="https://civicdb.org/evidence/95/summary"'
browse detail-shot "$(page demo.html)#v1" --screenshot="$PWD/$OUT/report-detail.png" --window-size=1400,3400
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
