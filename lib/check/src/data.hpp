// The checker's own view of a dataset: integers over one denominator, read
// independently of the solvers' readers.
#pragma once
#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
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

// A JSON integer that fits an int (a label, a class), else `fail(what)` is thrown. JSON
// numbers too large for 64 bits arrive as floats: refused here, never cast.
template <class Fail>
int small_int(const nlohmann::json& j, const std::string& what, Fail fail) {
  if (!j.is_number_integer() || j.get<long long>() < -2147483647 || j.get<long long>() > 2147483647)
    throw fail(what + ": expected an integer label");
  return int(j.get<long long>());
}

// Any number of a text dataset: integer, decimal, fraction, scientific notation.
mpq_class parse_number(const std::string& s);

// Loads "data": inline points, or a text or IDX file whose SHA-256 must match.
Data load_data(const nlohmann::json& ref, const std::string& base_dir);

}  // namespace advdir::check::detail
