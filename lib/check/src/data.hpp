// The checker's own view of a dataset: integers over one denominator, read
// independently of the solvers' readers.
#pragma once
#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace advdir::check::detail {

struct Data {
  std::vector<int> y;
  std::size_t d = 0;
  std::vector<mpz_class> X;  // row-major numerators
  mpz_class den = 1;         // x_i = X_i / den

  std::size_t n() const { return y.size(); }
  const mpz_class* row(std::size_t i) const { return &X[i * d]; }
};

// Any number of a text dataset: integer, decimal, fraction, scientific notation.
mpq_class parse_number(const std::string& s);

// Loads "data": inline points, or a text or IDX file whose SHA-256 must match.
Data load_data(const nlohmann::json& ref, const std::string& base_dir);

}  // namespace advdir::check::detail
