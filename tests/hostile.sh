#!/usr/bin/env bash
# Replays the regression inputs of tests/data/hostile/ (certificates edited as an adversary
# would, and inputs that once crashed the checker) through `advdir check` and the standalone
# `advdir-check`: each must give its exit code (0 valid, 1 invalid, 2 unreadable) with the
# reason named, in one line, never a signal. Then the same inputs on the solver side.
set -u
advdir=$1 standalone=$2 dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect WANT_EXIT REASON_SUBSTRING COMMAND...: exit code, message, one line of output.
expect() {
  local want=$1 reason=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  local text; text=$(cat "$tmp/out" "$tmp/err")
  if [ "$got" != "$want" ]; then fail "$* exited $got, not $want: $text"; return; fi
  if ! grep -qF -- "$reason" <<<"$text"; then fail "$* did not say '$reason': $text"; return; fi
  if [ "$(wc -l <<<"$text")" != 1 ]; then fail "$* printed more than one line: $text"; return; fi
  passed=$((passed + 1))
}

check_both() {
  expect "$1" "$2" "$advdir" check "$dir/$3"
  expect "$1" "$2" "$standalone" "$dir/$3"
}

check_both 1 "classes: a class is named twice" theorem8_class_named_twice.json
check_both 1 "field /model is not part of this kind of certificate" counterexample_infeasible_with_unread_model.json
check_both 1 'missing field "support"' counterexample_infeasible_block_only.json
check_both 0 "valid" counterexample_infeasible_valid.json
check_both 1 "convex_label: expected an integer label" theorem11_convex_label_uint64_wraps.json
check_both 1 "KKT" pair_minus_one_is_a_class_not_rest.json
check_both 0 "valid" pair_rest_valid.json
check_both 2 "no images" idx_zero_images.json
check_both 2 "expands past 268435456 bytes" idx_gzip_bomb.json
check_both 1 "training sets of different dimensions" theorem9_training_sets_of_different_widths.json
check_both 2 "no coordinates (d = 0)" theorem11_d0_data.json
check_both 1 "source: an index outside its input" graph_gather_index_outside.json
check_both 1 "shape: more than 2^24 entries" graph_shape_2_to_40.json
check_both 1 "the output positions do not fit the window geometry" graph_maxpool_out_of_window.json
check_both 1 "inputs: expected an integer in 0..0" graph_input_from_the_future.json
check_both 1 "the claimed cell lies in the padding" graph_maxpool_cell_in_padding.json
check_both 1 "the graph's values hold more than 2^24 entries in all" graph_values_past_2_to_24.json
check_both 2 "JSON nested deeper than 64 levels" json_nested_100000_deep.json
# The JSON reader (simdjson, nlohmann where simdjson refuses) reads as advdir-vcheck does:
# no key twice (nlohmann alone kept the last "pair"), depth 64 at most, no byte-order mark;
# an integer past 64 bits is a number, not an index.
check_both 2 "a key is written twice in one object" json_key_written_twice.json
check_both 1 "field /nested is not part of this kind of certificate" json_depth_64.json
check_both 2 "JSON nested deeper than 64 levels" json_depth_65.json
check_both 2 "a byte-order mark" json_byte_order_mark.json
check_both 1 "support: not an index of the data" json_index_past_64_bits.json
# The same three rules where an integer past 64 bits sends the document to nlohmann.
check_both 2 "a key is written twice in one object" json_key_written_twice_past_64_bits.json
check_both 1 "field /nested is not part of this kind of certificate" json_depth_64_past_64_bits.json
check_both 2 "JSON nested deeper than 64 levels" json_depth_65_past_64_bits.json
# A number with a fraction goes to nlohmann's path too; an index written 1.0 is not one.
check_both 1 "support: not an index of the data" json_index_written_1.0.json
check_both 2 "over their common denominator, the data's numbers take more than 2^31 bits" data_denominators_20000_primes.json
check_both 2 "the data's numbers take more than 2^31 bits" data_exponents_1e999999.json
expect 2 "is a directory" "$advdir" check "$dir"
expect 2 "is a directory" "$standalone" "$dir"

# "valid" means one thing: the infeasible outcome of the construction is a valid
# certificate, and the solver that writes it exits 0 too.
expect 0 "no counterexample of this form" bash -c "'$advdir' counterexample relu --data '$dir/s6_infeasible.txt' --out '$tmp/cx.json' | sed -n 2p"
expect 0 "valid" "$standalone" "$tmp/cx.json"

# Data read once: served through a FIFO, the bytes hashed are the bytes parsed (a second
# read would block on the FIFO and time out).
mkfifo "$tmp/s6.txt"
cp "$dir/pair_rest_valid.json" "$tmp/fifo.json"
sed -i 's/three_labels.txt/s6.txt/' "$tmp/fifo.json"
# The writer gives up after 20 s and holds none of the test's output, so a checker that never
# opens the FIFO cannot hang the suite.
(exec >/dev/null 2>&1; timeout 20 sh -c 'cat "$0" >"$1"' "$dir/three_labels.txt" "$tmp/s6.txt") &
expect 0 "valid" timeout 20 "$standalone" "$tmp/fifo.json"

# A value a message quotes (a rational, a data file's number, a JSON key, a data path) is cut
# to 40 bytes with its length named and its control bytes escaped: a newline, an escape
# sequence or 100,000 digits in a certificate still make one short line.
short() {  # the last command's output under 200 bytes, with no raw control byte
  if [ "$(wc -c <"$tmp/out")" -gt 200 ] || [ "$(wc -c <"$tmp/err")" -gt 200 ]; then fail "$1: a message over 200 bytes"; return; fi
  if cat "$tmp/out" "$tmp/err" | tr -d '\n' | grep -q '[[:cntrl:]]'; then fail "$1: a raw control byte in the message"; return; fi
}
digits=$(head -c 100000 /dev/zero | tr '\0' 7)
cp "$dir/three_labels.txt" "$tmp/"
sed 's|^  "0"$|  "0\\n\\u001b[2J'"$digits"'"|' "$dir/pair_rest_valid.json" >"$tmp/rational.json"
for checker in "$advdir check" "$standalone"; do
  expect 1 "w_star[1]: malformed rational '0\\x0a\\x1b[2J777" $checker "$tmp/rational.json"
  short "$checker rational.json"
  expect 1 "(100006 bytes)" $checker "$tmp/rational.json"
done
sed 's|"margin_sq"|"evil\\nkey\\u001b[2J'"$digits"'": 1, "margin_sq"|' "$dir/pair_rest_valid.json" >"$tmp/key.json"
expect 1 'field /evil\x0akey\x1b[2J777' "$standalone" "$tmp/key.json"
sed 's|"three_labels.txt"|"three\\nlabels\\u001b[2J.txt"|' "$dir/pair_rest_valid.json" >"$tmp/path.json"
expect 2 'three\x0alabels\x1b[2J.txt' "$standalone" "$tmp/path.json"
short "path.json"
printf '1,2\033[2J,0\n-1,'"$digits"'x,0\n0,0,1\n' >"$tmp/bad_number.txt"
sed 's|"three_labels.txt"|"bad_number.txt"|; s|"8d073ceff5eea75fc30e46c042050252f0fe8a47fed10a3f69b747da25f92d19"|"'"$(sha256sum <"$tmp/bad_number.txt" | cut -d" " -f1)"'"|' \
  "$dir/pair_rest_valid.json" >"$tmp/bad_number.json"
expect 2 "bad_number.txt:1: bad number '2\\x1b[2J'" "$standalone" "$tmp/bad_number.json"
expect 2 "coordinate 1 '2\\x1b[2J': malformed number" "$advdir" svm "$tmp/bad_number.txt"
short "svm bad_number.txt"
sed -i 1d "$tmp/bad_number.txt"
expect 2 "coordinate 1 '7777777777777777777777777777777777777777'... (100001 bytes)" "$advdir" svm "$tmp/bad_number.txt"
short "svm bad_number.txt, line 2"

# The solver side: the same inputs refused with one line and exit 2.
expect 2 "no images" "$advdir" svm "$dir/idx_zero_images,$dir/idx_zero_labels"
expect 2 "trailing bytes" "$advdir" svm "$dir/idx_gzip_bomb_images.gz,$dir/idx_gzip_bomb_labels"
expect 2 "is a directory" "$advdir" svm "$dir"
expect 2 "JSON nested deeper than 64 levels" "$advdir" ray --model "$dir/json_nested_100000_deep.json" --point 0 --direction 1
echo '[1, 2]' >"$tmp/array.json"
# a model that is a JSON array: a one-line refusal, not a parser exception
expect 2 "array.json: expected" "$advdir" import "$tmp/array.json"
expect 2 "array.json: expected" "$advdir" ray --model "$tmp/array.json" --point 1 --direction 1
expect 2 "array.json: expected" "$advdir" eval --model "$tmp/array.json" --point 1
expect 2 "gather' (gather): a source out of range" "$advdir" eval --model "$dir/graph_gather_model.json" --point 0,0,0,0
expect 2 "take more than 2^31 bits" "$advdir" svm "$dir/data_denominators_20000_primes.txt"
expect 2 "take more than 2^31 bits" "$advdir" svm "$dir/data_exponents_1e999999.txt"
printf '1,\n-1,\n' >"$tmp/d0.txt"
expect 2 "d0.txt" "$advdir" svm "$tmp/d0.txt"

echo "hostile: $passed passed, $failed failed"
[ "$failed" = 0 ]
