// Theorem 15 in the quantitative form of PROOFS.md: a two-layer net of R' (relu2, every
// v_j >= 0, so its -1 region is convex by Lemma 14) and the direction x_beta - x_alpha.
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/relu.hpp"
#include "advdir/exact/separator.hpp"

#include <optional>

namespace advdir::exact {

struct Theorem15Point {
  std::size_t point;        // a -1 point x of S
  mpq_class K;              // sum_j v_j |<u_j, x - x_alpha>|
  mpq_class c_bound;        // max(1, (a - f(x_alpha) + K) / D): h(x + c v) = +1 past it
  mpq_class c_exit;         // the exact first exit, <= c_bound
  bool differs_at_exit;
};

struct Theorem15 {
  std::size_t alpha, beta;  // x_alpha in S[-1], x_beta in S[+1]
  mpq_class D;              // f(x_beta) - f(x_alpha) > 0
  std::vector<Theorem15Point> points;  // every -1 point of S, in order
  // With a test set T: every x of T labelled -1 that h labels -1 (the theorem holds at any
  // x with h(x) = -1), in order, and those h labels +1, which it does not cover.
  std::vector<Theorem15Point> test_points;
  std::vector<std::size_t> test_misclassified;
};

// Lemma 14's certificate: the first unit with v_j < 0, if any (then the net is not in R').
std::optional<std::size_t> negative_output_weight(const ReluNet& net);

// Refuses (HypothesisError) a net outside R' or one that misclassifies S. With alpha and
// beta not given, the pair with the least largest c_bound over S[-1] is kept (the first).
Theorem15 certify_theorem15(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta, const Dataset* test = nullptr);

// Section 6 in practice: the points of t (S's -1 points, then the test points) along
// -y w* = w*, w* the max-margin separator of S. An exit is not promised: the -1 region of
// an R' net is convex and may contain the whole ray.
struct MaxMarginRays {
  MaxMarginSeparator sep;
  std::vector<NetRay> rays;
};
MaxMarginRays max_margin_rays(const Dataset& S, const Dataset* test, const ReluNet& net, const Theorem15& t,
                              MaxMarginSeparator sep);

// Corollary 17: one direction v = x_beta - x_alpha for linear classifiers and R' nets
// together, each classifying S correctly. A linear h has <w,v> > 0 and leaves -1 exactly
// past c_exit = -(<w,x> + b) / <w,v>; a net gets Theorem 15 with the same pair.
struct LinearExits {
  LinearModel h;
  mpq_class slope;  // <w, v>
  Vector c_exit;    // per -1 point of S, in order
};

struct Corollary17 {
  std::size_t alpha, beta;
  std::vector<LinearExits> linear;
  std::vector<Theorem15> nets;
};

// With no alpha/beta given: x_alpha is the first -1 point, x_beta the +1 point nearest to it.
Corollary17 certify_corollary17(const Dataset& S, const std::vector<LinearModel>& linear, const std::vector<ReluNet>& nets,
                                std::optional<std::size_t> alpha, std::optional<std::size_t> beta);

}  // namespace advdir::exact
