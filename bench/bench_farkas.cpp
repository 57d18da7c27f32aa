// Gordan's alternative at scale (issue 19): Fashion-MNIST training pairs through the simplex
// LP (COIN-OR CLP's dual simplex, then the exact vertex solve or the exact check of
// the separating hyperplane), with times.
// Usage: bench_farkas [K L ...]   (pairs of classes; default 0 6, 2 4, 4 6, 0 3, 0 4)
#include "advdir/bridge/gordan_lp.hpp"
#include "advdir/exact/dataset.hpp"

#include <chrono>
#include <cstdio>
#include <string>

using namespace advdir;

int main(int argc, char** argv) {
  std::vector<std::pair<int, int>> pairs;
  for (int k = 1; k + 1 < argc; k += 2) pairs.emplace_back(std::stoi(argv[k]), std::stoi(argv[k + 1]));
  if (pairs.empty()) pairs = {{0, 6}, {2, 4}, {4, 6}, {0, 3}, {0, 4}};
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
  spec.labels = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";
  std::printf("%6s %7s %10s %12s %8s %10s %s\n", "pair", "points", "LP (s)", "exact (s)", "iters", "support", "answer");
  for (auto [k, l] : pairs) {
    spec.pair = {k, l};
    const exact::Dataset S = exact::load_dataset(spec);
    const bridge::GordanSearch r = bridge::gordan_by_lp(S);
    std::printf("%3d,%-2d %7zu %10.2f %12.2f %8zu %10zu %s\n", k, l, S.size(), r.lp_seconds, r.exact_seconds, r.iterations,
                r.certificate ? r.certificate->support.size() : 0,
                r.certificate ? "not separable (Farkas, verified)" : r.separating ? "separable (hyperplane, verified)" : "undecided");
    std::fflush(stdout);
  }
}
