// Theorem 16 (PROOFS.md): a net of R'' (+1 iff every unit l_j(x) = <u_j,x> + c_j is
// positive) and the direction v = x_beta - x_alpha from a +1 point to a -1 point of S.
#pragma once
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/relu.hpp"

#include <optional>

namespace advdir::exact {

struct PolyhedralExit {
  std::size_t point;   // index in S of a +1 point
  std::size_t unit;    // j0: the first unit with <u_j,v> < 0 that vanishes first
  mpq_class c_exit;    // l_j0(x) / -<u_j0, v>: h(x + c v) = +1 exactly for c < c_exit
};

struct Theorem16 {
  std::size_t alpha, beta;            // x_alpha in S[+1], x_beta in S[-1]
  std::vector<PolyhedralExit> exits;  // every +1 point of S, in order
};

// The net must be a relu_and net classifying S correctly (else HypothesisError naming
// the first point it gets wrong). With no alpha/beta given: x_alpha is the first +1 point
// and x_beta the -1 point nearest to it.
Theorem16 certify_theorem16(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta);

}  // namespace advdir::exact
