#include "convnet_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace advdir::torchnets {
namespace {

constexpr std::size_t lanes = 16;
using V = float __attribute__((vector_size(lanes * sizeof(float))));
using M = int __attribute__((vector_size(lanes * sizeof(int))));  // lane masks and pool indices

// One block of sixteen images and what the backward pass needs of its forward pass.
struct Block {
  V in[784];
  V p1[10 * 144];  // relu(max-pool(conv1)): [c][y][x], 12 x 12
  M i1[10 * 144];  // which of the 2 x 2 window took the max (dy * 2 + dx)
  V p2[320];       // relu(max-pool(conv2)): [co][y][x], 4 x 4
  M i2[320];
  V h[50];         // relu(fc1)
  V s[10];         // scores
};

[[gnu::always_inline]] inline V splat(float a) { return V{} + a; }

// The max of a 2 x 2 window of accumulators and the first position that attains it.
[[gnu::always_inline]] inline void pool(const V (&a)[4], V& best, M& at) {
  best = a[0];
  at = M{};
  for (int k = 1; k < 4; ++k) {
    const M more = a[k] > best;
    best = more ? a[k] : best;
    at = more ? M{} + k : at;
  }
}

[[gnu::always_inline]] inline V relu(V v) { return v > 0 ? v : V{}; }

[[gnu::always_inline]] inline void forward(const ConvnetWeights& w, Block& b) {
  for (int c = 0; c < 10; ++c)
    for (int py = 0; py < 12; ++py)
      for (int px = 0; px < 12; ++px) {
        V a[4] = {splat(w.b1[c]), splat(w.b1[c]), splat(w.b1[c]), splat(w.b1[c])};
        for (int ky = 0; ky < 5; ++ky)
          for (int kx = 0; kx < 5; ++kx) {
            const float k = w.w1[c * 25 + ky * 5 + kx];
            const V* r = b.in + (2 * py + ky) * 28 + 2 * px + kx;
            a[0] += k * r[0], a[1] += k * r[1], a[2] += k * r[28], a[3] += k * r[29];
          }
        V m;
        pool(a, m, b.i1[c * 144 + py * 12 + px]);
        b.p1[c * 144 + py * 12 + px] = relu(m);
      }
  for (int co = 0; co < 20; ++co)
    for (int py = 0; py < 4; ++py)
      for (int px = 0; px < 4; ++px) {
        V a[4] = {splat(w.b2[co]), splat(w.b2[co]), splat(w.b2[co]), splat(w.b2[co])};
        for (int ci = 0; ci < 10; ++ci)
          for (int ky = 0; ky < 5; ++ky)
            for (int kx = 0; kx < 5; ++kx) {
              const float k = w.w2[((co * 10 + ci) * 5 + ky) * 5 + kx];
              const V* r = b.p1 + ci * 144 + (2 * py + ky) * 12 + 2 * px + kx;
              a[0] += k * r[0], a[1] += k * r[1], a[2] += k * r[12], a[3] += k * r[13];
            }
        V m;
        pool(a, m, b.i2[co * 16 + py * 4 + px]);
        b.p2[co * 16 + py * 4 + px] = relu(m);
      }
  for (int j = 0; j < 50; ++j) {
    V a = splat(w.g1[j]);
    for (int k = 0; k < 320; ++k) a += w.f1[j * 320 + k] * b.p2[k];
    b.h[j] = relu(a);
  }
  for (int o = 0; o < 10; ++o) {
    V a = splat(w.g2[o]);
    for (int j = 0; j < 50; ++j) a += w.f2[o * 50 + j] * b.h[j];
    b.s[o] = a;
  }
}

// The input gradient of the summed losses whose score gradients are gs.
[[gnu::always_inline]] inline void backward(const ConvnetWeights& w, const Block& b, const V (&gs)[10], V* gin) {
  V gh[50], gp2[320], gp1[10 * 144] = {};
  for (int j = 0; j < 50; ++j) {
    V a{};
    for (int o = 0; o < 10; ++o) a += w.f2[o * 50 + j] * gs[o];
    gh[j] = b.h[j] > 0 ? a : V{};
  }
  for (int k = 0; k < 320; ++k) {
    V a{};
    for (int j = 0; j < 50; ++j) a += w.f1[j * 320 + k] * gh[j];
    gp2[k] = b.p2[k] > 0 ? a : V{};
  }
  for (int co = 0; co < 20; ++co)
    for (int py = 0; py < 4; ++py)
      for (int px = 0; px < 4; ++px)
        for (int q = 0; q < 4; ++q) {
          const int at = co * 16 + py * 4 + px;
          const V g = b.i2[at] == q ? gp2[at] : V{};
          const int y = 2 * py + q / 2, x = 2 * px + q % 2;
          for (int ci = 0; ci < 10; ++ci)
            for (int ky = 0; ky < 5; ++ky)
              for (int kx = 0; kx < 5; ++kx) gp1[ci * 144 + (y + ky) * 12 + x + kx] += w.w2[((co * 10 + ci) * 5 + ky) * 5 + kx] * g;
        }
  std::fill(gin, gin + 784, V{});
  for (int c = 0; c < 10; ++c)
    for (int py = 0; py < 12; ++py)
      for (int px = 0; px < 12; ++px) {
        const int at = c * 144 + py * 12 + px;
        const V gp = b.p1[at] > 0 ? gp1[at] : V{};
        for (int q = 0; q < 4; ++q) {
          const V g = b.i1[at] == q ? gp : V{};
          const int y = 2 * py + q / 2, x = 2 * px + q % 2;
          for (int ky = 0; ky < 5; ++ky)
            for (int kx = 0; kx < 5; ++kx) gin[(y + ky) * 28 + x + kx] += w.w1[c * 25 + ky * 5 + kx] * g;
        }
      }
}

// Images [first, first + count) of x into the lanes of b.in (unused lanes are zero).
void load(const float* x, std::size_t first, std::size_t count, Block& b) {
  for (int p = 0; p < 784; ++p) {
    V v{};
    for (std::size_t l = 0; l < count; ++l) v[l] = x[(first + l) * 784 + std::size_t(p)];
    b.in[p] = v;
  }
}

// The softmax of a block's scores less the one-hot labels (the gradient of the summed
// cross-entropies), and the losses of its first `count` lanes.
void cross_entropy(const Block& b, const int* y, std::size_t count, float* loss, V (&gs)[10]) {
  for (int o = 0; o < 10; ++o) gs[o] = V{};
  for (std::size_t l = 0; l < count; ++l) {
    float top = b.s[0][l], sum = 0;
    for (int o = 1; o < 10; ++o) top = std::max(top, b.s[o][l]);
    for (int o = 0; o < 10; ++o) sum += std::exp(b.s[o][l] - top);
    loss[l] = top + std::log(sum) - b.s[y[l]][l];
    for (int o = 0; o < 10; ++o) gs[o][l] = std::exp(b.s[o][l] - top) / sum - (o == y[l] ? 1.0f : 0.0f);
  }
}

// Compiled for AVX-512, AVX2 and the baseline; the loader picks the best the CPU has.
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]]
void run(const ConvnetWeights& w, const float* x, const int* y, std::size_t n, float* scores, float* loss, float* grad) {
  const auto b = std::make_unique<Block>();
  const auto gin = std::make_unique<V[]>(784);
  for (std::size_t first = 0; first < n; first += lanes) {
    const std::size_t count = std::min(lanes, n - first);
    load(x, first, count, *b);
    forward(w, *b);
    for (std::size_t l = 0; scores && l < count; ++l)
      for (int o = 0; o < 10; ++o) scores[(first + l) * 10 + std::size_t(o)] = b->s[o][l];
    if (!loss) continue;
    V gs[10];
    cross_entropy(*b, y + first, count, loss + first, gs);
    if (!grad) continue;
    backward(w, *b, gs, gin.get());
    for (std::size_t l = 0; l < count; ++l)
      for (int p = 0; p < 784; ++p) grad[(first + l) * 784 + std::size_t(p)] = gin[p][l];
  }
}

}  // namespace

ConvnetWeights convnet_weights(torch::nn::Sequential& net) {
  ConvnetWeights w;
  auto copy = [](const torch::Tensor& t, float* out, std::size_t size) {
    const torch::Tensor c = t.detach().contiguous();
    TORCH_CHECK(std::size_t(c.numel()) == size, "convnet: a layer of unexpected size");
    std::copy_n(c.data_ptr<float>(), size, out);
  };
  copy(net->ptr<torch::nn::Conv2dImpl>(1)->weight, w.w1.data(), w.w1.size());
  copy(net->ptr<torch::nn::Conv2dImpl>(1)->bias, w.b1.data(), w.b1.size());
  copy(net->ptr<torch::nn::Conv2dImpl>(4)->weight, w.w2.data(), w.w2.size());
  copy(net->ptr<torch::nn::Conv2dImpl>(4)->bias, w.b2.data(), w.b2.size());
  copy(net->ptr<torch::nn::LinearImpl>(9)->weight, w.f1.data(), w.f1.size());
  copy(net->ptr<torch::nn::LinearImpl>(9)->bias, w.g1.data(), w.g1.size());
  copy(net->ptr<torch::nn::LinearImpl>(12)->weight, w.f2.data(), w.f2.size());
  copy(net->ptr<torch::nn::LinearImpl>(12)->bias, w.g2.data(), w.g2.size());
  return w;
}

void convnet_scores(const ConvnetWeights& w, const float* x, std::size_t n, float* scores) {
  run(w, x, nullptr, n, scores, nullptr, nullptr);
}

void convnet_loss(const ConvnetWeights& w, const float* x, const int* y, std::size_t n, float* loss, float* grad) {
  run(w, x, y, n, nullptr, loss, grad);
}

}  // namespace advdir::torchnets
