#include "advdir/fp/attack.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace advdir::fp {

void SvmLoss::loss(const float* x, const int* y, std::size_t n, float* loss, float* grad) const {
  const std::size_t k = svm_.classes(), d = svm_.dim();
  std::vector<float> s(n * k);
  svm_.scores(x, n, s.data());
  const std::vector<int>& labels = svm_.labels();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t truth = k, rival = k;
    for (std::size_t c = 0; c < k; ++c) truth = labels[c] == y[i] ? c : truth;
    if (truth == k) throw DataError("attack: label " + std::to_string(y[i]) + " is not one of the classifier's classes");
    for (std::size_t c = 0; c < k; ++c)
      if (c != truth && (rival == k || s[i * k + c] > s[i * k + rival])) rival = c;
    loss[i] = s[i * k + rival] - s[i * k + truth];
    if (!grad) continue;
    const float* wr = svm_.weights().data() + rival * d;
    const float* wt = svm_.weights().data() + truth * d;
    for (std::size_t j = 0; j < d; ++j) grad[i * d + j] = wr[j] - wt[j];
  }
}

Attack attack_from_name(const std::string& name) {
  for (Attack a : {Attack::pgd, Attack::fgsm, Attack::random_sign, Attack::random_uniform})
    if (name == attack_name(a)) return a;
  throw DataError("attack: unknown kind '" + name + "' (pgd, fgsm, random_sign, random_uniform)");
}

const char* attack_name(Attack a) {
  switch (a) {
    case Attack::pgd: return "pgd";
    case Attack::fgsm: return "fgsm";
    case Attack::random_sign: return "random_sign";
    case Attack::random_uniform: return "random_uniform";
  }
  return "";
}

namespace {

// Where each pixel may go: the ball cut to [0, 1], or the box of its byte.
void bounds(const Images& points, const AttackOptions& o, std::vector<float>& lo, std::vector<float>& hi) {
  lo.resize(points.x.size());
  hi.resize(points.x.size());
  for (std::size_t k = 0; k < points.x.size(); ++k) {
    const float x = points.x[k];
    if (!o.box) {
      lo[k] = project(0, x, o.eps), hi[k] = project(1, x, o.eps);
      continue;
    }
    const long byte = std::lround(double(x) * 255);
    if (byte < 0 || byte > 255 || x != float(byte) / 255.0f)  // as read_idx makes them
      throw DataError("attack: a pixel is " + std::to_string(x) + ", not a byte k/255, so the exact-safe box does not apply");
    lo[k] = o.box->lo[std::size_t(byte)], hi[k] = o.box->hi[std::size_t(byte)];
  }
}

std::vector<float> noise(const Images& points, Attack kind, const AttackOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<float> uniform(-o.eps, o.eps);
  std::bernoulli_distribution coin;
  std::vector<float> z(points.x.size()), lo, hi;
  bounds(points, o, lo, hi);
  for (std::size_t k = 0; k < z.size(); ++k) {
    const float delta = kind == Attack::random_sign ? (coin(rng) ? o.eps : -o.eps) : uniform(rng);
    z[k] = std::min(std::max(points.x[k] + delta, lo[k]), hi[k]);
  }
  return z;
}

}  // namespace

std::vector<float> perturb(const Attackable* model, const Images& points, Attack kind, const AttackOptions& o) {
  if (kind == Attack::random_sign || kind == Attack::random_uniform) return noise(points, kind, o);
  if (!model || model->dim() != points.d) throw DataError("attack: the model and the points differ in dimension");
  const std::size_t n = points.n, d = points.d;
  std::vector<float> z = points.x, grad(n * d), loss(n), best = z, best_loss(n), lo, hi;
  bounds(points, o, lo, hi);
  const int steps = kind == Attack::fgsm ? 1 : o.steps;
  const float step = kind == Attack::fgsm ? o.eps : o.step;
  // One pass a step: the loss of the current iterate (kept when it is the best so far)
  // comes with the gradient for the next one; the last iterate gets a pass of its own.
  for (int t = 0; t <= steps; ++t) {
    model->loss(z.data(), points.y.data(), n, loss.data(), t < steps ? grad.data() : nullptr);
    for (std::size_t i = 0; i < n; ++i)
      if (t == 0 || loss[i] > best_loss[i]) {
        best_loss[i] = loss[i];
        std::copy(z.begin() + std::ptrdiff_t(i * d), z.begin() + std::ptrdiff_t((i + 1) * d), best.begin() + std::ptrdiff_t(i * d));
      }
    if (t == steps) break;
    // Branch-free, so that it vectorises: the signs of a gradient are a coin toss for the predictor.
    for (std::size_t k = 0; k < z.size(); ++k)
      z[k] = std::min(std::max(z[k] + step * (float(grad[k] > 0) - float(grad[k] < 0)), lo[k]), hi[k]);
  }
  return best;
}

}  // namespace advdir::fp
