// Building ONNX graphs by hand with ONNX's own protobuf classes, for the tests that read
// them back (test_import: the solver's reader; test_vnnlib_cert: the checker's).
#pragma once
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

// The graph input `name`, a FLOAT tensor of the given dimensions (the first one symbolic,
// the batch, when `batch` names it).
inline void graph_input(onnx::GraphProto& g, const std::string& name, std::vector<int64_t> dims, const std::string& batch = "") {
  onnx::ValueInfoProto& v = *g.add_input();
  v.set_name(name);
  onnx::TypeProto_Tensor& t = *v.mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::FLOAT);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i == 0 && !batch.empty()) t.mutable_shape()->add_dim()->set_dim_param(batch);
    else t.mutable_shape()->add_dim()->set_dim_value(dims[i]);
  }
}

// A node op(in...) -> out, named after its op and output.
inline onnx::NodeProto& node(onnx::GraphProto& g, const std::string& op, std::vector<std::string> in, const std::string& out) {
  onnx::NodeProto& n = *g.add_node();
  n.set_name(op + "_" + out);
  n.set_op_type(op);
  for (const std::string& i : in) n.add_input(i);
  n.add_output(out);
  return n;
}

inline void float_attribute(onnx::NodeProto& n, const std::string& name, float f) {
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name(name), a.set_type(onnx::AttributeProto::FLOAT), a.set_f(f);
}

inline void int_attribute(onnx::NodeProto& n, const std::string& name, int64_t i) {
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name(name), a.set_type(onnx::AttributeProto::INT), a.set_i(i);
}
