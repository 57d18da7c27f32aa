// Model files of every format advdir reads, told apart by extension or by --format.
#pragma once
#include "advdir/api/models.hpp"
#include "advdir/bridge/import.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/relu.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace advdir::cli {

using api::json_kind;
using api::model_format;

// How to read a model file: its format (default: from the extension), the shape of a
// libtorch net, and the ONNX options.
struct ModelArgs {
  std::string format, arch = "mlp", hidden = "128";
  bridge::OnnxOptions onnx;
  void add_to(CLI::App& cmd);
};

// A model of any format as the exact graph (api::load_graph; a .pt through lib/torch).
exact::Graph exact_graph(const std::string& path, const ModelArgs& a);

// A classifier of any format (a .pt with the default --arch and --hidden), as an exact
// labelling function: a multiclass model by its classes, any other through the graph.
std::function<int(const exact::Vector&)> exact_labeler(const std::string& path, const std::string& format);

}  // namespace advdir::cli
