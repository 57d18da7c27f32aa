// advdir vnnlib check: a verification tool's counterexample to a VNNLIB property, decided
// exactly (is X in the input region, the exact outputs, is the output condition met).
#include "cli.hpp"
#include "models.hpp"

#include "advdir/enclose/float32.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/vnnlib.hpp"

#include <algorithm>
#include <iostream>

namespace advdir::cli {
namespace {

namespace vnn = exact::vnnlib;

struct VnnlibArgs {
  std::string which, net, property, counterexample, format, x_as = "decimal";
  bool json = false;
};

// A violated bound of the input region, or an output condition that fails.
struct Miss {
  std::size_t assertion;
  const vnn::Atom* atom;  // null: an (or ...) none of whose disjuncts holds
  std::string text;
  mpq_class by;  // how far outside (0: on a strict bound)
  std::size_t line, column;
};

// The atoms of a failing formula that fail: inside (and ...) each failing part; an
// (or ...) as a whole, missed by the least of its disjuncts' misses.
void misses(const vnn::Formula& f, std::size_t k, const exact::Vector& x, const exact::Vector& y, std::vector<Miss>& out) {
  if (vnn::holds(f, x, y)) return;
  if (f.kind == vnn::Formula::Kind::atom) {
    out.push_back({k, &f.atom, f.atom.text, -vnn::slack(f.atom, x, y), f.atom.line, f.atom.column});
  } else if (f.kind == vnn::Formula::Kind::all) {
    for (const vnn::Formula& part : f.parts) misses(part, k, x, y, out);
  } else {
    const vnn::Formula* first = &f;
    while (first->kind != vnn::Formula::Kind::atom) first = &first->parts[0];
    out.push_back({k, nullptr, "none of the " + std::to_string(f.parts.size()) + " disjuncts of assertion " + std::to_string(k + 1),
                   -vnn::slack(f, x, y), first->atom.line, first->atom.column});
  }
}

// The first disjunct of a holding (or ...) that holds, as its index.
std::optional<std::size_t> disjunct(const vnn::Formula& f, const exact::Vector& x, const exact::Vector& y) {
  if (f.kind != vnn::Formula::Kind::any) return std::nullopt;
  for (std::size_t d = 0; d < f.parts.size(); ++d)
    if (vnn::holds(f.parts[d], x, y)) return d;
  return std::nullopt;
}

exact::json miss_json(const Miss& m) {
  return {{"assertion", m.assertion + 1}, {"line", m.line}, {"column", m.column}, {"bound", m.text}, {"excess", exact::to_json(m.by)}};
}

void run(const VnnlibArgs& a) {
  const vnn::Property p = vnn::read(a.property);
  const exact::ReluNet net = exact_net(a.net, model_format(a.net, a.format));
  if (net.input_dim() != p.inputs)
    throw InputError(a.property, "declares " + std::to_string(p.inputs) + " inputs, the net takes " + std::to_string(net.input_dim()));
  const std::size_t width = net.layers.back().W.size();
  if (width != p.outputs) throw InputError(a.property, "declares " + std::to_string(p.outputs) + " outputs, the net has " + std::to_string(width));
  const vnn::Assignment ce = vnn::read_counterexample(a.counterexample, p);
  exact::Vector x = ce.x;
  if (a.x_as == "float32")
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto f = enclose::nearest_float32(x[i]);
      if (!f) throw InputError(a.counterexample, "X_" + std::to_string(i) + " overflows float32");
      x[i] = *f;
    }
  const exact::Vector y = exact::net_outputs(net, x);
  std::optional<mpq_class> y_diff;
  for (std::size_t j = 0; j < y.size(); ++j)
    if (ce.has_y[j]) y_diff = std::max(y_diff.value_or(0), mpq_class(abs(ce.y[j] - y[j])));
  std::vector<Miss> region, condition;
  exact::json asserts = exact::json::array();
  for (std::size_t k = 0; k < p.asserts.size(); ++k) {
    const vnn::Formula& f = p.asserts[k];
    const char r = vnn::reads(f);
    misses(f, k, x, y, r == 'X' ? region : condition);
    const auto d = disjunct(f, x, y);
    asserts.push_back({{"assertion", k + 1}, {"reads", std::string(1, r)}, {"holds", vnn::holds(f, x, y)},
                       {"disjunct", d ? exact::json(*d + 1) : exact::json()}, {"slack", exact::to_json(vnn::slack(f, x, y))}});
  }
  const bool inside = region.empty(), met = condition.empty(), counterexample = inside && met;
  // What the competition's replay says (VNN-COMP's counterexample check): the file's Y within
  // 1e-4 of the net's outputs in the sup norm, then every assertion relaxed by 1e-4 at the
  // file's X and Y. Computed exactly here, the net's own rounding aside.
  const mpq_class tol(1, 10000);
  std::optional<bool> replay;
  if (std::all_of(ce.has_y.begin(), ce.has_y.end(), [](bool b) { return b; })) {
    replay = *y_diff < tol;
    for (const vnn::Formula& f : p.asserts) replay = *replay && vnn::holds_within(f, ce.x, ce.y, tol);
  }
  exit_code() = counterexample ? ok : refused;
  if (a.json) {
    exact::json misses_x = exact::json::array(), misses_y = exact::json::array();
    for (const Miss& m : region) misses_x.push_back(miss_json(m));
    for (const Miss& m : condition) misses_y.push_back(miss_json(m));
    return print_json({{"x_reading", a.x_as}, {"inputs", p.inputs}, {"outputs", exact::to_json(y)},
                       {"inside_region", inside}, {"violations", misses_x}, {"output_condition", met}, {"unmet", misses_y},
                       {"assertions", asserts}, {"y_file_max_diff", y_diff ? exact::to_json(*y_diff) : exact::json()},
                       {"tolerance_1e-4_replay", replay ? exact::json(*replay) : exact::json()},
                       {"counterexample", counterexample}});
  }
  std::cout << "X: " << p.inputs << " values, " << (a.x_as == "float32" ? "each rounded to the nearest float32" : "read as the decimals written")
            << "\ninput region: " << (inside ? "inside" : "OUTSIDE, " + std::to_string(region.size()) + " bound(s) violated") << "\n";
  for (const Miss& m : region)
    std::cout << "  " << m.text << " (line " << m.line << "): " << (m.by == 0 ? "on the strict bound" : "exceeded by " + exact::to_string(m.by)) << "\n";
  std::cout << "outputs (exact):";
  for (std::size_t j = 0; j < y.size() && j < 10; ++j) std::cout << " Y_" << j << " = " << exact::to_string(y[j]);
  std::cout << (y.size() > 10 ? " ..." : "") << "\n"
            << "the file's Y: " << (y_diff ? "differs from the exact outputs by at most " + exact::to_string(*y_diff) : "not given") << "\n"
            << "output condition: " << (met ? "holds" : "FAILS") << "\n";
  for (std::size_t k = 0; k < p.asserts.size(); ++k)
    if (vnn::reads(p.asserts[k]) != 'X' && vnn::holds(p.asserts[k], x, y))
      if (const auto d = disjunct(p.asserts[k], x, y))
        std::cout << "  assertion " << k + 1 << ": disjunct " << *d + 1 << " of " << p.asserts[k].parts.size() << ", slack "
                  << exact::to_string(vnn::slack(p.asserts[k].parts[*d], x, y)) << "\n";
  for (const Miss& m : condition)
    std::cout << "  " << m.text << " (line " << m.line << "): " << (m.by == 0 ? "holds with equality, the comparison is strict" : "missed by " + exact::to_string(m.by)) << "\n";
  std::cout << "the competition's replay (1e-4 tolerance, the file's Y): "
            << (replay ? (*replay ? "accepts it" : "rejects it") : "needs every Y_j in the file") << "\n"
            << (counterexample ? "an exact counterexample" : "NOT a counterexample") << "\n";
}

}  // namespace

void add_vnnlib(CLI::App& app) {
  auto args = std::make_shared<VnnlibArgs>();
  auto* cmd = app.add_subcommand("vnnlib", "VNNLIB properties: a verification tool's counterexample, decided exactly");
  cmd->footer(
      "advdir vnnlib check NET PROP CE: reads the property (VNN-COMP's VNNLIB subset: declare-const X_i / Y_j\n"
      "Real; assert of <=, <, >=, > between variables, decimals and linear terms, with and / or at any\n"
      "depth; plain or .gz) and the counterexample ((X_0 v) ... (Y_0 v) ...), and decides exactly, every\n"
      "decimal as the rational it denotes: is X inside the input region (each violated bound named, with\n"
      "its exact excess); the net's exact outputs at X; how far the file's Y are from them; is the output\n"
      "condition met (which disjunct, with its slack). Exit 0: an exact counterexample; 1: not; 2: bad input.\n"
      "--x-as float32 first rounds each X to the nearest float32, what a tool feeding float32 evaluated.\n"
      "NET: .onnx (Gemm/MatMul/Add/Relu/Flatten chains today), .nnet, or advdir JSON.\n\n"
      "Example: advdir vnnlib check mnist_mlp.onnx prop_0.vnnlib tool.counterexample --json");
  cmd->add_option("WHICH", args->which, "check")->required()->check(CLI::IsMember({"check"}));
  cmd->add_option("NET", args->net, "the network")->required();
  cmd->add_option("PROPERTY", args->property, "the VNNLIB property (.vnnlib or .vnnlib.gz)")->required();
  cmd->add_option("COUNTEREXAMPLE", args->counterexample, "the counterexample file (plain or .gz)")->required();
  cmd->add_option("--format", args->format, "the net's format when its extension does not say: onnx|nnet|json");
  cmd->add_option("--x-as", args->x_as, "decimal (default): X as written; float32: each X rounded to float32")
      ->check(CLI::IsMember({"decimal", "float32"}));
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
