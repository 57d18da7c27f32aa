#define BOOST_TEST_MODULE multiclass
// Theorems 8 and 7: hand-derived multi-class exits, ties, third-class exits, LIBLINEAR
// files read exactly, MPFR enclosures against exact rational values, and the
// checker's rejections of damaged "8" and "7" certificates.
#include "advdir/bridge/liblinear.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/enclose/enclosure.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <functional>
#include <fstream>

using namespace advdir;
using namespace advdir::exact;

namespace {

// tests/data/three_classes.txt: classes 0: (0,0), (1,0); 1: (4,0), (5,0); 2: (0,4), (0,5).
Dataset three_classes() { return read_text_dataset(ADVDIR_TEST_DATA "/three_classes.txt"); }

// z = (2 - x1 - x2, x1 - 2, x2 - 2) with a free third row.
MulticlassModel model(Vector w2, mpq_class b2, mpq_class b0 = 2) {
  return {{{-1, -1}, {1, 0}, std::move(w2)}, {b0, -2, std::move(b2)}, {0, 1, 2}};
}

struct Pair01 {
  Dataset P = binary_pair(three_classes(), 0, 1);
  MaxMarginSeparator sep = bridge::max_margin_separator(P).separator;
};

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

// Pair (0,1): w* = (-2/3, 0), b* = 5/3, margin_sq = 9/4; <w_0 - w_1, w*> = 4/3. From (0,0)
// along (2/3,0)c, z_1 reaches z_0 at c = 3 (row 0 keeps the tie); from (4,0) along -(2/3,0)c,
// z_0 reaches z_1 at c = 3 and wins the tie there.
BOOST_AUTO_TEST_CASE(theorem8_by_hand) {
  Pair01 p;
  BOOST_TEST((p.sep.w_star == Vector{mpq_class(-2, 3), 0}));
  BOOST_TEST(p.sep.b_star == mpq_class(5, 3));
  BOOST_TEST(p.sep.margin_sq == mpq_class(9, 4));
  PairReport r = certify_pair_transfer(p.P, 0, 1, p.sep, {model({0, 1}, -2)});
  BOOST_REQUIRE(r.certified.size() == 1u);
  const PairTransfer& t = r.certified[0];
  BOOST_TEST(t.inner == mpq_class(4, 3));
  BOOST_TEST((t.c_exit == Vector{3, mpq_class(3, 2), 3, mpq_class(9, 2)}));
  BOOST_TEST((t.c_pair == t.c_exit));
  BOOST_TEST((t.to == std::vector<int>{1, 1, 0, 0}));
  BOOST_TEST((t.differs_at_exit == std::vector<bool>{false, false, true, true}));
}

// With z_2 = (x1 - 1)/2 the label of (0,0) leaves to class 2 at c = 5/2 < c_pair = 3, and
// that of (1,0) at c = 1 < 3/2: Theorem 8 bounds the exit, a third class may come first.
BOOST_AUTO_TEST_CASE(theorem8_exit_to_a_third_class) {
  Pair01 p;
  PairReport r = certify_pair_transfer(p.P, 0, 1, p.sep, {model({mpq_class(1, 2), 0}, mpq_class(-1, 2))});
  BOOST_REQUIRE(r.certified.size() == 1u);
  const PairTransfer& t = r.certified[0];
  BOOST_TEST(t.c_exit[0] == mpq_class(5, 2));
  BOOST_TEST(t.c_exit[1] == 1);
  BOOST_TEST(t.to[0] == 2);
  BOOST_TEST(t.to[1] == 2);
  BOOST_TEST(t.c_pair[0] == 3);
  for (std::size_t i = 0; i < p.P.size(); ++i) BOOST_TEST(t.c_exit[i] <= t.c_pair[i]);
}

// b_0 = 0 puts (1,0) on z_0 = z_1 = -1: classified 0 by the smaller row, but the pair is
// not strictly separated there, so the classifier is reported, not certified.
BOOST_AUTO_TEST_CASE(theorem8_ties_and_errors_are_reported) {
  Pair01 p;
  PairReport r = certify_pair_transfer(p.P, 0, 1, p.sep, {model({0, 1}, -2, 0), model({0, 1}, -2, -10)});
  BOOST_TEST(r.certified.empty());
  BOOST_REQUIRE(r.rejected.size() == 2u);
  BOOST_TEST((r.rejected[0].tied == std::vector<std::size_t>{1}));
  BOOST_TEST(r.rejected[0].wrong.empty());
  BOOST_TEST((r.rejected[1].wrong == std::vector<std::size_t>{0, 1}));
}

// argmax_exit against a direct evaluation of argmax(z + c slope) around the exit.
BOOST_AUTO_TEST_CASE(argmax_exit_agrees_with_evaluation) {
  const Vector slope = {0, 1, 2, 7};
  auto label_at = [&](const std::vector<mpz_class>& z, const mpq_class& c) {
    std::size_t best = 0;
    for (std::size_t m = 1; m < z.size(); ++m)
      if (z[m] + c * slope[m] > z[best] + c * slope[best]) best = m;
    return best;
  };
  // Row 2 ties row 0 at c = 0 and grows faster: the exit is 0 (row 0 still wins at 0).
  const std::vector<mpz_class> tie = {5, 3, 5, -1};
  const ArgmaxExit e = argmax_exit(tie, 1, 0, slope);
  BOOST_REQUIRE(e.leaves);
  BOOST_TEST(e.c_exit == 0);
  BOOST_TEST(e.row_after == 2u);
  BOOST_TEST(label_at(tie, 0) == 0u);
  BOOST_TEST(label_at(tie, mpq_class(1, 1000)) == 2u);
  // Rows 2 and 3 reach row 0 at c = 1/2 and 1: the first exit is 1/2, to row 2.
  const std::vector<mpz_class> z = {6, 3, 5, -1};
  const ArgmaxExit f = argmax_exit(z, 1, 0, slope);
  BOOST_TEST(f.c_exit == mpq_class(1, 2));
  BOOST_TEST(f.row_after == 2u);
  BOOST_TEST(!f.differs_at_exit);
  BOOST_TEST(label_at(z, f.c_exit - mpq_class(1, 1000)) == 0u);
  BOOST_TEST(label_at(z, f.c_exit) == 0u);
  BOOST_TEST(label_at(z, f.c_exit + mpq_class(1, 1000)) == 2u);
  // A lower row that catches up wins the tie at the exit itself.
  const ArgmaxExit g = argmax_exit({5, 6, 0, 0}, 1, 1, {1, 0, 0, 0});
  BOOST_TEST(g.c_exit == 1);
  BOOST_TEST(g.differs_at_exit);
  BOOST_TEST(!argmax_exit(z, 1, 3, slope).leaves);  // the fastest row never loses
}

// LIBLINEAR files: every weight is the double it denotes, exactly; the bias feature
// becomes b; label order decides rows and ties.
BOOST_AUTO_TEST_CASE(liblinear_files_read_exactly) {
  const std::string three = write_temp("advdir_ll3.model",
      "solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 3\nlabel 2 0 1\nnr_feature 2\nbias 1\nw\n"
      "0.1 -2 0.5 \n1e-3 0 -0.25 \n3 0.5 -1 \n");
  const MulticlassModel h = bridge::read_liblinear_multiclass(three);
  BOOST_TEST((h.classes == std::vector<int>{2, 0, 1}));
  BOOST_TEST(h.W[0][0] == mpq_class(3602879701896397, mpz_class("36028797018963968")));  // the double 0.1
  BOOST_TEST(h.W[0][0] != mpq_class(1, 10));
  BOOST_TEST(h.W[2][1] == mpq_class(-1, 4));
  BOOST_TEST((h.b == Vector{3, mpq_class(1, 2), -1}));
  BOOST_TEST(h.label({0, 0}) == 2);
  // Two classes, -1 listed first: LIBLINEAR says -1 iff w.x + b > 0.
  const std::string two = write_temp("advdir_ll2.model",
      "solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 2\nlabel -1 1\nnr_feature 1\nbias -1\nw\n2\n");
  const LinearModel g = bridge::read_liblinear_binary(two);
  BOOST_TEST((g.w == Vector{-2}));
  BOOST_TEST(g.label({1}) == -1);
  BOOST_TEST(g.label({-1}) == 1);
  const MulticlassModel m = bridge::read_liblinear_multiclass(two);
  BOOST_TEST(m.label({0}) == 1);  // w.x + b = 0 goes to label[1], as in LIBLINEAR
  BOOST_TEST(m.label({1}) == -1);
}

BOOST_AUTO_TEST_CASE(liblinear_bad_files_are_refused) {
  const std::string head = "solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 2\nlabel 1 -1\nnr_feature 2\nbias -1\nw\n";
  for (const std::string body : {"nan\n1\n", "1\ninf\n", "1\n", "1\n2x\n", "1\n2\n3\n"})
    BOOST_CHECK_THROW(bridge::read_liblinear_binary(write_temp("advdir_bad.model", head + body)), InputError);
  BOOST_CHECK_THROW(bridge::read_liblinear_binary(write_temp("advdir_bad.model", "solver_type X\nweird 1\nw\n")), InputError);
  BOOST_CHECK_THROW(bridge::read_liblinear_binary(write_temp("advdir_bad.model", "nr_class 2\nlabel 1 -1\nnr_feature 1\n")),
                    InputError);
}

// MPFR enclosures against exact values: with n = 1 (ln 1 = 0) and square B^2, R^2 the
// bound (1 - 2 rho) - c B R is rational; otherwise a finer enclosure must nest inside.
BOOST_AUTO_TEST_CASE(enclosures_contain_the_exact_bound) {
  const auto rational = enclose::soft_margin_bound(mpq_class(1, 10), 1, mpq_class(9, 4), 4, 2);
  const mpq_class exact = mpq_class(4, 5) - 2 * mpq_class(3, 2) * 2;
  BOOST_TEST(rational.lo <= exact);
  BOOST_TEST(exact <= rational.hi);
  BOOST_TEST(rational.hi - rational.lo < mpq_class(1, mpz_class(1) << 100));
  const auto coarse = enclose::soft_margin_bound(mpq_class(1, 7), 1000, 2, 3, 4, 64);
  const auto fine = enclose::soft_margin_bound(mpq_class(1, 7), 1000, 2, 3, 4, 512);
  BOOST_TEST(coarse.lo <= fine.lo);
  BOOST_TEST(fine.lo < fine.hi);
  BOOST_TEST(fine.hi <= coarse.hi);
  // 1000 (5/7) - 4 sqrt(6) sqrt(1000) - 4 sqrt(1000 ln 1000): sqrt(6000) is in (77.45, 77.46).
  const mpq_class low = mpq_class(5000, 7) - 4 * mpq_class(7746, 100) - 4 * mpq_class(8312, 100);
  const mpq_class high = mpq_class(5000, 7) - 4 * mpq_class(7745, 100) - 4 * mpq_class(8311, 100);
  BOOST_TEST(low <= fine.lo);
  BOOST_TEST(fine.hi <= high);
  BOOST_TEST(enclose::to_string(enclose::at_least(0, fine)) == std::string("fails"));
  BOOST_TEST(enclose::to_string(enclose::at_least(1000, fine)) == std::string("holds"));
  BOOST_TEST(enclose::to_string(enclose::at_least(0, {-1, 1})) == std::string("undecided"));
}

namespace {

// Every damaged copy made by `damage` must be rejected by the checker.
void expect_rejected(const json& cert, const std::vector<std::function<void(json&)>>& damage) {
  const check::Verdict v = check::check_certificate(cert, ".");
  BOOST_TEST_REQUIRE(v.valid, v.reason);
  for (std::size_t m = 0; m < damage.size(); ++m) {
    json bad = cert;
    damage[m](bad);
    BOOST_TEST(!check::check_certificate(bad, ".").valid, "damage " << m << " was accepted");
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(theorem8_certificates_are_checked) {
  Pair01 p;
  const MulticlassModel h = model({mpq_class(1, 2), 0}, mpq_class(-1, 2));
  PairReport r = certify_pair_transfer(p.P, 0, 1, p.sep, {h});
  const json cert = theorem8_certificate(inline_data(three_classes()), {h}, {{p.sep, r}});
  auto t = [](json& c) -> json& { return c["pairs"][0]["transfers"][0]; };
  expect_rejected(cert, {
      [&](json& c) { t(c)["c_exit"][0] = "3"; },           // c_pair, not the first exit
      [&](json& c) { t(c)["c_exit"][1] = "7/8"; },
      [&](json& c) { t(c)["c_pair"][2] = "4"; },
      [&](json& c) { t(c)["inner"] = "1"; },
      [&](json& c) { t(c)["to"][0] = 1; },
      [&](json& c) { t(c)["differs_at_exit"][2] = true; },
      [&](json& c) { c["classifiers"][0]["b"][0] = "0"; },  // ties (1,0): hypothesis unmet
      [&](json& c) { c["classifiers"][0]["W"][2][0] = "1"; },
      [&](json& c) { c["pairs"][0]["b_star"] = "2"; },
      [&](json& c) { c["pairs"][0]["l"] = 2; },
      [&](json& c) { t(c)["classifier"] = 1; },
  });
}

// S_1 = {((2,0),+1), ((-2,0),-1), ((1,0),+1)}, S_2 = {((3,1),+1), ((-1,0),-1), ((-1/2,0),+1)};
// h_1 = ((1,0), 0) and h_2 = ((1,1), 0) both miss (-1/2,0): S has 3 + 2 points, w_S* = (1,0),
// b* = 0, rho = (0, 1/3), |w|^2 = (1, 2), R^2 = 10, c_exit = the margins (<w,w*> = 1).
BOOST_AUTO_TEST_CASE(theorem7_by_hand_and_checked) {
  const std::vector<Dataset> sets = {make_dataset({{2, 0}, {-2, 0}, {1, 0}}, {1, -1, 1}, "S1"),
                                     make_dataset({{3, 1}, {-1, 0}, {mpq_class(-1, 2), 0}}, {1, -1, 1}, "S2")};
  const std::vector<LinearModel> hs = {{{1, 0}, 0}, {{1, 1}, 0}};
  const CommonSubset common = common_correct(sets, hs, false);
  BOOST_TEST((common.in_set == std::vector<std::size_t>{3, 2}));
  BOOST_TEST((common.origin.back() == std::make_pair(std::size_t(1), std::size_t(1))));
  const SoftMarginStats st = soft_margin_stats(sets, hs);
  BOOST_TEST((st.rho == std::vector<mpq_class>{0, mpq_class(1, 3)}));
  BOOST_TEST((st.w_norm_sq == std::vector<mpq_class>{1, 2}));
  BOOST_TEST(st.R_sq == 10);
  const MaxMarginSeparator sep = bridge::max_margin_separator(common.S).separator;
  BOOST_TEST((sep.w_star == Vector{1, 0}));
  BOOST_TEST(sep.b_star == 0);
  const TransferReport report = certify_linear_transfer(common.S, sep, hs);
  BOOST_REQUIRE(report.certified.size() == 2u);
  BOOST_TEST((report.certified[1].c_exit == Vector{2, 2, 1, 4, 1}));
  const json cert = theorem7_certificate({inline_data(sets[0]), inline_data(sets[1])}, false, common, st, sep, report);
  expect_rejected(cert, {
      [](json& c) { c["S"].erase(c["S"].size() - 1); },
      [](json& c) { c["S"].push_back({1, 2}); },
      [](json& c) { c["in_set"][1] = 3; },
      [](json& c) { c["rho"][1] = "0"; },
      [](json& c) { c["w_norm_sq"][0] = "2"; },
      [](json& c) { c["R_sq"] = "9"; },
      [](json& c) { c["classifiers"][0]["c_exit"][3] = "2"; },
      [](json& c) { c["confident"] = true, c["classifiers"][1]["w"][1] = "1/2"; },
      [](json& c) { c["data"].erase(1); },
  });
  BOOST_CHECK_THROW(common_correct(sets, {hs[0]}, false), InputError);
}

// Theorem 9 on the pair (0,1): S_1 = three_classes.txt, S_2 = {(0,1): 0, (3,0): 0, (9/2,0): 1,
// (2,0): 1}; h_1 = z of theorem8_by_hand, h_2 the same with b_0 = 5/2. Both miss (3,0) and
// (2,0) (h_1 by the tie z_0 = z_1 = 0 at (2,0)), so S = S_1[0,1] and 2 points of S_2;
// rho = (0, 1/2), n = (4, 4), B^2 = 2, R^2 = 25.
// Two rows overtake at once: from (0,0) along -y w* = (2/3, 0), z_2 = 1 and z_3 = x1 - 1 both
// reach z_0 = 3 - x1 at x1 = 2 (c = 3); past it z_3 > z_2, so the label goes to class 3.
BOOST_AUTO_TEST_CASE(two_rows_overtaking_at_once_send_the_point_to_the_steeper) {
  Pair01 p;
  const MulticlassModel h{{{-1, 0}, {4, 0}, {0, 0}, {1, 0}}, {3, -10, 1, -1}, {0, 1, 2, 3}};
  const PairReport r = certify_pair_transfer(p.P, 0, 1, p.sep, {h});
  BOOST_REQUIRE(r.certified.size() == 1u);
  BOOST_TEST(r.certified[0].c_exit[0] == 3);
  BOOST_TEST(r.certified[0].to[0] == 3);
  const json cert = theorem8_certificate(inline_data(three_classes()), {h}, {{p.sep, r}});
  auto t = [](json& c) -> json& { return c["pairs"][0]["transfers"][0]; };
  expect_rejected(cert, {
      [&](json& c) { t(c)["to"][0] = 2; },
      [&](json& c) { t(c)["c_exit"][0] = 3; },  // the right value, of another type: each is refused
      [&](json& c) { t(c)["to"][0] = "3"; },
      [&](json& c) { t(c)["differs_at_exit"][0] = 0; },
  });
}

Dataset second_set() { return make_dataset({{0, 1}, {3, 0}, {mpq_class(9, 2), 0}, {2, 0}}, {0, 0, 1, 1}, "S2"); }
MulticlassModel second_model() { return model({0, 1}, -2, mpq_class(5, 2)); }

BOOST_AUTO_TEST_CASE(theorem9_by_hand_and_checked) {
  const std::vector<Dataset> sets = {three_classes(), second_set()};
  const std::vector<MulticlassModel> hs = {model({0, 1}, -2), second_model()};
  const CommonSubset common = common_correct_pair(sets, hs, 0, 1, false);
  BOOST_TEST((common.in_set == std::vector<std::size_t>{4, 2}));
  BOOST_TEST((common.S.labels == std::vector<int>{1, 1, -1, -1, 1, -1}));
  const PairStats st = pair_stats(sets, hs, 0, 1);
  BOOST_TEST((st.rho == std::vector<mpq_class>{0, mpq_class(1, 2)}));
  BOOST_TEST((st.n == std::vector<std::size_t>{4, 4}));
  BOOST_TEST(st.B_sq == 2);
  BOOST_TEST(st.R_sq == 25);
  const MaxMarginSeparator sep = bridge::max_margin_separator(common.S).separator;
  PairReport report = certify_pair_transfer(common.S, 0, 1, sep, hs);
  BOOST_REQUIRE(report.certified.size() == 2u);
  const json cert = theorem9_certificate({inline_data(sets[0]), inline_data(sets[1])}, hs, false,
                                         {{common, st, {sep, report}}});
  auto p = [](json& c) -> json& { return c["pairs"][0]; };
  expect_rejected(cert, {
      [&](json& c) { p(c)["S"].erase(5); },
      [&](json& c) { p(c)["in_set"][0] = 3; },
      [&](json& c) { p(c)["rho"][1] = "1/4"; },
      [&](json& c) { p(c)["n"][1] = 3; },
      [&](json& c) { p(c)["B_sq"] = "1"; },
      [&](json& c) { p(c)["R_sq"] = "16"; },
      [&](json& c) { p(c)["transfers"][1]["c_exit"][0] = "0"; },
      [&](json& c) { c["data"].erase(1); },
      [&](json& c) { c["classifiers"][1]["b"][0] = "2"; },
  });
}

// Theorem 9 on one training set is Theorem 8 on the points its classifier gets right: S_2 and
// h_2 above keep (0,1) and (9/2,0) of the four; rho = 1/2, R^2 = 81/4. A point h_2 misses may
// not be listed, and a set needs its classifier (none at all is refused too).
BOOST_AUTO_TEST_CASE(theorem9_on_one_set_is_theorem8_where_the_classifier_is_right) {
  const std::vector<Dataset> sets = {second_set()};
  const std::vector<MulticlassModel> hs = {second_model()};
  const CommonSubset common = common_correct_pair(sets, hs, 0, 1, false);
  BOOST_TEST((common.in_set == std::vector<std::size_t>{2}));
  BOOST_TEST((common.S.labels == std::vector<int>{1, -1}));
  const PairStats st = pair_stats(sets, hs, 0, 1);
  BOOST_TEST((st.rho == std::vector<mpq_class>{mpq_class(1, 2)}));
  BOOST_TEST(st.R_sq == mpq_class(81, 4));
  const MaxMarginSeparator sep = bridge::max_margin_separator(common.S).separator;
  PairReport report = certify_pair_transfer(common.S, 0, 1, sep, hs);
  BOOST_REQUIRE(report.certified.size() == 1u);
  const json cert = theorem9_certificate({inline_data(sets[0])}, hs, false, {{common, st, {sep, report}}});
  auto p = [](json& c) -> json& { return c["pairs"][0]; };
  expect_rejected(cert, {
      [&](json& c) { p(c)["S"].insert(p(c)["S"].begin() + 1, json::array({0, 1})); },
      [&](json& c) { p(c)["in_set"][0] = 3; },
      [&](json& c) { c["data"].push_back(c["data"][0]); },
      [&](json& c) { c["data"].clear(), c["classifiers"].clear(); },
  });
}
