// Theorems 4, 5 and Corollary 6: -y w* is adversarial for every S-accurate linear h.
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/separator.hpp"

namespace advdir::exact {

// What the theorems say about one S-accurate classifier h = (w, b).
struct ClassifierTransfer {
  LinearModel h;
  Vector margins;            // m_i = y_i(<w,x_i> + b) > 0
  mpq_class inner;           // <w,w*> = sum alpha_i m_i > 0 (Theorem 4)
  Vector c_exit;             // m_i / <w,w*>: h(x_i - c y_i w*) != y_i exactly for c > c_exit
  mpq_class gamma_h;         // min_i m_i, h's margin up to the scale of (w, b)
  std::size_t least_margin;  // first i with m_i = gamma_h
  Vector bound;              // Theorem 5: m_i / (gamma_h sum alpha), never below c_exit
};

// A classifier that misclassifies (or puts on its boundary) the listed points of S. Beyond
// the theorem, exactly: <w,w*> (still sum alpha_i m_i), and when it is > 0, -y w* flips
// every point h classifies correctly, past c_exit = m_i / <w,w*> (those points, in order).
struct NotAccurate {
  std::size_t classifier;
  std::vector<std::size_t> offending;
  mpq_class inner;
  Vector c_exit;
};

struct TransferReport {
  std::vector<ClassifierTransfer> certified;
  std::vector<NotAccurate> rejected;
};

// Theorem 4 with Theorem 5's bound and Corollary 6's least-margin point for each classifier.
TransferReport certify_linear_transfer(const Dataset& data, const MaxMarginSeparator& sep,
                                       const std::vector<LinearModel>& classifiers);

// The exit point of a linear h along x + c v (c > 0): the first c whose label differs.
struct LinearRay {
  int label_before;
  bool adversarial;
  mpq_class c_exit;            // when adversarial
  bool differs_at_exit;        // h(x + c_exit v) != h(x) already
  mpq_class score, slope;      // <w,x> + b and <w,v>: the witness either way
};
LinearRay linear_ray(const LinearModel& h, const Vector& x, const Vector& v);

}  // namespace advdir::exact
