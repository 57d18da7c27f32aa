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

// Every entry, a float32 or float64, as the rational it is.
exact::Vector exact_values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  exact::Vector out;
  for (int64_t k = 0; k < c.numel(); ++k) {
    const double v = c.data_ptr<double>()[k];
    if (!std::isfinite(v)) throw fp::DataError("a weight is " + std::to_string(v) + ", not finite");
    out.push_back(mpq_class(v));
  }
  return out;
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

namespace {

std::size_t pair_at(const torch::ExpandingArray<2>& a, int k) { return std::size_t((*a)[std::size_t(k)]); }

// The window of a Conv2d or pooling over the current [1, C, H, W] value.
exact::Window2d window_over(const exact::Shape& s, const torch::ExpandingArray<2>& kernel, const torch::ExpandingArray<2>& stride,
                            const torch::ExpandingArray<2>& padding, const torch::ExpandingArray<2>& dilation, bool ceil_mode) {
  if (s.size() != 4) throw fp::DataError("a convolution or pooling on a value that is not [1, C, H, W]");
  exact::Window2d w{s[1], s[2], s[3], pair_at(kernel, 0), pair_at(kernel, 1), pair_at(stride, 0), pair_at(stride, 1),
                    pair_at(dilation, 0), pair_at(dilation, 1), pair_at(padding, 0), pair_at(padding, 1), pair_at(padding, 0),
                    pair_at(padding, 1)};
  w.out_h = exact::window_positions(w.height, w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom, ceil_mode);
  w.out_w = exact::window_positions(w.width, w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right, ceil_mode);
  return w;
}

// One module of the Sequential as graph nodes after value `at` of shape `s`.
void add_module(const nn::Module& m, exact::Graph& g, exact::Shape& s) {
  const std::size_t at = g.nodes.size();
  auto emit = [&](exact::GraphNode n) { s = n.shape, g.nodes.push_back(std::move(n)); };
  if (const auto* u = m.as<nn::Unflatten>()) {
    if (u->options.dim() != 1) throw fp::DataError("Unflatten: only dim 1 is supported");
    s = {1};
    for (int64_t d : u->options.sizes()) s.push_back(std::size_t(d));
  } else if (const auto* f = m.as<nn::Flatten>()) {
    if (f->options.start_dim() != 1 || f->options.end_dim() != -1) throw fp::DataError("Flatten: only start_dim 1, end_dim -1");
    s = {1, std::accumulate(s.begin(), s.end(), std::size_t(1), std::multiplies<>())};
  } else if (m.as<nn::Dropout>() || m.as<nn::Dropout2d>()) {
  } else if (m.as<nn::ReLU>()) {
    emit(exact::graph_node("relu", exact::Op::relu, {at}, s));
  } else if (const auto* l = m.as<nn::Linear>()) {
    exact::GraphNode n = exact::graph_node("linear", exact::Op::dense, {at}, {1, std::size_t(l->weight.size(0))});
    n.W = exact_layer(l->weight, l->bias).W, n.bias = exact_values(l->bias);
    emit(std::move(n));
  } else if (const auto* c = m.as<nn::Conv2d>()) {
    const auto* pad = c10::get_if<torch::ExpandingArray<2>>(&c->options.padding());
    if (!pad || !c10::holds_alternative<torch::enumtype::kZeros>(c->options.padding_mode()))
      throw fp::DataError("Conv2d: only numeric zero padding is supported");
    const exact::Window2d w = window_over(s, c->options.kernel_size(), c->options.stride(), *pad, c->options.dilation(), false);
    exact::GraphNode n = exact::graph_node("conv", exact::Op::conv, {at}, {1, std::size_t(c->options.out_channels()), w.out_h, w.out_w});
    n.window = w, n.out_channels = std::size_t(c->options.out_channels()), n.group = std::size_t(c->options.groups());
    n.weights = exact_values(c->weight);
    if (c->options.bias()) n.bias = exact_values(c->bias);
    emit(std::move(n));
  } else if (const auto* p = m.as<nn::MaxPool2d>()) {
    const exact::Window2d w = window_over(s, p->options.kernel_size(), p->options.stride(), p->options.padding(), p->options.dilation(), p->options.ceil_mode());
    exact::GraphNode n = exact::graph_node("maxpool", exact::Op::maxpool, {at}, {1, s[1], w.out_h, w.out_w});
    n.window = w;
    emit(std::move(n));
  } else if (const auto* a = m.as<nn::AvgPool2d>()) {
    if (a->options.divisor_override()) throw fp::DataError("AvgPool2d: divisor_override is not supported");
    const exact::Window2d w = window_over(s, a->options.kernel_size(), a->options.stride(), a->options.padding(), 1, a->options.ceil_mode());
    exact::GraphNode n = exact::graph_node("avgpool", exact::Op::avgpool, {at}, {1, s[1], w.out_h, w.out_w});
    n.window = w, n.count_include_pad = a->options.count_include_pad();
    emit(std::move(n));
  } else {
    throw fp::DataError("module " + m.name() + " is not supported (Linear, Conv2d, MaxPool2d, AvgPool2d, ReLU, Flatten, Unflatten, Dropout)");
  }
}

}  // namespace

exact::Graph Net::to_exact() const {
  exact::Graph g{{1, 784}, {}, exact::Decision::argmax, 0};
  exact::Shape s = g.input_shape;
  for (const auto& child : net_->children()) add_module(*child, g, s);
  exact::validate(g, "net");
  return g;
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
