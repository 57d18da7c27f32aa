// The checker's reading of certificate fields: every number a reduced or unreduced
// rational string, every index inside the data; any failure is an Invalid verdict.
#pragma once
#include "data.hpp"

#include <stdexcept>

namespace advdir::check::detail {

using json = nlohmann::json;
using Vec = std::vector<mpq_class>;

struct Invalid : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void require(bool ok, const std::string& why) {
  if (!ok) throw Invalid(why);
}

const json& field(const json& obj, const std::string& name);

// A certificate number: a string "N" or "N/D" with D > 0. Fractions need not be
// reduced: every test cross-multiplies, so no gcd is ever taken per point.
struct Frac {
  mpz_class num, den;
};
Frac fraction(const json& j, const std::string& what);
std::vector<Frac> fractions(const json& j, const std::string& what, std::size_t size);
mpq_class number(const json& j, const std::string& what);
Vec numbers(const json& j, const std::string& what, std::size_t size);
int label(const json& j, const std::string& what);
std::size_t index(const json& j, const std::string& what, std::size_t n);

mpq_class dot(const Vec& a, const Vec& b);
Vec point_of(const Data& S, std::size_t i);   // a point of the data as rationals
std::vector<Vec> points_of(const Data& S);

}  // namespace advdir::check::detail
