// The exact graph engine on convnets: the paper's convnet (trained here by the float layer
// on mnist10k, 3 epochs on 5,000 images) and a CIFAR-sized residual convnet (3x32x32, random
// float32 weights, random images in [0, 1]: no CIFAR data ships with Debian). Exact
// evaluations per second, and exact rays per second with their kinks: the convnet's from
// test images toward another image (x_beta - x_alpha, as Theorem 15) and along PGD's
// perturbation (the residual net: evaluations only). Each beside a float64 run of the same algorithm on the same inputs in the same
// run: the per-piece forward pass of (value, slope) with the same ReLU and max-pool
// choices, in doubles.
// Labels: exact, and float first through lib/enclose's filter with its exact fallback.
// Usage: bench_graph [DATA_DIR] [RAYS]   (default data, 5 rays a kind)
#include "advdir/enclose/graph_filter.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/fp/attack.hpp"
#include "advdir/fp/images.hpp"
#include "advdir/torch/nets.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>

using namespace advdir;
using Clock = std::chrono::steady_clock;
using exact::Op;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// --- the float64 twin: the engine's algorithm in doubles -----------------------------

struct Pair {
  std::vector<double> v, d;  // value at the piece's start, slope
};

struct FloatGraph {
  const exact::Graph& g;
  std::vector<std::vector<double>> W, b;  // dense rows flat, conv kernel, scale a; biases
  explicit FloatGraph(const exact::Graph& graph) : g(graph) {
    for (const exact::GraphNode& n : g.nodes) {
      std::vector<double> w, c;
      for (const exact::Vector& row : n.W)
        for (const mpq_class& q : row) w.push_back(q.get_d());
      for (const mpq_class& q : n.weights) w.push_back(q.get_d());
      for (const mpq_class& q : n.bias) c.push_back(q.get_d());
      W.push_back(std::move(w)), b.push_back(std::move(c));
    }
  }

  static bool inside(const exact::Window2d& w, std::size_t oh, std::size_t ow, std::size_t i, std::size_t j, std::size_t& y, std::size_t& x) {
    const long yy = long(oh * w.stride_h + i * w.dilation_h) - long(w.pad_top), xx = long(ow * w.stride_w + j * w.dilation_w) - long(w.pad_left);
    if (yy < 0 || xx < 0 || yy >= long(w.height) || xx >= long(w.width)) return false;
    y = std::size_t(yy), x = std::size_t(xx);
    return true;
  }

  // One forward pass of (value, slope); `step` the first ReLU kink or window switch.
  std::vector<double> forward(const std::vector<double>& x, const std::vector<double>& dir, double& step) const {
    std::vector<Pair> at{{x, dir}};
    step = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const exact::GraphNode& n = g.nodes[k];
      const Pair& in = at[n.inputs[0]];
      const std::size_t size = n.shape.empty() ? 1 : [&] { std::size_t s = 1; for (auto d : n.shape) s *= d; return s; }();
      Pair out{std::vector<double>(size), std::vector<double>(size)};
      const exact::Window2d& w = n.window;
      switch (n.op) {
        case Op::dense:
          for (std::size_t r = 0; r < size; ++r) {
            double s0 = b[k][r], s1 = 0;
            const double* row = W[k].data() + r * in.v.size();
            for (std::size_t c = 0; c < in.v.size(); ++c) s0 += row[c] * in.v[c], s1 += row[c] * in.d[c];
            out.v[r] = s0, out.d[r] = s1;
          }
          break;
        case Op::conv: {
          const std::size_t per = w.channels / n.group, outs = n.out_channels / n.group;
          for (std::size_t o = 0; o < n.out_channels; ++o)
            for (std::size_t oh = 0; oh < w.out_h; ++oh)
              for (std::size_t ow = 0; ow < w.out_w; ++ow) {
                double s0 = b[k].empty() ? 0 : b[k][o], s1 = 0;
                for (std::size_t ci = 0; ci < per; ++ci)
                  for (std::size_t i = 0; i < w.kernel_h; ++i)
                    for (std::size_t j = 0; j < w.kernel_w; ++j) {
                      std::size_t y, xx;
                      if (!inside(w, oh, ow, i, j, y, xx)) continue;
                      const double kv = W[k][((o * per + ci) * w.kernel_h + i) * w.kernel_w + j];
                      const std::size_t src = (((o / outs) * per + ci) * w.height + y) * w.width + xx;
                      s0 += kv * in.v[src], s1 += kv * in.d[src];
                    }
                out.v[(o * w.out_h + oh) * w.out_w + ow] = s0, out.d[(o * w.out_h + oh) * w.out_w + ow] = s1;
              }
          break;
        }
        case Op::scale:
          for (std::size_t i = 0; i < size; ++i) out.v[i] = W[k][i] * in.v[i] + b[k][i], out.d[i] = W[k][i] * in.d[i];
          break;
        case Op::add:
          for (std::size_t m = 0; m < n.inputs.size(); ++m)
            for (std::size_t i = 0; i < size; ++i) out.v[i] += n.signs[m] * at[n.inputs[m]].v[i], out.d[i] += n.signs[m] * at[n.inputs[m]].d[i];
          break;
        case Op::gather:
          for (std::size_t i = 0; i < size; ++i)
            if (n.source[i].second >= 0)
              out.v[i] = at[n.inputs[n.source[i].first]].v[std::size_t(n.source[i].second)],
              out.d[i] = at[n.inputs[n.source[i].first]].d[std::size_t(n.source[i].second)];
          break;
        case Op::relu:
          for (std::size_t i = 0; i < size; ++i) {
            const bool on = in.v[i] > 0 || (in.v[i] == 0 && in.d[i] > 0);
            if (on) out.v[i] = in.v[i], out.d[i] = in.d[i];
            if (in.v[i] * in.d[i] < 0) step = std::min(step, -in.v[i] / in.d[i]);
          }
          break;
        case Op::maxpool:
        case Op::avgpool:
          for (std::size_t ch = 0; ch < w.channels; ++ch)
            for (std::size_t oh = 0; oh < w.out_h; ++oh)
              for (std::size_t ow = 0; ow < w.out_w; ++ow) {
                const std::size_t o = (ch * w.out_h + oh) * w.out_w + ow;
                std::vector<std::size_t> cells;
                for (std::size_t i = 0; i < w.kernel_h; ++i)
                  for (std::size_t j = 0; j < w.kernel_w; ++j) {
                    std::size_t y, xx;
                    if (inside(w, oh, ow, i, j, y, xx)) cells.push_back((ch * w.height + y) * w.width + xx);
                  }
                if (n.op == Op::avgpool) {
                  for (std::size_t c : cells) out.v[o] += in.v[c] / double(cells.size()), out.d[o] += in.d[c] / double(cells.size());
                  continue;
                }
                std::size_t best = cells[0];
                for (std::size_t c : cells)
                  if (in.v[c] > in.v[best] || (in.v[c] == in.v[best] && in.d[c] > in.d[best])) best = c;
                out.v[o] = in.v[best], out.d[o] = in.d[best];
                for (std::size_t c : cells)
                  if (in.d[c] > in.d[best]) step = std::min(step, (in.v[best] - in.v[c]) / (in.d[c] - in.d[best]));
              }
          break;
      }
      at.push_back(std::move(out));
    }
    std::vector<double> o = at.back().v;
    o.insert(o.end(), at.back().d.begin(), at.back().d.end());
    return o;
  }

  static int argmax(const std::vector<double>& o, std::size_t m, double c) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < m; ++i)
      if (o[i] + c * o[m + i] > o[best] + c * o[m + best]) best = i;
    return int(best);
  }

  // The walk: piece by piece, the label checked at the piece's end; c_exit (inf if none).
  double walk(const std::vector<double>& x, const std::vector<double>& v, std::size_t& kinks) const {
    double t = 0, step = 0;
    kinks = 0;
    std::vector<double> at = x;
    int before = -1;
    for (int guard = 0; guard < 100000; ++guard) {
      for (std::size_t i = 0; i < x.size(); ++i) at[i] = x[i] + t * v[i];
      const std::vector<double> o = forward(at, v, step);
      const std::size_t m = o.size() / 2;
      if (before < 0) before = argmax(o, m, 0);
      const double end = std::isfinite(step) ? step : 1e6;
      if (argmax(o, m, end) != before) {  // the exit on this piece: the first race root
        double best = end;
        for (std::size_t i = 0; i < m; ++i) {
          const double g0 = o[i] - o[std::size_t(before)], g1 = o[m + i] - o[m + std::size_t(before)];
          if (int(i) != before && g1 > 0) best = std::min(best, std::max(0.0, -g0 / g1));
        }
        return t + best;
      }
      if (!std::isfinite(step)) return std::numeric_limits<double>::infinity();
      // A unit that rounding leaves just short of its kink would stop the walk: at least a
      // relative 1e-12 forward (the exact walk switches it by its slope instead).
      t += std::max(step, 1e-12 * std::max(1.0, t)), ++kinks;
    }
    return std::numeric_limits<double>::infinity();
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
    double step;
    twin.forward(xd, zero, step);
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
  std::vector<exact::Vector> X, V, P;
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
  }
  evaluations("convnet", cengine, ctwin, X);
  std::vector<exact::Vector> exit_points;
  report("convnet", "toward", cengine, ctwin, X, V, exit_points);
  report("convnet", "PGD", cengine, ctwin, X, P, exit_points);

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
  // Its rays are left out: along a random direction a walk of this net passes tens of
  // thousands of kinks, at a full forward pass each (the walk is not incremental yet).
  std::vector<exact::Vector> RX;
  std::uniform_real_distribution<float> pixel(0, 1);
  for (std::size_t i = 0; i < std::max<std::size_t>(rays, 3); ++i) {
    exact::Vector x;
    for (int j = 0; j < 3 * 32 * 32; ++j) x.push_back(mpq_class(double(pixel(rng))));
    RX.push_back(std::move(x));
  }
  evaluations("residual", rengine, rtwin, RX);
  const enclose::FilteredLabeler rlabeler(rg);
  filtered_labels("residual", "random images", rengine, rlabeler, RX);
  return 0;
}
