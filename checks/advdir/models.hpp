// Model files of every format advdir reads, told apart by extension or by --format.
#pragma once
#include "advdir/bridge/import.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/relu.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace advdir::cli {

// onnx | nnet | pt | json | liblinear: `given` when set, else the extension, else a LIBLINEAR
// header; anything else is an InputError.
std::string model_format(const std::string& path, const std::string& given);

// A net of the formats the exact layer reads as one (onnx, nnet, json: linear, relu_sum,
// relu2, relu_and, mlp, multiclass as one argmax layer), for its exact outputs.
exact::ReluNet exact_net(const std::string& path, const std::string& format);

// How to read a model file: its format (default: from the extension), the shape of a
// libtorch net, and the ONNX options.
struct ModelArgs {
  std::string format, arch = "mlp", hidden = "128";
  bridge::OnnxOptions onnx;
  void add_to(CLI::App& cmd);
};

// The "kind" of a JSON model file ("" when it names none).
std::string json_kind(const std::string& path);

// A model of any format as the exact graph (the layered kinds, multiclass and LIBLINEAR
// models included; a JSON linear model as one dense node decided by its sign).
exact::Graph exact_graph(const std::string& path, const ModelArgs& a);

// A classifier of any format (a .pt with the default --arch and --hidden), as an exact
// labelling function: a multiclass model by its classes, any other through the graph.
std::function<int(const exact::Vector&)> exact_labeler(const std::string& path, const std::string& format);

}  // namespace advdir::cli
