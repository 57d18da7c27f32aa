// The checker's own view of a dataset: integers over one denominator, read
// independently of the solvers' readers.
#pragma once
#include "advdir/check/check.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace advdir::check::detail {

// Points as sparse rows of nonzero numerators. The numerators' limbs live in one
// pool, read through GMP's read-only views, so loading 10^6 pixels makes no 10^6
// allocations.
struct Entry {
  std::uint32_t j;     // coordinate
  std::int32_t size;   // GMP's signed limb count
  std::size_t offset;  // first limb in the pool
};

struct Data {
  std::vector<int> y;
  std::size_t d = 0;
  std::vector<std::vector<Entry>> rows;
  std::vector<mp_limb_t> limbs;
  mpz_class den = 1;  // x_i = X_i / den

  std::size_t n() const { return y.size(); }
  void push(std::vector<Entry>& row, std::uint32_t j, const mpz_class& v);
  mpz_srcptr value(const Entry& e, mpz_ptr view) const {
    return mpz_roinit_n(view, limbs.data() + e.offset, e.size);
  }
};

// Strict schema (DESIGN.md: a field the checker does not check does not belong in a
// certificate). Every object key a check reads is marked; check_certificate then
// refuses any key of the certificate left unmarked, naming it.
void mark_read(const nlohmann::json& obj, const std::string& key);

// The "digits" of VRead.v's "-?digits" and "-?digits/digits" (the shell's reading of a JStr),
// and of a data file's numbers: one or more of the ASCII '0'..'9', nothing else mpz_set_str
// would take (it skips spaces), no sign, no other script's digits.
bool digits_only(std::string_view s);

// A value named in a message: in quotes, its first 40 bytes at most, then its length
// (one_line, applied to the whole message, escapes its control bytes).
std::string shown(std::string_view s);

// obj[key] when obj is an object holding it (marked read), else nullptr.
const nlohmann::json* member(const nlohmann::json& obj, const std::string& key);

// A JSON integer in [lo, hi], compared exactly: nlohmann keeps integers beyond int64
// as unsigned and never as a wrapped negative here; a number written 1.0 or 1e0 is refused.
bool integer_in(const nlohmann::json& j, long long lo, long long hi);

// A JSON integer that fits an int (a label, a class), else `fail(what)` is thrown.
template <class Fail>
int small_int(const nlohmann::json& j, const std::string& what, Fail fail) {
  if (!integer_in(j, -2147483647, 2147483647)) throw fail(what + ": expected an integer label in [-2^31 + 1, 2^31 - 1]");
  return int(j.get<long long>());
}

// Any number of a text dataset: integer, decimal, fraction, scientific notation.
mpq_class parse_number(const std::string& s);

// The bytes of a file, read once, refusing directories and anything past `limit` bytes;
// the string's capacity holds padding_bytes more when the file's size was known.
constexpr std::size_t padding_bytes = 64;
std::string read_bounded(const std::string& path, std::size_t limit);

// The most bytes a data file may hold, and the most an IDX file may expand to (gzip):
// 2^28 bytes, over five times the Fashion-MNIST training images.
inline constexpr std::size_t max_data_bytes = std::size_t(1) << 28;

// The most bits the numerators of a dataset may take, over its common denominator: 2^31
// (256 MiB). A number like 1e999999 is ten bytes of text and 415 KB of integer, and one
// denominator for all points makes every entry as long as the lcm of all of them; both
// are counted before anything that size is built.
inline constexpr std::size_t max_data_bits = std::size_t(1) << 31;

// A file named by {"path", "sha256"} (relative paths from base_dir): its path and its
// bytes, read once; Unreadable when the bytes' SHA-256 is not the one named.
std::pair<std::string, std::string> file_by_hash(const nlohmann::json& ref, const std::string& base_dir);

// The bytes, inflated when they start with gzip's magic (bounded by max_data_bytes).
std::string inflated(const std::string& path, std::string bytes);

// Loads "data": inline points, or a text or IDX file whose SHA-256 must match the bytes
// that are then parsed (each file is read exactly once).
Data load_data(const nlohmann::json& ref, const std::string& base_dir);

}  // namespace advdir::check::detail
