// advdir import: nets and linear models from other tools, read exactly into advdir's JSON
// (and exact nets written back as ONNX for other verifiers).
#include "cli.hpp"
#include "models.hpp"

#include "advdir/bridge/import.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/multiclass.hpp"

#include <iostream>
#include <map>

namespace advdir::cli {
namespace {

struct ImportArgs {
  std::string model, out, onnx;
  ModelArgs read;
  bool json = false;
};

// The largest power of two among the denominators: how fine the weights are.
std::size_t finest(const exact::ReluNet& net) {
  std::size_t bits = 0;
  for (const exact::Layer& l : net.layers) {
    for (const exact::Vector& row : l.W)
      for (const mpq_class& v : row) bits = std::max(bits, mpz_sizeinbase(v.get_den_mpz_t(), 2) - 1);
    for (const mpq_class& v : l.b) bits = std::max(bits, mpz_sizeinbase(v.get_den_mpz_t(), 2) - 1);
  }
  return bits;
}

// "conv x2, maxpool x2, ..." : the graph's nodes by operation.
std::string census(const exact::Graph& g) {
  std::map<std::string, int> count;
  for (const exact::GraphNode& n : g.nodes) ++count[exact::op_name(n.op)];
  std::string out;
  for (const auto& [op, k] : count) out += (out.empty() ? "" : ", ") + op + " x" + std::to_string(k);
  return out;
}

// The model as advdir JSON: a layered net when the graph is a chain of affine maps and
// ReLUs (the certifiers take it), else the graph.
void run(const ImportArgs& a) {
  const std::string format = model_format(a.model, a.read.format);
  exact::json model;
  std::string shape;
  if (format == "liblinear") {
    const exact::MulticlassModel h = bridge::read_liblinear_multiclass(a.model);
    model = exact::to_json(h);
    shape = "multiclass, " + std::to_string(h.W.size()) + " classes, d = " + std::to_string(h.W.front().size());
  } else {
    const bool layered_json = format == "json" && json_kind(a.model) != "graph";
    const exact::Graph g = layered_json ? exact::Graph{} : exact_graph(a.model, a.read);
    const std::optional<exact::ReluNet> net = layered_json ? api::layered_net(a.model, format) : exact::as_relu_net(g);
    if (net) {
      if (!a.onnx.empty()) bridge::write_onnx(*net, a.onnx);
      model = exact::to_json(*net);
      shape = net->kind + " " + std::to_string(net->input_dim());
      for (const exact::Layer& l : net->layers) shape += "-" + std::to_string(l.W.size());
      shape += ", weights with denominators up to 2^" + std::to_string(finest(*net));
    } else {
      if (!a.onnx.empty()) bridge::write_onnx(g, a.onnx);
      model = exact::to_json(g);
      shape = "graph of " + std::to_string(g.nodes.size()) + " nodes (" + census(g) + "), " + std::to_string(g.input_dim()) + " inputs, " +
              std::to_string(g.output_dim()) + " outputs";
    }
  }
  if (!a.out.empty()) exact::write_file_atomic(a.out, model.dump() + "\n");
  if (a.json) return print_json({{"model", a.model}, {"format", format}, {"shape", shape}, {"out", a.out}, {"onnx", a.onnx}});
  std::cout << a.model << " (" << format << "): " << shape << ", read exactly\n";
  if (!a.out.empty()) std::cout << "wrote " << a.out << "\n";
  if (!a.onnx.empty()) std::cout << "wrote " << a.onnx << " (ONNX, float64 weights)\n";
}

}  // namespace

void add_import(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "read a float model exactly into advdir's JSON (ONNX, .nnet, libtorch, LIBLINEAR)");
  cmd->footer(
      "Every weight becomes the rational it is: a float32 or float64 as its dyadic value, a decimal of a\n"
      ".nnet file as written. NaN and infinite weights are refused. Formats (by extension, or --format):\n"
      "  .onnx      (or .onnx.gz, opset 8 up) Gemm, MatMul, Add/Sub/Mul/Div by constants, Add/Sub of two\n"
      "             computed tensors (residual blocks), Concat, Relu, Conv (1-D, 2-D: strides, pads,\n"
      "             dilations, group, auto_pad), MaxPool, AveragePool (ceil_mode, count_include_pad), their\n"
      "             Global forms, Pad (constant, reflect, edge), BatchNormalization, Flatten, Reshape,\n"
      "             Transpose, Squeeze, Unsqueeze, Identity, Dropout, Constant; anything else is refused,\n"
      "             naming the node. A BatchNormalization whose scale gamma / sqrt(var + eps) is irrational\n"
      "             is refused unless --batchnorm-float32 takes its nearest float32 as the definition\n"
      "  .nnet      Reluplex/Marabou: normalisation and output scaling folded in exactly, input bounds as\n"
      "             a first ReLU layer that clips (min + relu(x - min) - relu(x - max))\n"
      "  .pt        a net of `advdir experiment` (libtorch): --arch convnet|mlp|two_layer, --hidden widths\n"
      "  liblinear  a LIBLINEAR model file: a multiclass model (argmax, LIBLINEAR's label order)\n"
      "  .json      an advdir net (to write it as ONNX with --onnx)\n"
      "A chain of affine maps and ReLUs becomes {\"kind\": \"mlp\", \"layers\": ...} (ReLU between layers, the\n"
      "sign of one output or the argmax of several), which `advdir ray`, `region` and the certifiers take;\n"
      "any other net becomes {\"kind\": \"graph\", ...} (DESIGN.md, Formats), which `advdir eval` and\n"
      "`advdir ray` take. --onnx writes either back as ONNX.\n\n"
      "Example: advdir import net.onnx --out net.json");
  cmd->add_option("MODEL", args->model, "the model file")->required();
  args->read.add_to(*cmd);
  cmd->add_option("--out", args->out, "write the exact model JSON here");
  cmd->add_option("--onnx", args->onnx, "also write the net as ONNX (float64 weights; refused if one is not a double)");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
