// Exact rationals (GMP mpq_class): the one scalar type of the public API.
#pragma once
#include <gmpxx.h>
#include <string>
#include <string_view>
#include <vector>

namespace advdir::exact {

using Vector = std::vector<mpq_class>;

// Parses an integer ("-12"), a decimal ("0.125", ".5"), a fraction ("-3/7"),
// or scientific notation ("1e-3", "2.5E+4") exactly. Throws std::invalid_argument
// with a short reason on anything else, including a zero denominator.
mpq_class parse_rational(std::string_view text);

// "3", "-3/7": canonical (reduced) form, as every JSON file of advdir writes it.
std::string to_string(const mpq_class& q);

// Comma-separated rationals ("1/2,0,-3").
Vector parse_vector(std::string_view text);

mpq_class dot(const Vector& a, const Vector& b);

}  // namespace advdir::exact
