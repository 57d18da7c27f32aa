#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, builds examples/separator against
# it with find_package(advdir), and runs it.
set -euo pipefail
build=$1
example=$2
flags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$example" -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/separator" | tee "$tmp/out"
grep -q "w\* = (1, 0), b\* = -1, margin_sq = 1" "$tmp/out"
grep -q "checker: valid" "$tmp/out"
