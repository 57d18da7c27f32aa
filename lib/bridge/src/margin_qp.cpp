// Lemma 3's dual at scale. SMO's coordinate steps crawl when the margin is small (Fashion-MNIST
// pullover / dress: margin_sq about 1e-4, not found in 400 s). CLP's barrier solves the QP in
// its KKT form, whose ordering grows fast with the points, so it runs on a working set.
#include "advdir/bridge/margin_qp.hpp"

#include "advdir/exact/error.hpp"
#include "clock.hpp"
#include "clp_deadline.hpp"
#include "one_blas_thread.hpp"
#include "signed_columns.hpp"

#include <coin/ClpInterior.hpp>
#include <coin/ClpCholeskyBase.hpp>  // after ClpInterior.hpp, which defines what it needs

#include <algorithm>
#include <numeric>
#include <optional>

namespace advdir::bridge {
namespace {

// The QP on the points T: alpha (one per point of T) and w (one per coordinate; 0 where
// every point of T is 0), or none when the barrier does not converge in max_seconds.
struct QpSolution {
  std::vector<double> alpha, w;
};

std::optional<QpSolution> margin_qp(const exact::Dataset& S, const std::vector<std::size_t>& T, slong bits, double w_bound,
                                    double max_seconds) {
  // Columns alpha_i (y_i x_i on the coordinate rows, y_i on the label row), then w_r (-1 on
  // coordinate row r): rows w = sum alpha_i y_i x_i and sum alpha_i y_i = 0.
  const auto [row_of, rows] = used_rows(S, T);
  Columns t = lambda_columns(S, T, bits, row_of, rows, false);
  const int n = int(T.size());
  for (int r = 0; r < rows; ++r) t.add(r, -1), t.close();
  const std::size_t columns = std::size_t(t.count()), m = std::size_t(rows) + 1;
  std::vector<double> lo(columns, 0), hi(columns, COIN_DBL_MAX), cost(columns, 0), rlo(m, 0), rhi(m, 0);
  std::fill(cost.begin(), cost.begin() + n, -1.0);
  std::fill(lo.begin() + n, lo.end(), -w_bound);
  std::fill(hi.begin() + n, hi.end(), w_bound);
  std::vector<CoinBigIndex> qstart(columns + 1, 0);  // the quadratic term: 1 on w's diagonal
  std::vector<int> qcolumn;
  for (std::size_t c = 0; c < columns; ++c) {
    if (c >= std::size_t(n)) qcolumn.push_back(int(c));
    qstart[c + 1] = CoinBigIndex(qcolumn.size());
  }
  const std::vector<double> qvalue(qcolumn.size(), 1.0);
  ClpInterior ipm;
  ipm.loadProblem(t.count(), int(m), t.starts.data(), t.index.data(), t.value.data(), lo.data(), hi.data(), cost.data(), rlo.data(),
                  rhi.data());
  ipm.loadQuadraticObjective(int(columns), qstart.data(), qcolumn.data(), qvalue.data());
  ipm.setLogLevel(0);
  auto* cholesky = new ClpCholeskyBase();  // CLP owns it; a quadratic objective needs the KKT form
  cholesky->setKKT(true);
  ipm.setCholesky(cholesky);
  const ClpDeadline deadline(max_seconds);  // CLP keeps a copy
  if (max_seconds > 0) ipm.passInEventHandler(&deadline);
  if (ipm.primalDual() != 0 || ipm.status() != 0) return std::nullopt;
  const double* x = ipm.primalColumnSolution();
  QpSolution out{std::vector<double>(x, x + n), std::vector<double>(S.dim(), 0)};
  for (std::size_t j = 0; j < S.dim(); ++j)
    if (row_of[j] >= 0) out.w[j] = x[n + row_of[j]];
  return out;
}

}  // namespace

MarginHint margin_support_by_qp(const exact::Dataset& S, const SeparatingHyperplane& near, double max_seconds) {
  exact::require_binary(S);
  const slong bits = max_bits(S);
  if (bits > 1000 || S.size() == 0) return {};  // past a double's range: no float hint
  const Budget budget(max_seconds);
  const OneBlasThread one_thread;
  // The working set: the points nearest `near` (its b only shifts every y_i-signed value
  // by y_i b, so the order is by y_i (<w, x_i> + b)).
  std::vector<double> w(S.dim());
  for (std::size_t j = 0; j < S.dim(); ++j) w[j] = near.w[j].get_d();
  std::vector<double> score = along(S, w, bits);
  const double b = std::ldexp(mpq_class(near.b * S.den).get_d(), int(-bits));
  for (std::size_t i = 0; i < S.size(); ++i) score[i] += S.labels[i] * b;
  // |w*| <= |w| / min score: w scaled to clear every point by 1 is feasible, and the working
  // sets' separators are no longer. Each w_j is boxed by 1,000 times that bound: with twice
  // it, CLP's barrier failed on pullover / dress's first three working sets (2,354 to 3,924
  // points, 88 s) where |w*| was a third of the box; 1,000 times, the first set held (the QP
  // 125 s to 14 s, with the first working set of SMO's candidates as in the full run).
  double norm = 0;
  for (double v : w) norm += v * v;
  const double least = *std::min_element(score.begin(), score.end());  // > 0 exactly; in floats, perhaps not
  const double w_bound = least > 0 ? 1000 * std::sqrt(norm) / least : COIN_DBL_MAX;
  // The nearest of each class: a working set of one class has only alpha = 0 (sum alpha_i
  // y_i = 0), with no interior for the barrier.
  std::vector<std::size_t> order(S.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) { return score[a] < score[c]; });
  const std::size_t grow = S.dim() + 1;
  std::vector<std::size_t> T;
  std::vector<char> in(S.size(), 0);
  for (int y : {1, -1})
    for (std::size_t k = 0, taken = 0; k < order.size() && taken < 3 * grow / 2; ++k)
      if (S.labels[order[k]] == y) T.push_back(order[k]), in[order[k]] = 1, ++taken;
  for (int failures = 0;;) {
    if (budget.spent()) return {};
    const std::optional<QpSolution> qp = margin_qp(S, T, bits, w_bound, budget.left());
    if (!qp) {  // the barrier failed on this set (seen on small degenerate ones): the next nearest join
      if (++failures > 3 || T.size() == S.size() || budget.spent()) return {};
      for (std::size_t k = 0, added = 0; k < order.size() && added < grow; ++k)
        if (!in[order[k]]) T.push_back(order[k]), in[order[k]] = 1, ++added;
      continue;
    }
    const double top = *std::max_element(qp->alpha.begin(), qp->alpha.end());
    std::vector<std::size_t> support;
    for (std::size_t c = 0; c < T.size(); ++c)
      if (qp->alpha[c] > 1e-6 * top) support.push_back(c);
    if (support.empty()) return {};
    // b from the support's equalities y_i (<w, x_i> + b) = 1, averaged.
    const std::vector<double> margin = along(S, qp->w, bits);
    double bq = 0;
    for (std::size_t c : support) bq += S.labels[T[c]] * (1 - margin[T[c]]);
    bq /= double(support.size());
    std::vector<std::size_t> violated;
    for (std::size_t i = 0; i < S.size(); ++i)
      if (!in[i] && margin[i] + S.labels[i] * bq < 1 - 1e-6) violated.push_back(i);
    if (violated.empty()) {
      std::sort(support.begin(), support.end(), [&](std::size_t a, std::size_t c) { return qp->alpha[a] > qp->alpha[c]; });
      MarginHint hint{{}, exact::IntMatrix(support.size(), 1)};
      for (std::size_t k = 0; k < support.size(); ++k) {
        hint.support.push_back(T[support[k]]);
        fmpz_set_d(hint.weights.at(slong(k), 0), std::nearbyint(std::ldexp(qp->alpha[support[k]] / top, 40)));
      }
      return hint;
    }
    const std::size_t add = std::min(grow, violated.size());
    std::partial_sort(violated.begin(), violated.begin() + long(add), violated.end(),
                      [&](std::size_t a, std::size_t c) { return margin[a] + S.labels[a] * bq < margin[c] + S.labels[c] * bq; });
    for (std::size_t k = 0; k < add; ++k) T.push_back(violated[k]), in[violated[k]] = 1;
  }
}

}  // namespace advdir::bridge
