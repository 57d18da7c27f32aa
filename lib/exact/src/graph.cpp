#include "advdir/exact/graph.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/graph_loops.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace advdir::exact {

namespace {

constexpr std::size_t max_tensor = std::size_t(1) << 26;  // entries of one value

std::size_t size_of(const Shape& s) {
  std::size_t n = 1;
  for (std::size_t d : s) {
    if (d != 0 && n > max_tensor / d) throw std::invalid_argument("a tensor of more than 2^26 entries");
    n *= d;
  }
  return n;
}

}  // namespace

const char* op_name(Op op) {
  switch (op) {
    case Op::dense: return "dense";
    case Op::conv: return "conv";
    case Op::scale: return "scale";
    case Op::add: return "add";
    case Op::gather: return "gather";
    case Op::relu: return "relu";
    case Op::maxpool: return "maxpool";
    case Op::avgpool: return "avgpool";
  }
  return "";
}

namespace {

const std::map<std::string, Decision> decisions = {{"sign", Decision::sign},
                                                   {"argmax", Decision::argmax},
                                                   {"above", Decision::above},
                                                   {"at_least", Decision::at_least},
                                                   {"all_positive", Decision::all_positive}};

}  // namespace

GraphNode graph_node(std::string name, Op op, std::vector<std::size_t> inputs, Shape shape) {
  GraphNode n;
  n.name = std::move(name), n.op = op, n.inputs = std::move(inputs), n.shape = std::move(shape);
  return n;
}

std::size_t Graph::input_dim() const { return size_of(input_shape); }
std::size_t Graph::output_dim() const { return size_of(nodes.back().shape); }

std::size_t window_positions(std::size_t size, std::size_t kernel, std::size_t stride, std::size_t dilation,
                             std::size_t pad_begin, std::size_t pad_end, bool ceil_mode) {
  const std::size_t span = (kernel - 1) * dilation + 1, padded = size + pad_begin + pad_end;
  if (kernel == 0 || stride == 0 || dilation == 0 || padded < span) return 0;
  std::size_t n = (padded - span) / stride + 1;
  if (ceil_mode && (padded - span) % stride != 0 && n * stride < size + pad_begin) ++n;
  return n;
}

std::vector<std::vector<Cell>> windows_of(const Window2d& w) {
  std::vector<std::vector<Cell>> out;
  for (std::size_t ch = 0; ch < w.channels; ++ch)
    for (std::size_t oh = 0; oh < w.out_h; ++oh)
      for (std::size_t ow = 0; ow < w.out_w; ++ow) {
        std::vector<Cell> cells;
        for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
          for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
            const std::ptrdiff_t ih = std::ptrdiff_t(oh * w.stride_h + kh * w.dilation_h) - std::ptrdiff_t(w.pad_top);
            const std::ptrdiff_t iw = std::ptrdiff_t(ow * w.stride_w + kw * w.dilation_w) - std::ptrdiff_t(w.pad_left);
            if (ih >= 0 && iw >= 0 && std::size_t(ih) < w.height && std::size_t(iw) < w.width)
              cells.push_back({(ch * w.height + std::size_t(ih)) * w.width + std::size_t(iw), kh * w.kernel_w + kw});
          }
        out.push_back(std::move(cells));
      }
  return out;
}

std::size_t avg_divisor(const Window2d& w, std::size_t oh, std::size_t ow, bool include_pad) {
  std::size_t rows = 0, cols = 0;
  for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
    const std::ptrdiff_t ih = std::ptrdiff_t(oh * w.stride_h + kh * w.dilation_h) - std::ptrdiff_t(w.pad_top);
    rows += include_pad ? ih < std::ptrdiff_t(w.height + w.pad_bottom) : ih >= 0 && ih < std::ptrdiff_t(w.height);
  }
  for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
    const std::ptrdiff_t iw = std::ptrdiff_t(ow * w.stride_w + kw * w.dilation_w) - std::ptrdiff_t(w.pad_left);
    cols += include_pad ? iw < std::ptrdiff_t(w.width + w.pad_right) : iw >= 0 && iw < std::ptrdiff_t(w.width);
  }
  return rows * cols;
}

// --- validation ---------------------------------------------------------------------

namespace {

void check_window(const Window2d& w, std::size_t in_size, const std::string& node) {
  if (w.channels * w.height * w.width != in_size || in_size == 0)
    throw std::invalid_argument(node + ": the window's input " + std::to_string(w.channels) + "x" + std::to_string(w.height) + "x" +
                                std::to_string(w.width) + " is not the input's " + std::to_string(in_size) + " entries");
  for (std::size_t k : {w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.dilation_h, w.dilation_w})
    if (k == 0 || k > (1u << 16)) throw std::invalid_argument(node + ": kernel, strides and dilations must be in 1..65536");
  for (std::size_t p : {w.pad_top, w.pad_left, w.pad_bottom, w.pad_right})
    if (p > (1u << 16)) throw std::invalid_argument(node + ": pads must be in 0..65536");
  const std::size_t floor_h = window_positions(w.height, w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom, false);
  const std::size_t floor_w = window_positions(w.width, w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right, false);
  const std::size_t ceil_h = window_positions(w.height, w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom, true);
  const std::size_t ceil_w = window_positions(w.width, w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right, true);
  if (floor_h == 0 || floor_w == 0) throw std::invalid_argument(node + ": the kernel is larger than the padded input");
  if ((w.out_h != floor_h && w.out_h != ceil_h) || (w.out_w != floor_w && w.out_w != ceil_w))
    throw std::invalid_argument(node + ": " + std::to_string(w.out_h) + "x" + std::to_string(w.out_w) +
                                " output positions do not fit the window geometry");
}

void check_node(const Graph& g, std::size_t k) {
  const GraphNode& n = g.nodes[k];
  const std::string node = "node " + std::to_string(k) + " " + shown(n.name) + " (" + op_name(n.op) + ")";
  if (n.inputs.empty()) throw std::invalid_argument(node + ": no inputs");
  std::vector<std::size_t> sizes;
  for (std::size_t i : n.inputs) {
    if (i > k) throw std::invalid_argument(node + ": input " + std::to_string(i) + " is not an earlier value");
    sizes.push_back(i == 0 ? g.input_dim() : size_of(g.nodes[i - 1].shape));
  }
  const std::size_t out = size_of(n.shape), in = sizes[0];
  if (out == 0) throw std::invalid_argument(node + ": an empty output");
  // conv and pools: at most 2^34 products (each of at most 2^26 outputs by its window)
  auto bounded_work = [&](std::size_t per_output) {
    if ((unsigned __int128)out * n.window.kernel_h * n.window.kernel_w * per_output > ((unsigned __int128)1 << 34))
      throw std::invalid_argument(node + ": more than 2^34 products");
  };
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(node + ": " + what);
  };
  if (n.op != Op::add && n.op != Op::gather) need(n.inputs.size() == 1, "takes one input");
  switch (n.op) {
    case Op::dense:
      need(n.W.size() == out && n.bias.size() == out, "W and b need one row per output");
      for (const Vector& row : n.W) need(row.size() == in, "each row of W needs one entry per input");
      break;
    case Op::conv: {
      check_window(n.window, in, node);
      bounded_work(n.window.channels / std::max<std::size_t>(n.group, 1));
      const Window2d& w = n.window;
      need(n.group >= 1 && w.channels % n.group == 0 && n.out_channels % n.group == 0 && n.out_channels > 0,
           "channels and out_channels must be multiples of group");
      need(n.weights.size() == n.out_channels * (w.channels / n.group) * w.kernel_h * w.kernel_w, "the kernel's size does not fit");
      need(n.bias.empty() || n.bias.size() == n.out_channels, "the bias needs one entry per output channel");
      need(out == n.out_channels * w.out_h * w.out_w, "the output shape does not fit");
      break;
    }
    case Op::scale:
      need(out == in && n.weights.size() == out && n.bias.size() == out, "a and c need one entry per input");
      break;
    case Op::add:
      need(n.signs.size() == n.inputs.size(), "one sign per input");
      for (std::size_t i = 0; i < sizes.size(); ++i) need(sizes[i] == out && (n.signs[i] == 1 || n.signs[i] == -1), "inputs of the output's size, signs +1 or -1");
      break;
    case Op::gather:
      need(n.source.size() == out, "one source per output");
      for (const auto& [i, j] : n.source) need(i < n.inputs.size() && j >= -1 && (j < 0 || std::size_t(j) < sizes[i]), "a source out of range");
      break;
    case Op::relu: need(out == in, "the output's size is the input's"); break;
    case Op::maxpool:
    case Op::avgpool:
      check_window(n.window, in, node);
      bounded_work(1);
      need(out == n.window.channels * n.window.out_h * n.window.out_w, "the output shape does not fit");
      break;
  }
}

}  // namespace

void validate(const Graph& g, const std::string& source) {
  try {
    if (g.nodes.empty()) throw std::invalid_argument("the graph has no nodes");
    if (g.input_dim() == 0) throw std::invalid_argument("an empty input");
    for (std::size_t k = 0; k < g.nodes.size(); ++k) check_node(g, k);
    if (g.decision != Decision::argmax && g.decision != Decision::all_positive && g.output_dim() != 1)
      throw std::invalid_argument("a sign or threshold decision needs one output, the graph has " + std::to_string(g.output_dim()));
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

// --- JSON ---------------------------------------------------------------------------

namespace {

std::size_t dim_from_json(const json& j, const std::string& where) {
  if (!j.is_number_unsigned() || j.get<std::uint64_t>() > max_tensor) throw std::invalid_argument(where + ": expected a size in 0..2^31");
  return std::size_t(j.get<std::uint64_t>());
}

Shape shape_from_json(const json& j, const std::string& where) {
  if (!j.is_array() || j.size() > 8) throw std::invalid_argument(where + ": expected an array of at most 8 sizes");
  Shape s;
  for (std::size_t i = 0; i < j.size(); ++i) s.push_back(dim_from_json(j[i], where + "[" + std::to_string(i) + "]"));
  size_of(s);
  return s;
}

const json& field(const json& j, const char* name, const std::string& where) {
  if (!j.contains(name)) throw std::invalid_argument(where + ": missing \"" + name + "\"");
  return j[name];
}

Window2d window_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": expected an object");
  auto pair = [&](const char* name) {
    const Shape s = shape_from_json(field(j, name, where), where + "." + name);
    if (s.size() != 2) throw std::invalid_argument(where + "." + name + ": expected two sizes");
    return s;
  };
  const Shape in = shape_from_json(field(j, "input", where), where + ".input"), kernel = pair("kernel"), strides = pair("strides"),
              dilations = pair("dilations"), out = pair("out");
  const Shape pads = shape_from_json(field(j, "pads", where), where + ".pads");
  if (in.size() != 3 || pads.size() != 4) throw std::invalid_argument(where + ": input is [C, H, W] and pads [top, left, bottom, right]");
  return {in[0],      in[1],      in[2],   kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1],
          pads[0],    pads[1],    pads[2], pads[3],   out[0],    out[1]};
}

json window_json(const Window2d& w) {
  return {{"input", {w.channels, w.height, w.width}},         {"kernel", {w.kernel_h, w.kernel_w}},
          {"strides", {w.stride_h, w.stride_w}},              {"dilations", {w.dilation_h, w.dilation_w}},
          {"pads", {w.pad_top, w.pad_left, w.pad_bottom, w.pad_right}}, {"out", {w.out_h, w.out_w}}};
}

GraphNode node_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": expected an object");
  GraphNode n;
  n.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "";
  const json& op = field(j, "op", where);
  bool known = false;
  for (Op o : {Op::dense, Op::conv, Op::scale, Op::add, Op::gather, Op::relu, Op::maxpool, Op::avgpool})
    if (op == op_name(o)) n.op = o, known = true;
  if (!known) throw std::invalid_argument(where + ".op: " + op.dump() + " is not dense, conv, scale, add, gather, relu, maxpool or avgpool");
  const json& inputs = field(j, "inputs", where);
  if (!inputs.is_array()) throw std::invalid_argument(where + ".inputs: expected an array");
  for (const json& i : inputs) n.inputs.push_back(dim_from_json(i, where + ".inputs"));
  n.shape = shape_from_json(field(j, "shape", where), where + ".shape");
  switch (n.op) {
    case Op::dense: {
      const json& W = field(j, "W", where);
      if (!W.is_array()) throw std::invalid_argument(where + ".W: expected a matrix");
      for (std::size_t r = 0; r < W.size(); ++r) n.W.push_back(vector_from_json(W[r], where + ".W[" + std::to_string(r) + "]"));
      n.bias = vector_from_json(field(j, "b", where), where + ".b");
      break;
    }
    case Op::conv:
      n.window = window_from_json(field(j, "window", where), where + ".window");
      n.weights = vector_from_json(field(j, "weights", where), where + ".weights");
      n.bias = vector_from_json(field(j, "bias", where), where + ".bias");
      n.out_channels = dim_from_json(field(j, "out_channels", where), where + ".out_channels");
      n.group = dim_from_json(field(j, "group", where), where + ".group");
      break;
    case Op::scale:
      n.weights = vector_from_json(field(j, "a", where), where + ".a");
      n.bias = vector_from_json(field(j, "c", where), where + ".c");
      break;
    case Op::add:
      for (const json& s : field(j, "signs", where)) {
        if (s != 1 && s != -1) throw std::invalid_argument(where + ".signs: expected 1 or -1");
        n.signs.push_back(s.get<int>());
      }
      break;
    case Op::gather:
      for (const json& s : field(j, "source", where)) {
        if (!s.is_array() || s.size() != 2 || !s[0].is_number_unsigned() || !s[1].is_number_integer())
          throw std::invalid_argument(where + ".source: expected [input, index] pairs (index -1: zero)");
        const std::int64_t idx = s[1].get<std::int64_t>();
        if (idx < -1 || idx >= std::int64_t(max_tensor)) throw std::invalid_argument(where + ".source: an index out of range");
        n.source.emplace_back(dim_from_json(s[0], where + ".source"), std::ptrdiff_t(idx));
      }
      break;
    case Op::relu: break;
    case Op::avgpool:
      n.count_include_pad = j.value("count_include_pad", false);
      [[fallthrough]];
    case Op::maxpool: n.window = window_from_json(field(j, "window", where), where + ".window"); break;
  }
  return n;
}

json node_json(const GraphNode& n) {
  json j = {{"name", n.name}, {"op", op_name(n.op)}, {"inputs", n.inputs}, {"shape", n.shape}};
  switch (n.op) {
    case Op::dense: {
      json W = json::array();
      for (const Vector& row : n.W) W.push_back(to_json(row));
      j["W"] = W, j["b"] = to_json(n.bias);
      break;
    }
    case Op::conv:
      j["window"] = window_json(n.window), j["weights"] = to_json(n.weights), j["bias"] = to_json(n.bias);
      j["out_channels"] = n.out_channels, j["group"] = n.group;
      break;
    case Op::scale: j["a"] = to_json(n.weights), j["c"] = to_json(n.bias); break;
    case Op::add: j["signs"] = n.signs; break;
    case Op::gather: {
      json s = json::array();
      for (const auto& [i, k] : n.source) s.push_back({i, k});
      j["source"] = s;
      break;
    }
    case Op::relu: break;
    case Op::avgpool: j["count_include_pad"] = n.count_include_pad; [[fallthrough]];
    case Op::maxpool: j["window"] = window_json(n.window); break;
  }
  return j;
}

}  // namespace

Graph graph_from_json(const json& j, const std::string& source) {
  Graph g;
  try {
    if (!j.is_object() || j.value("kind", json()) != "graph") throw std::invalid_argument("expected {\"kind\": \"graph\", ...}");
    g.input_shape = shape_from_json(field(j, "input_shape", "graph"), "input_shape");
    const json& d = field(j, "decision", "graph");
    if (!d.is_string() || !decisions.count(d.get<std::string>()))
      throw std::invalid_argument("decision: expected sign, argmax, above, at_least or all_positive");
    g.decision = decisions.at(d.get<std::string>());
    if (g.decision == Decision::above || g.decision == Decision::at_least) g.threshold = rational_from_json(field(j, "threshold", "graph"), "threshold");
    const json& nodes = field(j, "nodes", "graph");
    if (!nodes.is_array()) throw std::invalid_argument("nodes: expected an array");
    for (std::size_t k = 0; k < nodes.size(); ++k) g.nodes.push_back(node_from_json(nodes[k], "nodes[" + std::to_string(k) + "]"));
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  } catch (const json::exception& e) {
    throw InputError(source, e.what());
  }
  validate(g, source);
  return g;
}

json to_json(const Graph& g) {
  json nodes = json::array();
  for (const GraphNode& n : g.nodes) nodes.push_back(node_json(n));
  std::string decision;
  for (const auto& [name, d] : decisions)
    if (d == g.decision) decision = name;
  json j = {{"kind", "graph"}, {"input_shape", g.input_shape}, {"decision", decision}, {"nodes", nodes}};
  if (g.decision == Decision::above || g.decision == Decision::at_least) j["threshold"] = to_json(g.threshold);
  return j;
}

// --- layered nets and graphs --------------------------------------------------------

Graph as_graph(const ReluNet& net) {
  Graph g{{net.input_dim()}, {}, net.decision, net.threshold};
  for (std::size_t L = 0; L < net.layers.size(); ++L) {
    const std::size_t rows = net.layers[L].W.size(), value = g.nodes.size();
    GraphNode layer = graph_node("layer" + std::to_string(L), Op::dense, {value}, {rows});
    layer.W = net.layers[L].W, layer.bias = net.layers[L].b;
    g.nodes.push_back(std::move(layer));
    if (L + 1 < net.layers.size()) g.nodes.push_back(graph_node("relu" + std::to_string(L), Op::relu, {value + 1}, {rows}));
  }
  return g;
}

std::optional<ReluNet> as_relu_net(const Graph& g, std::size_t max_entries) {
  ReluNet net{"mlp", {}, g.decision, g.threshold};
  std::vector<Vector> M;  // the affine map since the last ReLU: rows over its input; empty: the identity
  Vector c;
  std::size_t width = g.input_dim();
  auto identity = [&] {
    M.assign(width, Vector(width));
    c.assign(width, 0);
    for (std::size_t i = 0; i < width; ++i) M[i][i] = 1;
  };
  for (std::size_t k = 0; k < g.nodes.size(); ++k) {
    const GraphNode& n = g.nodes[k];
    if (n.inputs != std::vector<std::size_t>{k}) return std::nullopt;  // not a chain
    if (n.op == Op::relu) {
      if (M.empty()) identity();
      net.layers.push_back({std::move(M), std::move(c)});
      M.clear(), c.clear();
      continue;
    }
    if (n.op != Op::dense && n.op != Op::scale && n.op != Op::gather) return std::nullopt;
    if (M.empty()) identity();
    const std::size_t rows = size_of(n.shape);
    if (rows * M.front().size() > max_entries) return std::nullopt;
    std::vector<Vector> M2(rows, Vector(M.front().size()));
    Vector c2(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      if (n.op == Op::dense) {
        for (std::size_t i = 0; i < n.W[r].size(); ++i) {
          if (n.W[r][i] == 0) continue;
          for (std::size_t j = 0; j < M2[r].size(); ++j) M2[r][j] += n.W[r][i] * M[i][j];
          c2[r] += n.W[r][i] * c[i];
        }
        c2[r] += n.bias[r];
      } else if (n.op == Op::scale) {
        for (std::size_t j = 0; j < M2[r].size(); ++j) M2[r][j] = n.weights[r] * M[r][j];
        c2[r] = n.weights[r] * c[r] + n.bias[r];
      } else if (n.source[r].second >= 0) {
        M2[r] = M[std::size_t(n.source[r].second)], c2[r] = c[std::size_t(n.source[r].second)];
      }
    }
    M = std::move(M2), c = std::move(c2), width = rows;
  }
  if (M.empty()) identity();
  net.layers.push_back({std::move(M), std::move(c)});
  return net;
}

}  // namespace advdir::exact
