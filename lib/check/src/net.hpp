// The checker's own piecewise-linear nets (relu_sum, relu2, relu_and, mlp, graph) and its
// verification of exact ray claims from breakpoints and activation patterns
// (PROOFS.md, "Ray restriction"). Every net is evaluated as one graph of nodes, by index
// loops written here; no code is shared with lib/exact's walk.
#pragma once
#include "fields.hpp"

namespace advdir::check::detail {

struct AffineMap {
  std::vector<Vec> W;
  Vec b;
};

// A node of the graph (the kinds of lib/exact's graph format, read here on their own).
struct NetNode {
  std::string op;                   // dense conv scale add gather relu maxpool avgpool
  std::vector<std::size_t> inputs;  // 0: the net's input; k + 1: node k's output
  std::size_t size = 0;             // entries of the output
  AffineMap affine;                 // dense: W, b; scale: W one row of a, b = c
  Vec kernel, bias;                 // conv
  std::size_t channels = 0, height = 0, width = 0, kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  std::size_t pt = 0, pl = 0, pb = 0, pr = 0, oh = 0, ow = 0, out_channels = 0, group = 1;
  bool include_pad = false;         // avgpool
  std::vector<int> signs;           // add
  std::vector<std::pair<std::size_t, long long>> source;  // gather
};

// A net: for the layered kinds, `layers` (ReLU after every layer but the last), made into
// dense and relu nodes; the last node's outputs o decide the label.
struct Net {
  std::string kind;
  std::vector<AffineMap> layers;
  std::vector<NetNode> nodes;
  std::size_t input = 0;
  std::string decision;  // sign, argmax, above, at_least, all_positive
  mpq_class threshold;   // relu_sum (0), relu2, graph's above / at_least
  std::size_t dim() const { return input; }
  std::size_t outputs() const { return nodes.back().size; }
};

Net read_net(const json& model, std::size_t d);
// The layered net's nodes and decision, once `layers` and kind are set.
void as_graph(Net& net);

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
// differs_at_exit, label_after and "pieces" [{"from": c_i, "pattern": [...]}], which must
// cover [0, c_exit] (or [0, inf)). A pattern has one entry per relu and maxpool node, in
// order: a '0'/'1' string (a layered net's hidden layers), or per window the kernel cell
// (row-major) of its largest entry.
void verify_ray_claim(const Net& net, const Vec& x, const Vec& v, const json& claim, const std::string& at);

}  // namespace advdir::check::detail
