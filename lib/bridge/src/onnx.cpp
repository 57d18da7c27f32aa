// Exact nets written as ONNX (import.hpp), through ONNX's own protobuf classes (Debian
// libonnx-dev); onnx_read.cpp reads them.
#include "advdir/bridge/import.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"

#include <onnx/onnx_pb.h>

#include <functional>
#include <numeric>


namespace advdir::bridge {

namespace {

// A graph written node by node: fresh names, double initializers (each weight a double
// exactly, else refused), int64 shapes and indices.
class Writer {
public:
  Writer(onnx::GraphProto& g, const std::string& path) : g_(g), path_(path) {}

  std::string name(const std::string& stem) { return stem + "_" + std::to_string(next_++); }

  std::string doubles(const exact::Vector& v, std::vector<int64_t> dims) {
    onnx::TensorProto& t = *g_.add_initializer();
    t.set_name(name("w")), t.set_data_type(onnx::TensorProto::DOUBLE);
    for (int64_t d : dims) t.add_dims(d);
    for (const mpq_class& q : v) {
      const double d = q.get_d();
      if (mpq_class(d) != q) throw InputError(path_, "weight " + q.get_str() + " is not a double exactly");
      t.add_double_data(d);
    }
    return t.name();
  }

  std::string int64s(const std::vector<int64_t>& v) {
    onnx::TensorProto& t = *g_.add_initializer();
    t.set_name(name("i")), t.set_data_type(onnx::TensorProto::INT64), t.add_dims(int64_t(v.size()));
    for (int64_t i : v) t.add_int64_data(i);
    return t.name();
  }

  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in, const std::string& out) {
    onnx::NodeProto& n = *g_.add_node();
    n.set_name(out), n.set_op_type(op);
    for (const std::string& i : in) n.add_input(i);
    n.add_output(out);
    return n;
  }

  std::string reshape(const std::string& in, const exact::Shape& shape) {
    const std::string out = name("r");
    node("Reshape", {in, int64s({shape.begin(), shape.end()})}, out);
    return out;
  }

  static void ints(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(key), a.set_type(onnx::AttributeProto::INTS);
    for (int64_t i : v) a.add_ints(i);
  }
  static void integer(onnx::NodeProto& n, const std::string& key, int64_t v) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(key), a.set_type(onnx::AttributeProto::INT), a.set_i(v);
  }

private:
  onnx::GraphProto& g_;
  const std::string& path_;
  int next_ = 0;
};

void value_info(onnx::ValueInfoProto* v, const std::string& name, const exact::Shape& shape) {
  v->set_name(name);
  onnx::TypeProto_Tensor& t = *v->mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::DOUBLE);
  for (std::size_t d : shape) t.mutable_shape()->add_dim()->set_dim_value(int64_t(d));
}

// The window's attributes; ceil_mode when it has more positions than the floor rule.
void window_attributes(onnx::NodeProto& n, const exact::Window2d& w, bool kernel_shape) {
  if (kernel_shape) Writer::ints(n, "kernel_shape", {int64_t(w.kernel_h), int64_t(w.kernel_w)});
  Writer::ints(n, "strides", {int64_t(w.stride_h), int64_t(w.stride_w)});
  Writer::ints(n, "pads", {int64_t(w.pad_top), int64_t(w.pad_left), int64_t(w.pad_bottom), int64_t(w.pad_right)});
  if (w.dilation_h != 1 || w.dilation_w != 1) Writer::ints(n, "dilations", {int64_t(w.dilation_h), int64_t(w.dilation_w)});
  if (w.out_h != exact::window_positions(w.height, w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom, false) ||
      w.out_w != exact::window_positions(w.width, w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right, false))
    Writer::integer(n, "ceil_mode", 1);
}

// One node of the graph, its inputs reshaped to what the operator takes and its output
// to the node's shape.
std::string write_node(Writer& w, const exact::Graph& g, const exact::GraphNode& n, const std::vector<std::string>& values) {
  auto size = [](const exact::Shape& s) { return std::accumulate(s.begin(), s.end(), std::size_t(1), std::multiplies<>()); };
  auto shape_of = [&](std::size_t v) { return v == 0 ? g.input_shape : g.nodes[v - 1].shape; };
  const std::string in = values[n.inputs[0]], out = w.name("v");
  const std::size_t in_size = size(shape_of(n.inputs[0])), out_size = size(n.shape);
  const exact::Window2d& win = n.window;
  const exact::Shape image = {1, win.channels, win.height, win.width};
  std::string y;
  switch (n.op) {
    case exact::Op::dense: {
      exact::Vector flat;
      for (const exact::Vector& row : n.W) flat.insert(flat.end(), row.begin(), row.end());
      onnx::NodeProto& gemm = w.node("Gemm", {w.reshape(in, {1, in_size}), w.doubles(flat, {int64_t(out_size), int64_t(in_size)}), w.doubles(n.bias, {int64_t(out_size)})}, y = w.name("v"));
      Writer::integer(gemm, "transB", 1);
      break;
    }
    case exact::Op::conv: {
      std::vector<std::string> ins = {w.reshape(in, image), w.doubles(n.weights, {int64_t(n.out_channels), int64_t(win.channels / n.group), int64_t(win.kernel_h), int64_t(win.kernel_w)})};
      if (!n.bias.empty()) ins.push_back(w.doubles(n.bias, {int64_t(n.out_channels)}));
      onnx::NodeProto& conv = w.node("Conv", ins, y = w.name("v"));
      window_attributes(conv, win, true);
      if (n.group != 1) Writer::integer(conv, "group", int64_t(n.group));
      break;
    }
    case exact::Op::scale: {
      const std::string flat = w.reshape(in, {in_size}), mul = w.name("v");
      w.node("Mul", {flat, w.doubles(n.weights, {int64_t(in_size)})}, mul);
      w.node("Add", {mul, w.doubles(n.bias, {int64_t(in_size)})}, y = w.name("v"));
      break;
    }
    case exact::Op::add: {
      y = w.reshape(in, {out_size});
      for (std::size_t k = 1; k < n.inputs.size(); ++k) {
        const std::string next = w.name("v");
        w.node(n.signs[k] > 0 ? "Add" : "Sub", {y, w.reshape(values[n.inputs[k]], {out_size})}, next);
        y = next;
      }
      if (n.signs[0] < 0) {  // -x_0 + ...: y - 2 x_0
        const std::string twice = w.name("v"), next = w.name("v");
        w.node("Mul", {w.reshape(in, {out_size}), w.doubles({2}, {1})}, twice);
        w.node("Sub", {y, twice}, next);
        y = next;
      }
      break;
    }
    case exact::Op::gather: {  // a Reshape when it keeps the order, else a 0/1 selection matrix
      std::vector<std::string> parts;
      std::vector<int64_t> offset;
      int64_t total = 0;
      for (std::size_t v : n.inputs) parts.push_back(w.reshape(values[v], {1, size(shape_of(v))})), offset.push_back(total), total += int64_t(size(shape_of(v)));
      bool in_order = n.inputs.size() == 1 && std::size_t(total) == out_size;
      for (std::size_t i = 0; i < out_size && in_order; ++i) in_order = n.source[i].second == std::ptrdiff_t(i);
      if (in_order) {
        y = in;
        break;
      }
      if (out_size * std::size_t(total) > (std::size_t(1) << 24))
        throw std::invalid_argument("node '" + n.name + "': an index map of " + std::to_string(out_size) + " x " + std::to_string(total) +
                                    " is too large to write as a selection matrix");
      std::string all = parts[0];
      if (parts.size() > 1) Writer::integer(w.node("Concat", parts, all = w.name("v")), "axis", 1);
      exact::Vector select(out_size * std::size_t(total));
      for (std::size_t i = 0; i < out_size; ++i)
        if (n.source[i].second >= 0) select[std::size_t(offset[n.source[i].first] + n.source[i].second) * out_size + i] = 1;
      w.node("MatMul", {all, w.doubles(select, {total, int64_t(out_size)})}, y = w.name("v"));
      break;
    }
    case exact::Op::relu: w.node("Relu", {in}, y = w.name("v")); break;
    case exact::Op::maxpool:
      window_attributes(w.node("MaxPool", {w.reshape(in, image)}, y = w.name("v")), win, true);
      break;
    case exact::Op::avgpool: {
      if (win.dilation_h != 1 || win.dilation_w != 1) throw std::invalid_argument("a dilated average pooling has no ONNX form before opset 19");
      onnx::NodeProto& pool = w.node("AveragePool", {w.reshape(in, image)}, y = w.name("v"));
      window_attributes(pool, win, true);
      if (n.count_include_pad) Writer::integer(pool, "count_include_pad", 1);
      break;
    }
  }
  w.node("Reshape", {y, w.int64s({n.shape.begin(), n.shape.end()})}, out);
  return out;
}

}  // namespace

void write_onnx(const exact::Graph& g, const std::string& path) {
  if (g.decision != exact::Decision::sign && g.decision != exact::Decision::argmax)
    throw InputError(path, "only graphs decided by the sign of one output or the argmax are written as ONNX");
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("advdir");
  model.add_opset_import()->set_version(13);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("advdir_graph");
  Writer w(graph, path);
  value_info(graph.add_input(), "x", g.input_shape);
  std::vector<std::string> values{"x"};
  try {
    for (const exact::GraphNode& n : g.nodes) values.push_back(write_node(w, g, n, values));
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
  value_info(graph.add_output(), values.back(), g.nodes.back().shape);
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw InputError(path, "cannot serialise the model");
  exact::write_file_atomic(path, bytes);
}

void write_onnx(const exact::ReluNet& net, const std::string& path) {
  if (net.kind != "mlp") throw InputError(path, "only mlp nets are written as ONNX (this one is " + net.kind + ")");
  write_onnx(exact::as_graph(net), path);
}

}  // namespace advdir::bridge
