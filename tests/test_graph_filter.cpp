#define BOOST_TEST_MODULE graph_filter
// The float-first filter of graph labels (lib/enclose): its enclosures must contain the
// exact outputs (GraphEngine, itself tested against an independent Fraction evaluation in
// graph_onnx) on random convnets with residual sums, pools, non-dyadic weights and
// cancellation; its labels must equal the exact ones; ties and near-ties must fall back.
#include "advdir/enclose/graph_filter.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace advdir;
using exact::Graph;
using exact::GraphNode;
using exact::Op;
using exact::Vector;

namespace {

exact::Window2d square(std::size_t c, std::size_t hw, std::size_t k, std::size_t stride, std::size_t pad) {
  exact::Window2d w{c, hw, hw, k, k, stride, stride, 1, 1, pad, pad, pad, pad};
  w.out_h = w.out_w = exact::window_positions(hw, k, stride, 1, pad, pad, false);
  return w;
}

// Weights of four kinds: doubles, thirds and tenths (no double), and large ones that cancel.
struct Weights {
  std::mt19937& rng;
  int kind;
  mpq_class operator()() {
    std::uniform_int_distribution<int> k(-9, 9);
    const int a = k(rng), b = k(rng);  // in this order on every compiler
    switch (kind) {
      case 0: return mpq_class(std::ldexp(double(a) + 0.1 * b, -3));
      case 1: return mpq_class(a) / 3;
      case 2: return mpq_class(a) / 10;
      default: return mpq_class(a) * (mpz_class(1) << 40) + mpq_class(b) / 7;
    }
  }
  Vector operator()(std::size_t n) {
    Vector v;
    for (std::size_t i = 0; i < n; ++i) v.push_back((*this)());
    return v;
  }
};

// 2x6x6 -> conv 2-3 k3 p1 (group 1) -> scale -> relu -> [conv 3-3 k3 p1 group 3] + skip ->
// maxpool 2 or avgpool 3 p1 s2 -> gather (flatten, reversed) -> dense -> relu -> dense (4 outputs).
Graph random_graph(std::mt19937& rng, int kind, bool max_pool) {
  Weights w{rng, kind};
  Graph g{{1, 2, 6, 6}, {}, exact::Decision::argmax, 0};
  GraphNode c1 = exact::graph_node("c1", Op::conv, {0}, {1, 3, 6, 6});
  c1.window = square(2, 6, 3, 1, 1), c1.out_channels = 3, c1.weights = w(3 * 2 * 9), c1.bias = w(3);
  GraphNode s = exact::graph_node("s", Op::scale, {1}, {1, 3, 6, 6});
  s.weights = w(108), s.bias = w(108);
  GraphNode r1 = exact::graph_node("r1", Op::relu, {2}, {1, 3, 6, 6});
  GraphNode c2 = exact::graph_node("c2", Op::conv, {3}, {1, 3, 6, 6});
  c2.window = square(3, 6, 3, 1, 1), c2.out_channels = 3, c2.group = 3, c2.weights = w(3 * 9), c2.bias = {};
  GraphNode add = exact::graph_node("add", Op::add, {4, 3}, {1, 3, 6, 6});
  add.signs = {1, -1};
  GraphNode pool = exact::graph_node("pool", max_pool ? Op::maxpool : Op::avgpool, {5}, {1, 3, 3, 3});
  pool.window = max_pool ? square(3, 6, 2, 2, 0) : square(3, 6, 3, 2, 1);
  pool.count_include_pad = kind % 2 == 0;
  GraphNode flat = exact::graph_node("flat", Op::gather, {6}, {27});
  for (std::ptrdiff_t i = 26; i >= 0; --i) flat.source.emplace_back(0, i);
  GraphNode d1 = exact::graph_node("d1", Op::dense, {7}, {5});
  for (int r = 0; r < 5; ++r) d1.W.push_back(w(27));
  d1.bias = w(5);
  GraphNode r2 = exact::graph_node("r2", Op::relu, {8}, {5});
  GraphNode d2 = exact::graph_node("d2", Op::dense, {9}, {4});
  for (int r = 0; r < 4; ++r) d2.W.push_back(w(5));
  d2.bias = w(4);
  g.nodes = {c1, s, r1, c2, add, pool, flat, d1, r2, d2};
  exact::validate(g, "random");
  return g;
}

Vector random_point(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> k(-50, 50);
  Vector x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(i % 3 == 0 ? mpq_class(k(rng)) / 7 : mpq_class(double(k(rng)) / 64));
  return x;
}

}  // namespace

BOOST_AUTO_TEST_CASE(enclosures_contain_the_exact_outputs) {
  std::mt19937 rng(11);
  std::size_t decided = 0, points = 0;
  for (int trial = 0; trial < 24; ++trial) {
    const Graph g = random_graph(rng, trial % 4, trial % 3 != 0);
    const exact::GraphEngine engine(g);
    const enclose::GraphFilter filter(g);
    BOOST_REQUIRE(filter.usable());
    for (int p = 0; p < 5; ++p, ++points) {
      const Vector x = random_point(rng, g.input_dim());
      const Vector exact_y = engine.outputs(x);
      const std::optional<enclose::Enclosed> y = filter.outputs(x);
      BOOST_REQUIRE(y.has_value());
      for (std::size_t m = 0; m < exact_y.size(); ++m) {
        const mpq_class err = abs(exact_y[m] - mpq_class(y->value[m]));
        BOOST_TEST(err <= mpq_class(y->bound[m]), "trial " << trial << " output " << m);
        // and useful where weights do not cancel by design: within 2^-20 of the outputs' scale
        if (trial % 4 != 3) BOOST_TEST(y->bound[m] <= 0x1p-20 * (1 + std::fabs(y->value[m])));
      }
      const std::optional<int> l = filter.label(x);
      if (!l) continue;
      BOOST_TEST(*l == engine.label(x));
      ++decided;
    }
  }
  BOOST_TEST_MESSAGE(decided << " of " << points << " labels decided by the filter");
  BOOST_TEST(decided * 10 >= points * 9);
}

// Sums that lose a unit to rounding (2^53 + 1 - 2^53 is 2, rounded upward) in every kind
// of affine node: the enclosure must still hold the exact value, which the doubles miss.
BOOST_AUTO_TEST_CASE(rounding_errors_are_enclosed) {
  const mpq_class big(mpz_class(1) << 53);
  auto check = [&](Graph g, const Vector& x, const char* what) {
    exact::validate(g, what);
    const Vector exact_y = exact::GraphEngine(g).outputs(x);
    const std::optional<enclose::Enclosed> y = enclose::GraphFilter(g).outputs(x);
    BOOST_REQUIRE(y.has_value());
    BOOST_TEST(mpq_class(y->value[0]) != exact_y[0], what << ": the doubles lost nothing");
    BOOST_TEST(abs(exact_y[0] - mpq_class(y->value[0])) <= mpq_class(y->bound[0]), what);
  };
  Graph dense{{3}, {}, exact::Decision::sign, 0};
  GraphNode d = exact::graph_node("d", Op::dense, {0}, {1});
  d.W = {{big, 1, -big}}, d.bias = {0};
  dense.nodes = {d};
  check(dense, {1, 1, 1}, "dense");
  Graph conv{{1, 1, 1, 3}, {}, exact::Decision::sign, 0};
  GraphNode c = exact::graph_node("c", Op::conv, {0}, {1, 1, 1, 1});
  c.window = {1, 1, 3, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1}, c.out_channels = 1, c.weights = {big, 1, -big}, c.bias = {0};
  conv.nodes = {c};
  check(conv, {1, 1, 1}, "conv");
  Graph scale{{1}, {}, exact::Decision::sign, 0};
  GraphNode s = exact::graph_node("s", Op::scale, {0}, {1});
  s.weights = {big}, s.bias = {1};
  scale.nodes = {s};
  check(scale, {1}, "scale");
  Graph add{{2}, {}, exact::Decision::sign, 0};
  GraphNode g0 = exact::graph_node("g0", Op::gather, {0}, {1}), g1 = exact::graph_node("g1", Op::gather, {0}, {1});
  g0.source = {{0, 0}}, g1.source = {{0, 1}};
  GraphNode sum = exact::graph_node("sum", Op::add, {1, 2}, {1});
  sum.signs = {1, 1};
  add.nodes = {g0, g1, sum};
  check(add, {big, 1}, "add");
  Graph avg{{1, 1, 1, 3}, {}, exact::Decision::sign, 0};
  GraphNode a = exact::graph_node("a", Op::avgpool, {0}, {1, 1, 1, 1});
  a.window = {1, 1, 3, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1};
  avg.nodes = {a};
  check(avg, {big, 1, -big}, "avgpool");
}

// y0 = y1 exactly: the box cannot decide, the exact engine does (the first largest).
BOOST_AUTO_TEST_CASE(ties_fall_back_to_the_exact_engine) {
  Graph g{{2}, {}, exact::Decision::argmax, 0};
  GraphNode d = exact::graph_node("d", Op::dense, {0}, {2});
  d.W = {{mpq_class(1, 3), mpq_class(1, 10)}, {mpq_class(1, 10), mpq_class(1, 3)}}, d.bias = {0, 0};
  g.nodes = {d};
  const enclose::FilteredLabeler labeler(g);
  BOOST_TEST(labeler.label({mpq_class(5, 7), mpq_class(5, 7)}) == 0);  // a tie: output 0, the first
  BOOST_TEST(labeler.fallbacks() == 1u);
  // past the tie by 2^-80 of a unit: still too close for doubles, exactly output 1
  BOOST_TEST(labeler.label({mpq_class(5, 7), mpq_class(5, 7) + mpq_class(1, mpz_class(1) << 80)}) == 1);
  BOOST_TEST(labeler.fallbacks() == 2u);
  BOOST_TEST(labeler.label({mpq_class(5, 7), mpq_class(6, 7)}) == 1);
  BOOST_TEST(labeler.fallbacks() == 2u);
  BOOST_TEST(labeler.calls() == 3u);
}

// Each decision rule on boxes: decided only when every corner agrees.
BOOST_AUTO_TEST_CASE(boxes_decide_by_each_rule) {
  using exact::Decision;
  const enclose::Enclosed near_zero{{0.5}, {0.5}}, above{{0.5}, {0.25}}, below{{-1}, {1}};
  BOOST_TEST(!enclose::decide_box(Decision::sign, 0, near_zero).has_value());  // [0, 1]: 0 is -1, 1 is +1
  BOOST_TEST(*enclose::decide_box(Decision::sign, 0, above) == 1);
  BOOST_TEST(*enclose::decide_box(Decision::sign, 0, below) == -1);  // [-2, 0]
  BOOST_TEST(*enclose::decide_box(Decision::at_least, mpq_class(1, 4), above) == 1);  // [1/4, 3/4] >= 1/4
  BOOST_TEST(!enclose::decide_box(Decision::above, mpq_class(1, 4), above).has_value());
  BOOST_TEST(*enclose::decide_box(Decision::above, mpq_class(3, 4), above) == -1);
  BOOST_TEST(!enclose::decide_box(Decision::at_least, mpq_class(3, 4), above).has_value());
  BOOST_TEST(*enclose::decide_box(Decision::all_positive, 0, {{1, 2}, {0.5, 0.5}}) == 1);
  BOOST_TEST(*enclose::decide_box(Decision::all_positive, 0, {{1, -2}, {0.5, 1}}) == -1);
  BOOST_TEST(!enclose::decide_box(Decision::all_positive, 0, {{1, 0.5}, {0.5, 1}}).has_value());
  // argmax, the first largest: output 1 beats output 0 strictly, and may tie output 2 (later)
  BOOST_TEST(*enclose::decide_box(Decision::argmax, 0, {{0, 2, 1}, {0.5, 0.5, 0.5}}) == 1);
  BOOST_TEST(!enclose::decide_box(Decision::argmax, 0, {{1, 2, 0}, {0.5, 0.5, 0}}).has_value());
}

// Weights below 2^-1000 leave the doubles' safe range: the filter declines, the labeler is exact.
BOOST_AUTO_TEST_CASE(tiny_weights_disable_the_filter) {
  Graph g{{1}, {}, exact::Decision::sign, 0};
  GraphNode d = exact::graph_node("d", Op::dense, {0}, {1});
  d.W = {{mpq_class(1, mpz_class(1) << 1100)}}, d.bias = {0};
  g.nodes = {d};
  const enclose::GraphFilter filter(g);
  BOOST_TEST(!filter.usable());
  BOOST_TEST(!filter.label({1}).has_value());
  const enclose::FilteredLabeler labeler(g);
  BOOST_TEST(labeler.label({1}) == 1);
  BOOST_TEST(labeler.label({-1}) == -1);
  BOOST_TEST(labeler.fallbacks() == 2u);
}
