#include "advdir/torch/r_prime.hpp"

#include "common.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace advdir::torchnets {
namespace {

// W, b and v as a relu2 net with threshold 1, rule "gt".
exact::ReluNet exact_relu2(torch::nn::Linear& hidden, const torch::Tensor& v) {
  return {"relu2", {exact_layer(hidden->weight, hidden->bias), exact_layer(v.view({1, -1}), torch::zeros({1}))}, exact::Decision::above, 1};
}

}  // namespace

exact::ReluNet train_r_prime(const fp::Images& data, const RPrimeOptions& options) {
  for (int y : data.y)
    if (y != 1 && y != -1) throw fp::DataError("training set: an R' net takes labels +1 and -1, not " + std::to_string(y));
  const std::lock_guard<std::mutex> lock(torch_generator());
  torch::manual_seed(options.seed);
  torch::nn::Linear hidden(int64_t(data.d), options.hidden);
  {
    // Every unit starts active on every image (|<u_j, x>| is small at libtorch's initial
    // weights): a point where all units are dead has no gradient to recover by.
    torch::NoGradGuard guard;
    hidden->bias.fill_(1);
  }
  torch::Tensor v = torch::rand({options.hidden}).mul_(0.1).requires_grad_();  // v >= 0 from the start
  std::vector<torch::Tensor> params = hidden->parameters();
  params.push_back(v);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(options.lr));
  const torch::Tensor X = torch::from_blob(const_cast<float*>(data.x.data()), {int64_t(data.n), int64_t(data.d)}, torch::kFloat32);
  const torch::Tensor Y = torch::tensor(std::vector<float>(data.y.begin(), data.y.end()));
  // Training starts on a leaky ReLU (slope 1/2 below 0) that straightens into the ReLU over
  // the first half of the epochs. With the ReLU from the start, points where every unit has
  // died get no gradient, and digit pairs end with one or two such points misclassified.
  auto margin = [&](const torch::Tensor& x, const torch::Tensor& y, double leak) {
    return y * (torch::leaky_relu(hidden(x), leak).matmul(v) - 1);
  };
  const int anneal = options.epochs / 2;
  std::mt19937_64 rng(options.seed);
  std::vector<int64_t> order(data.n);
  std::iota(order.begin(), order.end(), 0);
  for (int e = 0; e < options.epochs; ++e) {
    const double leak = e < anneal ? 0.5 * (1 - double(e) / anneal) : 0;
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t s = 0; s < data.n; s += std::size_t(options.batch)) {
      const auto end = std::min(data.n, s + std::size_t(options.batch));
      const torch::Tensor i = torch::tensor(std::vector<int64_t>(order.begin() + std::ptrdiff_t(s), order.begin() + std::ptrdiff_t(end)));
      adam.zero_grad();
      torch::softplus(-margin(X.index_select(0, i), Y.index_select(0, i), leak)).mean().backward();
      adam.step();
      torch::NoGradGuard guard;
      v.clamp_(0);  // R': v >= 0
    }
    torch::NoGradGuard guard;
    if (leak == 0 && margin(X, Y, 0).min().item<float>() >= 0.5f) break;
  }
  return exact_relu2(hidden, v);
}

}  // namespace advdir::torchnets
