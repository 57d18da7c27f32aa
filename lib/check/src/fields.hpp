// The checker's reading of certificate fields: every number a reduced or unreduced
// rational string, every index inside the data; any failure is an Invalid verdict.
#pragma once
#include "data.hpp"

#include <functional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace advdir::check::detail {

using json = nlohmann::json;
using Vec = std::vector<mpq_class>;

struct Invalid : std::runtime_error {
  explicit Invalid(const std::string& why) : std::runtime_error(one_line(why)) {}
};

inline void require(bool ok, const std::string& why) {
  if (!ok) throw Invalid(why);
}

// obj[name], marked read; Invalid when missing.
const json& field(const json& obj, const std::string& name);
// Whether obj holds the optional field `name` (marked read when it does).
bool has(const json& obj, const std::string& name);

// Runs `check` with read-tracking on, then refuses any key of `cert` it did not read.
void strictly(const json& cert, const std::function<void()>& check);

// A certificate number: a string "N" or "N/D" with D > 0. Fractions need not be
// reduced: every test cross-multiplies, so no gcd is ever taken per point.
struct Frac {
  mpz_class num, den;
};
// Denominators already read, by their digits (views into the JSON being read).
using Denominators = std::unordered_map<std::string_view, mpz_class>;
Frac fraction(const json& j, const std::string& what, Denominators* read = nullptr);
std::vector<Frac> fractions(const json& j, const std::string& what, std::size_t size);
mpq_class number(const json& j, const std::string& what);
Vec numbers(const json& j, const std::string& what, std::size_t size);
int label(const json& j, const std::string& what);
std::size_t index(const json& j, const std::string& what, std::size_t n);
std::size_t count(const json& j, const std::string& what);  // a non-negative integer
bool flag(const json& j, const std::string& what);          // true or false
// j is the integer v (never 1.0 for 1, never a wrapped one).
inline bool is(const json& j, long long v) { return integer_in(j, v, v); }

mpq_class dot(const Vec& a, const Vec& b);
Vec point_of(const Data& S, std::size_t i);   // a point of the data as rationals
std::vector<Vec> points_of(const Data& S);

}  // namespace advdir::check::detail
