// VNNLIB counterexamples on an MNIST MLP (784-128-10, float32 weights read exactly),
// checked exactly as `advdir vnnlib check` does (load the ONNX net, the property and the
// counterexample; is X in the region, the exact outputs, is the output condition met),
// beside a float64 check of the same counterexamples (the same net in doubles, the
// property's atoms in doubles), in the same run. It writes the files in the competition's
// layout (OUT/benchmarks/mnist/{onnx,vnnlib}, instances.csv; OUT/results/tool/mnist/) for
// `advdir vnnlib check-results` (bench/vnnlib.sh times that).
// Usage: bench_vnnlib [COUNTEREXAMPLES] [OUT]   (default 50, bench_vnnlib_out)
#include "advdir/bridge/import.hpp"
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/vnnlib.hpp"
#include "mlp.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

using namespace advdir;
namespace vnn = exact::vnnlib;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string decimal(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// An L_inf box of radius eps around the image, inside [0, 1], and "some other class
// scores at least the net's class": the shape of VNN-COMP's MNIST properties.
std::string property(const std::vector<double>& x, double eps, std::size_t label, std::size_t classes) {
  std::ostringstream p;
  p << "; an eps = " << eps << " box around an mnist10k image, the net's class " << label << " beaten\n";
  for (std::size_t i = 0; i < x.size(); ++i) p << "(declare-const X_" << i << " Real)\n";
  for (std::size_t j = 0; j < classes; ++j) p << "(declare-const Y_" << j << " Real)\n";
  for (std::size_t i = 0; i < x.size(); ++i)
    p << "(assert (>= X_" << i << " " << decimal(std::max(0.0, x[i] - eps)) << "))\n(assert (<= X_" << i << " " << decimal(std::min(1.0, x[i] + eps)) << "))\n";
  p << "(assert (or";
  for (std::size_t j = 0; j < classes; ++j)
    if (j != label) p << " (and (>= Y_" << j << " Y_" << label << "))";
  p << "))\n";
  return p.str();
}

// A tool's counterexample: a corner of the box (as decimals), and the outputs it computed.
std::string counterexample(const std::vector<double>& x, const std::vector<double>& y) {
  std::ostringstream c;
  c << "sat\n(";
  for (std::size_t i = 0; i < x.size(); ++i) c << "(X_" << i << " " << decimal(x[i]) << ")\n";
  for (std::size_t j = 0; j < y.size(); ++j) c << "(Y_" << j << " " << decimal(y[j]) << ")" << (j + 1 < y.size() ? "\n" : ")\n");
  return c.str();
}

double value64(const vnn::Term& t, const std::vector<double>& x, const std::vector<double>& y) {
  double s = t.constant.get_d();
  for (const auto& [v, c] : t.coef) s += c.get_d() * (v.kind == 'X' ? x[v.index] : y[v.index]);
  return s;
}

bool holds64(const vnn::Formula& f, const std::vector<double>& x, const std::vector<double>& y) {
  if (f.kind == vnn::Formula::Kind::all) return std::all_of(f.parts.begin(), f.parts.end(), [&](const auto& p) { return holds64(p, x, y); });
  if (f.kind == vnn::Formula::Kind::any) return std::any_of(f.parts.begin(), f.parts.end(), [&](const auto& p) { return holds64(p, x, y); });
  const double d = value64(f.atom.d, x, y);
  switch (f.atom.op) {
    case vnn::Cmp::le: return d <= 0;
    case vnn::Cmp::lt: return d < 0;
    case vnn::Cmp::ge: return d >= 0;
    default: return d > 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::size_t(std::atol(argv[1])) : 50;
  const fs::path out = argc > 2 ? argv[2] : "bench_vnnlib_out";
  exact::DataSpec spec;
  spec.format = exact::DataSpec::Format::idx;
  spec.images = "data/mnist10k/images-idx3-ubyte";
  spec.labels = "data/mnist10k/labels-idx1-ubyte";
  const exact::Dataset mnist = exact::load_dataset(spec);
  std::mt19937 rng(1);
  const exact::ReluNet net = bench::random_mlp({784, 128, 10}, rng);
  const bench::DoubleNet dnet(net);
  const fs::path bench_dir = out / "benchmarks" / "mnist", results = out / "results" / "tool" / "mnist";
  fs::create_directories(bench_dir / "onnx"), fs::create_directories(bench_dir / "vnnlib"), fs::create_directories(results);
  const std::string onnx = (bench_dir / "onnx" / "mlp.onnx").string();
  bridge::write_onnx(net, onnx);
  std::string instances;
  std::vector<std::pair<std::string, std::string>> files;  // property, counterexample
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<double> x;
    for (const auto& q : mnist.point(k)) x.push_back(q.get_d());
    const std::vector<double> y0 = dnet.outputs(x);
    const std::size_t label = std::size_t(std::max_element(y0.begin(), y0.end()) - y0.begin());
    std::vector<double> corner = x;
    for (std::size_t i = 0; i < corner.size(); ++i) corner[i] = rng() % 2 ? std::min(1.0, x[i] + 0.02) : std::max(0.0, x[i] - 0.02);
    const std::string name = "prop_" + std::to_string(k);
    const std::string prop = (bench_dir / "vnnlib" / (name + ".vnnlib")).string(), ce = (results / ("mlp_" + name + ".counterexample")).string();
    exact::write_file_atomic(prop, property(x, 0.02, label, y0.size()));
    exact::write_file_atomic(ce, counterexample(corner, dnet.outputs(corner)));
    instances += "onnx/mlp.onnx,vnnlib/" + name + ".vnnlib,60\n";
    files.emplace_back(prop, ce);
  }
  exact::write_file_atomic((bench_dir / "instances.csv").string(), instances);

  // Exact, as `advdir vnnlib check`: every file read, X in the region, exact outputs, condition.
  std::size_t exact_ce = 0, float_ce = 0;
  const auto t0 = Clock::now();
  double t_eval = 0;
  for (const auto& [prop, ce] : files) {
    const exact::ReluNet n = bridge::read_onnx(onnx);
    const vnn::Property p = vnn::read(prop);
    const vnn::Assignment a = vnn::read_counterexample(ce, p);
    const auto e0 = Clock::now();
    const exact::Vector y = exact::net_outputs(n, a.x);
    bool all = true;
    for (const vnn::Formula& f : p.asserts) all = all && vnn::holds(f, a.x, y);
    t_eval += std::chrono::duration<double>(Clock::now() - e0).count();
    exact_ce += all;
  }
  const double t_exact = std::chrono::duration<double>(Clock::now() - t0).count();
  // float64, the same counterexamples: the net's outputs in doubles, the atoms in doubles.
  std::vector<std::pair<vnn::Property, vnn::Assignment>> read;
  for (const auto& [prop, ce] : files) {
    vnn::Property p = vnn::read(prop);
    vnn::Assignment a = vnn::read_counterexample(ce, p);
    read.emplace_back(std::move(p), std::move(a));
  }
  const auto t1 = Clock::now();
  for (const auto& [p, a] : read) {
    std::vector<double> x;
    for (const auto& q : a.x) x.push_back(q.get_d());
    const std::vector<double> y = dnet.outputs(x);
    bool all = true;
    for (const vnn::Formula& f : p.asserts) all = all && holds64(f, x, y);
    float_ce += all;
  }
  const double t_float = std::chrono::duration<double>(Clock::now() - t1).count();
  const double n = double(count);
  std::printf("MNIST MLP 784-128-10, %zu counterexamples (eps = 0.02 boxes, one disjunct per other class):\n", count);
  std::printf("  exact, per counterexample: %.2f ms in all (load the ONNX net, the property and the file; region; outputs; condition), "
              "%.3f ms of them the exact outputs and the property; %zu exact counterexamples\n",
              1e3 * t_exact / n, 1e3 * t_eval / n, exact_ce);
  std::printf("  float64, per counterexample: %.4f ms (outputs and property in doubles, files read beforehand); %zu accepted\n", 1e3 * t_float / n, float_ce);
  std::printf("  ratio exact / float64 (outputs and property): %.0fx\n", t_eval / t_float);
  std::printf("  files for check-results: %s\n", out.string().c_str());
}
