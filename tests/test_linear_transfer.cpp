#define BOOST_TEST_MODULE linear_transfer
#include "advdir/bridge/separator.hpp"
#include "advdir/exact/linear_transfer.hpp"
#include "advdir/exact/perceptron.hpp"

#include <boost/test/unit_test.hpp>

using namespace advdir;
using namespace advdir::exact;

namespace {

// PROOFS.md, Section 6: w* = (1,0), b* = -1, alpha = (1/2, 1/4, 1/4).
Dataset section6() { return make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "section6"); }

}  // namespace

// h = (w, b) = ((1, 1), -1): margins y(<w,x>+b) = 1, 2, 0 ... not accurate at (2,-1); take b = -1/2:
// margins 1/2, 5/2, 1/2; <w,w*> = 1; c_exit = margins; gamma_h = 1/2; sum alpha = 1; bound = 2 m_i.
BOOST_AUTO_TEST_CASE(theorems_4_5_corollary_6_by_hand) {
  Dataset S = section6();
  MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
  TransferReport r = certify_linear_transfer(S, sep, {{{1, 1}, mpq_class(-1, 2)}});
  BOOST_REQUIRE(r.certified.size() == 1u);
  const ClassifierTransfer& t = r.certified[0];
  BOOST_TEST(t.inner == 1);
  BOOST_TEST((t.c_exit == Vector{mpq_class(1, 2), mpq_class(5, 2), mpq_class(1, 2)}));
  BOOST_TEST(t.gamma_h == mpq_class(1, 2));
  BOOST_TEST(t.least_margin == 0u);
  BOOST_TEST((t.bound == Vector{1, 5, 1}));
  // Corollary 6: the least-margin point flips for every c > margin_sq = 1.
  BOOST_TEST(t.c_exit[t.least_margin] <= sep.margin_sq);
  // The exit is exact: at x - c y w* the score crosses zero at c_exit.
  for (std::size_t i = 0; i < S.size(); ++i) {
    Vector x = S.point(i);
    x[0] -= t.c_exit[i] * S.labels[i] * sep.w_star[0];
    BOOST_TEST(t.h.score(x) == 0);
  }
}

BOOST_AUTO_TEST_CASE(classifiers_that_are_not_accurate_are_reported_not_certified) {
  Dataset S = section6();
  MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
  // (1,1), b = -1 puts (2,-1) on its boundary: h = -1 there, label +1.
  TransferReport r = certify_linear_transfer(S, sep, {{{1, 1}, -1}, {{1, 0}, -1}, {{-1, 0}, 1}});
  BOOST_TEST(r.certified.size() == 1u);
  BOOST_REQUIRE(r.rejected.size() == 2u);
  BOOST_TEST(r.rejected[0].classifier == 0u);
  BOOST_TEST((r.rejected[0].offending == std::vector<std::size_t>{2}));
  BOOST_TEST((r.rejected[1].offending == std::vector<std::size_t>{0, 1, 2}));
  // Beyond the theorem: <w,w*> = <(1,1),(1,0)> = 1 > 0, so -y w* still flips the two points
  // h gets right, past their margins 1 and 2; (-1,0) has <w,w*> = -1 and no exits.
  BOOST_TEST(r.rejected[0].inner == 1);
  BOOST_TEST((r.rejected[0].c_exit == Vector{1, 2}));
  BOOST_TEST(r.rejected[1].inner == -1);
  BOOST_TEST(r.rejected[1].c_exit.empty());
}

BOOST_AUTO_TEST_CASE(perceptron_is_accurate_and_certified) {
  Dataset S = make_dataset({{0, 0}, {1, 0}, {3, 1}, {4, 2}, {0, 3}}, {-1, -1, 1, 1, -1}, "p");
  auto h = perceptron(S, 100);
  BOOST_REQUIRE(h);
  for (const mpq_class& m : signed_scores(S, *h)) BOOST_TEST(m > 0);
  MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
  TransferReport r = certify_linear_transfer(S, sep, {*h});
  BOOST_TEST(r.certified.size() == 1u);
  BOOST_TEST(r.certified[0].inner > 0);
  for (std::size_t i = 0; i < S.size(); ++i) BOOST_TEST(r.certified[0].c_exit[i] <= r.certified[0].bound[i]);
}

BOOST_AUTO_TEST_CASE(linear_rays) {
  LinearModel h{{1, 0}, -1};
  LinearRay up = linear_ray(h, {0, 0}, {1, 0});  // -1 at x; crosses 0 at c = 1, +1 after
  BOOST_TEST(up.adversarial);
  BOOST_TEST(up.label_before == -1);
  BOOST_TEST(up.c_exit == 1);
  BOOST_TEST(!up.differs_at_exit);
  LinearRay down = linear_ray(h, {3, 5}, {-4, 1});  // +1 at x (score 2), slope -4: c_exit = 1/2
  BOOST_TEST(down.adversarial);
  BOOST_TEST(down.c_exit == mpq_class(1, 2));
  BOOST_TEST(down.differs_at_exit);
  LinearRay never = linear_ray(h, {0, 0}, {0, 1});  // slope 0: the label never changes
  BOOST_TEST(!never.adversarial);
  BOOST_TEST(never.slope == 0);
  LinearRay boundary = linear_ray(h, {1, 0}, {1, 0});  // on the boundary (-1), moving up: c_exit = 0
  BOOST_TEST(boundary.adversarial);
  BOOST_TEST(boundary.c_exit == 0);
}
