#!/usr/bin/env python3
"""The nf-test files agree with the pipeline they test (nf-test itself cannot run here).

For every *.nf.test file (tests/, modules/local/*/tests/) this checks that
  - its `script` exists and defines the `process` it names; every `run("X")`
    in `setup` has a script that defines process X;
  - every `process { ... }` block (its triple-quoted code) sets exactly input[0] .. input[n-1]
    for the n input declarations of its process, a list literal has as many
    elements as the input's tuple, and `X.out.name` handed on is an emit of X
    (run earlier in setup) of the same arity;
  - every `process.out.name` read in `then` is an emit of the tested process,
    with tuple indices and `def (a, b) = ...` within the tuple's arity;
  - every test that runs the real tools has a `-stub` twin (a test with
    `options "-stub"` in the same file, or tests/<name>.stub.nf.test beside a
    pipeline test), and every module has modules/local/<module>/tests/main.nf.test;
  - a pipeline test's sample list is the demo sample sheet's, and every
    "$outputDir/..." path it reads is one the pipeline publishes: a declared
    output of a module under its conf/modules.config publishDir, or a file
    main.nf collects into the output directory.

    python3 tests/pipeline/nf_tests.py
"""

import fnmatch
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groovy_subset import Closure, GroovyError, MapValue, Parser, evaluate, tokenize  # noqa: E402
from run_modules import ROOT, Config, Module, workflow_name  # noqa: E402


class Problems(list):
    def add(self, where, message):
        self.append(f"{where.relative_to(ROOT)}: {message}")


def modules_by_script():
    return {path.resolve(): Module(path) for path in sorted((ROOT / "modules").glob("**/main.nf"))}


def braced(text, start):
    """The text between the `{` at or after START and its matching `}`."""
    open_at = text.index("{", start)
    depth, i = 0, open_at
    while i < len(text):
        if text.startswith('"""', i):
            i = text.index('"""', i + 3) + 3
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[open_at + 1:i]
        i += 1
    raise ValueError(f"unbalanced braces after offset {start}")


def test_blocks(text):
    """(title, body) of every test("...") { ... } block."""
    return [(m.group(1), braced(text, m.end())) for m in re.finditer(r'\btest\("([^"]*)"\)\s*', text)]


def output_arity(module):
    """emit name → number of elements (1 for a plain path/val)."""
    return {opts["emit"][1]: len(items) for kind, items, opts in module.outputs}


def input_arity(module):
    return [len(items) for kind, items, opts in module.inputs]


def check_inputs(problems, where, block, module, ran):
    """The input[i] assignments of the code of one `process { ... }` block."""
    assigned = {}
    for match in re.finditer(r"^\s*input\[(\d+)\]\s*=\s*(.*?)(?=^\s*input\[|\Z)", block, re.M | re.S):
        assigned[int(match.group(1))] = match.group(2).strip()
    arity = input_arity(module)
    if sorted(assigned) != list(range(len(arity))):
        problems.add(where, f"{module.name}: sets input{sorted(assigned)}, the process declares {len(arity)} inputs")
        return
    for index, source in sorted(assigned.items()):
        try:
            node = Parser(tokenize(source, str(where)), str(where)).expression_only()
        except GroovyError as error:
            problems.add(where, f"{module.name} input[{index}]: cannot parse `{source}`: {error}")
            continue
        if node[0] == "list" and len(node[1]) != arity[index]:
            problems.add(where, f"{module.name} input[{index}]: {len(node[1])} elements, the input is a "
                                f"tuple of {arity[index]}")
        upstream = re.match(r"(\w+)\.out\.(\w+)", source)
        if upstream:
            name, emit = upstream.groups()
            if name not in ran:
                problems.add(where, f"{module.name} input[{index}]: {name} is not run before it in setup")
            elif emit not in output_arity(ran[name]):
                problems.add(where, f"{module.name} input[{index}]: {name} has no emit `{emit}`")
            elif source == upstream.group(0) and output_arity(ran[name])[emit] != arity[index]:
                problems.add(where, f"{module.name} input[{index}]: {name}.out.{emit} has "
                                    f"{output_arity(ran[name])[emit]} elements, the input {arity[index]}")


def check_process_test(problems, path, text, modules):
    script = re.search(r'^\s*script\s+"([^"]+)"', text, re.M)
    name = re.search(r'^\s*process\s+"(\w+)"', text, re.M)
    if not script or not name:
        problems.add(path, "a nextflow_process test needs `script` and `process`")
        return None
    module = modules.get((path.parent / script.group(1)).resolve())
    if module is None or module.name != name.group(1):
        problems.add(path, f"script {script.group(1)} does not define process {name.group(1)}")
        return None

    tests = test_blocks(text)
    if not any('options "-stub"' in body for _, body in tests):
        problems.add(path, "no test with options \"-stub\"")
    if not any('options "-stub"' not in body for _, body in tests):
        problems.add(path, "only -stub tests: no test runs the tool")
    emits = output_arity(module)
    for title, body in tests:
        where_title = f"test \"{title}\""
        ran = {}
        setup = braced(body, body.index("setup")) if re.search(r"\bsetup\s*\{", body) else ""
        for run in re.finditer(r'run\("(\w+)"\)\s*', setup):
            run_body = braced(setup, run.end())
            run_script = re.search(r'script\s+"([^"]+)"', run_body)
            upstream = modules.get((path.parent / run_script.group(1)).resolve()) if run_script else None
            if upstream is None or upstream.name != run.group(1):
                problems.add(path, f"{where_title}: setup run(\"{run.group(1)}\") has no script defining it")
                continue
            check_inputs(problems, path, re.search(r'"""(.*?)"""', run_body, re.S).group(1), upstream, ran)
            ran[upstream.name] = upstream
        when = braced(body, body.index("when"))
        check_inputs(problems, path, re.search(r'"""(.*?)"""', when, re.S).group(1), module, ran)

        then = braced(body, body.index("then"))
        for emit, index in re.findall(r"process\.out\.(\w+)(?:\[0\]\[(\d+)\])?", then):
            if emit not in emits:
                problems.add(path, f"{where_title}: {module.name} has no emit `{emit}`")
            elif index and int(index) >= emits[emit]:
                problems.add(path, f"{where_title}: process.out.{emit}[0][{index}]: the tuple has {emits[emit]}")
        for names, emit in re.findall(r"def\s*\(([^)]*)\)\s*=\s*process\.out\.(\w+)\[0\]", then):
            if emit in emits and len(names.split(",")) != emits[emit]:
                problems.add(path, f"{where_title}: unpacks {len(names.split(','))} of process.out.{emit}, "
                                   f"the tuple has {emits[emit]}")
    return module


def published_paths(samples):
    """Every file the pipeline publishes, relative to --outdir (globs where an output is a glob)."""
    config = Config(["test"], {"outdir": "OUT"})
    qualified_of = workflow_name()
    published = set()
    for module in modules_by_script().values():
        qualified = f"{qualified_of}:{module.name}"
        spec_expr = config.setting(module.name, qualified, module.labels, "publishDir")
        metas = [MapValue(id=s) for s in samples] if any(
            items and items[0][1] == ("id", "meta") for _, items, _ in module.inputs) else [MapValue()]
        for meta in metas:
            env = {"params": config.params, "meta": meta, "task": {"process": qualified, "ext": MapValue()}}
            spec = evaluate(spec_expr, env)
            target = spec["path"]() if isinstance(spec["path"], Closure) else spec["path"]
            for _kind, items, _opts in module.outputs:
                for item_kind, node, _ in items:
                    if item_kind != "path":
                        continue
                    name = evaluate(node, env)
                    if "pattern" in spec and not fnmatch.fnmatch(name, spec["pattern"]):
                        continue
                    if "saveAs" in spec:
                        name = spec["saveAs"](name)
                    if name is not None:
                        published.add(str(Path(target) / name).removeprefix("OUT/"))
    # Files main.nf gathers with collectFile(name: ..., storeDir: "${params.outdir}/...").
    for name, store in re.findall(r'collectFile\(name:\s*\'([^\']+)\',\s*storeDir:\s*"\$\{params\.outdir\}/([^"]+)"',
                                  (ROOT / "main.nf").read_text()):
        published.add(f"{store}/{name}")
    return published


def check_pipeline_test(problems, path, text, samples, published):
    script = re.search(r'^\s*script\s+"([^"]+)"', text, re.M)
    if not script or (path.parent / script.group(1)).resolve() != (ROOT / "main.nf").resolve():
        problems.add(path, "a pipeline test must run main.nf")
    listed = re.search(r"def samples = \[([^\]]*)\]", text)
    if not listed or sorted(re.findall(r"'([^']+)'", listed.group(1))) != sorted(samples):
        problems.add(path, f"its sample list must be the demo sample sheet's: {samples}")
    for used in sorted(set(re.findall(r'"\$outputDir/([^"]+)"', text))):
        instances = [used.replace("${id}", s).replace("$id", s) for s in samples] if "$id" in used or "${id}" in used \
            else [used]
        for instance in instances:
            if not any(fnmatch.fnmatch(instance, pattern) for pattern in published):
                problems.add(path, f"reads {instance}, which the pipeline does not publish")
    if 'options "-stub"' not in text:
        twin = path.with_name(path.name.replace(".nf.test", ".stub.nf.test"))
        if not twin.exists() or 'options "-stub"' not in twin.read_text():
            problems.add(path, f"no -stub twin {twin.name} with options \"-stub\"")


def main():
    problems = Problems()
    modules = modules_by_script()
    samples = [line.split(",")[0] for line in
               (ROOT / "assets" / "demo" / "samplesheet.csv").read_text().splitlines()[1:] if line.strip()]
    published = published_paths(samples)
    config = ROOT / "nf-test.config"
    if not config.exists():
        problems.append("nf-test.config is missing")

    files = sorted(p for p in ROOT.glob("**/*.nf.test") if not ({"target", "results", ".nf-test"} & set(p.parts)))
    tested = set()
    for path in files:
        text = path.read_text()
        try:
            if text.lstrip("/ \n").startswith("nextflow_process") or re.search(r"^nextflow_process\s*\{", text, re.M):
                module = check_process_test(problems, path, text, modules)
                if module:
                    tested.add(module.name)
            elif re.search(r"^nextflow_pipeline\s*\{", text, re.M):
                check_pipeline_test(problems, path, text, samples, published)
            else:
                problems.add(path, "neither nextflow_process nor nextflow_pipeline")
        except (ValueError, GroovyError) as error:
            problems.add(path, str(error))
    for script, module in modules.items():
        if module.name not in tested:
            problems.append(f"{script.relative_to(ROOT)}: no nf-test for {module.name} (tests/main.nf.test beside it)")

    for problem in problems:
        print(problem)
    print(f"nf_tests: {len(files)} nf-test files checked against {len(modules)} modules, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
