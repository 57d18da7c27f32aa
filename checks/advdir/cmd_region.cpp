// advdir region: which decision region of a net is convex and why (Lemmas 13, 14, R''),
// and that region as an exact, irredundant H-representation.
#include "cli.hpp"
#include "report.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/region.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct RegionArgs {
  std::string model, point, out;
  bool json = false;
};

// "<a,x> + c <= 0" with the terms spelled out.
std::string inequality(const exact::HalfSpace& h) {
  std::string s;
  for (std::size_t k = 0; k < h.a.size(); ++k) {
    if (h.a[k] == 0) continue;
    const std::string coef = abs(h.a[k]) == 1 ? "" : exact::to_string(abs(h.a[k])) + " ";
    s += (s.empty() ? (h.a[k] < 0 ? "-" : "") : (h.a[k] < 0 ? " - " : " + ")) + coef + "x" + std::to_string(k + 1);
  }
  if (h.c != 0) s += (h.c < 0 ? " - " : " + ") + exact::to_string(abs(h.c));
  return s + (h.strict ? " < 0" : " <= 0");
}

void run(const RegionArgs& a) {
  const exact::json model = exact::read_json_file(a.model);
  const exact::ReluNet net = exact::relu_net_from_json(model, a.model);
  const exact::ConvexityReport report = exact::convexity(net);
  exact::json regions = exact::json::array();
  std::optional<exact::Vector> x;
  if (!a.point.empty()) x = vector_arg(a.point, "--point");
  if (x && x->size() != net.input_dim())
    throw InputError("--point", "has " + std::to_string(x->size()) + " entries, the net takes " + std::to_string(net.input_dim()));
  for (const exact::Convexity& c : report.convex) {
    const exact::HRepresentation h = exact::h_representation(net, c.label);
    exact::json r = exact::to_json(h);
    r.update({{"why", c.why}, {"statement", c.statement}});
    if (x) {
      const bool inside = h.contains(*x);
      if (inside != (net.label(*x) == c.label)) throw std::logic_error("the H-representation and the net disagree at --point");
      r["contains_point"] = inside;
    }
    regions.push_back(r);
    if (a.json) continue;
    std::cout << "label " << c.label << ": convex. " << c.statement << "\n";
    if (h.empty) std::cout << "  the region is empty\n";
    else std::cout << "  H-representation, " << h.rows.size() << " irredundant inequalities:\n";
    for (std::size_t k = 0; k < h.rows.size() && k < 20; ++k) std::cout << "    " << inequality(h.rows[k]) << "\n";
    if (h.rows.size() > 20) std::cout << "    ... (all of them with --json or --out)\n";
    if (x) std::cout << "  --point is " << (r["contains_point"] == true ? "inside" : "outside") << " it\n";
  }
  exact::json j = {{"kind", net.kind}, {"regions", regions}};
  if (report.convex.empty()) {
    j["failed"] = report.failed;
    exit_code() = refused;
    if (!a.json) std::cout << "no convexity certificate: " << report.failed << "\n";
  }
  if (!a.out.empty()) exact::write_file_atomic(a.out, j.dump(1) + "\n");
  if (a.json) print_json(j);
}

}  // namespace

void add_region(CLI::App& app) {
  auto args = std::make_shared<RegionArgs>();
  auto* cmd = app.add_subcommand("region", "which decision region of a net is convex, why, and its exact H-representation");
  cmd->footer(
      "Convexity certificates (the hypotheses of Theorem 11):\n"
      "  relu_sum (R)        Lemma 13: h^-1(-1) = {every unit's input <= 0}\n"
      "  relu2, all v_j >= 0 Lemma 14 (R'): f is convex, h^-1(-1) = {f <= a} (rule gt) or {f < a} (ge)\n"
      "  relu2, all v_j <= 0 mirrored: f is concave, h^-1(+1) = {f > a} or {f >= a}\n"
      "  relu_and (R'')      h^-1(+1) = {every unit > 0}\n"
      "  mlp with one layer  both half-spaces\n"
      "Anything else (a relu2 with v_j of both signs, an mlp with hidden layers) gets the hypothesis\n"
      "that fails and exit 1. For relu2, f is the maximum of its 2^m affine pieces sum_{j in J} v_j l_j,\n"
      "so {f <= a} is one inequality per subset J of the units; exact LPs (CGAL) drop the redundant ones\n"
      "(at most 2^10 candidates). Each inequality reads <a,x> + c <= 0 (or < 0); --point reports exact\n"
      "membership, cross-checked against the net's own label.\n\n"
      "Example: advdir region --model net.json --point 0,0");
  cmd->add_option("--model", args->model, "model JSON (relu_sum, relu2, relu_and or mlp)")->required();
  cmd->add_option("--point", args->point, "x: comma-separated rationals or @FILE; report whether each region holds it");
  cmd->add_option("--out", args->out, "write the JSON to this file");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
