// advdir eval: a model's exact outputs and label at a point (exact/graph.hpp).
#include "cli.hpp"
#include "models.hpp"

#include "advdir/api/queries.hpp"
#include "advdir/exact/error.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct EvalArgs {
  std::string model, point;
  ModelArgs read;
  bool json = false;
};

void run(const EvalArgs& a) {
  const api::Evaluation e = api::Model(exact_graph(a.model, a.read), a.model).evaluate(vector_arg(a.point, "--point"), "--point");
  if (a.json) return print_json({{"model", a.model}, {"outputs", exact::to_json(e.outputs)}, {"label", e.label}});
  std::cout << "label " << e.label << "\n";
  for (std::size_t m = 0; m < e.outputs.size(); ++m) std::cout << "o" << m << " = " << exact::to_string(e.outputs[m]) << "\n";
}

}  // namespace

void add_eval(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "a model's exact outputs and label at a point");
  cmd->footer(
      "Every weight and every entry of the point is the rational it is (a float32 or float64 weight as its\n"
      "dyadic value); the outputs are computed over the rationals and printed reduced. The label is the\n"
      "sign of a single output (+1 iff o0 > 0), or the first index of the largest of several (ties go to\n"
      "the smallest index). Models: .onnx/.onnx.gz graphs (Conv, pooling, BatchNormalization, residual\n"
      "blocks: see `advdir import --help`), advdir JSON (every kind, graphs included), .nnet, LIBLINEAR\n"
      "(argmax index, in the file's class order), and the float layer's .pt (--arch convnet|mlp|two_layer).\n\n"
      "Example: advdir eval --model net.onnx --point @image.txt --json");
  cmd->add_option("--model", args->model, "the model file")->required();
  cmd->add_option("--point", args->point, "x: comma-separated rationals (\"1/2,0,-3\") or @FILE")->required();
  args->read.add_to(*cmd);
  cmd->add_flag("--json", args->json, "print one JSON object: outputs (rationals as strings) and label");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
