// Gordan's alternative at scale (issue 19): Fashion-MNIST training pairs through the simplex
// LP (COIN-OR CLP's simplex on a working set grown by pricing, "LP on" points at the end,
// refined, then the exact vertex solve or the exact check of the separating hyperplane), and
// for separable pairs the max-margin QP (CLP's barrier on a
// working set) with its exact confirmation, with times.
// Usage: bench_farkas [K L ...]   (pairs of classes, L may be rest; default 0 6, 2 4, 4 6, 0 3, 0 4)
#include "advdir/bridge/gordan_lp.hpp"
#include "advdir/bridge/margin_qp.hpp"
#include "advdir/exact/dataset.hpp"

#include <chrono>
#include <cstdio>
#include <string>

using namespace advdir;

int main(int argc, char** argv) {
  std::vector<std::pair<int, int>> pairs;
  auto cls = [](const std::string& a) { return a == "rest" ? exact::rest : std::stoi(a); };
  for (int k = 1; k + 1 < argc; k += 2) pairs.emplace_back(std::stoi(argv[k]), cls(argv[k + 1]));
  if (pairs.empty()) pairs = {{0, 6}, {2, 4}, {4, 6}, {0, 3}, {0, 4}};
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
  spec.labels = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";
  std::printf("%8s %7s %7s %10s %12s %8s %10s %8s %10s %s\n", "pair", "points", "LP on", "LP (s)", "exact (s)", "iters", "support", "QP (s)", "confirm (s)",
              "answer");
  for (auto [k, l] : pairs) {
    spec.pair = {k, l};
    const exact::Dataset S = exact::load_dataset(spec);
    const bridge::GordanSearch r = bridge::gordan_by_lp(S);
    double qp_seconds = 0, confirm_seconds = 0;
    std::optional<exact::MaxMarginSeparator> sep;
    if (r.separating) {
      const auto t0 = std::chrono::steady_clock::now();
      const bridge::MarginHint hint = bridge::margin_support_by_qp(S, *r.separating);
      const auto t1 = std::chrono::steady_clock::now();
      if (!hint.support.empty()) sep = exact::confirm_central(S, hint.support, hint.weights);
      qp_seconds = std::chrono::duration<double>(t1 - t0).count();
      confirm_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    }
    std::printf("%3d,%-4s %7zu %7zu %10.2f %12.2f %8zu %10zu %8.2f %10.2f %s\n", k, l == exact::rest ? "rest" : std::to_string(l).c_str(), S.size(), r.working_set, r.lp_seconds, r.exact_seconds, r.iterations,
                r.certificate ? r.certificate->support.size() : sep ? sep->support.size() : 0, qp_seconds, confirm_seconds,
                r.certificate ? "not separable (Farkas, verified)"
                : sep         ? ("separable, max margin verified, margin_sq ~" + std::to_string(sep->margin_sq.get_d())).c_str()
                : r.separating ? "separable (hyperplane, verified)"
                               : "undecided");
    std::fflush(stdout);
  }
}
