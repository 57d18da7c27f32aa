// advdir experiment transfer: the paper's MNIST transfer experiment (Section 7, Figure 4).
#include "cli.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/rational.hpp"
#include "advdir/torch/experiment.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace advdir::cli {
namespace {

struct ExperimentArgs {
  std::string which, arch = "convnet", eps = "0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4", data_dir;
  torchnets::ExperimentOptions options;
};

// Each radius as the rational its decimal denotes (0.1 is 1/10).
std::vector<mpq_class> eps_list(const std::string& text) {
  std::vector<mpq_class> out;
  std::stringstream s(text);
  for (std::string item; std::getline(s, item, ',');) {
    mpq_class e;
    try {
      e = exact::parse_rational(item);
    } catch (const std::exception&) {
      throw InputError("--eps", "expected numbers in (0, 1], got '" + item + "'");
    }
    if (!(e > 0 && e <= 1)) throw InputError("--eps", "expected numbers in (0, 1], got '" + item + "'");
    out.push_back(e);
  }
  if (out.empty()) throw InputError("--eps", "empty list");
  return out;
}

// A progress bar with an ETA on stderr (a line per tenth when stderr is not a terminal).
class Bar {
public:
  void operator()(std::size_t done, std::size_t total, const std::string& what) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = done ? elapsed / double(done) * double(total - done) : 0;
    const int width = 30, filled = int(double(width) * double(done) / double(total));
    const int tenth = int(10 * done / total);
    if (!tty_ && tenth == last_tenth_ && done != total) return;
    last_tenth_ = tenth;
    std::fprintf(stderr, "%s[%s%s] %3d%% ETA %3.0f s  %-40.40s%s", tty_ ? "\r" : "", std::string(std::size_t(filled), '#').c_str(),
                 std::string(std::size_t(width - filled), ' ').c_str(), int(100 * done / total), eta, what.c_str(),
                 tty_ && done != total ? "" : "\n");
  }

private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool tty_ = isatty(2);
  int last_tenth_ = -1;
};

void run(ExperimentArgs& a) {
  torchnets::ExperimentOptions& o = a.options;
  o.arch = torchnets::arch_from_name(a.arch);
  o.eps = eps_list(a.eps);
  const char* env = std::getenv("ADVDIR_DATA");
  o.data_dir = !a.data_dir.empty() ? a.data_dir : env ? env : "data";
  Bar bar;
  const auto start = std::chrono::steady_clock::now();
  const torchnets::TransferResult result = torchnets::run_transfer(o, std::ref(bar));
  if (result.rank != 0) return;
  std::cout << "transfer experiment: " << o.svms << " SVMs, " << o.nets << " " << a.arch << " nets, " << o.examples
            << " examples (float32, not certified); " << result.ranks << (result.ranks == 1 ? " process" : " processes") << " x "
            << result.threads << (result.threads == 1 ? " thread\n" : " threads\n");
  const float first = float(o.eps.front().get_d()), last = float(o.eps.back().get_d());
  for (const auto& r : result.rows)
    if (r.eps == last || r.eps == first)
      std::printf("  %-3s on %-14s eps %.2f: accuracy %.3f (min %.3f, max %.3f, %zu pairs)\n", r.target.c_str(), r.source.c_str(),
                  double(r.eps), r.mean, r.min, r.max, r.n);
  for (const char* type : {"svm", "nn"})
    for (const float e : {first, last}) {
      std::size_t checked = 0, exact = 0;
      for (const auto& r : result.exact)
        if (r.eps == e && r.source.rfind(type, 0) == 0) checked += r.checked, exact += r.exact_adversarial;
      if (checked)
        std::printf("  %-3s sources, eps %.2f: %zu of %zu float-adversarial examples checked are adversarial exactly\n", type, double(e),
                    exact, checked);
    }
  std::printf("work (thread-seconds): training %.1f, attacks %.1f, scoring %.1f; wall %.1f s\n", result.training_s, result.attack_s,
              result.scoring_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  std::cout << "wrote " << o.out << "/transfer.csv, exact.csv, figure4.png, figure4.svg (state in " << o.out << "/state)\n";
}

}  // namespace

void add_experiment(CLI::App& app) {
  auto args = std::make_shared<ExperimentArgs>();
  auto* cmd = app.add_subcommand("experiment", "the paper's MNIST transfer experiment (Section 7, Figure 4), in float32");
  cmd->footer(
      "advdir experiment transfer trains --svms linear SVMs (LIBLINEAR: LinearSVC's squared hinge, C = 1,\n"
      "tol 1e-4, bias 1, one-vs-rest) and --nets nets (--arch convnet: the PyTorch MNIST example the paper\n"
      "used; mlp: 784-128-10) on random subsets of --train-size images, attacks --examples test images with\n"
      "each of them by PGD (--pgd-steps sign steps of --step, projected onto the l_inf ball of radius eps and\n"
      "clipped to [0, 1], exactly: eps is the rational its decimal denotes and each pixel k/255 keeps to the\n"
      "floats z with |z - k/255| <= eps, decided in rationals; SVMs ascend the multi-class hinge max_{j != y} s_j - s_y of their scores, nets the\n"
      "cross-entropy), adds random signs of size eps (a corner of the ball) and uniform noise in the ball,\n"
      "and scores every classifier on every other classifier's perturbations at every eps.\n\n"
      "OUT/transfer.csv: target,source,eps,mean_acc,min_acc,max_acc,n (target svm|nn; source svm|nn|random|\n"
      "random_uniform; n pairs, a classifier never scored on its own perturbations); OUT/figure4.png|svg.\n"
      "OUT/exact.csv: source,eps,float_adversarial,checked,exact_adversarial: of the examples a classifier's\n"
      "PGD made float-adversarial for it, how many were checked exactly (an SVM: all; a net: the first\n"
      "--exact-sample) and how many of those are adversarial exactly (in the exact ball and [0,1], and\n"
      "labelled wrongly over the reals: the LIBLINEAR model read exactly, the net in integer arithmetic).\n"
      "Everything finished is kept in OUT/state: a killed run restarted with the same arguments picks up\n"
      "where it stopped and writes the same CSV. The paper's full protocol:\n"
      "  --svms 50 --nets 50 --arch convnet --eps 0.01,0.02,...,0.40 --examples 1000 --train-size 5000\n"
      "Under `mpirun -n K advdir experiment transfer ...` the classifiers and the perturbation sets are\n"
      "sharded over the K processes and the counts gathered: the CSV is the single-process one (every\n"
      "unit of work runs on one thread, so neither K nor --threads changes a result).\n\n"
      "Example: advdir experiment transfer --out out/transfer");
  cmd->add_option("WHICH", args->which, "transfer")->required()->check(CLI::IsMember({"transfer"}));
  cmd->add_option("--svms", args->options.svms, "linear SVMs")->capture_default_str();
  cmd->add_option("--nets", args->options.nets, "nets")->capture_default_str();
  cmd->add_option("--arch", args->arch, "convnet | mlp | two_layer (v >= 0 output weights)")->capture_default_str();
  cmd->add_option("--eps", args->eps, "comma-separated radii in (0, 1]")->capture_default_str();
  cmd->add_option("--examples", args->options.examples, "test images attacked")->capture_default_str();
  cmd->add_option("--train-size", args->options.train_size, "images per classifier")->capture_default_str();
  cmd->add_option("--pgd-steps", args->options.pgd_steps, "PGD iterations")->capture_default_str();
  cmd->add_option("--step", args->options.step, "PGD step size")->capture_default_str();
  cmd->add_option("--epochs", args->options.epochs, "training epochs of each net")->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "seed of every random choice")->capture_default_str();
  cmd->add_option("--dataset", args->options.dataset, "mnist10k | fashion | IMAGES.idx,LABELS.idx")->capture_default_str();
  cmd->add_option("--data-dir", args->data_dir, "where mnist10k lives (default: $ADVDIR_DATA or ./data)");
  cmd->add_option("--out", args->options.out, "output folder")->capture_default_str();
  cmd->add_option("--threads", args->options.threads, "worker threads per process (default: the cores, shared among the MPI ranks)");
  cmd->add_option("--exact-sample", args->options.exact_sample,
                  "float-adversarial examples of each net and eps checked exactly (0: all; about 10 ms each for a convnet)")
      ->capture_default_str();
  cmd->add_flag("--keep-perturbations", args->options.keep_perturbations,
                "keep every perturbation set in OUT/state after scoring (the full protocol's: about 13 GB)");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
