#include "net.hpp"

#include <algorithm>
#include <optional>

namespace advdir::check::detail {
namespace {

AffineMap affine_map(const json& W, const json& b, const std::string& where, std::size_t inputs) {
  require(W.is_array() && !W.empty(), where + ".W: expected a non-empty matrix");
  AffineMap m;
  for (std::size_t r = 0; r < W.size(); ++r) {
    require(W[r].is_array() && (inputs || !W[r].empty()), where + ".W: rows must be non-empty arrays");
    m.W.push_back(numbers(W[r], where + ".W[" + std::to_string(r) + "]", inputs ? inputs : W[r].size()));
    inputs = m.W.back().size();
  }
  m.b = numbers(b, where + ".b", m.W.size());
  return m;
}

// Values (and, right of a point, slopes) of every node's output: x(c) = value + c slope.
struct Affine {
  Vec value, slope;
};

// The sign of value + c slope at c (right = false) or just past it (right = true).
int lex_sign(const mpq_class& value, const mpq_class& slope, bool right) {
  const int s = sgn(value);
  return s || !right ? s : sgn(slope);
}

// The label of outputs o at a point, or just past it (ties between values broken by
// slopes). above/at_least: +1 iff o_0 > a (>= a); all_positive: every o_m > 0 (relu_and);
// sign: of o_0; argmax: the first index among the largest o_m.
int decide(const Net& net, const Affine& o, bool right) {
  if (net.decision == "all_positive") {
    for (std::size_t m = 0; m < o.value.size(); ++m)
      if (lex_sign(o.value[m], o.slope[m], right) <= 0) return -1;
    return 1;
  }
  if (net.decision == "above" || net.decision == "at_least") {
    const int s = lex_sign(o.value[0] - net.threshold, o.slope[0], right);
    return (net.decision == "at_least" ? s >= 0 : s > 0) ? 1 : -1;
  }
  if (net.decision == "sign") return lex_sign(o.value[0], o.slope[0], right) > 0 ? 1 : -1;
  std::size_t best = 0;
  for (std::size_t m = 1; m < o.value.size(); ++m)
    if (lex_sign(o.value[m] - o.value[best], o.slope[m] - o.slope[best], right) > 0) best = m;
  return int(best);
}

// --- the graph, node by node ---------------------------------------------------------

// y = W x + b on (value, slope): the slope takes W alone.
Affine apply(const AffineMap& m, const Affine& in) {
  Affine out;
  for (std::size_t r = 0; r < m.W.size(); ++r) {
    out.value.push_back(dot(m.W[r], in.value) + m.b[r]);
    out.slope.push_back(dot(m.W[r], in.slope));
  }
  return out;
}

// Input position of a window's cell (kernel row i, column j) for output (oh, ow), or
// none in the padding.
std::optional<std::size_t> cell(const NetNode& n, std::size_t ch, std::size_t oh, std::size_t ow, std::size_t i, std::size_t j) {
  const long long y = (long long)(oh * n.sh + i * n.dh) - (long long)n.pt, x = (long long)(ow * n.sw + j * n.dw) - (long long)n.pl;
  if (y < 0 || x < 0 || y >= (long long)n.height || x >= (long long)n.width) return std::nullopt;
  return (ch * n.height + std::size_t(y)) * n.width + std::size_t(x);
}

Affine conv(const NetNode& n, const Affine& in) {
  Affine out{Vec(n.size), Vec(n.size)};
  const std::size_t per_group = n.channels / n.group, outs = n.out_channels / n.group;
  for (std::size_t o = 0; o < n.out_channels; ++o)
    for (std::size_t oh = 0; oh < n.oh; ++oh)
      for (std::size_t ow = 0; ow < n.ow; ++ow) {
        const std::size_t at = (o * n.oh + oh) * n.ow + ow;
        out.value[at] = n.bias.empty() ? mpq_class(0) : n.bias[o];
        for (std::size_t ci = 0; ci < per_group; ++ci)
          for (std::size_t i = 0; i < n.kh; ++i)
            for (std::size_t j = 0; j < n.kw; ++j)
              if (const auto c = cell(n, (o / outs) * per_group + ci, oh, ow, i, j)) {
                const mpq_class& k = n.kernel[((o * per_group + ci) * n.kh + i) * n.kw + j];
                out.value[at] += k * in.value[*c];
                out.slope[at] += k * in.slope[*c];
              }
      }
  return out;
}

// ONNX's AveragePool: the window's cells in the input, or with count_include_pad those in
// the padded input.
Affine avgpool(const NetNode& n, const Affine& in) {
  Affine out{Vec(n.size), Vec(n.size)};
  for (std::size_t ch = 0; ch < n.channels; ++ch)
    for (std::size_t oh = 0; oh < n.oh; ++oh)
      for (std::size_t ow = 0; ow < n.ow; ++ow) {
        const std::size_t at = (ch * n.oh + oh) * n.ow + ow;
        std::size_t count = 0;
        for (std::size_t i = 0; i < n.kh; ++i)
          for (std::size_t j = 0; j < n.kw; ++j) {
            const long long y = (long long)(oh * n.sh + i * n.dh) - (long long)n.pt, x = (long long)(ow * n.sw + j * n.dw) - (long long)n.pl;
            if (n.include_pad) count += y < (long long)(n.height + n.pb) && x < (long long)(n.width + n.pr);
            if (const auto c = cell(n, ch, oh, ow, i, j)) {
              count += !n.include_pad;
              out.value[at] += in.value[*c];
              out.slope[at] += in.slope[*c];
            }
          }
        require(count > 0, "an average-pooling window with no cells");
        out.value[at] /= count;
        out.slope[at] /= count;
      }
  return out;
}

// How a forward pass picks each ReLU's state and each window's largest entry.
struct Choice {
  virtual ~Choice() = default;
  virtual bool on(std::size_t k, std::size_t r, const mpq_class& value, const mpq_class& slope) = 0;
  // the chosen cell of window `at` (kernel cell index), among cells[i] = input position or none
  virtual std::size_t winner(std::size_t k, std::size_t at, const std::vector<std::optional<std::size_t>>& cells, const Affine& in) = 0;
};

// At a point (right = false) or just past it (right = true): on where the input is
// positive, or zero and rising; the first largest cell, ties broken by slopes.
struct PointChoice : Choice {
  bool right;
  explicit PointChoice(bool r) : right(r) {}
  bool on(std::size_t, std::size_t, const mpq_class& value, const mpq_class& slope) override { return lex_sign(value, slope, right) > 0; }
  std::size_t winner(std::size_t, std::size_t, const std::vector<std::optional<std::size_t>>& cells, const Affine& in) override {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (cells[i] && (!best || lex_sign(in.value[*cells[i]] - in.value[*cells[*best]], in.slope[*cells[i]] - in.slope[*cells[*best]], right) > 0))
        best = i;
    require(best.has_value(), "a max-pooling window lies in the padding");
    return *best;
  }
};

// Every value of the graph (the last node's outputs last) from the input x(c) = value + c slope.
std::vector<Affine> forward(const Net& net, const Affine& input, Choice& choice) {
  std::vector<Affine> at{input};
  std::size_t pl_index = 0;  // relu and maxpool nodes seen
  for (const NetNode& n : net.nodes) {
    const Affine& in = at[n.inputs[0]];
    Affine out;
    if (n.op == "dense") {
      out = apply(n.affine, in);
    } else if (n.op == "scale") {
      out = in;
      for (std::size_t i = 0; i < n.size; ++i) {
        out.value[i] = n.affine.W[0][i] * in.value[i] + n.affine.b[i];
        out.slope[i] = n.affine.W[0][i] * in.slope[i];
      }
    } else if (n.op == "conv") {
      out = conv(n, in);
    } else if (n.op == "avgpool") {
      out = avgpool(n, in);
    } else if (n.op == "add") {
      out = {Vec(n.size), Vec(n.size)};
      for (std::size_t k = 0; k < n.inputs.size(); ++k)
        for (std::size_t i = 0; i < n.size; ++i) {
          out.value[i] += n.signs[k] * at[n.inputs[k]].value[i];
          out.slope[i] += n.signs[k] * at[n.inputs[k]].slope[i];
        }
    } else if (n.op == "gather") {
      out = {Vec(n.size), Vec(n.size)};
      for (std::size_t i = 0; i < n.size; ++i)
        if (n.source[i].second >= 0) {
          const Affine& from = at[n.inputs[n.source[i].first]];
          out.value[i] = from.value[std::size_t(n.source[i].second)];
          out.slope[i] = from.slope[std::size_t(n.source[i].second)];
        }
    } else if (n.op == "relu") {
      out = in;
      for (std::size_t r = 0; r < n.size; ++r)
        if (!choice.on(pl_index, r, in.value[r], in.slope[r])) out.value[r] = out.slope[r] = 0;
      ++pl_index;
    } else {  // maxpool
      out = {Vec(n.size), Vec(n.size)};
      std::vector<std::optional<std::size_t>> cells(n.kh * n.kw);
      for (std::size_t ch = 0; ch < n.channels; ++ch)
        for (std::size_t oh = 0; oh < n.oh; ++oh)
          for (std::size_t ow = 0; ow < n.ow; ++ow) {
            for (std::size_t i = 0; i < n.kh; ++i)
              for (std::size_t j = 0; j < n.kw; ++j) cells[i * n.kw + j] = cell(n, ch, oh, ow, i, j);
            const std::size_t k = (ch * n.oh + oh) * n.ow + ow, w = *cells[choice.winner(pl_index, k, cells, in)];
            out.value[k] = in.value[w], out.slope[k] = in.slope[w];
          }
      ++pl_index;
    }
    at.push_back(std::move(out));
  }
  return at;
}

// The label at x + t v (right = false) or on (t, t + eps) (right = true).
int label_along(const Net& net, const Vec& x, const Vec& v, const mpq_class& t, bool right) {
  Affine a{x, v};
  for (std::size_t k = 0; k < x.size(); ++k) a.value[k] += t * v[k];
  PointChoice choice(right);
  return decide(net, forward(net, a, choice).back(), right);
}

// value + c slope keeps the sign s (>= 0 times s) at c = from and at c = to (to = none:
// in the slope): on an interval an affine function keeps a weak sign it has at both ends.
bool keeps_sign(int s, const mpq_class& value, const mpq_class& slope, const mpq_class& from, const std::optional<mpq_class>& to) {
  const mpq_class start = value + from * slope;
  const mpq_class end_or_slope = to ? mpq_class(value + *to * slope) : slope;
  return s * sgn(start) >= 0 && s * sgn(end_or_slope) >= 0;
}

// The claimed pattern on [from, to]: each ReLU's input has the pattern's sign at both ends
// (Pieces.pattern_holds, ends_ok), each window's claimed cell is at least every other cell
// at both ends (Pieces.window_on_piece: then the window's maximum is the claimed cell's
// value on all of the piece); so the net equals the patterned affine map on the whole piece.
struct GivenChoice : Choice {
  const json& pattern;
  const mpq_class& from;
  const std::optional<mpq_class>& to;
  const std::string& at;
  std::vector<const NetNode*> nodes;  // the relu and maxpool nodes, in order
  GivenChoice(const Net& net, const json& p, const mpq_class& f, const std::optional<mpq_class>& t, const std::string& a)
      : pattern(p), from(f), to(t), at(a) {
    for (const NetNode& n : net.nodes)
      if (n.op == "relu" || n.op == "maxpool") nodes.push_back(&n);
    require(pattern.is_array() && pattern.size() == nodes.size(), at + "pattern: expected one entry per relu and maxpool node (per hidden layer)");
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      const std::string where = at + "pattern[" + std::to_string(k) + "]";
      if (nodes[k]->op == "relu") {
        const std::string bits = pattern[k].is_string() ? pattern[k].get<std::string>() : "";
        require(bits.size() == nodes[k]->size && bits.find_first_not_of("01") == std::string::npos, where + ": expected a 0/1 string of the layer's width");
      } else {
        require(pattern[k].is_array() && pattern[k].size() == nodes[k]->size, where + ": expected one kernel cell per window");
        for (std::size_t i = 0; i < pattern[k].size(); ++i) index(pattern[k][i], where + "[" + std::to_string(i) + "]", nodes[k]->kh * nodes[k]->kw);
      }
    }
  }
  bool on(std::size_t k, std::size_t r, const mpq_class& value, const mpq_class& slope) override {
    const bool bit = pattern[k].get_ref<const std::string&>()[r] == '1';
    require(keeps_sign(bit ? 1 : -1, value, slope, from, to), at + "unit " + std::to_string(r) + " of layer " + std::to_string(k) + " leaves the pattern on the piece");
    return bit;
  }
  std::size_t winner(std::size_t k, std::size_t w, const std::vector<std::optional<std::size_t>>& cells, const Affine& in) override {
    const std::size_t c = std::size_t(pattern[k][w].get<long long>());
    const std::string here = at + "window " + std::to_string(w) + " of pattern[" + std::to_string(k) + "]";
    require(cells[c].has_value(), here + ": the claimed cell lies in the padding");
    for (const auto& other : cells)
      if (other) require(keeps_sign(1, in.value[*cells[c]] - in.value[*other], in.slope[*cells[c]] - in.slope[*other], from, to), here + ": another cell exceeds the claimed one on the piece");
    return c;
  }
};

// One piece [from, to] (to = none: unbounded) with the claimed pattern; the outputs there
// as o(c) = value + c slope.
Affine patterned_outputs(const Net& net, const Vec& x, const Vec& v, const json& pattern, const mpq_class& from,
                         const std::optional<mpq_class>& to, const std::string& at) {
  GivenChoice choice(net, pattern, from, to, at);
  return forward(net, Affine{x, v}, choice).back();
}

// g(c) = g0 + c g1 > 0 (>= 0 when !strict) for every c in [from, to) (to = none: inf).
bool holds_on(const mpq_class& g0, const mpq_class& g1, bool strict, const mpq_class& from, const std::optional<mpq_class>& to) {
  const mpq_class start = g0 + from * g1;
  const int end = to ? sgn(mpq_class(g0 + *to * g1)) : sgn(g1);
  return (strict ? start > 0 : start >= 0) && end >= 0;
}

// Some c in [from, to) has every o_m(c) > 0 (relu_and's +1 region).
bool all_positive_somewhere(const Affine& o, const mpq_class& from, const std::optional<mpq_class>& to) {
  mpq_class lo = from;
  std::optional<mpq_class> hi = to;
  for (std::size_t m = 0; m < o.value.size(); ++m) {
    if (o.slope[m] == 0) {
      if (o.value[m] <= 0) return false;
      continue;
    }
    const mpq_class root = -o.value[m] / o.slope[m];
    if (o.slope[m] > 0) lo = std::max(lo, root);
    else if (!hi || root < *hi) hi = root;
  }
  return !hi || lo < *hi;
}

// The label of outputs o is `label` on all of [from, to).
bool label_on(const Net& net, const Affine& o, int label, const mpq_class& from, const std::optional<mpq_class>& to) {
  if (to && *to == from) return true;  // empty
  auto diff = [&](std::size_t m, std::size_t k) {  // o_m - o_k as (value, slope)
    return std::pair<mpq_class, mpq_class>{o.value[m] - o.value[k], o.slope[m] - o.slope[k]};
  };
  if (net.decision == "all_positive") {
    if (label < 0) return !all_positive_somewhere(o, from, to);
    for (std::size_t m = 0; m < o.value.size(); ++m)
      if (!holds_on(o.value[m], o.slope[m], true, from, to)) return false;
    return true;
  }
  if (net.decision == "argmax") {
    require(label >= 0 && std::size_t(label) < o.value.size(), "a label outside the outputs");
    const std::size_t k = std::size_t(label);
    for (std::size_t m = 0; m < o.value.size(); ++m) {
      if (m == k) continue;
      const auto [g0, g1] = diff(k, m);
      if (!holds_on(g0, g1, m < k, from, to)) return false;
    }
    return true;
  }
  const mpq_class a = net.decision == "sign" ? mpq_class(0) : net.threshold;
  const bool strict_plus = net.decision != "at_least";
  return label > 0 ? holds_on(o.value[0] - a, o.slope[0], strict_plus, from, to)
                   : holds_on(a - o.value[0], -o.slope[0], !strict_plus, from, to);
}

// --- reading a graph ({"kind": "graph"}) ----------------------------------------------

constexpr std::size_t max_entries = std::size_t(1) << 24;  // of one value

std::size_t small(const json& j, const std::string& what, std::size_t lo, std::size_t hi) {
  require(integer_in(j, (long long)lo, (long long)hi), what + ": expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return std::size_t(j.get<std::uint64_t>());
}

std::vector<std::size_t> sizes(const json& j, const std::string& what, std::size_t count, std::size_t lo) {
  require(j.is_array() && (count ? j.size() == count : j.size() <= 8), what + ": expected " + (count ? std::to_string(count) : "at most 8") + " sizes");
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(small(j[i], what, lo, max_entries));
  return out;
}

std::size_t entries(const std::vector<std::size_t>& shape, const std::string& what) {
  std::size_t n = 1;
  for (std::size_t d : shape) {
    require(d == 0 || n <= max_entries / d, what + ": more than 2^24 entries");
    n *= d;
  }
  require(n > 0, what + ": no entries");
  return n;
}

// Output positions along one axis: floor, or ceil where the last window starts before the
// trailing padding (ONNX's ceil_mode).
bool positions_fit(std::size_t out, std::size_t size, std::size_t k, std::size_t s, std::size_t d, std::size_t p0, std::size_t p1) {
  const std::size_t span = (k - 1) * d + 1, padded = size + p0 + p1;
  if (padded < span) return false;
  const std::size_t floor = (padded - span) / s + 1;
  return out == floor || (out == floor + 1 && (padded - span) % s != 0 && floor * s < size + p0);
}

void read_window(const json& w, NetNode& n, std::size_t in_size, const std::string& at) {
  const auto in = sizes(field(w, "input"), at + ".input", 3, 1), k = sizes(field(w, "kernel"), at + ".kernel", 2, 1),
             st = sizes(field(w, "strides"), at + ".strides", 2, 1), dl = sizes(field(w, "dilations"), at + ".dilations", 2, 1),
             pads = sizes(field(w, "pads"), at + ".pads", 4, 0), out = sizes(field(w, "out"), at + ".out", 2, 1);
  n.channels = in[0], n.height = in[1], n.width = in[2], n.kh = k[0], n.kw = k[1], n.sh = st[0], n.sw = st[1], n.dh = dl[0], n.dw = dl[1];
  n.pt = pads[0], n.pl = pads[1], n.pb = pads[2], n.pr = pads[3], n.oh = out[0], n.ow = out[1];
  require(entries(in, at) == in_size, at + ": the window's input is not the input's size");
  require(n.kh * n.kw <= max_entries && positions_fit(n.oh, n.height, n.kh, n.sh, n.dh, n.pt, n.pb) &&
              positions_fit(n.ow, n.width, n.kw, n.sw, n.dw, n.pl, n.pr),
          at + ": the output positions do not fit the window geometry");
}

NetNode read_node(const json& j, const Net& net, std::size_t k) {
  const std::string at = "model.nodes[" + std::to_string(k) + "]";
  require(j.is_object(), at + ": expected an object");
  NetNode n;
  if (has(j, "name")) require(j["name"].is_string(), at + ".name: expected a string");
  const json& op = field(j, "op");
  require(op.is_string(), at + ".op: expected a string");
  n.op = op.get<std::string>();
  const json& inputs = field(j, "inputs");
  require(inputs.is_array() && !inputs.empty() && inputs.size() <= 64, at + ".inputs: expected 1 to 64 values");
  std::vector<std::size_t> in_sizes;
  for (const json& i : inputs) {
    n.inputs.push_back(small(i, at + ".inputs", 0, k));
    in_sizes.push_back(n.inputs.back() == 0 ? net.input : net.nodes[n.inputs.back() - 1].size);
  }
  n.size = entries(sizes(field(j, "shape"), at + ".shape", 0, 0), at + ".shape");
  const std::size_t in = in_sizes[0];
  require(n.op == "add" || n.op == "gather" || n.inputs.size() == 1, at + ": takes one input");
  if (n.op == "dense") {
    n.affine = affine_map(field(j, "W"), field(j, "b"), at, in);
    require(n.affine.W.size() == n.size, at + ": W needs one row per output");
  } else if (n.op == "scale") {
    require(n.size == in, at + ": the output's size is the input's");
    n.affine.W = {numbers(field(j, "a"), at + ".a", in)};
    n.affine.b = numbers(field(j, "c"), at + ".c", in);
  } else if (n.op == "conv") {
    read_window(field(j, "window"), n, in, at + ".window");
    n.out_channels = small(field(j, "out_channels"), at + ".out_channels", 1, max_entries);
    n.group = small(field(j, "group"), at + ".group", 1, max_entries);
    require(n.channels % n.group == 0 && n.out_channels % n.group == 0, at + ": channels and out_channels must be multiples of group");
    require(n.size == n.out_channels * n.oh * n.ow, at + ": the output shape does not fit");
    const std::size_t weights = n.out_channels * (n.channels / n.group) * n.kh * n.kw;
    require(weights <= max_entries && n.size * (weights / n.out_channels) <= (std::size_t(1) << 32), at + ": too large a kernel");
    n.kernel = numbers(field(j, "weights"), at + ".weights", weights);
    const json& bias = field(j, "bias");
    n.bias = numbers(bias, at + ".bias", bias.is_array() && bias.empty() ? 0 : n.out_channels);
  } else if (n.op == "maxpool" || n.op == "avgpool") {
    read_window(field(j, "window"), n, in, at + ".window");
    require(n.size == n.channels * n.oh * n.ow, at + ": the output shape does not fit");
    require(n.size * n.kh * n.kw <= (std::size_t(1) << 32), at + ": too large a window");
    if (n.op == "avgpool") n.include_pad = flag(field(j, "count_include_pad"), at + ".count_include_pad");
  } else if (n.op == "add") {
    const json& signs = field(j, "signs");
    require(signs.is_array() && signs.size() == n.inputs.size(), at + ".signs: one per input");
    for (std::size_t i = 0; i < signs.size(); ++i) {
      require(is(signs[i], 1) || is(signs[i], -1), at + ".signs: expected 1 or -1");
      require(in_sizes[i] == n.size, at + ": every input has the output's size");
      n.signs.push_back(signs[i].get<int>());
    }
  } else if (n.op == "gather") {
    const json& source = field(j, "source");
    require(source.is_array() && source.size() == n.size, at + ".source: one per output");
    for (const json& s : source) {
      require(s.is_array() && s.size() == 2, at + ".source: expected [input, index] pairs");
      const std::size_t i = small(s[0], at + ".source", 0, n.inputs.size() - 1);
      require(is(s[1], -1) || integer_in(s[1], 0, (long long)in_sizes[i] - 1), at + ".source: an index outside its input");
      n.source.emplace_back(i, s[1].get<long long>());
    }
  } else {
    require(n.op == "relu", at + ".op: expected dense, conv, scale, add, gather, relu, maxpool or avgpool");
    require(n.size == in, at + ": the output's size is the input's");
  }
  return n;
}

void read_graph(const json& m, Net& net) {
  net.input = entries(sizes(field(m, "input_shape"), "model.input_shape", 0, 0), "model.input_shape");
  const json& decision = field(m, "decision");
  require(decision == "sign" || decision == "argmax" || decision == "above" || decision == "at_least" || decision == "all_positive",
          "model.decision: expected sign, argmax, above, at_least or all_positive");
  net.decision = decision.get<std::string>();
  if (net.decision == "above" || net.decision == "at_least") net.threshold = number(field(m, "threshold"), "model.threshold");
  const json& nodes = field(m, "nodes");
  require(nodes.is_array() && !nodes.empty(), "model.nodes: expected a non-empty array");
  // All values together at most 2^24 entries: padding could otherwise grow a small
  // certificate's values without bound (the evaluator keeps every value of a pass). A
  // resource bound, not a hypothesis: it discharges nothing in Coq, and refusing is sound.
  std::size_t total = net.input;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    net.nodes.push_back(read_node(nodes[k], net, k));
    total += net.nodes.back().size;
    require(total <= max_entries, "model.nodes: the graph's values hold more than 2^24 entries in all");
  }
  require(net.decision == "argmax" || net.decision == "all_positive" || net.outputs() == 1, "model.decision: a sign or threshold needs one output");
}

}  // namespace

void as_graph(Net& net) {
  net.input = net.layers.front().W.front().size();
  net.nodes.clear();
  for (std::size_t L = 0; L < net.layers.size(); ++L) {
    NetNode dense;
    dense.op = "dense", dense.inputs = {net.nodes.size()}, dense.size = net.layers[L].W.size(), dense.affine = net.layers[L];
    net.nodes.push_back(dense);
    if (L + 1 == net.layers.size()) break;
    NetNode relu;
    relu.op = "relu", relu.inputs = {net.nodes.size()}, relu.size = dense.size;
    net.nodes.push_back(std::move(relu));
  }
  if (net.kind == "relu_and") net.decision = "all_positive";
  else if (net.kind == "mlp") net.decision = net.outputs() == 1 ? "sign" : "argmax";
  else if (net.decision.empty()) net.decision = "above";
}

Net read_net(const json& m, std::size_t d) {
  const json& kind = field(m, "kind");
  Net net;
  require(kind.is_string(), "model: kind must be a string");
  net.kind = kind.get<std::string>();
  if (net.kind == "graph") {
    read_graph(m, net);
    require(!d || net.input == d, "model: the graph takes " + std::to_string(net.input) + " inputs, the data have " + std::to_string(d));
    return net;
  }
  if (net.kind == "relu_sum" || net.kind == "relu2" || net.kind == "relu_and") {
    net.layers.push_back(affine_map(field(m, "W"), field(m, "b"), "model", d));
  } else {
    require(net.kind == "mlp", "model: kind must be relu_sum, relu2, relu_and, mlp or graph");
    const json& layers = field(m, "layers");
    require(layers.is_array() && !layers.empty(), "model.layers: expected a non-empty array");
    for (std::size_t L = 0; L < layers.size(); ++L)
      net.layers.push_back(affine_map(field(layers[L], "W"), field(layers[L], "b"), "model.layers[" + std::to_string(L) + "]",
                                      L ? net.layers.back().W.size() : d));
  }
  const std::size_t units = net.layers[0].W.size();
  if (net.kind == "relu_sum") net.layers.push_back({{Vec(units, 1)}, {0}});
  if (net.kind == "relu2") {
    net.layers.push_back({{numbers(field(m, "v"), "model.v", units)}, {0}});
    net.threshold = number(field(m, "threshold"), "model.threshold");
    const json rule = field(m, "rule");
    require(rule == "gt" || rule == "ge", "model.rule: expected gt or ge");
    net.decision = rule == "ge" ? "at_least" : "above";
  }
  as_graph(net);
  return net;
}

Vec outputs_at(const Net& net, const Vec& x) {
  PointChoice at(false);
  return forward(net, Affine{x, Vec(x.size(), 0)}, at).back().value;
}

int net_label(const Net& net, const Vec& x) { return label_along(net, x, Vec(x.size(), 0), 0, false); }

std::vector<ConvexRegion> convex_regions(const Net& net) {
  if (net.kind == "graph") return {};
  if (net.kind == "relu_sum") return {{-1, "lemma13"}};
  if (net.kind == "relu_and") return {{1, "R''"}};
  if (net.kind == "mlp") {
    if (net.layers.size() == 1 && net.outputs() == 1) return {{-1, "linear"}, {1, "linear"}};
    return {};
  }
  const Vec& v = net.layers[1].W[0];
  std::vector<ConvexRegion> out;
  if (std::all_of(v.begin(), v.end(), [](const mpq_class& q) { return q >= 0; })) out.push_back({-1, "lemma14"});
  if (std::all_of(v.begin(), v.end(), [](const mpq_class& q) { return q <= 0; })) out.push_back({1, "lemma14_mirrored"});
  return out;
}

void verify_ray_claim(const Net& net, const Vec& x, const Vec& v, const json& claim, const std::string& at) {
  const int before = label_along(net, x, v, 0, false);
  require(is(field(claim, "label_before"), before), at + "label_before is wrong");
  const std::optional<mpq_class> exit = flag(field(claim, "adversarial"), at + "adversarial") ? std::optional(number(field(claim, "c_exit"), at + "c_exit")) : std::nullopt;
  require(!exit || *exit >= 0, at + "c_exit is negative");
  const json& pieces = field(claim, "pieces");
  require(pieces.is_array() && !pieces.empty(), at + "pieces: expected a non-empty array");
  mpq_class from = 0;
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    const std::string here = at + "piece " + std::to_string(p) + ": ";
    const mpq_class start = number(field(pieces[p], "from"), here + "from");
    require(p ? start > from : start == 0, here + "from must be 0 for the first piece and increase strictly");
    from = start;
    const bool last = p + 1 == pieces.size();
    const std::optional<mpq_class> to = last ? exit : std::optional(number(field(pieces[p + 1], "from"), here + "from"));
    require(!to || *to >= from, here + "starts past c_exit");
    // Pieces.ray_piece: the pattern's signs at both ends (pattern_holds, ends_ok) make the
    // outputs the patterned affine map on the piece; Pieces.holds_on_strict and holds_on
    // carry the label's output differences across it. Pieces start at 0, increase
    // strictly and end at c_exit, so they cover [0, c_exit).
    const Affine o = patterned_outputs(net, x, v, field(pieces[p], "pattern"), from, to, here);
    require(label_on(net, o, before, from, to), here + "the label changes on the piece, before c_exit");
  }
  if (!exit) return;
  // At c_exit the net is evaluated exactly (its definition); just past it, by the signs of
  // (value, slope) pairs layer by layer: Pieces.right_pattern (that pattern holds on some
  // [c_exit, c_exit + e]) and Pieces.right_sign (the outputs' order there).
  const int after = label_along(net, x, v, *exit, true);
  const bool differs = label_along(net, x, v, *exit, false) != before;
  require(field(claim, "differs_at_exit") == differs, at + "differs_at_exit is wrong");
  require(differs || after != before, at + "the label does not change at c_exit");
  require(is(field(claim, "label_after"), after), at + "label_after is wrong");
}

}  // namespace advdir::check::detail
