// Non-separable data at scale: a Farkas certificate (lambda >= 0, not all 0, with
// sum lambda_i y_i (x_i, 1) = 0) from a float interior-point solve (COIN-OR CLP),
// projected and confirmed exactly.
#pragma once
#include "advdir/exact/separator.hpp"

#include <optional>

namespace advdir::bridge {

struct FarkasSearch {
  std::optional<exact::FarkasCertificate> certificate;  // verified exactly (farkas_violation)
  double lp_seconds = 0, exact_seconds = 0;
};

// The LP {lambda >= 0, sum lambda_i y_i (x_i, 1) = 0, sum lambda_i = 1} in floats by an
// interior-point method, then its solution rounded and projected exactly onto the
// equalities; kept only when it is a valid certificate. None: undecided (S may be
// separable, or the intersection of the hulls too thin for the float solution).
FarkasSearch farkas_by_lp(const exact::Dataset& S);

}  // namespace advdir::bridge
