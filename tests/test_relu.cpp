#define BOOST_TEST_MODULE relu
// Exact ray restriction of ReLU nets: hand-derived rays, random nets against exact
// evaluation at the breakpoints and around the exit, and against z3's real arithmetic;
// malformed nets.
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/relu.hpp"

#include <boost/test/unit_test.hpp>
#include <z3++.h>

#include <functional>
#include <random>

using namespace advdir;
using namespace advdir::exact;

namespace {

// PROOFS.md, Section 6: f(x) = relu(x_2 - 1/2) + relu(-x_2 - 1/2), a = 1/4, rule "gt".
ReluNet paper_net() {
  return relu_net_from_json(json::parse(R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"],
                                            "v": ["1", "1"], "threshold": "1/4", "rule": "gt"})"),
                            "section6");
}

Vector along(const Vector& x, const Vector& v, const mpq_class& c) {
  Vector p(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) p[i] = x[i] + c * v[i];
  return p;
}

// A random net with small rational weights: widths[0] inputs, then the layer sizes.
ReluNet random_net(std::mt19937& rng, const std::vector<std::size_t>& widths) {
  std::uniform_int_distribution<int> num(-6, 6), den(1, 4);
  json layers = json::array();
  for (std::size_t L = 1; L < widths.size(); ++L) {
    json W = json::array(), b = json::array();
    for (std::size_t r = 0; r < widths[L]; ++r) {
      json row = json::array();
      for (std::size_t c = 0; c < widths[L - 1]; ++c) row.push_back(to_string(mpq_class(num(rng), den(rng))));
      W.push_back(row);
      b.push_back(to_string(mpq_class(num(rng), den(rng))));
    }
    layers.push_back({{"W", W}, {"b", b}});
  }
  return relu_net_from_json({{"kind", "mlp"}, {"layers", layers}}, "random");
}

// The claims of a ray, checked by exact evaluation: the label is kept at 0, at every
// breakpoint and between them up to c_exit; at c_exit it differs iff differs_at_exit;
// just past c_exit it is label_after; with no exit it is kept far out.
void evaluate_ray(const ReluNet& net, const Vector& x, const Vector& v, const NetRay& r) {
  BOOST_TEST(net.label(x) == r.label_before);
  std::vector<mpq_class> ts = r.breakpoints;
  mpq_class last = 0;
  for (const mpq_class& b : r.breakpoints) ts.push_back((last + b) / 2), last = b;
  for (const mpq_class& t : ts) BOOST_TEST(net.label(along(x, v, t)) == r.label_before);
  if (!r.adversarial) {
    for (const mpq_class& t : std::vector<mpq_class>{last + 1, last * 2 + 1000, 1000000})
      BOOST_TEST(net.label(along(x, v, t)) == r.label_before);
    return;
  }
  BOOST_TEST(r.c_exit >= last);
  if (r.c_exit > 0) BOOST_TEST(net.label(along(x, v, (last + r.c_exit) / 2)) == r.label_before);
  BOOST_TEST((net.label(along(x, v, r.c_exit)) != r.label_before) == r.differs_at_exit);
  BOOST_TEST(net.label(along(x, v, r.c_exit + mpq_class(1, 1000000000))) == r.label_after);
}

// z3 with exact reals: the net's outputs along x + c v as ite-ReLUs.
void z3_confirms(const ReluNet& net, const Vector& x, const Vector& v, const NetRay& r) {
  z3::context z;
  const z3::expr c = z.real_const("c");
  auto real = [&](const mpq_class& q) { return z.real_val(to_string(q).c_str()); };
  std::vector<z3::expr> a;
  for (std::size_t i = 0; i < x.size(); ++i) a.push_back(real(x[i]) + c * real(v[i]));
  for (std::size_t L = 0; L < net.layers.size(); ++L) {
    std::vector<z3::expr> next;
    for (std::size_t m = 0; m < net.layers[L].W.size(); ++m) {
      z3::expr s = real(net.layers[L].b[m]);
      for (std::size_t i = 0; i < a.size(); ++i) s = s + real(net.layers[L].W[m][i]) * a[i];
      next.push_back(L + 1 < net.layers.size() ? z3::ite(s > 0, s, z.real_val(0)) : s);
    }
    a = std::move(next);
  }
  // The label differs from the one at x: the first output with a strict win over the
  // before-class when it comes earlier, or a weak one when it comes later (argmax), or the sign.
  z3::expr differs = z.bool_val(false);
  if (net.decision == Decision::sign) {
    differs = r.label_before > 0 ? a[0] <= 0 : a[0] > 0;
  } else {
    const std::size_t k = std::size_t(r.label_before);
    for (std::size_t m = 0; m < a.size(); ++m)
      if (m != k) differs = differs || (m < k ? a[m] >= a[k] : a[m] > a[k]);
  }
  auto check = [&](const z3::expr& e) {
    z3::solver s(z);
    s.add(e);
    return s.check();
  };
  const z3::expr limit = r.adversarial ? c < real(r.c_exit) : c < real(1000000);
  BOOST_TEST((check(c >= 0 && limit && differs) == z3::unsat));
  if (r.adversarial) BOOST_TEST((check(c > real(r.c_exit) && c < real(r.c_exit + mpq_class(1, 1000000)) && differs) == z3::sat));
}

}  // namespace

BOOST_AUTO_TEST_CASE(section6_rays_by_hand) {
  const ReluNet net = paper_net();
  // Along w* = (1,0) from (0,0): f stays 0 <= 1/4, no c changes the label.
  const NetRay flat = net_ray(net, {0, 0}, {1, 0});
  BOOST_TEST(flat.label_before == -1);
  BOOST_TEST(!flat.adversarial);
  // Along (2,1): f(c(2,1)) = relu(c - 1/2) > 1/4 exactly for c > 3/4; the first unit's kink is at 1/2.
  const NetRay up = net_ray(net, {0, 0}, {2, 1});
  BOOST_TEST(up.adversarial);
  BOOST_TEST(up.c_exit == mpq_class(3, 4));
  BOOST_TEST(!up.differs_at_exit);
  BOOST_TEST(up.label_after == 1);
  BOOST_TEST((up.breakpoints == std::vector<mpq_class>{mpq_class(1, 2)}));
}

// R'': +1 iff x_1 > 0 and x_2 > 0. From (1,2) along (-1,-1) the first unit reaches 0 at c = 1.
BOOST_AUTO_TEST_CASE(relu_and_by_hand) {
  const ReluNet net = relu_net_from_json(json::parse(R"({"kind": "relu_and", "W": [["1", "0"], ["0", "1"]], "b": ["0", "0"]})"), "and");
  const NetRay r = net_ray(net, {1, 2}, {-1, -1});
  BOOST_TEST(r.label_before == 1);
  BOOST_TEST(r.c_exit == 1);
  BOOST_TEST(r.differs_at_exit);
  BOOST_TEST(r.label_after == -1);
  BOOST_TEST(!net_ray(net, {1, 2}, {1, 0}).adversarial);
}

BOOST_AUTO_TEST_CASE(random_nets_against_evaluation_and_z3) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coord(-5, 5);
  int exits = 0, kinks = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::vector<std::size_t> widths = trial % 3 == 0   ? std::vector<std::size_t>{2, 4, 1}
                                            : trial % 3 == 1 ? std::vector<std::size_t>{3, 5, 4, 3}
                                                             : std::vector<std::size_t>{2, 3, 3, 1};
    const ReluNet net = random_net(rng, widths);
    Vector x(widths[0]), v(widths[0]);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = mpq_class(coord(rng), 2), v[i] = coord(rng);
    const NetRay r = net_ray(net, x, v);
    evaluate_ray(net, x, v, r);
    if (trial < 30) z3_confirms(net, x, v, r);
    exits += r.adversarial;
    kinks += int(r.breakpoints.size());
  }
  BOOST_TEST_MESSAGE(exits << " of 60 rays leave, " << kinks << " breakpoints walked");
  BOOST_TEST(exits > 10);
  BOOST_TEST(kinks > 30);
}

// Weights beyond 64 bits, and points beyond them: the walk leaves its 128-bit products for
// FLINT's, with the same answers as exact evaluation.
BOOST_AUTO_TEST_CASE(random_nets_with_huge_numbers) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> coord(-5, 5);
  const mpz_class huge = mpz_class(1) << 90;
  for (int trial = 0; trial < 20; ++trial) {
    ReluNet net = random_net(rng, trial % 2 ? std::vector<std::size_t>{3, 4, 3} : std::vector<std::size_t>{2, 4, 4, 1});
    for (Layer& l : net.layers)
      for (Vector& row : l.W) row[0] *= mpq_class(huge + 1, huge);
    Vector x(net.input_dim()), v(net.input_dim());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = mpq_class(coord(rng) * huge + 1, huge), v[i] = coord(rng);
    evaluate_ray(net, x, v, net_ray(net, x, v));
  }
}

// The graph engine sums products in 128 bits only where bit lengths prove they fit: weights
// and inputs of 2^a + 1 and 2^b - 1 on both sides of the bound (a + b + bits(n) = 126),
// against the outputs summed by hand in GMP's rationals.
BOOST_AUTO_TEST_CASE(graph_sums_at_the_128_bit_bound) {
  for (unsigned a = 55; a <= 66; ++a)
    for (unsigned n : {1u, 3u, 4u, 7u}) {
      const unsigned b = 126 - a - (n >= 4 ? 3 : n >= 2 ? 2 : 1) + (a % 3) - 1;  // one below, at, one above the bound
      const mpz_class big_w = (mpz_class(1) << a) + 1, big_x = (mpz_class(1) << b) - 1;
      Graph g{{n}, {}, Decision::argmax, 0};
      GraphNode d = graph_node("dense", Op::dense, {0}, {2});
      d.W = {Vector(n, mpq_class(big_w)), Vector(n, mpq_class(-big_w) / 3)};
      for (std::size_t i = 0; i < n; i += 2) d.W[1][i] = mpq_class(big_w) / 5;
      d.bias = {1, mpq_class(-1, 7)};
      g.nodes.push_back(d);
      const Vector x(n, mpq_class(big_x));
      Vector expected = d.bias;
      for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t i = 0; i < n; ++i) expected[r] += d.W[r][i] * x[i];
      BOOST_TEST((GraphEngine(g).outputs(x) == expected), "a = " << a << ", b = " << b << ", n = " << n);
    }
}

BOOST_AUTO_TEST_CASE(malformed_nets_are_refused) {
  auto refused = [](const char* text, const std::string& why) {
    try {
      relu_net_from_json(json::parse(text), "net.json");
    } catch (const InputError& e) {
      BOOST_TEST(std::string(e.what()).find(why) != std::string::npos, e.what());
      return;
    }
    BOOST_ERROR("accepted: " << text);
  };
  refused(R"({"kind": "mlp", "layers": []})", "empty");
  refused(R"({"kind": "mlp", "layers": [{"W": [["1", "2"], ["1"]], "b": ["0", "0"]}]})", "ragged");
  refused(R"({"kind": "mlp", "layers": [{"W": [["1", "2"]], "b": ["0"]}, {"W": [["1", "2"]], "b": ["0"]}]})", "layer size mismatch");
  refused(R"({"kind": "relu2", "W": [["1"]], "b": ["0"], "v": ["1", "1"], "threshold": "0", "rule": "gt"})", "v has 2");
  refused(R"({"kind": "relu2", "W": [["1"]], "b": ["0"], "v": ["1"], "threshold": "0", "rule": "gte"})", "rule");
  refused(R"({"kind": "mlp", "layers": [{"W": [["1/0"]], "b": ["0"]}]})", "W");
  refused(R"({"kind": "cnn"})", "kind");
}

// Theorem 16 on R'' = {x_1 > 0, x_2 > 0}: S[+1] = (1,1), (2,3), (3,1); S[-1] = (-1,2), (2,-1),
// (-2,-2). x_alpha = (1,1); the nearest -1 points tie at distance^2 5, the first is (-1,2):
// v = (-2,1), only unit 1 (x_1) decreases, c_exit = x_1 / 2.
BOOST_AUTO_TEST_CASE(theorem16_by_hand_and_checked) {
  const Dataset S = make_dataset({{1, 1}, {2, 3}, {3, 1}, {-1, 2}, {2, -1}, {-2, -2}}, {1, 1, 1, -1, -1, -1}, "S");
  const json model = json::parse(R"({"kind": "relu_and", "W": [["1", "0"], ["0", "1"]], "b": ["0", "0"]})");
  const ReluNet net = relu_net_from_json(model, "and");
  const Theorem16 t = certify_theorem16(S, net, std::nullopt, std::nullopt);
  BOOST_TEST(t.alpha == 0u);
  BOOST_TEST(t.beta == 3u);
  BOOST_REQUIRE(t.exits.size() == 3u);
  BOOST_TEST(t.exits[0].c_exit == mpq_class(1, 2));
  BOOST_TEST(t.exits[2].c_exit == mpq_class(3, 2));
  for (const auto& e : t.exits) {
    BOOST_TEST(e.unit == 0u);
    // Against the ray walk: the same exit, reached at c_exit itself.
    const NetRay r = net_ray(net, S.point(e.point), {-2, 1});
    BOOST_TEST(r.c_exit == e.c_exit);
    BOOST_TEST(r.differs_at_exit);
  }
  const json cert = theorem16_certificate(inline_data(S), model, t);
  BOOST_TEST_REQUIRE(check::check_certificate(cert, ".").valid);
  const std::vector<std::function<void(json&)>> damage = {
      [](json& c) { c["exits"][1]["c_exit"] = "2"; },
      [](json& c) { c["exits"][1]["unit"] = 1; },
      [](json& c) { c["exits"].erase(2); },
      [](json& c) { c["alpha"] = 3, c["beta"] = 0; },
      [](json& c) { c["beta"] = 5; },  // v = (-3,-3): unit 2 vanishes first at (3,1)
      [](json& c) { c["model"]["b"][0] = "-2"; },
      [](json& c) { c["model"]["kind"] = "mlp"; },
  };
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!check::check_certificate(bad, ".").valid, "damage " << m << " was accepted");
  }
  BOOST_CHECK_THROW(certify_theorem16(S, relu_net_from_json(json::parse(R"({"kind": "relu_and", "W": [["1", "0"]], "b": ["0"]})"), "x"),
                                      std::nullopt, std::nullopt),
                    HypothesisError);
  BOOST_CHECK_THROW(certify_theorem16(S, net, std::size_t(3), std::nullopt), InputError);
}

// Theorem 15 on Section 6: x_alpha = (0,0) (the only -1 point), x_beta = (2,1) (ties with
// (2,-1), the first is kept): D = 1/2, K = 0, c_bound = max(1, (1/4 - 0 + 0) / (1/2)) = 1,
// and the exact exit 3/4 <= 1.
BOOST_AUTO_TEST_CASE(theorem15_by_hand_and_checked) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "section6");
  const json model = json::parse(R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"],
                                     "v": ["1", "1"], "threshold": "1/4", "rule": "gt"})");
  const Theorem15 t = certify_theorem15(S, relu_net_from_json(model, "s6"), std::nullopt, std::nullopt);
  BOOST_TEST(t.alpha == 0u);
  BOOST_TEST(t.beta == 1u);
  BOOST_TEST(t.D == mpq_class(1, 2));
  BOOST_REQUIRE(t.points.size() == 1u);
  BOOST_TEST(t.points[0].K == 0);
  BOOST_TEST(t.points[0].c_bound == 1);
  BOOST_TEST(t.points[0].c_exit == mpq_class(3, 4));
  BOOST_TEST(!t.points[0].differs_at_exit);
  const json cert = theorem15_certificate(inline_data(S), model, t);
  BOOST_TEST_REQUIRE(check::check_certificate(cert, ".").valid);
  const std::vector<std::function<void(json&)>> damage = {
      [](json& c) { c["points"][0]["K"] = "1"; },
      [](json& c) { c["points"][0]["c_bound"] = "1/2"; },
      [](json& c) { c["points"][0]["c_exit"] = "1"; },
      [](json& c) { c["points"][0]["differs_at_exit"] = true; },
      [](json& c) { c["D"] = "1"; },
      [](json& c) { c["alpha"] = 1, c["beta"] = 0; },
      [](json& c) { c["model"]["v"][1] = "-1"; },
      [](json& c) { c["model"]["rule"] = "ge"; },  // then (1/2 - 1/4 > 0) ... the exit is 3/4 at which f = a: differs
      [](json& c) { c["points"].clear(); },
  };
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!check::check_certificate(bad, ".").valid, "damage " << m << " was accepted");
  }
  json negative = model;
  negative["v"][1] = "-1";
  BOOST_CHECK_THROW(certify_theorem15(S, relu_net_from_json(negative, "neg"), std::nullopt, std::nullopt), HypothesisError);
}

// Section 6's S and net with a test set T = {((0,1/4),-1), ((0,2),-1), ((3,0),+1)}. At
// (0,1/4): K = |1/4| + |-1/4| = 1/2, c_bound = (1/4 + 1/2) / (1/2) = 3/2, and along
// v = (2,1) f = relu(c - 1/4) passes 1/4 at c_exit = 1/2. The net labels (0,2) +1 (f = 3/2).
// Along w* = (1,0) f stays 0 at (0,0) and at (0,1/4): the max-margin direction never
// leaves -1 (Figure 3).
BOOST_AUTO_TEST_CASE(theorem15_on_a_test_set_beside_the_max_margin_direction) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "section6");
  const Dataset T = make_dataset({{0, mpq_class(1, 4)}, {0, 2}, {3, 0}}, {-1, -1, 1}, "test");
  const json model = json::parse(R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"],
                                     "v": ["1", "1"], "threshold": "1/4", "rule": "gt"})");
  const ReluNet net = relu_net_from_json(model, "s6");
  const Theorem15 t = certify_theorem15(S, net, std::nullopt, std::nullopt, &T);
  BOOST_REQUIRE(t.test_points.size() == 1u);
  BOOST_TEST(t.test_points[0].point == 0u);
  BOOST_TEST(t.test_points[0].K == mpq_class(1, 2));
  BOOST_TEST(t.test_points[0].c_bound == mpq_class(3, 2));
  BOOST_TEST(t.test_points[0].c_exit == mpq_class(1, 2));
  BOOST_TEST(!t.test_points[0].differs_at_exit);
  BOOST_TEST((t.test_misclassified == std::vector<std::size_t>{1}));
  const MaxMarginRays mm = max_margin_rays(S, &T, net, t, bridge::max_margin_separator(S).separator);
  BOOST_TEST((mm.sep.w_star == Vector{1, 0}));
  BOOST_REQUIRE(mm.rays.size() == 2u);
  BOOST_TEST(!mm.rays[0].adversarial);
  BOOST_TEST(!mm.rays[1].adversarial);
  const json cert = theorem15_certificate(inline_data(S), model, t, inline_data(T), &mm);
  BOOST_TEST_REQUIRE(check::check_certificate(cert, ".").valid, check::check_certificate(cert, ".").reason);
  const std::vector<std::function<void(json&)>> damage = {
      [](json& c) { c["test_points"][0]["K"] = "1"; },
      [](json& c) { c["test_points"][0]["c_exit"] = "1"; },
      [](json& c) { c["test_points"].clear(); },
      [](json& c) { c["test_misclassified"].clear(); },
      [](json& c) { c["test_misclassified"] = {0}; },
      [](json& c) { c["max_margin"]["exits"][1] = {{"c_exit", "1"}, {"differs_at_exit", false}}; },
      [](json& c) { c["max_margin"]["exits"].erase(1); },
      [](json& c) { c["max_margin"]["w_star"] = {"2", "0"}; },
  };
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!check::check_certificate(bad, ".").valid, "damage " << m << " was accepted");
  }
}

// The largest c_bound of a pair, from f and K computed directly.
// Naively, per pair (a, b): the largest c_bound over S[-1], from every point's projections
// <u_j, x> and outputs f(x), computed once.
struct NaiveCBound {
  const Dataset& S;
  const ReluNet& net;
  std::vector<Vector> proj;
  Vector f;
  NaiveCBound(const Dataset& S_, const ReluNet& net_) : S(S_), net(net_) {
    const Layer& L = net.layers[0];
    for (std::size_t i = 0; i < S.size(); ++i) {
      proj.emplace_back(), f.push_back(0);
      for (std::size_t j = 0; j < L.W.size(); ++j) {
        proj[i].push_back(dot(L.W[j], S.point(i)));
        f[i] += net.layers[1].W[0][j] * std::max(mpq_class(0), mpq_class(proj[i][j] + L.b[j]));
      }
    }
  }
  mpq_class largest(std::size_t a, std::size_t b) const {
    mpq_class largest = 1;
    for (std::size_t i = 0; i < S.size(); ++i) {
      if (S.labels[i] != -1) continue;
      mpq_class K = 0;
      for (std::size_t j = 0; j < proj[i].size(); ++j) K += net.layers[1].W[0][j] * abs(mpq_class(proj[i][j] - proj[a][j]));
      largest = std::max(largest, mpq_class((net.threshold - f[a] + K) / (f[b] - f[a])));
    }
    return largest;
  }
};

// Random nets of R' (v >= 0) on points they label themselves: every certificate checks,
// under both rules, and the pair kept is the first of least largest c_bound, by brute force.
// With 8 points in the plane and 3 units every -1 point is a pivot of the pair search; with
// 64 points in d = 6 and 12 units most are not, and the pivots' bounds are loose.
BOOST_AUTO_TEST_CASE(theorem15_random_nets_checked) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> num(-6, 6), den(1, 3), weight(0, 3), coord(-4, 4);
  int certified = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const bool large = trial >= 40;
    const int d = large ? 6 : 2, units = large ? 12 : 3;
    json W = json::array(), b = json::array(), v = json::array();
    for (int j = 0; j < units; ++j) {
      W.push_back(json::array());
      for (int k = 0; k < d; ++k) W.back().push_back(to_string(mpq_class(num(rng), den(rng))));
      b.push_back(to_string(mpq_class(num(rng), den(rng))));
      v.push_back(std::to_string(weight(rng)));
    }
    json model = {{"kind", "relu2"}, {"W", W}, {"b", b}, {"v", v}, {"threshold", to_string(mpq_class(weight(rng) + 1, 2))},
                  {"rule", trial % 2 ? "gt" : "ge"}};
    std::vector<Vector> points;
    for (int i = 0; i < (large ? 64 : 8); ++i) {
      points.emplace_back();
      for (int k = 0; k < d; ++k) points.back().push_back(mpq_class(coord(rng), den(rng)));
    }
    if (large) {  // the threshold at the median output, so that both labels are common
      Vector f;
      for (const Vector& x : points) f.push_back(net_outputs(relu_net_from_json(model, "random"), x)[0]);
      std::sort(f.begin(), f.end());
      model["threshold"] = to_string(f[f.size() / 2] > 0 ? f[f.size() / 2] : mpq_class(1, 2));
    }
    const ReluNet net = relu_net_from_json(model, "random");
    std::vector<int> labels;
    for (const Vector& x : points) labels.push_back(net.label(x));
    if (std::count(labels.begin(), labels.end(), 1) == 0 || std::count(labels.begin(), labels.end(), -1) == 0) continue;
    const Dataset S = make_dataset(points, labels, "random");
    const Theorem15 t = certify_theorem15(S, net, std::nullopt, std::nullopt);
    const check::Verdict verdict = check::check_certificate(theorem15_certificate(inline_data(S), model, t), ".");
    BOOST_TEST(verdict.valid, verdict.reason);
    std::optional<std::pair<std::size_t, std::size_t>> best;
    mpq_class least;
    const NaiveCBound naive(S, net);
    for (std::size_t a = 0; a < S.size(); ++a)
      for (std::size_t b = 0; b < S.size(); ++b) {
        if (S.labels[a] != -1 || S.labels[b] != 1) continue;
        const mpq_class c = naive.largest(a, b);
        if (!best || c < least) best = {a, b}, least = c;
      }
    BOOST_TEST((std::pair{t.alpha, t.beta} == *best));
    ++certified;
  }
  BOOST_TEST(certified > 20);
}

// Corollary 17 on Section 6: the max-margin classifier (w*, b*) = ((1,0), -1) and the net
// of Figure 3 share v = (2,1) - (0,0): <w*, v> = 2, c_exit = 1/2 for the line, 3/4 for the net.
BOOST_AUTO_TEST_CASE(corollary17_by_hand_and_checked) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "section6");
  const json model = json::parse(R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"],
                                     "v": ["1", "1"], "threshold": "1/4", "rule": "gt"})");
  const LinearModel h{{1, 0}, -1};
  const Corollary17 c = certify_corollary17(S, {h}, {relu_net_from_json(model, "s6")}, std::nullopt, std::nullopt);
  BOOST_TEST(c.alpha == 0u);
  BOOST_TEST(c.beta == 1u);
  BOOST_REQUIRE(c.linear.size() == 1u);
  BOOST_TEST(c.linear[0].slope == 2);
  BOOST_TEST((c.linear[0].c_exit == Vector{mpq_class(1, 2)}));
  BOOST_REQUIRE(c.nets.size() == 1u);
  BOOST_TEST(c.nets[0].points[0].c_exit == mpq_class(3, 4));
  const json cert = corollary17_certificate(inline_data(S), {model}, c);
  BOOST_TEST_REQUIRE(check::check_certificate(cert, ".").valid);
  const std::vector<std::function<void(json&)>> damage = {
      [](json& c) { c["linear"][0]["c_exit"][0] = "1"; },
      [](json& c) { c["linear"][0]["slope"] = "1"; },
      [](json& c) { c["linear"][0]["b"] = "1"; },  // then (0,0) is misclassified
      [](json& c) { c["nets"][0]["points"][0]["c_exit"] = "1"; },
      [](json& c) { c["alpha"] = 1; },             // not a -1 point
      [](json& c) { c["linear"].clear(), c["nets"].clear(); },
  };
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!check::check_certificate(bad, ".").valid, "damage " << m << " was accepted");
  }
  BOOST_CHECK_THROW(certify_corollary17(S, {{{-1, 0}, 1}}, {}, std::nullopt, std::nullopt), HypothesisError);
}
