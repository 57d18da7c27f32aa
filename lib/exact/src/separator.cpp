#include "advdir/exact/separator.hpp"

#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace advdir::exact {
namespace {

// The candidates whose rows z_i = y_i (X_i, 1) are linearly independent, earliest first,
// so the bordered KKT matrix on them is nonsingular (Lemma 3's system; see PROOFS.md).
std::vector<std::size_t> independent_subset(const Dataset& data, const std::vector<std::size_t>& candidates) {
  std::vector<std::size_t> chosen;
  for (slong c : independent_columns(signed_points(data, candidates))) chosen.push_back(candidates[std::size_t(c)]);
  return chosen;
}

// The solution of the KKT equalities on T: y_i(<w,X_i> + b) = 1 for i in T with
// w = sum_{j in T} a_j y_j X_j and sum a_j y_j = 0, as integers sol / den.
struct KktSolution {
  IntMatrix sol;  // (|T| + 1) x 1: a_T, then b
  Int den;
};

KktSolution solve_kkt(const Dataset& data, const std::vector<std::size_t>& T) {
  const slong k = slong(T.size()), d = slong(data.dim());
  IntMatrix XT(k, d), XTt(d, k), G(k, k);
  for (slong r = 0; r < k; ++r) _fmpz_vec_set(XT.row(r), data.X.row(slong(T[std::size_t(r)])), d);
  fmpz_mat_transpose(XTt.get(), XT.get());
  fmpz_mat_mul(G.get(), XT.get(), XTt.get());
  IntMatrix M(k + 1, k + 1), B(k + 1, 1);
  for (slong i = 0; i < k; ++i) {
    const int yi = data.labels[T[std::size_t(i)]];
    for (slong j = 0; j < k; ++j) {
      fmpz_set(M.at(i, j), G.at(i, j));
      if (yi * data.labels[T[std::size_t(j)]] < 0) fmpz_neg(M.at(i, j), M.at(i, j));
    }
    fmpz_set_si(M.at(i, k), yi);
    fmpz_set_si(M.at(k, i), yi);
    fmpz_one(B.at(i, 0));
  }
  KktSolution s{IntMatrix(k + 1, 1), Int()};
  if (!fmpz_mat_solve_dixon_den(s.sol.get(), s.den.get(), M.get(), B.get()))
    throw std::logic_error("KKT system singular on an independent set");
  if (fmpz_sgn(s.den.get()) < 0) {
    fmpz_neg(s.den.get(), s.den.get());
    fmpz_mat_neg(s.sol.get(), s.sol.get());
  }
  return s;
}

// W = sum_{j in T} sol_j y_j X_j (so w_X = W / den) and the margins y_i(<W,X_i> + sol_b) of all points.
std::pair<IntMatrix, IntMatrix> primal(const Dataset& data, const std::vector<std::size_t>& T, const KktSolution& s) {
  const slong k = slong(T.size()), d = slong(data.dim()), n = slong(data.size());
  IntMatrix W(d, 1);
  Int t;
  for (slong r = 0; r < k; ++r) {
    const slong i = slong(T[std::size_t(r)]);
    fmpz_mul_si(t.get(), s.sol.at(r, 0), data.labels[std::size_t(i)]);
    for (slong j = 0; j < d; ++j) fmpz_addmul(W.at(j, 0), t.get(), data.X.at(i, j));
  }
  IntMatrix margins(n, 1);
  fmpz_mat_mul(margins.get(), data.X.get(), W.get());
  for (slong i = 0; i < n; ++i) {
    fmpz_add(margins.at(i, 0), margins.at(i, 0), s.sol.at(k, 0));
    if (data.labels[std::size_t(i)] < 0) fmpz_neg(margins.at(i, 0), margins.at(i, 0));
  }
  return {std::move(W), std::move(margins)};
}

// Back to the coordinates of S: x = X/D gives w* = D W/den, b* = b_X (the last entry of sol).
void set_hyperplane(MaxMarginSeparator& sep, const Dataset& data, const KktSolution& s, const IntMatrix& W) {
  const mpz_class den = s.den.mpz(), D = data.den;
  sep.w_star.clear();
  for (slong j = 0; j < W.rows(); ++j) {
    mpq_class w(to_mpz(W.at(j, 0)) * D, den);
    w.canonicalize();
    sep.w_star.push_back(w);
  }
  sep.b_star = mpq_class(to_mpz(s.sol.at(s.sol.rows() - 1, 0)), den);
  sep.b_star.canonicalize();
}

// ... and alpha = D^2 a, on the points of T whose a is positive.
MaxMarginSeparator to_separator(const Dataset& data, const std::vector<std::size_t>& T, const KktSolution& s,
                                const IntMatrix& W) {
  const mpz_class den = s.den.mpz(), D = data.den;
  MaxMarginSeparator sep;
  std::vector<std::pair<std::size_t, mpq_class>> alpha;
  for (std::size_t r = 0; r < T.size(); ++r) {
    mpq_class a(to_mpz(s.sol.at(slong(r), 0)) * D * D, den);
    a.canonicalize();
    if (a > 0) alpha.emplace_back(T[r], a);
  }
  std::sort(alpha.begin(), alpha.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [i, a] : alpha) {
    sep.support.push_back(i);
    sep.alpha.push_back(a);
  }
  set_hyperplane(sep, data, s, W);
  sep.margin_sq = 1 / sep.alpha_sum();
  return sep;
}

}  // namespace

IntMatrix signed_points(const Dataset& data, const std::vector<std::size_t>& idx) {
  const slong d = slong(data.dim());
  IntMatrix Z(std::size_t(d) + 1, idx.size());
  for (std::size_t c = 0; c < idx.size(); ++c) {
    const std::size_t i = idx[c];
    for (slong j = 0; j < d; ++j) fmpz_set(Z.at(j, slong(c)), data.X.at(slong(i), j));
    fmpz_one(Z.at(d, slong(c)));
    if (data.labels[i] < 0)
      for (slong j = 0; j <= d; ++j) fmpz_neg(Z.at(j, slong(c)), Z.at(j, slong(c)));
  }
  return Z;
}

std::vector<slong> independent_columns(const IntMatrix& M) {
  const mp_limb_t p = n_nextprime(UWORD(1) << 62, 1);
  nmod_mat_t A;
  nmod_mat_init(A, M.rows(), M.cols(), p);
  for (slong r = 0; r < M.rows(); ++r)
    for (slong c = 0; c < M.cols(); ++c) nmod_mat_entry(A, r, c) = fmpz_fdiv_ui(M.at(r, c), p);
  const slong rank = nmod_mat_rref(A);
  std::vector<slong> chosen;
  for (slong r = 0, c = 0; r < rank; ++r, ++c) {
    while (nmod_mat_entry(A, r, c) == 0) ++c;
    chosen.push_back(c);
  }
  nmod_mat_clear(A);
  return chosen;
}

std::vector<slong> independent_rows(const IntMatrix& M) {
  IntMatrix Mt(std::size_t(M.cols()), std::size_t(M.rows()));
  fmpz_mat_transpose(Mt.get(), M.get());
  return independent_columns(Mt);
}

std::optional<std::pair<IntMatrix, Int>> kernel_projection(const IntMatrix& M, const std::vector<slong>& R, const IntMatrix& v) {
  const std::size_t rows = R.size(), cols = std::size_t(M.cols());
  IntMatrix MR(rows, cols), MRt(cols, rows), G(rows, rows), rhs(rows, 1), mu(rows, 1), correction(cols, 1), x(cols, 1);
  for (std::size_t r = 0; r < rows; ++r) _fmpz_vec_set(MR.row(slong(r)), M.row(R[r]), slong(cols));
  fmpz_mat_transpose(MRt.get(), MR.get());
  fmpz_mat_mul(G.get(), MR.get(), MRt.get());
  fmpz_mat_mul(rhs.get(), MR.get(), v.get());
  Int den;
  if (rows > 0 && !fmpz_mat_solve_dixon_den(mu.get(), den.get(), G.get(), rhs.get())) return std::nullopt;
  if (rows == 0) fmpz_one(den.get());
  fmpz_mat_mul(correction.get(), MRt.get(), mu.get());
  fmpz_mat_scalar_mul_fmpz(x.get(), v.get(), den.get());
  fmpz_mat_sub(x.get(), x.get(), correction.get());
  if (fmpz_sgn(den.get()) < 0) fmpz_neg(den.get(), den.get()), fmpz_mat_neg(x.get(), x.get());
  return std::pair{std::move(x), den};
}

std::optional<MaxMarginSeparator> confirm_central(const Dataset& data, std::vector<std::size_t> A, IntMatrix weights) {
  if (weights.rows() != slong(A.size()) || std::set<std::size_t>(A.begin(), A.end()).size() != A.size()) return std::nullopt;
  for (int round = 0; round < 8 && !A.empty(); ++round) {
    const std::vector<std::size_t> T = independent_subset(data, A);
    const KktSolution s = solve_kkt(data, T);
    const auto [W, margins] = primal(data, T, s);
    for (std::size_t i = 0; i < data.size(); ++i)
      if (fmpz_cmp(margins.at(slong(i), 0), s.den.get()) < 0) return std::nullopt;  // not w*: A misses support points
    // Only points on the margin can carry alpha (KKT (3)); T's are, by its equalities.
    std::vector<std::size_t> keep;
    for (std::size_t c = 0; c < A.size(); ++c)
      if (fmpz_equal(margins.at(slong(A[c]), 0), s.den.get())) keep.push_back(c);
    // The particular solution a_T (0 off T) and the weights, both over den * P (P = sum of
    // the weights) with the same sum: v = weights * sigma - a_T * P, sigma = sum a_T * den.
    std::vector<std::size_t> on;
    IntMatrix w(keep.size(), 1);
    Int sigma, P;
    for (std::size_t k = 0; k < keep.size(); ++k) {
      on.push_back(A[keep[k]]);
      fmpz_set(w.at(slong(k), 0), weights.at(slong(keep[k]), 0));
      fmpz_add(P.get(), P.get(), w.at(slong(k), 0));
    }
    for (std::size_t r = 0; r < T.size(); ++r) fmpz_add(sigma.get(), sigma.get(), s.sol.at(slong(r), 0));
    if (fmpz_sgn(P.get()) <= 0) return std::nullopt;
    IntMatrix particular(on.size(), 1), v(on.size(), 1);
    for (std::size_t c = 0, r = 0; c < on.size(); ++c) {  // T is a subsequence of A, so of on
      if (r < T.size() && T[r] == on[c]) fmpz_mul(particular.at(slong(c), 0), s.sol.at(slong(r++), 0), P.get());
      fmpz_mul(v.at(slong(c), 0), w.at(slong(c), 0), sigma.get());
      fmpz_sub(v.at(slong(c), 0), v.at(slong(c), 0), particular.at(slong(c), 0));
    }
    const IntMatrix Z = signed_points(data, on);
    const auto moved = kernel_projection(Z, independent_rows(Z), v);
    if (!moved) return std::nullopt;
    // alpha = D^2 (particular * den' + moved) / (den * P * den'); a point whose alpha is
    // negative leaves and the rest is solved again.
    const mpz_class D = data.den, scale = s.den.mpz() * P.mpz() * moved->second.mpz();
    MaxMarginSeparator sep;
    std::vector<std::size_t> positive;
    IntMatrix positive_weights(on.size(), 1);
    for (std::size_t c = 0; c < on.size(); ++c) {
      mpq_class a(to_mpz(particular.at(slong(c), 0)) * moved->second.mpz() + to_mpz(moved->first.at(slong(c), 0)), scale);
      a.canonicalize();
      if (a <= 0) continue;
      fmpz_set(positive_weights.at(slong(positive.size()), 0), w.at(slong(c), 0));
      positive.push_back(on[c]);
      sep.support.push_back(on[c]), sep.alpha.push_back(a * D * D);
    }
    if (positive.size() < on.size()) {
      A = std::move(positive);
      weights = IntMatrix(A.size(), 1);
      for (std::size_t c = 0; c < A.size(); ++c) fmpz_set(weights.at(slong(c), 0), positive_weights.at(slong(c), 0));
      continue;
    }
    std::vector<std::size_t> by_index(sep.support.size());  // the certificate lists the support increasing
    std::iota(by_index.begin(), by_index.end(), 0);
    std::sort(by_index.begin(), by_index.end(), [&](std::size_t x, std::size_t y) { return sep.support[x] < sep.support[y]; });
    MaxMarginSeparator sorted;
    for (std::size_t k : by_index) sorted.support.push_back(sep.support[k]), sorted.alpha.push_back(sep.alpha[k]);
    set_hyperplane(sorted, data, s, W);
    sorted.margin_sq = 1 / sorted.alpha_sum();
    if (kkt_violation(data, sorted)) return std::nullopt;
    return sorted;
  }
  return std::nullopt;
}

std::optional<MaxMarginSeparator> confirm_max_margin(const Dataset& data, std::vector<std::size_t> candidates,
                                                     const ConfirmOptions& options, ConfirmStats* stats) {
  ConfirmStats local;
  ConfirmStats& st = stats ? *stats : local;
  for (st.rounds = 1; st.rounds <= options.max_rounds && !candidates.empty(); ++st.rounds) {
    if (st.rounds > 1 && options.stop && options.stop()) return std::nullopt;
    const std::vector<std::size_t> T = independent_subset(data, candidates);
    st.system_size = T.size() + 1;
    const KktSolution s = solve_kkt(data, T);
    std::vector<std::size_t> keep;
    std::set<std::size_t> dropped;
    for (std::size_t r = 0; r < T.size(); ++r)
      if (fmpz_sgn(s.sol.at(slong(r), 0)) >= 0)
        keep.push_back(T[r]);
      else
        dropped.insert(T[r]);
    const auto [W, margins] = primal(data, T, s);
    std::vector<std::size_t> violated;
    for (std::size_t i = 0; i < data.size(); ++i)
      if (fmpz_cmp(margins.at(slong(i), 0), s.den.get()) < 0) violated.push_back(i);
    if (keep.size() == T.size() && violated.empty()) {
      MaxMarginSeparator sep = to_separator(data, T, s, W);
      if (!kkt_violation(data, sep)) return sep;
      return std::nullopt;
    }
    if (violated.size() > options.max_violated) return std::nullopt;
    // Repair: drop negative multipliers, bring in the violated points, most violated first.
    std::stable_sort(violated.begin(), violated.end(), [&m = margins](std::size_t a, std::size_t b) {
      return fmpz_cmp(m.at(slong(a), 0), m.at(slong(b), 0)) < 0;
    });
    std::set<std::size_t> seen(keep.begin(), keep.end());
    std::vector<std::size_t> next = keep;
    for (std::size_t i : violated)
      if (seen.insert(i).second) next.push_back(i);
    for (std::size_t i : candidates)
      if (!dropped.count(i) && seen.insert(i).second) next.push_back(i);
    candidates = std::move(next);
  }
  return std::nullopt;
}

}  // namespace advdir::exact
