#!/usr/bin/env bash
# advdir-check links lib/check alone: its dynamic dependencies are GMP, zlib, simdjson and the C/C++
# runtimes (and the sanitizer runtimes in a sanitized build), never CGAL, FLINT, MPFR,
# libtorch, ONNX, Protobuf or OpenSSL. Prints the list; fails on anything else.
set -euo pipefail
bin=$1
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "advdir-check needs: $(echo $needed)"
[ -n "$needed" ] || { echo "FAIL: no NEEDED entries read from $bin"; exit 1; }
bad=0
for lib in $needed; do
  case "$lib" in
    libgmp.so.*|libgmpxx.so.*|libz.so.*|libsimdjson.so.*|libstdc++.so.*|libm.so.*|libgcc_s.so.*|libc.so.*|ld-linux*|libasan.so.*|libubsan.so.*) ;;
    *) echo "FAIL: advdir-check depends on $lib"; bad=1 ;;
  esac
done
# The same through the loader: nothing of the solver stack arrives indirectly.
if ldd "$bin" | grep -Ei 'flint|mpfr|torch|onnx|protobuf|ssl|crypto|cgal|openblas|mpi'; then
  echo "FAIL: a solver library is loaded"; bad=1
fi
[ "$bad" = 0 ] && echo "check_deps: 1 passed, 0 failed" || { echo "check_deps: 0 passed, 1 failed"; exit 1; }
