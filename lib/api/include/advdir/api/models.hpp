// Model files of every format advdir reads, told apart by extension or by name: the one
// loader the command line, the C API (advdir.h) and Python share.
#pragma once
#include "advdir/bridge/import.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/relu.hpp"

#include <string>

namespace advdir::api {

struct ModelOptions {
  std::string format;         // onnx | nnet | pt | json | liblinear; empty: from the file
  bridge::OnnxOptions onnx;   // BatchNormalization's irrational scales
};

// `given` when set, else the extension (.gz looked through), else a LIBLINEAR header;
// anything else is an InputError naming the file.
std::string model_format(const std::string& path, const std::string& given);

// The "kind" of a JSON model, or of a JSON model file ("" when it names none).
std::string kind_of(const exact::json& j);
std::string json_kind(const std::string& path);

// A net of the formats the exact layer reads as layers (onnx chains, nnet, json: linear,
// relu_sum, relu2, relu_and, mlp, multiclass as one argmax layer).
exact::ReluNet layered_net(const std::string& path, const std::string& format);

// A model of any format but .pt (a libtorch net needs its architecture: the command line
// reads it through lib/torch) as the exact graph.
exact::Graph load_graph(const std::string& path, const ModelOptions& options);

}  // namespace advdir::api
