#!/usr/bin/env python3
"""The modules in their containers give what the tools give on the host.

Compares every file run_modules.py published (PIPELINE_DIR) with the file of
the same name that scripts/demo.sh wrote (HOST_DIR; same layout) and fails
on any difference, except where the two runs legitimately differ:
  - a VCF's `##vcf-annotateCommand=` header line (paths and --threads differ),
    so VCFs are compared decompressed without it, and their .tbi (offsets
    follow the header) not at all;
  - the cohort: the pipeline collects the reports sorted by file name,
    demo.sh in sample-sheet order, so cohort.tsv is compared as a set of rows
    and cohort.html (same data) not at all;
  - bundle/bundle_info.txt is demo.sh's bundle_info.txt.

    compare_outputs.py PIPELINE_DIR HOST_DIR
"""

import gzip
import sys
from pathlib import Path

NOT_COMPARED = {".tbi": "index offsets follow the VCF header", "cohort.html": "the cohort's order differs"}


def content(path):
    if path.name.endswith(".vcf.gz"):
        with gzip.open(path, "rt") as handle:
            return [line for line in handle if not line.startswith("##vcf-annotateCommand=")]
    if path.name == "cohort.tsv":
        lines = path.read_text().splitlines(keepends=True)
        return lines[:1] + sorted(lines[1:])
    return path.read_bytes().decode("utf-8", errors="replace").splitlines(keepends=True)


def main():
    pipeline, host = Path(sys.argv[1]), Path(sys.argv[2])
    problems, compared, skipped = [], 0, 0
    for path in sorted(p for p in pipeline.rglob("*") if p.is_file()):
        rel = path.relative_to(pipeline)
        if path.suffix in NOT_COMPARED or path.name in NOT_COMPARED:
            skipped += 1
            continue
        other = host / ("bundle_info.txt" if str(rel) == "bundle/bundle_info.txt" else rel)
        if not other.exists():
            problems.append(f"{rel}: scripts/demo.sh wrote no {other}")
            continue
        ours, theirs = content(path), content(other)
        compared += 1
        if ours != theirs:
            line = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
            show = lambda lines: lines[line].rstrip()[:200] if line < len(lines) else "(end of file)"  # noqa: E731
            problems.append(f"{rel} differs at line {line + 1}:\n  pipeline: {show(ours)}\n  host:     {show(theirs)}")
    for problem in problems:
        print(problem)
    print(f"compare_outputs: {compared} files compared with the host run, {skipped} not compared "
          f"(.tbi, cohort.html), {len(problems)} difference(s)")
    sys.exit(1 if problems or not compared else 0)


if __name__ == "__main__":
    main()
