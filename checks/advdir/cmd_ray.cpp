// advdir ray: the exact exit point of a classifier along x + c v, c > 0.
#include "cli.hpp"
#include "models.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/linear_transfer.hpp"
#include "advdir/exact/relu.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct RayArgs {
  std::string model, point, direction, out;
  ModelArgs read;
  bool json = false;
};

void check_dims(const RayArgs& a, const exact::Vector& x, const exact::Vector& v, std::size_t inputs) {
  if (x.size() != inputs || v.size() != inputs)
    throw InputError(a.model, "dimension mismatch: the net takes " + std::to_string(inputs) + " inputs, point has " +
                                  std::to_string(x.size()) + ", direction " + std::to_string(v.size()));
}

void print_ray(const RayArgs& a, const exact::NetRay& r) {
  exact::json j = {{"adversarial", r.adversarial}, {"label_before", r.label_before}, {"breakpoints", exact::to_json(r.breakpoints)}};
  if (r.adversarial) {
    j["c_exit"] = exact::to_json(r.c_exit);
    j["label_after"] = r.label_after;
    j["differs_at_exit"] = r.differs_at_exit;
  }
  if (a.json) return print_json(j);
  std::cout << r.breakpoints.size() << " kinks walked; ";
  if (!r.adversarial) {
    std::cout << "not adversarial: the label stays " << r.label_before << " for every c > 0\n";
    return;
  }
  std::cout << "adversarial: label " << r.label_before << " becomes " << r.label_after << " just past c_exit = "
            << exact::to_string(r.c_exit) << (r.differs_at_exit ? " (and differs at c_exit itself)" : "") << "\n";
}

// A layered ReLU net (relu_sum, relu2, relu_and, mlp): the exact walk through its kinks
// (exact/relu.hpp), with a certificate when asked.
void run_net(const RayArgs& a, const exact::ReluNet& net) {
  const exact::Vector x = vector_arg(a.point, "--point"), v = vector_arg(a.direction, "--direction");
  check_dims(a, x, v, net.input_dim());
  const exact::NetRay r = exact::net_ray(net, x, v);
  if (!a.out.empty()) {
    exact::json cert = exact::ray_claim(r, exact::ray_pieces(net, x, v, r));
    cert.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", exact::to_json(net)},
                 {"point", exact::to_json(x)}, {"direction", exact::to_json(v)}});
    exact::write_file_atomic(a.out, cert.dump(1) + "\n");
  }
  print_ray(a, r);
}

// Any other net: the graph walk through every ReLU kink and max-pool switch (exact/graph.hpp).
void run_graph(const RayArgs& a, exact::Graph g) {
  const exact::GraphEngine engine(std::move(g), a.model);
  const exact::Vector x = vector_arg(a.point, "--point"), v = vector_arg(a.direction, "--direction");
  check_dims(a, x, v, engine.graph().input_dim());
  const exact::NetRay r = engine.ray(x, v);
  if (!a.out.empty()) {
    exact::json cert = exact::graph_ray_claim(engine, x, v, r);
    cert.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", exact::to_json(engine.graph())},
                 {"point", exact::to_json(x)}, {"direction", exact::to_json(v)}});
    exact::write_file_atomic(a.out, cert.dump(1) + "\n");
  }
  print_ray(a, r);
}

void run(const RayArgs& a) {
  const std::string format = model_format(a.model, a.read.format);
  if (format != "json" || json_kind(a.model) == "graph") {
    exact::Graph g = exact_graph(a.model, a.read);
    if (const std::optional<exact::ReluNet> net = exact::as_relu_net(g)) return run_net(a, *net);
    return run_graph(a, std::move(g));
  }
  const exact::json model = exact::read_json_file(a.model);
  if (model.is_object() && model.value("kind", exact::json()) != "linear") return run_net(a, exact::relu_net_from_json(model, a.model));
  const exact::LinearModel h = exact::linear_model_from_json(model, a.model);
  const exact::Vector x = vector_arg(a.point, "--point"), v = vector_arg(a.direction, "--direction");
  if (x.size() != h.w.size() || v.size() != h.w.size())
    throw InputError(a.model, "dimension mismatch: model has " + std::to_string(h.w.size()) + " weights, point " +
                                  std::to_string(x.size()) + ", direction " + std::to_string(v.size()));
  const exact::LinearRay r = exact::linear_ray(h, x, v);
  exact::json j = {{"adversarial", r.adversarial}, {"label_before", r.label_before}};
  if (r.adversarial) {
    j["c_exit"] = exact::to_json(r.c_exit);
    j["label_after"] = -r.label_before;
    j["differs_at_exit"] = r.differs_at_exit;
  } else {
    j["score"] = exact::to_json(r.score);
    j["slope"] = exact::to_json(r.slope);
  }
  if (!a.out.empty()) {
    exact::json cert = j;
    cert.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", exact::to_json(h)},
                 {"point", exact::to_json(x)}, {"direction", exact::to_json(v)}});
    exact::write_file_atomic(a.out, cert.dump(1) + "\n");
  }
  if (a.json) return print_json(j);
  if (!r.adversarial) {
    std::cout << "not adversarial: the label stays " << r.label_before << " for every c > 0 (<w,x>+b = "
              << exact::to_string(r.score) << ", <w,v> = " << exact::to_string(r.slope) << ")\n";
    return;
  }
  std::cout << "adversarial: label " << r.label_before << " becomes " << -r.label_before << " for every c > "
            << exact::to_string(r.c_exit) << (r.differs_at_exit ? " and already at c = c_exit" : "") << "\n";
}

}  // namespace

void add_ray(CLI::App& app) {
  auto args = std::make_shared<RayArgs>();
  auto* cmd = app.add_subcommand("ray", "the exact exit point of a classifier along the ray x + c v, c > 0");
  cmd->footer(
      "c_exit is the infimum of the c > 0 at which the label differs from the label at x; differs_at_exit\n"
      "says whether it already differs at c_exit itself. Linear models: h(x) = +1 iff <w,x> + b > 0.\n"
      "ReLU nets ({\"kind\": \"relu_sum\" | \"relu2\" | \"relu_and\" | \"mlp\"}, DESIGN.md) are walked exactly\n"
      "through every kink on the ray: the JSON lists the breakpoints passed before the exit. With --out, the\n"
      "certificate also holds each piece's activation pattern; `advdir check` confirms that every unit keeps\n"
      "its sign on its piece and that the label holds until c_exit, without the walk's code.\n"
      "Any other model (ONNX, .nnet, .pt, JSON graphs: see `advdir eval --help`) is read as a graph and walked\n"
      "through every ReLU kink and max-pool switch (where another entry of a window becomes its first largest);\n"
      "a chain of affine maps and ReLUs is walked as a layered net. Their certificates name each window's\n"
      "largest cell as well, and the checker re-evaluates the graph with its own loops.\n\n"
      "Example: advdir ray --model h.json --point 0,0 --direction 1,0 --json");
  cmd->add_option("--model", args->model, "the model: advdir JSON (linear, relu_sum, relu2, relu_and, mlp, graph), .onnx, .nnet, .pt")->required();
  args->read.add_to(*cmd);
  cmd->add_option("--point", args->point, "x: comma-separated rationals (\"1/2,0,-3\") or @FILE")->required();
  cmd->add_option("--direction", args->direction, "v: comma-separated rationals or @FILE")->required();
  cmd->add_option("--out", args->out, "write a certificate (theorem ray) that `advdir check` verifies");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
