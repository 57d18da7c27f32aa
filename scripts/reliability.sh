#!/usr/bin/env bash
# Reliability checks beyond the test suite: the whole suite under AddressSanitizer
# and UBSan (the debug preset), then a bounded libFuzzer run of every parser
# harness from its seed corpus (ADVDIR_FUZZ_SECONDS each, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh clang libclang-rt-14-dev

cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug -j2 -LE slow

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
seconds=${ADVDIR_FUZZ_SECONDS:-30}
for target in rational text_dataset idx model_json certificate; do
  corpus=$(mktemp -d)
  cp tests/data/fuzz/$target/* "$corpus"/
  echo "fuzz: $target for ${seconds}s"
  if ! build-fuzz/bin/fuzz_$target -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix=build-fuzz/ -print_final_stats=1 "$corpus" 2>build-fuzz/fuzz_$target.log; then
    tail -40 build-fuzz/fuzz_$target.log
    echo "fuzz: $target found a failure; the input is in build-fuzz/ (keep it as tests/data/fuzz/$target/regression-*)"
    exit 1
  fi
  grep -E "stat::number_of_executed_units" build-fuzz/fuzz_$target.log || true
  rm -rf "$corpus"
done
echo "fuzz: 5 passed, 0 failed"
