#include "advdir/torch/nets.hpp"

#include "common.hpp"
#include "convnet_kernel.hpp"
#include "exact_convnet.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <random>

namespace advdir::torchnets {
namespace {

namespace nn = torch::nn;

// conv 1->10 k5, max-pool 2, ReLU, conv 10->20 k5, dropout, max-pool 2, ReLU, fc 320->50,
// ReLU, dropout, fc 50->10 (PyTorch's MNIST example).
nn::Sequential convnet() {
  return nn::Sequential(nn::Unflatten(nn::UnflattenOptions(1, {1, 28, 28})), nn::Conv2d(nn::Conv2dOptions(1, 10, 5)),
                        nn::MaxPool2d(2), nn::ReLU(), nn::Conv2d(nn::Conv2dOptions(10, 20, 5)), nn::Dropout2d(0.5),
                        nn::MaxPool2d(2), nn::ReLU(), nn::Flatten(), nn::Linear(320, 50), nn::ReLU(), nn::Dropout(0.5),
                        nn::Linear(50, 10));
}

nn::Sequential mlp(const std::vector<int64_t>& hidden) {
  nn::Sequential s;
  int64_t in = 784;
  for (int64_t h : hidden) {
    s->push_back(nn::Linear(in, h));
    s->push_back(nn::ReLU());
    in = h;
  }
  s->push_back(nn::Linear(in, 10));
  return s;
}

}  // namespace

exact::Layer exact_layer(const torch::Tensor& W, const torch::Tensor& b) {
  auto exact_values = [](const torch::Tensor& t) {
    const torch::Tensor c = t.detach().contiguous();
    exact::Vector out;
    for (int64_t k = 0; k < c.numel(); ++k) {
      const float v = c.data_ptr<float>()[k];
      if (!std::isfinite(v)) throw fp::DataError("a weight is " + std::to_string(v) + ", not finite");
      out.push_back(mpq_class(double(v)));
    }
    return out;
  };
  const exact::Vector w = exact_values(W);
  const auto in = std::size_t(W.size(1));
  exact::Layer layer{{}, exact_values(b)};
  for (std::size_t i = 0; i < layer.b.size(); ++i) layer.W.emplace_back(w.begin() + std::ptrdiff_t(i * in), w.begin() + std::ptrdiff_t((i + 1) * in));
  return layer;
}

std::mutex& torch_generator() {
  static std::mutex m;
  return m;
}

Arch arch_from_name(const std::string& name) {
  for (Arch a : {Arch::convnet, Arch::mlp, Arch::two_layer})
    if (name == arch_name(a)) return a;
  throw fp::DataError("--arch: unknown architecture '" + name + "' (convnet, mlp, two_layer)");
}

const char* arch_name(Arch a) {
  switch (a) {
    case Arch::convnet: return "convnet";
    case Arch::mlp: return "mlp";
    case Arch::two_layer: return "two_layer";
  }
  return "";
}

Net::Net(Arch arch, const TrainOptions& options) : arch_(arch), options_(options) {
  const std::lock_guard<std::mutex> lock(torch_generator());
  torch::manual_seed(options.seed);
  net_ = arch == Arch::convnet ? convnet() : mlp(arch == Arch::mlp ? options.hidden : std::vector<int64_t>{options.hidden.at(0)});
}

torch::Tensor Net::input(const float* x, std::size_t n) const {
  return torch::from_blob(const_cast<float*>(x), {int64_t(n), 784}, torch::kFloat32);
}

void Net::train(const fp::Images& data) {
  if (data.d != 784) throw fp::DataError("training set: nets take 28 x 28 images, these have " + std::to_string(data.d) + " pixels");
  const std::lock_guard<std::mutex> lock(torch_generator());
  torch::manual_seed(options_.seed);
  std::mt19937_64 rng(options_.seed);
  torch::optim::SGD sgd(net_->parameters(), torch::optim::SGDOptions(options_.lr).momentum(options_.momentum));
  net_->train();
  std::vector<std::size_t> order(data.n);
  std::iota(order.begin(), order.end(), 0);
  const torch::Tensor X = input(data.x.data(), data.n);
  std::vector<int64_t> labels(data.y.begin(), data.y.end());
  const torch::Tensor Y = torch::tensor(labels, torch::kInt64);
  for (int e = 0; e < options_.epochs; ++e) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t s = 0; s < data.n; s += std::size_t(options_.batch)) {
      std::vector<int64_t> idx(order.begin() + std::ptrdiff_t(s), order.begin() + std::ptrdiff_t(std::min(data.n, s + std::size_t(options_.batch))));
      const torch::Tensor i = torch::tensor(idx, torch::kInt64);
      sgd.zero_grad();
      torch::nll_loss(torch::log_softmax(net_->forward(X.index_select(0, i)), 1), Y.index_select(0, i)).backward();
      sgd.step();
      if (arch_ == Arch::two_layer) {
        torch::NoGradGuard guard;
        net_->ptr<nn::LinearImpl>(2)->weight.clamp_(0);  // R': v >= 0
      }
    }
  }
  trained();
}

void Net::trained() {
  net_->eval();
  if (arch_ == Arch::convnet) kernel_ = std::make_shared<const ConvnetWeights>(convnet_weights(net_));
}

void Net::loss(const float* x, const int* y, std::size_t n, float* loss, float* grad) const {
  if (kernel_) return convnet_loss(*kernel_, x, y, n, loss, grad);
  torch::Tensor X = input(x, n).clone().requires_grad_(grad != nullptr);
  std::vector<int64_t> labels(y, y + n);
  const torch::Tensor l = torch::nll_loss(torch::log_softmax(net_->forward(X), 1), torch::tensor(labels, torch::kInt64), {},
                                          at::Reduction::None);
  std::copy_n(l.detach().data_ptr<float>(), n, loss);
  if (!grad) return;
  // The input's gradient only: no parameter gradients are computed or accumulated.
  const torch::Tensor g = torch::autograd::grad({l.sum()}, {X})[0];
  std::copy_n(g.data_ptr<float>(), n * 784, grad);
}

std::vector<int> Net::predict(const float* x, std::size_t n) const {
  if (kernel_) {
    std::vector<float> s(n * 10);
    convnet_scores(*kernel_, x, n, s.data());
    std::vector<int> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = int(std::max_element(&s[i * 10], &s[i * 10] + 10) - &s[i * 10]);
    return out;
  }
  torch::NoGradGuard guard;
  const torch::Tensor best = net_->forward(input(x, n)).argmax(1);
  const int64_t* p = best.data_ptr<int64_t>();
  return std::vector<int>(p, p + n);
}

namespace {

// The mlp's (or two_layer's) Linear layers in order: weight and bias, contiguous.
std::vector<std::pair<torch::Tensor, torch::Tensor>> linear_layers(const nn::Sequential& net) {
  std::vector<std::pair<torch::Tensor, torch::Tensor>> out;
  for (const auto& child : net->children())
    if (const auto* linear = child->as<nn::Linear>()) out.emplace_back(linear->weight.detach().contiguous(), linear->bias.detach().contiguous());
  return out;
}

}  // namespace

std::vector<int> Net::exact_labels(const float* x, std::size_t n) const {
  if (kernel_) return exact_convnet_labels(*kernel_, x, n);
  std::vector<FloatLayer> layers;
  for (const auto& [W, b] : linear_layers(net_))
    layers.push_back({{W.data_ptr<float>(), W.data_ptr<float>() + W.numel()}, {b.data_ptr<float>(), b.data_ptr<float>() + b.numel()},
                      std::size_t(W.size(1)), std::size_t(W.size(0))});
  return exact_mlp_labels(layers, x, n);
}

exact::ReluNet Net::to_exact() const {
  if (arch_ == Arch::convnet) throw fp::DataError("the convnet is not an exact ReLU MLP (convolution, max-pooling); use --arch mlp or two_layer");
  exact::ReluNet out{"mlp", {}, exact::Decision::argmax, 0};
  for (const auto& [W, b] : linear_layers(net_)) out.layers.push_back(exact_layer(W, b));
  return out;
}

void Net::save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  torch::save(net_, tmp);
  std::filesystem::rename(tmp, path);
}

void Net::load(const std::string& path) {
  torch::load(net_, path);
  trained();
}

}  // namespace advdir::torchnets
