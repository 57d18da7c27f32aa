#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/separator.hpp"

#include <set>

namespace advdir::exact {

mpq_class MaxMarginSeparator::alpha_sum() const {
  mpq_class s = 0;
  for (const mpq_class& a : alpha) s += a;
  return s;
}

namespace {

std::optional<std::string> bad_support(const Dataset& data, const std::vector<std::size_t>& support,
                                       const Vector& weights, const char* name) {
  if (support.empty()) return std::string("empty support");
  if (support.size() != weights.size()) return std::string("support and ") + name + " differ in length";
  for (std::size_t k = 0; k < support.size(); ++k) {
    if (support[k] >= data.size()) return "support index " + std::to_string(support[k]) + " out of range";
    if (k > 0 && support[k] <= support[k - 1]) return std::string("support indices not strictly increasing");
    if (weights[k] <= 0) return std::string(name) + " of point " + std::to_string(support[k]) + " is not positive";
  }
  return std::nullopt;
}

// With L the common denominator of the weights c: sum_k c_k y_k X_k (times L, an integer
// vector), sum_k c_k y_k (times L) and L itself, so that sum c_k y_k x_k = combo / (L den).
struct Combination {
  IntMatrix combo;  // d x 1
  mpz_class label_sum, L;
};

Combination signed_combination(const Dataset& data, const std::vector<std::size_t>& support, const Vector& weights) {
  Combination c{IntMatrix(data.dim(), 1), 0, 1};
  for (const mpq_class& a : weights) mpz_lcm(c.L.get_mpz_t(), c.L.get_mpz_t(), a.get_den_mpz_t());
  for (std::size_t k = 0; k < support.size(); ++k) {
    const mpz_class ck = weights[k].get_num() * (c.L / weights[k].get_den()) * data.labels[support[k]];
    c.label_sum += ck;
    const Int f(ck);
    const fmpz* x = data.X.row(slong(support[k]));
    for (std::size_t j = 0; j < data.dim(); ++j) fmpz_addmul(c.combo.at(slong(j), 0), f.get(), x + j);
  }
  return c;
}

}  // namespace

std::optional<std::string> kkt_violation(const Dataset& data, const MaxMarginSeparator& sep) {
  if (sep.w_star.size() != data.dim()) return std::string("w* has the wrong dimension");
  if (auto bad = bad_support(data, sep.support, sep.alpha, "alpha")) return bad;
  const Combination c = signed_combination(data, sep.support, sep.alpha);
  const mpz_class scale = c.L * data.den;
  for (std::size_t j = 0; j < data.dim(); ++j)
    if (sep.w_star[j].get_num() * scale != to_mpz(c.combo.at(slong(j), 0)) * sep.w_star[j].get_den())
      return std::string("KKT (1) fails: w* != sum alpha_i y_i x_i");
  if (c.label_sum != 0) return std::string("KKT (2) fails: sum alpha_i y_i != 0");
  if (sep.margin_sq * sep.alpha_sum() != 1) return std::string("margin_sq != 1/sum alpha_i");
  const ScaledScores m = scaled_scores(data, LinearModel{sep.w_star, sep.b_star});
  const Int one(m.den);
  std::set<std::size_t> on_support(sep.support.begin(), sep.support.end());
  for (std::size_t i = 0; i < data.size(); ++i) {
    const int cmp = fmpz_cmp(m.num.at(slong(i), 0), one.get());
    if (cmp < 0) return "KKT (3) fails: point " + std::to_string(i) + " has y(<w*,x>+b*) < 1";
    if (cmp != 0 && on_support.count(i)) return "KKT (3) fails: support point " + std::to_string(i) + " is not on the margin";
  }
  return std::nullopt;
}

std::optional<std::string> farkas_violation(const Dataset& data, const FarkasCertificate& cert) {
  if (auto bad = bad_support(data, cert.support, cert.lambda, "lambda")) return bad;
  const Combination c = signed_combination(data, cert.support, cert.lambda);
  if (!fmpz_mat_is_zero(c.combo.get())) return std::string("sum lambda_i y_i x_i != 0");
  if (c.label_sum != 0) return std::string("sum lambda_i y_i != 0");
  return std::nullopt;
}

}  // namespace advdir::exact
