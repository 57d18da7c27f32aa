// Nets from other tools read exactly (DESIGN.md, Formats): every weight becomes the
// rational it is (a float32 or float64 as its dyadic value, a decimal as written), and
// NaN or infinite weights are refused. The result is an exact `mlp` (ReLU between layers;
// the sign of a single output or the argmax of several decides), which every ReLU
// certifier and `advdir ray` accept.
#pragma once
#include "advdir/exact/graph.hpp"
#include "advdir/exact/relu.hpp"

namespace advdir::bridge {

struct OnnxOptions {
  // BatchNormalization's gamma / sqrt(var + eps), when irrational, taken as the float32
  // nearest to it (computed to 256 bits with MPFR) instead of refused.
  bool batchnorm_float32 = false;
};

// ONNX (.onnx or .onnx.gz, opset 8 upward) as a graph: Gemm, MatMul, Add, Sub, Mul and
// Div by constants (broadcast), Add and Sub of computed tensors, Concat, Relu, Conv (1-D
// and 2-D), MaxPool, AveragePool, their Global forms, Pad (constant, reflect, edge),
// BatchNormalization, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Identity, Dropout
// and Constant, whether a parameter comes as an attribute or as an input; constants are
// folded. Weights are FLOAT or DOUBLE, read exactly; the batch dimension is one point.
// Any other operator, attribute or data type is refused with InputError naming the node.
// One output decides by its sign, several by argmax.
exact::Graph read_onnx_graph(const std::string& path, const OnnxOptions& options);

// The same graph as a layered net when it is a chain of affine maps and Relu (a trailing
// Relu kept as a ReLU layer and the identity); InputError for convolutions, pooling or
// branches.
exact::ReluNet read_onnx(const std::string& path);

// The .nnet text format of Reluplex and Marabou: its input normalisation (x - mean) / range
// and output scaling y * range + mean are folded exactly into the first and last layers,
// and its input bounds [min, max] become a first ReLU layer that clips each input,
// x -> min + relu(x - min) - relu(x - max), so the net is the function the file describes.
exact::ReluNet read_nnet(const std::string& path);

// An exact net as ONNX (Gemm and Relu, float64 weights), for other verifiers; refused
// when a weight is not a double exactly.
void write_onnx(const exact::ReluNet& net, const std::string& path);

// A graph as ONNX (opset 13, float64 weights): each node one operator (Gemm, Conv, Mul and
// Add, Add/Sub, Relu, MaxPool, AveragePool; an index map a Reshape when it keeps the order,
// else a MatMul by a 0/1 matrix of at most 2^24 entries) between Reshapes; refused
// when a weight is not a double exactly or the decision is not the sign or argmax.
void write_onnx(const exact::Graph& g, const std::string& path);

}  // namespace advdir::bridge
