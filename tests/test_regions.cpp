#define BOOST_TEST_MODULE regions
// Convex regions and what rests on them: net ray certificates, Theorem 11, exact
// H-representations (against z3), the Section 6 counterexample and its construction,
// and the exact plane regions behind the figures.
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/plane.hpp"
#include "advdir/plot/figure.hpp"

#include <boost/test/unit_test.hpp>
#include <cairo.h>
#include <z3++.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

using namespace advdir;
using namespace advdir::exact;

namespace {

const char* section6_json = R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"],
                                "v": ["1", "1"], "threshold": "1/4", "rule": "gt"})";

mpq_class small(std::mt19937& rng) {
  std::uniform_int_distribution<int> num(-6, 6), den(1, 3);
  return mpq_class(num(rng), den(rng));
}

json random_matrix(std::mt19937& rng, std::size_t rows, std::size_t cols) {
  json W = json::array();
  for (std::size_t r = 0; r < rows; ++r) {
    json row = json::array();
    for (std::size_t c = 0; c < cols; ++c) row.push_back(to_string(small(rng)));
    W.push_back(row);
  }
  return W;
}

json random_vector(std::mt19937& rng, std::size_t n) {
  json v = json::array();
  for (std::size_t i = 0; i < n; ++i) v.push_back(to_string(small(rng)));
  return v;
}

json random_mlp(std::mt19937& rng, const std::vector<std::size_t>& widths) {
  json layers = json::array();
  for (std::size_t L = 1; L < widths.size(); ++L)
    layers.push_back({{"W", random_matrix(rng, widths[L], widths[L - 1])}, {"b", random_vector(rng, widths[L])}});
  return {{"kind", "mlp"}, {"layers", layers}};
}

// A relu2 net with v_j in {0, 1, 2, 3} (so in R') and a positive threshold.
json random_relu2(std::mt19937& rng, std::size_t units, std::size_t d, bool ge) {
  std::uniform_int_distribution<int> weight(0, 3);
  json v = json::array();
  for (std::size_t j = 0; j < units; ++j) v.push_back(std::to_string(weight(rng)));
  return {{"kind", "relu2"}, {"W", random_matrix(rng, units, d)}, {"b", random_vector(rng, units)}, {"v", v},
          {"threshold", to_string(mpq_class(weight(rng) + 1, 2))}, {"rule", ge ? "ge" : "gt"}};
}

Vector random_point(std::mt19937& rng, std::size_t d) {
  Vector x;
  for (std::size_t i = 0; i < d; ++i) x.push_back(small(rng));
  return x;
}

bool accepted(const json& cert) { return check::check_certificate(cert, ".").valid; }

json ray_certificate(const json& model, const Vector& x, const Vector& v) {
  const ReluNet net = relu_net_from_json(model, "net");
  const NetRay r = net_ray(net, x, v);
  json cert = ray_claim(r, ray_pieces(net, x, v, r));
  cert.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", model}, {"point", to_json(x)}, {"direction", to_json(v)}});
  return cert;
}

// Points labelled by the net itself, with both labels present (else nothing).
std::optional<Dataset> self_labelled(std::mt19937& rng, const ReluNet& net, std::size_t n) {
  std::vector<Vector> points;
  std::vector<int> labels;
  for (std::size_t i = 0; i < n; ++i) {
    points.push_back(random_point(rng, net.input_dim()));
    labels.push_back(net.label(points.back()));
  }
  if (std::count(labels.begin(), labels.end(), 1) == 0 || std::count(labels.begin(), labels.end(), -1) == 0) return std::nullopt;
  return make_dataset(points, labels, "random");
}

}  // namespace

// --- net ray certificates --------------------------------------------------------------

// Random nets of several depths: every certificate checks; each damage that must break
// it (a wrong exit, flag or label, a pattern bit of a unit that is positive on its piece)
// is rejected.
BOOST_AUTO_TEST_CASE(net_ray_certificates_check_and_damage_is_rejected) {
  std::mt19937 rng(11);
  int adversarial = 0, flipped = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::vector<std::size_t> widths = trial % 3 == 0 ? std::vector<std::size_t>{2, 4, 1}
                                            : trial % 3 == 1 ? std::vector<std::size_t>{3, 5, 4, 3}
                                                             : std::vector<std::size_t>{2, 3, 3, 1};
    const json model = random_mlp(rng, widths);
    const Vector x = random_point(rng, widths[0]), v = random_point(rng, widths[0]);
    const json cert = ray_certificate(model, x, v);
    BOOST_TEST_REQUIRE(accepted(cert), "trial " << trial << ": " << check::check_certificate(cert, ".").reason);
    std::vector<std::function<void(json&)>> damage = {
        [](json& c) { c["label_before"] = c["label_before"].get<int>() == 1 ? -1 : 7; },
        [](json& c) { c["adversarial"] = !c["adversarial"].get<bool>(); },
        [](json& c) { c["pieces"][0]["from"] = "1/7"; },
    };
    if (cert["adversarial"] == true) {
      ++adversarial;
      damage.push_back([](json& c) { c["differs_at_exit"] = !c["differs_at_exit"].get<bool>(); });
      damage.push_back([](json& c) { c["label_after"] = 9; });
      damage.push_back([](json& c) { c["c_exit"] = to_string(2 * mpq_class(c["c_exit"].get<std::string>()) + 1); });
    }
    // A unit positive at the first piece's midpoint switched off: its sign is wrong at an end.
    const ReluNet net = relu_net_from_json(model, "net");
    const auto& bits = cert["pieces"][0]["pattern"][0].get_ref<const std::string&>();
    if (const std::size_t on = bits.find('1'); on != std::string::npos) {
      ++flipped;
      damage.push_back([on](json& c) { c["pieces"][0]["pattern"][0].get_ref<std::string&>()[on] = '0'; });
    }
    for (std::size_t m = 0; m < damage.size(); ++m) {
      json bad = cert;
      damage[m](bad);
      BOOST_TEST(!accepted(bad), "trial " << trial << ", damage " << m << " was accepted");
    }
  }
  BOOST_TEST(adversarial > 10);
  BOOST_TEST(flipped > 10);
}

// Section 6 by hand: along w* from (0,0) the net is constant (one piece, both units off,
// never adversarial); along (2,1) the first unit turns on at 1/2 and f = 1/4 at 3/4.
BOOST_AUTO_TEST_CASE(net_ray_certificate_by_hand) {
  const json model = json::parse(section6_json);
  const json flat = ray_certificate(model, {0, 0}, {1, 0});
  BOOST_TEST(flat["adversarial"] == false);
  BOOST_TEST(flat["pieces"] == json::parse(R"([{"from": "0", "pattern": ["00"]}])"));
  BOOST_TEST(accepted(flat));
  const json up = ray_certificate(model, {0, 0}, {2, 1});
  BOOST_TEST(up["c_exit"] == "3/4");
  BOOST_TEST(up["pieces"] == json::parse(R"([{"from": "0", "pattern": ["00"]}, {"from": "1/2", "pattern": ["10"]}])"));
  json bad = up;
  bad["pieces"].erase(1);  // the "00" piece cannot reach 3/4: unit 0 is positive there
  BOOST_TEST(!accepted(bad));
  bad = flat;
  bad["model"]["W"][0][0] = "1";  // unit 0 now rises along w*: f reaches 1/4
  BOOST_TEST(!accepted(bad));
}

// --- Theorem 11 ------------------------------------------------------------------------

// Hand-derived exits for each kind of convexity certificate.
BOOST_AUTO_TEST_CASE(theorem11_by_hand_for_every_certificate) {
  const Dataset S6 = section6_data();
  struct Case {
    const char* model;
    std::vector<Vector> points;
    std::vector<int> labels;
    const char* why;
    int label;
    std::vector<mpq_class> exits;
    std::vector<bool> differs;
  };
  const std::vector<Case> cases = {
      // Lemma 14 (Section 6): from (0,0) along (2,1) f reaches 1/4 at 3/4.
      {section6_json, {{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "lemma14", -1, {mpq_class(3, 4)}, {false}},
      // Lemma 13: {x1 <= 1, x2 <= 1/2} left along (2,1) just past 1/2.
      {R"({"kind": "relu_sum", "W": [["1", "0"], ["0", "1"]], "b": ["-1", "-1/2"]})", {{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "lemma13", -1,
       {mpq_class(1, 2)}, {false}},
      // Mirrored: f = -relu(x1) - relu(-x1) > -1 iff |x1| < 1; v = (2,0) - (0,0).
      {R"({"kind": "relu2", "W": [["1", "0"], ["-1", "0"]], "b": ["0", "0"], "v": ["-1", "-1"], "threshold": "-1", "rule": "gt"})",
       {{0, 0}, {mpq_class(1, 2), 1}, {2, 0}, {-3, 1}}, {1, 1, -1, -1}, "lemma14_mirrored", 1, {mpq_class(1, 2), mpq_class(1, 4)}, {true, true}},
      // R'': {x1 > 0, x2 > 0}, x_alpha = (1,1), x_beta = (-1,2): v = (-2,1).
      {R"({"kind": "relu_and", "W": [["1", "0"], ["0", "1"]], "b": ["0", "0"]})", {{1, 1}, {2, 3}, {-1, 2}, {2, -1}}, {1, 1, -1, -1}, "R''", 1,
       {mpq_class(1, 2), 1}, {true, true}},
  };
  for (const Case& c : cases) {
    const json model = json::parse(c.model);
    const Dataset S = make_dataset(c.points, c.labels, "hand");
    const Theorem11 t = certify_theorem11(S, relu_net_from_json(model, "m"), std::nullopt, std::nullopt, std::nullopt);
    BOOST_TEST(t.region.why == c.why);
    BOOST_TEST(t.region.label == c.label);
    BOOST_REQUIRE(t.points.size() == c.exits.size());
    for (std::size_t k = 0; k < c.exits.size(); ++k) {
      BOOST_TEST(t.points[k].ray.c_exit == c.exits[k], c.why << " point " << k);
      BOOST_TEST(t.points[k].ray.differs_at_exit == c.differs[k], c.why << " point " << k);
    }
    const json cert = theorem11_certificate(inline_data(S), model, t);
    BOOST_TEST(accepted(cert), c.why << ": " << check::check_certificate(cert, ".").reason);
    const std::vector<std::function<void(json&)>> damage = {
        [](json& x) { x["convex_label"] = -x["convex_label"].get<int>(); },
        [](json& x) { x["why"] = x["why"] == "lemma13" ? "lemma14" : "lemma13"; },
        [](json& x) { x["points"][0]["c_exit"] = to_string(mpq_class(x["points"][0]["c_exit"].get<std::string>()) + 1); },
        [](json& x) { x["points"].erase(0); },
        [](json& x) { std::swap(x["alpha"], x["beta"]); },
        [](json& x) { x["points"][0]["pieces"] = json::parse(R"([{"from": "0", "pattern": ["11"]}])"); },
    };
    for (std::size_t m = 0; m < damage.size(); ++m) {
      json bad = cert;
      damage[m](bad);
      BOOST_TEST(!accepted(bad), c.why << ": damage " << m << " was accepted");
    }
  }
  // The last, against Theorem 16's closed form: the same exits.
  const Dataset S = make_dataset(cases[3].points, cases[3].labels, "hand");
  const Theorem16 t16 = certify_theorem16(S, relu_net_from_json(json::parse(cases[3].model), "m"), std::nullopt, std::nullopt);
  BOOST_TEST(t16.exits[0].c_exit == cases[3].exits[0]);
  BOOST_TEST(t16.exits[1].c_exit == cases[3].exits[1]);
}

// Random R' nets: Theorem 11's exits along Theorem 15's pair are Theorem 15's exits (its
// own walk over the kinks), and both certificates check.
BOOST_AUTO_TEST_CASE(theorem11_agrees_with_theorem15_on_random_nets) {
  std::mt19937 rng(5);
  int compared = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const json model = random_relu2(rng, 3, 2, trial % 2);
    const ReluNet net = relu_net_from_json(model, "random");
    const auto S = self_labelled(rng, net, 8);
    if (!S) continue;
    const Theorem15 t15 = certify_theorem15(*S, net, std::nullopt, std::nullopt);
    const Theorem11 t11 = certify_theorem11(*S, net, -1, t15.alpha, t15.beta);
    BOOST_REQUIRE(t11.points.size() == t15.points.size());
    for (std::size_t k = 0; k < t11.points.size(); ++k) {
      BOOST_TEST(t11.points[k].ray.c_exit == t15.points[k].c_exit);
      BOOST_TEST(t11.points[k].ray.differs_at_exit == t15.points[k].differs_at_exit);
    }
    BOOST_TEST(accepted(theorem11_certificate(inline_data(*S), model, t11)));
    ++compared;
  }
  BOOST_TEST(compared > 10);
}

BOOST_AUTO_TEST_CASE(theorem11_refuses_nets_without_a_convexity_certificate) {
  const Dataset S = section6_data();
  const ReluNet mixed = relu_net_from_json(
      json::parse(R"({"kind": "relu2", "W": [["0", "1"], ["0", "-1"]], "b": ["-1/2", "-1/2"], "v": ["1", "-1"], "threshold": "1/4", "rule": "gt"})"), "m");
  const ReluNet deep = relu_net_from_json(
      json::parse(R"({"kind": "mlp", "layers": [{"W": [["1", "0"]], "b": ["-1"]}, {"W": [["1"]], "b": ["0"]}]})"), "deep");
  BOOST_CHECK_EXCEPTION(certify_theorem11(S, mixed, std::nullopt, std::nullopt, std::nullopt), HypothesisError,
                        [](const HypothesisError& e) { return std::string(e.what()).find("v_1 = -1 < 0") != std::string::npos; });
  BOOST_CHECK_EXCEPTION(certify_theorem11(S, deep, std::nullopt, std::nullopt, std::nullopt), HypothesisError,
                        [](const HypothesisError& e) { return std::string(e.what()).find("hidden layers") != std::string::npos; });
  BOOST_CHECK_THROW(certify_theorem11(S, section6_net(), 1, std::nullopt, std::nullopt), HypothesisError);
}

// --- H-representations -----------------------------------------------------------------

// Hand-derived: Section 6's -1 region is the strip |x2| <= 3/4 (of the 4 subset rows, the
// empty and the full subsets are constants); a negative threshold leaves it empty, and so
// do contradictory R'' units.
BOOST_AUTO_TEST_CASE(h_representations_by_hand) {
  const HRepresentation strip = h_representation(section6_net(), -1);
  BOOST_REQUIRE(strip.rows.size() == 2u);
  BOOST_TEST((strip.rows[0].a == Vector{0, 1}));
  BOOST_TEST(strip.rows[0].c == mpq_class(-3, 4));
  BOOST_TEST((strip.rows[1].a == Vector{0, -1}));
  BOOST_TEST(!strip.rows[0].strict);
  BOOST_TEST(strip.contains({100, mpq_class(3, 4)}));
  BOOST_TEST(!strip.contains({0, mpq_class(76, 100)}));
  json negative = json::parse(section6_json);
  negative["threshold"] = "-1";
  BOOST_TEST(h_representation(relu_net_from_json(negative, "n"), -1).empty);
  const ReluNet never = relu_net_from_json(json::parse(R"({"kind": "relu_and", "W": [["1", "0"], ["-1", "0"]], "b": ["0", "0"]})"), "and");
  BOOST_TEST(h_representation(never, 1).empty);
  // x1 > 0, x2 > 0, x1 + x2 > -1: the last is implied.
  const ReluNet quadrant =
      relu_net_from_json(json::parse(R"({"kind": "relu_and", "W": [["1", "0"], ["0", "1"], ["1", "1"]], "b": ["0", "0", "1"]})"), "q");
  const HRepresentation q = h_representation(quadrant, 1);
  BOOST_TEST(q.rows.size() == 2u);
  BOOST_TEST(q.rows[0].strict);
  BOOST_TEST(!q.contains({0, 1}));
  BOOST_CHECK_THROW(h_representation(quadrant, -1), HypothesisError);
}

// Random R' nets: every row kept is needed (z3 finds a point breaking it alone), every
// subset row the test builds itself follows from the kept ones (z3: unsat), and
// membership is the net's own label.
BOOST_AUTO_TEST_CASE(h_representations_are_irredundant_and_exact_by_z3) {
  std::mt19937 rng(21);
  for (int trial = 0; trial < 25; ++trial) {
    const std::size_t units = 2 + trial % 3, d = 2 + trial % 2;
    const json model = random_relu2(rng, units, d, trial % 2);
    const ReluNet net = relu_net_from_json(model, "random");
    const HRepresentation h = h_representation(net, -1);
    z3::context z;
    std::vector<z3::expr> x;
    for (std::size_t k = 0; k < d; ++k) x.push_back(z.real_const(std::to_string(k).insert(0, "x").c_str()));
    auto real = [&](const mpq_class& q) { return z.real_val(to_string(q).c_str()); };
    auto lhs = [&](const Vector& a, const mpq_class& c) {
      z3::expr s = real(c);
      for (std::size_t k = 0; k < d; ++k) s = s + real(a[k]) * x[k];
      return s;
    };
    auto sat = [&](const z3::expr& e) {
      z3::solver s(z);
      s.add(e);
      return s.check() == z3::sat;
    };
    z3::expr kept = z.bool_val(true);
    for (const HalfSpace& r : h.rows) kept = kept && lhs(r.a, r.c) <= 0;
    for (std::size_t k = 0; k < h.rows.size(); ++k) {
      z3::expr others = z.bool_val(true);
      for (std::size_t m = 0; m < h.rows.size(); ++m)
        if (m != k) others = others && lhs(h.rows[m].a, h.rows[m].c) <= 0;
      BOOST_TEST(sat(others && lhs(h.rows[k].a, h.rows[k].c) > 0), "trial " << trial << ": row " << k << " is redundant");
    }
    // Every subset J: sum_{j in J} v_j (<u_j,x> + c_j) - a <= 0 follows from the kept rows.
    const Layer& l = net.layers[0];
    const Vector& v = net.layers[1].W[0];
    for (std::size_t mask = 0; mask < (std::size_t(1) << units) && !h.empty; ++mask) {
      Vector a(d, 0);
      mpq_class c = -net.threshold;
      for (std::size_t j = 0; j < units; ++j)
        if (mask >> j & 1) {
          for (std::size_t k = 0; k < d; ++k) a[k] += v[j] * l.W[j][k];
          c += v[j] * l.b[j];
        }
      BOOST_TEST(!sat(kept && lhs(a, c) > 0), "trial " << trial << ": subset " << mask << " is not implied");
    }
    for (int p = 0; p < 30; ++p) {
      const Vector pt = random_point(rng, d);
      BOOST_TEST(h.contains(pt) == (net.label(pt) == -1), "trial " << trial);
    }
  }
}

// --- the counterexample ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(section6_counterexample_checks_and_damage_is_rejected) {
  const Dataset S = section6_data();
  const SeparatorResult solved = cgal_max_margin(S);
  BOOST_REQUIRE(solved.separable);
  const MaxMarginSeparator& sep = solved.separator;
  BOOST_TEST((sep.w_star == Vector{1, 0}));
  BOOST_TEST(sep.b_star == -1);
  const ReluNet net = section6_net();
  BOOST_TEST(to_json(net) == json::parse(section6_json));
  require_counterexample(S, sep, net);
  BOOST_TEST(!net_ray(net, S.point(0), sep.w_star).adversarial);
  const Construction c{net, std::nullopt};
  const Theorem15 t = certify_theorem15(S, net, std::size_t(0), std::size_t(1));
  const json cert = counterexample_certificate(inline_data(S), sep, c, t);
  BOOST_TEST_REQUIRE(accepted(cert), check::check_certificate(cert, ".").reason);
  const std::vector<std::function<void(json&)>> damage = {
      [](json& x) { x["model"]["W"][0] = {"1", "1"}; },  // rises along w*
      [](json& x) { x["model"]["v"][0] = "-1"; },
      [](json& x) { x["model"]["threshold"] = "0"; },
      [](json& x) { x["model"]["threshold"] = "2"; },  // the +1 points are then misclassified
      [](json& x) { x["w_star"] = {"2", "0"}; },
      [](json& x) { x["theorem15"]["points"][0]["c_exit"] = "1"; },
      [](json& x) { x.erase("model"); },
  };
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!accepted(bad), "damage " << m << " was accepted");
  }
}

// The construction on random separable data: a net whose rays along w* never leave at
// any -1 point (the walk, a second method), or a Farkas combination the test re-adds.
BOOST_AUTO_TEST_CASE(construction_on_random_separable_data) {
  std::mt19937 rng(8);
  int nets = 0, farkas = 0;
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t d = 2 + trial % 2;
    const Vector w = random_point(rng, d);
    std::vector<Vector> points;
    std::vector<int> labels;
    while (points.size() < 7) {
      const Vector x = random_point(rng, d);
      const mpq_class s = dot(w, x) + mpq_class(1, 3);
      if (s == 0) continue;
      points.push_back(x);
      labels.push_back(s > 0 ? 1 : -1);
    }
    if (std::count(labels.begin(), labels.end(), 1) == 0 || std::count(labels.begin(), labels.end(), -1) == 0) continue;
    const Dataset S = make_dataset(points, labels, "random");
    const MaxMarginSeparator sep = cgal_max_margin(S).separator;
    const Construction c = construct_counterexample(S, sep);
    if (c.net) {
      ++nets;
      for (std::size_t i = 0; i < S.size(); ++i) {
        BOOST_TEST(c.net->label(S.point(i)) == S.labels[i]);
        if (S.labels[i] == -1) BOOST_TEST(!net_ray(*c.net, S.point(i), sep.w_star).adversarial);
      }
    } else {
      ++farkas;
      const ConstructionFarkas& f = *c.infeasible;
      Vector sum(d, 0);
      mpq_class total = 0;
      for (std::size_t t = 0; t < f.mu.size(); ++t) {
        BOOST_TEST(f.mu[t] >= 0);
        total += f.mu[t];
        for (std::size_t k = 0; k < d; ++k) sum[k] += f.mu[t] * S.point(f.minus_points[t])[k];
      }
      for (std::size_t k = 0; k < d; ++k) sum[k] += f.nu * sep.w_star[k];
      BOOST_TEST(total == 1);
      BOOST_TEST(f.nu >= 0);
      BOOST_TEST((sum == S.point(f.point)));
    }
    const json cert = counterexample_certificate(inline_data(S), sep, c, std::nullopt);
    BOOST_TEST(accepted(cert), check::check_certificate(cert, ".").reason);
    if (c.infeasible) {
      json bad = cert;
      bad["infeasible"]["nu"] = to_string(c.infeasible->nu + 1);
      BOOST_TEST(!accepted(bad));
    }
  }
  BOOST_TEST(nets > 3);
  BOOST_TEST(farkas > 3);
}

// --- the plane ---------------------------------------------------------------------------

namespace {

mpq_class area(const Polygon& p) {
  mpq_class a = 0;
  for (std::size_t i = 0; i < p.vertex.size(); ++i) {
    const Point2& u = p.vertex[i];
    const Point2& w = p.vertex[(i + 1) % p.vertex.size()];
    a += u.x * w.y - w.x * u.y;
  }
  return abs(a) / 2;
}

Vector centroid(const Polygon& p) {
  Vector c{0, 0};
  for (const Point2& v : p.vertex) c[0] += v.x, c[1] += v.y;
  c[0] /= int(p.vertex.size()), c[1] /= int(p.vertex.size());
  return c;
}

}  // namespace

// The polygons tile the box (areas add up), each one's label is the net's at its centroid,
// and Section 6's boundary is |x2| = 3/4 exactly.
BOOST_AUTO_TEST_CASE(plane_regions_tile_the_box_with_the_nets_labels) {
  const std::vector<LabelledPolygon> s6 = decision_regions(section6_net(), {-2, -2}, {2, 2});
  mpq_class minus = 0, total = 0;
  for (const LabelledPolygon& r : s6) {
    total += area(r.polygon);
    if (r.label == -1) minus += area(r.polygon);
    for (std::size_t i = 0; i < r.polygon.vertex.size(); ++i)
      if (r.polygon.boundary[i]) BOOST_TEST(abs(r.polygon.vertex[i].y) == mpq_class(3, 4));
  }
  BOOST_TEST(total == 16);
  BOOST_TEST(minus == 6);
  std::mt19937 rng(2);
  for (int trial = 0; trial < 20; ++trial) {
    const json model = trial % 2 ? random_mlp(rng, {2, 4, 3, 1}) : random_mlp(rng, {2, 3, 3});
    const ReluNet net = relu_net_from_json(model, "random");
    mpq_class sum = 0;
    for (const LabelledPolygon& r : decision_regions(net, {-3, -3}, {3, 3})) {
      sum += area(r.polygon);
      BOOST_TEST(net.label(centroid(r.polygon)) == r.label, "trial " << trial);
    }
    BOOST_TEST(sum == 36, "trial " << trial);
  }
}

// Both formats come out readable: cairo reads the PNG back at the drawn size with red and
// blue boundary pixels; the SVG is XML with an <svg> root. Other names are refused.
BOOST_AUTO_TEST_CASE(pictures_are_valid_files) {
  plot::Scene s{{-2, -2}, {2, 2}, "test", {}, {}, {}, {"caption"}};
  s.classifiers.push_back({"h2", plot::blue, decision_regions(section6_net(), s.lo, s.hi), true});
  s.classifiers.push_back({"h1", plot::red, decision_regions(LinearModel{{1, 0}, -1}, s.lo, s.hi), false});
  s.points = {{{0, 0}, -1, "x"}, {{1, 1}, 1, ""}};
  s.arrows = {{{0, 0}, {1, 0}, "v", plot::red}};
  const auto dir = std::filesystem::temp_directory_path() / std::to_string(::getpid()).insert(0, "advdir-figure-");
  std::filesystem::create_directories(dir);
  plot::render(s, (dir / "f.png").string());
  plot::render(s, (dir / "f.svg").string());
  cairo_surface_t* png = cairo_image_surface_create_from_png((dir / "f.png").c_str());
  BOOST_REQUIRE(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS);
  BOOST_TEST(cairo_image_surface_get_width(png) == 640);
  const unsigned char* data = cairo_image_surface_get_data(png);
  const int stride = cairo_image_surface_get_stride(png), height = cairo_image_surface_get_height(png);
  int reds = 0, blues = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < 640; ++x) {
      const unsigned char* p = data + y * stride + 4 * x;  // B, G, R, A
      reds += p[2] > 180 && p[1] < 80 && p[0] < 80;
      blues += p[0] > 160 && p[2] < 80;
    }
  cairo_surface_destroy(png);
  BOOST_TEST(reds > 200);
  BOOST_TEST(blues > 200);
  std::ifstream svg(dir / "f.svg");
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  BOOST_TEST(text.rfind("<?xml", 0) == 0u);
  BOOST_TEST(text.find("<svg") != std::string::npos);
  BOOST_CHECK_THROW(plot::render(s, (dir / "f.pdf").string()), InputError);
  BOOST_TEST(!std::filesystem::exists(dir / "f.pdf"));
  std::filesystem::remove_all(dir);
}
