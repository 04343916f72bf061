#!/usr/bin/env python3
"""Runs the pipeline's modules inside their container images, as Nextflow would.

For every task of `-profile test` on a sample sheet, in the order the workflow
wires them (bundle verify → per sample vcf-annotate → kb-lookup → rule-tier →
report-gen → cohort), this:
  1. renders the module's own `script:` (or `stub:` with --stub) from
     modules/local/*/main.nf: its `def` lines, the Groovy interpolations, the
     `ext.args` of conf/modules.config with the configs' params, `task.cpus`
     from the label in conf/base.config capped by `resourceLimits`, and
     `task.process`; a strict renderer (groovy_subset.py) fails on anything it
     does not know rather than guess;
  2. stages the inputs as symlinks in a task directory and runs
     `bash -ue .command.sh` in the module's `container` with podman (or
     docker), mounting the work directory and, read-only, the parent
     directory of each input from outside it, as Nextflow's docker support
     does; no network;
  3. checks every declared output (`output:` patterns, `type:`), checks
     versions.yml names the task and the Cargo workspace version, and
     publishes the outputs with the module's `publishDir` of
     conf/modules.config into --outdir.

    run_modules.py --bundle DIR --outdir results/containers --work results/containers-work/run [--stub]
"""

import argparse
import csv
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groovy_subset import (  # noqa: E402
    Closure, GroovyError, MapValue, Parser, StagedPath, StagedPaths, evaluate, parse_config, tokenize,
)

ROOT = Path(__file__).resolve().parents[2]

# How workflows/annotation_engine.nf and main.nf wire the processes. The runner
# below follows this wiring; if the workflow changes, this check fails so the
# runner is updated with it instead of testing a pipeline that no longer exists.
WIRING = {
    "main.nf": [
        "def target = meta.target_size_mb ?: params.default_target_size_mb",
        "[meta + [target_size_mb: target], vcf]",
        "ANNOTATION_ENGINE(ch_samples, file(params.bundle, checkIfExists: true))",
    ],
    "workflows/annotation_engine.nf": [
        "KB_BUNDLE_VERIFY(bundle)",
        "ch_bundle = bundle.isDirectory() ? KB_BUNDLE_VERIFY.out.info.map { _info -> bundle }.first() "
        ": KB_BUNDLE_VERIFY.out.bundle.first()",
        "VCF_ANNOTATE(ch_samples, ch_bundle)",
        "KB_LOOKUP(VCF_ANNOTATE.out.vcf, ch_bundle)",
        'RULE_TIER(KB_LOOKUP.out.jsonl, ch_bundle, file("${projectDir}/conf/rules", checkIfExists: true))',
        "REPORT_GEN(RULE_TIER.out.jsonl)",
        "REPORT_GEN_COHORT( REPORT_GEN.out.json.map { _meta, json -> json }.collect(sort: true) )",
    ],
}

# Failures whose cause is known and being fixed elsewhere: say so plainly.
KNOWN_GAPS = [
    (r"unexpected argument '--bundle'", "vcf-annotate has no --bundle option yet (reference and gene model "
     "from a kb-lookup bundle): the VCF_ANNOTATE module needs it"),
    (r"unrecognized subcommand 'unpack'", "kb-lookup has no `bundle unpack` yet: a .tar.gz bundle cannot be "
     "unpacked by KB_BUNDLE_VERIFY"),
]


class RunError(Exception):
    pass


def squash(text):
    return " ".join(text.split())


def check_wiring():
    for name, snippets in WIRING.items():
        text = squash(re.sub(r"//[^\n]*", "", (ROOT / name).read_text()))
        for snippet in snippets:
            if squash(snippet) not in text:
                raise RunError(f"{name} no longer contains `{snippet}`: the workflow's wiring changed, "
                               f"update tests/pipeline/run_modules.py to follow it")


# ------------------------------------------------------------------ configs

class Config:
    """params and process settings of nextflow.config with the given profiles."""

    def __init__(self, profiles, overrides):
        self.params = {}
        self.process = []  # (selector kind or None, selector, setting, expression), in order
        self.profiles = profiles
        self._load(ROOT / "nextflow.config")
        self.params.update(overrides)

    def _env(self):
        return {"params": self.params, "projectDir": str(ROOT), "launchDir": str(ROOT)}

    def _load(self, path):
        self._statements(parse_config(path))

    def _statements(self, stmts):
        for stmt in stmts:
            kind, name = stmt[0], stmt[1]
            if kind == "command" and name == "includeConfig":
                self._load(ROOT / evaluate(stmt[2], self._env()))
            elif kind == "scope" and name == "params":
                for sub in stmt[2]:
                    if sub[0] != "set":
                        raise RunError(f"unsupported statement in params: {sub[:2]}")
                    self.params[sub[1]] = evaluate(sub[2], self._env())
            elif kind == "set" and name.startswith("params."):
                self.params[name[len("params."):]] = evaluate(stmt[2], self._env())
            elif kind == "scope" and name == "process":
                self._process(stmt[2], None, None)
            elif kind == "set" and name.startswith("process."):
                self.process.append((None, None, name[len("process."):], stmt[2]))
            elif kind == "scope" and name == "profiles":
                for profile in stmt[2]:
                    if profile[0] == "scope" and profile[1] in self.profiles:
                        self._statements(profile[2])

    def _process(self, stmts, sel_kind, selector):
        for stmt in stmts:
            if stmt[0] == "set":
                self.process.append((sel_kind, selector, stmt[1], stmt[2]))
            elif stmt[0] == "select" and sel_kind is None:
                self._process(stmt[3], stmt[1], stmt[2])
            else:
                raise RunError(f"unsupported statement in a process scope: {stmt[:3]}")

    def setting(self, process, qualified, labels, name):
        """The expression of a process setting: withName beats withLabel beats the default."""
        found = {}
        for sel_kind, selector, setting, expr in self.process:
            if setting != name:
                continue
            if sel_kind is None:
                found[0] = expr
            elif sel_kind == "withLabel" and any(re.fullmatch(selector, label) for label in labels):
                found[1] = expr
            elif sel_kind == "withName" and (re.fullmatch(selector, process) or re.fullmatch(selector, qualified)):
                found[2] = expr
            elif sel_kind not in ("withLabel", "withName"):
                raise RunError(f"unsupported process selector {sel_kind}")
        return found[max(found)] if found else None


# ------------------------------------------------------------------ modules

class Module:
    SECTIONS = ("input", "output", "when", "script", "stub", "exec", "shell")

    def __init__(self, path):
        self.path = path
        origin = str(path.relative_to(ROOT))
        p = Parser(tokenize(path.read_text(), origin), origin)
        p.take("ID", "process")
        self.name = p.take("ID").value
        p.take("OP", "{")
        self.directives, self.inputs, self.outputs = {}, [], []
        self.blocks = {}
        section = None
        while not p.at("OP", "}"):
            if p.at("ID") and p.peek().value in self.SECTIONS and p.at("OP", ":", 1):
                section = p.take().value
                p.take()
                if section not in ("input", "output", "script", "stub"):
                    raise RunError(f"{origin}: the runner does not support a `{section}:` section")
                if section in ("script", "stub"):
                    self.blocks[section] = ([], None)
            elif section is None:
                name = p.take("ID").value
                self.directives.setdefault(name, []).append(p.expression())
            elif section in ("input", "output"):
                (self.inputs if section == "input" else self.outputs).append(self._declaration(p))
            else:
                defs, body = self.blocks[section]
                if p.at("ID", "def"):
                    p.take()
                    var = p.take("ID").value
                    p.take("OP", "=")
                    defs.append((var, p.expression()))
                elif p.peek().kind == "GSTR" and body is None:
                    self.blocks[section] = (defs, ("gstr", p.take().value))
                else:
                    p.fail(f"unexpected text in `{section}:`")
        for section in ("script", "stub"):
            if section not in self.blocks or self.blocks[section][1] is None:
                raise RunError(f"{origin}: no `{section}:` shell block")
        self.labels = [evaluate(e, {}) for e in self.directives.get("label", [])]
        self.container = evaluate(self.directives["container"][0], {})

    @staticmethod
    def _declaration(p):
        kind = p.take("ID").value
        items, opts = [], {}

        def item(node):
            if node[0] == "named":
                opts[node[1]] = node[2]
            elif kind == "tuple" and node[0] == "fcall" and node[1] in ("val", "path"):
                args = [a for a in node[2] if a[0] != "named"]
                named = {a[1]: a[2] for a in node[2] if a[0] == "named"}
                items.append((node[1], args[0], named))
            elif kind in ("val", "path"):
                items.append((kind, node, {}))
            else:
                p.fail(f"unsupported declaration `{kind}`")

        def element():
            if p.at("ID") and p.at("OP", ":", 1):
                name = p.take().value
                p.take()
                return ("named", name, p.expression())
            return p.expression()

        item(element())
        while p.at("OP", ","):
            p.take()
            item(element())
        return kind, items, opts

    def input_names(self):
        """Per input declaration: the variable names it binds, with their kinds."""
        out = []
        for _kind, items, _opts in self.inputs:
            names = []
            for item_kind, node, _ in items:
                if node[0] != "id":
                    raise RunError(f"{self.path}: unsupported input expression {node}")
                names.append((item_kind, node[1]))
            out.append(names)
        return out


# ------------------------------------------------------------------ running

class Runner:
    def __init__(self, args, config, workflow_name):
        self.args, self.config, self.workflow = args, config, workflow_name
        self.work = Path(args.work).resolve()
        self.outdir = Path(args.outdir).resolve()
        self.seq = 0
        self.version = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
        self.modules = {}
        for path in sorted((ROOT / "modules").glob("**/main.nf")):
            module = Module(path)
            self.modules[module.name] = module
        self.user_of = {}
        self.log = []

    def image_user(self, image):
        if image not in self.user_of:
            result = subprocess.run([self.args.engine, "image", "inspect", "--format", "{{.Config.User}}", image],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise RunError(f"image {image} is not built: run containers/build.sh ({result.stderr.strip()})")
            self.user_of[image] = result.stdout.strip() or "0:0"
        return self.user_of[image]

    def run(self, name, inputs):
        """Runs one task of process NAME; INPUTS has one value per input declaration."""
        module = self.modules[name]
        block = "stub" if self.args.stub else "script"
        qualified = f"{self.workflow}:{name}"
        declared = module.input_names()
        if len(inputs) != len(declared):
            raise RunError(f"{name} declares {len(declared)} inputs, the runner gives {len(inputs)}")

        self.seq += 1
        env = {"params": self.config.params, "projectDir": str(ROOT), "launchDir": str(ROOT)}
        sources = {}
        for names, value in zip(declared, inputs):
            values = value if len(names) > 1 else (value,)
            for (kind, var), v in zip(names, values, strict=True):
                if kind == "val":
                    env[var] = v
                else:
                    paths = [Path(x).resolve() for x in (v if isinstance(v, list) else [v])]
                    sources[var] = paths
                    env[var] = StagedPaths(StagedPath(x.name) for x in paths) if isinstance(v, list) \
                        else StagedPath(paths[0].name)

        cpus = self._cpus(module, qualified, env)
        ext = MapValue()
        for key in ("args", "prefix"):
            expr = self.config.setting(name, qualified, module.labels, f"ext.{key}")
            if expr is not None:
                value = evaluate(expr, {**env, "task": {"process": qualified, "cpus": cpus}})
                ext[key] = value() if isinstance(value, Closure) else value
        env["task"] = {"process": qualified, "cpus": cpus, "ext": ext, "attempt": 1, "index": self.seq}

        defs, body = module.blocks[block]
        for var, expr in defs:
            env[var] = evaluate(expr, env)
        script = strip_indent(evaluate(body, env))
        tag = evaluate(module.directives["tag"][0], env) if "tag" in module.directives else None

        taskdir = self.work / f"{self.seq:02d}-{name}" if tag is None else self.work / f"{self.seq:02d}-{name}-{tag}"
        if taskdir.exists():
            shutil.rmtree(taskdir)
        taskdir.mkdir(parents=True)
        mounts = []
        for var, paths in sources.items():
            for source in paths:
                if not source.exists():
                    raise RunError(f"{name}: input {var} does not exist: {source}")
                link = taskdir / source.name
                if link.is_symlink() or link.exists():
                    raise RunError(f"{name}: two inputs are staged as {source.name}")
                link.symlink_to(source)
                if not source.is_relative_to(self.work):
                    mounts.append(source.parent)
        (taskdir / ".command.sh").write_text("#!/bin/bash -ue\n" + script)

        command = [self.args.engine, "run", "--rm", "--pull=never", "--network", "none",
                   "-v", f"{self.work}:{self.work}"]
        for mount in sorted(set(mounts)):
            if not any(mount.is_relative_to(m) and mount != m for m in mounts):
                command += ["-v", f"{mount}:{mount}:ro"]
        user = self.image_user(module.container)
        if os.geteuid() == 0:
            uid, _, gid = user.partition(":")
            if not (uid.isdigit() and (gid or "0").isdigit()):
                raise RunError(f"{module.container}: USER {user} is not numeric uid:gid")
            for path in [taskdir, *taskdir.rglob("*")]:
                os.lchown(path, int(uid), int(gid or 0))
        else:
            command += ["--user", f"{os.getuid()}:{os.getgid()}"]
        command += ["-w", str(taskdir), module.container, "/bin/bash", "-ue", ".command.sh"]

        label = f"{qualified}" + (f" ({tag})" if tag else "")
        print(f"[{block}] {label}: {module.container}", flush=True)
        with open(taskdir / ".command.out", "w") as out, open(taskdir / ".command.err", "w") as err:
            status = subprocess.run(command, stdout=out, stderr=err).returncode
        (taskdir / ".exitcode").write_text(f"{status}\n")
        if status != 0:
            stderr = (taskdir / ".command.err").read_text()
            message = [f"{label} failed with exit status {status} in {module.container}",
                       f"  task directory: {taskdir}",
                       "  last lines of its stderr:"]
            message += ["    " + line for line in stderr.strip().splitlines()[-15:]]
            for pattern, gap in KNOWN_GAPS:
                if re.search(pattern, stderr):
                    message.append(f"  known gap: {gap}")
            raise RunError("\n".join(message))

        emits = self._outputs(module, taskdir, env, label)
        self._check_versions(taskdir, qualified, label)
        self._publish(module, qualified, taskdir, env, emits)
        self.log.append(label)
        return emits

    def _cpus(self, module, qualified, env):
        expr = self.config.setting(module.name, qualified, module.labels, "cpus")
        cpus = evaluate(expr, {**env, "task": {"attempt": 1}}) if expr is not None else 1
        cpus = cpus() if isinstance(cpus, Closure) else cpus
        limits = self.config.setting(module.name, qualified, module.labels, "resourceLimits")
        if limits is not None and limits[0] == "map":
            for key, value in limits[1]:
                if key == "cpus":
                    cpus = min(cpus, evaluate(value, env))
        return cpus

    def _outputs(self, module, taskdir, env, label):
        """Every declared output must exist (unless optional): emit name → list of values."""
        emits = {}
        for kind, items, opts in module.outputs:
            values = []
            for item_kind, node, item_opts in items:
                if item_kind == "val":
                    values.append(evaluate(node, env))
                    continue
                pattern = evaluate(node, env)
                options = {**opts, **item_opts}
                found = sorted(glob.glob(pattern, root_dir=taskdir))
                optional = options.get("optional") and evaluate(options["optional"], env)
                if not found and not optional:
                    raise RunError(f"{label}: declared output `{pattern}` was not produced in {taskdir}")
                wanted = evaluate(options["type"], env) if "type" in options else "any"
                for f in found:
                    is_dir = (taskdir / f).is_dir()
                    if (wanted == "dir" and not is_dir) or (wanted == "file" and is_dir):
                        raise RunError(f"{label}: output {f} is not of type {wanted}")
                values.append([taskdir / f for f in found] if len(found) != 1 else taskdir / found[0])
            if opts.get("emit", ("",))[0] != "id":
                raise RunError(f"{label}: every output needs an emit name")
            emits[opts["emit"][1]] = values
        return emits

    def _check_versions(self, taskdir, qualified, label):
        lines = (taskdir / "versions.yml").read_text().splitlines()
        if not lines or lines[0] != f'"{qualified}":':
            raise RunError(f"{label}: versions.yml must start with \"{qualified}\": (has {lines[:1]})")
        tools = dict(line.strip().split(": ", 1) for line in lines[1:] if line.strip())
        if not tools or any(v != self.version for v in tools.values()):
            raise RunError(f"{label}: versions.yml gives {tools}, expected version {self.version}")

    def _publish(self, module, qualified, taskdir, env, emits):
        expr = self.config.setting(module.name, qualified, module.labels, "publishDir")
        if expr is None:
            return
        env = {**env, "params": {**self.config.params, "outdir": str(self.outdir)}}
        spec = evaluate(expr, env)
        unknown = set(spec) - {"path", "mode", "pattern", "saveAs"}
        if unknown:
            raise RunError(f"{module.name}: publishDir options {unknown} are not supported by the runner")
        target = spec["path"]
        target = Path(target() if isinstance(target, Closure) else target)
        if spec.get("mode") != "copy":
            raise RunError(f"{module.name}: publishDir mode {spec.get('mode')!r}: the runner copies only")
        files = []
        for values in emits.values():
            for value in values:
                for f in value if isinstance(value, list) else [value]:
                    if isinstance(f, Path) and f not in files:
                        files.append(f)
        for f in files:
            rel = str(f.relative_to(taskdir))
            if "pattern" in spec and not fnmatch.fnmatch(rel, spec["pattern"]):
                continue
            name = spec["saveAs"](rel) if "saveAs" in spec else rel
            if name is None:
                continue
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            if f.is_dir():
                shutil.copytree(f, dest)
            else:
                shutil.copyfile(f, dest)


def strip_indent(text):
    """Groovy's stripIndent(), as Nextflow applies it to a task script."""
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] if line.strip() else "" for line in lines)


def samples_of(sheet, params):
    """The sample sheet as [meta, vcf] pairs, typed by assets/schema_input.json (nf-schema's samplesheetToList)."""
    schema = json.loads((ROOT / "assets" / "schema_input.json").read_text())["items"]
    props = schema["properties"]
    rows = []
    with open(sheet, newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            for column in schema["required"]:
                if not row.get(column):
                    raise RunError(f"{sheet}:{number}: column {column} is empty")
            meta = MapValue()
            for column, prop in props.items():
                value = row.get(column) or None
                if value is not None and prop.get("type") == "number":
                    value = float(value)
                for key in prop.get("meta", []):
                    meta[key] = value
            # main.nf: the sample sheet's target size, else --default_target_size_mb.
            meta["target_size_mb"] = meta.get("target_size_mb") or params.get("default_target_size_mb")
            rows.append((meta, ROOT / row["vcf"]))
    return rows


def workflow_name():
    text = (ROOT / "workflows" / "annotation_engine.nf").read_text()
    return re.search(r"^workflow\s+(\w+)\s*\{", text, re.M).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", required=True, help="knowledge-base bundle (directory or .tar.gz)")
    parser.add_argument("--input", default=str(ROOT / "assets" / "demo" / "samplesheet.csv"))
    parser.add_argument("--outdir", required=True, help="where outputs are published (params.outdir)")
    parser.add_argument("--work", required=True, help="task directories")
    parser.add_argument("--profile", default="test")
    parser.add_argument("--stub", action="store_true", help="run the stub: blocks instead of script:")
    parser.add_argument("--engine", default=os.environ.get("CONTAINER_ENGINE", "podman"))
    args = parser.parse_args()

    try:
        check_wiring()
        config = Config(args.profile.split(","), {"outdir": args.outdir, "input": args.input, "bundle": args.bundle})
        runner = Runner(args, config, workflow_name())
        for stale in (Path(args.work), Path(args.outdir)):
            if stale.exists():
                shutil.rmtree(stale)
        bundle = Path(args.bundle).resolve()
        samples = samples_of(args.input, config.params)

        verify = runner.run("KB_BUNDLE_VERIFY", [bundle])
        # A directory bundle goes to the tasks as itself, a .tar.gz as the directory verify unpacked.
        task_bundle = bundle if bundle.is_dir() else verify["bundle"][0]
        reports = []
        for meta, vcf in samples:
            annotated = runner.run("VCF_ANNOTATE", [(meta, vcf), task_bundle])
            _, vcf_gz, tbi = annotated["vcf"]
            kb = runner.run("KB_LOOKUP", [(meta, vcf_gz, tbi), task_bundle])
            tiers = runner.run("RULE_TIER", [(meta, kb["jsonl"][1]), task_bundle, ROOT / "conf" / "rules"])
            report = runner.run("REPORT_GEN", [(meta, tiers["jsonl"][1])])
            reports.append(report["json"][1])
        runner.run("REPORT_GEN_COHORT", [sorted(reports, key=lambda p: p.name)])
    except (RunError, GroovyError) as error:
        print(f"run_modules: {error}", file=sys.stderr)
        sys.exit(1)
    published = sorted(str(p.relative_to(runner.outdir)) for p in runner.outdir.rglob("*") if p.is_file())
    print(f"run_modules: {len(runner.log)} tasks ran in their containers, "
          f"{len(published)} files published in {args.outdir}")


if __name__ == "__main__":
    main()
