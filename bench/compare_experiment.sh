#!/usr/bin/env bash
# The reduced transfer experiment end to end, advdir against the reference stack, on this
# machine in one run. Usage: bash bench/compare_experiment.sh   (after the build)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
build/bin/advdir experiment transfer --out "$out/advdir" 2>/dev/null | grep -E "^(transfer|work)"
echo "advdir reduced experiment: total $(echo "$(date +%s.%N) - $start" | bc) s"
/usr/bin/python3 -W ignore bench/reference_experiment.py
