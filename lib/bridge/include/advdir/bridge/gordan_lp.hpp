// Gordan's alternative at scale, decided either way: a float simplex LP (COIN-OR CLP)
// proposes a Farkas certificate (lambda >= 0, not all 0, sum lambda_i y_i (x_i, 1) = 0) on
// at most d + 2 points, or a strictly separating hyperplane; an interior-point LP is the
// second hint for Farkas; the exact layer confirms every answer.
#pragma once
#include "advdir/exact/separator.hpp"

#include <optional>
#include <string>
#include <vector>

namespace advdir::bridge {

// y_i(<w, x_i> + b) > 0 for every point, proved exactly: S is separable (not its max margin).
struct SeparatingHyperplane {
  exact::Vector w;
  mpq_class b;
};

struct GordanSearch {
  std::optional<exact::FarkasCertificate> certificate;  // not separable: verified (farkas_violation)
  std::optional<SeparatingHyperplane> separating;       // separable: verified exactly
  double lp_seconds = 0, exact_seconds = 0;
  std::size_t iterations = 0;   // the simplex's
  std::size_t working_set = 0;  // the points of S whose columns the LP ended with (sifting)
  std::string hint;             // the LP whose answer held: "simplex, sifting" or "interior point"
};

// The LP  min sum_r (p_r + q_r)  s.t.  sum_i lambda_i y_i (x_i, 1) + p - q = 0, sum_i lambda_i = 1,
// lambda, p, q >= 0, by CLP's simplex on a working set of points that grows by pricing
// (sifting: 4 (d + 2) points, those of `first` and evenly spaced ones after them, then at most
// 2 (d + 2) more a round), its vertex
// refined against the exact residual (iterative refinement). Optimum 0: its basic lambda,
// projected exactly onto the equalities on its support, is a Farkas certificate. Otherwise its
// dual is a separating hyperplane. When that vertex fails exactly, the same LP on every point
// of S; then the interior point's lambda (a subset of 4 (d + 2) points, then S), projected the
// same way. Neither (every float answer fails exactly, or max_seconds passes): both empty,
// undecided.
GordanSearch gordan_by_lp(const exact::Dataset& S, double max_seconds = 0, const std::vector<std::size_t>& first = {});

// The second hint alone: CLP's interior-point method on {lambda >= 0, sum lambda_i a_i = 0,
// sum lambda = 1} stops near the analytic centre, where every lambda_i of a fat intersection is
// well inside (0, inf); projected exactly like the vertex. A verified certificate, or none.
std::optional<exact::FarkasCertificate> farkas_by_interior_point(const exact::Dataset& S, double max_seconds = 0);

// y_i(<w, x_i> + b) > 0 for every point of S, with b chosen exactly midway between the
// classes along w: the hyperplane, or none when the classes' projections overlap.
std::optional<SeparatingHyperplane> separating_along(const exact::Dataset& S, const exact::IntMatrix& w);

}  // namespace advdir::bridge
