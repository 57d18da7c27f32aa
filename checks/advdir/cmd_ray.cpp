// advdir ray: the exact exit point of a classifier along x + c v, c > 0.
#include "cli.hpp"
#include "models.hpp"

#include "advdir/api/queries.hpp"
#include "advdir/exact/error.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct RayArgs {
  std::string model, point, direction, out;
  ModelArgs read;
  bool json = false;
};

// The answer (api::ray's JSON) as one JSON object or a sentence.
void print_ray(const RayArgs& a, const exact::json& r) {
  if (a.json) return print_json(r);
  if (r.contains("breakpoints")) std::cout << r["breakpoints"].size() << " kinks walked; ";
  const int before = r["label_before"].get<int>();
  if (!r["adversarial"].get<bool>()) {
    std::cout << "not adversarial: the label stays " << before << " for every c > 0";
    if (r.contains("score")) std::cout << " (<w,x>+b = " << r["score"].get<std::string>() << ", <w,v> = " << r["slope"].get<std::string>() << ")";
    std::cout << "\n";
    return;
  }
  std::cout << "adversarial: label " << before << " becomes " << r["label_after"].get<int>() << " just past c_exit = "
            << r["c_exit"].get<std::string>() << (r["differs_at_exit"].get<bool>() ? " (and differs at c_exit itself)" : "") << "\n";
}

void run(const RayArgs& a) {
  const exact::Vector x = vector_arg(a.point, "--point"), v = vector_arg(a.direction, "--direction");
  const bool certify = !a.out.empty();
  const api::RayAnswer r = model_format(a.model, a.read.format) == "pt" ? api::Model(exact_graph(a.model, a.read), a.model).ray(x, v, certify)
                                                                         : api::ray(a.model, {a.read.format, a.read.onnx}, x, v, certify);
  if (certify) exact::write_file_atomic(a.out, r.certificate.dump(1) + "\n");
  print_ray(a, r.answer);
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
