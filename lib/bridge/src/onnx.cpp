// ONNX models read and written exactly (import.hpp), through ONNX's own protobuf
// classes (Debian libonnx-dev).
#include "advdir/bridge/import.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"
#include "exact_float.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace advdir::bridge {
namespace {

using Matrix = std::vector<exact::Vector>;  // rows

// An initializer: its dimensions and its entries, row-major, exactly.
struct Tensor {
  std::vector<int64_t> dims;
  exact::Vector values;
};

template <class T>
exact::Vector raw(const std::string& bytes, const std::string& what) {
  if (bytes.size() % sizeof(T)) throw std::invalid_argument(what + ": raw_data is not a whole number of values");
  exact::Vector out;
  for (std::size_t k = 0; k < bytes.size(); k += sizeof(T)) {
    T v;
    std::memcpy(&v, bytes.data() + k, sizeof(T));  // ONNX stores little-endian, as x86 does
    out.push_back(exact_float(double(v), what));
  }
  return out;
}

Tensor tensor(const onnx::TensorProto& t) {
  const std::string what = "initializer '" + t.name() + "'";
  if (t.data_location() == onnx::TensorProto::EXTERNAL) throw std::invalid_argument(what + ": external data is not supported");
  Tensor out{{t.dims().begin(), t.dims().end()}, {}};
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    out.values = t.has_raw_data() ? raw<float>(t.raw_data(), what) : exact::Vector{};
    for (float v : t.float_data()) out.values.push_back(exact_float(v, what));
  } else if (t.data_type() == onnx::TensorProto::DOUBLE) {
    out.values = t.has_raw_data() ? raw<double>(t.raw_data(), what) : exact::Vector{};
    for (double v : t.double_data()) out.values.push_back(exact_float(v, what));
  } else {
    throw std::invalid_argument(what + ": data type " + std::to_string(t.data_type()) + " is not FLOAT or DOUBLE");
  }
  int64_t size = 1;
  for (int64_t d : out.dims) size *= d;
  if (std::size_t(size) != out.values.size())
    throw std::invalid_argument(what + ": " + std::to_string(out.values.size()) + " values for dimensions of size " + std::to_string(size));
  return out;
}

// The affine map being built (y = W x + b on the current activation), and the layers so far.
struct Chain {
  std::size_t width = 0;  // the current activation's size (0 until the first map fixes it)
  Matrix W;               // empty: the identity
  exact::Vector b;
  std::vector<exact::Layer> layers;

  // y = M x for M (rows x width): composes with the map so far.
  void multiply(const Matrix& M, const std::string& node) {
    if (width && M.front().size() != width)
      throw std::invalid_argument(node + ": takes " + std::to_string(M.front().size()) + " inputs, the activation has " + std::to_string(width));
    if (W.empty()) {
      W = M;
      b.assign(M.size(), 0);
    } else {
      Matrix MW(M.size(), exact::Vector(W.front().size()));
      exact::Vector Mb(M.size());
      for (std::size_t i = 0; i < M.size(); ++i)
        for (std::size_t k = 0; k < W.size(); ++k) {
          if (M[i][k] == 0) continue;
          for (std::size_t j = 0; j < W[k].size(); ++j) MW[i][j] += M[i][k] * W[k][j];
          Mb[i] += M[i][k] * b[k];
        }
      W = std::move(MW), b = std::move(Mb);
    }
    width = M.size();
  }

  void add(const exact::Vector& c, const std::string& node) {
    if (W.empty()) throw std::invalid_argument(node + ": an Add before any Gemm or MatMul is not supported");
    if (c.size() != width) throw std::invalid_argument(node + ": adds " + std::to_string(c.size()) + " values to an activation of size " + std::to_string(width));
    for (std::size_t i = 0; i < width; ++i) b[i] += c[i];
  }

  void relu(const std::string& node) {
    if (W.empty()) throw std::invalid_argument(node + ": a Relu before any Gemm or MatMul is not supported");
    layers.push_back({std::move(W), std::move(b)});
    W.clear(), b.clear();
  }

  exact::ReluNet net() {
    if (W.empty()) {  // a trailing Relu: the identity after it
      if (layers.empty()) throw std::invalid_argument("the graph has no Gemm or MatMul");
      Matrix I(width, exact::Vector(width));
      for (std::size_t i = 0; i < width; ++i) I[i][i] = 1;
      multiply(I, "output");
    }
    layers.push_back({std::move(W), std::move(b)});
    exact::ReluNet out{"mlp", std::move(layers), width == 1 ? exact::Decision::sign : exact::Decision::argmax, 0};
    return out;
  }
};

Matrix as_matrix(const Tensor& t, bool transpose, const std::string& node) {
  if (t.dims.size() != 2) throw std::invalid_argument(node + ": the weight is not a matrix");
  const std::size_t r = std::size_t(t.dims[0]), c = std::size_t(t.dims[1]);
  // y = x B (x a row) is y = B^T x; with transB, y = B x.
  Matrix M(transpose ? r : c, exact::Vector(transpose ? c : r));
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) (transpose ? M[i][j] : M[j][i]) = t.values[i * c + j];
  return M;
}

// A bias of shape [n], [1, n] or [n, 1].
exact::Vector as_vector(const Tensor& t, const std::string& node) {
  if (std::count_if(t.dims.begin(), t.dims.end(), [](int64_t d) { return d != 1; }) > 1)
    throw std::invalid_argument(node + ": the added tensor is not a vector");
  return t.values;
}

// The attributes a node may carry, each checked; anything else is refused.
void only(const onnx::NodeProto& n, const std::set<std::string>& allowed, const std::string& node) {
  for (const onnx::AttributeProto& a : n.attribute())
    if (!allowed.count(a.name())) throw std::invalid_argument(node + ": attribute '" + a.name() + "' is not supported");
}

mpq_class float_attribute(const onnx::NodeProto& n, const std::string& name, const std::string& node) {
  for (const onnx::AttributeProto& a : n.attribute())
    if (a.name() == name) return exact_float(a.f(), node + " " + name);
  return 1;
}

int64_t int_attribute(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
  for (const onnx::AttributeProto& a : n.attribute())
    if (a.name() == name) return a.i();
  return fallback;
}

exact::ReluNet read_graph(const onnx::GraphProto& g) {
  std::map<std::string, Tensor> init;
  for (const onnx::TensorProto& t : g.initializer()) init.emplace(t.name(), tensor(t));
  std::vector<std::string> inputs;
  for (const onnx::ValueInfoProto& v : g.input())
    if (!init.count(v.name())) inputs.push_back(v.name());
  if (inputs.size() != 1 || g.output_size() != 1) throw std::invalid_argument("expected one graph input and one output");
  std::string current = inputs[0];
  Chain chain;
  auto weight = [&](const onnx::NodeProto& n, int k, const std::string& node) -> const Tensor& {
    if (n.input_size() <= k || !init.count(n.input(k))) throw std::invalid_argument(node + ": input " + std::to_string(k) + " is not an initializer");
    return init.at(n.input(k));
  };
  for (const onnx::NodeProto& n : g.node()) {
    const std::string node = "node '" + n.name() + "' (" + n.op_type() + ")";
    if (n.input_size() == 0 || n.input(0) != current || n.output_size() != 1)
      throw std::invalid_argument(node + ": the graph is not a chain from its input (each node must take the previous one's output first)");
    const std::string& op = n.op_type();
    if (op == "Gemm") {
      only(n, {"alpha", "beta", "transA", "transB"}, node);
      if (int_attribute(n, "transA", 0) != 0) throw std::invalid_argument(node + ": transA = 1 is not supported");
      Matrix M = as_matrix(weight(n, 1, node), int_attribute(n, "transB", 0) != 0, node);
      const mpq_class alpha = float_attribute(n, "alpha", node), beta = float_attribute(n, "beta", node);
      for (exact::Vector& row : M)
        for (mpq_class& v : row) v *= alpha;
      chain.multiply(M, node);
      if (n.input_size() > 2) {
        exact::Vector c = as_vector(weight(n, 2, node), node);
        for (mpq_class& v : c) v *= beta;
        chain.add(c, node);
      }
    } else if (op == "MatMul") {
      only(n, {}, node);
      chain.multiply(as_matrix(weight(n, 1, node), false, node), node);
    } else if (op == "Add") {
      only(n, {}, node);
      chain.add(as_vector(weight(n, 1, node), node), node);
    } else if (op == "Relu") {
      only(n, {}, node);
      chain.relu(node);
    } else if (op == "Flatten") {
      only(n, {"axis"}, node);
      if (int_attribute(n, "axis", 1) != 1) throw std::invalid_argument(node + ": only axis = 1 is supported");
    } else {
      throw std::invalid_argument(node + ": operator not supported (Gemm, MatMul, Add, Relu, Flatten)");
    }
    current = n.output(0);
  }
  if (current != g.output(0).name()) throw std::invalid_argument("the chain does not end at the graph output");
  return chain.net();
}

}  // namespace

exact::ReluNet read_onnx(const std::string& path) {
  const std::string bytes = exact::read_file_gunzip(path, std::size_t(1) << 31);  // .onnx or .onnx.gz
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw InputError(path, "not an ONNX model (protobuf parse failed)");
  try {
    return read_graph(model.graph());
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
}

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
