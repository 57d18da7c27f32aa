// Section 6 (PROOFS.md): the max-margin direction -y w* need not transfer to R'. The
// paper's instance, and the general construction on any separable S: one unit per +1
// point x_i from the exact LP <u,x_i> + c >= 1, <u,x_j> + c <= 0 (x_j in S[-1]),
// <u,w*> <= 0; or, when an LP is infeasible, its Farkas certificate.
#pragma once
#include "advdir/exact/separator.hpp"
#include "advdir/exact/two_layer.hpp"

namespace advdir::exact {

// S = {((0,0),-1), ((2,1),+1), ((2,-1),+1)} and f(x) = relu(x_2 - 1/2) + relu(-x_2 - 1/2),
// a = 1/4, rule "gt" (Figure 3).
Dataset section6_data();
ReluNet section6_net();

// Why the construction fails at a +1 point x_i: x_i = sum mu_j x_j + nu w* with x_j in
// S[-1], mu >= 0, sum mu = 1, nu >= 0. Every unit <= 0 on S[-1] that does not rise along
// w* is then <= 0 at x_i too.
struct ConstructionFarkas {
  std::size_t point;
  std::vector<std::size_t> minus_points;
  Vector mu;
  mpq_class nu;
};

// A relu2 net in R'_S (every v_j = 1, a = 1/2) whose every unit has <u_j, w*> <= 0, so
// f never increases along w* and no -1 point leaves its region; or the Farkas
// certificate of the first +1 point whose LP is infeasible. Either is verified exactly.
struct Construction {
  std::optional<ReluNet> net;
  std::optional<ConstructionFarkas> infeasible;
};
Construction construct_counterexample(const Dataset& S, const MaxMarginSeparator& sep);

// The net is in R'_S and no unit rises along w*: the checks the certificate rests on.
// Throws HypothesisError naming the failing one.
void require_counterexample(const Dataset& S, const MaxMarginSeparator& sep, const ReluNet& net);

}  // namespace advdir::exact
