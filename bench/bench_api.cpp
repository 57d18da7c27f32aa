// The C++ side of bench/python_api.py: api::evaluate and api::ray on one model, the points
// and directions read from a file (one per line, comma-separated rationals), N times over.
// Prints: eval_ms ray_ms kinks (per call, averaged).
// Usage: bench_api MODEL POINTS DIRECTIONS N
#include "advdir/api/queries.hpp"
#include "advdir/exact/rational.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace advdir;
using Clock = std::chrono::steady_clock;

static std::vector<exact::Vector> lines(const char* path) {
  std::ifstream in(path);
  std::vector<exact::Vector> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(exact::parse_vector(line));
  return out;
}

int main(int argc, char** argv) {
  if (argc != 5) return std::fprintf(stderr, "usage: bench_api MODEL POINTS DIRECTIONS N\n"), 2;
  const api::Model model(api::load_graph(argv[1], {}), argv[1]);
  const std::vector<exact::Vector> X = lines(argv[2]), V = lines(argv[3]);
  const int n = std::atoi(argv[4]);
  auto t0 = Clock::now();
  for (int k = 0; k < n; ++k)
    for (const exact::Vector& x : X) model.evaluate(x);
  const double eval_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / double(n * X.size());
  std::size_t kinks = 0;
  t0 = Clock::now();
  for (int k = 0; k < n; ++k)
    for (std::size_t i = 0; i < X.size(); ++i) kinks += model.ray(X[i], V[i], false).answer["breakpoints"].size();
  const double ray_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / double(n * X.size());
  std::printf("%.4f %.4f %.1f\n", eval_ms, ray_ms, double(kinks) / double(n * X.size()));
  return 0;
}
