#!/usr/bin/env bash
# Issue 17's figures: one MNIST-MLP counterexample checked exactly beside float64
# (bench_vnnlib), then a whole results folder through `advdir vnnlib check-results`:
# counterexamples per second. Usage: bash bench/vnnlib.sh [BUILD_DIR] [COUNT]
# (run from the repository root; needs data/mnist10k: scripts/setup.sh)
set -euo pipefail
bin=${1:-build}/bin count=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/bench_vnnlib" "$count" "$work"
s=$(date +%s.%N)
"$bin/advdir" vnnlib check-results "$work/results" --benchmarks "$work/benchmarks" --out "$work/rows.csv" 2>/dev/null | tail -2
e=$(date +%s.%N)
echo "check-results: $count counterexamples in $(echo "$e - $s" | bc) s: $(echo "$count / ($e - $s)" | bc -l | xargs printf '%.1f') counterexamples/s"
