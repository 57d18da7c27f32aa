// The direction v = x_beta - x_alpha of Theorems 11, 15, 16 and Corollary 17, and
// Theorem 11 itself for every net whose region of one label has a convexity certificate.
#pragma once
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/region.hpp"

#include <optional>

namespace advdir::exact {

struct PointPair {
  std::size_t alpha, beta;  // x_alpha in S[alpha_label], x_beta in S[-alpha_label]
};

// x_alpha: `alpha`, or the first point labelled alpha_label; x_beta: `beta`, or the point
// of the other label nearest to x_alpha. A given index with the wrong label is refused
// (InputError naming --alpha or --beta).
PointPair pick_pair(const Dataset& S, int alpha_label, std::optional<std::size_t> alpha, std::optional<std::size_t> beta);
Vector direction(const Dataset& S, const PointPair& p);  // x_beta - x_alpha

// HypothesisError naming the first point of S that the net misclassifies; InputError
// when the dimensions differ.
void require_accurate(const Dataset& S, const ReluNet& net);

// Theorem 11: h classifies S correctly and h^-1(alpha) is convex (Lemma 13, 14 or R'');
// then v = x_beta - x_alpha is adversarial at every x with h(x) = alpha. Certified here at
// every point of S[alpha], each with its exact exit and the pieces the checker needs.
struct Theorem11Point {
  std::size_t point;
  NetRay ray;
  std::vector<RayPiece> pieces;
};

struct Theorem11 {
  Convexity region;
  PointPair pair;
  std::vector<Theorem11Point> points;
};

// `label`: the convex region to use (default: the first certified one). A net with no
// convexity certificate is refused with HypothesisError saying which hypothesis fails.
Theorem11 certify_theorem11(const Dataset& S, const ReluNet& net, std::optional<int> label, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta);

}  // namespace advdir::exact
