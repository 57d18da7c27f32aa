#!/usr/bin/env bash
# advdir vnnlib check on properties and counterexamples written by hand (tests/data/vnnlib/):
# the net is y_0 = relu(x_0) - relu(x_1) = -y_1, so every expected value below is derived
# by hand. Exit codes, the exact quantities (jq on --json) and one-line errors.
set -u
advdir=$1 dir=$2 mpiexec=${3:-}  # MPIEXEC: also check-results on two ranks
passed=0 failed=0
check() {  # NAME WANT_EXIT JQ_FILTER ARGS...: the exit code, and the filter true on --json
  local name=$1 want=$2 filter=$3; shift 3
  local out got
  out=$("$advdir" vnnlib check "$dir/net.json" "$@" --json 2>&1)
  got=$?
  if [ "$got" != "$want" ]; then echo "FAIL $name: exit $got, want $want: $out"; failed=$((failed + 1)); return; fi
  if [ -n "$filter" ] && [ "$(jq -r "$filter" <<<"$out" 2>/dev/null)" != true ]; then echo "FAIL $name: $filter is not true of $out"; failed=$((failed + 1)); return; fi
  passed=$((passed + 1))
}
refused() {  # NAME MESSAGE ARGS...: exit 2 and one line naming the problem
  local name=$1 message=$2; shift 2
  local out got
  out=$("$advdir" vnnlib check "$dir/net.json" "$@" 2>&1)
  got=$?
  if [ "$got" != 2 ] || ! grep -qF -- "$message" <<<"$out" || [ "$(wc -l <<<"$out")" != 1 ]; then
    echo "FAIL $name: exit $got, want 2 with '$message': $out"; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

# x = (1/20, 1/10): y = (-1/20, 1/20), y_0 < y_1; X_1 = 1e-1 is on its bound.
check inside 0 '.counterexample and .outputs == ["-1/20","1/20"] and .y_file_max_diff == "0" and .assertions[3].slack == "0"' \
  "$dir/box.vnnlib" "$dir/inside.counterexample"
check gz 0 '.counterexample' "$dir/box.vnnlib.gz" "$dir/inside.counterexample.gz"
check on-bound 0 '.inside_region and .outputs == ["-1/10","1/10"] and .y_file_max_diff == null and .["tolerance_1e-4_replay"] == null' "$dir/box.vnnlib" "$dir/on_bound.counterexample"
# 10^-11 outside the box: outside, by exactly that much; the competition's 1e-4 replay accepts it.
check hair-outside 1 '(.inside_region | not) and .output_condition and .violations[0].excess == "1/100000000000" and .violations[0].line == 9 and .["tolerance_1e-4_replay"]' \
  "$dir/box.vnnlib" "$dir/hair_outside.counterexample"
# y_0 = y_1 = 0: the strict (< Y_0 Y_1) fails with slack 0.
check tie 1 '.inside_region and (.output_condition | not) and .unmet[0].excess == "0" and .["tolerance_1e-4_replay"]' "$dir/box.vnnlib" "$dir/tie.counterexample"
# A competition results file: the result line "sat", then the list.
check result-line 0 '.counterexample' "$dir/box.vnnlib" "$dir/with_result_line.counterexample"
# The file's Y_0 is off by 10^-7; the verdict is the exact outputs'.
check y-disagrees 0 '.counterexample and .y_file_max_diff == "1/10000000"' "$dir/box.vnnlib" "$dir/y_disagrees.counterexample"
# float32(0.1) = 13421773/134217728, 1/671088640 above the bound 0.1.
check float32 1 '.x_reading == "float32" and .violations[0].excess == "1/671088640"' "$dir/box.vnnlib" "$dir/on_bound.counterexample" --x-as float32
# The second input box; y = (5/2, -5/2): y_0 - 2 y_1 = 15/2 >= 1, slack 13/2, first disjunct.
check second-box 0 '.counterexample and .assertions[1].disjunct == 1 and .assertions[1].slack == "13/2"' \
  "$dir/disjunctive.vnnlib" "$dir/second_box.counterexample"
# x = (1, 0) is in neither box: 1/2 past the nearer (x_0 <= 0.5).
check no-box 1 '(.inside_region | not) and .violations[0].excess == "1/2"' "$dir/disjunctive.vnnlib" "$dir/no_box.counterexample"

refused undeclared "bad_undeclared.vnnlib:3:13: X_1 is used but not declared" "$dir/bad_undeclared.vnnlib" "$dir/inside.counterexample"
refused operator "bad_operator.vnnlib:3:13: unsupported operator 'exp'" "$dir/bad_operator.vnnlib" "$dir/inside.counterexample"
refused nonlinear "bad_nonlinear.vnnlib:3:13: a product of two variables is not linear" "$dir/bad_nonlinear.vnnlib" "$dir/inside.counterexample"
refused unbalanced "bad_unbalanced.vnnlib:3:1: '(' never closed" "$dir/bad_unbalanced.vnnlib" "$dir/inside.counterexample"
refused missing-x "X_1 is missing" "$dir/box.vnnlib" "$dir/missing_x.counterexample"
refused unsat "unsat_result.counterexample:1:1: the file reports 'unsat', not a counterexample" "$dir/box.vnnlib" "$dir/unsat_result.counterexample"
out=$("$advdir" vnnlib check "$dir/net3.json" "$dir/box.vnnlib" "$dir/inside.counterexample" 2>&1)
if [ $? = 2 ] && grep -qF "declares 2 inputs, the net takes 3" <<<"$out"; then passed=$((passed + 1)); else echo "FAIL dims: $out"; failed=$((failed + 1)); fi
refused no-file "nonexistent.vnnlib: cannot open" "$dir/nonexistent.vnnlib" "$dir/inside.counterexample"

# A results folder in the competition's layout: two tools, one category, the net as gzipped
# ONNX, one property gzipped, an empty file (a tool's "holds") and a file of no instance.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bench/demo/onnx" "$tmp/bench/demo/vnnlib" "$tmp/results/toolA/demo" "$tmp/results/toolB/demo"
"$advdir" import "$dir/net.json" --onnx "$tmp/bench/demo/onnx/net.onnx" >/dev/null && gzip "$tmp/bench/demo/onnx/net.onnx"
cp "$dir/box.vnnlib" "$dir/disjunctive.vnnlib" "$tmp/bench/demo/vnnlib/" && gzip "$tmp/bench/demo/vnnlib/disjunctive.vnnlib"
printf 'onnx/net.onnx,vnnlib/box.vnnlib,60\nonnx/net.onnx,vnnlib/disjunctive.vnnlib,60\n' >"$tmp/bench/demo/instances.csv"
cp "$dir/with_result_line.counterexample" "$tmp/results/toolA/demo/net_box.counterexample"
gzip -c "$dir/second_box.counterexample" >"$tmp/results/toolA/demo/net_disjunctive.counterexample.gz"
cp "$dir/hair_outside.counterexample" "$tmp/results/toolB/demo/net_box.counterexample"
: >"$tmp/results/toolB/demo/net_disjunctive.counterexample"
cp "$dir/inside.counterexample" "$tmp/results/toolB/demo/stray_name.counterexample"
table=$("$advdir" vnnlib check-results "$tmp/results" --benchmarks "$tmp/bench" --out "$tmp/rows.csv" 2>/dev/null)
# submitted, empty, inside, violating, exact, accepted by the replay (toolA's second file gives no Y)
if grep -qx "toolA | demo | 2 | 0 | 2 | 2 | 2 | 1" <<<"$table" && grep -qx "toolB | demo | 3 | 1 | 0 | 1 | 0 | 1" <<<"$table" &&
   grep -q "^toolB,demo,stray_name.counterexample,,,no_instance" "$tmp/rows.csv" &&
   grep -q "^toolB,demo,net_box.counterexample,net.onnx.gz,box.vnnlib,outside_region,0,1,0,1$" "$tmp/rows.csv"; then
  passed=$((passed + 1))
else
  echo "FAIL check-results: $table"; cat "$tmp/rows.csv"; failed=$((failed + 1))
fi
# Sharded over two MPI ranks: the same table and the same CSV, printed once.
if [ -n "$mpiexec" ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  two=$(timeout 120 "$mpiexec" -n 2 "$advdir" vnnlib check-results "$tmp/results" --benchmarks "$tmp/bench" --out "$tmp/rows2.csv" 2>"$tmp/mpi.err")
  if [ $? = 0 ] && [ "$(head -n -1 <<<"$two")" = "$(head -n -1 <<<"$table")" ] && cmp -s "$tmp/rows.csv" "$tmp/rows2.csv" && grep -q "rank 0's share of 5" "$tmp/mpi.err"; then
    passed=$((passed + 1))
  else
    echo "FAIL check-results on two ranks: $two"; cat "$tmp/mpi.err"; diff "$tmp/rows.csv" "$tmp/rows2.csv"; failed=$((failed + 1))
  fi
fi

# Repair, and the vnnlib_counterexample certificate: advdir check and advdir-check verify it
# with their own ONNX and VNNLIB readers.
check_bin=$(dirname "$advdir")/advdir-check
repair() {  # NAME WANT_EXIT JQ_FILTER ARGS...
  local name=$1 want=$2 filter=$3; shift 3
  local out got
  out=$("$advdir" vnnlib repair "$@" --json 2>&1)
  got=$?
  if [ "$got" != "$want" ] || [ "$(jq -r "$filter" <<<"$out" 2>/dev/null)" != true ]; then
    echo "FAIL repair $name: exit $got (want $want), $filter on $out"; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}
cp "$dir/net.json" "$dir/box.vnnlib" "$dir/tie.counterexample" "$tmp/"
# 10^-11 past X_1 <= 0.1: clamping moves it back by exactly that much.
repair clamp 0 '.found and .x == ["1/20","1/10"] and .distance == "1/100000000000" and (.how | startswith("X clamped"))' \
  "$dir/net.json" "$dir/box.vnnlib" "$dir/hair_outside.counterexample"
# The tie (0.05, 0.05): y_0 < y_1 iff x_0 < x_1 = 0.05. From the centre (0.3, 0.05) through it,
# x_0 = 0.3 - t/4 < 0.05 iff t > 1, up to the box's edge x_0 = 0 at t = 6/5: the open piece
# (1, 6/5] gives its midpoint t = 11/10, x = (1/40, 1/20), y = (-1/40, 1/40).
repair ray 0 '.found and .x == ["1/40","1/20"] and .outputs == ["-1/40","1/40"] and (.how | contains("t = 11/10"))' \
  "$tmp/net.json" "$tmp/box.vnnlib" "$tmp/tie.counterexample" --out "$tmp/fixed.counterexample" --certificate "$tmp/ce.json"
# (1, 0) is in neither box of disjunctive.vnnlib; clamped into the first, (1/2, 0), y = (1/2, -1/2): y_0 - 2 y_1 = 3/2 >= 1.
repair second-box 0 '.found and .x == ["1/2","0"] and .boxes == 4' "$dir/net.json" "$dir/disjunctive.vnnlib" "$dir/no_box.counterexample"
repair none 1 '(.found | not) and .how == "no exact counterexample on the segments searched"' "$dir/net.json" "$dir/unreachable.vnnlib" "$dir/tie.counterexample"
# The repaired file is an exact counterexample, read back exactly; the certificate is valid
# to both checkers, and invalid or unreadable once edited.
check repaired-file 0 '.counterexample and .y_file_max_diff == "0"' "$tmp/box.vnnlib" "$tmp/fixed.counterexample"
verdicts() {  # NAME WANT_EXIT CERT: advdir check and advdir-check agree on the exit code
  local a b
  "$advdir" check "$3" >/dev/null 2>&1; a=$?
  "$check_bin" "$3" >/dev/null 2>&1; b=$?
  if [ "$a" = "$2" ] && [ "$b" = "$2" ]; then passed=$((passed + 1)); else echo "FAIL certificate $1: advdir check $a, advdir-check $b, want $2"; failed=$((failed + 1)); fi
}
verdicts valid 0 "$tmp/ce.json"
jq '.y[0] = "-1/41"' "$tmp/ce.json" >"$tmp/bad_y.json" && verdicts wrong-y 1 "$tmp/bad_y.json"
jq '.x[0] = "1/20" | .y = ["0","0"]' "$tmp/ce.json" >"$tmp/tie.json" && verdicts tie 1 "$tmp/tie.json"
jq '.property.sha256 = ("0" * 64)' "$tmp/ce.json" >"$tmp/bad_sha.json" && verdicts other-property 2 "$tmp/bad_sha.json"
"$advdir" vnnlib check "$tmp/net.json" "$tmp/box.vnnlib" "$tmp/fixed.counterexample" --certificate "$tmp/ce2.json" >/dev/null && verdicts from-check 0 "$tmp/ce2.json"
echo '{"kind": "mlp", "layers": [{"W": [["1", "0"], ["0", "1"]], "b": ["0", "0"]}, {"W": [["1", "-1"], ["-1", "2"]], "b": ["0", "0"]}]}' >"$tmp/net.json"
verdicts net-edited 2 "$tmp/ce.json"

echo "vnnlib: $passed passed, $failed failed"
[ "$failed" = 0 ]
