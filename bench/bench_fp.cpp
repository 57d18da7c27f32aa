// The float layer against the reference stack's work (bench/reference.py does the same
// with scikit-learn and PyTorch): LinearSVC training on the 5,000 even-numbered mnist10k
// images (the set is sorted by digit), and PGD throughput on that SVM (example-gradient
// evaluations per second) on the 1,000 images numbered 1 mod 10; with libtorch, the same
// for the mlp and the convnet, with their training time per epoch and their scoring speed
// (forward passes per second on the perturbed images, the experiment's largest cost).
// Usage: bench_fp [DATA_DIR]   (default $ADVDIR_DATA or ./data)
#include "advdir/fp/attack.hpp"
#ifdef ADVDIR_HAVE_TORCH
#include "advdir/torch/nets.hpp"
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace advdir;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const char* env = std::getenv("ADVDIR_DATA");
  const std::string dir = argc > 1 ? argv[1] : env ? env : "data";
  const fp::Images all = fp::load_images("mnist10k", dir);
  std::vector<std::size_t> even, test_rows;
  for (std::size_t i = 0; i < all.n; ++i) {
    if (i % 2 == 0) even.push_back(i);
    if (i % 10 == 1) test_rows.push_back(i);
  }
  const fp::Images train = all.subset(even), test = all.subset(test_rows);

  auto t0 = Clock::now();
  const fp::LinearSvm svm(train);
  const double train_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < test.n; ++i) correct += svm.predict(test.row(i)) == test.y[i];

  const fp::SvmLoss loss(svm);
  const int steps = 40;
  t0 = Clock::now();
  const std::vector<float> z = fp::perturb(&loss, test, fp::Attack::pgd, {0.1f, steps, 0.01f, 1});
  const double pgd_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::size_t still = 0;
  for (std::size_t i = 0; i < test.n; ++i) still += svm.predict(z.data() + i * test.d) == test.y[i];
  std::printf("advdir   LinearSVC (LIBLINEAR C API) on 5000 images: %.3f s, test accuracy %.3f\n", train_s, double(correct) / double(test.n));
  std::printf("advdir   PGD on the SVM, 1000 examples x %d steps: %.0f example-gradients/s, accuracy at eps 0.1: %.3f\n", steps,
              double(test.n) * steps / pgd_s, double(still) / double(test.n));
#ifdef ADVDIR_HAVE_TORCH
  for (torchnets::Arch arch : {torchnets::Arch::mlp, torchnets::Arch::convnet}) {
    torchnets::TrainOptions t;
    t.epochs = 1;
    torchnets::Net net(arch, t);
    t0 = Clock::now();
    net.train(train);
    const double epoch_s = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    const std::vector<float> zn = fp::perturb(&net, test, fp::Attack::pgd, {0.1f, steps, 0.01f, 1});
    const double net_pgd_s = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    const int passes = 20;
    for (int r = 0; r < passes; ++r) net.predict(zn.data(), test.n);
    const double forward_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("advdir   %-7s one epoch on 5000 images: %.3f s; PGD 1000 x %d: %.0f example-gradients/s; scoring: %.0f images/s\n",
                torchnets::arch_name(arch), epoch_s, steps, double(test.n) * steps / net_pgd_s, double(test.n) * passes / forward_s);
  }
#endif
}
