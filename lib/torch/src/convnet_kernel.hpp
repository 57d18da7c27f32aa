// The paper's convnet (PyTorch's MNIST example, in evaluation mode) computed directly:
// scores, and the cross-entropy with its input gradient, sixteen images at a time with
// the images in the vector lanes, so every multiply-add is a full vector operation. The
// transfer experiment's cost is almost all convnet forward and backward passes on small
// batches, where libtorch's convolutions run far below the machine's float speed.
#pragma once
#include <torch/torch.h>

#include <array>
#include <cstddef>

namespace advdir::torchnets {

struct ConvnetWeights {
  std::array<float, 250> w1;     // conv 1 -> 10, k5: [c][ky][kx]
  std::array<float, 10> b1;
  std::array<float, 5000> w2;    // conv 10 -> 20, k5: [co][ci][ky][kx]
  std::array<float, 20> b2;
  std::array<float, 16000> f1;   // fc 320 -> 50: [j][co * 16 + y * 4 + x]
  std::array<float, 50> g1;
  std::array<float, 500> f2;     // fc 50 -> 10
  std::array<float, 10> g2;
};

// The weights of a convnet built by nets.cpp (its layers 1, 4, 9 and 12).
ConvnetWeights convnet_weights(torch::nn::Sequential& net);

// scores: n x 10 (the logits; dropout is the identity in evaluation).
void convnet_scores(const ConvnetWeights& w, const float* x, std::size_t n, float* scores);

// loss[i] = -log softmax(scores)[y[i]], and its gradient in x (n x 784) when grad is not null.
// At a max-pool tie the first maximum in row order takes the gradient, as in PyTorch.
void convnet_loss(const ConvnetWeights& w, const float* x, const int* y, std::size_t n, float* loss, float* grad);

}  // namespace advdir::torchnets
