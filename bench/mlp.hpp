// The benchmarks' MNIST-sized MLPs: He-initialised float32 weights read exactly, and the
// same net in doubles (bench_relu, bench_vnnlib).
#pragma once
#include "advdir/exact/relu.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace advdir::bench {

// He-initialised float32 weights, each taken as the exact rational the float is.
inline exact::ReluNet random_mlp(const std::vector<std::size_t>& widths, std::mt19937& rng) {
  exact::ReluNet net;
  for (std::size_t L = 1; L < widths.size(); ++L) {
    std::normal_distribution<float> w(0.0f, std::sqrt(2.0f / float(widths[L - 1])));
    exact::Layer layer;
    for (std::size_t r = 0; r < widths[L]; ++r) {
      exact::Vector row;
      for (std::size_t c = 0; c < widths[L - 1]; ++c) row.emplace_back(double(w(rng)));
      layer.W.push_back(std::move(row));
      layer.b.emplace_back(double(w(rng) * 0.1f));
    }
    net.layers.push_back(std::move(layer));
  }
  net.kind = "mlp";
  net.decision = exact::Decision::argmax;
  return net;
}

// The same net's weights as doubles, and its outputs at x in float64.
struct DoubleNet {
  std::vector<std::vector<std::vector<double>>> W;
  std::vector<std::vector<double>> b;
  explicit DoubleNet(const exact::ReluNet& net) {
    for (const auto& l : net.layers) {
      W.emplace_back();
      for (const auto& row : l.W) {
        W.back().emplace_back();
        for (const auto& q : row) W.back().back().push_back(q.get_d());
      }
      b.emplace_back();
      for (const auto& q : l.b) b.back().push_back(q.get_d());
    }
  }
  std::vector<double> outputs(std::vector<double> x) const {
    for (std::size_t L = 0; L < W.size(); ++L) {
      std::vector<double> z(W[L].size());
      for (std::size_t r = 0; r < W[L].size(); ++r) {
        double s = b[L][r];
        for (std::size_t c = 0; c < x.size(); ++c) s += W[L][r][c] * x[c];
        z[r] = L + 1 < W.size() ? std::max(0.0, s) : s;
      }
      x = std::move(z);
    }
    return x;
  }
};

}  // namespace advdir::bench
