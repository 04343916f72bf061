#!/usr/bin/env python3
"""The container images, the modules and the tools agree on names and version.

One source for the version: the Cargo workspace (`[workspace.package] version`).
This checks that
  - every tool crate takes its version from the workspace;
  - every module's `container` is `annotation-engine/<tool>:<workspace version>`
    for the one tool its script and stub call, and containers/<tool>/Dockerfile
    exists;
  - every containers/<tool>/Dockerfile is what containers/build.sh expects:
    RUST_IMAGE/BASE_IMAGE/BINARY_SOURCE/VERSION build arguments, a --locked
    build of that tool, the OCI labels, a non-root USER;
  - nextflow.config's manifest.version is the workspace version.

    python3 tests/pipeline/container_tags.py
"""

import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groovy_subset import evaluate, parse_config  # noqa: E402
from run_modules import Module  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("vcf-annotate", "kb-lookup", "rule-tier", "report-gen")
LABELS = ("title", "version", "source", "licenses", "description")


def main():
    problems = []
    version = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]

    for tool in TOOLS:
        package = tomllib.loads((ROOT / "crates" / tool / "Cargo.toml").read_text())["package"]
        if package.get("version") != {"workspace": True}:
            problems.append(f"crates/{tool}/Cargo.toml: version must be `version.workspace = true`")

    modules = sorted((ROOT / "modules").glob("**/main.nf"))
    for path in modules:
        module = Module(path)
        where = path.relative_to(ROOT)
        text = " ".join(str(part) for _, body in module.blocks.values() for part in body[1] if isinstance(part, str))
        called = {tool for tool in TOOLS if re.search(rf"(^|[\s(|;&]){re.escape(tool)}\s", text)}
        if len(called) != 1:
            problems.append(f"{where}: its shell blocks call {sorted(called) or 'none'} of our tools, expected one")
            continue
        tool = called.pop()
        expected = f"annotation-engine/{tool}:{version}"
        if module.container != expected:
            problems.append(f"{where}: container '{module.container}', expected '{expected}'")

    for tool in TOOLS:
        dockerfile = ROOT / "containers" / tool / "Dockerfile"
        if not dockerfile.exists():
            problems.append(f"containers/{tool}/Dockerfile is missing")
            continue
        text = dockerfile.read_text()
        where = dockerfile.relative_to(ROOT)
        for arg in ("RUST_IMAGE", "BASE_IMAGE", "BINARY_SOURCE", "VERSION"):
            if not re.search(rf"^ARG {arg}\b", text, re.M):
                problems.append(f"{where}: no build argument {arg}")
        if not re.search(rf"cargo build --release --locked -p {tool} --bin {tool}\b", text):
            problems.append(f"{where}: no `cargo build --release --locked -p {tool} --bin {tool}`")
        if f"COPY target/containers/bin/{tool} " not in text:
            problems.append(f"{where}: the prebuilt stage does not copy target/containers/bin/{tool}")
        for label in LABELS:
            if f"org.opencontainers.image.{label}=" not in text:
                problems.append(f"{where}: no OCI label org.opencontainers.image.{label}")
        if f'org.opencontainers.image.title="{tool}"' not in text \
                or 'org.opencontainers.image.version="${VERSION}"' not in text:
            problems.append(f"{where}: title/version labels must be {tool!r} and ${{VERSION}}")
        users = re.findall(r"^USER\s+(\S+)", text, re.M)
        if not users or users[-1].split(":")[0] in ("0", "root"):
            problems.append(f"{where}: the image must end with a non-root USER")

    manifest = next(s[2] for s in parse_config(ROOT / "nextflow.config") if s[:2] == ("scope", "manifest"))
    manifest_version = next(evaluate(s[2], {}) for s in manifest if s[:2] == ("set", "version"))
    if manifest_version != version:
        problems.append(f"nextflow.config: manifest.version {manifest_version}, Cargo workspace {version}")

    for problem in problems:
        print(problem)
    print(f"container_tags: {len(modules)} modules and {len(TOOLS)} Dockerfiles checked against version "
          f"{version}, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
