#include "advdir/fp/linear_svm.hpp"

#include <linear.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace advdir::fp {
namespace {

void destroy(::model* m) {
  if (m) free_and_destroy_model(&m);
}

void quiet(const char*) {}

// LIBLINEAR's sparse rows: the nonzero pixels (1-based), the bias feature, then -1.
struct Problem {
  std::vector<std::vector<feature_node>> rows;
  std::vector<feature_node*> x;
  std::vector<double> y;
  problem prob{};

  Problem(const Images& data, double bias) {
    for (std::size_t i = 0; i < data.n; ++i) {
      rows.emplace_back();
      for (std::size_t j = 0; j < data.d; ++j)
        if (data.row(i)[j] != 0) rows.back().push_back({int(j + 1), double(data.row(i)[j])});
      if (bias >= 0) rows.back().push_back({int(data.d + 1), bias});
      rows.back().push_back({-1, 0});
      y.push_back(data.y[i]);
    }
    for (auto& r : rows) x.push_back(r.data());
    prob.l = int(data.n);
    prob.n = int(data.d) + (bias >= 0 ? 1 : 0);
    prob.y = y.data();
    prob.x = x.data();
    prob.bias = bias;
  }
};

}  // namespace

LinearSvm::LinearSvm(const Images& train, const SvmOptions& options, unsigned seed) : model_(nullptr, destroy), d_(train.d) {
  if (train.n == 0) throw DataError("training set: no points");
  Problem p(train, options.bias);
  parameter param{};
  param.solver_type = L2R_L2LOSS_SVC_DUAL;
  param.C = options.C;
  param.eps = options.tolerance;
  if (const char* why = check_parameter(&p.prob, &param)) throw DataError(std::string("LIBLINEAR: ") + why);
  set_print_string_function(quiet);
  {
    // LIBLINEAR shuffles with the process-wide rand(): one training at a time, so that
    // the seed alone decides the model even when threads train SVMs side by side.
    static std::mutex liblinear_rand;
    const std::lock_guard<std::mutex> lock(liblinear_rand);
    std::srand(seed);
    model_.reset(::train(&p.prob, &param));
  }
  read_weights();
}

LinearSvm::LinearSvm(const std::string& path, std::size_t d) : model_(load_model(path.c_str()), destroy), d_(d) {
  if (!model_) throw DataError(path + ": not a LIBLINEAR model file");
  read_weights();
}

// LIBLINEAR keeps w as (features + bias) x columns, one column per class (one for two).
void LinearSvm::read_weights() {
  const int k = get_nr_class(model_.get());
  labels_.resize(std::size_t(k));
  get_labels(model_.get(), labels_.data());
  const std::size_t cols = k == 2 ? 1 : std::size_t(k), features = std::size_t(get_nr_feature(model_.get()));
  const double bias = model_->bias;
  auto w = [&](std::size_t j, std::size_t c) { return model_->w[j * cols + c]; };
  for (std::size_t c = 0; c < std::size_t(k); ++c) {
    const double sign = k == 2 ? (c == 0 ? 1 : -1) : 1;
    const std::size_t col = k == 2 ? 0 : c;
    for (std::size_t j = 0; j < d_; ++j) W_.push_back(j < features ? float(sign * w(j, col)) : 0.0f);
    b_.push_back(bias >= 0 ? float(sign * w(features, col) * bias) : 0.0f);
  }
}

LinearSvm::~LinearSvm() = default;
LinearSvm::LinearSvm(LinearSvm&&) noexcept = default;
LinearSvm& LinearSvm::operator=(LinearSvm&&) noexcept = default;

std::size_t LinearSvm::classes() const { return labels_.size(); }

void LinearSvm::scores(const float* x, std::size_t n, float* out) const {
  const std::size_t k = classes();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c) {
      const float* w = W_.data() + c * d_;
      const float* xi = x + i * d_;
      float s = b_[c];
#pragma omp simd reduction(+ : s)
      for (std::size_t j = 0; j < d_; ++j) s += w[j] * xi[j];
      out[i * k + c] = s;
    }
}

int LinearSvm::predict(const float* x) const {
  std::vector<float> s(classes());
  scores(x, 1, s.data());
  std::size_t best = 0;
  for (std::size_t c = 1; c < s.size(); ++c)
    if (s[c] > s[best]) best = c;
  return labels_[best];
}

void LinearSvm::save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  if (save_model(tmp.c_str(), model_.get()) != 0) throw DataError(path + ": cannot write the model");
  std::filesystem::rename(tmp, path);
}

}  // namespace advdir::fp
