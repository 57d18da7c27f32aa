// Between GMP and CGAL's exact LP/QP solver (internal to lib/exact): its integer type,
// its quotients as reduced rationals, and rational rows scaled to integer rows.
#pragma once
#include "advdir/exact/rational.hpp"

#include <CGAL/Gmpz.h>
#include <CGAL/QP_functions.h>
#include <CGAL/QP_models.h>

namespace advdir::exact::cgal {

using Program = CGAL::Quadratic_program<CGAL::Gmpz>;

inline CGAL::Gmpz gmpz(const mpz_class& z) { return CGAL::Gmpz(z.get_mpz_t()); }
inline mpz_class to_mpz(const CGAL::Gmpz& z) { return mpz_class(z.mpz()); }

inline mpq_class to_mpq(const CGAL::Quotient<CGAL::Gmpz>& q) {
  mpq_class r(to_mpz(q.numerator()), to_mpz(q.denominator()));
  r.canonicalize();
  return r;
}

// v = num / den with den the least common denominator of v's entries (den > 0): the
// integer row a solver takes in place of v, with the same signs and ratios.
struct IntegerRow {
  std::vector<mpz_class> num;
  mpz_class den = 1;
};

inline IntegerRow over_common_denominator(const Vector& v) {
  IntegerRow r;
  for (const mpq_class& q : v) mpz_lcm(r.den.get_mpz_t(), r.den.get_mpz_t(), q.get_den_mpz_t());
  for (const mpq_class& q : v) r.num.push_back(q.get_num() * (r.den / q.get_den()));
  return r;
}

}  // namespace advdir::exact::cgal
