// CGAL's exact QP solver on the hard-margin dual: the independent oracle.
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/separator.hpp"

#include <algorithm>

#include "cgal_numbers.hpp"

namespace advdir::exact {
namespace {

using cgal::Program;
using Solution = CGAL::Quadratic_program_solution<CGAL::Gmpz>;

// min 1/2 a'Qa - 1'a s.t. y'a = 0, a >= 0 with Q_ij = y_i y_j <X_i,X_j> (integers of S).
// CGAL's objective is x'Dx + c'x and set_d takes entries of 2D, so it gets Q itself.
Program dual_program(const Dataset& data) {
  const slong n = slong(data.size()), d = slong(data.dim());
  IntMatrix Xt(d, n), G(n, n);
  fmpz_mat_transpose(Xt.get(), data.X.get());
  fmpz_mat_mul(G.get(), data.X.get(), Xt.get());
  Program qp(CGAL::EQUAL, true, 0, false, 0);
  for (slong i = 0; i < n; ++i) {
    const int yi = data.labels[std::size_t(i)];
    qp.set_a(int(i), 0, yi);
    qp.set_c(int(i), -1);
    for (slong j = 0; j <= i; ++j) {
      mpz_class q = to_mpz(G.at(i, j)) * (yi * data.labels[std::size_t(j)]);
      if (q != 0) qp.set_d(int(i), int(j), cgal::gmpz(q));
    }
  }
  qp.set_b(0, 0);
  return qp;
}

MaxMarginSeparator separator_from_dual(const Dataset& data, const Solution& sol) {
  // The program is over the integers X = D x: alpha = D^2 a and w* = sum alpha_i y_i x_i.
  const mpz_class D2 = data.den * data.den;
  MaxMarginSeparator sep;
  std::size_t i = 0;
  for (auto it = sol.variable_values_begin(); it != sol.variable_values_end(); ++it, ++i) {
    mpq_class a(cgal::to_mpz(it->numerator()) * D2, cgal::to_mpz(it->denominator()));
    a.canonicalize();
    if (a > 0) {
      sep.support.push_back(i);
      sep.alpha.push_back(a);
    }
  }
  sep.w_star.assign(data.dim(), 0);
  for (std::size_t k = 0; k < sep.support.size(); ++k)
    for (std::size_t j = 0; j < data.dim(); ++j)
      sep.w_star[j] += data.labels[sep.support[k]] * sep.alpha[k] * data.x(sep.support[k], j);
  const std::size_t s = sep.support.front();
  sep.b_star = data.labels[s] - dot(sep.w_star, data.point(s));
  sep.margin_sq = 1 / sep.alpha_sum();
  return sep;
}

FarkasCertificate farkas_from_direction(const Solution& sol) {
  FarkasCertificate cert;
  std::size_t i = 0;
  for (auto it = sol.unboundedness_certificate_begin(); it != sol.unboundedness_certificate_end(); ++it, ++i) {
    mpz_class v = cgal::to_mpz(*it);
    if (v != 0) {
      cert.support.push_back(i);
      cert.lambda.push_back(mpq_class(v));
    }
  }
  mpz_class g = 0;
  for (const mpq_class& l : cert.lambda) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), l.get_num_mpz_t());
  for (mpq_class& l : cert.lambda) l /= g;
  return cert;
}

}  // namespace

SeparatorResult cgal_max_margin(const Dataset& data) {
  require_binary(data);
  const Program qp = dual_program(data);
  const Solution sol = CGAL::solve_quadratic_program(qp, CGAL::Gmpz());
  SeparatorResult r;
  r.method = "CGAL exact dual QP";
  if (sol.is_optimal()) {
    r.separable = true;
    r.separator = separator_from_dual(data, sol);
    if (auto why = kkt_violation(data, r.separator)) throw std::logic_error("CGAL separator rejected: " + *why);
  } else if (sol.is_unbounded()) {
    r.farkas = farkas_from_direction(sol);
    if (auto why = farkas_violation(data, r.farkas)) throw std::logic_error("CGAL Farkas direction rejected: " + *why);
  } else {
    throw std::logic_error("CGAL reports the hard-margin dual infeasible, which it never is");
  }
  return r;
}

namespace {

Dataset subset(const Dataset& data, const std::vector<std::size_t>& rows) {
  Dataset sub{data.source, {}, IntMatrix(rows.size(), data.dim()), data.den};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    sub.labels.push_back(data.labels[rows[r]]);
    _fmpz_vec_set(sub.X.row(slong(r)), data.X.row(slong(rows[r])), slong(data.dim()));
  }
  return sub;
}

// Subset indices back to S's, keeping the weights aligned and the indices increasing.
void map_back(const std::vector<std::size_t>& rows, std::vector<std::size_t>& support, Vector& weights) {
  std::vector<std::pair<std::size_t, mpq_class>> pairs;
  for (std::size_t k = 0; k < support.size(); ++k) pairs.emplace_back(rows[support[k]], weights[k]);
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  support.clear();
  weights.clear();
  for (auto& [i, w] : pairs) {
    support.push_back(i);
    weights.push_back(w);
  }
}

}  // namespace

std::optional<SeparatorResult> cgal_constraint_generation(const Dataset& data, std::vector<std::size_t> rows,
                                                          std::size_t max_points, const std::function<bool()>& stop) {
  if (rows.empty()) rows.push_back(0);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  while (rows.size() <= max_points && !stop()) {
    const Dataset sub = subset(data, rows);
    const bool both = std::count(sub.labels.begin(), sub.labels.end(), 1) && std::count(sub.labels.begin(), sub.labels.end(), -1);
    if (both) {
      SeparatorResult r = cgal_max_margin(sub);
      r.method = "CGAL exact dual by constraint generation (" + std::to_string(rows.size()) + " points)";
      if (!r.separable) {
        map_back(rows, r.farkas.support, r.farkas.lambda);
        return r;
      }
      const ScaledScores m = scaled_scores(data, LinearModel{r.separator.w_star, r.separator.b_star});
      const Int one(m.den);
      std::vector<std::size_t> violated;
      for (std::size_t i = 0; i < data.size(); ++i)
        if (fmpz_cmp(m.num.at(slong(i), 0), one.get()) < 0) violated.push_back(i);
      if (violated.empty()) {
        map_back(rows, r.separator.support, r.separator.alpha);
        return r;
      }
      rows.insert(rows.end(), violated.begin(), violated.end());
    } else {
      // One class only: bring in the first point of the other class.
      for (std::size_t i = 0; i < data.size(); ++i)
        if (data.labels[i] != sub.labels.front()) {
          rows.push_back(i);
          break;
        }
    }
    std::sort(rows.begin(), rows.end());
  }
  return std::nullopt;
}

}  // namespace advdir::exact
