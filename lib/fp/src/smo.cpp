#include "advdir/fp/smo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <list>
#include <numeric>
#include <unordered_map>

namespace advdir::fp {
namespace {

float dot(const float* a, const float* b, std::size_t d) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t k = 0; k < d; ++k) s += a[k] * b[k];
  return s;
}

// Rows of the linear kernel K_it = <x_i, x_t>, least recently used evicted first.
class KernelCache {
public:
  KernelCache(const DenseData& data, std::size_t bytes)
      : data_(data), capacity_(std::max<std::size_t>(2, bytes / (sizeof(float) * std::max<std::size_t>(data.n, 1)))) {}

  const float* row(std::size_t i) {
    if (auto it = rows_.find(i); it != rows_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first.data();
    }
    std::vector<float> r;
    if (rows_.size() >= capacity_) {
      auto victim = rows_.find(lru_.back());
      r = std::move(victim->second.first);
      rows_.erase(victim);
      lru_.pop_back();
    }
    r.resize(data_.n);
    const float* xi = &data_.x[i * data_.d];
    for (std::size_t t = 0; t < data_.n; ++t) r[t] = dot(xi, &data_.x[t * data_.d], data_.d);
    ++computed_;
    lru_.push_front(i);
    auto& slot = rows_[i];
    slot = {std::move(r), lru_.begin()};
    return slot.first.data();
  }
  std::size_t computed() const { return computed_; }
  void clear() {
    rows_.clear();
    lru_.clear();
  }

private:
  const DenseData& data_;
  std::size_t capacity_;
  std::list<std::size_t> lru_;
  std::unordered_map<std::size_t, std::pair<std::vector<float>, std::list<std::size_t>::iterator>> rows_;
  std::size_t computed_ = 0;
};

constexpr double tau = 1e-12;

}  // namespace

struct HardMarginSmo::State {
  const DenseData& data;
  SmoOptions options;
  std::vector<double> G, diag;
  KernelCache cache;
  std::size_t max_iterations;
  double alpha_sum = 0;

  State(const DenseData& d, const SmoOptions& o)
      : data(d), options(o), G(d.n, -1.0), diag(d.n), cache(d, o.cache_bytes),
        max_iterations(o.max_iterations ? o.max_iterations : std::max<std::size_t>(1000000, 200 * d.n)) {
    for (std::size_t i = 0; i < d.n; ++i) diag[i] = dot(&d.x[i * d.d], &d.x[i * d.d], d.d);
  }
};

HardMarginSmo::HardMarginSmo(const DenseData& data, const SmoOptions& options)
    : state_(std::make_unique<State>(data, options)) {
  result_.alpha.assign(data.n, 0.0);
}

HardMarginSmo::~HardMarginSmo() = default;

void HardMarginSmo::release_cache() { state_->cache.clear(); }

bool HardMarginSmo::finished() const {
  return result_.converged || result_.diverged || result_.iterations >= state_->max_iterations;
}

const SmoResult& HardMarginSmo::run(std::size_t iterations) {
  State& st = *state_;
  SmoResult& r = result_;
  const std::size_t n = st.data.n;
  const std::vector<int>& y = st.data.y;
  std::vector<double>& G = st.G;
  const std::vector<double>& diag = st.diag;
  auto in_up = [&](std::size_t t) { return y[t] > 0 || r.alpha[t] > 0; };
  auto in_low = [&](std::size_t t) { return y[t] < 0 || r.alpha[t] > 0; };
  const std::size_t stop = std::min(st.max_iterations, r.iterations + iterations);
  for (; r.iterations < stop && !r.converged && !r.diverged; ++r.iterations) {
    // Working set: i maximal violating in I_up, j by the second-order gain in I_low.
    double gmax = -std::numeric_limits<double>::infinity(), gmin = std::numeric_limits<double>::infinity();
    std::size_t i = n, j = n;
    for (std::size_t t = 0; t < n; ++t)
      if (in_up(t) && -y[t] * G[t] >= gmax) {
        gmax = -y[t] * G[t];
        i = t;
      }
    const float* Ki = st.cache.row(i);
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < n; ++t) {
      if (!in_low(t)) continue;
      const double v = -y[t] * G[t];
      gmin = std::min(gmin, v);
      const double b = gmax - v;
      if (b <= 0) continue;
      double a = diag[i] + diag[t] - 2.0 * Ki[t];
      if (a <= 0) a = tau;
      if (-(b * b) / a <= best) {
        best = -(b * b) / a;
        j = t;
      }
    }
    if (gmax - gmin < st.options.tolerance || j == n) {
      r.converged = true;
      break;
    }
    const float* Kj = st.cache.row(j);
    Ki = st.cache.row(i);
    const double old_i = r.alpha[i], old_j = r.alpha[j];
    double& ai = r.alpha[i];
    double& aj = r.alpha[j];
    const double quad = std::max(diag[i] + diag[j] - 2.0 * double(Ki[j]), tau);
    if (y[i] != y[j]) {
      const double delta = (-G[i] - G[j]) / quad, diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0 && aj < 0) {
        aj = 0;
        ai = diff;
      } else if (diff <= 0 && ai < 0) {
        ai = 0;
        aj = -diff;
      }
    } else {
      const double delta = (G[i] - G[j]) / quad, sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (aj < 0) {
        aj = 0;
        ai = sum;
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
    }
    const double di = (ai - old_i) * y[i], dj = (aj - old_j) * y[j];
    for (std::size_t t = 0; t < n; ++t) G[t] += y[t] * (di * Ki[t] + dj * Kj[t]);
    st.alpha_sum += (ai - old_i) + (aj - old_j);
    r.diverged = st.alpha_sum > st.options.divergence;
  }
  // b = -rho, rho the average of y_t G_t over the support (LIBSVM's free-vector rule).
  double rho = 0;
  std::size_t free = 0;
  for (std::size_t t = 0; t < n; ++t)
    if (r.alpha[t] > 0) {
      rho += y[t] * G[t];
      ++free;
    }
  r.b = free ? -rho / double(free) : 0.0;
  r.kernel_rows = st.cache.computed();
  return r;
}

std::vector<std::size_t> SmoResult::candidates(const DenseData& data, double near) const {
  std::vector<std::size_t> support, close;
  std::vector<double> slack(data.n);
  std::vector<double> w(data.d, 0.0);
  for (std::size_t t = 0; t < data.n; ++t)
    if (alpha[t] > 0)
      for (std::size_t k = 0; k < data.d; ++k) w[k] += alpha[t] * data.y[t] * data.x[t * data.d + k];
  for (std::size_t t = 0; t < data.n; ++t) {
    double wx = 0;
    for (std::size_t k = 0; k < data.d; ++k) wx += w[k] * data.x[t * data.d + k];
    slack[t] = data.y[t] * (wx + b) - 1.0;
    if (alpha[t] > 0)
      support.push_back(t);
    else if (slack[t] < near)
      close.push_back(t);
  }
  std::sort(support.begin(), support.end(), [&](std::size_t a, std::size_t c) { return alpha[a] > alpha[c]; });
  std::sort(close.begin(), close.end(), [&](std::size_t a, std::size_t c) { return slack[a] < slack[c]; });
  support.insert(support.end(), close.begin(), close.end());
  return support;
}

}  // namespace advdir::fp
