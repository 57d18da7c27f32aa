// What the libtorch nets share.
#pragma once
#include "advdir/exact/relu.hpp"
#include "advdir/fp/images.hpp"

#include <torch/torch.h>

#include <mutex>

namespace advdir::torchnets {

// x -> W x + b with W (out x in) and b (out) float32 tensors, every weight as the rational
// it is; NaN and infinities are fp::DataErrors.
exact::Layer exact_layer(const torch::Tensor& W, const torch::Tensor& b);

// libtorch draws initial weights and dropout masks from one process-wide generator: one
// seeded construction or training at a time, so that the seed alone decides the net even
// when threads train nets side by side.
std::mutex& torch_generator();

}  // namespace advdir::torchnets
