#include "advdir/torch/experiment.hpp"

#include "advdir/exact/json_io.hpp"
#include "advdir/plot/figure.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

namespace advdir::torchnets {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The arguments that decide the results (not the output folder).
json fingerprint(const ExperimentOptions& o) {
  return {{"svms", o.svms}, {"nets", o.nets}, {"arch", arch_name(o.arch)}, {"eps", o.eps}, {"examples", o.examples},
          {"train_size", o.train_size}, {"pgd_steps", o.pgd_steps}, {"step", o.step}, {"epochs", o.epochs},
          {"seed", o.seed}, {"dataset", o.dataset}};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
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

class Run {
public:
  Run(const ExperimentOptions& o, const Progress& progress) : o_(o), progress_(progress), state_(o.out + "/state") {
    fs::create_directories(state_);
    const std::string args = state_ + "/args.json", mine = fingerprint(o).dump();
    if (!fs::exists(args)) exact::write_file_atomic(args, mine);
    else if (read_file(args) != mine)
      throw fp::DataError(o.out + ": holds a run with other arguments (state/args.json); use another --out or delete it");
    all_ = fp::load_images(o.dataset, o.data_dir);
    if (o.examples + o.train_size > all_.n)
      throw fp::DataError(o.dataset + ": " + std::to_string(all_.n) + " images, fewer than --examples + --train-size");
    std::vector<std::size_t> order(all_.n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed);
    std::shuffle(order.begin(), order.end(), rng);
    test_ = all_.subset({order.begin(), order.begin() + std::ptrdiff_t(o.examples)});
    pool_.assign(order.begin() + std::ptrdiff_t(o.examples), order.end());
    const std::size_t k = o.svms + o.nets, e = o.eps.size();
    total_ = k + (k + 2) * e + k * (k + 2) * e;
  }

  std::vector<TransferRow> run() {
    for (std::size_t i = 0; i < o_.svms; ++i) classifiers_.push_back(classifier("svm", i));
    for (std::size_t i = 0; i < o_.nets; ++i) classifiers_.push_back(classifier("nn", i));
    std::vector<std::string> sources;
    for (const Classifier& c : classifiers_) sources.push_back(c.name);
    sources.push_back("random");
    sources.push_back("random_uniform");
    // acc[t][s][e]: classifier t's accuracy on source s's perturbations at eps e.
    std::vector<std::vector<std::vector<double>>> acc(classifiers_.size(), std::vector<std::vector<double>>(sources.size()));
    for (std::size_t s = 0; s < sources.size(); ++s)
      for (std::size_t e = 0; e < o_.eps.size(); ++e) {
        const std::vector<float> z = perturbation(sources[s], s, e);
        for (std::size_t t = 0; t < classifiers_.size(); ++t) acc[t][s].push_back(accuracy(classifiers_[t], sources[s], e, z));
      }
    return rows(acc);
  }

private:
  void tick(const std::string& what) { progress_(++done_, total_, what); }

  // The subset a classifier trains on: train_size images of the pool, by its own seed.
  fp::Images training_set(std::size_t index) const {
    std::vector<std::size_t> pick = pool_;
    std::mt19937_64 rng(o_.seed * 1000003 + index);
    std::shuffle(pick.begin(), pick.end(), rng);
    pick.resize(o_.train_size);
    return all_.subset(pick);
  }

  // Trained once and saved; always used as read back from the state, so that a fresh run
  // and a resumed one score with bit-identical models.
  Classifier classifier(const std::string& type, std::size_t i) {
    Classifier c{type, type + "_" + std::to_string(i), nullptr, nullptr, nullptr};  // svm, svmloss, net
    const std::size_t index = type == "svm" ? i : o_.svms + i;
    if (type == "svm") {
      const std::string path = state_ + "/" + c.name + ".model";
      if (!fs::exists(path)) fp::LinearSvm(training_set(index), {}, unsigned(o_.seed + index)).save(path);
      c.svm = std::make_unique<fp::LinearSvm>(path, all_.d);
      c.svmloss = std::make_unique<fp::SvmLoss>(*c.svm);
    } else {
      TrainOptions t;
      t.epochs = o_.epochs;
      t.seed = o_.seed + index;
      c.net = std::make_unique<Net>(o_.arch, t);
      const std::string path = state_ + "/" + c.name + ".pt";
      if (!fs::exists(path)) {
        c.net->train(training_set(index));
        c.net->save(path);
      }
      c.net->load(path);
    }
    tick("trained " + c.name);
    return c;
  }

  // The perturbations of the test examples by source s at eps index e (stored as floats).
  std::vector<float> perturbation(const std::string& source, std::size_t s, std::size_t e) {
    const std::string path = state_ + "/adv_" + source + "_" + std::to_string(e) + ".f32";
    std::vector<float> z(test_.x.size());
    if (fs::exists(path)) {
      const std::string bytes = read_file(path);
      if (bytes.size() != z.size() * sizeof(float)) throw fp::DataError(path + ": wrong size; delete it to recompute");
      std::memcpy(z.data(), bytes.data(), bytes.size());
    } else {
      const bool noise = s >= classifiers_.size();
      const fp::Attack kind = !noise ? fp::Attack::pgd : source == "random" ? fp::Attack::random_sign : fp::Attack::random_uniform;
      z = fp::perturb(noise ? nullptr : &classifiers_[s].attackable(), test_, kind,
                      {o_.eps[e], o_.pgd_steps, o_.step, o_.seed * 7919 + e});
      exact::write_file_atomic(path, std::string(reinterpret_cast<const char*>(z.data()), z.size() * sizeof(float)));
    }
    tick("perturbed by " + source + " at eps index " + std::to_string(e));
    return z;
  }

  double accuracy(const Classifier& t, const std::string& source, std::size_t e, const std::vector<float>& z) {
    const std::string path = state_ + "/acc_" + t.name + "_" + source + "_" + std::to_string(e) + ".txt";
    std::size_t correct = 0;
    if (fs::exists(path)) {
      correct = std::stoul(read_file(path));
    } else {
      const std::vector<int> p = t.predict(z, test_.n);
      for (std::size_t i = 0; i < test_.n; ++i) correct += p[i] == test_.y[i];
      exact::write_file_atomic(path, std::to_string(correct));
    }
    tick("evaluated " + t.name + " on " + source);
    return double(correct) / double(test_.n);
  }

  // Per target type, source type and eps: the accuracies of the pairs (t, s), t != s.
  std::vector<TransferRow> rows(const std::vector<std::vector<std::vector<double>>>& acc) const {
    auto type_of = [&](std::size_t s) { return s < classifiers_.size() ? classifiers_[s].type : s == classifiers_.size() ? "random" : "random_uniform"; };
    std::vector<TransferRow> out;
    for (const std::string target : {"svm", "nn"})
      for (const std::string source : {"svm", "nn", "random", "random_uniform"})
        for (std::size_t e = 0; e < o_.eps.size(); ++e) {
          std::vector<double> v;
          for (std::size_t t = 0; t < classifiers_.size(); ++t)
            for (std::size_t s = 0; s < acc[t].size(); ++s)
              if (classifiers_[t].type == target && type_of(s) == source && s != t) v.push_back(acc[t][s][e]);
          if (v.empty()) continue;
          const double sum = std::accumulate(v.begin(), v.end(), 0.0);
          out.push_back({target, source, o_.eps[e], sum / double(v.size()), *std::min_element(v.begin(), v.end()),
                         *std::max_element(v.begin(), v.end()), v.size()});
        }
    return out;
  }

  const ExperimentOptions& o_;
  const Progress& progress_;
  const std::string state_;
  fp::Images all_, test_;
  std::vector<std::size_t> pool_;
  std::vector<Classifier> classifiers_;
  std::size_t done_ = 0, total_ = 0;
};

std::string csv(const std::vector<TransferRow>& rows) {
  std::ostringstream s;
  s << "target,source,eps,mean_acc,min_acc,max_acc,n\n";
  for (const TransferRow& r : rows)
    s << r.target << "," << r.source << "," << r.eps << "," << r.mean << "," << r.min << "," << r.max << "," << r.n << "\n";
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
                   "A classifier is never scored on its own perturbations. Float32 results, not certified."};
  return chart;
}

}  // namespace

std::vector<TransferRow> run_transfer(const ExperimentOptions& options, const Progress& progress) {
  Run run(options, progress);
  const std::vector<TransferRow> rows = run.run();
  exact::write_file_atomic(options.out + "/transfer.csv", csv(rows));
  const plot::Chart chart = figure4(rows, options);
  plot::render(chart, options.out + "/figure4.png");
  plot::render(chart, options.out + "/figure4.svg");
  return rows;
}

}  // namespace advdir::torchnets
