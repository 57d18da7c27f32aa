// Multi-class linear classifiers argmax(Wx + b) and Theorem 8 (PROOFS.md, "Multi-class").
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/separator.hpp"

#include <optional>

namespace advdir::exact {

// h(x) = classes[r] for the first row r among the maximal entries of Wx + b
// (PROOFS.md, Conventions). classes[r] = r in the JSON format; a LIBLINEAR
// file keeps its own label order, which is also its tie-breaking order.
struct MulticlassModel {
  std::vector<Vector> W;
  Vector b;
  std::vector<int> classes;

  std::optional<std::size_t> row_of_class(int k) const;
  int label(const Vector& x) const;
};

// {"kind": "multiclass", "W": [[...]], "b": [...]} (optionally "classes": [...]).
MulticlassModel multiclass_model_from_json(const json& j, const std::string& source);
json to_json(const MulticlassModel& h);

// The first row among the largest of n scores num[0..n) (one common denominator).
std::size_t argmax_row(const fmpz* num, std::size_t n);

// Along z + c s (c >= 0), from the winning row r of z: the first c at which the label leaves r.
struct ArgmaxExit {
  bool leaves = false;
  mpq_class c_exit;             // z's denominator included: the exit in units of c
  bool differs_at_exit = false; // a lower row ties r at c_exit and wins there
  std::size_t row_after = 0;    // the winning row just past c_exit
};
ArgmaxExit argmax_exit(const std::vector<mpz_class>& z, const mpz_class& den, std::size_t r, const Vector& slope);

// Theorem 8 for one classifier on S[k] (+1) and S[l] (-1) with the max-margin
// separator (w*, b*) of the pair.
struct PairTransfer {
  std::size_t classifier;
  mpq_class inner;            // <w_k - w_l, w*> > 0 (Theorem 4 on the pair)
  Vector c_pair;              // y(z_k - z_l)(x) / inner: past it the label is not y's class
  Vector c_exit;              // the exact first exit along -y w*, <= c_pair
  std::vector<int> to;        // the label just past c_exit
  std::vector<bool> differs_at_exit;
};

// Points of the pair a classifier gets wrong, or ties between k and l where the
// smaller row wins for a point of the other class (PROOFS.md: hypothesis unmet).
struct PairRejection {
  std::size_t classifier;
  std::vector<std::size_t> wrong, tied;
};

struct PairReport {
  int k, l;
  std::vector<PairTransfer> certified;
  std::vector<PairRejection> rejected;
};

// `pair` holds the points of S[k] (label +1) and S[l] (label -1); `sep` is its separator.
PairReport certify_pair_transfer(const Dataset& pair, int k, int l, const MaxMarginSeparator& sep,
                                 const std::vector<MulticlassModel>& classifiers);

}  // namespace advdir::exact
