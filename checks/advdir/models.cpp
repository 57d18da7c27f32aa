#include "models.hpp"

#include "advdir/bridge/import.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/multiclass.hpp"

#include <filesystem>
#include <fstream>
#include <memory>

namespace advdir::cli {

std::string model_format(const std::string& path, const std::string& given) {
  if (!given.empty()) return given;
  std::filesystem::path name(path);
  if (name.extension() == ".gz") name = name.stem();  // .onnx.gz and the like: read through gzip
  const std::string ext = name.extension().string();
  if (ext == ".onnx" || ext == ".nnet" || ext == ".json" || ext == ".pt") return ext.substr(1);
  std::ifstream in(path);
  std::string first;
  if (in >> first && first == "solver_type") return "liblinear";
  throw InputError(path, "unknown model format; name it with --format onnx|nnet|pt|liblinear|json");
}

namespace {

// A JSON model as a net: linear, multiclass (one argmax layer), or one of the ReLU kinds.
exact::ReluNet net_from_json(const exact::json& j, const std::string& path) {
  const std::string kind = j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
  if (kind == "linear") return exact::as_net(exact::linear_model_from_json(j, path));
  if (kind != "multiclass") return exact::relu_net_from_json(j, path);
  const exact::MulticlassModel h = exact::multiclass_model_from_json(j, path);
  return {"mlp", {{h.W, h.b}}, exact::Decision::argmax, 0};
}

}  // namespace

exact::ReluNet exact_net(const std::string& path, const std::string& format) {
  if (format == "onnx") return bridge::read_onnx(path);
  if (format == "nnet") return bridge::read_nnet(path);
  if (format != "json") throw InputError(path, "a " + format + " model cannot be evaluated exactly here; `advdir import` it first");
  return net_from_json(exact::read_json_file(path), path);
}

std::function<int(const exact::Vector&)> exact_labeler(const std::string& path, const std::string& format) {
  auto multiclass = [](exact::MulticlassModel h) {
    return [h = std::make_shared<exact::MulticlassModel>(std::move(h))](const exact::Vector& x) { return h->label(x); };
  };
  auto net = [](exact::ReluNet n) {
    return [n = std::make_shared<exact::ReluNet>(std::move(n))](const exact::Vector& x) { return n->label(x); };
  };
  if (format == "liblinear") return multiclass(bridge::read_liblinear_multiclass(path));
  if (format != "json") return net(exact_net(path, format));
  const exact::json j = exact::read_json_file(path);  // a multiclass model keeps its classes and their order
  if (j.is_object() && j.value("kind", exact::json()) == "multiclass") return multiclass(exact::multiclass_model_from_json(j, path));
  return net(net_from_json(j, path));
}

}  // namespace advdir::cli
