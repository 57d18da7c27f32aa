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

// Values (and, right of a point, slopes) of every layer's output: x(c) = value + c slope.
struct Affine {
  Vec value, slope;
};

Affine apply(const AffineMap& m, const Affine& in) {
  Affine out;
  for (std::size_t r = 0; r < m.W.size(); ++r) {
    out.value.push_back(dot(m.W[r], in.value) + m.b[r]);
    out.slope.push_back(dot(m.W[r], in.slope));
  }
  return out;
}

// The sign of value + c slope at c (right = false) or just past it (right = true).
int lex_sign(const mpq_class& value, const mpq_class& slope, bool right) {
  const int s = sgn(value);
  return s || !right ? s : sgn(slope);
}

// The label of outputs o at a point, or just past it (ties between values broken by
// slopes). relu_sum/relu2: +1 iff o_0 > a (>= a for "ge"); relu_and: every o_m > 0;
// mlp: sign of o_0, or the first index among the largest o_m.
int decide(const Net& net, const Affine& o, bool right) {
  if (net.kind == "relu_and") {
    for (std::size_t m = 0; m < o.value.size(); ++m)
      if (lex_sign(o.value[m], o.slope[m], right) <= 0) return -1;
    return 1;
  }
  if (net.kind != "mlp") {
    const int s = lex_sign(o.value[0] - net.threshold, o.slope[0], right);
    return (net.ge ? s >= 0 : s > 0) ? 1 : -1;
  }
  if (net.outputs() == 1) return lex_sign(o.value[0], o.slope[0], right) > 0 ? 1 : -1;
  std::size_t best = 0;
  for (std::size_t m = 1; m < o.value.size(); ++m)
    if (lex_sign(o.value[m] - o.value[best], o.slope[m] - o.slope[best], right) > 0) best = m;
  return int(best);
}

// The label at x + t v (right = false) or on (t, t + eps) (right = true): each ReLU is on
// where its input is positive, or zero and rising.
int label_along(const Net& net, const Vec& x, const Vec& v, const mpq_class& t, bool right) {
  Affine a{x, v};
  for (std::size_t k = 0; k < x.size(); ++k) a.value[k] += t * v[k];
  for (std::size_t L = 0; L + 1 < net.layers.size(); ++L) {
    a = apply(net.layers[L], a);
    for (std::size_t r = 0; r < a.value.size(); ++r)
      if (lex_sign(a.value[r], a.slope[r], right) <= 0) a.value[r] = a.slope[r] = 0;
  }
  return decide(net, apply(net.layers.back(), a), right);
}

// One piece [from, to] (to = none: unbounded) of the ray with the claimed pattern: every
// hidden unit's affine input has the pattern's sign at both ends (for an unbounded piece:
// at `from` and in its slope), so the net equals the patterned affine map on the whole
// piece. Returns the outputs as o(c) = value + c slope.
Affine patterned_outputs(const Net& net, const Vec& x, const Vec& v, const json& pattern, const mpq_class& from,
                         const std::optional<mpq_class>& to, const std::string& at) {
  require(pattern.is_array() && pattern.size() + 1 == net.layers.size(), at + "pattern: expected one string per hidden layer");
  Affine a{x, v};
  for (std::size_t L = 0; L + 1 < net.layers.size(); ++L) {
    a = apply(net.layers[L], a);
    const std::string bits = pattern[L].is_string() ? pattern[L].get<std::string>() : "";
    require(bits.size() == a.value.size() && bits.find_first_not_of("01") == std::string::npos,
            at + "pattern[" + std::to_string(L) + "]: expected a 0/1 string of the layer's width");
    for (std::size_t r = 0; r < bits.size(); ++r) {
      const int s = bits[r] == '1' ? 1 : -1;
      const mpq_class start = a.value[r] + from * a.slope[r];
      const mpq_class end_or_slope = to ? mpq_class(a.value[r] + *to * a.slope[r]) : a.slope[r];
      require(s * sgn(start) >= 0 && s * sgn(end_or_slope) >= 0,
              at + "unit " + std::to_string(r) + " of layer " + std::to_string(L) + " leaves the pattern on the piece");
      if (s < 0) a.value[r] = a.slope[r] = 0;
    }
  }
  return apply(net.layers.back(), a);
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
  if (net.kind == "relu_and") {
    if (label < 0) return !all_positive_somewhere(o, from, to);
    for (std::size_t m = 0; m < o.value.size(); ++m)
      if (!holds_on(o.value[m], o.slope[m], true, from, to)) return false;
    return true;
  }
  if (net.kind == "mlp" && net.outputs() > 1) {
    const std::size_t k = std::size_t(label);
    for (std::size_t m = 0; m < o.value.size(); ++m) {
      if (m == k) continue;
      const auto [g0, g1] = diff(k, m);
      if (!holds_on(g0, g1, m < k, from, to)) return false;
    }
    return true;
  }
  const mpq_class a = net.kind == "mlp" ? mpq_class(0) : net.threshold;
  const bool strict_plus = net.kind == "mlp" || !net.ge;
  return label > 0 ? holds_on(o.value[0] - a, o.slope[0], strict_plus, from, to)
                   : holds_on(a - o.value[0], -o.slope[0], !strict_plus, from, to);
}

}  // namespace

Net read_net(const json& m, std::size_t d) {
  const json& kind = field(m, "kind");
  Net net;
  require(kind.is_string(), "model: kind must be a string");
  net.kind = kind.get<std::string>();
  if (net.kind == "relu_sum" || net.kind == "relu2" || net.kind == "relu_and") {
    net.layers.push_back(affine_map(field(m, "W"), field(m, "b"), "model", d));
  } else {
    require(net.kind == "mlp", "model: kind must be relu_sum, relu2, relu_and or mlp");
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
    net.ge = rule == "ge";
  }
  return net;
}

Vec outputs_at(const Net& net, const Vec& x) {
  Affine a{x, Vec(x.size(), 0)};
  for (std::size_t L = 0; L + 1 < net.layers.size(); ++L) {
    a = apply(net.layers[L], a);
    for (mpq_class& z : a.value) z = z > 0 ? z : mpq_class(0);
  }
  return apply(net.layers.back(), a).value;
}

int net_label(const Net& net, const Vec& x) { return label_along(net, x, Vec(x.size(), 0), 0, false); }

std::vector<ConvexRegion> convex_regions(const Net& net) {
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
