// Theorems 7 and 9 (PROOFS.md, "Soft margin"): classifiers h_j trained on S_j; S is the
// set of points of the S_j that every h_j classifies correctly, so Theorem 4 (Theorem 8
// for a pair of classes) applies on S.
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/multiclass.hpp"

#include <utility>

namespace advdir::exact {

struct CommonSubset {
  Dataset S;                                               // in order: S_1's points, then S_2's, ...
  std::vector<std::pair<std::size_t, std::size_t>> origin; // (j, i): point i of S_j
  std::vector<std::size_t> in_set;                         // |S cap S_j|
};

// The points with y(<w,x> + b) > 0 for every classifier (>= 1 with `confident`, A3's
// margin). A -1 point exactly on a hyperplane is left out: Theorem 4's certificate
// asks every margin to be positive.
CommonSubset common_correct(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs, bool confident);

// The exact quantities of Theorem 7's bound: rho_j (A3: the share of S_j with
// y(<w_j,x> + b_j) < 1, h_j trained on S_j), |w_j|^2 (A1) and max |x|^2 over all S_j.
struct SoftMarginStats {
  std::vector<mpq_class> rho, w_norm_sq;
  mpq_class R_sq;
};
SoftMarginStats soft_margin_stats(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs);

// Theorem 9 for the classes k (+1 in S) and l (-1): the points of S_j[k,l] that every
// argmax classifier labels correctly without a k-l tie (with |z_k - z_l| > 1 when
// `confident`, B3's margin).
CommonSubset common_correct_pair(const std::vector<Dataset>& sets, const std::vector<MulticlassModel>& hs, int k, int l,
                                 bool confident);

// Theorem 9's exact inputs: rho_j (B3: the share of S_j[k,l] that h_j gets wrong, ties, or
// separates by |z_k - z_l| <= 1), max_i |w_i^(j)|^2 over all rows and classifiers (B1),
// max |x|^2 and n_j = |S_j[k,l]|.
struct PairStats {
  std::vector<mpq_class> rho;
  std::vector<std::size_t> n;
  mpq_class B_sq, R_sq;
};
PairStats pair_stats(const std::vector<Dataset>& sets, const std::vector<MulticlassModel>& hs, int k, int l);

}  // namespace advdir::exact
