#!/usr/bin/env bash
# The theorems on real MNIST digits (README, "Theorems on MNIST"): Theorem 4 on every
# separable digit pair of data/mnist10k against LIBLINEAR classifiers trained on random
# halves; Theorems 7 and 9 (Theorem 8 on the common-correct set) with classifiers trained
# on two disjoint halves; Theorem 15 with R' nets trained on half of a pair, beside the
# max-margin direction. LIBLINEAR runs as scikit-learn's LinearSVC does: -s 1
# (L2-regularized squared hinge, dual), C = 1, tolerance 1e-4, bias feature 1.
# Usage: bash scripts/mnist_theorems.sh [OUT_DIR]   (default out/mnist_theorems)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh liblinear-tools
out=${1:-out/mnist_theorems}
mkdir -p "$out/all" "$out/3v8" "$out/theorem4" "$out/theorem15"
advdir=build/bin/advdir
train() { liblinear-train -s 1 -c 1 -e 0.0001 -B 1 -q "$1" "$2"; }

echo "== Theorem 4: every digit pair, -y w* against 5 LIBLINEAR classifiers on random halves of the pair"
echo "Certified: the S-accurate classifiers (Theorem 4). Beyond: the others, whose <w,w*> > 0 is checked exactly, at the points each gets right."
echo "| pair | margin 1/\|w*\| | certified | c_exit | \|c_exit w*\|_2 | \|c_exit w*\|_inf | beyond: <w,w*> > 0 | c_exit | \|c_exit w*\|_2 | \|c_exit w*\|_inf |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for k in 0 1 2 3 4 5 6 7 8; do
  for l in $(seq $((k + 1)) 9); do
    dir="$out/theorem4/$k$l"
    $advdir train mnist10k --pair "$k,$l" --model svm --subsets 5 --fraction 0.5 --out "$dir" >/dev/null
    status=0
    $advdir certify theorem4 mnist10k --pair "$k,$l" --classifier "$dir"/svm_*.model --out "$dir/theorem4.json" --json \
      >"$dir/summary.json" 2>"$dir/error.txt" || status=$?
    if [ "$status" -eq 2 ]; then
      echo "| ($k,$l) | not separable | | | | | | | | |"
      continue
    fi
    # median, max of each distribution ("-" when empty)
    jq -r --arg p "($k,$l)" 'def cols(e): if e then [e.c_exit, e.l2, e.linf] | map("\(.median), \(.max)") | join(" | ") else "- | - | -" end;
      "| \($p) | \(.margin) | \(.certified) of \(.certified + .beyond.classifiers) | \(cols(.exits)) | \(.beyond.positive_inner) of \(.beyond.classifiers) | \(cols(.beyond.exits)) |"' \
      "$dir/summary.json"
  done
done

echo "== Theorem 7: digits 3 (+1) and 8 (-1), binary classifiers on two halves"
$advdir data split mnist10k --pair 3,8 --parts 2 --out "$out/3v8"
train "$out/3v8/part1.svm" "$out/3v8/h1.model"
train "$out/3v8/part2.svm" "$out/3v8/h2.model"
$advdir certify theorem7 "$out/3v8/part1.txt" --train "$out/3v8/part2.txt" \
  --classifier "$out/3v8/h1.model" --classifier "$out/3v8/h2.model" --out "$out/theorem7.json"

echo "== Theorem 9 (Theorem 8 on S): ten digits, one-vs-rest classifiers on two halves, all 45 pairs"
$advdir data split mnist10k --parts 2 --out "$out/all"
train "$out/all/part1.svm" "$out/all/h1.model"
train "$out/all/part2.svm" "$out/all/h2.model"
$advdir certify theorem9 "$out/all/part1.txt" --train "$out/all/part2.txt" \
  --classifier "$out/all/h1.model" --classifier "$out/all/h2.model" --out "$out/theorem9.json"

echo "== Theorem 15: R' nets trained on half of a digit pair; the other half is the test set"
for pair in 3,8 8,3 4,9 9,4 0,1 1,0; do
  dir="$out/theorem15/${pair/,/v}"
  echo "-- pair ($pair): ${pair%,*} is +1, ${pair#*,} is -1"
  $advdir data split mnist10k --pair "$pair" --parts 2 --out "$dir" >/dev/null
  $advdir train "$dir/part1.txt" --model r_prime --out "$dir/net.json" >/dev/null
  $advdir certify theorem15 "$dir/part1.txt" --test "$dir/part2.txt" --classifier "$dir/net.json" --out "$dir/theorem15.json"
done
