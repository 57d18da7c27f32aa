// Gordan's alternative at scale (issue 19): either some (w, b) has y_i(<w,x_i>+b) > 0 for
// every i, or lambda >= 0, lambda != 0 with sum_i lambda_i y_i (x_i, 1) = 0. COIN-OR CLP's
// interior-point method solves {lambda >= 0, A lambda = 0, sum lambda = 1} (A's columns
// y_i (X_i, 1)) in floats and stops near the analytic centre, where every lambda_i of a
// fat intersection is well inside (0, inf). The exact layer rounds it to integers L,
// projects onto A lambda = 0 exactly (lambda = L - A^T mu with (A A^T) mu = A L, FLINT's
// p-adic solver), and keeps the result only when every entry is still >= 0 and it passes
// the exact Farkas check. CLP's answer is a hint, never a proof.
#include "advdir/bridge/farkas_lp.hpp"

#include "advdir/exact/error.hpp"

#include <coin/ClpInterior.hpp>
#include <coin/ClpCholeskyDense.hpp>  // after ClpInterior.hpp, which defines what it needs
#include <coin/CoinPackedMatrix.hpp>
#include <flint/fmpz_mat.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace advdir::bridge {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The points of S at the given indices.
exact::Dataset rows_of(const exact::Dataset& S, const std::vector<std::size_t>& idx) {
  exact::Dataset part;
  part.source = S.source, part.den = S.den;
  part.X = exact::IntMatrix(idx.size(), std::size_t(S.X.cols()));
  for (std::size_t k = 0; k < idx.size(); ++k) {
    part.labels.push_back(S.labels[idx[k]]);
    for (slong j = 0; j < S.X.cols(); ++j) fmpz_set(part.X.at(slong(k), j), S.X.at(slong(idx[k]), j));
  }
  return part;
}

// The rows of A that are not all zero: the coordinates some point of S uses, and the label row.
std::vector<slong> used_rows(const exact::Dataset& S) {
  std::vector<slong> rows;
  for (slong j = 0; j < S.X.cols(); ++j)
    for (slong i = 0; i < S.X.rows(); ++i)
      if (!fmpz_is_zero(S.X.at(i, j))) {
        rows.push_back(j);
        break;
      }
  rows.push_back(S.X.cols());  // the label row
  return rows;
}

// A over the integers: row r is coordinate rows[r] of y_i X_i (or y_i for the label row).
exact::IntMatrix matrix_A(const exact::Dataset& S, const std::vector<slong>& rows) {
  exact::IntMatrix A(rows.size(), S.size());
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (slong i = 0; i < slong(S.size()); ++i) {
      if (rows[r] < S.X.cols()) fmpz_set(A.at(slong(r), i), S.X.at(i, rows[r]));
      else fmpz_one(A.at(slong(r), i));
      if (S.labels[std::size_t(i)] < 0) fmpz_neg(A.at(slong(r), i), A.at(slong(r), i));
    }
  return A;
}

constexpr int max_iterations = 20;

// The float LP by CLP's primal-dual interior-point method: lambda, or none when it fails.
std::optional<std::vector<double>> interior_point(const exact::IntMatrix& A) {
  std::vector<int> starts{0}, index;
  std::vector<double> values;
  for (slong i = 0; i < A.cols(); ++i) {
    for (slong r = 0; r < A.rows(); ++r)
      if (!fmpz_is_zero(A.at(r, i))) {
        if (fmpz_bits(A.at(r, i)) > 52) return std::nullopt;  // not exact in a double: no float hint
        index.push_back(int(r)), values.push_back(double(fmpz_get_si(A.at(r, i))));
      }
    index.push_back(int(A.rows())), values.push_back(1);  // sum lambda = 1
    starts.push_back(int(index.size()));
  }
  const std::size_t m = std::size_t(A.rows()) + 1, n = std::size_t(A.cols());
  const CoinPackedMatrix M(true, int(m), int(n), CoinBigIndex(values.size()), values.data(), index.data(), starts.data(), nullptr);
  std::vector<double> lo(n, 0), hi(n, COIN_DBL_MAX), cost(n, 0), rlo(m, 0), rhi(m, 0);
  rlo[m - 1] = rhi[m - 1] = 1;
  ClpInterior ipm;
  ipm.loadProblem(M, lo.data(), hi.data(), cost.data(), rlo.data(), rhi.data());
  ipm.setLogLevel(0);
  ipm.setCholesky(new ClpCholeskyDense());  // CLP owns it
  // A feasible problem converges in about 10 iterations here; an infeasible one (separable
  // data) would run on: past this many, the subset is taken as undecided.
  ipm.setMaximumBarrierIterations(max_iterations);
  if (ipm.primalDual() != 0 || ipm.status() != 0) return std::nullopt;
  const double* x = ipm.primalColumnSolution();
  return std::vector<double>(x, x + n);
}

// The exact projection of L (integers, on the columns `support` of A) onto A lambda = 0:
// lambda = L - A^T mu / D with (A A^T) mu = A L, as the numerators D L - A^T (D mu) over D.
// None when A A^T is singular.
std::optional<std::pair<std::vector<mpz_class>, mpz_class>> projection(const exact::IntMatrix& A, const std::vector<slong>& support,
                                                                        const std::vector<double>& lambda) {
  std::vector<slong> used;  // the rows of A that the support's columns touch (the others are 0 = 0)
  for (slong r = 0; r < A.rows(); ++r)
    if (std::any_of(support.begin(), support.end(), [&](slong i) { return !fmpz_is_zero(A.at(r, i)); })) used.push_back(r);
  const std::size_t rows = used.size(), cols = support.size();
  exact::IntMatrix As(rows, cols), L(cols, 1), At(cols, rows), G(rows, rows), R(rows, 1), mu(rows, 1), correction(cols, 1);
  for (std::size_t c = 0; c < cols; ++c) {
    fmpz_set_d(L.at(slong(c), 0), std::nearbyint(std::ldexp(lambda[std::size_t(support[c])], 40)));
    for (std::size_t r = 0; r < rows; ++r) fmpz_set(As.at(slong(r), slong(c)), A.at(used[r], support[c]));
  }
  fmpz_mat_transpose(At.get(), As.get());
  fmpz_mat_mul(G.get(), As.get(), At.get());
  fmpz_mat_mul(R.get(), As.get(), L.get());
  exact::Int D, num;
  if (!fmpz_mat_solve(mu.get(), D.get(), G.get(), R.get())) return std::nullopt;
  fmpz_mat_mul(correction.get(), At.get(), mu.get());
  std::vector<mpz_class> out(cols);
  for (std::size_t c = 0; c < cols; ++c) {
    fmpz_mul(num.get(), D.get(), L.at(slong(c), 0));
    fmpz_sub(num.get(), num.get(), correction.at(slong(c), 0));
    out[c] = num.mpz();
  }
  mpz_class den = D.mpz();
  if (den < 0) {
    den = -den;
    for (mpz_class& v : out) v = -v;
  }
  return std::pair{std::move(out), den};
}

// lambda exactly, from the float solution: its positive entries (the method fixes some at
// 0: they stay 0) rounded to L = round(2^40 lambda) and projected; a point whose projected
// lambda is negative is not on the face the projection found, and leaves (a few rounds).
std::optional<exact::FarkasCertificate> project(const exact::Dataset& S, const exact::IntMatrix& A, const std::vector<double>& lambda) {
  std::vector<slong> support;
  for (std::size_t i = 0; i < lambda.size(); ++i)
    if (std::nearbyint(std::ldexp(std::max(0.0, lambda[i]), 40)) > 0) support.push_back(slong(i));
  for (int round = 0; round < 8 && !support.empty(); ++round) {
    const auto p = projection(A, support, lambda);
    if (!p) return std::nullopt;
    std::vector<slong> kept;
    exact::FarkasCertificate cert;
    for (std::size_t c = 0; c < support.size(); ++c) {
      const int sign = sgn(p->first[c]);
      if (sign >= 0) kept.push_back(support[c]);
      if (sign > 0) {
        mpq_class q(p->first[c], p->second);
        q.canonicalize();
        cert.support.push_back(std::size_t(support[c])), cert.lambda.push_back(q);
      }
    }
    if (kept.size() == support.size()) {
      if (cert.support.empty() || exact::farkas_violation(S, cert)) return std::nullopt;
      return cert;
    }
    support = std::move(kept);
  }
  return std::nullopt;
}

}  // namespace

FarkasSearch farkas_by_lp(const exact::Dataset& S) {
  exact::require_binary(S);
  FarkasSearch out;
  // An evenly spaced subset of 4 (d + 2) points, then S: a small subset whose hulls
  // already meet gives a smaller certificate, sooner.
  for (std::size_t m = std::min(S.size(), 4 * (S.dim() + 2));; m = S.size()) {
    std::vector<std::size_t> subset;
    for (std::size_t k = 0; k < m; ++k) subset.push_back(k * S.size() / m);
    const exact::Dataset part = rows_of(S, subset);
    const auto t0 = std::chrono::steady_clock::now();
    const exact::IntMatrix A = matrix_A(part, used_rows(part));
    const std::optional<std::vector<double>> lambda = interior_point(A);
    out.lp_seconds += seconds_since(t0);
    if (lambda) {
      const auto t1 = std::chrono::steady_clock::now();
      std::optional<exact::FarkasCertificate> cert = project(part, A, *lambda);
      out.exact_seconds += seconds_since(t1);
      if (cert) {
        for (std::size_t& i : cert->support) i = subset[i];  // increasing, as the subset is
        if (exact::farkas_violation(S, *cert)) throw std::logic_error("a Farkas certificate of a subset fails on S");
        out.certificate = std::move(cert);
        return out;
      }
    }
    if (m == S.size()) return out;
  }
}

}  // namespace advdir::bridge
