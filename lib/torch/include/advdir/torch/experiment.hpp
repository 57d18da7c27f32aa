// The transfer experiment of Section 7 (Figure 4): N linear SVMs and M nets trained on
// random subsets, each attacked by PGD at every eps, and every classifier evaluated on
// every source's perturbations, with random noise of both kinds beside them. Every
// finished classifier, perturbation set and evaluation is stored in OUT/state as it
// finishes (atomically), so a killed run restarted with the same arguments redoes no
// finished work and writes the same CSV. Under `mpirun -n K` (a build with MPI) the
// classifiers and the (source, eps) units are sharded over the ranks and the counts
// gathered: the CSV is the single-process one.
#pragma once
#include "advdir/torch/nets.hpp"

#include <functional>

namespace advdir::torchnets {

struct ExperimentOptions {
  std::size_t svms = 5, nets = 5;
  Arch arch = Arch::convnet;
  // The radii as the rationals their decimals denote (0.1 is 1/10). PGD and the noise stay
  // in the exact ball (bridge::exact_pixel_box), and each classifier's float-adversarial
  // examples are checked exactly against it.
  std::vector<mpq_class> eps = {{1, 20}, {1, 10}, {3, 20}, {1, 5}, {1, 4}, {3, 10}, {7, 20}, {2, 5}};
  std::size_t examples = 500, train_size = 5000;
  int pgd_steps = 40;
  float step = 0.01f;
  int epochs = 10;  // the PyTorch MNIST example of the paper's time
  std::uint64_t seed = 1;
  std::string dataset = "mnist10k", data_dir = "data", out = "out/transfer";
  // How the work runs, not what it computes: worker threads per rank (0: the cores
  // divided among the ranks on this machine), and whether OUT/state keeps every
  // perturbation set after it is scored (the full protocol's take about 13 GB).
  std::size_t threads = 0;
  bool keep_perturbations = false;
  // Of a net's float-adversarial examples per eps, how many (the first) are checked
  // exactly (0: all). A convnet's exact labels cost about 10 ms an image; an SVM's are
  // all checked.
  std::size_t exact_sample = 25;
};

// One line of transfer.csv: the accuracy of every `target` classifier on every other
// classifier's (or the noise's) perturbations at eps: mean, min, max over the n pairs.
struct TransferRow {
  std::string target, source;  // target: svm | nn; source: svm | nn | random | random_uniform
  float eps;
  double mean, min, max;
  std::size_t n;
};

// Called after each unit of work (on rank 0 only, from its worker threads one at a time):
// done of total (this rank's share), and what just finished.
using Progress = std::function<void(std::size_t done, std::size_t total, const std::string& what)>;

// One line of exact.csv: of the examples PGD made float-adversarial for a classifier source
// at eps (its float32 label is wrong), how many are adversarial exactly: inside the exact
// ball and [0,1]^d (bridge/adversarial.hpp), and labelled wrongly over the reals (an SVM:
// its LIBLINEAR model read exactly; a net: Net::exact_labels).
struct ExactRow {
  std::string source;
  float eps;
  std::size_t float_adversarial, checked, exact_adversarial;  // checked: of the float-adversarial
};

struct TransferResult {
  std::vector<TransferRow> rows;
  std::vector<ExactRow> exact;
  int rank = 0, ranks = 1;  // this process among the MPI ranks (1 without mpirun)
  std::size_t threads = 1;  // worker threads of each rank
  // Thread-seconds of this run's new work over all ranks (work found in the state costs none).
  double training_s = 0, attack_s = 0, scoring_s = 0;
};

// Runs (or resumes) the experiment; rank 0 writes OUT/transfer.csv, OUT/exact.csv,
// OUT/figure4.png and OUT/figure4.svg; every rank returns the rows. A state folder made with other arguments
// is refused (fp::DataError).
TransferResult run_transfer(const ExperimentOptions& options, const Progress& progress);

}  // namespace advdir::torchnets
