#include "advdir/exact/plane.hpp"

#include "advdir/exact/error.hpp"

#include <algorithm>

namespace advdir::exact {
namespace {

// g(p) = a_x p.x + a_y p.y + c, an affine function of the plane.
struct Affine2 {
  mpq_class ax, ay, c;
  mpq_class at(const Point2& p) const { return ax * p.x + ay * p.y + c; }
};

// Twice the signed area (shoelace): 0 for a degenerate polygon.
mpq_class area2(const Polygon& p) {
  mpq_class a = 0;
  for (std::size_t i = 0; i < p.vertex.size(); ++i) {
    const Point2& u = p.vertex[i];
    const Point2& w = p.vertex[(i + 1) % p.vertex.size()];
    a += u.x * w.y - w.x * u.y;
  }
  return a;
}

// The part of the polygon where g <= 0 (keep_negative) or g >= 0; edges made along g = 0
// are boundary edges when `decision`. Empty, or degenerate (under 3 vertices), is empty.
Polygon clip(const Polygon& poly, const Affine2& g, bool keep_negative, bool decision) {
  const int side = keep_negative ? -1 : 1;
  Polygon out;
  const std::size_t n = poly.vertex.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Point2& p = poly.vertex[i];
    const Point2& q = poly.vertex[(i + 1) % n];
    const mpq_class gp = g.at(p), gq = g.at(q);
    const bool p_in = sgn(gp) * side >= 0, q_in = sgn(gq) * side >= 0;
    if (p_in) {
      out.vertex.push_back(p);
      // The edge p -> q keeps its tag while it stays inside; if it leaves, it ends on g = 0.
      out.boundary.push_back(poly.boundary[i]);
    }
    if (p_in != q_in && sgn(gp) != 0 && sgn(gq) != 0) {
      const mpq_class t = gp / (gp - gq);
      out.vertex.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
      // Entering: the new vertex starts a piece of p -> q; leaving: it starts the cut.
      out.boundary.push_back(q_in ? poly.boundary[i] : char(decision));
    }
    if (p_in && !q_in && sgn(gp) == 0) out.boundary.back() = char(decision);
  }
  return area2(out) == 0 ? Polygon{} : out;
}

// A convex piece of the box on which the layers so far are affine: the current layer's
// values as affine functions of the plane.
struct Cell {
  Polygon polygon;
  std::vector<Affine2> values;
};

std::vector<Affine2> layer_values(const Layer& l, const std::vector<Affine2>& in) {
  std::vector<Affine2> out;
  for (std::size_t r = 0; r < l.W.size(); ++r) {
    Affine2 g{0, 0, l.b[r]};
    for (std::size_t k = 0; k < in.size(); ++k) {
      g.ax += l.W[r][k] * in[k].ax;
      g.ay += l.W[r][k] * in[k].ay;
      g.c += l.W[r][k] * in[k].c;
    }
    out.push_back(g);
  }
  return out;
}

// Splits every cell by unit r's zero line; on the negative side the unit's output is 0.
std::vector<Cell> split_at_kink(std::vector<Cell> cells, std::size_t r) {
  std::vector<Cell> out;
  for (Cell& c : cells) {
    const Affine2 g = c.values[r];
    if (g.ax == 0 && g.ay == 0) {  // constant on the cell: no kink crosses it
      if (g.c <= 0) c.values[r] = {0, 0, 0};
      out.push_back(std::move(c));
      continue;
    }
    for (bool negative : {true, false}) {
      Polygon p = clip(c.polygon, g, negative, false);
      if (p.vertex.empty()) continue;
      Cell piece{std::move(p), c.values};
      if (negative) piece.values[r] = {0, 0, 0};
      out.push_back(std::move(piece));
    }
  }
  return out;
}

// "label is L" inside a cell with outputs o: every g > 0 (strict) or >= 0. The picture
// clips to closures; a g that is identically 0 on the cell decides by its strictness alone.
struct Condition {
  Affine2 g;
  bool strict;
};

std::vector<std::pair<int, std::vector<Condition>>> label_conditions(const ReluNet& net, const std::vector<Affine2>& o) {
  auto minus = [](const Affine2& a, const Affine2& b) { return Affine2{a.ax - b.ax, a.ay - b.ay, a.c - b.c}; };
  auto neg = [](const Affine2& a) { return Affine2{-a.ax, -a.ay, -a.c}; };
  switch (net.decision) {
    case Decision::sign: return {{1, {{o[0], true}}}, {-1, {{neg(o[0]), false}}}};
    case Decision::above:
    case Decision::at_least: {
      const Affine2 g{o[0].ax, o[0].ay, o[0].c - net.threshold};
      const bool gt = net.decision == Decision::above;
      return {{1, {{g, gt}}}, {-1, {{neg(g), !gt}}}};
    }
    case Decision::argmax: {
      std::vector<std::pair<int, std::vector<Condition>>> out;
      for (std::size_t k = 0; k < o.size(); ++k) {
        out.push_back({int(k), {}});
        for (std::size_t m = 0; m < o.size(); ++m)
          if (m != k) out.back().second.push_back({minus(o[k], o[m]), m < k});
      }
      return out;
    }
    case Decision::all_positive: break;
  }
  return {};
}

// The polygon where every condition holds (its closure), or empty.
Polygon satisfying(Polygon p, const std::vector<Condition>& conditions) {
  for (const Condition& k : conditions) {
    if (p.vertex.empty()) break;
    if (k.g.ax == 0 && k.g.ay == 0) {
      if (k.g.c < 0 || (k.g.c == 0 && k.strict)) return {};
      continue;
    }
    p = clip(p, k.g, false, true);
  }
  return p;
}

}  // namespace

std::vector<LabelledPolygon> decision_regions(const ReluNet& net, const Point2& lo, const Point2& hi) {
  if (net.input_dim() != 2) throw InputError("model", "pictures are of nets with 2 inputs; this one takes " + std::to_string(net.input_dim()));
  const Polygon box{{{lo.x, lo.y}, {hi.x, lo.y}, {hi.x, hi.y}, {lo.x, hi.y}}, {0, 0, 0, 0}};
  std::vector<Cell> cells{{box, {{1, 0, 0}, {0, 1, 0}}}};
  for (std::size_t L = 0; L + 1 < net.layers.size(); ++L) {
    for (Cell& c : cells) c.values = layer_values(net.layers[L], c.values);
    for (std::size_t r = 0; r < net.layers[L].W.size(); ++r) cells = split_at_kink(std::move(cells), r);
  }
  std::vector<LabelledPolygon> out;
  for (Cell& c : cells) {
    const std::vector<Affine2> o = layer_values(net.layers.back(), c.values);
    if (net.decision == Decision::all_positive) {
      // +1 where every o_m > 0; -1 is the union of the pieces where the first failing unit
      // is m. Only the +1 polygon's cut edges are boundary: the -1 pieces meet each other.
      Polygon plus = c.polygon;
      for (std::size_t m = 0; m < o.size() && !plus.vertex.empty(); ++m) {
        Polygon minus = clip(plus, o[m], true, false);
        std::fill(minus.boundary.begin(), minus.boundary.end(), 0);
        if (!minus.vertex.empty()) out.push_back({std::move(minus), -1});
        plus = clip(plus, o[m], false, true);
      }
      if (!plus.vertex.empty()) out.push_back({std::move(plus), 1});
      continue;
    }
    for (const auto& [label, conditions] : label_conditions(net, o)) {
      Polygon p = satisfying(c.polygon, conditions);
      if (!p.vertex.empty()) out.push_back({std::move(p), label});
    }
  }
  return out;
}

std::vector<LabelledPolygon> decision_regions(const LinearModel& h, const Point2& lo, const Point2& hi) {
  return decision_regions(as_net(h), lo, hi);
}

}  // namespace advdir::exact
