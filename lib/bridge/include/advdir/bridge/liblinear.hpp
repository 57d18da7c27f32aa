// LIBLINEAR model files read exactly: every weight becomes the double it denotes,
// as the dyadic rational that double is (DESIGN.md, Formats); NaN and infinite
// weights, unknown header lines and truncated weight tables are refused. LIBLINEAR
// stores nr_feature = the largest feature index it saw and ignores any beyond it:
// `dim` > nr_feature pads the weights with zeros, as LIBLINEAR predicts (0: no padding).
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/multiclass.hpp"

namespace advdir::bridge {

// Any classification model: one row per label, in the file's label order, which is
// also LIBLINEAR's tie-breaking order. A two-class model w becomes rows (-w, w) for
// (label[1], label[0]), so that w.x + b = 0 goes to label[1] as in LIBLINEAR.
exact::MulticlassModel read_liblinear_multiclass(const std::string& path, std::size_t dim = 0);

// A two-class model on labels +1/-1 as h(x) = +1 iff <w,x> + b > 0. When the file
// lists -1 first, (w, b) is negated; LIBLINEAR then differs from h only on the
// hyperplane itself, where advdir's certifiers never claim accuracy.
exact::LinearModel read_liblinear_binary(const std::string& path, std::size_t dim = 0);

}  // namespace advdir::bridge
