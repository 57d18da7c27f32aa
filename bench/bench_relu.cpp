// Exact ray restriction on MNIST-sized MLPs (784-128-10, 784-256-256-10) with float32
// weights read exactly, against a float64 walk of the same rays with the same algorithm,
// in the same run: rays per second, breakpoints per ray, and their ratio.
// Usage: bench_relu [RAYS]   (default 200 a net and direction kind)
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/relu.hpp"
#include "mlp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

using namespace advdir;

namespace {

using Clock = std::chrono::steady_clock;

// The float64 walk: the same sweep through the kinks as the exact one, in doubles.
struct FloatNet : bench::DoubleNet {
  using DoubleNet::DoubleNet;

  static std::size_t argmax(const std::vector<double>& z0, const std::vector<double>& z1, double c, bool right) {
    std::size_t best = 0;
    for (std::size_t m = 1; m < z0.size(); ++m) {
      const double a = z0[m] + c * z1[m], t = z0[best] + c * z1[best];
      if (a > t || (a == t && right && z1[m] > z1[best])) best = m;
    }
    return best;
  }

  // Returns c_exit (infinity if none); `kinks` counts the breakpoints crossed.
  double walk(const std::vector<double>& x, const std::vector<double>& v, std::size_t& kinks) const {
    const std::size_t depth = W.size();
    std::vector<std::vector<double>> Z0(depth), Z1(depth), P0(depth), P1(depth);
    std::vector<double> in0 = x, in1 = v;
    for (std::size_t L = 0; L < depth; ++L) {
      Z0[L].assign(W[L].size(), 0), Z1[L].assign(W[L].size(), 0);
      for (std::size_t r = 0; r < W[L].size(); ++r) {
        double s0 = b[L][r], s1 = 0;
        for (std::size_t c = 0; c < in0.size(); ++c) s0 += W[L][r][c] * in0[c], s1 += W[L][r][c] * in1[c];
        Z0[L][r] = s0, Z1[L][r] = s1;
      }
      if (L + 1 == depth) break;
      P0[L] = Z0[L], P1[L] = Z1[L];
      for (std::size_t r = 0; r < W[L].size(); ++r)
        if (!(Z0[L][r] > 0 || (Z0[L][r] == 0 && Z1[L][r] > 0))) P0[L][r] = P1[L][r] = 0;
      in0 = P0[L], in1 = P1[L];
    }
    const std::size_t before = argmax(Z0[depth - 1], Z1[depth - 1], 0, false);
    double pos = 0;
    kinks = 0;
    for (;;) {
      // The next kink and the unit that vanishes there (switched by its slope, as in the
      // exact walk: its value at the kink is 0 by definition, whatever rounding says).
      double next = std::numeric_limits<double>::infinity();
      std::size_t kink_layer = 0, kink_row = 0;
      for (std::size_t L = 0; L + 1 < depth; ++L)
        for (std::size_t r = 0; r < Z0[L].size(); ++r)
          if (Z1[L][r] != 0) {
            const double t = -Z0[L][r] / Z1[L][r];
            if (t > pos && t < next) next = t, kink_layer = L, kink_row = r;
          }
      const auto& o0 = Z0[depth - 1];
      const auto& o1 = Z1[depth - 1];
      double exit = std::numeric_limits<double>::infinity();
      for (std::size_t m = 0; m < o0.size(); ++m)
        if (m != before && o1[m] > o1[before]) {
          const double t = (o0[before] - o0[m]) / (o1[m] - o1[before]);
          if (t >= pos && t < next) exit = std::min(exit, t);
        }
      if (exit < next) return exit;
      if (std::isinf(next)) return next;
      pos = next;
      ++kinks;
      for (std::size_t L = 0; L + 1 < depth; ++L)
        for (std::size_t r = 0; r < Z0[L].size(); ++r) {
          const double value = Z0[L][r] + pos * Z1[L][r];
          const bool on = L == kink_layer && r == kink_row ? Z1[L][r] > 0 : value > 0 || (value == 0 && Z1[L][r] > 0);
          const double d0 = (on ? Z0[L][r] : 0) - P0[L][r], d1 = (on ? Z1[L][r] : 0) - P1[L][r];
          if (d0 == 0 && d1 == 0) continue;
          P0[L][r] += d0, P1[L][r] += d1;
          for (std::size_t m = 0; m < W[L + 1].size(); ++m) Z0[L + 1][m] += W[L + 1][m][r] * d0, Z1[L + 1][m] += W[L + 1][m][r] * d1;
        }
    }
  }
};

std::vector<double> to_double(const exact::Vector& v) {
  std::vector<double> d;
  for (const auto& q : v) d.push_back(q.get_d());
  return d;
}

void run(const char* name, const std::vector<std::size_t>& widths, const exact::Dataset& mnist, std::size_t rays, bool between) {
  std::mt19937 rng(1);
  const exact::ReluNet net = bench::random_mlp(widths, rng);
  const exact::RayWalker walker(net);
  const FloatNet fnet(net);
  std::uniform_int_distribution<std::size_t> pick(0, mnist.size() - 1);
  std::uniform_int_distribution<int> step(-255, 255);
  std::vector<std::pair<exact::Vector, exact::Vector>> work;
  for (std::size_t r = 0; r < rays; ++r) {
    exact::Vector x = mnist.point(pick(rng)), v(x.size());
    if (between) {
      const exact::Vector y = mnist.point(pick(rng));
      for (std::size_t i = 0; i < x.size(); ++i) v[i] = y[i] - x[i];
    } else {
      for (auto& q : v) q = mpq_class(step(rng), 255);
    }
    work.emplace_back(std::move(x), std::move(v));
  }
  std::size_t kinks = 0, exits = 0, fkinks = 0, agree = 0;
  const auto t0 = Clock::now();
  std::vector<double> exact_exit;
  for (const auto& [x, v] : work) {
    const exact::NetRay r = walker.walk(x, v);
    kinks += r.breakpoints.size();
    exits += r.adversarial;
    exact_exit.push_back(r.adversarial ? r.c_exit.get_d() : std::numeric_limits<double>::infinity());
  }
  const double t_exact = std::chrono::duration<double>(Clock::now() - t0).count();
  const auto t1 = Clock::now();
  std::vector<double> float_exit;
  for (const auto& [x, v] : work) {
    std::size_t k = 0;
    float_exit.push_back(fnet.walk(to_double(x), to_double(v), k));
    fkinks += k;
  }
  const double t_float = std::chrono::duration<double>(Clock::now() - t1).count();
  for (std::size_t i = 0; i < rays; ++i)
    agree += exact_exit[i] == float_exit[i] || std::abs(exact_exit[i] - float_exit[i]) <= 1e-9 * std::abs(exact_exit[i]);
  std::printf("%-16s %-10s %5zu rays: exact %8.1f rays/s (%6.1f kinks/ray, %zu exit), float64 %9.1f rays/s, ratio %5.1fx, exits agree %zu/%zu\n",
              name, between ? "x_b - x_a" : "random", rays, double(rays) / t_exact, double(kinks) / double(rays), exits,
              double(rays) / t_float, t_exact / t_float, agree, rays);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rays = argc > 1 ? std::size_t(std::atol(argv[1])) : 200;
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "data/mnist10k/images-idx3-ubyte";
  spec.labels = "data/mnist10k/labels-idx1-ubyte";
  const exact::Dataset mnist = exact::load_dataset(spec);
  for (bool between : {false, true}) {
    run("784-128-10", {784, 128, 10}, mnist, rays, between);
    run("784-256-256-10", {784, 256, 256, 10}, mnist, rays, between);
  }
}
