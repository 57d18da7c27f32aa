#define BOOST_TEST_MODULE separator
#include "advdir/bridge/gordan_lp.hpp"
#include "advdir/bridge/margin_qp.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/fp/smo.hpp"
#include "../lib/bridge/src/one_blas_thread.hpp"

#include <boost/test/unit_test.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <random>

using namespace advdir;
using namespace advdir::exact;

namespace {

Dataset points(const std::vector<std::pair<int, Vector>>& pts) {
  std::vector<Vector> xs;
  std::vector<int> ys;
  for (const auto& [y, x] : pts) {
    ys.push_back(y);
    xs.push_back(x);
  }
  return make_dataset(xs, ys, "test");
}

MaxMarginSeparator solve(const Dataset& S) {
  SeparatorResult r = bridge::max_margin_separator(S);
  BOOST_REQUIRE(r.separable);
  BOOST_TEST(!kkt_violation(S, r.separator));
  return r.separator;
}

// Random integer points labelled by a random hyperplane, away from it, both classes present.
Dataset random_separable(std::mt19937& rng, std::size_t n, std::size_t d, int range) {
  std::uniform_int_distribution<int> coord(-range, range);
  while (true) {
    Vector w0(d);
    for (auto& v : w0) v = coord(rng);
    w0[0] = range + 1;
    const mpq_class b0 = coord(rng);
    std::vector<std::pair<int, Vector>> pts;
    int positives = 0;
    while (pts.size() < n) {
      Vector x(d);
      for (auto& v : x) v = coord(rng);
      const mpq_class s = dot(w0, x) + b0;
      if (s < 1 && s > -1) continue;
      pts.push_back({s > 0 ? 1 : -1, x});
      positives += s > 0;
    }
    if (positives > 0 && positives < int(n)) return points(pts);
  }
}

}  // namespace

// PROOFS.md, Section 6: w* = (1,0), b* = -1, alpha = (1/2, 1/4, 1/4), margin_sq = 1.
BOOST_AUTO_TEST_CASE(section6_by_hand) {
  auto sep = solve(points({{-1, {0, 0}}, {1, {2, 1}}, {1, {2, -1}}}));
  BOOST_TEST((sep.w_star == Vector{1, 0}));
  BOOST_TEST(sep.b_star == -1);
  BOOST_TEST((sep.support == std::vector<std::size_t>{0, 1, 2}));
  BOOST_TEST((sep.alpha == Vector{mpq_class(1, 2), mpq_class(1, 4), mpq_class(1, 4)}));
  BOOST_TEST(sep.margin_sq == 1);
}

// d = 1: -1 at {0, -1}, +1 at {2, 3}: the boundary is x = 1, w* = 1, b* = -1, alpha = (1/2, 1/2).
BOOST_AUTO_TEST_CASE(one_dimension) {
  auto sep = solve(points({{-1, {0}}, {-1, {-1}}, {1, {2}}, {1, {3}}}));
  BOOST_TEST((sep.w_star == Vector{1}));
  BOOST_TEST(sep.b_star == -1);
  BOOST_TEST((sep.support == std::vector<std::size_t>{0, 2}));
  BOOST_TEST((sep.alpha == Vector{mpq_class(1, 2), mpq_class(1, 2)}));
}

// confirm_central by hand. +1 at (1,0), (1,1), (1,-1), -1 at (-1,0), (-1,1), (-1,-1): every
// point is on the margin of w* = (1,0), b* = 0, and alpha is any a, b >= 0 with sum a = sum b
// = 1/2, a_2 - a_3 = b_2 - b_3. Equal weights are already there: 1/6 each. Weights
// (1, 100, 1, 1, 1, 1) / 105 move along the orthogonal rows (1,1,1,-1,-1,-1) and
// (0,1,-1,0,-1,1) by 99/105 / 6 and / 4: a_1 = -93/630 and b_3 = -87/1260 leave. On the
// rest alpha is the line (1/4 + t/2, 1/4 - t/2, 1/2 - t, t), and (100, 1, 1, 1) / 103
// projects to t = 202/515. The positives alone cannot have sum alpha_i y_i = 0: refused.
BOOST_AUTO_TEST_CASE(confirm_central_by_hand) {
  const Dataset S = points({{1, {1, 0}}, {1, {1, 1}}, {1, {1, -1}}, {-1, {-1, 0}}, {-1, {-1, 1}}, {-1, {-1, -1}}});
  auto weights = [](std::vector<long> w) {
    IntMatrix m(w.size(), 1);
    for (std::size_t c = 0; c < w.size(); ++c) fmpz_set_si(m.at(slong(c), 0), w[c]);
    return m;
  };
  const std::vector<std::size_t> all{0, 1, 2, 3, 4, 5};
  const std::optional<MaxMarginSeparator> centre = confirm_central(S, all, weights({1, 1, 1, 1, 1, 1}));
  BOOST_TEST_REQUIRE(centre.has_value());
  BOOST_TEST((centre->w_star == Vector{1, 0}));
  BOOST_TEST(centre->b_star == 0);
  BOOST_TEST((centre->support == all));
  BOOST_TEST((centre->alpha == Vector(6, mpq_class(1, 6))));
  BOOST_TEST(centre->margin_sq == 1);
  const std::optional<MaxMarginSeparator> moved = confirm_central(S, all, weights({1, 100, 1, 1, 1, 1}));
  BOOST_TEST_REQUIRE(moved.has_value());
  BOOST_TEST((moved->support == std::vector<std::size_t>{1, 2, 3, 4}));
  BOOST_TEST((moved->alpha == Vector{mpq_class(919, 2060), mpq_class(111, 2060), mpq_class(111, 1030), mpq_class(202, 515)}));
  BOOST_TEST((moved->w_star == Vector{1, 0}));
  BOOST_TEST(moved->b_star == 0);
  BOOST_TEST(!confirm_central(S, {0, 1, 2}, weights({1, 1, 1})));
  BOOST_TEST(!confirm_central(S, {0, 0, 3, 4}, weights({1, 1, 1, 1})));  // a point twice
  BOOST_TEST(!confirm_central(S, all, weights({1, 1, 1})));               // weights for another set
}

// Collinear points (0,0),(1,1) | (3,3),(4,4): w* = (1/2,1/2), b* = -2, margin_sq = 2.
BOOST_AUTO_TEST_CASE(collinear_points) {
  auto sep = solve(points({{-1, {0, 0}}, {-1, {1, 1}}, {1, {3, 3}}, {1, {4, 4}}}));
  BOOST_TEST((sep.w_star == Vector{mpq_class(1, 2), mpq_class(1, 2)}));
  BOOST_TEST(sep.b_star == -2);
  BOOST_TEST(sep.margin_sq == 2);
}

// A class with one point: (0,0) against (2,0),(0,2),(3,3); w* = (-1,-1), b* = 1, margin_sq = 1/2.
BOOST_AUTO_TEST_CASE(class_with_one_point) {
  auto sep = solve(points({{1, {0, 0}}, {-1, {2, 0}}, {-1, {0, 2}}, {-1, {3, 3}}}));
  BOOST_TEST((sep.w_star == Vector{-1, -1}));
  BOOST_TEST(sep.b_star == 1);
  BOOST_TEST(sep.margin_sq == mpq_class(1, 2));
}

// Eight points all on the margin (more than d + 1): the KKT system is singular on
// all of them; a rank-revealing choice still gives w* = (1,0), b* = -1.
BOOST_AUTO_TEST_CASE(more_than_d_plus_one_on_the_margin) {
  std::vector<std::pair<int, Vector>> pts;
  for (int k = 0; k < 4; ++k) {
    pts.push_back({-1, {0, k}});
    pts.push_back({1, {2, k}});
  }
  auto sep = solve(points(pts));
  BOOST_TEST((sep.w_star == Vector{1, 0}));
  BOOST_TEST(sep.b_star == -1);
  BOOST_TEST(sep.margin_sq == 1);
}

BOOST_AUTO_TEST_CASE(duplicate_points) {
  auto sep = solve(points({{-1, {0, 0}}, {-1, {0, 0}}, {1, {2, 1}}, {1, {2, 1}}, {1, {2, -1}}}));
  BOOST_TEST((sep.w_star == Vector{1, 0}));
  BOOST_TEST(sep.b_star == -1);
  BOOST_TEST(sep.margin_sq == 1);
}

BOOST_AUTO_TEST_CASE(same_point_with_both_labels_is_not_separable) {
  Dataset S = points({{1, {1, 2}}, {-1, {1, 2}}, {1, {5, 5}}});
  SeparatorResult r = bridge::max_margin_separator(S);
  BOOST_TEST(!r.separable);
  BOOST_TEST(!farkas_violation(S, r.farkas));
  BOOST_TEST((r.farkas.support == std::vector<std::size_t>{0, 1}));
}

BOOST_AUTO_TEST_CASE(xor_is_not_separable) {
  Dataset S = points({{1, {0, 0}}, {1, {1, 1}}, {-1, {1, 0}}, {-1, {0, 1}}});
  SeparatorResult r = bridge::max_margin_separator(S);
  BOOST_TEST(!r.separable);
  BOOST_TEST(!farkas_violation(S, r.farkas));
}

BOOST_AUTO_TEST_CASE(a_single_class_is_a_clear_error) {
  Dataset S = points({{1, {0, 0}}, {1, {1, 1}}});
  BOOST_CHECK_EXCEPTION(bridge::max_margin_separator(S), HypothesisError, [](const HypothesisError& e) {
    return std::string(e.what()).find("only one class present") != std::string::npos;
  });
}

// A poor hint (one point) is repaired: violated points come in, negative multipliers leave.
BOOST_AUTO_TEST_CASE(repair_from_a_poor_hint) {
  Dataset S = points({{-1, {0, 0}}, {1, {2, 1}}, {1, {2, -1}}, {1, {5, 0}}, {-1, {-3, 1}}});
  ConfirmStats stats;
  auto sep = confirm_max_margin(S, {3}, {}, &stats);
  BOOST_REQUIRE(sep);
  BOOST_TEST(stats.rounds > 1);
  BOOST_TEST((sep->w_star == Vector{1, 0}));
  BOOST_TEST(sep->b_star == -1);
}

// The same hint under the limits of an early attempt: a round that violates more points
// than max_violated ends it, and so does `stop`, looked at before each round after the first.
BOOST_AUTO_TEST_CASE(repair_gives_up_on_many_violated_points_or_when_told) {
  Dataset S = points({{-1, {0, 0}}, {1, {2, 1}}, {1, {2, -1}}, {1, {5, 0}}, {-1, {-3, 1}}});
  ConfirmStats stats;
  ConfirmOptions few;
  few.max_violated = 0;
  BOOST_TEST(!confirm_max_margin(S, {3}, few, &stats));
  BOOST_TEST(stats.rounds == 1);
  few.max_violated = S.size();  // no round violates more: the repair goes on to w*
  BOOST_TEST(confirm_max_margin(S, {3}, few, &stats).has_value());
  int asked = 0;
  ConfirmOptions stopped;
  stopped.stop = [&] { return ++asked > 0; };
  BOOST_TEST(!confirm_max_margin(S, {3}, stopped, &stats));
  BOOST_TEST(stats.rounds == 2);
  BOOST_TEST(asked == 1);
}

BOOST_AUTO_TEST_CASE(kkt_violations_are_named) {
  Dataset S = points({{-1, {0, 0}}, {1, {2, 1}}, {1, {2, -1}}});
  MaxMarginSeparator good = solve(S), bad = good;
  bad.alpha[1] = mpq_class(1, 3);
  BOOST_TEST(kkt_violation(S, bad).value_or("").find("KKT (1)") == 0u);
  bad = good;
  bad.alpha[0] = mpq_class(1, 3);  // x_0 = 0: w* is unchanged, the labels' balance is not
  BOOST_TEST(kkt_violation(S, bad).value_or("") == "KKT (2) fails: sum alpha_i y_i != 0");
  bad = good;
  bad.b_star = 0;
  BOOST_TEST(kkt_violation(S, bad).value_or("").find("KKT (3)") == 0u);
  bad = good;
  bad.margin_sq = 2;
  BOOST_TEST(kkt_violation(S, bad).value_or("") == "margin_sq != 1/sum alpha_i");
}

// Random separable data: w*, b* and margin_sq equal CGAL's exact QP answer as rationals.
BOOST_AUTO_TEST_CASE(random_instances_match_cgal) {
  std::mt19937 rng(20190416);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 8 + trial % 30, d = 1 + trial % 6;
    Dataset S = random_separable(rng, n, d, 1 + trial % 7);
    SeparatorResult ours = bridge::max_margin_separator(S), oracle = cgal_max_margin(S);
    BOOST_REQUIRE(ours.separable && oracle.separable);
    BOOST_TEST(!kkt_violation(S, ours.separator));
    BOOST_TEST((ours.separator.w_star == oracle.separator.w_star), "trial " << trial);
    BOOST_TEST(ours.separator.b_star == oracle.separator.b_star);
    BOOST_TEST(ours.separator.margin_sq == oracle.separator.margin_sq);
    // SMO in chunks of one iteration (smo_chunk_work / n rounds to 0, clamped to 1): the same answer.
    bridge::SolveOptions one_at_a_time;
    one_at_a_time.smo_chunk_work = 1;
    BOOST_TEST((bridge::max_margin_separator(S, one_at_a_time).separator.w_star == oracle.separator.w_star));
  }
}

// SMO whose kernel rows are released every few iterations (as before the LP) computes them
// again: the same iterations, bit for bit, as a run that kept them.
BOOST_AUTO_TEST_CASE(smo_after_its_cache_is_released_is_the_same_run) {
  std::mt19937 rng(31);
  std::normal_distribution<float> coord(0, 1);
  fp::DenseData data;
  data.n = 60, data.d = 5;
  for (std::size_t i = 0; i < data.n; ++i) {
    data.y.push_back(i % 2 ? 1 : -1);
    for (std::size_t k = 0; k < data.d; ++k) data.x.push_back(coord(rng) + (k == 0 ? 3.0f * float(data.y.back()) : 0.0f));
  }
  fp::HardMarginSmo kept(data), released(data);
  kept.run(100000);
  BOOST_REQUIRE(kept.result().converged);
  while (!released.finished()) {
    released.run(7);
    released.release_cache();
  }
  BOOST_TEST(released.result().iterations == kept.result().iterations);
  BOOST_TEST(released.result().alpha == kept.result().alpha, boost::test_tools::per_element());
  BOOST_TEST(released.result().kernel_rows > kept.result().kernel_rows);  // rows were computed again
}

// Random non-separable data: both methods say so, each with a Farkas certificate that holds.
BOOST_AUTO_TEST_CASE(random_non_separable_instances) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coord(-3, 3), sign(0, 1);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<std::pair<int, Vector>> pts;
    for (int i = 0; i < 30; ++i) pts.push_back({sign(rng) ? 1 : -1, {coord(rng), coord(rng)}});
    pts.push_back({1, {0, 0}});
    pts.push_back({-1, {0, 0}});
    Dataset S = points(pts);
    SeparatorResult ours = bridge::max_margin_separator(S), oracle = cgal_max_margin(S);
    BOOST_TEST(!ours.separable);
    BOOST_TEST(!oracle.separable);
    BOOST_TEST(!farkas_violation(S, ours.farkas));
  }
}

// Constraint generation from a poor start reaches CGAL's full answer, or a Farkas
// certificate valid for all of S.
BOOST_AUTO_TEST_CASE(constraint_generation_matches_the_full_dual) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 10; ++trial) {
    Dataset S = random_separable(rng, 40, 3, 4);
    auto r = cgal_constraint_generation(S, {0, 1}, 40);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->separable);
    BOOST_TEST(!kkt_violation(S, r->separator));
    BOOST_TEST((r->separator.w_star == cgal_max_margin(S).separator.w_star));
  }
  Dataset xr = points({{1, {0, 0}}, {1, {1, 1}}, {-1, {1, 0}}, {-1, {0, 1}}, {1, {5, 5}}, {-1, {-5, 5}}});
  BOOST_TEST(cgal_constraint_generation(xr, {}, 6).has_value());  // no hint at all
  auto r = cgal_constraint_generation(xr, {4, 5}, 6);
  BOOST_REQUIRE(r);
  BOOST_TEST(!r->separable);
  BOOST_TEST(!farkas_violation(xr, r->farkas));
  BOOST_TEST(!cgal_constraint_generation(random_separable(rng, 40, 3, 4), {0}, 1));  // over its size limit
  // A budget spent after the first round: nothing, where the full run needs a second round
  // (from {0, 1} the first separator leaves points violated: asserted by the rounds counted).
  const Dataset S = random_separable(rng, 40, 3, 4);
  int rounds = 0;
  BOOST_TEST(!cgal_constraint_generation(S, {0, 1}, 40, [&] { return ++rounds > 1; }).has_value());
  BOOST_TEST(rounds == 2);
  rounds = 0;
  BOOST_TEST(cgal_constraint_generation(S, {0, 1}, 40, [&] { return ++rounds > 99; }).has_value());
  BOOST_TEST(rounds >= 2);
}

// separating_along by hand: +1 at 2 and 3, -1 at 0 and 1 on a line. Along w = 1 the classes
// part between 1 and 2, so b = -3/2; along w = -1 they do not.
BOOST_AUTO_TEST_CASE(separating_along_by_hand) {
  const Dataset S = points({{1, {2}}, {1, {3}}, {-1, {0}}, {-1, {1}}});
  exact::IntMatrix w(1, 1);
  fmpz_set_si(w.at(0, 0), 1);
  const auto h = bridge::separating_along(S, w);
  BOOST_TEST_REQUIRE(h.has_value());
  BOOST_TEST((h->w == Vector{1}));
  BOOST_TEST(h->b == mpq_class(-3, 2));
  fmpz_set_si(w.at(0, 0), -1);
  BOOST_TEST(!bridge::separating_along(S, w));
  const Dataset touching = points({{1, {1}}, {-1, {1}}});  // the classes meet: no w separates
  fmpz_set_si(w.at(0, 0), 1);
  BOOST_TEST(!bridge::separating_along(touching, w));
}

// The simplex route to Gordan's alternative (bridge/gordan_lp.hpp): random labels in d = 6
// (300 points, not separable, as CGAL's exact dual confirms) give a certificate on at most
// d + 2 points that the independent checker accepts; separable data gives a hyperplane that
// separates exactly; the interior point's certificate checks too; and the solver takes that
// route on data past its CGAL limit.
BOOST_AUTO_TEST_CASE(gordan_by_simplex) {
  std::mt19937 rng(19);
  std::uniform_int_distribution<int> coord(-3, 3), sign(0, 1);
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<std::pair<int, Vector>> pts;
    for (int i = 0; i < 300; ++i) {
      Vector x(6);
      for (auto& v : x) v = mpq_class(coord(rng), 2);
      pts.push_back({sign(rng) ? 1 : -1, x});
    }
    const Dataset S = points(pts);
    BOOST_TEST_REQUIRE(!cgal_max_margin(S).separable);
    const bridge::GordanSearch f = bridge::gordan_by_lp(S);
    BOOST_TEST_REQUIRE(f.certificate.has_value());
    BOOST_TEST(!f.separating);
    BOOST_TEST(f.hint == "simplex, sifting");
    BOOST_TEST(f.certificate->support.size() <= 6 + 2);  // Caratheodory: a vertex of the LP
    const SeparatorResult r{false, {}, *f.certificate, "simplex"};
    const check::Verdict v = check::check_certificate(separator_certificate(inline_data(S), r), ".");
    BOOST_TEST(v.valid, v.reason);
    const std::optional<FarkasCertificate> centre = bridge::farkas_by_interior_point(S);  // the second hint
    BOOST_TEST_REQUIRE(centre.has_value());
    const SeparatorResult rc{false, {}, *centre, "interior point"};
    const check::Verdict vc = check::check_certificate(separator_certificate(inline_data(S), rc), ".");
    BOOST_TEST(vc.valid, vc.reason);
    BOOST_TEST(std::is_sorted(f.certificate->support.begin(), f.certificate->support.end()));
    bridge::SolveOptions o;
    o.cgal_fallback_max_points = 100, o.farkas_after_seconds = 0;
    const SeparatorResult solved = bridge::max_margin_separator(S, o);
    BOOST_TEST(!solved.separable);
    BOOST_TEST(solved.method == "LP (simplex, sifting) + exact projection (Farkas)");
    BOOST_TEST(!farkas_violation(S, solved.farkas));
  }
  for (int trial = 0; trial < 3; ++trial) {
    const Dataset S = random_separable(rng, 200, 6, 5);
    const bridge::GordanSearch g = bridge::gordan_by_lp(S);
    BOOST_TEST(!g.certificate);
    BOOST_TEST(!bridge::farkas_by_interior_point(S));
    BOOST_TEST_REQUIRE(g.separating.has_value());
    BOOST_TEST(g.working_set > 4 * (6 + 2));  // the first 32 points' optimum was priced out
    for (std::size_t i = 0; i < S.size(); ++i) {  // y_i(<w, x_i> + b) > 0, by hand
      mpq_class m = g.separating->b;
      for (std::size_t j = 0; j < S.dim(); ++j) m += g.separating->w[j] * S.x(i, j);
      BOOST_TEST(S.labels[i] * sgn(m) == 1);
    }
  }
}

// Sifting by hand: 200 separable points and, last, point 5 again with the other label. The
// LP starts on 32 evenly spaced points (0, 6, 12, ..., 194), which miss 5 and 200 and are
// separable; its dual (u, z) has (<u, a_5> + z) + (<u, a_200> + z) = 2 z > 0, so pricing
// brings one of them in. S without point 200 is separable, so every Farkas support holds 200.
BOOST_AUTO_TEST_CASE(gordan_sifting_finds_the_contradiction) {
  std::mt19937 rng(7);
  const Dataset separable = random_separable(rng, 200, 6, 5);
  std::vector<std::pair<int, Vector>> pts;
  for (std::size_t i = 0; i < separable.size(); ++i) {
    Vector x;
    for (std::size_t j = 0; j < separable.dim(); ++j) x.push_back(separable.x(i, j));
    pts.push_back({separable.labels[i], x});
  }
  pts.push_back({-pts[5].first, pts[5].second});
  const Dataset S = points(pts);
  const bridge::GordanSearch f = bridge::gordan_by_lp(S);
  BOOST_TEST_REQUIRE(f.certificate.has_value());
  BOOST_TEST(f.working_set > 4 * (6 + 2));
  BOOST_TEST(f.working_set < S.size());
  BOOST_TEST(f.certificate->support.back() == 200u);
  const SeparatorResult r{false, {}, *f.certificate, "simplex"};
  const check::Verdict v = check::check_certificate(separator_certificate(inline_data(S), r), ".");
  BOOST_TEST(v.valid, v.reason);
  // Given the two points first (as SMO's largest alpha are; a repeat and an index past S are
  // skipped), the first 32 points hold the contradiction: no point joins.
  const bridge::GordanSearch given = bridge::gordan_by_lp(S, 0, {200, 5, 200, 9999});
  BOOST_TEST_REQUIRE(given.certificate.has_value());
  BOOST_TEST(given.working_set == 4u * (6 + 2));
  BOOST_TEST(given.certificate->support.back() == 200u);
  BOOST_TEST(!farkas_violation(S, *given.certificate));
}

// The max-margin QP at scale (bridge/margin_qp.hpp): from the LP's separating hyperplane, a
// working set of 10 + 10 of 400 points (each class's nearest) grown by the violated ones; its
// central alpha, moved exactly onto the KKT equalities (confirm_central), gives the
// max-margin separator CGAL's exact dual finds (w*, b* and margin_sq equal).
// Through the solver past its CGAL limit the same separator comes by that route.
BOOST_AUTO_TEST_CASE(margin_by_qp) {
  std::mt19937 rng(23);
  for (int trial = 0; trial < 3; ++trial) {
    const Dataset S = random_separable(rng, 400, 6, 4 + trial);
    const SeparatorResult exact_dual = cgal_max_margin(S);
    BOOST_TEST_REQUIRE(exact_dual.separable);
    const MaxMarginSeparator& oracle = exact_dual.separator;
    const bridge::GordanSearch g = bridge::gordan_by_lp(S);
    BOOST_TEST_REQUIRE(g.separating.has_value());
    const bridge::MarginHint hint = bridge::margin_support_by_qp(S, *g.separating);
    BOOST_TEST_REQUIRE(!hint.support.empty(), "trial " << trial);
    const std::optional<MaxMarginSeparator> sep = confirm_central(S, hint.support, hint.weights);
    BOOST_TEST_REQUIRE(sep.has_value());
    BOOST_TEST(sep->margin_sq == oracle.margin_sq);
    BOOST_TEST((sep->w_star == oracle.w_star));
    BOOST_TEST(sep->b_star == oracle.b_star);
    bridge::SolveOptions o;
    o.cgal_fallback_max_points = 100, o.farkas_after_seconds = 0;
    bridge::SolveStats stats;
    const SeparatorResult solved = bridge::max_margin_separator(S, o, &stats);
    BOOST_TEST_REQUIRE(solved.separable);
    BOOST_TEST(solved.method == "QP (barrier) + exact KKT confirmation");
    BOOST_TEST(stats.separable_proved);
    BOOST_TEST(solved.separator.margin_sq == oracle.margin_sq);
  }
}

// The LP and the QP run OpenBLAS on one thread (one_blas_thread.hpp) and leave it with as
// many as they found. scripts/setup.sh installs OpenBLAS, which CLP's LAPACK then loads.
BOOST_AUTO_TEST_CASE(openblas_runs_on_one_thread_inside_the_guard_only) {
  auto get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  auto set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  BOOST_TEST_REQUIRE((get && set), "OpenBLAS is not the LAPACK loaded");
  set(2);
  const int before = get();  // 2, or 1 on a one-core machine
  {
    const bridge::OneBlasThread one;
    BOOST_TEST(get() == 1);
  }
  BOOST_TEST(get() == before);
}
