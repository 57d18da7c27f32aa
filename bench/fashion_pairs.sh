#!/usr/bin/env bash
# Issue 19's pair table: every Fashion-MNIST training pair (12,000 points, d = 784) through
# `advdir svm`, exactly: separable with its margin, or not with its Farkas certificate's
# support size, with the wall-clock time and peak memory of each (one process, one core).
# Usage: bash bench/fashion_pairs.sh [BUILD_DIR] [K,L ...]   (default: all 45 pairs; each
# stopped after ADVDIR_PAIR_TIMEOUT seconds, default 600, and reported undecided)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/bin; shift || true
pairs=("$@")
if [ ${#pairs[@]} = 0 ]; then for k in $(seq 0 9); do for l in $(seq $((k + 1)) 9); do pairs+=("$k,$l"); done; done; fi
printf "%-6s %-10s %-28s %9s %9s\n" pair separable "margin_sq / Farkas support" "time (s)" "peak MB"
for p in "${pairs[@]}"; do
  out=$( { /usr/bin/time -f "TIME %e %M" timeout "${ADVDIR_PAIR_TIMEOUT:-600}" "$bin/advdir" svm fashion-train --pair "$p"; } 2>&1 )
  t=$(sed -n 's/^TIME \([0-9.]*\) \([0-9]*\)$/\1/p' <<<"$out") m=$(sed -n 's/^TIME \([0-9.]*\) \([0-9]*\)$/\2/p' <<<"$out")
  if grep -q "^separable  yes" <<<"$out"; then
    printf "%-6s %-10s %-28s %9s %9d\n" "$p" yes "$(sed -n 's/^margin_sq .*(~\([^)]*\)).*/~\1/p' <<<"$out" | head -1)" "$t" $((m / 1024))
  elif grep -q "^separable  no" <<<"$out"; then
    printf "%-6s %-10s %-28s %9s %9d\n" "$p" no "$(sed -n 's/^separable  no: \([0-9]*\) points.*/\1 points/p' <<<"$out")" "$t" $((m / 1024))
  else
    printf "%-6s %-10s %-28s %9s %9s\n" "$p" undecided "$(tail -1 <<<"$out" | cut -c1-28)" "${t:-}" "${m:+$((m / 1024))}"
  fi
done
