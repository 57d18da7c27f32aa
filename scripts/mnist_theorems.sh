#!/usr/bin/env bash
# Theorems 7 and 9 (Theorem 8 on the common-correct set) on real MNIST digits, with
# LIBLINEAR classifiers trained on two disjoint halves of data/mnist10k (README,
# "Theorems on MNIST"). LIBLINEAR runs as scikit-learn's LinearSVC does: -s 1
# (L2-regularized squared hinge, dual), C = 1, tolerance 1e-4, bias feature 1.
# Usage: bash scripts/mnist_theorems.sh [OUT_DIR]   (default out/mnist_theorems)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh liblinear-tools
out=${1:-out/mnist_theorems}
mkdir -p "$out/all" "$out/3v8"
advdir=build/bin/advdir
train() { liblinear-train -s 1 -c 1 -e 0.0001 -B 1 -q "$1" "$2"; }

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
