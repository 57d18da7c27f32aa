// Linear SVMs as the paper trained them: LIBLINEAR through its C API with the settings
// of scikit-learn's LinearSVC (L2-regularised squared hinge, dual solver, one-vs-rest,
// C = 1, stopping tolerance 1e-4, bias feature 1). Models save as LIBLINEAR model files,
// which the bridge reads exactly.
#pragma once
#include "advdir/fp/images.hpp"

#include <memory>

struct model;

namespace advdir::fp {

struct SvmOptions {
  double C = 1;
  double tolerance = 1e-4;  // LinearSVC's tol; LIBLINEAR's own command-line default is 0.1
  double bias = 1;          // the bias feature's value (LIBLINEAR -B)
};

class LinearSvm {
public:
  // Trains on `train`; LIBLINEAR's coordinate order comes from rand(), seeded with `seed`
  // first so that a model is the same however many were trained before it.
  LinearSvm(const Images& train, const SvmOptions& options = {}, unsigned seed = 1);
  // A LIBLINEAR model file (as `save` writes it) for d-pixel images.
  LinearSvm(const std::string& path, std::size_t d);
  ~LinearSvm();
  LinearSvm(LinearSvm&&) noexcept;
  LinearSvm& operator=(LinearSvm&&) noexcept;

  std::size_t classes() const;
  std::size_t dim() const { return d_; }
  // The class labels, in score order (LIBLINEAR's label order: its tie-breaking order).
  const std::vector<int>& labels() const { return labels_; }
  // Score of every class for each of n rows: w_k . x + b_k (n x classes).
  void scores(const float* x, std::size_t n, float* out) const;
  int predict(const float* x) const;  // the label of the first largest score
  // Row k of W (d entries) and b_k, for one-vs-rest scores (two classes: (-w, w)).
  const std::vector<float>& weights() const { return W_; }
  const std::vector<float>& biases() const { return b_; }

  // LIBLINEAR's own save_model, written to a temporary name and renamed.
  void save(const std::string& path) const;

private:
  void read_weights();
  std::unique_ptr<::model, void (*)(::model*)> model_;
  std::size_t d_ = 0;
  std::vector<int> labels_;
  std::vector<float> W_, b_;  // classes x d, classes
};

}  // namespace advdir::fp
