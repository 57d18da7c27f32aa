#include "advdir/enclose/float32.hpp"

#include <mpfr.h>

namespace advdir::enclose {

std::optional<mpq_class> nearest_float32(const mpq_class& q) {
  // binary32: 24-bit significand, normal exponents 2^-126..2^127, subnormals to 2^-149. In
  // MPFR's convention (significand in [1/2, 1)) that is emin = -148, emax = 128.
  const mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
  mpfr_set_emin(-148);
  mpfr_set_emax(128);
  mpfr_t f;
  mpfr_init2(f, 24);
  const int t = mpfr_set_q(f, q.get_mpq_t(), MPFR_RNDN);
  mpfr_subnormalize(f, mpfr_check_range(f, t, MPFR_RNDN), MPFR_RNDN);
  std::optional<mpq_class> out;
  if (mpfr_number_p(f)) {
    out.emplace();
    mpfr_get_q(out->get_mpq_t(), f);
  }
  mpfr_clear(f);
  mpfr_set_emin(emin);
  mpfr_set_emax(emax);
  return out;
}

}  // namespace advdir::enclose
