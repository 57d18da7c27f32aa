// ONNX graphs read exactly into the graph model (import.hpp), through ONNX's own
// protobuf classes (Debian libonnx-dev): every piecewise-linear operator of the nets in
// circulation, from opset 8 upward, with constants folded at import.
#include "advdir/bridge/import.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"
#include "exact_float.hpp"

#include <mpfr.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <set>

namespace advdir::bridge {
namespace {

using exact::Graph;
using exact::GraphNode;
using exact::Op;
using exact::Shape;

// A value of the ONNX graph during import: a constant (folded) or a value of the graph
// being built.
struct Value {
  Shape shape;
  bool constant = false;
  exact::Vector data;           // a constant's entries, row-major (integer tensors too)
  std::size_t index = 0;        // a graph value's index
};

std::size_t size_of(const Shape& s) {
  std::size_t n = 1;
  for (std::size_t d : s) {
    if (d != 0 && n > (std::size_t(1) << 31) / d) throw std::invalid_argument("a tensor of more than 2^31 entries");
    n *= d;
  }
  return n;
}

std::string shape_text(const Shape& s) {
  std::string t = "[";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

template <class T>
void raw(const std::string& bytes, const std::string& what, exact::Vector& out) {
  if (bytes.size() % sizeof(T)) throw std::invalid_argument(what + ": raw_data is not a whole number of values");
  for (std::size_t k = 0; k < bytes.size(); k += sizeof(T)) {
    T v;
    std::memcpy(&v, bytes.data() + k, sizeof(T));  // ONNX stores little-endian, as x86 does
    if constexpr (std::is_floating_point_v<T>) out.push_back(exact_float(double(v), what));
    else out.push_back(mpq_class(mpz_class(std::to_string(v))));
  }
}

// A TensorProto as a constant: FLOAT and DOUBLE exactly, INT64, INT32 and BOOL as integers.
Value tensor(const onnx::TensorProto& t, const std::string& what) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL) throw std::invalid_argument(what + ": external data is not supported");
  Value v;
  v.constant = true;
  for (int64_t d : t.dims()) {
    if (d < 0) throw std::invalid_argument(what + ": a negative dimension");
    v.shape.push_back(std::size_t(d));
  }
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) raw<float>(t.raw_data(), what, v.data);
      for (float f : t.float_data()) v.data.push_back(exact_float(f, what));
      break;
    case onnx::TensorProto::DOUBLE:
      if (t.has_raw_data()) raw<double>(t.raw_data(), what, v.data);
      for (double f : t.double_data()) v.data.push_back(exact_float(f, what));
      break;
    case onnx::TensorProto::INT64:
      if (t.has_raw_data()) raw<int64_t>(t.raw_data(), what, v.data);
      for (int64_t i : t.int64_data()) v.data.push_back(mpq_class(mpz_class(std::to_string(i))));
      break;
    case onnx::TensorProto::INT32:
      if (t.has_raw_data()) raw<int32_t>(t.raw_data(), what, v.data);
      for (int32_t i : t.int32_data()) v.data.push_back(i);
      break;
    case onnx::TensorProto::BOOL:
      if (t.has_raw_data()) raw<uint8_t>(t.raw_data(), what, v.data);
      for (int32_t i : t.int32_data()) v.data.push_back(i != 0);
      break;
    default:
      throw std::invalid_argument(what + ": data type " + std::to_string(t.data_type()) + " is not FLOAT, DOUBLE, INT64, INT32 or BOOL");
  }
  if (size_of(v.shape) != v.data.size())
    throw std::invalid_argument(what + ": " + std::to_string(v.data.size()) + " values for the shape " + shape_text(v.shape));
  return v;
}

// Row-major strides of a shape.
std::vector<std::size_t> strides_of(const Shape& s) {
  std::vector<std::size_t> st(s.size(), 1);
  for (std::size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

// numpy broadcasting of two shapes.
Shape broadcast(const Shape& a, const Shape& b, const std::string& node) {
  Shape out(std::max(a.size(), b.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::size_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1) throw std::invalid_argument(node + ": shapes " + shape_text(a) + " and " + shape_text(b) + " do not broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

// For each entry of `to`, the entry of `from` it broadcasts from.
std::vector<std::ptrdiff_t> broadcast_source(const Shape& from, const Shape& to) {
  const std::vector<std::size_t> st_to = strides_of(to), st_from = strides_of(from);
  const std::size_t lead = to.size() - from.size();
  std::vector<std::ptrdiff_t> src(size_of(to));
  for (std::size_t i = 0; i < src.size(); ++i) {
    std::size_t j = 0;
    for (std::size_t a = lead; a < to.size(); ++a) {
      const std::size_t coord = (i / st_to[a]) % to[a];
      if (from[a - lead] != 1) j += coord * st_from[a - lead];
    }
    src[i] = std::ptrdiff_t(j);
  }
  return src;
}

class Reader {
public:
  Reader(const onnx::GraphProto& g, const OnnxOptions& options) : g_(g), options_(options) {}

  Graph read() {
    for (const onnx::TensorProto& t : g_.initializer()) values_[t.name()] = tensor(t, "initializer " + shown(t.name()));
    std::vector<const onnx::ValueInfoProto*> inputs;
    for (const onnx::ValueInfoProto& v : g_.input())
      if (!values_.count(v.name())) inputs.push_back(&v);
    if (inputs.size() != 1 || g_.output_size() != 1) throw std::invalid_argument("expected one graph input and one output");
    graph_.input_shape = input_shape(*inputs[0]);
    values_[inputs[0]->name()] = Value{graph_.input_shape, false, {}, 0};
    for (const onnx::NodeProto& n : g_.node()) node(n);
    const std::string& out = g_.output(0).name();
    if (!values_.count(out)) throw std::invalid_argument("the graph output '" + out + "' is never computed");
    const Value& y = values_.at(out);
    if (y.constant) throw std::invalid_argument("the graph output '" + out + "' does not depend on the input");
    if (y.index != graph_.nodes.size()) gather(y, y.shape, identity(size_of(y.shape)), "output");
    graph_.decision = size_of(y.shape) == 1 ? exact::Decision::sign : exact::Decision::argmax;
    return std::move(graph_);
  }

private:
  static Shape input_shape(const onnx::ValueInfoProto& v) {
    const std::string what = "input " + shown(v.name());
    if (!v.type().has_tensor_type()) throw std::invalid_argument(what + ": not a tensor");
    const auto elem = v.type().tensor_type().elem_type();
    if (elem != onnx::TensorProto::FLOAT && elem != onnx::TensorProto::DOUBLE)
      throw std::invalid_argument(what + ": element type " + std::to_string(elem) + " is not FLOAT or DOUBLE");
    Shape s;
    const auto& dims = v.type().tensor_type().shape().dim();
    for (int i = 0; i < dims.size(); ++i) {
      if (dims[i].has_dim_value() && dims[i].dim_value() > 0) s.push_back(std::size_t(dims[i].dim_value()));
      else if (i == 0) s.push_back(1);  // the batch: one point
      else throw std::invalid_argument(what + ": dimension " + std::to_string(i) + " is not a fixed size");
    }
    if (s.empty()) throw std::invalid_argument(what + ": no shape");
    size_of(s);
    return s;
  }

  static std::vector<std::ptrdiff_t> identity(std::size_t n) {
    std::vector<std::ptrdiff_t> src(n);
    std::iota(src.begin(), src.end(), 0);
    return src;
  }

  // --- building the graph --------------------------------------------------------

  Value emit(GraphNode n) {
    const Shape shape = n.shape;
    graph_.nodes.push_back(std::move(n));
    return Value{shape, false, {}, graph_.nodes.size()};
  }

  // out[i] = in[src[i]] (src -1: 0), for a constant or a graph value.
  Value gather(const Value& in, const Shape& shape, const std::vector<std::ptrdiff_t>& src, const std::string& name) {
    if (in.constant) {
      Value c{shape, true, {}, 0};
      for (std::ptrdiff_t j : src) c.data.push_back(j < 0 ? mpq_class(0) : in.data[std::size_t(j)]);
      return c;
    }
    GraphNode n = exact::graph_node(name, Op::gather, {in.index}, shape);
    for (std::ptrdiff_t j : src) n.source.emplace_back(0, j);
    return emit(std::move(n));
  }

  // y = a x + c elementwise (a, c of x's size).
  Value scale(const Value& x, exact::Vector a, exact::Vector c, const std::string& name) {
    if (x.constant) {
      Value y = x;
      for (std::size_t i = 0; i < y.data.size(); ++i) y.data[i] = a[i] * y.data[i] + c[i];
      return y;
    }
    GraphNode n = exact::graph_node(name, Op::scale, {x.index}, x.shape);
    n.weights = std::move(a), n.bias = std::move(c);
    return emit(std::move(n));
  }

  // A constant as a graph value: zeros gathered from the input, then shifted.
  Value as_graph_value(const Value& c, const std::string& name) {
    if (!c.constant) return c;
    const Value zeros = gather(Value{graph_.input_shape, false, {}, 0}, c.shape, std::vector<std::ptrdiff_t>(c.data.size(), -1), name + "/zeros");
    return scale(zeros, exact::Vector(c.data.size(), 0), c.data, name + "/constant");
  }

  Value broadcast_to(const Value& v, const Shape& shape, const std::string& name) {
    if (v.shape == shape) return v;
    return gather(v, shape, broadcast_source(v.shape, shape), name + "/broadcast");
  }

  // --- reading nodes -------------------------------------------------------------

  const Value& in(const onnx::NodeProto& n, int k) {
    if (n.input_size() <= k || n.input(k).empty()) throw std::invalid_argument(where_ + ": input " + std::to_string(k) + " is missing");
    const auto it = values_.find(n.input(k));
    if (it == values_.end()) throw std::invalid_argument(where_ + ": input '" + n.input(k) + "' is not computed before the node");
    return it->second;
  }
  bool has_input(const onnx::NodeProto& n, int k) const { return n.input_size() > k && !n.input(k).empty(); }

  const Value& constant(const onnx::NodeProto& n, int k, const char* what) {
    const Value& v = in(n, k);
    if (!v.constant) throw std::invalid_argument(where_ + ": the " + std::string(what) + " (input " + std::to_string(k) + ") must be a constant");
    return v;
  }

  std::vector<int64_t> ints_of(const Value& v, const char* what) {
    std::vector<int64_t> out;
    for (const mpq_class& q : v.data) {
      if (q.get_den() != 1 || !q.get_num().fits_slong_p()) throw std::invalid_argument(where_ + ": the " + std::string(what) + " are not integers");
      out.push_back(q.get_num().get_si());
    }
    return out;
  }

  const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) const {
    for (const onnx::AttributeProto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t int_attr(const onnx::NodeProto& n, const std::string& name, int64_t fallback) const {
    const onnx::AttributeProto* a = attribute(n, name);
    return a ? a->i() : fallback;
  }
  std::vector<int64_t> ints_attr(const onnx::NodeProto& n, const std::string& name) const {
    const onnx::AttributeProto* a = attribute(n, name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
  }
  mpq_class float_attr(const onnx::NodeProto& n, const std::string& name, const mpq_class& fallback) const {
    const onnx::AttributeProto* a = attribute(n, name);
    return a ? exact_float(a->f(), where_ + " " + name) : fallback;
  }
  std::string string_attr(const onnx::NodeProto& n, const std::string& name, const std::string& fallback) const {
    const onnx::AttributeProto* a = attribute(n, name);
    return a ? a->s() : fallback;
  }

  void only(const onnx::NodeProto& n, const std::set<std::string>& allowed) const {
    for (const onnx::AttributeProto& a : n.attribute())
      if (!allowed.count(a.name())) throw std::invalid_argument(where_ + ": attribute '" + a.name() + "' is not supported");
  }

  std::size_t axis(int64_t a, std::size_t rank, bool inclusive = false) const {
    const int64_t r = int64_t(rank) + inclusive;
    if (a < -r || a >= r) throw std::invalid_argument(where_ + ": axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return std::size_t(a < 0 ? a + r : a);
  }

  void one_output(const onnx::NodeProto& n) const {
    for (int k = 1; k < n.output_size(); ++k)
      if (!n.output(k).empty()) throw std::invalid_argument(where_ + ": output " + std::to_string(k) + " ('" + n.output(k) + "') is not supported");
  }

  void node(const onnx::NodeProto& n) {
    where_ = "node '" + n.name() + "' (" + n.op_type() + ")";
    if (!n.domain().empty() && n.domain() != "ai.onnx") throw std::invalid_argument(where_ + ": domain '" + n.domain() + "' is not ONNX's");
    if (n.output_size() < 1 || n.output(0).empty()) throw std::invalid_argument(where_ + ": no output");
    one_output(n);
    static const std::map<std::string, Value (Reader::*)(const onnx::NodeProto&)> ops = {
        {"Identity", &Reader::identity_op},   {"Dropout", &Reader::dropout},
        {"Constant", &Reader::constant_op},   {"Reshape", &Reader::reshape},
        {"Flatten", &Reader::flatten},        {"Transpose", &Reader::transpose},
        {"Squeeze", &Reader::squeeze},        {"Unsqueeze", &Reader::unsqueeze},
        {"Concat", &Reader::concat},          {"Add", &Reader::arithmetic},
        {"Sub", &Reader::arithmetic},         {"Mul", &Reader::arithmetic},
        {"Div", &Reader::arithmetic},         {"Gemm", &Reader::gemm},
        {"MatMul", &Reader::matmul},          {"Relu", &Reader::relu},
        {"Conv", &Reader::conv},              {"MaxPool", &Reader::pool},
        {"AveragePool", &Reader::pool},       {"GlobalAveragePool", &Reader::pool},
        {"GlobalMaxPool", &Reader::pool},     {"Pad", &Reader::pad},
        {"BatchNormalization", &Reader::batchnorm}, {"Slice", &Reader::slice},
        {"Shape", &Reader::shape_op},         {"Cast", &Reader::cast},
        {"ConstantOfShape", &Reader::constant_of_shape}, {"Gather", &Reader::gather_constant}};
    const auto op = ops.find(n.op_type());
    if (op == ops.end())
      throw std::invalid_argument(where_ + ": operator not supported (piecewise-linear operators only: Gemm, MatMul, Add, Sub, Mul, Div, Relu, "
                                           "Conv, MaxPool, AveragePool, Pad, BatchNormalization, Concat, Flatten, Reshape, Transpose, "
                                           "Squeeze, Unsqueeze, Slice, Identity, Dropout, Constant; Shape, Cast, ConstantOfShape and "
                                           "Gather on constants)");
    const std::size_t before = graph_.nodes.size();
    Value v = (this->*op->second)(n);
    const std::string name = n.name().empty() ? n.output(0) : n.name();
    for (std::size_t k = before; k < graph_.nodes.size(); ++k)
      graph_.nodes[k].name = k + 1 < graph_.nodes.size() ? name + "/" + std::to_string(k - before) : name;
    values_[n.output(0)] = std::move(v);
  }

  Value identity_op(const onnx::NodeProto& n) {
    only(n, {});
    return in(n, 0);
  }

  Value dropout(const onnx::NodeProto& n) {
    only(n, {"ratio", "seed", "is_test"});
    if (has_input(n, 2)) {
      const Value& training = constant(n, 2, "training_mode");
      if (training.data.size() != 1 || training.data[0] != 0) throw std::invalid_argument(where_ + ": training_mode must be false");
    }
    return in(n, 0);
  }

  Value constant_op(const onnx::NodeProto& n) {
    only(n, {"value", "value_float", "value_floats", "value_int", "value_ints"});
    if (n.attribute_size() != 1) throw std::invalid_argument(where_ + ": expected exactly one value attribute");
    const onnx::AttributeProto& a = n.attribute(0);
    if (a.name() == "value") return tensor(a.t(), where_);
    Value v;
    v.constant = true;
    if (a.name() == "value_float") v.data = {exact_float(a.f(), where_)};
    if (a.name() == "value_int") v.data = {mpq_class(mpz_class(std::to_string(a.i())))};
    if (a.name() == "value_floats")
      for (float f : a.floats()) v.data.push_back(exact_float(f, where_));
    if (a.name() == "value_ints")
      for (int64_t i : a.ints()) v.data.push_back(mpq_class(mpz_class(std::to_string(i))));
    if (a.name() == "value_floats" || a.name() == "value_ints") v.shape = {v.data.size()};
    return v;
  }

  // --- index maps --------------------------------------------------------------------

  Value reshape_to(const Value& x, const Shape& shape) {
    if (size_of(shape) != size_of(x.shape))
      throw std::invalid_argument(where_ + ": cannot reshape " + shape_text(x.shape) + " to " + shape_text(shape));
    if (x.constant) {
      Value y = x;
      y.shape = shape;
      return y;
    }
    return gather(x, shape, identity(size_of(shape)), where_);
  }

  Value reshape(const onnx::NodeProto& n) {
    only(n, {"shape", "allowzero"});
    const Value& x = in(n, 0);
    const std::vector<int64_t> target = has_input(n, 1) ? ints_of(constant(n, 1, "shape"), "shape") : ints_attr(n, "shape");
    const bool allowzero = int_attr(n, "allowzero", 0) != 0;
    Shape shape;
    int infer = -1;
    std::size_t known = 1;
    for (std::size_t i = 0; i < target.size(); ++i) {
      int64_t d = target[i];
      if (d == 0 && !allowzero) {
        if (i >= x.shape.size()) throw std::invalid_argument(where_ + ": a 0 in the shape past the input's rank");
        d = int64_t(x.shape[i]);
      }
      if (d == -1) {
        if (infer >= 0) throw std::invalid_argument(where_ + ": two -1 in the shape");
        infer = int(i);
        d = 1;
      } else if (d < 0) {
        throw std::invalid_argument(where_ + ": a negative size in the shape");
      } else {
        known *= std::size_t(d);
      }
      shape.push_back(std::size_t(d));
    }
    if (infer >= 0) {
      if (known == 0 || size_of(x.shape) % known) throw std::invalid_argument(where_ + ": cannot infer the -1 of the shape");
      shape[std::size_t(infer)] = size_of(x.shape) / known;
    }
    return reshape_to(x, shape);
  }

  Value flatten(const onnx::NodeProto& n) {
    only(n, {"axis"});
    const Value& x = in(n, 0);
    const std::size_t a = axis(int_attr(n, "axis", 1), x.shape.size(), true);
    std::size_t outer = 1;
    for (std::size_t i = 0; i < a; ++i) outer *= x.shape[i];
    return reshape_to(x, {outer, size_of(x.shape) / std::max<std::size_t>(outer, 1)});
  }

  Value transpose(const onnx::NodeProto& n) {
    only(n, {"perm"});
    const Value& x = in(n, 0);
    const std::size_t r = x.shape.size();
    std::vector<int64_t> perm = ints_attr(n, "perm");
    if (!attribute(n, "perm"))
      for (std::size_t i = 0; i < r; ++i) perm.push_back(int64_t(r - 1 - i));
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
      if (sorted.size() != r || sorted[i] != int64_t(i)) throw std::invalid_argument(where_ + ": perm is not a permutation of the axes");
    Shape shape(r);
    for (std::size_t i = 0; i < r; ++i) shape[i] = x.shape[std::size_t(perm[i])];
    const std::vector<std::size_t> st_in = strides_of(x.shape), st_out = strides_of(shape);
    std::vector<std::ptrdiff_t> src(size_of(shape));
    for (std::size_t i = 0; i < src.size(); ++i) {
      std::size_t j = 0;
      for (std::size_t a = 0; a < r; ++a) j += ((i / st_out[a]) % shape[a]) * st_in[std::size_t(perm[a])];
      src[i] = std::ptrdiff_t(j);
    }
    return gather(x, shape, src, where_);
  }

  std::vector<int64_t> axes_of(const onnx::NodeProto& n) {
    if (has_input(n, 1)) return ints_of(constant(n, 1, "axes"), "axes");
    return ints_attr(n, "axes");
  }

  Value squeeze(const onnx::NodeProto& n) {
    only(n, {"axes"});
    const Value& x = in(n, 0);
    std::set<std::size_t> drop;
    for (int64_t a : axes_of(n)) {
      const std::size_t k = axis(a, x.shape.size());
      if (x.shape[k] != 1) throw std::invalid_argument(where_ + ": axis " + std::to_string(a) + " has size " + std::to_string(x.shape[k]) + ", not 1");
      drop.insert(k);
    }
    Shape shape;
    for (std::size_t i = 0; i < x.shape.size(); ++i)
      if (drop.empty() ? x.shape[i] != 1 : !drop.count(i)) shape.push_back(x.shape[i]);
    return reshape_to(x, shape);
  }

  Value unsqueeze(const onnx::NodeProto& n) {
    only(n, {"axes"});
    const Value& x = in(n, 0);
    const std::vector<int64_t> axes = axes_of(n);
    if (axes.empty()) throw std::invalid_argument(where_ + ": no axes");
    const std::size_t rank = x.shape.size() + axes.size();
    std::set<std::size_t> added;
    for (int64_t a : axes)
      if (!added.insert(axis(a, rank)).second) throw std::invalid_argument(where_ + ": an axis given twice");
    Shape shape;
    for (std::size_t i = 0, j = 0; i < rank; ++i) shape.push_back(added.count(i) ? 1 : x.shape[j++]);
    return reshape_to(x, shape);
  }

  Value concat(const onnx::NodeProto& n) {
    only(n, {"axis"});
    if (!attribute(n, "axis")) throw std::invalid_argument(where_ + ": the axis attribute is required");
    std::vector<Value> xs;
    bool all_constant = true;
    for (int k = 0; k < n.input_size(); ++k) xs.push_back(in(n, k)), all_constant &= xs.back().constant;
    const std::size_t a = axis(int_attr(n, "axis", 0), xs[0].shape.size());
    Shape shape = xs[0].shape;
    shape[a] = 0;
    for (const Value& x : xs) {
      if (x.shape.size() != shape.size()) throw std::invalid_argument(where_ + ": inputs of different ranks");
      for (std::size_t i = 0; i < shape.size(); ++i)
        if (i != a && x.shape[i] != shape[i]) throw std::invalid_argument(where_ + ": inputs differ off the axis");
      shape[a] += x.shape[a];
    }
    // entry i of the output: (input k, its entry).
    std::vector<std::pair<std::size_t, std::ptrdiff_t>> src;
    const std::size_t outer = std::accumulate(shape.begin(), shape.begin() + std::ptrdiff_t(a), std::size_t(1), std::multiplies<>());
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < xs.size(); ++k) {
        const std::size_t block = size_of(xs[k].shape) / std::max<std::size_t>(outer, 1);
        for (std::size_t j = 0; j < block; ++j) src.emplace_back(k, std::ptrdiff_t(o * block + j));
      }
    if (all_constant) {
      Value c{shape, true, {}, 0};
      for (const auto& [k, j] : src) c.data.push_back(xs[k].data[std::size_t(j)]);
      return c;
    }
    GraphNode g = exact::graph_node(where_, Op::gather, {}, shape);
    for (std::size_t k = 0; k < xs.size(); ++k) g.inputs.push_back(as_graph_value(xs[k], where_ + "/" + std::to_string(k)).index);
    g.source = std::move(src);
    return emit(std::move(g));
  }

  // Slice (opset 10 up: inputs; before: attributes), on a constant or a computed tensor.
  Value slice(const onnx::NodeProto& n) {
    only(n, {"starts", "ends", "axes"});
    const Value& x = in(n, 0);
    const std::size_t r = x.shape.size();
    const std::vector<int64_t> starts = has_input(n, 1) ? ints_of(constant(n, 1, "starts"), "starts") : ints_attr(n, "starts");
    const std::vector<int64_t> ends = has_input(n, 2) ? ints_of(constant(n, 2, "ends"), "ends") : ints_attr(n, "ends");
    std::vector<int64_t> axes = has_input(n, 3) ? ints_of(constant(n, 3, "axes"), "axes") : ints_attr(n, "axes");
    std::vector<int64_t> steps = has_input(n, 4) ? ints_of(constant(n, 4, "steps"), "steps") : std::vector<int64_t>{};
    if (axes.empty())
      for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
      throw std::invalid_argument(where_ + ": starts, ends, axes and steps differ in length");
    std::vector<int64_t> first(r, 0), step(r, 1);
    Shape shape = x.shape;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::size_t a = axis(axes[i], r);
      const int64_t dim = int64_t(x.shape[a]), st = steps[i];
      if (st == 0) throw std::invalid_argument(where_ + ": a step of 0");
      auto clampi = [&](int64_t v, int64_t lo, int64_t hi) { return std::clamp(v < 0 ? v + dim : v, lo, hi); };
      const int64_t b = st > 0 ? clampi(starts[i], 0, dim) : clampi(starts[i], -1, dim - 1);
      const int64_t e = st > 0 ? clampi(ends[i], 0, dim) : clampi(ends[i], -1, dim - 1);
      const int64_t count = st > 0 ? (e > b ? (e - b + st - 1) / st : 0) : (b > e ? (b - e - st - 1) / -st : 0);
      if (count == 0) throw std::invalid_argument(where_ + ": the slice is empty");
      first[a] = b, step[a] = st, shape[a] = std::size_t(count);
    }
    const std::vector<std::size_t> st_in = strides_of(x.shape), st_out = strides_of(shape);
    std::vector<std::ptrdiff_t> src(size_of(shape));
    for (std::size_t i = 0; i < src.size(); ++i) {
      std::ptrdiff_t j = 0;
      for (std::size_t a = 0; a < r; ++a) j += std::ptrdiff_t((first[a] + int64_t((i / st_out[a]) % shape[a]) * step[a]) * int64_t(st_in[a]));
      src[i] = j;
    }
    return gather(x, shape, src, where_);
  }

  // --- constants computed in the graph (folded) -----------------------------------

  Value shape_op(const onnx::NodeProto& n) {
    only(n, {"start", "end"});
    const Value& x = in(n, 0);
    const int64_t r = int64_t(x.shape.size());
    int64_t b = int_attr(n, "start", 0), e = int_attr(n, "end", r);
    b = std::clamp(b < 0 ? b + r : b, int64_t(0), r), e = std::clamp(e < 0 ? e + r : e, int64_t(0), r);
    Value v{{std::size_t(std::max<int64_t>(e - b, 0))}, true, {}, 0};
    for (int64_t i = b; i < e; ++i) v.data.push_back(mpz_class(std::to_string(x.shape[std::size_t(i)])));
    return v;
  }

  // To an integer type: truncated, as ONNX's Cast; to FLOAT or DOUBLE: a computed tensor is
  // unchanged (its values are the reals the graph computes), a constant must be one exactly.
  Value cast(const onnx::NodeProto& n) {
    only(n, {"to", "saturate"});
    Value x = in(n, 0);
    const int64_t to = int_attr(n, "to", 0);
    if (to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE) {
      for (const mpq_class& q : x.data) {
        const double d = q.get_d();
        if (mpq_class(d) != q || (to == onnx::TensorProto::FLOAT && mpq_class(double(float(d))) != q))
          throw std::invalid_argument(where_ + ": the cast would round the constant " + q.get_str());
      }
      return x;
    }
    if (to != onnx::TensorProto::INT64 && to != onnx::TensorProto::INT32) throw std::invalid_argument(where_ + ": a cast to type " + std::to_string(to));
    if (!x.constant) throw std::invalid_argument(where_ + ": a cast of a computed tensor to integers is not piecewise linear");
    for (mpq_class& q : x.data) {
      mpz_class t;
      mpz_tdiv_q(t.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
      q = t;
    }
    return x;
  }

  Value constant_of_shape(const onnx::NodeProto& n) {
    only(n, {"value"});
    const std::vector<int64_t> dims = ints_of(constant(n, 0, "shape"), "shape");
    Value v{{}, true, {}, 0};
    for (int64_t d : dims) {
      if (d < 0) throw std::invalid_argument(where_ + ": a negative size");
      v.shape.push_back(std::size_t(d));
    }
    const onnx::AttributeProto* a = attribute(n, "value");
    const mpq_class fill = a ? tensor(a->t(), where_).data.at(0) : mpq_class(0);
    v.data.assign(size_of(v.shape), fill);
    return v;
  }

  // Gather on a constant (a shape's entries, say); on a computed tensor it is refused.
  Value gather_constant(const onnx::NodeProto& n) {
    only(n, {"axis"});
    const Value& x = in(n, 0);
    if (!x.constant) throw std::invalid_argument(where_ + ": operator not supported on a computed tensor (Gather only folds constants)");
    const Value& idx = constant(n, 1, "indices");
    const std::size_t a = axis(int_attr(n, "axis", 0), x.shape.size());
    const std::vector<int64_t> indices = ints_of(idx, "indices");
    Shape shape(x.shape.begin(), x.shape.begin() + std::ptrdiff_t(a));
    shape.insert(shape.end(), idx.shape.begin(), idx.shape.end());
    shape.insert(shape.end(), x.shape.begin() + std::ptrdiff_t(a) + 1, x.shape.end());
    const std::size_t outer = std::accumulate(x.shape.begin(), x.shape.begin() + std::ptrdiff_t(a), std::size_t(1), std::multiplies<>());
    const std::size_t inner = size_of(x.shape) / std::max<std::size_t>(outer * x.shape[a], 1);
    Value v{shape, true, {}, 0};
    for (std::size_t o = 0; o < outer; ++o)
      for (int64_t k : indices) {
        const int64_t j = k < 0 ? k + int64_t(x.shape[a]) : k;
        if (j < 0 || j >= int64_t(x.shape[a])) throw std::invalid_argument(where_ + ": an index out of range");
        for (std::size_t i = 0; i < inner; ++i) v.data.push_back(x.data[(o * x.shape[a] + std::size_t(j)) * inner + i]);
      }
    return v;
  }

  // --- affine maps -------------------------------------------------------------------

  Value arithmetic(const onnx::NodeProto& n) {
    only(n, {"broadcast", "axis"});  // opset < 7: broadcast = 1 with the trailing axes (numpy's rule)
    if (attribute(n, "axis")) throw std::invalid_argument(where_ + ": the opset-6 axis attribute is not supported");
    const std::string& op = n.op_type();
    const Value &a = in(n, 0), &b = in(n, 1);
    const Shape shape = broadcast(a.shape, b.shape, where_);
    const Value A = broadcast_to(a, shape, where_), B = broadcast_to(b, shape, where_);
    const std::size_t size = size_of(shape);
    if (A.constant && B.constant) {
      Value c{shape, true, {}, 0};
      for (std::size_t i = 0; i < size; ++i) c.data.push_back(combine(op, A.data[i], B.data[i]));
      return c;
    }
    if (!A.constant && !B.constant) {
      if (op == "Mul" || op == "Div") throw std::invalid_argument(where_ + ": a product of two computed tensors is not piecewise linear");
      GraphNode g = exact::graph_node(where_, Op::add, {A.index, B.index}, shape);
      g.signs = {1, op == "Sub" ? -1 : 1};
      return emit(std::move(g));
    }
    const bool x_first = !A.constant;
    const Value &x = x_first ? A : B, &c = x_first ? B : A;
    exact::Vector scale_a(size, 1), shift(size, 0);
    for (std::size_t i = 0; i < size; ++i) {
      if (op == "Add") shift[i] = c.data[i];
      if (op == "Sub") x_first ? shift[i] = -c.data[i] : (scale_a[i] = -1, shift[i] = c.data[i]);
      if (op == "Mul") scale_a[i] = c.data[i];
      if (op == "Div") {
        if (!x_first) throw std::invalid_argument(where_ + ": dividing by a computed tensor is not piecewise linear");
        if (c.data[i] == 0) throw std::invalid_argument(where_ + ": division by zero");
        scale_a[i] = 1 / c.data[i];
      }
    }
    return scale(x, std::move(scale_a), std::move(shift), where_);
  }

  mpq_class combine(const std::string& op, const mpq_class& a, const mpq_class& b) const {
    if (op == "Add") return a + b;
    if (op == "Sub") return a - b;
    if (op == "Mul") return a * b;
    if (b == 0) throw std::invalid_argument(where_ + ": division by zero");
    return a / b;
  }

  // y = W x + b on a graph value (rows of W over x's entries).
  Value dense(const Value& x, std::vector<exact::Vector> W, exact::Vector b, const Shape& shape) {
    GraphNode g = exact::graph_node(where_, Op::dense, {x.index}, shape);
    g.W = std::move(W), g.bias = std::move(b);
    return emit(std::move(g));
  }

  void dense_limit(std::size_t rows, std::size_t cols) const {
    if (rows != 0 && cols > (std::size_t(1) << 28) / rows)
      throw std::invalid_argument(where_ + ": a " + std::to_string(rows) + " x " + std::to_string(cols) + " matrix is too large");
  }

  Value gemm(const onnx::NodeProto& n) {
    only(n, {"alpha", "beta", "transA", "transB", "broadcast"});
    const Value& A = in(n, 0);
    const Value& B = constant(n, 1, "weight");
    if (A.constant) throw std::invalid_argument(where_ + ": input A must be computed from the graph input");
    if (A.shape.size() != 2 || B.shape.size() != 2) throw std::invalid_argument(where_ + ": A and B must be matrices");
    const bool tA = int_attr(n, "transA", 0) != 0, tB = int_attr(n, "transB", 0) != 0;
    const std::size_t M = tA ? A.shape[1] : A.shape[0], K = tA ? A.shape[0] : A.shape[1];
    if (M != 1) throw std::invalid_argument(where_ + ": A has " + std::to_string(M) + " rows; one point (batch 1) is expected");
    const std::size_t N = tB ? B.shape[0] : B.shape[1];
    if ((tB ? B.shape[1] : B.shape[0]) != K) throw std::invalid_argument(where_ + ": A and B do not multiply");
    dense_limit(N, K);
    const mpq_class alpha = float_attr(n, "alpha", 1), beta = float_attr(n, "beta", 1);
    std::vector<exact::Vector> W(N, exact::Vector(K));
    for (std::size_t r = 0; r < N; ++r)
      for (std::size_t k = 0; k < K; ++k) W[r][k] = alpha * B.data[tB ? r * K + k : k * N + r];
    exact::Vector bias(N);
    if (has_input(n, 2)) {
      const Value C = broadcast_to(constant(n, 2, "bias"), {1, N}, where_);
      for (std::size_t r = 0; r < N; ++r) bias[r] = beta * C.data[r];
    }
    return dense(A, std::move(W), std::move(bias), {1, N});
  }

  Value matmul(const onnx::NodeProto& n) {
    only(n, {});
    const Value &A = in(n, 0), &B = in(n, 1);
    if (A.constant == B.constant) throw std::invalid_argument(where_ + ": exactly one of A and B must be a constant");
    // Both as [P, M, K] x [K, N] or [M, K] x [P, K, N], 1-D operands promoted and dropped as numpy does.
    const Value& C = A.constant ? A : B;
    if (C.shape.size() != 2) throw std::invalid_argument(where_ + ": the constant operand must be a matrix");
    if (!A.constant) {
      Shape a = A.shape;
      const bool vec = a.size() == 1;
      if (vec) a.insert(a.begin(), 1);
      const std::size_t K = a.back(), N = C.shape[1], rows = size_of(a) / K;
      if (C.shape[0] != K) throw std::invalid_argument(where_ + ": A and B do not multiply");
      dense_limit(rows * N, rows * K);
      std::vector<exact::Vector> W(rows * N, exact::Vector(rows * K));
      for (std::size_t p = 0; p < rows; ++p)
        for (std::size_t j = 0; j < N; ++j)
          for (std::size_t k = 0; k < K; ++k) W[p * N + j][p * K + k] = C.data[k * N + j];
      Shape out = a;
      out.back() = N;
      if (vec) out.erase(out.begin());
      return dense(A, std::move(W), exact::Vector(rows * N), out);
    }
    Shape b = B.shape;
    const bool vec = b.size() == 1;
    if (vec) b.push_back(1);
    if (b.size() != 2) throw std::invalid_argument(where_ + ": a batched computed B is not supported");
    const std::size_t M = C.shape[0], K = C.shape[1], N = b[1];
    if (b[0] != K) throw std::invalid_argument(where_ + ": A and B do not multiply");
    dense_limit(M * N, K * N);
    std::vector<exact::Vector> W(M * N, exact::Vector(K * N));
    for (std::size_t m = 0; m < M; ++m)
      for (std::size_t j = 0; j < N; ++j)
        for (std::size_t k = 0; k < K; ++k) W[m * N + j][k * N + j] = C.data[m * K + k];
    return dense(B, std::move(W), exact::Vector(M * N), vec ? Shape{M} : Shape{M, N});
  }

  Value relu(const onnx::NodeProto& n) {
    only(n, {});
    const Value& x = in(n, 0);
    if (x.constant) throw std::invalid_argument(where_ + ": a Relu of a constant");
    return emit(exact::graph_node(where_, Op::relu, {x.index}, x.shape));
  }

  // --- convolution and pooling -------------------------------------------------------

  // The window of a Conv or pool over x ([1, C, H, W] or [1, C, L]) from its attributes.
  exact::Window2d window(const onnx::NodeProto& n, const Value& x, std::vector<int64_t> kernel, bool ceil_mode) {
    if (x.constant) throw std::invalid_argument(where_ + ": the input must be computed from the graph input");
    if ((x.shape.size() != 3 && x.shape.size() != 4) || x.shape[0] != 1)
      throw std::invalid_argument(where_ + ": the input " + shape_text(x.shape) + " is not [1, C, H, W] or [1, C, L]");
    const bool one_d = x.shape.size() == 3;
    const std::size_t dims = one_d ? 1 : 2;
    auto pairs = [&](std::vector<int64_t> v, int64_t fallback, const char* what) {
      if (v.empty()) v.assign(dims, fallback);
      if (v.size() != dims) throw std::invalid_argument(where_ + ": " + what + " needs " + std::to_string(dims) + " values");
      for (int64_t k : v)
        if (k < 1) throw std::invalid_argument(where_ + ": " + what + " must be positive");
      if (one_d) v.insert(v.begin(), 1);
      return v;
    };
    if (kernel.size() != dims) throw std::invalid_argument(where_ + ": kernel_shape needs " + std::to_string(dims) + " values");
    kernel = pairs(kernel, 1, "kernel_shape");
    const std::vector<int64_t> strides = pairs(ints_attr(n, "strides"), 1, "strides"), dil = pairs(ints_attr(n, "dilations"), 1, "dilations");
    exact::Window2d w{x.shape[1], one_d ? 1 : x.shape[2], x.shape.back()};
    w.kernel_h = std::size_t(kernel[0]), w.kernel_w = std::size_t(kernel[1]);
    w.stride_h = std::size_t(strides[0]), w.stride_w = std::size_t(strides[1]);
    w.dilation_h = std::size_t(dil[0]), w.dilation_w = std::size_t(dil[1]);
    std::vector<int64_t> pads = ints_attr(n, "pads");
    const std::string auto_pad = string_attr(n, "auto_pad", "NOTSET");
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      pads.assign(2 * dims, 0);
      const std::size_t sizes[2] = {w.height, w.width}, ks[2] = {w.kernel_h, w.kernel_w}, ss[2] = {w.stride_h, w.stride_w},
                        ds[2] = {w.dilation_h, w.dilation_w};
      for (std::size_t d = 0; d < dims; ++d) {
        const std::size_t a = one_d ? 1 : d, out = (sizes[a] + ss[a] - 1) / ss[a], span = (ks[a] - 1) * ds[a] + 1;
        const std::size_t need = (out - 1) * ss[a] + span > sizes[a] ? (out - 1) * ss[a] + span - sizes[a] : 0;
        const std::size_t small = need / 2, large = need - small;
        pads[d] = int64_t(auto_pad == "SAME_UPPER" ? small : large), pads[d + dims] = int64_t(auto_pad == "SAME_UPPER" ? large : small);
      }
    } else if (auto_pad == "VALID" || (auto_pad == "NOTSET" && pads.empty())) {
      pads.assign(2 * dims, 0);
    } else if (auto_pad != "NOTSET") {
      throw std::invalid_argument(where_ + ": auto_pad '" + auto_pad + "' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID");
    }
    if (pads.size() != 2 * dims) throw std::invalid_argument(where_ + ": pads needs " + std::to_string(2 * dims) + " values");
    for (int64_t p : pads)
      if (p < 0) throw std::invalid_argument(where_ + ": negative pads are not supported");
    if (one_d) w.pad_left = std::size_t(pads[0]), w.pad_right = std::size_t(pads[1]);
    else w.pad_top = std::size_t(pads[0]), w.pad_left = std::size_t(pads[1]), w.pad_bottom = std::size_t(pads[2]), w.pad_right = std::size_t(pads[3]);
    w.out_h = exact::window_positions(w.height, w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom, ceil_mode);
    w.out_w = exact::window_positions(w.width, w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right, ceil_mode);
    if (w.out_h == 0 || w.out_w == 0) throw std::invalid_argument(where_ + ": the kernel is larger than the padded input");
    return w;
  }

  Shape pooled_shape(const Value& x, std::size_t channels, const exact::Window2d& w) const {
    if (x.shape.size() == 3) return {1, channels, w.out_w};
    return {1, channels, w.out_h, w.out_w};
  }

  Value conv(const onnx::NodeProto& n) {
    only(n, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
    const Value& x = in(n, 0);
    const Value& K = constant(n, 1, "kernel");
    if (K.shape.size() != x.shape.size()) throw std::invalid_argument(where_ + ": the kernel's rank is not the input's");
    std::vector<int64_t> kernel(K.shape.begin() + 2, K.shape.end());
    if (attribute(n, "kernel_shape") && ints_attr(n, "kernel_shape") != kernel) throw std::invalid_argument(where_ + ": kernel_shape is not the kernel's shape");
    const exact::Window2d w = window(n, x, kernel, false);
    const int64_t group = int_attr(n, "group", 1);
    if (group < 1 || w.channels % std::size_t(group) || K.shape[1] * std::size_t(group) != w.channels)
      throw std::invalid_argument(where_ + ": the kernel takes " + std::to_string(K.shape[1]) + " channels per group of " + std::to_string(group) +
                                  ", the input has " + std::to_string(w.channels));
    GraphNode g = exact::graph_node(where_, Op::conv, {x.index}, pooled_shape(x, K.shape[0], w));
    g.window = w, g.out_channels = K.shape[0], g.group = std::size_t(group), g.weights = K.data;
    if (g.out_channels % g.group) throw std::invalid_argument(where_ + ": the output channels are not a multiple of group");
    if (has_input(n, 2)) {
      const Value& b = constant(n, 2, "bias");
      if (b.data.size() != g.out_channels) throw std::invalid_argument(where_ + ": the bias needs one value per output channel");
      g.bias = b.data;
    }
    return emit(std::move(g));
  }

  Value pool(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    const Value& x = in(n, 0);
    const bool global = op.rfind("Global", 0) == 0, max = op.find("Max") != std::string::npos;
    if (global) only(n, {});
    else if (max) only(n, {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
    else only(n, {"auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"});
    if (x.constant || x.shape.size() < 3) throw std::invalid_argument(where_ + ": the input must be a computed [1, C, H, W] or [1, C, L]");
    std::vector<int64_t> kernel = global ? std::vector<int64_t>(x.shape.begin() + 2, x.shape.end()) : ints_attr(n, "kernel_shape");
    const exact::Window2d w = window(n, x, kernel, int_attr(n, "ceil_mode", 0) != 0);
    GraphNode g = exact::graph_node(where_, max ? Op::maxpool : Op::avgpool, {x.index}, pooled_shape(x, w.channels, w));
    g.window = w, g.count_include_pad = int_attr(n, "count_include_pad", 0) != 0;
    return emit(std::move(g));
  }

  Value pad(const onnx::NodeProto& n) {
    only(n, {"mode", "pads", "value"});
    const Value& x = in(n, 0);
    const std::string mode = string_attr(n, "mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge") throw std::invalid_argument(where_ + ": mode '" + mode + "' is not constant, reflect or edge");
    std::vector<int64_t> pads = has_input(n, 1) ? ints_of(constant(n, 1, "pads"), "pads") : ints_attr(n, "pads");
    mpq_class fill = float_attr(n, "value", 0);
    if (has_input(n, 2)) {
      const Value& v = constant(n, 2, "constant_value");
      if (v.data.size() != 1) throw std::invalid_argument(where_ + ": constant_value is not one value");
      fill = v.data[0];
    }
    const std::size_t r = x.shape.size();
    std::vector<std::size_t> axes(r);
    std::iota(axes.begin(), axes.end(), 0);
    if (has_input(n, 3)) {
      axes.clear();
      for (int64_t a : ints_of(constant(n, 3, "axes"), "axes")) axes.push_back(axis(a, r));
    }
    if (pads.size() != 2 * axes.size()) throw std::invalid_argument(where_ + ": pads needs " + std::to_string(2 * axes.size()) + " values");
    std::vector<int64_t> begin(r, 0), end(r, 0);
    for (std::size_t i = 0; i < axes.size(); ++i) begin[axes[i]] = pads[i], end[axes[i]] = pads[i + axes.size()];
    Shape shape(r);
    for (std::size_t a = 0; a < r; ++a) {
      const int64_t s = int64_t(x.shape[a]) + begin[a] + end[a];
      if (s <= 0) throw std::invalid_argument(where_ + ": the pads remove every entry of axis " + std::to_string(a));
      if (mode == "reflect" && (begin[a] >= int64_t(x.shape[a]) || end[a] >= int64_t(x.shape[a])))
        throw std::invalid_argument(where_ + ": a reflect pad as wide as the axis");
      shape[a] = std::size_t(s);
    }
    const std::vector<std::size_t> st_in = strides_of(x.shape), st_out = strides_of(shape);
    std::vector<std::ptrdiff_t> src(size_of(shape));
    exact::Vector shift(src.size(), 0);
    for (std::size_t i = 0; i < src.size(); ++i) {
      std::ptrdiff_t j = 0;
      for (std::size_t a = 0; a < r && j >= 0; ++a) {
        const int64_t size = int64_t(x.shape[a]);
        int64_t c = int64_t((i / st_out[a]) % shape[a]) - begin[a];
        if (c < 0 || c >= size) {
          if (mode == "constant") j = -1;
          else if (mode == "edge") c = std::clamp<int64_t>(c, 0, size - 1);
          else c = c < 0 ? -c : 2 * (size - 1) - c;
        }
        if (j >= 0) j += std::ptrdiff_t(c) * std::ptrdiff_t(st_in[a]);
      }
      src[i] = j;
      if (j < 0) shift[i] = fill;
    }
    const Value y = gather(x, shape, src, where_);
    if (fill == 0 || mode != "constant") return y;
    return scale(y, exact::Vector(src.size(), 1), std::move(shift), where_ + "/value");
  }

  // --- normalisation -----------------------------------------------------------------

  // gamma / sqrt(var + eps) exactly when var + eps is the square of a rational; else
  // refused, or (OnnxOptions::batchnorm_float32) the float32 nearest to it.
  mpq_class bn_scale(const mpq_class& gamma, const mpq_class& var_eps, std::size_t channel) const {
    if (var_eps <= 0) throw std::invalid_argument(where_ + ": var + epsilon is not positive for channel " + std::to_string(channel));
    if (mpz_perfect_square_p(var_eps.get_num_mpz_t()) && mpz_perfect_square_p(var_eps.get_den_mpz_t())) {
      mpz_class num, den;
      mpz_sqrt(num.get_mpz_t(), var_eps.get_num_mpz_t());
      mpz_sqrt(den.get_mpz_t(), var_eps.get_den_mpz_t());
      return gamma * mpq_class(den, num);
    }
    if (!options_.batchnorm_float32)
      throw std::invalid_argument(where_ + ": gamma / sqrt(var + epsilon) is irrational for channel " + std::to_string(channel) +
                                  "; fold the BatchNormalization into the Conv before it and re-export, or pass --batchnorm-float32 "
                                  "to take its float32 value as the model's definition");
    mpfr_t s, g;
    mpfr_inits2(256, s, g, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_q(s, var_eps.get_mpq_t(), MPFR_RNDN);
    mpfr_rec_sqrt(s, s, MPFR_RNDN);
    mpfr_set_q(g, gamma.get_mpq_t(), MPFR_RNDN);
    mpfr_mul(s, s, g, MPFR_RNDN);
    const float f = mpfr_get_flt(s, MPFR_RNDN);
    mpfr_clears(s, g, static_cast<mpfr_ptr>(nullptr));
    return exact_float(f, where_);
  }

  Value batchnorm(const onnx::NodeProto& n) {
    only(n, {"epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs"});
    if (int_attr(n, "training_mode", 0) != 0) throw std::invalid_argument(where_ + ": training_mode must be 0");
    if (int_attr(n, "spatial", 1) != 1) throw std::invalid_argument(where_ + ": spatial = 0 is not supported");
    const Value& x = in(n, 0);
    if (x.shape.size() < 2) throw std::invalid_argument(where_ + ": the input has no channel axis");
    const std::size_t C = x.shape[1];
    const exact::Vector* p[4];
    const char* names[4] = {"scale", "B", "mean", "var"};
    for (int k = 0; k < 4; ++k) {
      p[k] = &constant(n, k + 1, names[k]).data;
      if (p[k]->size() != C) throw std::invalid_argument(where_ + ": " + names[k] + " needs one value per channel");
    }
    const mpq_class eps = float_attr(n, "epsilon", exact_float(1e-5f, where_));
    const std::size_t inner = size_of(x.shape) / (x.shape[0] * C);
    exact::Vector a(size_of(x.shape)), c(a.size());
    for (std::size_t ch = 0; ch < C; ++ch) {
      const mpq_class s = bn_scale((*p[0])[ch], (*p[3])[ch] + eps, ch), shift = (*p[1])[ch] - (*p[2])[ch] * s;
      for (std::size_t b = 0; b < x.shape[0]; ++b)
        for (std::size_t i = 0; i < inner; ++i) a[(b * C + ch) * inner + i] = s, c[(b * C + ch) * inner + i] = shift;
    }
    return scale(x, std::move(a), std::move(c), where_);
  }

  const onnx::GraphProto& g_;
  const OnnxOptions& options_;
  std::map<std::string, Value> values_;
  Graph graph_;
  std::string where_;
};

}  // namespace

exact::Graph read_onnx_graph(const std::string& path, const OnnxOptions& options) {
  const std::string bytes = exact::read_file_gunzip(path, std::size_t(1) << 31);  // .onnx or .onnx.gz
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw InputError(path, "not an ONNX model (protobuf parse failed)");
  exact::Graph g;
  try {
    g = Reader(model.graph(), options).read();
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
  exact::validate(g, path);
  return g;
}

exact::ReluNet read_onnx(const std::string& path) {
  const std::optional<exact::ReluNet> net = exact::as_relu_net(read_onnx_graph(path, {}));
  if (!net) throw InputError(path, "the graph is not a chain of affine maps and Relu (it has a convolution, a pooling or a branch); read it as a graph");
  return *net;
}

}  // namespace advdir::bridge
