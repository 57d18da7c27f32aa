#define BOOST_TEST_MODULE experiment
// The transfer experiment at a tiny scale on mnist10k: the paper's qualitative order,
// resumption after an interruption giving the same CSV, refusal of a foreign state, and
// attack invariants on a trained net.
#include "advdir/torch/experiment.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace advdir;
using namespace advdir::torchnets;

namespace {

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / std::to_string(::getpid()).insert(0, "advdir-xp-");
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

ExperimentOptions tiny(const std::string& out) {
  ExperimentOptions o;
  o.svms = 2;
  o.nets = 2;
  o.eps = {0.1f, 0.3f};
  o.examples = 60;
  o.train_size = 600;
  o.pgd_steps = 10;
  o.step = 0.04f;
  o.epochs = 8;
  o.data_dir = ADVDIR_SOURCE_DIR "/data";
  o.out = out;
  return o;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double mean(const std::vector<TransferRow>& rows, const std::string& target, const std::string& source, float eps) {
  for (const TransferRow& r : rows)
    if (r.target == target && r.source == source && r.eps == eps) return r.mean;
  BOOST_FAIL("no row " << target << " " << source << " " << eps);
  return 0;
}

void quiet(std::size_t, std::size_t, const std::string&) {}

}  // namespace

BOOST_AUTO_TEST_CASE(qualitative_order_and_resumption) {
  TempDir dir;
  const std::string whole = (dir.path / "whole").string(), cut = (dir.path / "cut").string();
  const std::vector<TransferRow> rows = run_transfer(tiny(whole), quiet).rows;
  for (const std::string target : {"svm", "nn"}) {
    for (const std::string source : {"svm", "nn", "random"})
      BOOST_TEST(mean(rows, target, source, 0.3f) <= mean(rows, target, source, 0.1f), target << " on " << source);
    BOOST_TEST(mean(rows, target, target, 0.3f) < mean(rows, target, "random", 0.3f), target);
  }
  BOOST_TEST(std::filesystem::exists(whole + "/figure4.png"));
  BOOST_TEST(read(whole + "/transfer.csv").rfind("target,source,eps,mean_acc,min_acc,max_acc,n\n", 0) == 0u);

  // Interrupted after 9 units of work, then run again: nothing finished is redone and
  // the CSV is the uninterrupted one.
  struct Stop {};
  BOOST_CHECK_THROW(run_transfer(tiny(cut), [](std::size_t done, std::size_t, const std::string&) {
                      if (done == 9) throw Stop{};
                    }),
                    Stop);
  std::map<std::string, std::filesystem::file_time_type> finished;
  for (const auto& f : std::filesystem::directory_iterator(cut + "/state")) finished[f.path().string()] = f.last_write_time();
  BOOST_TEST(finished.size() >= 9u);
  run_transfer(tiny(cut), quiet);
  for (const auto& [path, time] : finished) BOOST_TEST((std::filesystem::last_write_time(path) == time), path << " was redone");
  BOOST_TEST(read(cut + "/transfer.csv") == read(whole + "/transfer.csv"));
  ExperimentOptions other = tiny(cut);
  other.seed = 2;
  BOOST_CHECK_THROW(run_transfer(other, quiet), fp::DataError);
}

// PGD on a trained net stays in the ball and in [0, 1], and never ends below its start.
BOOST_AUTO_TEST_CASE(net_attack_invariants) {
  const fp::Images all = fp::load_images("mnist10k", ADVDIR_SOURCE_DIR "/data");
  std::vector<std::size_t> train, test;
  for (std::size_t i = 0; i < all.n; i += 20) train.push_back(i);
  for (std::size_t i = 7; i < all.n; i += 200) test.push_back(i);
  TrainOptions t;
  t.epochs = 5;
  Net net(Arch::mlp, t);
  net.train(all.subset(train));
  const fp::Images points = all.subset(test);
  const std::vector<float> z = fp::perturb(&net, points, fp::Attack::pgd, {0.2f, 10, 0.05f, 1});
  for (std::size_t k = 0; k < z.size(); ++k) {
    BOOST_TEST((z[k] >= 0.0f && z[k] <= 1.0f));
    BOOST_TEST(std::abs(double(z[k]) - double(points.x[k])) <= 0.2 * (1 + 1e-6));
  }
  std::vector<float> before(points.n), after(points.n);
  net.loss(points.x.data(), points.y.data(), points.n, before.data(), nullptr);
  net.loss(z.data(), points.y.data(), points.n, after.data(), nullptr);
  for (std::size_t i = 0; i < points.n; ++i) BOOST_TEST(after[i] >= before[i]);
  BOOST_CHECK_THROW(arch_from_name("resnet"), fp::DataError);
}
