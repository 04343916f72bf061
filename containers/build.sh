#!/usr/bin/env bash
# Builds and tags the container image of every tool:
#   annotation-engine/<tool>:<version>, <version> = the Cargo workspace version
#   (the tag the modules' `container` directives name; tests/pipeline/container_tags.py
#   checks they agree).
#
#   containers/build.sh                 offline: static binaries compiled on this
#                                       host, on a locally made Debian base
#   containers/build.sh --from-source   multi-stage build from public images
#                                       (RUST_IMAGE builder → BASE_IMAGE runtime)
#
# Offline mode needs no registry: it makes localhost/debian-minbase:bookworm with
# debootstrap + `podman import` when missing (as root), compiles the tools with
# `RUSTFLAGS=-C target-feature=+crt-static` (static-pie, glibc), strips them into
# target/containers/bin/ and builds each Dockerfile with BINARY_SOURCE=prebuilt.
#
# Environment: CONTAINER_ENGINE (podman, else docker), BASE_IMAGE, RUST_IMAGE,
# TOOLS (default: all four), CONTAINERS_CONF (defaults to
# ../shared/tools/containers/containers.conf when that exists).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=prebuilt
case "${1:-}" in
  --from-source) MODE=build ;;
  "") ;;
  *) echo "usage: containers/build.sh [--from-source]" >&2; exit 2 ;;
esac

TOOLS=${TOOLS:-"vcf-annotate kb-lookup rule-tier report-gen"}
ENGINE=${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
if [ -z "${CONTAINERS_CONF:-}" ] && [ -f ../shared/tools/containers/containers.conf ]; then
  export CONTAINERS_CONF=$PWD/../shared/tools/containers/containers.conf
fi
LOCAL_BASE=localhost/debian-minbase:bookworm
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]["version"])')
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

build_args=(--build-arg "VERSION=$VERSION" --build-arg "BINARY_SOURCE=$MODE")
[ -n "${RUST_IMAGE:-}" ] && build_args+=(--build-arg "RUST_IMAGE=$RUST_IMAGE")
engine_args=()
if [ "$ENGINE" = podman ]; then
  engine_args+=(--network host)
fi

if [ "$MODE" = prebuilt ]; then
  BASE_IMAGE=${BASE_IMAGE:-$LOCAL_BASE}
  engine_args+=(--pull=never)
  if [ "$BASE_IMAGE" = "$LOCAL_BASE" ] && ! "$ENGINE" image inspect "$LOCAL_BASE" >/dev/null 2>&1; then
    start=$(date +%s)
    command -v debootstrap >/dev/null || { echo "build.sh: $LOCAL_BASE is missing and debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    echo "build.sh: making $LOCAL_BASE (debootstrap --variant=minbase bookworm)"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
    # Slim it as debian:bookworm-slim is: no package lists or caches, docs, man pages or locales.
    rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
      "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log
    find "$rootfs"/usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    tar -C "$rootfs" -c . | "$ENGINE" import - "$LOCAL_BASE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
    echo "build.sh: $LOCAL_BASE made in $(elapsed "$start")"
  fi

  start=$(date +%s)
  host=$(rustc -vV | sed -n 's/^host: //p')
  echo "build.sh: compiling static binaries ($host, crt-static)"
  packages=()
  for tool in $TOOLS; do packages+=(-p "$tool"); done
  RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --locked -q --target "$host" "${packages[@]}" --bins
  mkdir -p target/containers/bin
  for tool in $TOOLS; do
    bin=target/$host/release/$tool
    # A static(-pie) binary asks for no program interpreter (no ld.so, no libc in the image needed).
    if readelf -l "$bin" | grep -q 'program interpreter'; then
      echo "build.sh: $bin is dynamically linked" >&2; exit 1
    fi
    strip --strip-debug -o "target/containers/bin/$tool" "$bin"
  done
  echo "build.sh: binaries ready in $(elapsed "$start")"
fi
[ -n "${BASE_IMAGE:-}" ] && build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")

for tool in $TOOLS; do
  start=$(date +%s)
  tag=annotation-engine/$tool:$VERSION
  "$ENGINE" build -q "${engine_args[@]}" "${build_args[@]}" -f "containers/$tool/Dockerfile" -t "$tag" . >/dev/null
  echo "build.sh: built $tag in $(elapsed "$start")"
done

echo "build.sh: images"
for tool in $TOOLS; do
  tag=annotation-engine/$tool:$VERSION
  size=$("$ENGINE" image inspect --format '{{.Size}}' "$tag")
  awk -v tag="$tag" -v size="$size" 'BEGIN { printf "  %-40s %6.1f MB\n", tag, size / 1e6 }'
done
