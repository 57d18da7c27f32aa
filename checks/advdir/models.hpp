// Model files of every format advdir reads, told apart by extension or by --format.
#pragma once
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/relu.hpp"

#include <functional>
#include <string>

namespace advdir::cli {

// onnx | nnet | pt | json | liblinear: `given` when set, else the extension, else a LIBLINEAR
// header; anything else is an InputError.
std::string model_format(const std::string& path, const std::string& given);

// A net of the formats the exact layer reads as one (onnx, nnet, json: linear, relu_sum,
// relu2, relu_and, mlp, multiclass as one argmax layer), for its exact outputs.
exact::ReluNet exact_net(const std::string& path, const std::string& format);

// A classifier of any format but pt, as an exact labelling function.
std::function<int(const exact::Vector&)> exact_labeler(const std::string& path, const std::string& format);

}  // namespace advdir::cli
