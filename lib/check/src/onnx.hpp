// The checker's own reading of an ONNX net: the protobuf wire format decoded by hand (no
// protobuf or ONNX library), and a chain of Gemm / MatMul / Add / Relu / Flatten read
// into the checker's Net. Every float32 or float64 weight becomes the rational its bits
// denote, from the bits: no floating point. Anything the reading could get wrong is
// refused: a field that protobuf would merge or overwrite when repeated, an attribute it
// does not know, external or sparse data, a graph that is not a chain.
#pragma once
#include "net.hpp"

namespace advdir::check::detail {

// `bytes` (plain, or gzip already inflated) as the net it encodes; Invalid naming `what`.
Net onnx_net(const std::string& bytes, const std::string& what);

// The rational a binary32 / binary64 bit pattern denotes; Invalid for an infinity or a NaN.
mpq_class binary32(std::uint32_t bits);
mpq_class binary64(std::uint64_t bits);

}  // namespace advdir::check::detail
