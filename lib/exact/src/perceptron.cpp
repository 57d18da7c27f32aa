#include "advdir/exact/perceptron.hpp"

namespace advdir::exact {

std::optional<LinearModel> perceptron(const Dataset& data, int max_epochs) {
  const slong d = slong(data.dim());
  IntMatrix W(1, d);
  Int b, s;
  for (int epoch = 0; epoch < max_epochs; ++epoch) {
    bool clean = true;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const fmpz* x = data.X.row(slong(i));
      _fmpz_vec_dot(s.get(), W.row(0), x, d);
      fmpz_add(s.get(), s.get(), b.get());
      if (data.labels[i] < 0) fmpz_neg(s.get(), s.get());
      if (fmpz_sgn(s.get()) > 0) continue;
      clean = false;
      if (data.labels[i] > 0) {
        _fmpz_vec_add(W.row(0), W.row(0), x, d);
        fmpz_add_ui(b.get(), b.get(), 1);
      } else {
        _fmpz_vec_sub(W.row(0), W.row(0), x, d);
        fmpz_sub_ui(b.get(), b.get(), 1);
      }
    }
    if (clean) {
      // Scores use X = den x, so (W, b) on X is (den W, b) on x.
      LinearModel h{Vector(std::size_t(d)), mpq_class(b.mpz())};
      for (slong j = 0; j < d; ++j) h.w[std::size_t(j)] = to_mpz(W.at(0, j)) * data.den;
      return h;
    }
  }
  return std::nullopt;
}

}  // namespace advdir::exact
