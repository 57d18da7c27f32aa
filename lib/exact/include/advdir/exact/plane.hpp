// Decision regions of a net in the plane, exactly: the view box cut into convex
// polygons on which the net is affine (one cut per ReLU kink line, layer by layer),
// each cut again by the decision lines, so every polygon carries one label. Edges made
// by a decision line are the decision boundary (the pictures of Figures 1-3).
#pragma once
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/relu.hpp"

namespace advdir::exact {

struct Point2 {
  mpq_class x, y;
};

// A convex polygon; edge i runs from vertex i to vertex i + 1 (cyclically) and is
// `boundary[i]` when it lies on a decision boundary.
struct Polygon {
  std::vector<Point2> vertex;
  std::vector<char> boundary;
};

struct LabelledPolygon {
  Polygon polygon;
  int label;
};

// The box [x0, x1] x [y0, y1] cut into label-constant convex polygons of a 2-input net.
std::vector<LabelledPolygon> decision_regions(const ReluNet& net, const Point2& lo, const Point2& hi);
std::vector<LabelledPolygon> decision_regions(const LinearModel& h, const Point2& lo, const Point2& hi);

}  // namespace advdir::exact
