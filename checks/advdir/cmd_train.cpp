// advdir train: binary classifiers from the float layer, for the exact certifiers to take:
// LIBLINEAR linear SVMs (Theorems 4, 5, 7, Corollary 17) and two-layer nets of R'
// (Theorems 11, 15, Corollary 17), each on all of DATA or on random subsets of it.
#include "cli.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/relu.hpp"
#include "advdir/fp/linear_svm.hpp"
#include "advdir/torch/r_prime.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>

namespace advdir::cli {
namespace {

struct TrainArgs {
  DataArgs data;
  std::string model, out;
  double C = 1, fraction = 1;
  int subsets = 1;
  torchnets::RPrimeOptions net;
};

// The points as float32 (each rational rounded to a double, then to a float), labels +1 / -1.
fp::Images float_images(const exact::Dataset& S) {
  fp::Images im;
  im.n = S.size();
  im.d = S.dim();
  for (std::size_t i = 0; i < S.size(); ++i)
    for (std::size_t j = 0; j < S.dim(); ++j) im.x.push_back(float(S.x(i, j).get_d()));
  im.y = S.labels;
  return im;
}

// Subset k (from 1): round(fraction n) points drawn with the seed + k, in their order in DATA.
std::vector<std::size_t> subset(const TrainArgs& a, const fp::Images& all, int k) {
  std::vector<std::size_t> idx(all.n);
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(a.net.seed + std::uint64_t(k));
  std::shuffle(idx.begin(), idx.end(), rng);
  idx.resize(std::size_t(std::llround(a.fraction * double(all.n))));
  std::sort(idx.begin(), idx.end());
  return idx;
}

void train_one(const TrainArgs& a, const fp::Images& part, const std::string& path, unsigned seed) {
  if (std::count(part.y.begin(), part.y.end(), 1) == 0 || std::count(part.y.begin(), part.y.end(), -1) == 0)
    throw HypothesisError(path + ": its training subset has points of one label only (raise --fraction)");
  if (a.model == "svm") return fp::LinearSvm(part, {a.C, 1e-4, 1}, seed).save(path);
  torchnets::RPrimeOptions o = a.net;
  o.seed = seed;
  exact::write_file_atomic(path, exact::to_json(torchnets::train_r_prime(part, o)).dump() + "\n");
}

void run(const TrainArgs& a) {
  if (!(a.fraction > 0 && a.fraction <= 1)) throw InputError("--fraction", "expected a number in (0, 1]");
  if (a.subsets < 1) throw InputError("--subsets", "expected at least 1");
  const exact::Dataset S = exact::load_dataset(a.data.spec());
  exact::require_binary(S);
  const fp::Images all = float_images(S);
  if (a.subsets > 1) std::filesystem::create_directories(a.out);
  const std::string ext = a.model == "svm" ? ".model" : ".json";
  for (int k = 1; k <= a.subsets; ++k) {
    const std::vector<std::size_t> idx = subset(a, all, k);
    const std::string path = a.subsets == 1 ? a.out : a.out + "/" + a.model + "_" + std::to_string(k) + ext;
    train_one(a, all.subset(idx), path, unsigned(a.net.seed) + unsigned(k) - 1);
    std::cout << "wrote " << path << " (" << a.model << ", trained on " << idx.size() << " of " << S.size() << " points)" << std::endl;
  }
}

}  // namespace

void add_train(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "train binary float classifiers (LIBLINEAR SVMs, R' nets) for the certifiers");
  cmd->footer(std::string(data_help) +
              "\nMODELS (--model):\n"
              "  svm      LIBLINEAR as scikit-learn's LinearSVC (squared hinge, dual, --C, tolerance 1e-4, bias\n"
              "           feature 1); a LIBLINEAR model file, which the certifiers read exactly\n"
              "  r_prime  a two-layer ReLU net of R': f(x) = v.relu(Wx + b), every v_j >= 0 (projected after\n"
              "           each Adam step), +1 iff f(x) > 1; logistic loss on a leaky ReLU that straightens\n"
              "           into the ReLU over the first half of --epochs, then stopping once every training\n"
              "           point has margin 1/2; written as exact relu2 JSON (float32 weights as the\n"
              "           rationals they are)\n"
              "Whether a model is S-accurate is for the certifiers to decide, exactly: a float fit says nothing.\n"
              "With --subsets N, N models each on round(F n) points drawn with seeds seed+1..seed+N; --out\n"
              "is then a folder (svm_1.model, ... or r_prime_1.json, ...).\n\n"
              "Examples: advdir train mnist10k --pair 3,8 --model svm --subsets 5 --fraction 0.5 --out svms\n"
              "          advdir train half1.txt --model r_prime --hidden 32 --out net.json\n"
              "          advdir certify theorem15 half1.txt --test half2.txt --classifier net.json --out t15.json");
  args->data.add_to(*cmd);
  cmd->add_option("--model", args->model, "svm | r_prime")->required()->check(CLI::IsMember({"svm", "r_prime"}));
  cmd->add_option("--C", args->C, "svm: LIBLINEAR's C")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--hidden", args->net.hidden, "r_prime: hidden units")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--epochs", args->net.epochs, "r_prime: at most this many epochs")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--lr", args->net.lr, "r_prime: Adam's learning rate")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--subsets", args->subsets, "train this many models, each on its own random subset")->capture_default_str();
  cmd->add_option("--fraction", args->fraction, "the share of DATA in each subset, in (0, 1]")->capture_default_str();
  cmd->add_option("--seed", args->net.seed, "seed of the subsets and of training")->capture_default_str();
  cmd->add_option("--out", args->out, "the model file (a folder with --subsets > 1)")->required();
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
