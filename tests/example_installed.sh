#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, builds examples/separator against
# it with find_package(advdir), and runs it; then examples/checker, which asks for the
# checker component alone, with the solver's packages (FLINT, CGAL, ONNX, Protobuf,
# OpenSSL) hidden from CMake, on the certificate the separator example wrote, and on a
# damaged copy it must reject; then examples/c_api, the C API on a ReLU net whose outputs,
# exit, separator, Theorem 4, VNNLIB counterexample and errors are derived by hand, built
# with find_package(advdir) and again with pkg-config alone.
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

# o = relu(x1 - x2) + relu(x1 + x2 - 1/2) - 1: at (1/2, 1/4) both units are 1/4, o = -1/2;
# along (1, 0) o = 2c - 1/2 with both units on, so the label -1 first differs just past 1/4.
cat > "$tmp/net.json" <<'JSON'
{"kind": "mlp", "layers": [{"W": [["1", "-1"], ["1", "1"]], "b": ["0", "-1/2"]}, {"W": [["1", "1"]], "b": ["-1"]}]}
JSON
configure c_api
mkdir "$tmp/c"
"$tmp/c_api/c_api" "$tmp/net.json" "$tmp/c" | tee "$tmp/c_out"
grep -qx "advdir [0-9.]*: 2 inputs, 1 outputs" "$tmp/c_out"
grep -qx "o0 = -1/2" "$tmp/c_out"
grep -qx "label -1" "$tmp/c_out"
grep -q '^ray {"adversarial":true,"breakpoints":\[\],"c_exit":"1/4","differs_at_exit":false,"label_after":1,"label_before":-1}$' "$tmp/c_out"
grep -qx "checker: valid" "$tmp/c_out"
# the separator by hand: w* = (1, 0), b* = -1, margin 1; Theorem 4 on w* itself, and each
# certificate verified again by the installed checker example
grep -q '^separator {.*"b_star":"-1".*"margin_sq":"1".*"theorem":"lemma3".*"w_star":\["1","0"\]' "$tmp/c_out"
grep -qx 'theorem4 {"certified":1,"margin_sq":"1","rejected":0,"valid":true}' "$tmp/c_out"
# o = relu(1) + relu(1/2) - 1 = 1/2 >= 0 at (1, 0): a counterexample, with its certificate
grep -q '^vnnlib {.*"counterexample":true.*"outputs":\["1/2"\]' "$tmp/c_out"
for cert in ray separator theorem4 vnnlib; do "$tmp/checker/checker" "$tmp/c/$cert.json"; done
grep -q '^error: x\[1\] "one quarter": not a rational' "$tmp/c_out"
grep -q '^error: data: not linearly separable' "$tmp/c_out"
if "$tmp/c_api/c_api" "$tmp/missing.json" "$tmp/c" 2> "$tmp/c_err"; then exit 1; fi

# The same C program built with pkg-config alone (no CMake) says the same.
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
pkg-config --exists --print-errors advdir
cc -o "$tmp/c_api_pc" "$examples/c_api/main.c" $flags $(pkg-config --cflags --libs advdir)
mkdir "$tmp/pc"
"$tmp/c_api_pc" "$tmp/net.json" "$tmp/pc" > "$tmp/pc_out"
diff <(sed "s|$tmp/c|DIR|g" "$tmp/c_out") <(sed "s|$tmp/pc|DIR|g" "$tmp/pc_out")
grep -q "missing.json" "$tmp/c_err"
