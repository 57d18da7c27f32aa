// The float-first filter, and why its bounds hold.
//
// Everything here runs with the rounding mode upward (this file is compiled with
// -frounding-math, so the compiler assumes no mode), hence:
//  (R1) each operation errs by less than 2u = 2^-52 of its result (one ulp), plus at most
//       2^-1074 when a product underflows;
//  (R2) a bound built of sums and products of non-negative doubles is at least its value.
// Inputs and weights: mpq_get_d truncates, so for a double w^ = get_d(w) in the normal
// range, |w - w^| < ulp(w^) <= 2^-52 |w^|; W = |w^| (1 + 2^-52) >= |w| (W = |w^| when w is a
// double). Weights outside [2^-1000, 2^1000] in magnitude make the filter decline; an input
// gets e = 2^-52 |x^| + 2^-1074 (0 when it is a double).
// An affine entry y = sum_j w_j x_j + b of n products, from x^_j with |x_j - x^_j| <= e_j:
//   |y - y^| <= sum_j |w_j x_j - w^_j x^_j| + |b - b^| + |fl(sum_j w^_j x^_j + b^) - (sum ...)|
//            <= sum_j (W_j e_j + 2^-52 W_j |x^_j|) + 2^-52 W_b
//               + gamma_{n+1} (sum_j W_j |x^_j| + W_b) + 2 (n + 1) 2^-1074        (R1)
//            =  sum_j W_j (e_j + kappa |x^_j|) + kappa W_b + 2 (n + 1) 2^-1074,
// kappa = gamma_{n+1} + 2^-52, gamma_m = m 2u / (1 - m 2u) <= m 2u (1 + 2^-20) for m 2u <=
// 2^-21 (the filter declines fan-ins of 2^31 or more). Dense and conv nodes bound sum_j W_j a_j by
// (sum_j W_j) max_j a_j. Scale, average pooling (weight 1/divisor) and sums (weights +-1)
// are affine entries too. ReLU and max-pooling are 1-Lipschitz in each entry's sup norm, so
// the bound passes through (a window's largest). (R2) makes each computed bound at least
// the formula. Any value or bound that is not finite makes the filter decline. The label
// is decided by exact rational comparisons of the box's corners (decide_box).
#include "advdir/enclose/graph_filter.hpp"

#include "advdir/exact/graph_loops.hpp"

#include <algorithm>
#include <cfenv>
#include <cmath>

namespace advdir::enclose {

using exact::GraphNode;
using exact::Op;

namespace {

constexpr double two_52 = 0x1p-52, tiny = 0x1p-1074;

// The rounding mode upward for the life of the guard.
class Upward {
public:
  Upward() : old_(std::fegetround()) { std::fesetround(FE_UPWARD); }
  ~Upward() { std::fesetround(old_); }
  Upward(const Upward&) = delete;
  Upward& operator=(const Upward&) = delete;

private:
  int old_;
};

struct FloatRing {
  static void mul_add(double& d, double a, double b) { d += a * b; }
  static bool is_zero(double a) { return a == 0; }
};

// kappa for a sum of n products and a bias (upward).
double kappa(std::size_t n) { return double(n + 1) * two_52 * (1 + 0x1p-20) + two_52; }

// A node's weights in doubles: w^ (mpq_get_d truncates, so |w - w^| < ulp(w^) <= 2^-52
// |w^| for a normal w^) and W = |w^| (1 + 2^-52) >= |w|, or |w^| when w is a double.
struct Weights {
  std::vector<double> hat, abs;
  bool usable = true;
  void add(const mpq_class& q) {
    const double h = q.get_d();
    const double m = std::fabs(h);
    if (q != 0 && !(m >= 0x1p-1000 && m <= 0x1p1000)) usable = false;
    hat.push_back(h);
    abs.push_back(q == 0 || mpq_class(h) == q ? m : m * (1 + two_52));
  }
};

struct FilterNode {
  Weights w, b;             // dense (row-major), conv kernel, scale's a, avgpool's 1/divisor; bias or c
  std::vector<double> w_sums;  // dense: sum_j W_rj per row; conv: the kernel's per output channel
  double kappa = 0, absolute = 0;  // kappa(n) and 2 (n + 1) 2^-1074
  std::vector<std::vector<exact::Cell>> windows;
};

}  // namespace

struct GraphFilter::Impl {
  exact::Graph g;
  std::vector<FilterNode> nodes;
  bool usable = true;

  FilterNode compile(const GraphNode& n) const {
    FilterNode f;
    std::size_t fan_in = 1;
    switch (n.op) {
      case Op::dense:
        for (const exact::Vector& row : n.W)
          for (const mpq_class& q : row) f.w.add(q);
        for (const mpq_class& q : n.bias) f.b.add(q);
        fan_in = n.W.empty() ? 1 : n.W[0].size();
        break;
      case Op::conv:
        for (const mpq_class& q : n.weights) f.w.add(q);
        for (std::size_t o = 0; o < n.out_channels; ++o) f.b.add(n.bias.empty() ? mpq_class(0) : n.bias[o]);
        fan_in = n.window.channels / n.group * n.window.kernel_h * n.window.kernel_w;
        break;
      case Op::scale:
        for (const mpq_class& q : n.weights) f.w.add(q);
        for (const mpq_class& q : n.bias) f.b.add(q);
        break;
      case Op::add: fan_in = n.inputs.size(); break;
      case Op::avgpool:
        f.windows = exact::windows_of(n.window);
        for (std::size_t k = 0; k < f.windows.size(); ++k) {
          const std::size_t at = k % (n.window.out_h * n.window.out_w);
          const std::size_t d = exact::avg_divisor(n.window, at / n.window.out_w, at % n.window.out_w, n.count_include_pad);
          f.w.usable = f.w.usable && d > 0;
          f.w.add(mpq_class(1, std::max<std::size_t>(d, 1)));
        }
        fan_in = n.window.kernel_h * n.window.kernel_w;
        break;
      case Op::maxpool:
        f.windows = exact::windows_of(n.window);
        for (const auto& cells : f.windows) f.w.usable = f.w.usable && !cells.empty();
        break;
      case Op::gather:
      case Op::relu: break;
    }
    if (n.op == Op::dense || n.op == Op::conv) {  // rows of the weight tensor, one per bias entry
      const std::size_t rows = f.b.hat.size(), per_row = rows == 0 ? 0 : f.w.abs.size() / rows;
      f.w_sums.assign(rows, 0);
      for (std::size_t i = 0; i < f.w.abs.size(); ++i) f.w_sums[i / per_row] += f.w.abs[i];
    }
    f.w.usable = f.w.usable && fan_in < (std::size_t(1) << 31);  // gamma's bound needs (n + 1) 2u <= 2^-21
    f.kappa = kappa(fan_in);
    f.absolute = 2 * double(fan_in + 1) * tiny;
    return f;
  }

  // a_j = e_j + kappa |x^_j|: what each input contributes to the bound through W.
  static std::vector<double> spread(const Enclosed& x, double kappa) {
    std::vector<double> a(x.value.size());
    for (std::size_t j = 0; j < a.size(); ++j) a[j] = x.bound[j] + kappa * std::fabs(x.value[j]);
    return a;
  }

  static std::vector<std::size_t> nonzero(const std::vector<double>& v) {
    std::vector<std::size_t> nz;
    for (std::size_t j = 0; j < v.size(); ++j)
      if (v[j] != 0) nz.push_back(j);
    return nz;
  }

  // An affine node's (y^, bound) from one input: `products(weights, x, out)` runs on
  // (w^, x^); the bound is sum_j W_ij a_j, or where a node has w_sums the coarser
  // (sum_j W_ij) max_j a_j, which costs one pass over the outputs instead of the products;
  // then the bias b^, and kappa W_b + absolute, every `period` outputs.
  template <class Products>
  static Enclosed affine(const FilterNode& f, const Enclosed& x, std::size_t size, std::size_t period, Products products) {
    Enclosed y{std::vector<double>(size, 0), std::vector<double>(size, 0)};
    const std::vector<double> a = spread(x, f.kappa);
    products(f.w.hat.data(), x.value, y.value.data());
    if (f.w_sums.empty()) {
      products(f.w.abs.data(), a, y.bound.data());
    } else {
      const double a_max = *std::max_element(a.begin(), a.end());
      for (std::size_t i = 0; i < size; ++i) y.bound[i] = f.w_sums[i / period] * a_max;
    }
    for (std::size_t i = 0; i < size; ++i) {
      if (f.b.hat.empty()) {
        y.bound[i] += f.absolute;
        continue;
      }
      y.value[i] += f.b.hat[i / period];
      y.bound[i] += f.kappa * f.b.abs[i / period] + f.absolute;
    }
    return y;
  }

  Enclosed node(std::size_t k, const std::vector<Enclosed>& at) const {
    const GraphNode& n = g.nodes[k];
    const FilterNode& f = nodes[k];
    const Enclosed& x = at[n.inputs[0]];
    const std::size_t size = n.op == Op::gather ? n.source.size() : n.op == Op::dense ? n.W.size() : 0;
    switch (n.op) {
      case Op::dense: {
        const std::size_t cols = x.value.size();
        return affine(f, x, size, 1, [&](const double* w, const std::vector<double>& in, double* out) {
          exact::dense_products<FloatRing>(size, cols, nonzero(in), w, in.data(), out);
        });
      }
      case Op::conv: {
        const std::size_t period = n.window.out_h * n.window.out_w;
        return affine(f, x, n.out_channels * period, period,
                      [&](const double* w, const std::vector<double>& in, double* out) { exact::conv_products<FloatRing>(n, w, in.data(), out); });
      }
      case Op::scale:
        return affine(f, x, x.value.size(), 1, [&](const double* w, const std::vector<double>& in, double* out) {
          for (std::size_t i = 0; i < in.size(); ++i) out[i] = w[i] * in[i];
        });
      case Op::avgpool:
        return affine(f, x, f.windows.size(), 1, [&](const double* w, const std::vector<double>& in, double* out) {
          for (std::size_t i = 0; i < f.windows.size(); ++i)
            for (const exact::Cell& c : f.windows[i]) out[i] += w[i] * in[c.at];
        });
      case Op::add: {
        Enclosed y{std::vector<double>(x.value.size(), 0), std::vector<double>(x.value.size(), f.absolute)};
        for (std::size_t m = 0; m < n.inputs.size(); ++m) {
          const Enclosed& in = at[n.inputs[m]];
          const std::vector<double> a = spread(in, f.kappa);
          for (std::size_t i = 0; i < y.value.size(); ++i) y.value[i] += n.signs[m] * in.value[i], y.bound[i] += a[i];
        }
        return y;
      }
      case Op::gather: {
        Enclosed y{std::vector<double>(size, 0), std::vector<double>(size, 0)};
        for (std::size_t i = 0; i < size; ++i)
          if (const auto& [m, j] = n.source[i]; j >= 0)
            y.value[i] = at[n.inputs[m]].value[std::size_t(j)], y.bound[i] = at[n.inputs[m]].bound[std::size_t(j)];
        return y;
      }
      case Op::relu: {
        Enclosed y = x;
        for (double& v : y.value) v = std::max(v, 0.0);
        return y;
      }
      case Op::maxpool: {
        Enclosed y{std::vector<double>(f.windows.size()), std::vector<double>(f.windows.size(), 0)};
        for (std::size_t i = 0; i < f.windows.size(); ++i) {
          y.value[i] = x.value[f.windows[i][0].at];
          for (const exact::Cell& c : f.windows[i])
            y.value[i] = std::max(y.value[i], x.value[c.at]), y.bound[i] = std::max(y.bound[i], x.bound[c.at]);
        }
        return y;
      }
    }
    return {};
  }
};

namespace {

bool finite(const Enclosed& y) {
  for (std::size_t i = 0; i < y.value.size(); ++i)
    if (!std::isfinite(y.value[i]) || !std::isfinite(y.bound[i])) return false;
  return true;
}

}  // namespace

GraphFilter::GraphFilter(const exact::Graph& g) : impl_(new Impl{g, {}, true}) {
  exact::validate(g, "graph");
  const Upward up;
  for (const GraphNode& n : g.nodes) {
    impl_->nodes.push_back(impl_->compile(n));
    impl_->usable = impl_->usable && impl_->nodes.back().w.usable && impl_->nodes.back().b.usable;
  }
}

GraphFilter::~GraphFilter() = default;
GraphFilter::GraphFilter(GraphFilter&&) noexcept = default;

bool GraphFilter::usable() const { return impl_->usable; }

std::optional<Enclosed> GraphFilter::outputs(const exact::Vector& x) const {
  if (!impl_->usable || x.size() != impl_->g.input_dim()) return std::nullopt;
  const Upward up;
  std::vector<Enclosed> at(impl_->g.nodes.size() + 1);
  for (const mpq_class& q : x) {  // x^ truncated: |x - x^| < 2^-52 |x^| + 2^-1074
    const double h = q.get_d();
    if (!(std::fabs(h) <= 0x1p1000)) return std::nullopt;
    at[0].value.push_back(h);
    at[0].bound.push_back(mpq_class(h) == q ? 0 : two_52 * std::fabs(h) + tiny);
  }
  if (!finite(at[0])) return std::nullopt;
  for (std::size_t k = 0; k < impl_->g.nodes.size(); ++k) {
    at[k + 1] = impl_->node(k, at);
    if (!finite(at[k + 1])) return std::nullopt;
  }
  return std::move(at.back());
}

std::optional<int> decide_box(exact::Decision decision, const mpq_class& threshold, const Enclosed& y) {
  std::vector<mpq_class> lo, hi;
  for (std::size_t m = 0; m < y.value.size(); ++m) {
    lo.push_back(mpq_class(y.value[m]) - mpq_class(y.bound[m]));
    hi.push_back(mpq_class(y.value[m]) + mpq_class(y.bound[m]));
  }
  auto sure = [](bool yes, bool no) -> std::optional<int> {
    if (yes) return 1;
    if (no) return -1;
    return std::nullopt;
  };
  switch (decision) {
    case exact::Decision::sign: return sure(lo[0] > 0, hi[0] <= 0);
    case exact::Decision::above: return sure(lo[0] > threshold, hi[0] <= threshold);
    case exact::Decision::at_least: return sure(lo[0] >= threshold, hi[0] < threshold);
    case exact::Decision::all_positive: {
      bool all = true, one_not = false;
      for (std::size_t m = 0; m < lo.size(); ++m) all = all && lo[m] > 0, one_not = one_not || hi[m] <= 0;
      return sure(all, one_not);
    }
    case exact::Decision::argmax: {  // the first largest: strictly above earlier outputs, at least later ones
      const std::size_t best = std::size_t(std::max_element(y.value.begin(), y.value.end()) - y.value.begin());
      for (std::size_t m = 0; m < lo.size(); ++m)
        if (m != best && !(m < best ? lo[best] > hi[m] : lo[best] >= hi[m])) return std::nullopt;
      return int(best);
    }
  }
  return std::nullopt;
}

std::optional<int> GraphFilter::label(const exact::Vector& x) const {
  const std::optional<Enclosed> y = outputs(x);
  if (!y) return std::nullopt;
  return decide_box(impl_->g.decision, impl_->g.threshold, *y);
}

FilteredLabeler::FilteredLabeler(exact::Graph g, const std::string& source) : engine_(std::move(g), source), filter_(engine_.graph()) {}

int FilteredLabeler::label(const exact::Vector& x) const {
  ++calls_;
  if (const std::optional<int> l = filter_.label(x)) return *l;
  ++fallbacks_;
  return engine_.label(x);
}

}  // namespace advdir::enclose
