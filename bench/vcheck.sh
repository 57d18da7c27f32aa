#!/usr/bin/env bash
# The proved checker against the C++ one, on the same certificates in the same run
# (issue 20): Theorem 4 on MNIST 3 vs 8 (the demo's, 1,976 points) and on mnist10k's
# 0 against the rest (10,000 points), d = 784. Median of RUNS wall-clock times each.
# Usage: bash bench/vcheck.sh [BUILD_DIR] [RUNS]   (needs data/mnist10k: scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/bin runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/advdir" demo --out "$work/demo" >/dev/null
mkdir -p "$work/mnist-0vrest"
"$bin/advdir" certify theorem4 mnist10k --pair 0,rest --out "$work/mnist-0vrest/theorem4.json" >/dev/null

median() {  # median wall-clock seconds of `$@`, RUNS times
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | sort -n | awk '{a[NR] = $1} END {printf "%.3f", a[int((NR + 1) / 2)]}'
}

printf "%-40s %8s %14s %14s %7s\n" certificate points "advdir-check" "advdir-vcheck" ratio
for cert in "$work/demo/mnist-3v8/theorem4.json:1976" "$work/demo/mnist-3v8/separator.json:1976" \
            "$work/mnist-0vrest/theorem4.json:10000"; do
  f=${cert%%:*} n=${cert##*:}
  a=$(median "$bin/advdir-check" "$f") b=$(median "$bin/advdir-vcheck" "$f")
  printf "%-40s %8s %12s s %12s s %6.1fx\n" "$(basename "$(dirname "$f")")/$(basename "$f")" "$n" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
