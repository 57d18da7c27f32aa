// The experiment's nets evaluated exactly: every float32 weight and pixel as the dyadic
// rational it is, each layer in integers over one power of two, through FLINT's matrix
// products. ReLU and max-pooling compare integers over the same power of two, so the
// labels are those of the real numbers, not of a float32 evaluation.
#pragma once
#include "convnet_kernel.hpp"

#include <vector>

namespace advdir::torchnets {

// An affine layer x -> W x + b (out x in, row-major) of float32 weights.
struct FloatLayer {
  std::vector<float> W, b;
  std::size_t in = 0, out = 0;
};

// The first index of the largest exact score of each image (n x d, row-major): a ReLU
// after every layer but the last.
std::vector<int> exact_mlp_labels(const std::vector<FloatLayer>& layers, const float* x, std::size_t n);

// The same for the paper's convnet (conv, max-pool, ReLU twice; then fc, ReLU, fc).
std::vector<int> exact_convnet_labels(const ConvnetWeights& w, const float* x, std::size_t n);

}  // namespace advdir::torchnets
