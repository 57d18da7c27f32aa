#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, builds examples/separator against
# it with find_package(advdir), and runs it; then examples/checker, which asks for the
# checker component alone, with the solver's packages (FLINT, CGAL, ONNX, Protobuf,
# OpenSSL) hidden from CMake, on the certificate the separator example wrote, and on a
# damaged copy it must reject.
set -euo pipefail
build=$1
examples=$2
flags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
configure() {
  cmake -S "$examples/$1" -B "$tmp/$1" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" "${@:2}" >/dev/null
  cmake --build "$tmp/$1" >/dev/null
}
configure separator
"$tmp/separator/separator" "$tmp/theorem4.json" | tee "$tmp/out"
grep -q "w\* = (1, 0), b\* = -1, margin_sq = 1" "$tmp/out"
grep -q "checker: valid" "$tmp/out"

configure checker -DCMAKE_DISABLE_FIND_PACKAGE_FLINT=ON -DCMAKE_DISABLE_FIND_PACKAGE_CGAL=ON -DCMAKE_DISABLE_FIND_PACKAGE_ONNX=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON
"$tmp/checker/checker" "$tmp/theorem4.json"
sed 's/"margin_sq":"1"/"margin_sq":"2"/' "$tmp/theorem4.json" > "$tmp/damaged.json"
! grep -q '"margin_sq":"1"' "$tmp/damaged.json"
if "$tmp/checker/checker" "$tmp/damaged.json"; then
  echo "example_installed: the checker accepted a damaged certificate" >&2
  exit 1
fi
