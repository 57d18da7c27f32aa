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
        if (fmpz_bits(A.at(r, i)) > 52) throw std::invalid_argument("a numerator of the data exceeds 2^52");
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

// lambda exactly: L = round(2^40 lambda_float) projected onto A lambda = 0; none when an
// entry turns negative or A A^T is singular.
std::optional<exact::FarkasCertificate> project(const exact::Dataset& S, const exact::IntMatrix& A, const std::vector<double>& lambda) {
  const slong m = A.rows(), n = A.cols();
  const std::size_t rows = std::size_t(m), cols = std::size_t(n);
  exact::IntMatrix L(cols, 1), At(cols, rows), G(rows, rows), R(rows, 1), mu(rows, 1), correction(cols, 1);
  for (slong i = 0; i < n; ++i) fmpz_set_d(L.at(i, 0), std::nearbyint(std::ldexp(std::max(0.0, lambda[std::size_t(i)]), 40)));
  fmpz_mat_transpose(At.get(), A.get());
  fmpz_mat_mul(G.get(), A.get(), At.get());
  fmpz_mat_mul(R.get(), A.get(), L.get());
  exact::Int D;
  if (!fmpz_mat_solve(mu.get(), D.get(), G.get(), R.get())) return std::nullopt;
  fmpz_mat_mul(correction.get(), At.get(), mu.get());  // lambda = L - A^T mu / D = (D L - A^T (D mu)) / D
  exact::FarkasCertificate cert;
  exact::Int num;
  for (slong i = 0; i < n; ++i) {
    fmpz_mul(num.get(), D.get(), L.at(i, 0));
    fmpz_sub(num.get(), num.get(), correction.at(i, 0));
    const int s = fmpz_sgn(num.get()) * fmpz_sgn(D.get());
    if (s < 0) return std::nullopt;
    if (s == 0) continue;
    mpq_class q(num.mpz(), D.mpz());
    q.canonicalize();
    cert.support.push_back(std::size_t(i)), cert.lambda.push_back(q);
  }
  if (cert.support.empty() || exact::farkas_violation(S, cert)) return std::nullopt;
  return cert;
}

}  // namespace

FarkasSearch farkas_by_lp(const exact::Dataset& S) {
  exact::require_binary(S);
  FarkasSearch out;
  // Evenly spaced subsets of 4 (d + 2) points, then twice as many, up to S: a small one
  // whose hulls already meet gives a smaller certificate, sooner.
  for (std::size_t m = std::min(S.size(), 4 * (S.dim() + 2));; m = std::min(S.size(), 2 * m)) {
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
