// Nets from other tools read exactly (DESIGN.md, Formats): every weight becomes the
// rational it is (a float32 or float64 as its dyadic value, a decimal as written), and
// NaN or infinite weights are refused. The result is an exact `mlp` (ReLU between layers;
// the sign of a single output or the argmax of several decides), which every ReLU
// certifier and `advdir ray` accept.
#pragma once
#include "advdir/exact/relu.hpp"

namespace advdir::bridge {

// ONNX: a chain from the graph's one input to its one output of Gemm (transA = 0), MatMul,
// Add, Relu and Flatten (axis 1), with FLOAT or DOUBLE initializers. Any other operator,
// attribute, data type or a branching graph is refused with InputError naming the node.
// A trailing Relu is kept, as a ReLU layer followed by the identity.
exact::ReluNet read_onnx(const std::string& path);

// The .nnet text format of Reluplex and Marabou: its input normalisation (x - mean) / range
// and output scaling y * range + mean are folded exactly into the first and last layers,
// and its input bounds [min, max] become a first ReLU layer that clips each input,
// x -> min + relu(x - min) - relu(x - max), so the net is the function the file describes.
exact::ReluNet read_nnet(const std::string& path);

// An exact net as ONNX (Gemm and Relu, float64 weights), for other verifiers; refused
// when a weight is not a double exactly.
void write_onnx(const exact::ReluNet& net, const std::string& path);

}  // namespace advdir::bridge
