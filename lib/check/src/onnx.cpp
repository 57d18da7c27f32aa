#include "onnx.hpp"

#include <algorithm>
#include <optional>
#include <map>
#include <set>
#include <string_view>

namespace advdir::check::detail {
namespace {

// One field of a protobuf message: its number, wire type, and its value (a varint or
// fixed-width integer, or the bytes of a length-delimited field).
struct Field {
  std::uint32_t number = 0;
  int wire = 0;
  std::uint64_t scalar = 0;
  std::string_view bytes;
};

// The fields of one message in order. Groups (wire types 3, 4) and any malformed length
// are refused.
class Wire {
 public:
  Wire(std::string_view s, std::string what) : s_(s), what_(std::move(what)) {}

  bool next(Field& f) {
    if (pos_ == s_.size()) return false;
    const std::uint64_t key = varint();
    f.number = std::uint32_t(key >> 3), f.wire = int(key & 7);
    require(f.number > 0 && (key >> 3) < (1u << 29), what_ + ": a field number out of range");
    if (f.wire == 0) f.scalar = varint();
    else if (f.wire == 1) f.scalar = fixed(8);
    else if (f.wire == 5) f.scalar = fixed(4);
    else if (f.wire == 2) {
      const std::uint64_t n = varint();
      require(n <= s_.size() - pos_, what_ + ": a field runs past the end of its message");
      f.bytes = s_.substr(pos_, std::size_t(n));
      pos_ += std::size_t(n);
    } else {
      require(false, what_ + ": wire type " + std::to_string(f.wire) + " (groups) is not ONNX");
    }
    return true;
  }

  bool at_end() const { return pos_ == s_.size(); }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      require(pos_ < s_.size(), what_ + ": truncated");
      const std::uint8_t b = std::uint8_t(s_[pos_++]);
      require(shift < 63 || b <= 1, what_ + ": a varint longer than 64 bits");
      v |= std::uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    require(false, what_ + ": a varint longer than 10 bytes");
    return 0;
  }
  std::uint64_t fixed(std::size_t n) {
    require(s_.size() - pos_ >= n, what_ + ": truncated");
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < n; ++k) v |= std::uint64_t(std::uint8_t(s_[pos_ + k])) << (8 * k);
    pos_ += n;
    return v;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  std::string what_;
};

// A singular field seen twice is merged or overwritten by protobuf: refused, so that no
// two readers can disagree on which value counts.
void once(std::set<std::uint32_t>& seen, const Field& f, const std::string& what) {
  require(seen.insert(f.number).second, what + ": field " + std::to_string(f.number) + " appears twice");
}

void expect_wire(const Field& f, int wire, const std::string& what) {
  require(f.wire == wire, what + ": field " + std::to_string(f.number) + " has the wrong wire type");
}

// A repeated scalar field, packed (one length-delimited run) or not (one value a field).
void repeated(const Field& f, int wire, std::vector<std::uint64_t>& out, const std::string& what) {
  if (f.wire == wire) return out.push_back(f.scalar);
  expect_wire(f, 2, what);
  Wire run(f.bytes, what);
  while (!run.at_end()) out.push_back(wire == 0 ? run.varint() : run.fixed(wire == 1 ? 8 : 4));
}

std::string text(const Field& f, const std::string& what) {
  expect_wire(f, 2, what);
  return std::string(f.bytes);
}

struct Tensor {
  std::string name;
  std::vector<std::int64_t> dims;
  Vec values;
};

// TensorProto: dims 1, data_type 2, float_data 4, name 8, raw_data 9, double_data 10,
// doc_string 12; segment 3, external_data 13, data_location 14 and the integer fields are refused.
Tensor tensor(std::string_view bytes, const std::string& what) {
  Wire w(bytes, what);
  Field f;
  std::set<std::uint32_t> seen;
  std::vector<std::uint64_t> dims, floats, doubles;
  std::optional<std::string_view> raw;
  std::uint64_t type = 0;
  Tensor t;
  while (w.next(f)) {
    if (f.number == 1) repeated(f, 0, dims, what + " dims");
    else if (f.number == 4) repeated(f, 5, floats, what + " float_data");
    else if (f.number == 10) repeated(f, 1, doubles, what + " double_data");
    else if (f.number == 2) once(seen, f, what), expect_wire(f, 0, what), type = f.scalar;
    else if (f.number == 8) once(seen, f, what), t.name = text(f, what);
    else if (f.number == 9) once(seen, f, what), expect_wire(f, 2, what), raw = f.bytes;
    else if (f.number == 12) continue;
    else require(false, what + ": field " + std::to_string(f.number) + " (segments, external or integer data) is not read");
  }
  const std::string named = "initializer " + shown(t.name);
  require(type == 1 || type == 11, named + ": data type " + std::to_string(type) + " is not FLOAT (1) or DOUBLE (11)");
  const std::size_t width = type == 1 ? 4 : 8;
  require(!raw || (floats.empty() && doubles.empty()), named + ": both raw_data and typed data");
  require(type == 1 ? doubles.empty() : floats.empty(), named + ": data of the other type");
  std::vector<std::uint64_t> bits = type == 1 ? floats : doubles;
  if (raw) {
    require(raw->size() % width == 0, named + ": raw_data is not a whole number of values");
    for (std::size_t k = 0; k < raw->size(); k += width) {
      std::uint64_t v = 0;
      for (std::size_t b = 0; b < width; ++b) v |= std::uint64_t(std::uint8_t((*raw)[k + b])) << (8 * b);  // little-endian
      bits.push_back(v);
    }
  }
  std::uint64_t size = 1;
  for (std::uint64_t d : dims) {
    require(d <= (std::uint64_t(1) << 32) && (d == 0 || size <= (std::uint64_t(1) << 40) / d), named + ": dimensions too large");
    t.dims.push_back(std::int64_t(d)), size *= d;
  }
  require(bits.size() == size, named + ": " + std::to_string(bits.size()) + " values for dimensions of size " + std::to_string(size));
  for (std::uint64_t b : bits) t.values.push_back(type == 1 ? binary32(std::uint32_t(b)) : binary64(b));
  return t;
}

struct Attribute {
  std::string name;
  std::optional<std::uint64_t> f, i;
};

// AttributeProto: name 1, f 2, i 3, doc_string 13, type 20; any other payload (strings,
// tensors, graphs, lists, references) is refused.
Attribute attribute(std::string_view bytes, const std::string& what) {
  Wire w(bytes, what);
  Field f;
  std::set<std::uint32_t> seen;
  Attribute a;
  while (w.next(f)) {
    if (f.number == 13 || f.number == 20) continue;
    once(seen, f, what);
    if (f.number == 1) a.name = text(f, what);
    else if (f.number == 2) expect_wire(f, 5, what), a.f = f.scalar;
    else if (f.number == 3) expect_wire(f, 0, what), a.i = f.scalar;
    else require(false, what + ": attribute field " + std::to_string(f.number) + " is not read");
  }
  return a;
}

struct Node {
  std::vector<std::string> input, output;
  std::string name, op;
  std::map<std::string, Attribute> attrs;
};

// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6, domain 7
// (empty or "ai.onnx": the standard operators).
Node node(std::string_view bytes, const std::string& what) {
  Wire w(bytes, what);
  Field f;
  std::set<std::uint32_t> seen;
  Node n;
  while (w.next(f)) {
    if (f.number == 1) n.input.push_back(text(f, what));
    else if (f.number == 2) n.output.push_back(text(f, what));
    else if (f.number == 6) continue;
    else if (f.number == 5) {
      Attribute a = attribute(f.bytes, what + " attribute");
      const std::string name = a.name;
      require(n.attrs.emplace(name, std::move(a)).second, what + ": attribute '" + name + "' given twice");
    } else {
      once(seen, f, what);
      const std::string s = text(f, what);
      if (f.number == 3) n.name = s;
      else if (f.number == 4) n.op = s;
      else if (f.number == 7) require(s.empty() || s == "ai.onnx", what + ": operator domain '" + s + "' is not the standard one");
      else require(false, what + ": node field " + std::to_string(f.number) + " is not read");
    }
  }
  return n;
}

// ValueInfoProto: its name (field 1); its type is not read.
std::string value_name(std::string_view bytes, const std::string& what) {
  Wire w(bytes, what);
  Field f;
  std::set<std::uint32_t> seen;
  std::string name;
  while (w.next(f))
    if (f.number == 1) once(seen, f, what), name = text(f, what);
  return name;
}

// The net being built: affine maps composed until a Relu closes a layer.
struct Builder {
  std::size_t width = 0;
  std::optional<AffineMap> open;
  Net net;

  void affine(const AffineMap& m, const std::string& at) {
    require(!width || m.W.front().size() == width, at + ": takes " + std::to_string(m.W.front().size()) + " inputs, the activation has " + std::to_string(width));
    if (!open) {
      open = m;
    } else {  // m after the open map: W' = M W, b' = M b + c
      AffineMap c{std::vector<Vec>(m.W.size(), Vec(open->W.front().size())), m.b};
      for (std::size_t i = 0; i < m.W.size(); ++i)
        for (std::size_t k = 0; k < open->W.size(); ++k) {
          for (std::size_t j = 0; j < c.W[i].size(); ++j) c.W[i][j] += m.W[i][k] * open->W[k][j];
          c.b[i] += m.W[i][k] * open->b[k];
        }
      open = std::move(c);
    }
    width = m.W.size();
  }
  void bias(const Vec& c, const std::string& at) {
    require(open.has_value(), at + ": an Add before any Gemm or MatMul is not read");
    require(c.size() == width, at + ": adds " + std::to_string(c.size()) + " values to an activation of size " + std::to_string(width));
    for (std::size_t i = 0; i < width; ++i) open->b[i] += c[i];
  }
  void relu(const std::string& at) {
    require(open.has_value(), at + ": a Relu before any Gemm or MatMul is not read");
    net.layers.push_back(std::move(*open));
    open.reset();
  }
  Net finish() {
    require(open || !net.layers.empty(), "the graph has no Gemm or MatMul");
    if (!open) {  // a trailing Relu: the identity after it
      AffineMap I{std::vector<Vec>(width, Vec(width)), Vec(width)};
      for (std::size_t i = 0; i < width; ++i) I.W[i][i] = 1;
      open = std::move(I);
    }
    net.layers.push_back(std::move(*open));
    net.kind = "mlp";
    as_graph(net);
    return std::move(net);
  }
};

// A weight (K x N) as the map x -> x B (rows: N outputs of K inputs), or x -> x B^T.
AffineMap matrix(const Tensor& t, bool transposed, const mpq_class& scale, const std::string& at) {
  require(t.dims.size() == 2 && t.dims[0] > 0 && t.dims[1] > 0, at + ": the weight is not a matrix");
  const std::size_t r = std::size_t(t.dims[0]), c = std::size_t(t.dims[1]);
  AffineMap m{std::vector<Vec>(transposed ? r : c, Vec(transposed ? c : r)), Vec(transposed ? r : c)};
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) (transposed ? m.W[i][j] : m.W[j][i]) = scale * t.values[i * c + j];
  return m;
}

// An added vector: shape [N] or [1, N].
Vec vector_of(const Tensor& t, const mpq_class& scale, const std::string& at) {
  require(t.dims.size() == 1 || (t.dims.size() == 2 && t.dims[0] == 1), at + ": the added tensor is not a vector [N] or [1, N]");
  Vec v = t.values;
  for (mpq_class& x : v) x *= scale;
  return v;
}

void only(const Node& n, std::initializer_list<const char*> allowed, const std::string& at) {
  for (const auto& entry : n.attrs)
    require(std::find_if(allowed.begin(), allowed.end(), [&](const char* s) { return entry.first == s; }) != allowed.end(),
            at + ": attribute '" + entry.first + "' is not read");
}

std::int64_t int_attr(const Node& n, const char* name, std::int64_t fallback, const std::string& at) {
  const auto a = n.attrs.find(name);
  if (a == n.attrs.end()) return fallback;
  require(a->second.i.has_value() && !a->second.f, at + ": attribute '" + std::string(name) + "' is not an integer");
  return std::int64_t(*a->second.i);
}

mpq_class binary32_attr(const Node& n, const char* name, const std::string& at) {
  const auto a = n.attrs.find(name);
  if (a == n.attrs.end()) return 1;
  require(a->second.f.has_value() && !a->second.i, at + ": attribute '" + std::string(name) + "' is not a binary32 value (field f)");
  return binary32(std::uint32_t(*a->second.f));
}

}  // namespace

mpq_class binary32(std::uint32_t bits) {
  const std::uint32_t exponent = (bits >> 23) & 0xff, mantissa = bits & 0x7fffff;
  require(exponent != 0xff, "a weight is an infinity or a NaN");
  mpz_class m = exponent ? mantissa | (1u << 23) : mantissa;
  const long e = exponent ? long(exponent) - 150 : -149;
  mpq_class q = m;
  if (e < 0) mpz_mul_2exp(q.get_den_mpz_t(), q.get_den_mpz_t(), std::size_t(-e));
  else mpz_mul_2exp(q.get_num_mpz_t(), q.get_num_mpz_t(), std::size_t(e));
  q.canonicalize();
  return bits >> 31 ? mpq_class(-q) : q;
}

mpq_class binary64(std::uint64_t bits) {
  const std::uint64_t exponent = (bits >> 52) & 0x7ff, mantissa = bits & ((std::uint64_t(1) << 52) - 1);
  require(exponent != 0x7ff, "a weight is an infinity or a NaN");
  mpz_class m;
  mpz_import(m.get_mpz_t(), 1, 1, sizeof mantissa, 0, 0, &mantissa);
  if (exponent) m += mpz_class(1) << 52;
  const long e = exponent ? long(exponent) - 1075 : -1074;
  mpq_class q = m;
  if (e < 0) mpz_mul_2exp(q.get_den_mpz_t(), q.get_den_mpz_t(), std::size_t(-e));
  else mpz_mul_2exp(q.get_num_mpz_t(), q.get_num_mpz_t(), std::size_t(e));
  q.canonicalize();
  return bits >> 63 ? mpq_class(-q) : q;
}

Net onnx_net(const std::string& bytes, const std::string& what) {
  // ModelProto: graph 7; the rest (versions, opsets, metadata, doc strings) is not read.
  Wire model(bytes, what);
  Field f;
  std::optional<std::string_view> graph;
  while (model.next(f))
    if (f.number == 7) require(!graph, what + ": two graphs"), expect_wire(f, 2, what), graph = f.bytes;
  require(graph.has_value(), what + ": no graph (not an ONNX model)");
  // GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12,
  // value_info 13; sparse_initializer 15 and anything else is refused.
  Wire g(*graph, what + " graph");
  std::vector<Node> nodes;
  std::map<std::string, Tensor> init;
  std::vector<std::string> inputs, outputs;
  std::set<std::uint32_t> seen;
  while (g.next(f)) {
    if (f.number == 1) nodes.push_back(node(f.bytes, what + " node " + std::to_string(nodes.size())));
    else if (f.number == 5) {
      Tensor t = tensor(f.bytes, what + " initializer");
      const std::string name = t.name;
      require(init.emplace(name, std::move(t)).second, what + ": initializer '" + name + "' given twice");
    } else if (f.number == 11) inputs.push_back(value_name(f.bytes, what + " input"));
    else if (f.number == 12) outputs.push_back(value_name(f.bytes, what + " output"));
    else if (f.number == 2 || f.number == 10) once(seen, f, what);
    else if (f.number != 13) require(false, what + ": graph field " + std::to_string(f.number) + " (sparse initializers, ...) is not read");
  }
  std::erase_if(inputs, [&](const std::string& s) { return init.count(s) > 0; });
  require(inputs.size() == 1 && outputs.size() == 1, what + ": expected one graph input and one output");
  std::string current = inputs[0];
  Builder b;
  auto weight = [&](const Node& n, std::size_t k, const std::string& at) -> const Tensor& {
    require(n.input.size() > k && init.count(n.input[k]), at + ": input " + std::to_string(k) + " is not an initializer");
    return init.at(n.input[k]);
  };
  for (const Node& n : nodes) {
    const std::string at = what + ": node '" + n.name + "' (" + n.op + ")";
    require(!n.input.empty() && n.input[0] == current && n.output.size() == 1, at + ": the graph is not a chain from its input");
    if (n.op == "Gemm") {
      only(n, {"alpha", "beta", "transA", "transB"}, at);
      require(int_attr(n, "transA", 0, at) == 0, at + ": transA = 1 is not read");
      require(n.input.size() <= 3, at + ": more than three inputs");
      b.affine(matrix(weight(n, 1, at), int_attr(n, "transB", 0, at) != 0, binary32_attr(n, "alpha", at), at), at);
      if (n.input.size() == 3) b.bias(vector_of(weight(n, 2, at), binary32_attr(n, "beta", at), at), at);
    } else if (n.op == "MatMul") {
      only(n, {}, at);
      require(n.input.size() == 2, at + ": expected two inputs");
      b.affine(matrix(weight(n, 1, at), false, 1, at), at);
    } else if (n.op == "Add") {
      only(n, {}, at);
      require(n.input.size() == 2, at + ": expected two inputs");
      b.bias(vector_of(weight(n, 1, at), 1, at), at);
    } else if (n.op == "Relu") {
      only(n, {}, at);
      require(n.input.size() == 1, at + ": expected one input");
      b.relu(at);
    } else if (n.op == "Flatten") {
      only(n, {"axis"}, at);
      require(int_attr(n, "axis", 1, at) == 1, at + ": only axis = 1 is read");
    } else {
      require(false, at + ": operator not read (Gemm, MatMul, Add, Relu, Flatten)");
    }
    current = n.output[0];
  }
  require(current == outputs[0], what + ": the chain does not end at the graph output");
  return b.finish();
}

}  // namespace advdir::check::detail
