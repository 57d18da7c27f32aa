// Exact nets written as ONNX (import.hpp), through ONNX's own protobuf classes (Debian
// libonnx-dev); onnx_read.cpp reads them.
#include "advdir/bridge/import.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"

#include <onnx/onnx_pb.h>


namespace advdir::bridge {

void write_onnx(const exact::ReluNet& net, const std::string& path) {
  if (net.kind != "mlp") throw InputError(path, "only mlp nets are written as ONNX (this one is " + net.kind + ")");
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("advdir");
  model.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *model.mutable_graph();
  g.set_name("advdir_mlp");
  auto value = [](onnx::ValueInfoProto* v, const std::string& name, std::size_t width) {
    v->set_name(name);
    onnx::TypeProto_Tensor& t = *v->mutable_type()->mutable_tensor_type();
    t.set_elem_type(onnx::TensorProto::DOUBLE);
    t.mutable_shape()->add_dim()->set_dim_param("N");
    t.mutable_shape()->add_dim()->set_dim_value(int64_t(width));
  };
  auto exact_double = [&](const mpq_class& q) {
    const double d = q.get_d();
    if (mpq_class(d) != q) throw InputError(path, "weight " + q.get_str() + " is not a double exactly");
    return d;
  };
  value(g.add_input(), "x", net.input_dim());
  std::string current = "x";
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const exact::Layer& layer = net.layers[l];
    const std::string k = std::to_string(l);
    onnx::TensorProto& W = *g.add_initializer();
    W.set_name("W" + k), W.set_data_type(onnx::TensorProto::DOUBLE);
    W.add_dims(int64_t(layer.W.size())), W.add_dims(int64_t(layer.W.front().size()));
    for (const exact::Vector& row : layer.W)
      for (const mpq_class& v : row) W.add_double_data(exact_double(v));
    onnx::TensorProto& b = *g.add_initializer();
    b.set_name("b" + k), b.set_data_type(onnx::TensorProto::DOUBLE), b.add_dims(int64_t(layer.b.size()));
    for (const mpq_class& v : layer.b) b.add_double_data(exact_double(v));
    onnx::NodeProto& gemm = *g.add_node();
    gemm.set_name("gemm" + k), gemm.set_op_type("Gemm");
    gemm.add_input(current), gemm.add_input("W" + k), gemm.add_input("b" + k);
    onnx::AttributeProto& transB = *gemm.add_attribute();
    transB.set_name("transB"), transB.set_type(onnx::AttributeProto::INT), transB.set_i(1);
    current = "z" + k;
    gemm.add_output(current);
    if (l + 1 == net.layers.size()) break;
    onnx::NodeProto& relu = *g.add_node();
    relu.set_name("relu" + k), relu.set_op_type("Relu"), relu.add_input(current);
    current = "h" + k;
    relu.add_output(current);
  }
  value(g.add_output(), current, net.layers.back().W.size());
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw InputError(path, "cannot serialise the model");
  exact::write_file_atomic(path, bytes);
}

}  // namespace advdir::bridge
