// The checker's own piecewise-linear nets (relu_sum, relu2, relu_and, mlp) and its
// verification of exact ray claims from breakpoints and activation patterns
// (PROOFS.md, "Ray restriction"). No code is shared with lib/exact's walk.
#pragma once
#include "fields.hpp"

namespace advdir::check::detail {

struct AffineMap {
  std::vector<Vec> W;
  Vec b;
};

// ReLU after every layer but the last; the last layer's outputs o decide the label.
struct Net {
  std::string kind;
  std::vector<AffineMap> layers;
  mpq_class threshold;  // relu_sum (0), relu2
  bool ge = false;      // relu2 rule "ge"
  std::size_t dim() const { return layers.front().W.front().size(); }
  std::size_t outputs() const { return layers.back().W.size(); }
};

Net read_net(const json& model, std::size_t d);

int net_label(const Net& net, const Vec& x);

// The last layer's outputs at x (ReLU between layers), exactly.
Vec outputs_at(const Net& net, const Vec& x);

// The labels whose region is convex, with the reason (Lemma 13, Lemma 14, R'', linear).
struct ConvexRegion {
  int label;
  std::string why;
};
std::vector<ConvexRegion> convex_regions(const Net& net);

// A claim about the ray x + c v, c >= 0: label_before, adversarial, c_exit,
// differs_at_exit, label_after and "pieces" [{"from": c_i, "pattern": [one '0'/'1'
// string per hidden layer]}], which must cover [0, c_exit] (or [0, inf)).
void verify_ray_claim(const Net& net, const Vec& x, const Vec& v, const json& claim, const std::string& at);

}  // namespace advdir::check::detail
