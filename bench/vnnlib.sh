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
# Repair and the certificate: the first exact counterexample and the first two that are not,
# through `vnnlib repair --certificate`, then the checker alone on each certificate written
# (advdir-check: its own ONNX and VNNLIB readers).
rows=$(tail -n +2 "$work/rows.csv")
picked=$( (grep ',exact,' <<<"$rows" | head -1; grep -v ',exact,' <<<"$rows" | head -2) | cut -d, -f3)
for file in $picked; do
  ce="$work/results/tool/mnist/$file"
  name=$(basename "$ce" .counterexample); prop="$work/benchmarks/mnist/vnnlib/${name#mlp_}.vnnlib"
  s=$(date +%s.%N)
  how=$("$bin/advdir" vnnlib repair "$work/benchmarks/mnist/onnx/mlp.onnx" "$prop" "$ce" --certificate "$work/$name.cert.json" --json | jq -r '.how' || true)
  e=$(date +%s.%N)
  echo "repair $name: $(echo "$e - $s" | bc) s: $how"
  if [ -f "$work/$name.cert.json" ]; then
    s=$(date +%s.%N); "$bin/advdir-check" "$work/$name.cert.json"; e=$(date +%s.%N)
    echo "  advdir-check: $(echo "$e - $s" | bc) s"
  fi
done
