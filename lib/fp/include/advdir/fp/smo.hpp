// Hard-margin SVM dual in float arithmetic: SMO with second-order working-set
// selection (Fan, Chen and Lin, JMLR 2005, as in LIBSVM) and an LRU cache of
// kernel rows. Untrusted: its output is a hint that the exact layer confirms.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace advdir::fp {

// Points row-major (n x d), labels +1/-1.
struct DenseData {
  std::size_t n = 0, d = 0;
  std::vector<float> x;
  std::vector<int> y;
};

struct SmoOptions {
  double tolerance = 1e-6;          // stop when the maximal KKT violation is below this
  std::size_t max_iterations = 0;   // 0: 200 n, at least 10^6
  std::size_t cache_bytes = std::size_t(1) << 30;
  double divergence = 1e12;         // sum alpha beyond this: the data is taken as not separable
};

struct SmoResult {
  std::vector<double> alpha;
  double b = 0;
  bool converged = false;
  bool diverged = false;
  std::size_t iterations = 0;
  std::size_t kernel_rows = 0;  // rows computed (cache misses)

  // Indices likely to be support vectors, most likely first: alpha > 0 by
  // decreasing alpha, then points within `near` of the margin by increasing slack.
  std::vector<std::size_t> candidates(const DenseData& data, double near = 1e-3) const;
};

// A resumable solve: run() continues from where the last call stopped, so a caller
// can try its answer early and ask for more iterations only when it needs them.
class HardMarginSmo {
public:
  HardMarginSmo(const DenseData& data, const SmoOptions& options = {});
  ~HardMarginSmo();
  // Runs until convergence, divergence, or `iterations` more steps.
  const SmoResult& run(std::size_t iterations);
  const SmoResult& result() const { return result_; }
  bool finished() const;  // converged, diverged, or out of max_iterations
  // Frees the cached kernel rows (up to cache_bytes), for a caller that turns to another
  // solver for a while; a later run() computes the rows it needs again.
  void release_cache();

private:
  struct State;
  std::unique_ptr<State> state_;
  SmoResult result_;
};

}  // namespace advdir::fp
