// advdir import: nets and linear models from other tools, read exactly into advdir's JSON
// (and exact nets written back as ONNX for other verifiers).
#include "cli.hpp"
#include "models.hpp"

#include "advdir/bridge/import.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/multiclass.hpp"
#ifdef ADVDIR_HAVE_TORCH
#include "advdir/torch/nets.hpp"
#endif

#include <iostream>

namespace advdir::cli {
namespace {

struct ImportArgs {
  std::string model, format, arch = "mlp", hidden = "128", out, onnx;
  bool json = false;
};

exact::ReluNet torch_net(const ImportArgs& a) {
#ifdef ADVDIR_HAVE_TORCH
  torchnets::TrainOptions t;
  t.hidden.clear();
  for (const mpq_class& h : vector_arg(a.hidden, "--hidden")) {
    if (h.get_den() != 1 || h <= 0) throw InputError("--hidden", "expected positive widths");
    t.hidden.push_back(h.get_num().get_si());
  }
  torchnets::Net net(torchnets::arch_from_name(a.arch), t);
  try {
    net.load(a.model);
  } catch (const std::exception& e) {
    throw InputError(a.model, std::string("not a libtorch ") + a.arch + " net with hidden widths " + a.hidden + " (" +
                                  std::string(e.what()).substr(0, std::string(e.what()).find('\n')) + ")");
  }
  return net.to_exact();
#else
  throw InputError(a.model, "this advdir was built without libtorch");
#endif
}

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

void run(const ImportArgs& a) {
  const std::string format = model_format(a.model, a.format);
  exact::json model;
  std::string shape;
  if (format == "liblinear") {
    const exact::MulticlassModel h = bridge::read_liblinear_multiclass(a.model);
    model = exact::to_json(h);
    shape = "multiclass, " + std::to_string(h.W.size()) + " classes, d = " + std::to_string(h.W.front().size());
  } else {
    const exact::ReluNet net = format == "onnx" ? bridge::read_onnx(a.model)
                               : format == "nnet" ? bridge::read_nnet(a.model)
                               : format == "pt"   ? torch_net(a)
                                                  : exact::relu_net_from_json(exact::read_json_file(a.model), a.model);
    if (!a.onnx.empty()) bridge::write_onnx(net, a.onnx);
    model = exact::to_json(net);
    shape = net.kind + " " + std::to_string(net.input_dim());
    for (const exact::Layer& l : net.layers) shape += "-" + std::to_string(l.W.size());
    shape += ", weights with denominators up to 2^" + std::to_string(finest(net));
  }
  if (!a.out.empty()) exact::write_file_atomic(a.out, model.dump() + "\n");
  if (a.json) return print_json({{"model", a.model}, {"format", format}, {"shape", shape}, {"out", a.out}, {"onnx", a.onnx}});
  std::cout << a.model << " (" << format << "): " << shape << ", read exactly\n";
  if (!a.out.empty()) std::cout << "wrote " << a.out << "\n";
  if (!a.onnx.empty()) std::cout << "wrote " << a.onnx << " (ONNX: Gemm and Relu, float64)\n";
}

}  // namespace

void add_import(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "read a float model exactly into advdir's JSON (ONNX, .nnet, libtorch, LIBLINEAR)");
  cmd->footer(
      "Every weight becomes the rational it is: a float32 or float64 as its dyadic value, a decimal of a\n"
      ".nnet file as written. NaN and infinite weights are refused. Formats (by extension, or --format):\n"
      "  .onnx      a chain of Gemm (transA = 0), MatMul, Add, Relu, Flatten (axis 1); anything else is\n"
      "             refused, naming the node\n"
      "  .nnet      Reluplex/Marabou: normalisation and output scaling folded in exactly, input bounds as\n"
      "             a first ReLU layer that clips (min + relu(x - min) - relu(x - max))\n"
      "  .pt        a net of `advdir experiment` (libtorch): --arch mlp|two_layer, --hidden widths\n"
      "  liblinear  a LIBLINEAR model file: a multiclass model (argmax, LIBLINEAR's label order)\n"
      "  .json      an advdir net (to write it as ONNX with --onnx)\n"
      "Nets become {\"kind\": \"mlp\", \"layers\": ...}: ReLU between layers, the sign of one output or the\n"
      "argmax of several; `advdir ray`, `region` and the certifiers take them.\n\n"
      "Example: advdir import net.onnx --out net.json");
  cmd->add_option("MODEL", args->model, "the model file")->required();
  cmd->add_option("--format", args->format, "onnx | nnet | pt | liblinear | json (default: from the extension)");
  cmd->add_option("--arch", args->arch, ".pt: mlp | two_layer")->capture_default_str();
  cmd->add_option("--hidden", args->hidden, ".pt: hidden widths, comma-separated")->capture_default_str();
  cmd->add_option("--out", args->out, "write the exact model JSON here");
  cmd->add_option("--onnx", args->onnx, "also write the net as ONNX (float64 weights; refused if one is not a double)");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
