// Binary two-layer nets of the paper's class R' (Section 5): f(x) = v . relu(Wx + b) with
// every v_j >= 0 and h(x) = +1 iff f(x) > a, a > 0. Trained with libtorch, returned exactly
// as a relu2 net (every float32 weight as the rational it is) for Theorems 11, 15 and
// Corollary 17.
#pragma once
#include "advdir/exact/relu.hpp"
#include "advdir/fp/images.hpp"

#include <cstdint>

namespace advdir::torchnets {

struct RPrimeOptions {
  int hidden = 32;
  int epochs = 200;  // at most: past the first half (a leaky ReLU straightening into the
                     // ReLU), training stops once every point has margin >= 1/2
  int batch = 64;
  double lr = 1e-3;  // Adam
  std::uint64_t seed = 1;
};

// `data`: labels +1 / -1, any dimension. The threshold is fixed at a = 1 (R' asks a > 0);
// the loss is the logistic loss of f(x) - a, and v is projected onto v >= 0 after every
// step (Lemma 14 rests on it). The net is not promised to be S-accurate: the certifiers
// check that exactly.
exact::ReluNet train_r_prime(const fp::Images& data, const RPrimeOptions& options);

}  // namespace advdir::torchnets
