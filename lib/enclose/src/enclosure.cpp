#include "advdir/enclose/enclosure.hpp"

#include <mpfr.h>

namespace advdir::enclose {

namespace {

class Real {
public:
  explicit Real(long bits) { mpfr_init2(v_, bits); }
  Real(const Real&) = delete;
  Real& operator=(const Real&) = delete;
  ~Real() { mpfr_clear(v_); }
  mpfr_ptr get() { return v_; }

private:
  mpfr_t v_;
};

// The bound rounded in direction `down` (true: a lower end, false: an upper end).
// Every subtracted term is non-negative, so it is rounded the other way.
mpq_class one_end(const mpq_class& rho, std::size_t n, const mpq_class& B_sq, const mpq_class& R_sq, unsigned coeff,
                  long bits, bool down) {
  const mpfr_rnd_t keep = down ? MPFR_RNDD : MPFR_RNDU, away = down ? MPFR_RNDU : MPFR_RNDD;
  Real value(bits), B(bits), R(bits), t(bits), root_n(bits);
  const mpq_class first = (1 - 2 * rho) * n;
  mpfr_set_q(value.get(), first.get_mpq_t(), keep);
  mpfr_set_q(B.get(), B_sq.get_mpq_t(), away);
  mpfr_sqrt(B.get(), B.get(), away);
  mpfr_set_q(R.get(), R_sq.get_mpq_t(), away);
  mpfr_sqrt(R.get(), R.get(), away);
  mpfr_set_ui(root_n.get(), n, away);
  mpfr_sqrt(root_n.get(), root_n.get(), away);
  mpfr_mul(t.get(), B.get(), R.get(), away);  // coeff B R sqrt(n)
  mpfr_mul(t.get(), t.get(), root_n.get(), away);
  mpfr_mul_ui(t.get(), t.get(), coeff, away);
  mpfr_sub(value.get(), value.get(), t.get(), keep);
  mpfr_set_ui(t.get(), n, away);  // 4 sqrt(n ln n)
  mpfr_log(t.get(), t.get(), away);
  mpfr_mul_ui(t.get(), t.get(), n, away);
  mpfr_sqrt(t.get(), t.get(), away);
  mpfr_mul_ui(t.get(), t.get(), 4, away);
  mpfr_sub(value.get(), value.get(), t.get(), keep);
  mpq_class q;
  mpfr_get_q(q.get_mpq_t(), value.get());
  return q;
}

}  // namespace

Enclosure soft_margin_bound(const mpq_class& rho, std::size_t n, const mpq_class& B_sq, const mpq_class& R_sq,
                            unsigned coeff, long bits) {
  return {one_end(rho, n, B_sq, R_sq, coeff, bits, true), one_end(rho, n, B_sq, R_sq, coeff, bits, false)};
}

Decision at_least(std::size_t count, const Enclosure& e) {
  if (e.hi <= count) return Decision::holds;
  if (count < e.lo) return Decision::fails;
  return Decision::undecided;
}

const char* to_string(Decision d) {
  switch (d) {
    case Decision::holds: return "holds";
    case Decision::fails: return "fails";
    case Decision::undecided: return "undecided";
  }
  return "";
}

}  // namespace advdir::enclose
