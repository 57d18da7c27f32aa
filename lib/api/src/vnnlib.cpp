#include "advdir/api/vnnlib.hpp"

#include "advdir/enclose/float32.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/api/certify.hpp"
#include "advdir/api/models.hpp"

#include <algorithm>

namespace advdir::api {

namespace vnn = exact::vnnlib;

namespace {

// The atoms of a failing formula that fail: inside (and ...) each failing part; an
// (or ...) as a whole, missed by the least of its disjuncts' misses.
void misses(const vnn::Formula& f, std::size_t k, const exact::Vector& x, const exact::Vector& y, std::vector<Miss>& out) {
  if (vnn::holds(f, x, y)) return;
  if (f.kind == vnn::Formula::Kind::atom) {
    out.push_back({k, f.atom.text, -vnn::slack(f.atom, x, y), f.atom.line, f.atom.column});
  } else if (f.kind == vnn::Formula::Kind::all) {
    for (const vnn::Formula& part : f.parts) misses(part, k, x, y, out);
  } else {
    const vnn::Formula* first = &f;
    while (first->kind != vnn::Formula::Kind::atom) first = &first->parts[0];
    out.push_back({k, "none of the " + std::to_string(f.parts.size()) + " disjuncts of assertion " + std::to_string(k + 1),
                   -vnn::slack(f, x, y), first->atom.line, first->atom.column});
  }
}

exact::json miss_json(const Miss& m) {
  return {{"assertion", m.assertion + 1}, {"line", m.line}, {"column", m.column}, {"bound", m.text}, {"excess", exact::to_json(m.by)}};
}


}  // namespace

// The first disjunct of a holding (or ...) that holds, as its index.
std::optional<std::size_t> disjunct(const vnn::Formula& f, const exact::Vector& x, const exact::Vector& y) {
  if (f.kind != vnn::Formula::Kind::any) return std::nullopt;
  for (std::size_t d = 0; d < f.parts.size(); ++d)
    if (vnn::holds(f.parts[d], x, y)) return d;
  return std::nullopt;
}

Decision decide(const exact::GraphEngine& net, const vnn::Property& p, const vnn::Assignment& ce, bool float32, const std::string& where) {
  if (net.graph().input_dim() != p.inputs)
    throw InputError(where, "the property declares " + std::to_string(p.inputs) + " inputs, the net takes " + std::to_string(net.graph().input_dim()));
  if (net.graph().output_dim() != p.outputs)
    throw InputError(where, "the property declares " + std::to_string(p.outputs) + " outputs, the net has " + std::to_string(net.graph().output_dim()));
  Decision d{ce.x, {}, {}, {}, {}, {}};
  if (float32)
    for (std::size_t i = 0; i < d.x.size(); ++i) {
      const auto f = enclose::nearest_float32(d.x[i]);
      if (!f) throw InputError(where, "X_" + std::to_string(i) + " overflows float32");
      d.x[i] = *f;
    }
  d.y = net.outputs(d.x);
  for (std::size_t j = 0; j < d.y.size(); ++j)
    if (ce.has_y[j]) d.y_diff = std::max(d.y_diff.value_or(0), mpq_class(abs(ce.y[j] - d.y[j])));
  for (std::size_t k = 0; k < p.asserts.size(); ++k) misses(p.asserts[k], k, d.x, d.y, vnn::reads(p.asserts[k]) == 'X' ? d.region : d.condition);
  // The competition's replay (VNN-COMP's counterexample check): the file's Y within 1e-4 of
  // the net's outputs in the sup norm, then every assertion relaxed by 1e-4 at the file's X
  // and Y. Computed exactly here, the net's own rounding aside.
  const mpq_class tol(1, 10000);
  if (std::all_of(ce.has_y.begin(), ce.has_y.end(), [](bool b) { return b; })) {
    d.replay = !d.y_diff || *d.y_diff < tol;
    for (const vnn::Formula& f : p.asserts) d.replay = *d.replay && vnn::holds_within(f, ce.x, ce.y, tol);
  }
  return d;
}

exact::json decision_json(const vnn::Property& p, const Decision& d, const std::string& x_reading) {
  exact::json asserts = exact::json::array(), region = exact::json::array(), condition = exact::json::array();
  for (std::size_t k = 0; k < p.asserts.size(); ++k) {
    const auto which = disjunct(p.asserts[k], d.x, d.y);
    asserts.push_back({{"assertion", k + 1}, {"reads", std::string(1, vnn::reads(p.asserts[k]))}, {"holds", vnn::holds(p.asserts[k], d.x, d.y)},
                       {"disjunct", which ? exact::json(*which + 1) : exact::json()}, {"slack", exact::to_json(vnn::slack(p.asserts[k], d.x, d.y))}});
  }
  for (const Miss& m : d.region) region.push_back(miss_json(m));
  for (const Miss& m : d.condition) condition.push_back(miss_json(m));
  return {{"x_reading", x_reading}, {"inputs", p.inputs}, {"outputs", exact::to_json(d.y)},
          {"inside_region", d.region.empty()}, {"violations", region}, {"output_condition", d.condition.empty()},
          {"unmet", condition}, {"assertions", asserts}, {"y_file_max_diff", d.y_diff ? exact::to_json(*d.y_diff) : exact::json()},
          {"tolerance_1e-4_replay", d.replay ? exact::json(*d.replay) : exact::json()}, {"counterexample", d.counterexample()}};
}

void write_vnnlib_certificate(const std::string& net, const std::string& format, const std::string& property, const exact::Vector& x,
                              const exact::Vector& y, const std::string& out) {
  if (format != "onnx" && format != "json")
    throw InputError(net, "certificates name ONNX or advdir JSON nets, which the checker reads itself; `advdir import` this " + format + " net first");
  write_and_check(exact::vnnlib_certificate(net, format, property, x, y, dir_of(out)), out);
}

Decision check_counterexample(const exact::GraphEngine& net, const std::string& net_path, const std::string& format,
                              const vnn::Property& p, const std::string& property, const std::string& counterexample, bool float32,
                              const std::string& certificate) {
  Decision d = decide(net, p, vnn::read_counterexample(counterexample, p), float32, property);
  if (d.counterexample() && !certificate.empty()) write_vnnlib_certificate(net_path, format, property, d.x, d.y, certificate);
  return d;
}

exact::json check_counterexample_files(const std::string& net, const std::string& property, const std::string& counterexample,
                                       bool float32, const std::string& certificate) {
  const vnn::Property p = vnn::read(property);
  ModelOptions o;
  o.format = model_format(net, "");
  const exact::GraphEngine engine(load_graph(net, o), net);
  const Decision d = check_counterexample(engine, net, o.format, p, property, counterexample, float32, certificate);
  return decision_json(p, d, float32 ? "float32" : "decimal");
}

}  // namespace advdir::api
