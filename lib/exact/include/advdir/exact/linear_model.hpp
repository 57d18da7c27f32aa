// Binary linear classifiers h(x) = +1 iff <w,x> + b > 0, else -1 (PROOFS.md, Conventions).
#pragma once
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/json_io.hpp"

namespace advdir::exact {

struct LinearModel {
  Vector w;
  mpq_class b;

  mpq_class score(const Vector& x) const { return dot(w, x) + b; }
  int label(const Vector& x) const { return score(x) > 0 ? 1 : -1; }
};

// {"kind": "linear", "w": [...], "b": "..."}
LinearModel linear_model_from_json(const json& j, const std::string& source);
LinearModel read_linear_model(const std::string& path);
json to_json(const LinearModel& h);

// Scores as integers over one positive denominator: compare and sort them without
// reducing a single fraction.
struct ScaledScores {
  IntMatrix num;  // n x K
  mpz_class den;
};

// <w_m, x_i> + b_m = num(i, m) / den for every point and every row m of (W, b).
ScaledScores affine_scores(const Dataset& data, const std::vector<Vector>& W, const Vector& b);

// y_i (<w,x_i> + b) = num(i, 0) / den for every point of S.
ScaledScores scaled_scores(const Dataset& data, const LinearModel& h);

// The same margins as reduced rationals.
Vector signed_scores(const Dataset& data, const LinearModel& h);

}  // namespace advdir::exact
