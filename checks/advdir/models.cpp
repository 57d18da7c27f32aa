#include "models.hpp"

#include "advdir/bridge/import.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/enclose/graph_filter.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/multiclass.hpp"
#include "cli.hpp"
#ifdef ADVDIR_HAVE_TORCH
#include "advdir/fp/attack.hpp"
#include "advdir/torch/nets.hpp"
#endif

#include <memory>

namespace advdir::cli {

void ModelArgs::add_to(CLI::App& cmd) {
  cmd.add_option("--format", format, "onnx | nnet | pt | liblinear | json (default: from the extension)");
  cmd.add_option("--arch", arch, ".pt: convnet | mlp | two_layer")->capture_default_str();
  cmd.add_option("--hidden", hidden, ".pt: hidden widths, comma-separated")->capture_default_str();
  cmd.add_flag("--batchnorm-float32", onnx.batchnorm_float32,
               "ONNX: take an irrational BatchNormalization scale gamma / sqrt(var + eps) as its nearest float32 "
               "(the model is then defined by that value); without it such a net is refused");
}

namespace {

exact::Graph torch_graph(const std::string& path, const ModelArgs& a) {
#ifdef ADVDIR_HAVE_TORCH
  torchnets::TrainOptions t;
  t.hidden.clear();
  for (const mpq_class& h : vector_arg(a.hidden, "--hidden")) {
    if (h.get_den() != 1 || h <= 0) throw InputError("--hidden", "expected positive widths");
    t.hidden.push_back(h.get_num().get_si());
  }
  try {
    torchnets::Net net(torchnets::arch_from_name(a.arch), t);
    net.load(path);
    return net.to_exact();
  } catch (const fp::DataError& e) {
    throw InputError(path, e.what());
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a libtorch ") + a.arch + " net with hidden widths " + a.hidden + " (" +
                               std::string(e.what()).substr(0, std::string(e.what()).find('\n')) + ")");
  }
#else
  (void)a;
  throw InputError(path, "this advdir was built without libtorch");
#endif
}

}  // namespace

exact::Graph exact_graph(const std::string& path, const ModelArgs& a) {
  if (model_format(path, a.format) == "pt") return torch_graph(path, a);
  return api::load_graph(path, {a.format, a.onnx});
}

std::function<int(const exact::Vector&)> exact_labeler(const std::string& path, const std::string& format) {
  auto multiclass = [](exact::MulticlassModel h) {
    return [h = std::make_shared<exact::MulticlassModel>(std::move(h))](const exact::Vector& x) { return h->label(x); };
  };
  if (format == "liblinear") return multiclass(bridge::read_liblinear_multiclass(path));
  if (format == "json") {
    const exact::json j = exact::read_json_file(path);  // a multiclass model keeps its classes and their order
    if (j.is_object() && j.value("kind", exact::json()) == "multiclass") return multiclass(exact::multiclass_model_from_json(j, path));
  }
  ModelArgs a;
  a.format = format;
  // float first, exact where the float bound cannot decide (lib/enclose, graph_filter.hpp)
  auto labeler = std::make_shared<const enclose::FilteredLabeler>(exact_graph(path, a), path);
  return [labeler](const exact::Vector& x) { return labeler->label(x); };
}

}  // namespace advdir::cli
