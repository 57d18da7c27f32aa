#!/usr/bin/env bash
# Crash-safe outputs: kill advdir at many moments while it writes a large
# certificate; the output must then be absent or whole (and valid), never partial.
set -u
advdir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 20,000 separable points in d = 10 with a wide gap: a certificate of about 1 MB.
awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++) { s = 0; line = "";
  for (j = 0; j < 10; j++) { x = int(rand() * 21) - 10; s += (j % 3 - 1) * x; line = line "," x }
  if (s > -12 && s < 12) { i--; continue } print (s > 0 ? 1 : -1) line } }' >"$tmp/data.txt"
start=$(date +%s%N)
"$advdir" certify theorem5 "$tmp/data.txt" --perceptron 20 --out "$tmp/full.json" >/dev/null || exit 1
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
passed=0 failed=0
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
  out="$tmp/cert$k.json"
  "$advdir" certify theorem5 "$tmp/data.txt" --perceptron 20 --out "$out" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v t="$total_ms" -v k="$k" 'BEGIN { printf "%.3f", t * k / 12 / 1000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -e "$out" ] && ! "$advdir" check "$out" >/dev/null 2>&1; then
    echo "FAIL: killed at $k/12 of the run, $out is partial or invalid"; failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
  if ls "$tmp" | grep -q '\.tmp\.'; then
    echo "FAIL: killed at $k/12 of the run, a temporary file was left behind"; failed=$((failed + 1))
  fi
done
echo "crash_safe: $passed passed, $failed failed (run takes ${total_ms} ms)"
[ "$failed" = 0 ]
