#!/usr/bin/env bash
# The pipeline's modules, run in their container images without Nextflow:
#   1. containers/build.sh: every image, offline (static binaries on a locally
#      made Debian base), tagged as the modules' `container` directives say;
#   2. the demo knowledge-base bundle: the demo genome (make-demo-genome, on
#      the host) and `kb-lookup bundle build` inside the kb-lookup image;
#   3. tests/pipeline/run_modules.py --stub: every module's `stub:` block in its
#      image, wired as the workflow wires them, outputs checked and published
#      into results/containers-stub/;
#   4. tests/pipeline/run_modules.py: the same with every module's `script:`
#      block on assets/demo/samplesheet.csv, publishing what the pipeline would
#      publish (conf/modules.config layout) into results/containers/;
#   5. scripts/demo.sh, the same chain with the host's binaries: every
#      published file must be the same (tests/pipeline/compare_outputs.py).
# Task directories (with .command.sh/.command.err) are kept in
# results/containers-work/.
#
# Needs root (or rootless podman), podman (or docker: CONTAINER_ENGINE=docker),
# debootstrap for the first base image, cargo, python3 >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
export CONTAINER_ENGINE=$ENGINE
if [ -z "${CONTAINERS_CONF:-}" ] && [ -f ../shared/tools/containers/containers.conf ]; then
  export CONTAINERS_CONF=$PWD/../shared/tools/containers/containers.conf
fi
WORK=$PWD/results/containers-work
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]["version"])')
SECONDS=0
lap() { echo "containers: $1 done at ${SECONDS} s"; }

echo "== containers: build the images"
bash containers/build.sh
lap "images"

echo "== containers: demo knowledge-base bundle"
if [ ! -f assets/demo/bundle/SOURCES.toml ]; then
  echo "containers: assets/demo/bundle/SOURCES.toml is missing: the demo bundle cannot be built" >&2
  exit 1
fi
# make-demo-genome runs on the host: the release build of the whole workspace, as
# tests/pipeline/check.sh and scripts/demo.sh build it (feature unification across
# the workspace picks the compressor, so the genome and the bundle come out the same).
cargo build --release --locked -q --workspace --bins
rm -rf "$WORK/demo"
mkdir -p "$WORK/demo/genome"
target/release/make-demo-genome --genes assets/demo/genes.toml --out "$WORK/demo/genome" >/dev/null
user=()
if [ "$(id -u)" = 0 ]; then
  chown -R "$("$ENGINE" image inspect --format '{{.Config.User}}' "annotation-engine/kb-lookup:$VERSION")" "$WORK/demo"
else
  user=(--user "$(id -u):$(id -g)")
fi
"$ENGINE" run --rm --pull=never --network none "${user[@]}" \
  -v "$PWD/assets:$PWD/assets:ro" -v "$WORK/demo:$WORK/demo" -w "$WORK/demo" \
  "annotation-engine/kb-lookup:$VERSION" \
  kb-lookup bundle build --sources "$PWD/assets/demo/bundle/SOURCES.toml" \
  --var "DEMO_GENOME_DIR=$WORK/demo/genome" --out "$WORK/demo/kb-bundle" --force
lap "bundle"

echo "== containers: every module's stub: block"
python3 tests/pipeline/run_modules.py --stub --bundle "$WORK/demo/kb-bundle" \
  --outdir results/containers-stub --work "$WORK/stub"
lap "stub run"

echo "== containers: every module's script: block on the demo sample sheet"
python3 tests/pipeline/run_modules.py --bundle "$WORK/demo/kb-bundle" \
  --outdir results/containers --work "$WORK/run"
lap "demo run"

echo "== containers: the same as the tools on the host (scripts/demo.sh)"
rm -rf "$WORK/host"
OUTDIR=$WORK/host bash scripts/demo.sh >/dev/null
python3 tests/pipeline/compare_outputs.py results/containers "$WORK/host"
lap "host comparison"
