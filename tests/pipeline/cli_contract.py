#!/usr/bin/env python3
"""Command-line contract between the Nextflow modules and the tools.

Every flag that a module's `script:` (or `stub:`) passes to one of our tools,
and every flag that conf/modules.config puts into `ext.args`, must exist in
that tool's `--help` (for the subcommand used), so the pipeline and the
binaries cannot drift apart.

    python3 tests/pipeline/cli_contract.py [BIN_DIR]   (default target/release)
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

TOOLS = ("vcf-annotate", "kb-lookup", "rule-tier", "report-gen")
ROOT = Path(__file__).resolve().parents[2]


def shell_blocks(text):
    """Triple-quoted shell scripts of a module, with the Groovy `def` lines before them."""
    for match in re.finditer(r'(script|stub):\s*\n(.*?)"""(.*?)"""', text, re.S):
        yield match.group(2), match.group(3)


def flags_in(fragment):
    """Long and short options in a shell fragment (Groovy interpolations removed)."""
    cleaned = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_.]*", " ", fragment)
    return re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z])(?![\w-])", cleaned)


def invocations(script):
    """(tool, subcommands, flags, takes_ext_args) for each call of one of our tools."""
    joined = re.sub(r"\\\\?\n", " ", script)
    for line in joined.splitlines():
        for command in re.split(r"\||&&|;|\$\(", line):
            words = command.strip().split()
            if not words or words[0] not in TOOLS:
                continue
            tool, rest = words[0], words[1:]
            subcommands = []
            for word in rest:
                if word.startswith("-") or word.startswith("$"):
                    break
                subcommands.append(word)
            # Only words that name a subcommand in the tool's help count.
            yield tool, subcommands, flags_in(" ".join(rest)), "${args}" in rest


def help_text(bin_dir, tool, subcommands):
    for depth in range(len(subcommands), -1, -1):
        cmd = [str(bin_dir / tool), *subcommands[:depth], "--help"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode == 0:
            return subcommands[:depth], result.stdout
    sys.exit(f"cli_contract: `{' '.join(cmd)}` failed: {result.stderr.strip()}")


def main():
    bin_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "release")
    problems, checked = [], 0
    uses = []  # (source, tool, subcommands, flags)
    for module in sorted((ROOT / "modules").glob("**/main.nf")):
        text = module.read_text()
        process = re.search(r"process\s+(\w+)", text).group(1)
        for defs, script in shell_blocks(text):
            def_flags = flags_in(" ".join(re.findall(r"def\s+\w+\s*=\s*(.*)", defs)))
            for tool, subs, flags, takes_args in invocations(script):
                uses.append((module.relative_to(ROOT), process, tool, subs, flags + def_flags, takes_args))
    # ext.args of conf/modules.config, attributed to the calls of the process they
    # configure that pass `${args}` (not to `tool --version` in versions.yml).
    config = (ROOT / "conf" / "modules.config").read_text()
    for name, body in re.findall(r"withName:\s*'(\w+)'\s*\{(.*?)\n    \}", config, re.S):
        ext = re.search(r"ext\.args\s*=\s*\{(.*?)\}\s*\n", body, re.S)
        if not ext:
            continue
        targets = [u for u in uses if u[1] == name and u[5]]
        if not targets:
            problems.append(f"conf/modules.config: ext.args for {name}, which no module call takes as ${{args}}")
        for source, process, tool, subs, flags, _ in targets:
            uses.append((Path("conf/modules.config"), process, tool, subs, flags_in(ext.group(1)), False))
    for source, process, tool, subs, flags, _ in uses:
        used_subs, text = help_text(bin_dir, tool, subs)
        if used_subs != subs:
            problems.append(f"{source} ({process}): `{tool} {' '.join(subs)}` is not a subcommand")
        for flag in sorted(set(flags)):
            checked += 1
            if not re.search(rf"(^|[\s,\[]){re.escape(flag)}([\s,=\]<]|$)", text, re.M):
                problems.append(f"{source} ({process}): `{tool} {' '.join(used_subs)}` has no option {flag}")
    for problem in problems:
        print(problem)
    print(f"cli_contract: {checked} flag uses in {len(uses)} tool calls checked, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
