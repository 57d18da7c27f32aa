// The exact graph engine on convnets: the paper's convnet (trained here by the float layer
// on mnist10k, 3 epochs on 5,000 images) and a CIFAR-sized residual convnet (3x32x32, random
// float32 weights, random images in [0, 1]: no CIFAR data ships with Debian).
// - Exact evaluations per image.
// - Exact rays per second with their kinks: the convnet's from test images toward another
//   image (x_beta - x_alpha, as Theorem 15), along PGD's perturbation and along a random
//   corner of PGD's 0.1 ball; the residual net's along a random corner of the 8/255 ball
//   and along PGD's perturbation (libtorch).
// - Each beside a float64 run of the same algorithm on the same inputs in the same run:
//   the incremental walk of (alpha, beta) with the same ReLU and max-pool choices, in doubles.
// - Labels: exact, and float first through lib/enclose's filter with its exact fallback
//   (how often it falls back, on test images, PGD images and the rays' exit points).
// Usage: bench_graph [DATA_DIR] [RAYS]   (default data, 5 rays a kind)
#include "advdir/enclose/graph_filter.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/graph_loops.hpp"
#include "advdir/fp/attack.hpp"
#include "advdir/fp/images.hpp"
#include "advdir/torch/nets.hpp"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <queue>
#include <random>

using namespace advdir;
using Clock = std::chrono::steady_clock;
using exact::Op;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// --- the float64 twin: the engine's algorithm in doubles -----------------------------

struct FloatRing {
  static void mul_add(double& d, double a, double b) { d += a * b; }
  static bool is_zero(double a) { return a == 0; }
};

using Values = std::vector<std::vector<double>>;  // one per value of the graph, 0 the input

struct FloatGraph {
  const exact::Graph& g;
  std::vector<std::vector<double>> W, b;  // dense rows flat, conv kernel, scale a, avgpool 1/divisor; biases
  std::vector<std::vector<std::vector<exact::Cell>>> windows;
  std::vector<std::vector<std::vector<std::size_t>>> windows_at;  // maxpool: input entry -> windows
  explicit FloatGraph(const exact::Graph& graph) : g(graph) {
    for (const exact::GraphNode& n : g.nodes) {
      std::vector<double> w, c;
      for (const exact::Vector& row : n.W)
        for (const mpq_class& q : row) w.push_back(q.get_d());
      for (const mpq_class& q : n.weights) w.push_back(q.get_d());
      for (const mpq_class& q : n.bias) c.push_back(q.get_d());
      if (n.op == Op::conv && c.empty()) c.assign(n.out_channels, 0);
      windows.emplace_back(), windows_at.emplace_back();
      if (n.op == Op::maxpool || n.op == Op::avgpool) windows.back() = exact::windows_of(n.window);
      if (n.op == Op::avgpool)
        for (std::size_t k = 0; k < windows.back().size(); ++k) {
          const std::size_t at = k % (n.window.out_h * n.window.out_w);
          w.push_back(1.0 / double(exact::avg_divisor(n.window, at / n.window.out_w, at % n.window.out_w, n.count_include_pad)));
        }
      if (n.op == Op::maxpool) {
        windows_at.back().resize(n.window.channels * n.window.height * n.window.width);
        for (std::size_t i = 0; i < windows.back().size(); ++i)
          for (const exact::Cell& cell : windows.back()[i]) windows_at.back()[cell.at].push_back(i);
      }
      W.push_back(std::move(w)), b.push_back(std::move(c));
    }
  }

  std::size_t size(std::size_t k) const {
    std::size_t s = 1;
    for (std::size_t d : g.nodes[k].shape) s *= d;
    return s;
  }

  // Node k's linear part on `in` (the values of its inputs, or their changes `at` alone) into out.
  void linear(std::size_t k, const Values& in, const std::vector<std::vector<std::size_t>>* at, std::vector<double>& out) const {
    const exact::GraphNode& n = g.nodes[k];
    const std::vector<double>& x = in[n.inputs[0]];
    std::vector<std::size_t> all;
    if (!at) all.resize(x.size()), std::iota(all.begin(), all.end(), 0);
    const std::vector<std::size_t>& nz = at ? (*at)[n.inputs[0]] : all;
    switch (n.op) {
      case Op::dense: exact::dense_products<FloatRing>(out.size(), x.size(), nz, W[k].data(), x.data(), out.data()); break;
      case Op::conv:
        if (at) exact::conv_scatter<FloatRing>(n, W[k].data(), x.data(), nz, out.data());
        else exact::conv_products<FloatRing>(n, W[k].data(), x.data(), out.data());
        break;
      case Op::scale:
        for (std::size_t i : nz) out[i] = W[k][i] * x[i];
        break;
      case Op::avgpool:
        for (std::size_t i = 0; i < windows[k].size(); ++i)
          for (const exact::Cell& c : windows[k][i]) out[i] += W[k][i] * x[c.at];
        break;
      case Op::add:
        for (std::size_t m = 0; m < n.inputs.size(); ++m)
          for (std::size_t i = 0; i < out.size(); ++i) out[i] += n.signs[m] * in[n.inputs[m]][i];
        break;
      case Op::gather:
        for (std::size_t i = 0; i < out.size(); ++i)
          if (n.source[i].second >= 0) out[i] = in[n.inputs[n.source[i].first]][std::size_t(n.source[i].second)];
        break;
      case Op::relu:
      case Op::maxpool: break;
    }
  }

  static bool on(double v, double d) { return v > 0 || (v == 0 && d > 0); }

  // The first largest cell by (value, slope) of window i of node k.
  std::size_t first_largest(std::size_t k, std::size_t i, const std::vector<double>& v, const std::vector<double>& d) const {
    const auto& cells = windows[k][i];
    return exact::first_largest(cells.size(), [&](std::size_t j, std::size_t w) { return (v[cells[j].at] > v[cells[w].at]) - (v[cells[j].at] < v[cells[w].at]); },
                                       [&](std::size_t j, std::size_t w) { return (d[cells[j].at] > d[cells[w].at]) - (d[cells[j].at] < d[cells[w].at]); });
  }

  // Every value and slope at x along dir, each ReLU and window choosing as just past x.
  void forward(const std::vector<double>& x, const std::vector<double>& dir, Values& A, Values& B) const {
    A.assign(1, x), B.assign(1, dir);
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const exact::GraphNode& n = g.nodes[k];
      const std::vector<double> &a = A[n.inputs[0]], &d = B[n.inputs[0]];
      std::vector<double> ya(size(k), 0), yd(size(k), 0);
      if (n.op == Op::relu) {
        for (std::size_t i = 0; i < a.size(); ++i)
          if (on(a[i], d[i])) ya[i] = a[i], yd[i] = d[i];
      } else if (n.op == Op::maxpool) {
        for (std::size_t i = 0; i < windows[k].size(); ++i) {
          const std::size_t w = windows[k][i][first_largest(k, i, a, d)].at;
          ya[i] = a[w], yd[i] = d[w];
        }
      } else {
        linear(k, A, nullptr, ya), linear(k, B, nullptr, yd);
        for (std::size_t i = 0; !b[k].empty() && i < ya.size(); ++i) ya[i] += b[k][i * b[k].size() / ya.size()];
      }
      A.push_back(std::move(ya)), B.push_back(std::move(yd));
    }
  }

  static int argmax(const std::vector<double>& a, const std::vector<double>& d, double c) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < a.size(); ++i)
      if (a[i] + c * d[i] > a[best] + c * d[best]) best = i;
    return int(best);
  }

  // The incremental walk in doubles: alpha + c beta per value, a heap of roots, the changes
  // at a kink carried downstream. c_exit (inf if none).
  double walk(const std::vector<double>& x, const std::vector<double>& v, std::size_t& kinks) const {
    const std::size_t N = g.nodes.size();
    Values A, B;
    forward(x, v, A, B);
    Values dA(N + 1), dB(N + 1);
    std::vector<std::vector<std::size_t>> changed(N + 1), forced(N), choice(N);
    std::vector<std::vector<std::uint32_t>> version(N);
    std::vector<std::vector<char>> mark(N + 1);
    for (std::size_t k = 0; k <= N; ++k) dA[k].assign(A[k].size(), 0), dB[k].assign(A[k].size(), 0), mark[k].assign(A[k].size(), 0);
    struct Root {
      double at;
      std::size_t node, entry;
      std::uint32_t version;
      bool operator<(const Root& o) const { return at > o.at; }
    };
    std::priority_queue<Root> heap;
    double t = 0;
    auto push_relu = [&](std::size_t k, std::size_t i) {
      const std::size_t in = g.nodes[k].inputs[0];
      if (B[in][i] != 0 && -A[in][i] / B[in][i] > t) heap.push({-A[in][i] / B[in][i], k, i, version[k][i]});
    };
    auto push_window = [&](std::size_t k, std::size_t i) {
      const std::size_t in = g.nodes[k].inputs[0], w = windows[k][i][choice[k][i]].at;
      double first = std::numeric_limits<double>::infinity();
      for (const exact::Cell& c : windows[k][i])
        if (B[in][c.at] > B[in][w]) first = std::min(first, (A[in][w] - A[in][c.at]) / (B[in][c.at] - B[in][w]));
      if (std::isfinite(first) && first > t) heap.push({first, k, i, version[k][i]});
    };
    auto val = [&](std::size_t in, std::size_t i) { return A[in][i] + t * B[in][i]; };
    for (std::size_t k = 0; k < N; ++k) {
      const std::size_t in = g.nodes[k].inputs[0], n = A[k + 1].size();
      if (g.nodes[k].op == Op::relu) {
        choice[k].resize(n), version[k].assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) choice[k][i] = on(A[in][i], B[in][i]), push_relu(k, i);
      } else if (g.nodes[k].op == Op::maxpool) {
        choice[k].resize(n), version[k].assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) choice[k][i] = first_largest(k, i, A[in], B[in]), push_window(k, i);
      }
    }
    auto touch = [&](std::size_t v, std::size_t i) {
      if (!mark[v][i]) mark[v][i] = 1, changed[v].push_back(i);
    };
    auto set_output = [&](std::size_t k, std::size_t i, double a, double d) {
      if (a == A[k + 1][i] && d == B[k + 1][i]) return;
      dA[k + 1][i] = a - A[k + 1][i], dB[k + 1][i] = d - B[k + 1][i], A[k + 1][i] = a, B[k + 1][i] = d;
      touch(k + 1, i);
    };
    const int before = argmax(A[N], B[N], 0);
    kinks = 0;
    for (;;) {
      while (!heap.empty() && version[heap.top().node][heap.top().entry] != heap.top().version) heap.pop();
      const double end = heap.empty() ? 1e6 : heap.top().at;
      if (argmax(A[N], B[N], end) != before) {  // the exit on this piece: the first race root
        double best = end;
        for (std::size_t i = 0; i < A[N].size(); ++i) {
          const double g0 = A[N][i] - A[N][std::size_t(before)], g1 = B[N][i] - B[N][std::size_t(before)];
          if (int(i) != before && g1 > 0) best = std::min(best, std::max(t, -g0 / g1));
        }
        return best;
      }
      if (heap.empty()) return std::numeric_limits<double>::infinity();
      t = end, ++kinks;
      while (!heap.empty() && heap.top().at == t) {
        if (version[heap.top().node][heap.top().entry] == heap.top().version) forced[heap.top().node].push_back(heap.top().entry);
        heap.pop();
      }
      for (std::size_t k = 0; k < N; ++k) {
        const exact::GraphNode& n = g.nodes[k];
        bool any = !forced[k].empty();
        for (std::size_t i : n.inputs) any = any || !changed[i].empty();
        if (!any) continue;
        const std::size_t in = n.inputs[0];
        std::vector<std::size_t> cand = forced[k];
        const std::size_t forced_count = cand.size();
        forced[k].clear();
        if (n.op == Op::relu) {
          cand.insert(cand.end(), changed[in].begin(), changed[in].end());
          for (std::size_t c = 0; c < cand.size(); ++c) {
            const std::size_t i = cand[c];  // a forced unit is at its zero: its slope decides
            const bool now = c < forced_count ? B[in][i] > 0 : on(val(in, i), B[in][i]);
            choice[k][i] = now;
            set_output(k, i, now ? A[in][i] : 0, now ? B[in][i] : 0);
            ++version[k][i], push_relu(k, i);
          }
        } else if (n.op == Op::maxpool) {
          for (std::size_t j : changed[in]) cand.insert(cand.end(), windows_at[k][j].begin(), windows_at[k][j].end());
          std::sort(cand.begin(), cand.end());
          cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
          std::vector<double> at_t(A[in].size());
          for (std::size_t i : cand) {
            for (const exact::Cell& c : windows[k][i]) at_t[c.at] = val(in, c.at);
            choice[k][i] = first_largest(k, i, at_t, B[in]);
            const std::size_t w = windows[k][i][choice[k][i]].at;
            set_output(k, i, A[in][w], B[in][w]);
            ++version[k][i], push_window(k, i);
          }
        } else {
          std::vector<double> da(A[k + 1].size(), 0), db(A[k + 1].size(), 0);
          linear(k, dA, &changed, da), linear(k, dB, &changed, db);
          for (std::size_t i = 0; i < da.size(); ++i)
            if (da[i] != 0 || db[i] != 0) dA[k + 1][i] = da[i], dB[k + 1][i] = db[i], A[k + 1][i] += da[i], B[k + 1][i] += db[i], touch(k + 1, i);
        }
      }
      for (std::size_t k = 0; k <= N; ++k) {
        for (std::size_t i : changed[k]) dA[k][i] = dB[k][i] = 0, mark[k][i] = 0;
        changed[k].clear();
      }
    }
  }
};

// --- the nets --------------------------------------------------------------------------

exact::Vector random_vector(std::mt19937_64& rng, std::size_t n, double scale) {
  std::normal_distribution<float> g(0, 1);
  exact::Vector out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(mpq_class(double(float(scale) * g(rng))));
  return out;
}

exact::Window2d square(std::size_t c, std::size_t hw, std::size_t k, std::size_t stride, std::size_t pad) {
  exact::Window2d w{c, hw, hw, k, k, stride, stride, 1, 1, pad, pad, pad, pad};
  w.out_h = w.out_w = exact::window_positions(hw, k, stride, 1, pad, pad, false);
  return w;
}

// 3x32x32 -> conv 3-16 k3 p1, relu -> [conv 16-16 k3 p1, relu, conv 16-16 k3 p1] + skip,
// relu -> maxpool 2 -> conv 16-32 k3 s2 p1, relu -> global average pool -> dense 32-10.
exact::Graph residual_net(std::mt19937_64& rng) {
  exact::Graph g{{1, 3, 32, 32}, {}, exact::Decision::argmax, 0};
  auto conv = [&](std::size_t in, std::size_t c, std::size_t o, std::size_t hw, std::size_t stride) {
    exact::GraphNode n = exact::graph_node("conv", Op::conv, {in}, {});
    n.window = square(c, hw, 3, stride, 1), n.out_channels = o;
    n.shape = {1, o, n.window.out_h, n.window.out_w};
    n.weights = random_vector(rng, o * c * 9, std::sqrt(2.0 / double(c * 9))), n.bias = random_vector(rng, o, 0.05);
    g.nodes.push_back(std::move(n));
    return g.nodes.size();
  };
  auto relu = [&](std::size_t in) {
    g.nodes.push_back(exact::graph_node("relu", Op::relu, {in}, g.nodes[in - 1].shape));
    return g.nodes.size();
  };
  const std::size_t a = relu(conv(0, 3, 16, 32, 1));
  const std::size_t b = conv(relu(conv(a, 16, 16, 32, 1)), 16, 16, 32, 1);
  exact::GraphNode sum = exact::graph_node("add", Op::add, {b, a}, {1, 16, 32, 32});
  sum.signs = {1, 1};
  g.nodes.push_back(std::move(sum));
  const std::size_t s = relu(g.nodes.size());
  exact::GraphNode pool = exact::graph_node("maxpool", Op::maxpool, {s}, {1, 16, 16, 16});
  pool.window = square(16, 32, 2, 2, 0);
  g.nodes.push_back(std::move(pool));
  const std::size_t c = relu(conv(g.nodes.size(), 16, 32, 16, 2));
  exact::GraphNode avg = exact::graph_node("avgpool", Op::avgpool, {c}, {1, 32, 1, 1});
  avg.window = square(32, 8, 8, 1, 0);
  g.nodes.push_back(std::move(avg));
  exact::GraphNode fc = exact::graph_node("fc", Op::dense, {g.nodes.size()}, {1, 10});
  for (int r = 0; r < 10; ++r) fc.W.push_back(random_vector(rng, 32, 0.25));
  fc.bias = random_vector(rng, 10, 0.05);
  g.nodes.push_back(std::move(fc));
  exact::validate(g, "residual");
  return g;
}

// PGD on a graph net in libtorch (float64, autograd): `steps` sign steps of size `step` on
// the margin max_{j != y} o_j - o_y, kept in the l_inf ball of radius eps and in [0, 1].
// The graph's conv, pooling, sums, ReLU and dense nodes as torch ops (symmetric pads).
torch::Tensor torch_forward(const exact::Graph& g, torch::Tensor x) {
  auto tensor = [](const exact::Vector& v, std::vector<int64_t> shape) {
    std::vector<double> d;
    for (const mpq_class& q : v) d.push_back(q.get_d());
    return torch::tensor(d, torch::kFloat64).reshape(shape);
  };
  std::vector<torch::Tensor> at{x};
  for (const exact::GraphNode& n : g.nodes) {
    const torch::Tensor& in = at[n.inputs[0]];
    const exact::Window2d& w = n.window;
    const std::vector<int64_t> k{int64_t(w.kernel_h), int64_t(w.kernel_w)}, s{int64_t(w.stride_h), int64_t(w.stride_w)},
        p{int64_t(w.pad_top), int64_t(w.pad_left)};
    switch (n.op) {
      case Op::conv:
        at.push_back(torch::conv2d(in, tensor(n.weights, {int64_t(n.out_channels), int64_t(w.channels / n.group), k[0], k[1]}),
                                   tensor(n.bias, {int64_t(n.out_channels)}), s, p, {int64_t(w.dilation_h), int64_t(w.dilation_w)}, int64_t(n.group)));
        break;
      case Op::relu: at.push_back(torch::relu(in)); break;
      case Op::maxpool: at.push_back(torch::max_pool2d(in, k, s, p)); break;
      case Op::avgpool: at.push_back(torch::avg_pool2d(in, k, s, p, false, n.count_include_pad)); break;
      case Op::add: {
        torch::Tensor sum = n.signs[0] * in;
        for (std::size_t m = 1; m < n.inputs.size(); ++m) sum = sum + n.signs[m] * at[n.inputs[m]];
        at.push_back(sum);
        break;
      }
      case Op::dense: {
        exact::Vector flat;
        for (const exact::Vector& row : n.W) flat.insert(flat.end(), row.begin(), row.end());
        at.push_back(torch::linear(in.flatten(1), tensor(flat, {int64_t(n.W.size()), int64_t(n.W[0].size())}), tensor(n.bias, {int64_t(n.W.size())})));
        break;
      }
      default: throw std::runtime_error("torch_forward: no torch op for this node");
    }
  }
  return at.back();
}

std::vector<exact::Vector> pgd_directions(const exact::Graph& g, const std::vector<exact::Vector>& X, double eps, int steps) {
  std::vector<double> flat;
  for (const exact::Vector& x : X)
    for (const mpq_class& q : x) flat.push_back(q.get_d());
  std::vector<int64_t> shape{int64_t(X.size())};
  shape.insert(shape.end(), g.input_shape.begin() + 1, g.input_shape.end());
  const torch::Tensor x0 = torch::tensor(flat, torch::kFloat64).reshape(shape);
  const torch::Tensor y = torch_forward(g, x0).argmax(1);
  torch::Tensor z = x0.clone();
  for (int step = 0; step < steps; ++step) {
    z.requires_grad_(true);
    const torch::Tensor o = torch_forward(g, z);
    const torch::Tensor mine = o.gather(1, y.unsqueeze(1)).squeeze(1);
    const torch::Tensor others = o.scatter(1, y.unsqueeze(1), -1e300).amax(1);
    (others - mine).sum().backward();
    z = torch::min(torch::max(z.detach() + (2.5 * eps / steps) * z.grad().sign(), x0 - eps), x0 + eps).clamp(0, 1);
  }
  const torch::Tensor d = (z - x0).reshape({int64_t(X.size()), -1}).contiguous();
  std::vector<exact::Vector> out;
  for (std::size_t i = 0; i < X.size(); ++i) {
    exact::Vector v;
    for (int64_t j = 0; j < d.size(1); ++j) v.push_back(mpq_class(d[int64_t(i)][j].item<double>()));
    out.push_back(std::move(v));
  }
  return out;
}

exact::Vector exact_of(const float* x, std::size_t n) {
  exact::Vector out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(mpq_class(double(x[i])));
  return out;
}

// The rays' exit points (where the label ties or changes) go to `exit_points`.
void report(const char* net, const char* kind, const exact::GraphEngine& engine, const FloatGraph& twin,
            const std::vector<exact::Vector>& X, const std::vector<exact::Vector>& V, std::vector<exact::Vector>& exit_points) {
  std::size_t kinks = 0, float_kinks = 0, exits = 0;
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < X.size(); ++i) {
    const exact::NetRay r = engine.ray(X[i], V[i]);
    kinks += r.breakpoints.size(), exits += r.adversarial;
    if (!r.adversarial) continue;
    exit_points.push_back(X[i]);
    for (std::size_t j = 0; j < X[i].size(); ++j) exit_points.back()[j] += r.c_exit * V[i][j];
  }
  const double exact_s = seconds(t0);
  std::vector<std::vector<double>> Xd, Vd;
  for (std::size_t i = 0; i < X.size(); ++i) {
    Xd.emplace_back(), Vd.emplace_back();
    for (std::size_t j = 0; j < X[i].size(); ++j) Xd.back().push_back(X[i][j].get_d()), Vd.back().push_back(V[i][j].get_d());
  }
  t0 = Clock::now();
  for (std::size_t i = 0; i < X.size(); ++i) {
    std::size_t k = 0;
    twin.walk(Xd[i], Vd[i], k);
    float_kinks += k;
  }
  const double float_s = seconds(t0);
  std::printf("%-9s %-7s rays: exact %7.2f rays/s (%6.1f kinks/ray, %zu/%zu exit)   float64 %8.2f rays/s (%6.1f kinks/ray)   ratio %5.1fx\n", net,
              kind, double(X.size()) / exact_s, double(kinks) / double(X.size()), exits, X.size(), double(X.size()) / float_s,
              double(float_kinks) / double(X.size()), exact_s / float_s);
}

void evaluations(const char* net, const exact::GraphEngine& engine, const FloatGraph& twin, const std::vector<exact::Vector>& X) {
  auto t0 = Clock::now();
  for (const exact::Vector& x : X) engine.label(x);
  const double exact_s = seconds(t0) / double(X.size());
  const std::vector<double> zero(X[0].size(), 0);
  t0 = Clock::now();
  for (const exact::Vector& x : X) {
    std::vector<double> xd;
    for (const mpq_class& q : x) xd.push_back(q.get_d());
    Values A, B;
    twin.forward(xd, zero, A, B);
  }
  const double float_s = seconds(t0) / double(X.size());
  std::printf("%-9s eval:   exact %7.2f ms/image   float64 (value and slope) %7.3f ms/image   ratio %5.1fx\n", net, exact_s * 1e3, float_s * 1e3,
              exact_s / float_s);
}

// Labels exact only, and float first (lib/enclose's filter, exact where its bound cannot
// decide): per label, and how often the exact fallback ran.
void filtered_labels(const char* net, const char* points, const exact::GraphEngine& engine, const enclose::FilteredLabeler& labeler,
                     const std::vector<exact::Vector>& X) {
  std::vector<int> exact_labels;
  auto t0 = Clock::now();
  for (const exact::Vector& x : X) exact_labels.push_back(engine.label(x));
  const double exact_s = seconds(t0) / double(X.size());
  const std::size_t before = labeler.fallbacks();
  std::size_t wrong = 0;
  t0 = Clock::now();
  for (std::size_t i = 0; i < X.size(); ++i) wrong += labeler.label(X[i]) != exact_labels[i];
  const double filtered_s = seconds(t0) / double(X.size());
  std::printf("%-9s labels of %-22s exact %7.3f ms   float first %7.3f ms (%zu of %zu fell back to exact, %zu differ)   speed-up %5.1fx\n", net,
              points, exact_s * 1e3, filtered_s * 1e3, labeler.fallbacks() - before, X.size(), wrong, exact_s / filtered_s);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "data";
  const std::size_t rays = argc > 2 ? std::size_t(std::atoi(argv[2])) : 5;
  std::mt19937_64 rng(7);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  const fp::Images all = fp::load_images("mnist10k", dir);
  std::vector<std::size_t> train_rows, test_rows;
  for (std::size_t i = 0; i < 5000; ++i) train_rows.push_back(i);
  for (std::size_t i = 0; i < rays; ++i) test_rows.push_back(5000 + 7 * i);
  const fp::Images test = all.subset(test_rows);
  torchnets::TrainOptions options;
  options.epochs = 3;
  torchnets::Net convnet(torchnets::Arch::convnet, options);
  auto t0 = Clock::now();
  convnet.train(all.subset(train_rows));
  std::size_t correct = 0;
  const std::vector<int> predicted = convnet.predict(test.x.data(), test.n);
  for (std::size_t i = 0; i < test.n; ++i) correct += predicted[i] == test.y[i];
  std::printf("paper's convnet trained in %.1f s (3 epochs, 5,000 mnist10k images; %zu of %zu test images right)\n", seconds(t0), correct, test.n);
  const exact::Graph cg = convnet.to_exact();
  const exact::GraphEngine cengine(cg);
  const FloatGraph ctwin(cg);
  std::vector<exact::Vector> X, V, P, C;
  std::uniform_int_distribution<int> coin(0, 1);
  const std::vector<float> z = fp::perturb(&convnet, test, fp::Attack::pgd, {0.1f, 40, 0.01f, 1});
  for (std::size_t i = 0; i < test.n; ++i) {
    X.push_back(exact_of(test.row(i), 784));
    // toward the next image the net labels differently: the label must change by c = 1
    std::size_t o = 9000 + 13 * i;
    while (o + 1 < all.n && cengine.label(exact_of(all.row(o), 784)) == cengine.label(X.back())) ++o;
    const float* other = all.row(o);
    exact::Vector toward;
    for (std::size_t j = 0; j < 784; ++j) toward.push_back(mpq_class(double(other[j])) - X.back()[j]);
    V.push_back(std::move(toward));
    exact::Vector p(784);
    for (std::size_t j = 0; j < 784; ++j) p[j] = mpq_class(double(z[i * 784 + j])) - X.back()[j];
    P.push_back(std::move(p));
    exact::Vector corner;  // a random corner of the 0.1 ball, PGD's radius
    for (std::size_t j = 0; j < 784; ++j) corner.push_back(mpq_class(coin(rng) ? 1 : -1, 10));
    C.push_back(std::move(corner));
  }
  evaluations("convnet", cengine, ctwin, X);
  std::vector<exact::Vector> exit_points;
  report("convnet", "toward", cengine, ctwin, X, V, exit_points);
  report("convnet", "PGD", cengine, ctwin, X, P, exit_points);
  report("convnet", "random", cengine, ctwin, X, C, exit_points);

  // Labels of 500 test images and their PGD perturbations, and of the rays' exit points,
  // where two outputs tie exactly (the filter must fall back there).
  std::vector<std::size_t> label_rows;
  for (std::size_t i = 0; i < 500; ++i) label_rows.push_back(5000 + i);
  const fp::Images label_images = all.subset(label_rows);
  const std::vector<float> label_pgd = fp::perturb(&convnet, label_images, fp::Attack::pgd, {0.1f, 40, 0.01f, 1});
  std::vector<exact::Vector> images, perturbed;
  for (std::size_t i = 0; i < label_images.n; ++i)
    images.push_back(exact_of(label_images.row(i), 784)), perturbed.push_back(exact_of(label_pgd.data() + i * 784, 784));
  const enclose::FilteredLabeler clabeler(cg);
  filtered_labels("convnet", "test images", cengine, clabeler, images);
  filtered_labels("convnet", "PGD images", cengine, clabeler, perturbed);
  filtered_labels("convnet", "rays' exit points", cengine, clabeler, exit_points);

  const exact::Graph rg = residual_net(rng);
  const exact::GraphEngine rengine(rg);
  const FloatGraph rtwin(rg);
  // Rays from random images along a random corner of the l_inf ball of radius 8/255, and
  // along PGD's perturbation in that ball (10 steps, libtorch float64 on the same weights).
  std::vector<exact::Vector> RX, RV;
  std::uniform_real_distribution<float> pixel(0, 1);
  for (std::size_t i = 0; i < std::max<std::size_t>(rays, 3); ++i) {
    exact::Vector x;
    exact::Vector r;
    for (int j = 0; j < 3 * 32 * 32; ++j) x.push_back(mpq_class(double(pixel(rng)))), r.push_back(mpq_class(coin(rng) ? 8 : -8, 255));
    RX.push_back(std::move(x)), RV.push_back(std::move(r));
  }
  evaluations("residual", rengine, rtwin, RX);
  std::vector<exact::Vector> residual_exits;
  report("residual", "random", rengine, rtwin, RX, RV, residual_exits);
  report("residual", "PGD", rengine, rtwin, RX, pgd_directions(rg, RX, 8.0 / 255, 10), residual_exits);
  const enclose::FilteredLabeler rlabeler(rg);
  filtered_labels("residual", "random images", rengine, rlabeler, RX);
  return 0;
}
