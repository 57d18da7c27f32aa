#!/usr/bin/env bash
# The transfer experiment sharded over two MPI ranks writes the CSV of the single-process
# run, and an error on the ranks ends the whole run with a one-line message.
# Usage: mpi.sh MPIEXEC ADVDIR DATA_DIR
set -uo pipefail
mpiexec=$1 advdir=$2 data=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Root in a container is fine here; two ranks may share one core.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
args=(experiment transfer --svms 2 --nets 3 --eps 0.1,0.3 --examples 60 --train-size 600 --pgd-steps 10 --epochs 2 --data-dir "$data")
fail=0

"$advdir" "${args[@]}" --out "$tmp/one" >"$tmp/one.txt" 2>/dev/null || { echo "FAIL single-process run"; exit 1; }
timeout 300 "$mpiexec" -n 2 "$advdir" "${args[@]}" --out "$tmp/two" >"$tmp/two.txt" 2>"$tmp/two.err"
rc=$?
if [ $rc -ne 0 ]; then echo "FAIL two ranks: exit $rc"; cat "$tmp/two.err"; fail=1; fi
grep -q "2 processes" "$tmp/two.txt" || { echo "FAIL the run did not have two ranks:"; cat "$tmp/two.txt"; fail=1; }
[ "$(grep -c '^transfer experiment' "$tmp/two.txt")" = 1 ] || { echo "FAIL more than rank 0 printed the summary"; fail=1; }
if cmp -s "$tmp/one/transfer.csv" "$tmp/two/transfer.csv"; then echo "ok   two ranks: the single-process CSV"
else echo "FAIL two ranks: another CSV"; diff "$tmp/one/transfer.csv" "$tmp/two/transfer.csv"; fail=1; fi

timeout 120 "$mpiexec" -n 2 "$advdir" "${args[@]}" --dataset "$tmp/nope,$tmp/nope" --out "$tmp/bad" >/dev/null 2>"$tmp/bad.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "nope: cannot open" "$tmp/bad.err"; then echo "ok   an error on the ranks ends the run (exit $rc)"
else echo "FAIL bad data under mpirun: exit $rc"; cat "$tmp/bad.err"; fail=1; fi
exit $fail
