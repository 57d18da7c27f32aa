#include "advdir/api/models.hpp"

#include "advdir/bridge/liblinear.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/multiclass.hpp"

#include <filesystem>
#include <fstream>

namespace advdir::api {

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

std::string kind_of(const exact::json& j) {
  return j.is_object() && j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
}

std::string json_kind(const std::string& path) { return kind_of(exact::read_json_file(path)); }

namespace {

// A JSON model as a net: linear, multiclass (one argmax layer), or one of the ReLU kinds.
exact::ReluNet net_from_json(const exact::json& j, const std::string& path) {
  const std::string kind = kind_of(j);
  if (kind == "linear") return exact::as_net(exact::linear_model_from_json(j, path));
  if (kind != "multiclass") return exact::relu_net_from_json(j, path);
  const exact::MulticlassModel h = exact::multiclass_model_from_json(j, path);
  return {"mlp", {{h.W, h.b}}, exact::Decision::argmax, 0};
}

}  // namespace

exact::ReluNet layered_net(const std::string& path, const std::string& format) {
  if (format == "onnx") return bridge::read_onnx(path);
  if (format == "nnet") return bridge::read_nnet(path);
  if (format != "json") throw InputError(path, "a " + format + " model cannot be evaluated exactly here; `advdir import` it first");
  return net_from_json(exact::read_json_file(path), path);
}

exact::Graph load_graph(const std::string& path, const ModelOptions& options) {
  const std::string format = model_format(path, options.format);
  if (format == "onnx") return bridge::read_onnx_graph(path, options.onnx);
  if (format == "pt") throw InputError(path, "a libtorch net is read with its architecture: `advdir import` it to ONNX or JSON first");
  if (format == "liblinear") {
    const exact::MulticlassModel h = bridge::read_liblinear_multiclass(path);
    return exact::as_graph(exact::ReluNet{"mlp", {{h.W, h.b}}, exact::Decision::argmax, 0});
  }
  if (format != "json") return exact::as_graph(layered_net(path, format));
  const exact::json j = exact::read_json_file(path);  // once: its kind says how to read it
  return kind_of(j) == "graph" ? exact::graph_from_json(j, path) : exact::as_graph(net_from_json(j, path));
}

}  // namespace advdir::api
