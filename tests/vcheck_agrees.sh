#!/usr/bin/env bash
# ctest vcheck_agrees: advdir-vcheck (extracted from Coq) and advdir-check (C++) give
# the same verdict (exit code) on every certificate of the kinds advdir-vcheck covers:
# the demo's (MNIST included when data/mnist10k is set up), the test suite's valid
# certificates and its mutations of them (test_check: lemma3, farkas, 4, 5,
# corollary6; test_mutation: ray, 15), and Theorem 15 certificates from the command
# line with their mutations. Prints the table of the README.
# Usage: vcheck_agrees.sh BIN_DIR SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ADVDIR_DUMP_CERTIFICATES=$dir/certs "$bin/test_check" >/dev/null 2>&1 \
  --run_test=valid_certificates_of_every_kind_are_accepted,every_single_mutation_is_judged_as_recomputation_says,ten_thousand_mutations_at_scale ||
  { echo "vcheck_agrees: test_check failed" >&2; exit 1; }
ADVDIR_DUMP_CERTIFICATES=$dir/certs "$bin/test_mutation" >/dev/null 2>&1 || { echo "vcheck_agrees: test_mutation failed" >&2; exit 1; }
(cd "$src" && "$bin/advdir" demo --out "$dir/demo" >/dev/null)
find "$dir/demo" -name '*.json' ! -name summary.json > "$dir/list"
find "$dir/certs" -name '*.json' >> "$dir/list"

# Theorem 15 from the command line, with S's max-margin exits: Section 6, and (where
# `advdir train` exists, a libtorch build) an R' net on mnist10k digits with a test
# set; each with single-field mutations written beside it (its data paths hold).
mkdir -p "$dir/t15"
"$bin/advdir" certify theorem15 "$src/tests/data/hostile/s6.txt" --classifier "$src/tests/data/hostile/s6_net.json" \
  --out "$dir/t15/15-s6.json" >/dev/null
if "$bin/advdir" --help | grep -qE '^ +train ' && [ -f "$src/data/mnist10k/images-idx3-ubyte" ]; then
  (cd "$src" && "$bin/advdir" data split mnist10k --pair 0,1 --parts 20 --out "$dir/t15/pair" >/dev/null)
  "$bin/advdir" train "$dir/t15/pair/part1.txt" --model r_prime --hidden 8 --out "$dir/t15/net.json" >/dev/null
  "$bin/advdir" certify theorem15 "$dir/t15/pair/part1.txt" --test "$dir/t15/pair/part2.txt" \
    --classifier "$dir/t15/net.json" --out "$dir/t15/15-mnist.json" >/dev/null
fi
for c in "$dir"/t15/15-*.json; do /usr/bin/python3 "$src/tests/mutate_json.py" "$c" "$dir/t15" 150; done
find "$dir/t15" -maxdepth 1 -name '15-*.json' >> "$dir/list"
# The hostile regression inputs (tests/data/hostile/): the same exit code, or exit 3.
find "$src/tests/data/hostile" -maxdepth 1 -name '*.json' >> "$dir/list"
# Byte-level corruptions of a Theorem 5 certificate (inline data): every verdict is the
# same, including "unreadable" for what lib/check's JSON parser refuses.
/usr/bin/python3 "$src/tests/mutate_json.py" --bytes "$dir/demo/section6/theorem5.json" "$dir/bytes" 300
find "$dir/bytes" -name '*.json' >> "$dir/list"

# A key written twice, even with one value: both checkers refuse the file.
sed 's/"theorem": *"5"/"theorem": "5", "theorem": "5"/' "$dir/demo/section6/theorem5.json" > "$dir/twice.json"
grep -q '"theorem": "5", "theorem": "5"' "$dir/twice.json" || { echo "vcheck_agrees: no key written twice in twice.json" >&2; exit 1; }
for checker in advdir-vcheck advdir-check; do
  rc=0; "$bin/$checker" "$dir/twice.json" 2>"$dir/twice.err" >/dev/null || rc=$?
  [ "$rc" = 2 ] && grep -q 'written twice' "$dir/twice.err" ||
    { echo "vcheck_agrees: $checker gave exit $rc on a key written twice: $(cat "$dir/twice.err")" >&2; exit 1; }
done

# One line per certificate: file, advdir-check's exit code, advdir-vcheck's.
export bin
xargs -a "$dir/list" -n 64 -P 2 bash -c '
  for f; do
    a=0; "$bin/advdir-check" "$f" >/dev/null 2>&1 || a=$?
    b=0; "$bin/advdir-vcheck" "$f" >/dev/null 2>&1 || b=$?
    echo "$f $a $b"
  done' _ > "$dir/verdicts"

awk -v dir="$dir" '
  { n = split($1, p, "/"); kind = p[n]; sub(/-.*$/, "", kind); sub(/\.json$/, "", kind)
    if ($1 ~ /\/t15\//) kind = kind " (command line)"; else if ($1 ~ /\/hostile\//) kind = "hostile inputs"
    else if ($1 ~ /\/bytes\//) kind = "corrupted bytes"
    if (kind == "separator") kind = "lemma3/farkas (demo)"; else if ($1 ~ /\/demo\//) kind = kind " (demo)"
    if ($3 == 3) { uncovered[kind]++; next }
    made[kind]++; if ($2 == 0) valid[kind]++
    if ($2 == $3) agreed[kind]++; else { bad++; print "DISAGREE: advdir-check " $2 ", advdir-vcheck " $3 ": " $1 > "/dev/stderr" } }
  END {
    for (k in made) printf "%-24s %8d %8d %8d %10d\n", k, made[k], valid[k], agreed[k], uncovered[k]
    for (k in uncovered) if (!(k in made)) printf "%-24s %8d %8d %8d %10d\n", k, 0, 0, 0, uncovered[k]
    exit bad > 0 }' "$dir/verdicts" > "$dir/table" || status=$?
printf "%-24s %8s %8s %8s %10s\n" kind certs valid agreed uncovered
sort "$dir/table"
status=${status:-0}
if [ "$status" -ne 0 ]; then
  echo "vcheck_agrees: the two checkers disagree (above)" >&2
  for f in $(awk '$2 != $3 && $3 != 3 {print $1}' "$dir/verdicts" | head -3); do
    echo "== $f"; "$bin/advdir-check" "$f" || true; "$bin/advdir-vcheck" "$f" || true
  done
  exit 1
fi
