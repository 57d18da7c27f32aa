#include "advdir/exact/counterexample.hpp"

#include "advdir/exact/direction.hpp"
#include "advdir/exact/error.hpp"

#include "cgal_numbers.hpp"

namespace advdir::exact {
namespace {

using cgal::gmpz;
using cgal::Program;

// The unit for +1 point i: variables (u, c), all free; rows over the integers of S
// (x = X / den): -(<X_i,u> + den c) <= -den, <X_j,u> + den c <= 0, <W,u> <= 0.
std::optional<std::pair<Vector, mpq_class>> unit_for(const Dataset& S, std::size_t i, const std::vector<mpz_class>& W) {
  const std::size_t d = S.dim();
  Program lp(CGAL::SMALLER, false, 0, false, 0);
  int row = 0;
  auto add_point = [&](std::size_t p, int sign, const mpz_class& rhs) {
    for (std::size_t k = 0; k < d; ++k) {
      const mpz_class x = to_mpz(S.X.at(slong(p), slong(k)));
      if (x != 0) lp.set_a(int(k), row, gmpz(sign * x));
    }
    lp.set_a(int(d), row, gmpz(sign * S.den));
    lp.set_b(row++, gmpz(rhs));
  };
  add_point(i, -1, -S.den);
  for (std::size_t j = 0; j < S.size(); ++j)
    if (S.labels[j] == -1) add_point(j, 1, 0);
  for (std::size_t k = 0; k < d; ++k)
    if (W[k] != 0) lp.set_a(int(k), row, gmpz(W[k]));
  lp.set_b(row, 0);
  for (std::size_t k = 0; k <= d; ++k) lp.set_c(int(k), 0);
  const auto sol = CGAL::solve_linear_program(lp, CGAL::Gmpz());
  if (sol.is_infeasible()) return std::nullopt;
  Vector u;
  for (auto it = sol.variable_values_begin(); it != sol.variable_values_end(); ++it) u.push_back(cgal::to_mpq(*it));
  u.resize(d + 1, 0);
  const mpq_class c = u.back();
  u.pop_back();
  return std::pair{u, c};
}

// Farkas for +1 point i: mu >= 0, nu >= 0 with sum_j mu_j X_j Dw + nu W den = X_i Dw and
// sum mu = 1 (variables: one mu per -1 point, then nu).
ConstructionFarkas farkas_for(const Dataset& S, std::size_t i, const std::vector<mpz_class>& W, const mpz_class& Dw) {
  ConstructionFarkas f{i, {}, {}, 0};
  for (std::size_t j = 0; j < S.size(); ++j)
    if (S.labels[j] == -1) f.minus_points.push_back(j);
  const int m = int(f.minus_points.size()), d = int(S.dim());
  Program lp(CGAL::EQUAL, true, 0, false, 0);
  for (int k = 0; k < d; ++k) {
    for (int t = 0; t < m; ++t) {
      const mpz_class x = to_mpz(S.X.at(slong(f.minus_points[std::size_t(t)]), k)) * Dw;
      if (x != 0) lp.set_a(t, k, gmpz(x));
    }
    if (W[std::size_t(k)] != 0) lp.set_a(m, k, gmpz(W[std::size_t(k)] * S.den));
    lp.set_b(k, gmpz(to_mpz(S.X.at(slong(i), k)) * Dw));
  }
  for (int t = 0; t < m; ++t) lp.set_a(t, d, 1);
  lp.set_b(d, 1);
  for (int t = 0; t <= m; ++t) lp.set_c(t, 0);
  const auto sol = CGAL::solve_linear_program(lp, CGAL::Gmpz());
  if (!sol.is_optimal()) throw std::logic_error("the construction's LP and its Farkas LP are both infeasible");
  for (auto it = sol.variable_values_begin(); it != sol.variable_values_end(); ++it) f.mu.push_back(cgal::to_mpq(*it));
  f.mu.resize(std::size_t(m) + 1, 0);
  f.nu = f.mu.back();
  f.mu.pop_back();
  return f;
}

void verify_farkas(const Dataset& S, const Vector& w_star, const ConstructionFarkas& f) {
  Vector combo(S.dim(), 0);
  mpq_class total = 0;
  for (std::size_t t = 0; t < f.mu.size(); ++t) {
    if (f.mu[t] < 0) throw std::logic_error("Farkas: negative mu");
    total += f.mu[t];
    const Vector x = S.point(f.minus_points[t]);
    for (std::size_t k = 0; k < combo.size(); ++k) combo[k] += f.mu[t] * x[k];
  }
  for (std::size_t k = 0; k < combo.size(); ++k) combo[k] += f.nu * w_star[k];
  if (f.nu < 0 || total != 1 || combo != S.point(f.point)) throw std::logic_error("Farkas: the combination does not give x_i");
}

}  // namespace

Dataset section6_data() {
  return make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "section 6");
}

ReluNet section6_net() {
  ReluNet net;
  net.kind = "relu2";
  net.layers.push_back({{{0, 1}, {0, -1}}, {mpq_class(-1, 2), mpq_class(-1, 2)}});
  net.layers.push_back({{{1, 1}}, {0}});
  net.decision = Decision::above;
  net.threshold = mpq_class(1, 4);
  return net;
}

void require_counterexample(const Dataset& S, const MaxMarginSeparator& sep, const ReluNet& net) {
  if (const auto j = negative_output_weight(net)) throw HypothesisError("the net is not in R': v_" + std::to_string(*j) + " < 0");
  if (sgn(net.threshold) <= 0) throw HypothesisError("the net is not in R': the threshold a must be positive");
  require_accurate(S, net);
  for (std::size_t j = 0; j < net.layers[0].W.size(); ++j)
    if (dot(net.layers[0].W[j], sep.w_star) > 0) throw HypothesisError("unit " + std::to_string(j) + " rises along w*");
}

Construction construct_counterexample(const Dataset& S, const MaxMarginSeparator& sep) {
  const cgal::IntegerRow w = cgal::over_common_denominator(sep.w_star);
  const std::vector<mpz_class>& W = w.num;
  const mpz_class& Dw = w.den;
  ReluNet net;
  net.kind = "relu2";
  net.layers.resize(2);
  net.layers[1].b = {0};
  net.layers[1].W.emplace_back();
  net.decision = Decision::above;
  net.threshold = mpq_class(1, 2);
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] != 1) continue;
    auto unit = unit_for(S, i, W);
    if (!unit) {
      Construction c{std::nullopt, farkas_for(S, i, W, Dw)};
      verify_farkas(S, sep.w_star, *c.infeasible);
      return c;
    }
    net.layers[0].W.push_back(std::move(unit->first));
    net.layers[0].b.push_back(unit->second);
    net.layers[1].W[0].push_back(1);
  }
  require_counterexample(S, sep, net);
  return {net, std::nullopt};
}

}  // namespace advdir::exact
