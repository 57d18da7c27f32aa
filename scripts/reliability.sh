#!/usr/bin/env bash
# Reliability checks beyond the test suite: the whole suite under AddressSanitizer
# and UBSan (the debug preset), then a bounded libFuzzer run of every parser
# harness from its seed corpus: a fixed seed and a fixed number of executions
# (about 30 s each here), so that CI is reproducible. ADVDIR_FUZZ_SEED and
# ADVDIR_FUZZ_SCALE (a multiplier of the executions) explore further.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh clang libclang-rt-14-dev

cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug -j2 -LE 'slow|proofs'

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
seed=${ADVDIR_FUZZ_SEED:-1}
scale=${ADVDIR_FUZZ_SCALE:-1}
for spec in rational:1500000 text_dataset:500000 idx:25000 model_json:1500000 certificate:1000000 liblinear:120000 vnnlib:300000 checker_files:300000; do
  target=${spec%%:*}
  runs=$((${spec##*:} * scale))
  corpus=$(mktemp -d)
  cp tests/data/fuzz/$target/* "$corpus"/
  echo "fuzz: $target, $runs executions, seed $seed"
  if ! build-fuzz/bin/fuzz_$target -seed="$seed" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix=build-fuzz/ -print_final_stats=1 "$corpus" 2>build-fuzz/fuzz_$target.log; then
    tail -40 build-fuzz/fuzz_$target.log
    echo "fuzz: $target found a failure; the input is in build-fuzz/ (keep it as tests/data/fuzz/$target/regression-*)"
    exit 1
  fi
  grep -E "stat::number_of_executed_units" build-fuzz/fuzz_$target.log || true
  rm -rf "$corpus"
done
echo "fuzz: 8 passed, 0 failed"
