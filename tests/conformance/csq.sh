#!/usr/bin/env bash
# BCSQ conformance: runs `vcf-annotate --bcsq` on every case of bcftools csq's
# own test suite and compares each record's consequences with what bcftools'
# tests expect.
#
# Usage: tests/conformance/csq.sh [DIR]   (default ../shared/data/bcftools_csq)
# Env:   VCF_ANNOTATE=path/to/binary (default: builds target/debug/vcf-annotate)
#        MIN_CONCORDANCE=percent below which the script fails (default 99.5)
#
# Expectations, per input record:
#   - `<case>.txt` next to a VCF: the BCSQ line bcftools' test suite asserts
#     (second line of each pair); INFO/EXP of the same record is accepted too
#     (the suite's authors wrote both; they differ for a few records);
#   - otherwise INFO/EXP of the record;
#   - `_toplevel/csq.vcf`: `csq.1.out` (with csq.gff3 and csq.chr.gff3);
#   - `*.cmd` + `*.cmd.out`: each `bcftools csq` command is replayed with the
#     same reference, gene model, VCF and `-B/-b` (brief protein changes);
#     `-i/-e` filters are applied beforehand with `bcftools view` and the
#     filtered-out records are not compared; `-l` (local, each record alone)
#     is --bcsq-local; `-Ot` (text output) has no equivalent and is skipped;
#   - `<case>.txt-l`: expected `bcftools csq -l` output, run with --bcsq-local.
#     For per-sample TBCSQ output the union over samples is compared with our
#     INFO/BCSQ (the union bcftools also writes to INFO/BCSQ).
#
# Fairness: bcftools csq does not normalise; vcf-annotate does (split,
# trim, left-align). BCSQ is computed on the record as written in the input
# (vcf-annotate keeps it in INFO/ORIGINAL when normalisation changed it), so
# the comparison is like with like; output records are mapped back to their
# input record through INFO/ORIGINAL, and the BCSQ of split alleles is
# joined. Gene models are read with --lenient (bcftools accepts CDS without
# phase), and with --ref-mismatch flag (a few test REF alleles run past the
# end of the FASTA slice; bcftools only checks the bases it has). Phasing: with samples, bcftools' default (--phase r) stops at
# unphased heterozygous genotypes; vcf-annotate never combines those.
#
# Compared: consequence, transcript and amino-acid change of each entry
# (order-independent). One line per disagreement, last `concordance: A/T`.
set -euo pipefail
shopt -s lastpipe
cd "$(dirname "$0")/../.."
DIR=${1:-../shared/data/bcftools_csq}
if [ ! -d "$DIR" ]; then
  echo "csq: cannot find the bcftools csq test folder $DIR" >&2
  exit 1
fi
command -v bcftools >/dev/null || { echo "csq: needs bcftools on PATH" >&2; exit 1; }
if [ -z "${VCF_ANNOTATE:-}" ]; then
  cargo build -q -p vcf-annotate
  VCF_ANNOTATE=target/debug/vcf-annotate
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

agree=0 total=0 skipped=0

# A FASTA path with a .fai: the data's own, or a copy indexed in $TMP.
indexed_fasta() {
  local fa=$1
  if [ -f "$fa.fai" ]; then echo "$fa"; return; fi
  local copy="$TMP/$(basename "$fa")"
  cp "$fa" "$copy"
  awk 'BEGIN { OFS = "\t" }
       /^>/ { if (name != "") print name, len, off, lb, lb + 1
              name = substr($1, 2); len = 0; lb = 0; off = bytes + length($0) + 1 }
       !/^>/ { if (lb == 0) lb = length($0); len += length($0) }
       { bytes += length($0) + 1 }
       END { if (name != "") print name, len, off, lb, lb + 1 }' "$copy" >"$copy.fai"
  echo "$copy"
}

# annotate FASTA GFF VCF BRIEF [--bcsq-local] > "POS REF ALT BCSQ" per
# input record.
annotate() {
  local fa gff=$2 vcf=$3 brief=$4 local=${5:-}
  fa=$(indexed_fasta "$1")
  # A few test VCFs end INFO with `;` (an empty key, invalid VCF even for
  # --lenient); it does not change consequences, so it is removed first.
  awk 'BEGIN { FS = OFS = "\t" } !/^#/ { sub(/;+$/, "", $8) } { print }' "$vcf" >"$TMP/input.vcf"
  vcf="$TMP/input.vcf"
  if ! "$VCF_ANNOTATE" --lenient --ref-mismatch flag --bcsq --bcsq-brief "$brief" $local -f "$fa" -g "$gff" \
      -o "$TMP/out.vcf" "$vcf" 2>"$TMP/err"; then
    echo "csq: vcf-annotate failed on $vcf:" >&2
    cat "$TMP/err" >&2
    return 1
  fi
  bcftools query -f '%POS\t%REF\t%ALT\t%INFO/ORIGINAL\t%INFO/BCSQ\n' "$TMP/out.vcf" |
    awk -F'\t' '{
        key = $1 "\t" $2 "\t" $3
        if ($4 != ".") { split($4, o, "|"); key = o[2] "\t" o[3] "\t" o[4] }
        if (!(key in seen)) { order[++n] = key; seen[key] = 1; val[key] = "" }
        if ($5 != ".") val[key] = (val[key] == "" ? $5 : val[key] "," $5)
      }
      END { for (i = 1; i <= n; i++) print order[i] "\t" (val[order[i]] == "" ? "." : val[order[i]]) }'
}

# compare LABEL EXPECTED GOT: EXPECTED lines are "POS REF ALT EXP [EXP2]",
# GOT lines "POS REF ALT BCSQ". Prints disagreements, then "A T".
compare() {
  awk -F'\t' -v label="$1" '
    function norm(s,   n, e, f, i, out, k, tmp, j) {
      if (s == "" || s == ".") return ""
      n = split(s, e, ",")
      k = 0
      for (i = 1; i <= n; i++) {
        if (e[i] == "" || e[i] == ".") continue
        split(e[i], f, "|")
        tmp[++k] = f[1] "|" f[3] "|" f[6]
      }
      # insertion sort, then drop duplicates
      for (i = 2; i <= k; i++) { v = tmp[i]; j = i - 1
        while (j > 0 && tmp[j] > v) { tmp[j + 1] = tmp[j]; j-- } tmp[j + 1] = v }
      out = ""
      for (i = 1; i <= k; i++) if (i == 1 || tmp[i] != tmp[i - 1]) out = out ";" tmp[i]
      return out
    }
    FNR == NR { key = $1 "\t" $2 "\t" $3; c = ++ngot[key]; got[key, c] = $4; next }
    {
      key = $1 "\t" $2 "\t" $3; c = ++nexp[key]
      g = ((key, c) in got) ? got[key, c] : "(missing)"
      ok = 0
      for (i = 4; i <= NF; i++) if (norm($i) == norm(g)) ok = 1
      total++
      if (ok) agree++
      else {
        want = $4; for (i = 5; i <= NF; i++) want = want " OR " $i
        printf "DIFF %s\t%s\n  expected %s\n  got      %s\n", label, key, want, g
      }
    }
    END { printf "%d %d\n", agree, total }' "$3" "$2"
}

tally() { # reads compare output: passes DIFF lines through, adds counts
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^([0-9]+)\ ([0-9]+)$ ]]; then
      agree=$((agree + BASH_REMATCH[1])); total=$((total + BASH_REMATCH[2]))
    else
      echo "$line"
    fi
  done
}

# Expected values of a VCF: its .txt (second line of each pair; or TXT) and
# INFO/EXP.
expected_of_vcf() {
  local vcf=$1 txt=${2:-${1%.vcf}.txt}
  bcftools query -f '%POS\t%REF\t%ALT\t%INFO/EXP\n' "$vcf" >"$TMP/exp_info" 2>/dev/null || : >"$TMP/exp_info"
  if [ -f "$txt" ] && [ -n "$(bcftools query -l "$vcf")" ]; then
    # With samples the suite records per-sample TBCSQ lines: their union.
    awk -F'\t' 'NF { key = $1 "\t" $2 "\t" $3; if (!(key in v)) { o[++n] = key; v[key] = "" }
                     for (i = 4; i <= NF; i++) if ($i != ".") v[key] = v[key] "," $i }
                 END { for (i = 1; i <= n; i++) print o[i] "\t" (v[o[i]] == "" ? "." : substr(v[o[i]], 2)) }' \
      "$txt" >"$TMP/exp_txt"
    paste "$TMP/exp_txt" <(cut -f4 "$TMP/exp_info") |
      awk -F'\t' '{ print $1 "\t" $2 "\t" $3 "\t" $4 ($5 != "." ? "\t" $5 : "") }'
  elif [ -f "$txt" ]; then
    awk 'BEGIN { RS = ""; FS = "\n" } { print $2 }' "$txt" >"$TMP/exp_txt"
    paste "$TMP/exp_txt" <(cut -f4 "$TMP/exp_info") |
      awk -F'\t' '{ print $1 "\t" $2 "\t" $3 "\t" $4 ($5 != "." ? "\t" $5 : "") }'
  else
    awk -F'\t' '$4 != "."' "$TMP/exp_info"
  fi
}

run_vcf_case() { # DIR VCF
  local d=$1 vcf=$2 name gff
  name=$(basename "$d")
  gff=${vcf%.vcf}.gff
  [ -f "$gff" ] || gff="$d/$name.gff"
  expected_of_vcf "$vcf" >"$TMP/expected"
  [ -s "$TMP/expected" ] || return 0
  annotate "$d/$name.fa" "$gff" "$vcf" 0 >"$TMP/got"
  compare "${vcf#"$DIR"/}" "$TMP/expected" "$TMP/got" | tally
  # `<case>.txt-l`: the expected output of `bcftools csq -l` (each record
  # alone), compared with --bcsq-local.
  local txt_l=${vcf%.vcf}.txt-l
  if [ -f "$txt_l" ]; then
    expected_of_vcf "$vcf" "$txt_l" | cut -f1-4 >"$TMP/expected"
    annotate "$d/$name.fa" "$gff" "$vcf" 0 --bcsq-local >"$TMP/got"
    compare "${txt_l#"$DIR"/}" "$TMP/expected" "$TMP/got" | tally
  fi
}

# Replays the `bcftools csq` commands of a .cmd file against its .cmd.out.
run_cmd_case() { # DIR CMD
  local d=$1 cmd=$2 out=$2.out block=0 line
  # Split the .cmd.out into one file per command (blank-line separated
  # blocks, except for the EXP/BCSQ pair format of single-command files).
  local ncmd
  ncmd=$(grep -v '^#' "$cmd" | grep -c 'bcftools csq' || true)
  if [ "$ncmd" -eq 1 ]; then
    cp "$out" "$TMP/block.1"
  else
    awk -v dir="$TMP" 'BEGIN { b = 1 } /^$/ { b++; next } { print > (dir "/block." b) }' "$out"
  fi
  while IFS= read -r line; do
    [[ $line == \#* || $line != *"bcftools csq"* ]] && continue
    block=$((block + 1))
    local part=${line%%|*} fa="" gff="" vcf="" brief=0 filter=() unsupported="" local=""
    part=${part#*bcftools csq}
    eval "set -- $part"
    while [ $# -gt 0 ]; do
      case $1 in
        -f) fa=$2; shift ;;
        -g) gff=$2; shift ;;
        -B) brief=$2; shift ;;
        -b) brief=1 ;;
        -lb | -bl) brief=1; local=--bcsq-local ;;
        -l) local=--bcsq-local ;;
        -i | -e) filter=("$1" "$2"); shift ;;
        -p | --phase | --ncsq) shift ;;
        -O*) unsupported="text output" ;;
        --force) ;;
        *.vcf) vcf=$1 ;;
      esac
      shift
    done
    local nrec
    nrec=$(grep -vc '^#' "$d/$vcf" || true)
    if [ -n "$unsupported" ]; then
      echo "SKIP ${cmd#"$DIR"/} command $block: $unsupported"
      skipped=$((skipped + nrec))
      continue
    fi
    local input="$d/$vcf"
    if [ ${#filter[@]} -gt 0 ]; then
      bcftools view "${filter[@]}" "$d/$vcf" -Ov -o "$TMP/filtered.vcf"
      input="$TMP/filtered.vcf"
    fi
    local blockfile="$TMP/block.$block"
    [ -f "$blockfile" ] || { echo "csq: no output block $block in $out" >&2; return 1; }
    if [[ $line == *TBCSQ* ]]; then
      # POS REF ALT SAMPLE GT TBCSQ...: union per site.
      awk -F'\t' '{ key = $1 "\t" $2 "\t" $3; if (!(key in v)) { o[++n] = key; v[key] = "" }
                    for (i = 6; i <= NF; i++) if ($i != ".") v[key] = v[key] "," $i }
                  END { for (i = 1; i <= n; i++) print o[i] "\t" (v[o[i]] == "" ? "." : substr(v[o[i]], 2)) }' \
        "$blockfile" >"$TMP/expected"
    elif [[ $line == *%EXP* ]]; then
      awk 'BEGIN { RS = ""; FS = "\n" } { print $2 }' "$blockfile" >"$TMP/expected"
    else
      cp "$blockfile" "$TMP/expected"
    fi
    # Records removed by the filter are not compared.
    bcftools query -f '%POS\t%REF\t%ALT\n' "$input" >"$TMP/kept"
    awk -F'\t' 'FNR == NR { keep[$1 "\t" $2 "\t" $3] = 1; next } ($1 "\t" $2 "\t" $3) in keep' \
      "$TMP/kept" "$TMP/expected" >"$TMP/expected.kept"
    annotate "$d/$fa" "$d/$gff" "$input" "$brief" $local >"$TMP/got"
    compare "${cmd#"$DIR"/}#$block" "$TMP/expected.kept" "$TMP/got" | tally
  done <"$cmd"
  rm -f "$TMP"/block.*
}

for d in "$DIR"/E*/; do
  d=${d%/}
  for vcf in "$d"/*.vcf; do
    [ -f "${vcf%.vcf}.txt" ] || bcftools query -f '%INFO/EXP\n' "$vcf" 2>/dev/null | grep -qv '^\.$' || continue
    run_vcf_case "$d" "$vcf"
  done
  for cmd in "$d"/*.cmd; do
    [ -f "$cmd" ] && [ -f "$cmd.out" ] && run_cmd_case "$d" "$cmd"
  done
done

top="$DIR/_toplevel"
if [ -f "$top/csq.vcf" ]; then
  for gff in csq.gff3 csq.chr.gff3; do
    awk 'BEGIN { RS = ""; FS = "\n" } { print $2 }' "$top/csq.1.out" >"$TMP/exp_txt"
    bcftools query -f '%INFO/EXP\n' "$top/csq.vcf" | paste "$TMP/exp_txt" - >"$TMP/expected"
    annotate "$top/csq.fa" "$top/$gff" "$top/csq.vcf" 0 >"$TMP/got"
    compare "_toplevel/csq.vcf ($gff)" "$TMP/expected" "$TMP/got" | tally
  done
fi

if [ "$skipped" -gt 0 ]; then
  echo "skipped: $skipped records (options without an equivalent)"
fi
echo "concordance: $agree/$total"
# Fails below MIN_CONCORDANCE percent (default 99.5).
awk -v a="$agree" -v t="$total" -v m="${MIN_CONCORDANCE:-99.5}" 'BEGIN { exit !(t > 0 && 100 * a / t >= m) }'

