// The hard-margin (max-margin) separator of binary data, with its dual certificate.
//
// (w*, b*) minimises |w|^2/2 subject to y_i(<w,x_i> + b) >= 1. KKT (PROOFS.md, Lemma 3):
//   (1) w* = sum alpha_i y_i x_i, (2) sum alpha_i y_i = 0, alpha_i >= 0,
//   (3) alpha_i > 0 only where y_i(<w*,x_i> + b*) = 1, and every point has it >= 1.
// Non-separable data has a Farkas certificate instead: lambda >= 0, lambda != 0 with
//   sum lambda_i y_i x_i = 0 and sum lambda_i y_i = 0.
#pragma once
#include "advdir/exact/dataset.hpp"

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace advdir::exact {

struct MaxMarginSeparator {
  Vector w_star;
  mpq_class b_star;
  std::vector<std::size_t> support;  // indices with alpha_i > 0, increasing
  Vector alpha;                      // alpha_i of each support index (all others are 0)
  mpq_class margin_sq;               // 1/|w*|^2 = 1/sum alpha_i: the squared geometric margin

  mpq_class alpha_sum() const;
};

struct FarkasCertificate {
  std::vector<std::size_t> support;  // indices with lambda_i > 0, increasing
  Vector lambda;
};

struct SeparatorResult {
  bool separable = false;
  MaxMarginSeparator separator;  // when separable
  FarkasCertificate farkas;      // when not
  std::string method;            // how it was found, for reports
};

// z_i = y_i (X_i, 1) (numerators) for the points idx, one column a point: the rows of
// Lemma 3's system and the vectors a Farkas certificate combines.
IntMatrix signed_points(const Dataset& data, const std::vector<std::size_t>& idx);

// The columns of M that are linearly independent, earliest first: the pivot columns of its
// row echelon form modulo a 62-bit prime. Independent modulo p implies independent over Q.
std::vector<slong> independent_columns(const IntMatrix& M);

// The rows of M that are linearly independent modulo the same prime, earliest first.
std::vector<slong> independent_rows(const IntMatrix& M);

// v projected exactly onto {x : M_R x = 0} for the rows R of M: x = v - M_R^T mu with
// (M_R M_R^T) mu = M_R v, as numerators over one positive denominator; none when M_R M_R^T
// is singular. With R independent rows of M, x is in M's kernel whenever the rank modulo p
// is the rank over Q (callers check what they build from it).
std::optional<std::pair<IntMatrix, Int>> kernel_projection(const IntMatrix& M, const std::vector<slong>& R, const IntMatrix& v);

// Lemma 3 from an interior-point QP. The KKT system on an independent subset of A gives w*,
// b* (unique, where alpha is not: a subset's alpha can be negative where A's central one is
// not). `weights` (positive integers, one per point of A, proportional to a central optimal
// alpha) are then moved exactly onto the KKT equalities on the points of A on w*'s margin;
// points whose alpha comes out negative leave and the rest is solved again (a few rounds).
// Returns the separator only when KKT (1)-(3) hold exactly.
std::optional<MaxMarginSeparator> confirm_central(const Dataset& data, std::vector<std::size_t> A, IntMatrix weights);

// The reason the claimed separator violates KKT (1)-(3), or nothing when it is exact.
std::optional<std::string> kkt_violation(const Dataset& data, const MaxMarginSeparator& sep);
std::optional<std::string> farkas_violation(const Dataset& data, const FarkasCertificate& cert);

struct ConfirmOptions {
  int max_rounds = 40;  // active-set repairs before giving up
  // Give up when a round's solution violates more points than this: a repair would replace
  // the whole system, as far from w* as the last (Fashion-MNIST pairs far from a support
  // after SMO's first stage: 3,535 to 5,949 points violated in each of three rounds; the
  // separable ones confirmed there: 0 to 2).
  std::size_t max_violated = std::numeric_limits<std::size_t>::max();
  // Looked at before each round after the first: true gives up (a caller's time limit).
  std::function<bool()> stop;
};

struct ConfirmStats {
  int rounds = 0;
  std::size_t system_size = 0;  // size of the last exact KKT system
};

// Exact active-set confirmation. `candidates` lists likely support indices, most
// likely first (e.g. by decreasing alpha from any solver). Picks a subset whose
// rows y_i(x_i, 1) are independent (rank modulo a prime, so singular systems are
// never handed to the exact solver), solves the KKT equalities exactly (FLINT,
// Dixon lifting), and repairs the set from negative alphas and violated points.
// Returns the separator only when KKT (1)-(3) hold exactly.
std::optional<MaxMarginSeparator> confirm_max_margin(const Dataset& data, std::vector<std::size_t> candidates,
                                                     const ConfirmOptions& options = {},
                                                     ConfirmStats* stats = nullptr);

// CGAL's exact QP solver on the dual: the oracle of the tests and the fallback for
// small instances. Returns the separator, or the Farkas certificate read off the
// dual's unbounded direction.
SeparatorResult cgal_max_margin(const Dataset& data);

// Constraint generation: CGAL's exact dual on a subset of S (starting from
// `candidates`), grown by the points the subset's separator violates until none
// does. A separator of the subset that all of S satisfies is S's max-margin
// separator (same KKT multipliers); a subset that is not separable gives a Farkas
// certificate for S. Either answer is proved: KKT (1)-(3) or Farkas on the subset by
// cgal_max_margin, and y_i(<w*,x_i> + b*) >= 1 for every point of S here. Nothing
// when the subset would exceed `max_points`, or when `stop` (a time budget) says so
// before a round: a CGAL solve, once started, runs to its end.
std::optional<SeparatorResult> cgal_constraint_generation(const Dataset& data, std::vector<std::size_t> candidates,
                                                          std::size_t max_points,
                                                          const std::function<bool()>& stop = [] { return false; });

}  // namespace advdir::exact
