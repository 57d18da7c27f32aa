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

// sum_k weights_k y_{s_k} x_{s_k} and sum_k weights_k y_{s_k}.
std::pair<Vector, mpq_class> signed_combination(const Dataset& data, const std::vector<std::size_t>& support,
                                                const Vector& weights) {
  Vector v(data.dim(), 0);
  mpq_class ysum = 0;
  for (std::size_t k = 0; k < support.size(); ++k) {
    const std::size_t i = support[k];
    const mpq_class c = data.labels[i] * weights[k] / data.den;
    ysum += data.labels[i] * weights[k];
    for (std::size_t j = 0; j < data.dim(); ++j)
      if (!fmpz_is_zero(data.X.at(slong(i), slong(j)))) v[j] += c * to_mpz(data.X.at(slong(i), slong(j)));
  }
  return {v, ysum};
}

}  // namespace

std::optional<std::string> kkt_violation(const Dataset& data, const MaxMarginSeparator& sep) {
  if (sep.w_star.size() != data.dim()) return std::string("w* has the wrong dimension");
  if (auto bad = bad_support(data, sep.support, sep.alpha, "alpha")) return bad;
  auto [w, ysum] = signed_combination(data, sep.support, sep.alpha);
  if (w != sep.w_star) return std::string("KKT (1) fails: w* != sum alpha_i y_i x_i");
  if (ysum != 0) return std::string("KKT (2) fails: sum alpha_i y_i != 0");
  if (sep.margin_sq * sep.alpha_sum() != 1) return std::string("margin_sq != 1/sum alpha_i");
  const Vector m = signed_scores(data, LinearModel{sep.w_star, sep.b_star});
  std::set<std::size_t> on_support(sep.support.begin(), sep.support.end());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (m[i] < 1) return "KKT (3) fails: point " + std::to_string(i) + " has y(<w*,x>+b*) = " + to_string(m[i]) + " < 1";
    if (on_support.count(i) && m[i] != 1)
      return "KKT (3) fails: support point " + std::to_string(i) + " is not on the margin";
  }
  return std::nullopt;
}

std::optional<std::string> farkas_violation(const Dataset& data, const FarkasCertificate& cert) {
  if (auto bad = bad_support(data, cert.support, cert.lambda, "lambda")) return bad;
  auto [v, ysum] = signed_combination(data, cert.support, cert.lambda);
  for (const mpq_class& c : v)
    if (c != 0) return std::string("sum lambda_i y_i x_i != 0");
  if (ysum != 0) return std::string("sum lambda_i y_i != 0");
  return std::nullopt;
}

}  // namespace advdir::exact
