#include "advdir/torch/experiment.hpp"

#include "advdir/bridge/adversarial.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/exact/json_io.hpp"
#include "advdir/plot/figure.hpp"
#include "team.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <atomic>
#include <cmath>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>

namespace advdir::torchnets {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The arguments that decide the results (not the output folder).
json fingerprint(const ExperimentOptions& o) {
  return {{"svms", o.svms}, {"nets", o.nets}, {"arch", arch_name(o.arch)}, {"eps", exact::to_json(o.eps)}, {"examples", o.examples},
          {"train_size", o.train_size}, {"pgd_steps", o.pgd_steps}, {"step", o.step}, {"epochs", o.epochs},
          {"seed", o.seed}, {"dataset", o.dataset}, {"exact_sample", o.exact_sample}};
}

// A classifier of the experiment: an SVM or a net, trained or loaded from the state.
struct Classifier {
  std::string type, name;  // svm | nn; svm_0, nn_2, ...
  std::unique_ptr<fp::LinearSvm> svm;
  std::unique_ptr<fp::SvmLoss> svmloss;  // the loss PGD ascends for svm
  std::unique_ptr<Net> net;
  const fp::Attackable& attackable() const { return svm ? static_cast<const fp::Attackable&>(*svmloss) : *net; }
  std::vector<int> predict(const std::vector<float>& x, std::size_t n) const {
    if (net) return net->predict(x.data(), n);
    std::vector<int> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(svm->predict(x.data() + i * svm->dim()));
    return out;
  }
};

// Adds the seconds of its lifetime to a total shared by the worker threads.
class Timer {
public:
  explicit Timer(std::atomic<double>& total) : total_(total) {}
  ~Timer() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
  std::atomic<double>& total_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class Run {
public:
  Run(const ExperimentOptions& o, const Progress& progress, const Team& team)
      : o_(o), progress_(progress), team_(team), state_(o.out + "/state"), k_(o.svms + o.nets), units_((k_ + 2) * o.eps.size()) {
    fs::create_directories(state_);
    const std::string args = state_ + "/args.json", mine = fingerprint(o).dump();
    if (!fs::exists(args)) exact::write_file_atomic(args, mine);
    else if (exact::read_file(args) != mine)
      throw fp::DataError(o.out + ": holds a run with other arguments (state/args.json); use another --out or delete it");
    all_ = fp::load_images(o.dataset, o.data_dir);
    if (o.examples + o.train_size > all_.n)
      throw fp::DataError(o.dataset + ": " + std::to_string(all_.n) + " images, fewer than --examples + --train-size");
    std::vector<std::size_t> order(all_.n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed);
    std::shuffle(order.begin(), order.end(), rng);
    test_ = all_.subset({order.begin(), order.begin() + std::ptrdiff_t(o.examples)});
    for (const mpq_class& e : o.eps) boxes_.push_back(bridge::exact_pixel_box(e));
    for (std::size_t i = 0; i < test_.n; ++i) {  // bytes k as k/255, for the exact checks
      test_exact_.emplace_back();
      for (std::size_t j = 0; j < test_.d; ++j) {
        mpq_class x(std::lround(double(test_.row(i)[j]) * 255), 255);
        x.canonicalize();
        test_exact_.back().push_back(x);
      }
    }
    if (team.rank() == 0 && !fs::exists(state_ + "/test-labels-idx1-ubyte")) write_test_set();
    pool_.assign(order.begin() + std::ptrdiff_t(o.examples), order.end());
    for (std::size_t u = 0; u < k_ + units_; ++u) total_ += team.owner(u < k_ ? u : u - k_) == team.rank();
  }

  // Trains this rank's share of the classifiers, shares them, then perturbs and scores
  // this rank's share of the (source, eps) units; the counts are summed over the ranks.
  TransferResult run() {
    team_.for_each(k_, [this](std::size_t i) { train(i); });
    for (std::size_t i = 0; i < k_; ++i) team_.share_file(model_path(i), team_.owner(i));
    for (std::size_t i = 0; i < k_; ++i) classifiers_.push_back(load(i));
    for (std::size_t i = 0; i < o_.svms; ++i) exact_svms_.push_back(bridge::read_liblinear_multiclass(model_path(i), all_.d));
    // correct[u * k + t]: how many perturbed examples of unit u classifier t gets right;
    // exact[3u .. 3u + 2]: unit u's float-adversarial, exactly checked and exactly adversarial counts.
    std::vector<long long> correct(units_ * k_, 0), exact(3 * units_, 0);
    team_.for_each(units_, [&](std::size_t u) { score(u, &correct[u * k_], &exact[3 * u]); });
    team_.sum(correct);
    team_.sum(exact);
    std::vector<long long> ms = {(long long)(1000 * seconds_[0]), (long long)(1000 * seconds_[1]), (long long)(1000 * seconds_[2])};
    team_.sum(ms);
    return {rows(correct), exact_rows(exact), team_.rank(), team_.ranks(), team_.threads(), double(ms[0]) / 1000, double(ms[1]) / 1000,
            double(ms[2]) / 1000};
  }

private:
  void tick(const std::string& what) {
    const std::lock_guard<std::mutex> lock(tick_);
    ++done_;
    if (team_.rank() == 0) progress_(done_, total_, what);
  }

  std::string type(std::size_t i) const { return i < o_.svms ? "svm" : "nn"; }
  std::string name(std::size_t i) const { return type(i) + "_" + std::to_string(i < o_.svms ? i : i - o_.svms); }
  std::string model_path(std::size_t i) const { return state_ + "/" + name(i) + (i < o_.svms ? ".model" : ".pt"); }
  // The sources of perturbations: every classifier, then the two kinds of noise.
  std::string source(std::size_t s) const { return s < k_ ? name(s) : s == k_ ? "random" : "random_uniform"; }

  // The subset a classifier trains on: train_size images of the pool, by its own seed.
  fp::Images training_set(std::size_t index) const {
    std::vector<std::size_t> pick = pool_;
    std::mt19937_64 rng(o_.seed * 1000003 + index);
    std::shuffle(pick.begin(), pick.end(), rng);
    pick.resize(o_.train_size);
    return all_.subset(pick);
  }

  TrainOptions net_options(std::size_t i) const {
    TrainOptions t;
    t.epochs = o_.epochs;
    t.seed = o_.seed + i;
    return t;
  }

  // Trained once and saved (skipped when the state has it).
  void train(std::size_t i) {
    const std::string path = model_path(i);
    if (!fs::exists(path)) {
      const Timer timer(seconds_[0]);
      if (i < o_.svms) fp::LinearSvm(training_set(i), {}, unsigned(o_.seed + i)).save(path);
      else {
        Net net(o_.arch, net_options(i));
        net.train(training_set(i));
        net.save(path);
      }
    }
    tick("trained " + name(i));
  }

  // Always used as read back from the state, so that a fresh run and a resumed one score
  // with bit-identical models.
  Classifier load(std::size_t i) const {
    Classifier c{type(i), name(i), nullptr, nullptr, nullptr};  // svm, svmloss, net
    if (i < o_.svms) {
      c.svm = std::make_unique<fp::LinearSvm>(model_path(i), all_.d);
      c.svmloss = std::make_unique<fp::SvmLoss>(*c.svm);
    } else {
      c.net = std::make_unique<Net>(o_.arch, net_options(i));
      c.net->load(model_path(i));
    }
    return c;
  }

  // The perturbations of the test examples by source s at eps index e (stored as floats
  // until every classifier is scored on them).
  std::vector<float> perturbation(std::size_t s, std::size_t e, const std::string& path) const {
    std::vector<float> z(test_.x.size());
    if (fs::exists(path)) {
      const std::string bytes = exact::read_file(path);
      if (bytes.size() != z.size() * sizeof(float)) throw fp::DataError(path + ": wrong size; delete it to recompute");
      std::memcpy(z.data(), bytes.data(), bytes.size());
      return z;
    }
    const Timer timer(seconds_[1]);
    const bool noise = s >= k_;
    const fp::Attack kind = !noise ? fp::Attack::pgd : s == k_ ? fp::Attack::random_sign : fp::Attack::random_uniform;
    z = fp::perturb(noise ? nullptr : &classifiers_[s].attackable(), test_, kind, {float(o_.eps[e].get_d()), o_.pgd_steps, o_.step, o_.seed * 7919 + e, &boxes_[e]});
    exact::write_file_atomic(path, std::string(reinterpret_cast<const char*>(z.data()), z.size() * sizeof(float)));
    return z;
  }

  // Unit u = (source s, eps index e): every other classifier's correct count on the
  // source's perturbations, stored as "name count" lines; for a classifier source also
  // "exact F C E": F examples float-adversarial for it, C of them checked exactly, E of
  // those adversarial exactly.
  void score(std::size_t u, long long* correct, long long* exact) {
    const std::size_t s = u / o_.eps.size(), e = u % o_.eps.size();
    const std::string tag = source(s) + "_" + std::to_string(e), scores = state_ + "/acc_" + tag + ".txt",
                      adv = state_ + "/adv_" + tag + ".f32";
    if (fs::exists(scores)) {
      std::istringstream in(exact::read_file(scores));
      for (std::size_t t = 0; t < k_; ++t) {
        std::string who;
        if (t != s && !(in >> who >> correct[t] && who == name(t))) throw fp::DataError(scores + ": unreadable; delete it to recompute");
      }
      std::string word;
      if (s < k_ && !(in >> word >> exact[0] >> exact[1] >> exact[2] && word == "exact")) throw fp::DataError(scores + ": unreadable; delete it to recompute");
    } else {
      const std::vector<float> z = perturbation(s, e, adv);
      const Timer timer(seconds_[2]);
      std::ostringstream out;
      for (std::size_t t = 0; t < k_; ++t) {
        if (t == s) continue;
        const std::vector<int> p = classifiers_[t].predict(z, test_.n);
        for (std::size_t i = 0; i < test_.n; ++i) correct[t] += p[i] == test_.y[i];
        out << name(t) << " " << correct[t] << "\n";
      }
      if (s < k_) {
        check_exactly(s, e, z, exact);
        out << "exact " << exact[0] << " " << exact[1] << " " << exact[2] << "\n";
      }
      exact::write_file_atomic(scores, out.str());
    }
    if (!o_.keep_perturbations) fs::remove(adv);
    tick("scored on " + tag);
  }

  // Of the examples classifier s misclassifies in float32 at eps index e (a net: the first
  // exact_sample of them), how many are adversarial exactly: z as the rationals its floats
  // are, against the true image (bytes k/255), labelled by the SVM read exactly or by the
  // net in integers.
  void check_exactly(std::size_t s, std::size_t e, const std::vector<float>& z, long long* exact) const {
    const std::vector<int> p = classifiers_[s].predict(z, test_.n);
    std::vector<std::size_t> fooled;
    std::vector<float> rows;
    for (std::size_t i = 0; i < test_.n; ++i) {
      if (p[i] == test_.y[i]) continue;
      ++exact[0];
      if (s >= o_.svms && o_.exact_sample && fooled.size() == o_.exact_sample) continue;
      fooled.push_back(i);
      rows.insert(rows.end(), z.begin() + std::ptrdiff_t(i * test_.d), z.begin() + std::ptrdiff_t((i + 1) * test_.d));
    }
    const std::vector<int> net_labels =
        s < o_.svms || fooled.empty() ? std::vector<int>() : classifiers_[s].net->exact_labels(rows.data(), fooled.size());
    for (std::size_t k = 0; k < fooled.size(); ++k) {
      const std::size_t i = fooled[k];
      exact::Vector zi(test_.d);
      for (std::size_t j = 0; j < test_.d; ++j) zi[j] = mpq_class(double(z[i * test_.d + j]));
      const auto label = [&](const exact::Vector& v) { return s < o_.svms ? exact_svms_[s].label(v) : net_labels[k]; };
      exact[2] += bridge::check_adversarial(label, test_exact_[i], test_.y[i], zi, o_.eps[e]).adversarial();
    }
    exact[1] = (long long)fooled.size();
  }

  // The test images as IDX files (pixel bytes k, read back as k / 255 exactly), so that
  // `advdir verify-adv` can check the kept perturbations against the true images.
  void write_test_set() const {
    auto be32 = [](std::size_t v) { return std::string{char(v >> 24 & 255), char(v >> 16 & 255), char(v >> 8 & 255), char(v & 255)}; };
    const bool square = test_.d == 784;
    std::string images = square ? be32(0x803) + be32(test_.n) + be32(28) + be32(28) : be32(0x802) + be32(test_.n) + be32(test_.d);
    std::string labels = be32(0x801) + be32(test_.n);
    for (float v : test_.x) images.push_back(char(std::lround(v * 255)));
    for (int y : test_.y) labels.push_back(char(y));
    exact::write_file_atomic(state_ + "/test-images-idx3-ubyte", images);
    exact::write_file_atomic(state_ + "/test-labels-idx1-ubyte", labels);  // last: the pair is complete
  }

  // Per target type, source type and eps: the accuracies of the pairs (t, s), t != s.
  std::vector<TransferRow> rows(const std::vector<long long>& correct) const {
    auto type_of = [&](std::size_t s) { return s < k_ ? type(s) : source(s); };
    std::vector<TransferRow> out;
    const std::size_t eps = o_.eps.size();
    for (const std::string target : {"svm", "nn"})
      for (const std::string from : {"svm", "nn", "random", "random_uniform"})
        for (std::size_t e = 0; e < eps; ++e) {
          std::vector<double> v;
          for (std::size_t s = 0; s < k_ + 2; ++s)
            for (std::size_t t = 0; t < k_; ++t)
              if (type(t) == target && type_of(s) == from && s != t) v.push_back(double(correct[(s * eps + e) * k_ + t]) / double(test_.n));
          if (v.empty()) continue;
          const double sum = std::accumulate(v.begin(), v.end(), 0.0);
          out.push_back({target, from, float(o_.eps[e].get_d()), sum / double(v.size()), *std::min_element(v.begin(), v.end()),
                         *std::max_element(v.begin(), v.end()), v.size()});
        }
    return out;
  }

  // Per classifier source and eps.
  std::vector<ExactRow> exact_rows(const std::vector<long long>& exact) const {
    std::vector<ExactRow> out;
    for (std::size_t s = 0; s < k_; ++s)
      for (std::size_t e = 0; e < o_.eps.size(); ++e) {
        const std::size_t u = s * o_.eps.size() + e;
        out.push_back({source(s), float(o_.eps[e].get_d()), std::size_t(exact[3 * u]), std::size_t(exact[3 * u + 1]),
                       std::size_t(exact[3 * u + 2])});
      }
    return out;
  }

  const ExperimentOptions& o_;
  const Progress& progress_;
  const Team& team_;
  const std::string state_;
  const std::size_t k_, units_;  // classifiers; (source, eps) units
  fp::Images all_, test_;
  std::vector<exact::Vector> test_exact_;  // the test images exactly
  std::vector<std::size_t> pool_;
  std::vector<Classifier> classifiers_;
  std::vector<exact::MulticlassModel> exact_svms_;  // the SVMs read exactly
  std::vector<fp::PixelBox> boxes_;                 // per eps: the exact-safe projection
  std::mutex tick_;
  std::size_t done_ = 0, total_ = 0;
  mutable std::atomic<double> seconds_[3] = {0, 0, 0};  // thread-seconds of new work: training, attacks, scoring
};

std::string csv(const std::vector<TransferRow>& rows) {
  std::ostringstream s;
  s << "target,source,eps,mean_acc,min_acc,max_acc,n\n";
  for (const TransferRow& r : rows)
    s << r.target << "," << r.source << "," << r.eps << "," << r.mean << "," << r.min << "," << r.max << "," << r.n << "\n";
  return s.str();
}

std::string csv(const std::vector<ExactRow>& rows) {
  std::ostringstream s;
  s << "source,eps,float_adversarial,checked,exact_adversarial\n";
  for (const ExactRow& r : rows) s << r.source << "," << r.eps << "," << r.float_adversarial << "," << r.checked << "," << r.exact_adversarial << "\n";
  return s.str();
}

plot::Chart figure4(const std::vector<TransferRow>& rows, const ExperimentOptions& o) {
  plot::Chart chart;
  chart.title = "Figure 4: accuracy on transferred perturbations (mean, min-max band)";
  const std::map<std::string, plot::Colour> colours = {
      {"svm", plot::red}, {"nn", plot::blue}, {"random", plot::grey}, {"random_uniform", plot::green}};
  const std::map<std::string, std::string> names = {
      {"svm", "from SVMs (PGD)"}, {"nn", "from nets (PGD)"}, {"random", "random signs"}, {"random_uniform", "uniform noise"}};
  for (const char* target : {"svm", "nn"}) {
    plot::Chart::Panel p{std::string(target) == "svm" ? "target: linear SVMs" : "target: nets", "eps (l_inf)", "accuracy", {}};
    for (const char* source : {"svm", "nn", "random", "random_uniform"}) {
      plot::Chart::Series s{names.at(source), colours.at(source), {}, {}, {}, {}};
      for (const TransferRow& r : rows)
        if (r.target == target && r.source == source) s.x.push_back(r.eps), s.mean.push_back(r.mean), s.lo.push_back(r.min), s.hi.push_back(r.max);
      p.series.push_back(std::move(s));
    }
    chart.panels.push_back(std::move(p));
  }
  chart.caption = {std::to_string(o.svms) + " SVMs and " + std::to_string(o.nets) + " " + arch_name(o.arch) + " nets on " + o.dataset + ", " +
                       std::to_string(o.train_size) + " training images each; " + std::to_string(o.examples) + " test examples; PGD " +
                       std::to_string(o.pgd_steps) + " steps.",
                   "A classifier is never scored on its own perturbations. Float32 results; PGD and the noise stay in the exact ball (exact.csv)."};
  return chart;
}

}  // namespace

TransferResult run_transfer(const ExperimentOptions& options, const Progress& progress) {
  const Team team(options.threads);
  TransferResult result;
  try {
    result = Run(options, progress, team).run();
  } catch (const std::exception& e) {
    if (team.ranks() > 1) team.abort(e.what());
    throw;
  }
  if (team.rank() != 0) return result;
  exact::write_file_atomic(options.out + "/transfer.csv", csv(result.rows));
  exact::write_file_atomic(options.out + "/exact.csv", csv(result.exact));
  const plot::Chart chart = figure4(result.rows, options);
  plot::render(chart, options.out + "/figure4.png");
  plot::render(chart, options.out + "/figure4.svg");
  return result;
}

}  // namespace advdir::torchnets
