// Outward-rounded MPFR enclosures of the irrational bounds of Theorems 7 and 9
// (DESIGN.md, Numbers): lo <= value <= hi, with exact rational endpoints, and a
// comparison the enclosure cannot decide is reported as undecided.
#pragma once
#include <gmpxx.h>

#include <cstddef>

namespace advdir::enclose {

struct Enclosure {
  mpq_class lo, hi;
};

// (1 - 2 rho) n - coeff B R sqrt(n) - 4 sqrt(n ln n), B = sqrt(B_sq), R = sqrt(R_sq):
// Theorem 7's bound with coeff = 2, Theorem 9's with coeff = 4. `bits` is MPFR's precision.
Enclosure soft_margin_bound(const mpq_class& rho, std::size_t n, const mpq_class& B_sq, const mpq_class& R_sq,
                            unsigned coeff, long bits = 128);

enum class Decision { holds, fails, undecided };

// Is count >= the enclosed value?
Decision at_least(std::size_t count, const Enclosure& e);

const char* to_string(Decision d);

}  // namespace advdir::enclose
