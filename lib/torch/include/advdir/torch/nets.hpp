// Neural networks of the transfer experiment, with libtorch: the PyTorch MNIST example's
// convnet that the paper used, a ReLU MLP, and a two-layer net with non-negative output
// weights (the paper's R'). Training is seeded and reproducible; models save with
// torch::save. The nets are attackable: their loss is the cross-entropy of the example.
#pragma once
#include "advdir/exact/graph.hpp"
#include "advdir/fp/attack.hpp"

#include <torch/torch.h>

namespace advdir::torchnets {

struct ConvnetWeights;

enum class Arch { convnet, mlp, two_layer };
Arch arch_from_name(const std::string& name);  // convnet | mlp | two_layer
const char* arch_name(Arch a);

struct TrainOptions {
  int epochs = 20;
  int batch = 64;
  double lr = 0.01, momentum = 0.5;  // the PyTorch MNIST example's SGD
  std::uint64_t seed = 1;
  std::vector<int64_t> hidden = {128};  // mlp widths; two_layer uses the first
};

// A trained net over 784 = 28 x 28 inputs and 10 classes (two_layer: its output is
// v . relu(Wx + b) with v >= 0 per class, kept non-negative by projection after each step).
class Net : public fp::Attackable {
public:
  Net(Arch arch, const TrainOptions& options);
  void train(const fp::Images& data);
  std::size_t dim() const override { return 784; }
  // Cross-entropy of log_softmax(scores) at y, and its input gradient.
  void loss(const float* x, const int* y, std::size_t n, float* loss, float* grad) const override;
  std::vector<int> predict(const float* x, std::size_t n) const;
  // The labels of the net over the reals at the float32 images: every weight and pixel as
  // the rational it is, in integer arithmetic (FLINT). They differ from predict's only
  // where float32 rounding decides a near-tie.
  std::vector<int> exact_labels(const float* x, std::size_t n) const;
  // The net exactly, as a graph (convnet included): every float32 weight as the rational
  // it is; an argmax over the ten scores. exact::as_relu_net makes the mlp and two_layer
  // nets layered.
  exact::Graph to_exact() const;
  void save(const std::string& path) const;  // atomically
  void load(const std::string& path);
  Arch arch() const { return arch_; }
  torch::nn::Sequential& module() { return net_; }

private:
  torch::Tensor input(const float* x, std::size_t n) const;
  void trained();  // after training or loading: evaluation mode, the convnet's kernel weights
  Arch arch_;
  TrainOptions options_;
  mutable torch::nn::Sequential net_;
  std::shared_ptr<const ConvnetWeights> kernel_;  // the convnet, run by convnet_kernel.cpp
};

}  // namespace advdir::torchnets
