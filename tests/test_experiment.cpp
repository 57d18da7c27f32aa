#define BOOST_TEST_MODULE experiment
// The transfer experiment at a tiny scale on mnist10k: the paper's qualitative order,
// resumption after an interruption giving the same CSV, refusal of a foreign state,
// attack invariants on a trained net, the convnet kernel against libtorch, and trained
// nets read exactly.
#include "advdir/bridge/import.hpp"
#include "advdir/torch/experiment.hpp"

#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace advdir;
using namespace advdir::torchnets;

namespace {

ExperimentOptions tiny(const std::string& out) {
  ExperimentOptions o;
  o.svms = 2;
  o.nets = 2;
  o.arch = Arch::mlp;
  o.eps = {mpq_class(1, 10), mpq_class(3, 10)};
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

// Every stride-th mnist10k image from `first` (the set is sorted by digit).
fp::Images strided(std::size_t first, std::size_t stride) {
  static const fp::Images all = fp::load_images("mnist10k", ADVDIR_SOURCE_DIR "/data");
  std::vector<std::size_t> rows;
  for (std::size_t i = first; i < all.n; i += stride) rows.push_back(i);
  return all.subset(rows);
}

Net trained(Arch arch, std::size_t stride, int epochs, std::vector<int64_t> hidden = {128}) {
  TrainOptions t;
  t.epochs = epochs;
  t.hidden = std::move(hidden);
  Net net(arch, t);
  net.train(strided(0, stride));
  return net;
}

}  // namespace

BOOST_AUTO_TEST_CASE(qualitative_order_and_resumption) {
  TempDir dir("advdir-xp-");
  const std::string whole = (dir.path / "whole").string(), cut = (dir.path / "cut").string();
  const TransferResult result = run_transfer(tiny(whole), quiet);
  const std::vector<TransferRow>& rows = result.rows;
  // Each classifier's own float-adversarial examples (a net's first 25), checked exactly:
  // PGD kept to the exact box, so only a float32 score that ties or rounds across the
  // exact label can fall out.
  BOOST_TEST(result.exact.size() == 8u);  // (2 SVMs + 2 nets) x 2 radii
  for (const ExactRow& r : result.exact) {
    BOOST_TEST(r.float_adversarial > 0u);
    BOOST_TEST(r.checked == std::min<std::size_t>(r.float_adversarial, r.source.rfind("svm", 0) == 0 ? 60 : 25));
    BOOST_TEST(r.exact_adversarial <= r.checked);
    BOOST_TEST(20 * r.exact_adversarial >= 19 * r.checked);
  }
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
  BOOST_TEST(read(cut + "/exact.csv") == read(whole + "/exact.csv"));
  ExperimentOptions other = tiny(cut);
  other.seed = 2;
  BOOST_CHECK_THROW(run_transfer(other, quiet), fp::DataError);
}

// PGD on a trained net stays in the ball and in [0, 1], and never ends below its start.
BOOST_AUTO_TEST_CASE(net_attack_invariants) {
  Net net = trained(Arch::mlp, 20, 5);
  const fp::Images points = strided(7, 200);
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

// The convnet's own kernel (scores, loss, input gradient) against libtorch's autograd on
// the same trained net.
BOOST_AUTO_TEST_CASE(convnet_kernel_matches_libtorch) {
  Net net = trained(Arch::convnet, 10, 2);
  const fp::Images points = strided(3, 270);  // 37 images: two blocks and a partial one
  std::vector<float> loss(points.n), grad(points.n * 784);
  net.loss(points.x.data(), points.y.data(), points.n, loss.data(), grad.data());
  const std::vector<int> predicted = net.predict(points.x.data(), points.n);

  torch::Tensor X = torch::from_blob(const_cast<float*>(points.x.data()), {int64_t(points.n), 784}).clone().requires_grad_(true);
  const torch::Tensor scores = net.module()->forward(X);
  const std::vector<int64_t> labels(points.y.begin(), points.y.end());
  const torch::Tensor l = torch::nll_loss(torch::log_softmax(scores, 1), torch::tensor(labels), {}, at::Reduction::None);
  const torch::Tensor g = torch::autograd::grad({l.sum()}, {X})[0];
  const float scale = g.abs().max().item<float>();
  BOOST_TEST(scale > 0.0f);
  for (std::size_t i = 0; i < points.n; ++i) {
    BOOST_TEST(std::abs(loss[i] - l[int64_t(i)].item<float>()) <= 1e-4f * (1 + std::abs(loss[i])), "loss of image " << i);
    BOOST_TEST(predicted[i] == scores[int64_t(i)].argmax().item<int64_t>(), "label of image " << i);
    for (std::size_t p = 0; p < 784; ++p)
      BOOST_TEST_REQUIRE(std::abs(grad[i * 784 + p] - g[int64_t(i)][int64_t(p)].item<float>()) <= 1e-4f * scale,
                         "gradient of image " << i << " pixel " << p);
  }
}

// The convnet over the rationals, computed naively from libtorch's parameters: conv,
// max-pool, ReLU twice, then fc, ReLU, fc; the first largest score.
int rational_convnet_label(Net& net, const float* image) {
  std::vector<std::vector<mpq_class>> p;
  for (const torch::Tensor& t : net.module()->parameters()) {
    const torch::Tensor c = t.detach().contiguous();
    p.emplace_back();
    for (int64_t k = 0; k < c.numel(); ++k) p.back().push_back(mpq_class(double(c.data_ptr<float>()[k])));
  }
  auto conv_pool_relu = [](const std::vector<mpq_class>& in, std::size_t C, std::size_t side, const std::vector<mpq_class>& W,
                           const std::vector<mpq_class>& b, std::size_t Cout) {
    const std::size_t o = side - 4, q = o / 2;
    std::vector<mpq_class> conv(Cout * o * o), out(Cout * q * q);
    for (std::size_t co = 0; co < Cout; ++co)
      for (std::size_t y = 0; y < o; ++y)
        for (std::size_t x = 0; x < o; ++x) {
          mpq_class s = b[co];
          for (std::size_t c = 0; c < C; ++c)
            for (std::size_t dy = 0; dy < 5; ++dy)
              for (std::size_t dx = 0; dx < 5; ++dx) s += W[((co * C + c) * 5 + dy) * 5 + dx] * in[(c * side + y + dy) * side + x + dx];
          conv[(co * o + y) * o + x] = s;
        }
    for (std::size_t co = 0; co < Cout; ++co)
      for (std::size_t y = 0; y < q; ++y)
        for (std::size_t x = 0; x < q; ++x) {
          mpq_class m = 0;  // the ReLU of the largest of the four
          for (std::size_t d = 0; d < 4; ++d) m = std::max(m, conv[(co * o + 2 * y + d / 2) * o + 2 * x + d % 2]);
          out[(co * q + y) * q + x] = m;
        }
    return out;
  };
  auto dense = [](const std::vector<mpq_class>& in, const std::vector<mpq_class>& W, const std::vector<mpq_class>& b, bool relu) {
    std::vector<mpq_class> out(b.size());
    for (std::size_t r = 0; r < b.size(); ++r) {
      mpq_class s = b[r];
      for (std::size_t c = 0; c < in.size(); ++c) s += W[r * in.size() + c] * in[c];
      out[r] = relu ? std::max(mpq_class(0), s) : s;
    }
    return out;
  };
  std::vector<mpq_class> x;
  for (std::size_t j = 0; j < 784; ++j) x.push_back(mpq_class(double(image[j])));
  x = conv_pool_relu(x, 1, 28, p[0], p[1], 10);
  x = conv_pool_relu(x, 10, 12, p[2], p[3], 20);
  const std::vector<mpq_class> scores = dense(dense(x, p[4], p[5], true), p[6], p[7], false);
  return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

// The convnet's labels in integers (the experiment's exact column) against the naive
// rational evaluation, and against the float predictions, which no image here ties.
BOOST_AUTO_TEST_CASE(convnet_exact_labels) {
  Net net = trained(Arch::convnet, 10, 2);
  const fp::Images points = strided(5, 270);
  const std::vector<int> exact_labels = net.exact_labels(points.x.data(), points.n), predicted = net.predict(points.x.data(), points.n);
  BOOST_TEST(exact_labels == predicted);
  for (std::size_t i : {0, 17}) BOOST_TEST(exact_labels[i] == rational_convnet_label(net, points.row(i)), "image " << i);
}

// A trained mlp read exactly: its exact labels are the float ones on 40 test images (none
// of them near a tie), ONNX carries it unchanged, and the convnet is refused.
BOOST_AUTO_TEST_CASE(nets_read_exactly) {
  const Net net = trained(Arch::mlp, 20, 3, {16});
  const exact::ReluNet exact_net = exact::as_relu_net(net.to_exact()).value();
  BOOST_TEST_REQUIRE(exact_net.layers.size() == 2u);
  BOOST_TEST(exact_net.layers[0].W.size() == 16u);
  const fp::Images points = strided(11, 250);
  const std::vector<int> predicted = net.predict(points.x.data(), points.n);
  for (std::size_t i = 0; i < points.n; ++i) {
    exact::Vector x;
    for (std::size_t j = 0; j < 784; ++j) x.push_back(mpq_class(double(points.row(i)[j])));
    BOOST_TEST(exact_net.label(x) == predicted[i], "image " << i);
  }
  // The integer evaluation of the experiment's exact column against lib/exact's rationals.
  const std::vector<int> exact_labels = net.exact_labels(points.x.data(), points.n);
  for (std::size_t i = 0; i < points.n; ++i) {
    exact::Vector x;
    for (std::size_t j = 0; j < 784; ++j) x.push_back(mpq_class(double(points.row(i)[j])));
    BOOST_TEST(exact_labels[i] == exact_net.label(x), "image " << i);
  }
  TempDir dir("advdir-nets-");
  bridge::write_onnx(exact_net, dir / "mlp.onnx");
  BOOST_TEST((exact::to_json(bridge::read_onnx(dir / "mlp.onnx")) == exact::to_json(exact_net)));
}

// The convnet as an exact graph: the graph engine's outputs and labels against the naive
// rational evaluation, and its labels against the experiment's integer kernel.
BOOST_AUTO_TEST_CASE(convnet_as_graph) {
  Net net = trained(Arch::convnet, 10, 2);
  const exact::GraphEngine engine(net.to_exact());
  BOOST_TEST(engine.graph().nodes.size() == 9u);  // conv, maxpool, relu, conv, maxpool, relu, dense, relu, dense
  const fp::Images points = strided(7, 260);
  const std::vector<int> exact_labels = net.exact_labels(points.x.data(), points.n);
  for (std::size_t i = 0; i < points.n; ++i) {
    exact::Vector x;
    for (std::size_t j = 0; j < 784; ++j) x.push_back(mpq_class(double(points.row(i)[j])));
    BOOST_TEST(engine.label(x) == exact_labels[i], "image " << i);
    if (i < 2) BOOST_TEST(engine.label(x) == rational_convnet_label(net, points.row(i)), "image " << i);
  }
}
