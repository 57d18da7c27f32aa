// Theorem 15's certifier at scale: the first n mnist10k digits (d = 784, pixels k/255)
// labelled by an R' net (relu2, 32 units, weights k/2^24 as float32 weights are, v >= 0, the threshold at the
// median output so that both labels are common), then `certify_theorem15` with the pair
// chosen by the default search (the least largest c_bound over S[-1]). Times the whole
// certification. Usage: bench_theorem15 [N ...]
// (default 1000 2000 5000 10000; run from the repository root, needs data/mnist10k).
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/two_layer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace advdir::exact;

namespace {

constexpr int units = 32;
constexpr long long one = 1LL << 24;              // weights and biases are k / 2^24
constexpr long long scale = 4LL * one * 255;      // f(x) * scale is an integer

struct Net {
  std::vector<std::vector<int>> u;  // u_j = u[j] / 2^24
  std::vector<int> b, v;            // b_j = b[j] / 2^24, v_j = v[j] / 4
};

Net random_net() {
  std::mt19937 rng(15);
  std::uniform_int_distribution<int> weight(-(1 << 20), 1 << 20), bias(-(1 << 23), 1 << 23), out(0, 4);
  Net n;
  for (int j = 0; j < units; ++j) {
    n.u.emplace_back();
    for (int k = 0; k < 784; ++k) n.u.back().push_back(weight(rng));
    n.b.push_back(bias(rng)), n.v.push_back(out(rng));
  }
  return n;
}

// f(x_i) * scale, exactly, in integers.
long long f_scaled(const Net& n, const Dataset& S, std::size_t i) {
  long long f = 0;
  for (int j = 0; j < units; ++j) {
    long long pre = 255LL * n.b[std::size_t(j)];
    for (slong k = 0; k < 784; ++k) pre += n.u[std::size_t(j)][std::size_t(k)] * fmpz_get_si(S.X.at(slong(i), k));
    f += n.v[std::size_t(j)] * std::max(0LL, pre);
  }
  return f;
}

json model_json(const Net& n, long long threshold) {
  json W = json::array(), b = json::array(), v = json::array();
  for (int j = 0; j < units; ++j) {
    W.push_back(json::array());
    for (int w : n.u[std::size_t(j)]) W.back().push_back(to_string(mpq_class(mpz_class(w), mpz_class(long(one)))));
    b.push_back(to_string(mpq_class(mpz_class(n.b[std::size_t(j)]), mpz_class(long(one))))), v.push_back(to_string(mpq_class(n.v[std::size_t(j)], 4)));
  }
  return {{"kind", "relu2"}, {"W", W}, {"b", b}, {"v", v}, {"threshold", to_string(mpq_class(mpz_class(long(threshold)), mpz_class(long(scale))))}, {"rule", "gt"}};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int k = 1; k < argc; ++k) sizes.push_back(std::stoul(argv[k]));
  if (sizes.empty()) sizes = {1000, 2000, 5000, 10000};
  const Dataset all = read_idx_dataset("data/mnist10k/images-idx3-ubyte", "data/mnist10k/labels-idx1-ubyte", IdxScale::unit);
  const Net n = random_net();
  std::printf("Theorem 15 on mnist10k digits labelled by a random R' net (32 units, d = 784):\n");
  std::printf("%8s %8s %14s %12s\n", "n", "|S[-1]|", "certify (s)", "pair (a, b)");
  for (std::size_t size : sizes) {
    Dataset S;
    S.source = "mnist10k";
    S.den = all.den;
    S.X = IntMatrix(slong(size), all.X.cols());
    std::vector<long long> f;
    for (std::size_t i = 0; i < size; ++i) {
      for (slong k = 0; k < all.X.cols(); ++k) fmpz_set(S.X.at(slong(i), k), all.X.at(slong(i), k));
      f.push_back(f_scaled(n, all, i));
    }
    std::vector<long long> sorted = f;
    std::nth_element(sorted.begin(), sorted.begin() + long(size / 2), sorted.end());
    const long long threshold = sorted[size / 2];
    for (long long v : f) S.labels.push_back(v > threshold ? 1 : -1);
    const ReluNet net = relu_net_from_json(model_json(n, threshold), "bench");
    const auto start = std::chrono::steady_clock::now();
    const Theorem15 t = certify_theorem15(S, net, std::nullopt, std::nullopt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%8zu %8zu %14.2f %5zu, %5zu\n", size, std::size_t(std::count(S.labels.begin(), S.labels.end(), -1)), seconds, t.alpha, t.beta);
    std::fflush(stdout);
  }
}
