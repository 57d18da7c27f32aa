// The max-margin separator's support at scale, as a float hint for the exact KKT
// confirmation: Lemma 3's dual as a QP (COIN-OR CLP's barrier) on a working set of points,
// grown by the points its separator violates.
#pragma once
#include "advdir/bridge/gordan_lp.hpp"

#include <vector>

namespace advdir::bridge {

// min 1/2 |w|^2 - sum_i alpha_i  s.t.  w = sum_i alpha_i y_i x_i, sum_i alpha_i y_i = 0,
// alpha >= 0 (the hard-margin dual with w as variables) on a working set: first the
// 3 (d + 1) / 2 points of each class nearest the separating hyperplane `near`; then, while
// the working set's separator violates points of S (in floats), the d + 1 most violated
// join. The hint is the working set's points whose alpha_i is above 10^-6 of the largest,
// by decreasing alpha, with alpha as integers (2^40 alpha_i / max alpha) for
// exact::confirm_central; empty when the barrier does not converge within max_seconds
// (0: no limit).
struct MarginHint {
  std::vector<std::size_t> support;
  exact::IntMatrix weights;  // support.size() x 1
};
MarginHint margin_support_by_qp(const exact::Dataset& S, const SeparatingHyperplane& near, double max_seconds = 0);

}  // namespace advdir::bridge
