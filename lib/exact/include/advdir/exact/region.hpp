// Convex decision regions (Lemmas 13, 14 and R''): which label's region of a net is
// convex and why, and that region exactly as an irredundant H-representation.
#pragma once
#include "advdir/exact/relu.hpp"

namespace advdir::exact {

struct Convexity {
  int label;              // the label whose region is convex
  std::string why;        // lemma13 | lemma14 | lemma14_mirrored | R'' | linear
  std::string statement;  // the reason, in words
};

// The convex regions a certificate exists for; none: `failed` names the hypothesis that
// fails (some v_j < 0, hidden layers, ...).
struct ConvexityReport {
  std::vector<Convexity> convex;
  std::string failed;
};
ConvexityReport convexity(const ReluNet& net);

// <a, x> + c < 0 (strict) or <= 0; `units`: the hidden units whose sum it is (relu2: the
// subset J of sum_{j in J} v_j l_j(x) <= a, one of f's affine pieces).
struct HalfSpace {
  Vector a;
  mpq_class c;
  bool strict;
  std::vector<std::size_t> units;
};

struct HRepresentation {
  int label;
  bool empty = false;           // no point has the label
  std::vector<HalfSpace> rows;  // irredundant: dropping any row changes the set
  bool contains(const Vector& x) const;
};

// The region of `label`, which convexity(net) must list. For relu2, f = sum_j v_j relu(l_j)
// is the maximum of its 2^m affine pieces sum_{j in J} v_j l_j, so {f <= a} is one
// inequality per subset J; exact LPs (CGAL) remove the redundant ones, one at a time.
// Redundancy is judged on the closure, which for a strict system with an interior is the
// same set of rows; a strict system without interior is reported empty.
HRepresentation h_representation(const ReluNet& net, int label);

inline constexpr std::size_t max_units_for_hrep = 10;  // relu2: 2^m candidate rows, an LP each

json to_json(const HRepresentation& h);

}  // namespace advdir::exact
