// Benchmark of the exact max-margin separator (issue: exact linear layer).
// For each instance, in the same run: the float SMO stage alone (a float SVM),
// the whole exact pipeline (float + exact KKT confirmation), and CGAL's exact
// dual QP solver under a time cap. Then all 45 MNIST digit pairs, and the
// checker on a Theorem 4 certificate of 10,000 points.
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

using namespace advdir;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CGAL's exact dual in a child process, killed after `cap` seconds; returns seconds or -1.
double cgal_seconds(const exact::Dataset& S, double cap) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const auto t0 = Clock::now();
    exact::cgal_max_margin(S);
    const double s = since(t0);
    (void)!write(fds[1], &s, sizeof s);
    _exit(0);
  }
  close(fds[1]);
  pollfd p{fds[0], POLLIN, 0};
  double s = -1;
  if (poll(&p, 1, int(cap * 1000)) > 0 && read(fds[0], &s, sizeof s) != sizeof s) s = -1;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(fds[0]);
  return s;
}

exact::Dataset random_separable(std::size_t n, std::size_t d, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> coord(-100, 100);
  std::vector<exact::Vector> xs;
  std::vector<int> ys;
  exact::Vector w0(d);
  for (auto& v : w0) v = coord(rng);
  while (xs.size() < n) {
    exact::Vector x(d);
    for (auto& v : x) v = coord(rng);
    const mpq_class s = exact::dot(w0, x);
    if (abs(s) < 100 * std::sqrt(double(d))) continue;  // a gap keeps it separable
    ys.push_back(s > 0 ? 1 : -1);
    xs.push_back(std::move(x));
  }
  return exact::make_dataset(xs, ys, "random");
}

std::string speedup(double cgal, double ours) {
  if (cgal < 0) return "-";
  char s[16];
  std::snprintf(s, sizeof s, "%.1fx", cgal / ours);
  return s;
}

void row(const std::string& name, const exact::Dataset& S, double cap) {
  bridge::SolveStats st;
  const auto t0 = Clock::now();
  const exact::SeparatorResult r = bridge::max_margin_separator(S, {}, &st);
  const double ours = since(t0);
  const double cgal = cap > 0 ? cgal_seconds(S, cap) : -1;
  char cg[32];
  if (cap <= 0) std::snprintf(cg, sizeof cg, "not run");
  else std::snprintf(cg, sizeof cg, cgal < 0 ? "> %.0f (capped)" : "%.2f", cgal < 0 ? cap : cgal);
  std::printf("%-18s %6zu %4zu %5zu %9zu %6d %10.3f %10.3f %10.3f %10.3f %16s %8s\n", name.c_str(), S.size(),
              S.dim(), r.separable ? r.separator.support.size() : 0, st.smo_iterations, st.confirm.rounds,
              st.float_seconds, st.exact_seconds, st.fallback_seconds, ours, cg, speedup(cgal, ours).c_str());
  std::fflush(stdout);
}

// Digits k (+1) and l (-1) of data/mnist10k; l = exact::rest takes all other digits.
exact::DataSpec mnist_spec(int k, int l) {
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "data/mnist10k/images-idx3-ubyte";
  spec.labels = "data/mnist10k/labels-idx1-ubyte";
  spec.pair = {k, l};
  return spec;
}

exact::Dataset mnist(int k, int l) { return exact::load_dataset(mnist_spec(k, l)); }

// The first n of Fashion-MNIST's 60,000 training images (Debian's dataset-fashion-mnist),
// class k (+1) against all others (-1).
exact::Dataset fashion_train(int k, std::size_t n) {
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
  spec.labels = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";
  spec.pair = {k, exact::rest};
  exact::Dataset all = exact::load_dataset(spec);
  exact::Dataset first{"fashion train " + std::to_string(k) + " vs rest, first " + std::to_string(n), {}, exact::IntMatrix(n, all.dim()), all.den};
  first.labels.assign(all.labels.begin(), all.labels.begin() + std::ptrdiff_t(n));
  for (std::size_t i = 0; i < n; ++i) _fmpz_vec_set(first.X.row(slong(i)), all.X.row(slong(i)), slong(all.dim()));
  return first;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  const double cap = argc > 1 ? std::atof(argv[1]) : 120;
  std::printf("exact max-margin separator; times in seconds on one core; CGAL capped at %.0f s\n\n", cap);
  std::printf("%-18s %6s %4s %5s %9s %6s %10s %10s %10s %10s %16s %8s\n", "instance", "n", "d", "SVs", "SMO iter",
              "rounds", "float SMO", "exact KKT", "CGAL subset", "total", "CGAL exact dual", "speedup");
  row("random", random_separable(1000, 10, 1), cap);
  row("random", random_separable(2000, 100, 2), cap);
  row("random", random_separable(5000, 784, 3), cap);
  row("mnist10k 0v1", mnist(0, 1), cap);
  row("mnist10k 3v8", mnist(3, 8), cap);
  row("mnist10k 0vrest", mnist(0, exact::rest), 0);
  row("fashion 1vrest", fashion_train(1, 20000), 0);
  std::printf("(the last two without CGAL, which extrapolates to hours there; peak memory so far %.0f MB)\n", peak_rss_mb());

  const auto t0 = Clock::now();
  int certified = 0;
  double worst = 0;
  for (int k = 0; k < 10; ++k)
    for (int l = k + 1; l < 10; ++l) {
      const auto t1 = Clock::now();
      certified += bridge::max_margin_separator(mnist(k, l)).separable;
      worst = std::max(worst, since(t1));
    }
  std::printf("\nall 45 mnist10k digit pairs: %d separable, exact and KKT-proved, in %.1f s (slowest pair %.2f s)\n",
              certified, since(t0), worst);

  const exact::DataSpec spec = mnist_spec(0, exact::rest);
  const exact::Dataset S = exact::load_dataset(spec);
  auto t2 = Clock::now();
  const exact::MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
  const double solve = since(t2);
  t2 = Clock::now();
  const auto report = exact::certify_linear_transfer(S, sep, {{sep.w_star, sep.b_star}});
  const std::string path = "build/bench-theorem4.json";
  exact::write_file_atomic(path, exact::transfer_certificate(exact::LinearTheorem::theorem4,
                                                             exact::data_reference(spec, S, "build"), sep, report)
                                     .dump() + "\n");
  const double certify = since(t2);
  t2 = Clock::now();
  const bool valid = check::check_certificate_file(path).valid;
  std::printf("\nTheorem 4 on mnist10k 0 vs rest (n = %zu, d = 784, %zu SVs): separator %.2f s, certify+write %.2f s, "
              "checker %.3f s (%s)\n", S.size(), sep.support.size(), solve, certify, since(t2), valid ? "valid" : "INVALID");
  return valid ? 0 : 1;
}
