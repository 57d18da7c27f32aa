#!/usr/bin/env bash
# `advdir certify theorem8 | theorem9` sharded over two MPI ranks writes the certificate and
# prints the lines of the single-process run (three pairs, hand-derived data of
# tests/data/three_classes*; a non-separable pair among them for theorem8); so does the
# pair table of `advdir svm --pairs`, its certificates included (the seconds and their stages aside).
# Usage: certify_mpi.sh MPIEXEC ADVDIR DATA_DIR
set -uo pipefail
mpiexec=$1 advdir=$2 data=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
printf -- "0,0,1\n0,3,0\n1,9/2,0\n1,2,0\n" >"$tmp/s2multi.txt"
printf '{"kind": "multiclass", "W": [["-1", "-1"], ["1", "0"], ["0", "1"]], "b": ["5/2", "-2", "-2"]}' >"$tmp/h2multi.json"
# Three classes and a fourth whose pair with class 0 is the XOR: not separable.
cat "$data/three_classes.txt" >"$tmp/four.txt"
printf -- "0,1,1\n0,-1,-1\n3,1,-1\n3,-1,1\n" >>"$tmp/four.txt"
fail=0
same() {  # NAME WANT_EXIT ARGS...: one process and two ranks, the same stdout, exit and certificate
  local name=$1 want=$2; shift 2
  mkdir -p "$tmp/one" "$tmp/two"
  (cd "$tmp/one" && "$advdir" "$@" --out cert.json >out.txt 2>/dev/null); local one=$?
  (cd "$tmp/two" && timeout 120 "$mpiexec" -n 2 "$advdir" "$@" --out cert.json >out.txt 2>err.txt); local two=$?
  if [ "$one" = "$want" ] && [ "$two" = "$want" ] && cmp -s "$tmp/one/out.txt" "$tmp/two/out.txt" && cmp -s "$tmp/one/cert.json" "$tmp/two/cert.json" &&
     grep -q "on rank 1" "$tmp/two/err.txt" && ! grep -q "(0,1) on rank 1" "$tmp/two/err.txt" && [ "$("$advdir" check "$tmp/two/cert.json")" = "valid: $tmp/two/cert.json" ]; then
    echo "ok   $name: two ranks, the single-process output and certificate"
  else
    echo "FAIL $name: exit $one and $two (want $want)"; diff "$tmp/one/out.txt" "$tmp/two/out.txt"; cat "$tmp/two/err.txt"; fail=1
  fi
  rm -rf "$tmp/one" "$tmp/two"
}
same theorem8 0 certify theorem8 "$data/three_classes.txt" --classifier "$data/three_classes_model.json"
same theorem8-nonseparable 1 certify theorem8 "$tmp/four.txt"
same theorem9 0 certify theorem9 "$data/three_classes.txt" --train "$tmp/s2multi.txt" --classifier "$data/three_classes_model.json" --classifier "$tmp/h2multi.json"
# The pair table: every pair and each class against the rest of four.txt. By hand: class 0
# holds the origin, the midpoint of class 3's (1,-1) and (-1,1), so 0 against 3 (and each of
# them against the rest) has a Farkas certificate on those 3 points; the other 7 rows are
# separable (the plane's three classes, and 3's two points against the far classes 1 and 2).
mkdir -p "$tmp/one" "$tmp/two"
(cd "$tmp/one" && "$advdir" svm "$tmp/four.txt" --pairs all --pairs rest --json --out-dir certs >table.json 2>/dev/null); one=$?
(cd "$tmp/two" && timeout 120 "$mpiexec" -n 2 "$advdir" svm "$tmp/four.txt" --pairs all --pairs rest --json --out-dir certs >table.json 2>err.txt); two=$?
strip() { jq -S 'map(del(.seconds, .stages))' "$1"; }
if [ "$one" = 0 ] && [ "$two" = 0 ] && diff <(strip "$tmp/one/table.json") <(strip "$tmp/two/table.json") && diff -r "$tmp/one/certs" "$tmp/two/certs" &&
   grep -q "on rank 1" "$tmp/two/err.txt" && [ "$(jq length "$tmp/two/table.json")" = 10 ] &&
   [ "$(jq -c '.[] | select(.k == 0 and .l == 3) | [.separable, .support]' "$tmp/two/table.json")" = "[false,3]" ] &&
   [ "$(jq -c '[.[] | select(.separable == true)] | length' "$tmp/two/table.json")" = 7 ] &&
   [ "$("$advdir" check "$tmp/two/certs/svm_0_3.json")" = "valid: $tmp/two/certs/svm_0_3.json" ]; then
  echo "ok   svm --pairs: two ranks, the single-process table and certificates"
else
  echo "FAIL svm --pairs: exit $one and $two"; cat "$tmp/two/err.txt"; fail=1
fi
exit $fail
