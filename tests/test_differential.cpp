#define BOOST_TEST_MODULE differential
// Differential testing on seeded random instances: the exact separator against
// CGAL's exact QP solver, and separability and ray exit points against z3's exact
// real arithmetic. ADVDIR_DIFFERENTIAL_COUNT sets the number of instances.
#include "advdir/bridge/separator.hpp"
#include "advdir/exact/linear_transfer.hpp"

#include <boost/test/unit_test.hpp>
#include <z3++.h>

#include <cstdlib>
#include <random>

using namespace advdir;
using namespace advdir::exact;

namespace {

int count() {
  const char* env = std::getenv("ADVDIR_DIFFERENTIAL_COUNT");
  return env ? std::atoi(env) : 100;
}

z3::expr real(z3::context& z, const mpq_class& q) { return z.real_val(to_string(q).c_str()); }

// Points with small integer coordinates and random labels: separable or not, by chance.
Dataset random_instance(std::mt19937& rng, int trial) {
  const std::size_t n = 4 + trial % 12, d = 1 + trial % 4;
  std::uniform_int_distribution<int> coord(-4, 4), label(0, 3);
  std::vector<Vector> xs;
  std::vector<int> ys;
  const int bias = trial % 3;  // mostly separable or mostly not
  for (std::size_t i = 0; i < n; ++i) {
    Vector x(d);
    for (auto& v : x) v = coord(rng);
    const int y = bias == 0 ? (label(rng) < 2 ? 1 : -1) : (x[0] + (bias == 1 ? 0 : x[d - 1]) > 0 ? 1 : -1);
    xs.push_back(x);
    ys.push_back(y);
  }
  ys[0] = 1;
  ys[1] = -1;
  return make_dataset(xs, ys, "random");
}

// z3: is there (w, b) with y_i(<w,x_i> + b) >= 1 for all i?
bool z3_separable(const Dataset& S) {
  z3::context z;
  z3::solver s(z);
  z3::expr_vector w(z);
  for (std::size_t j = 0; j < S.dim(); ++j) {
    std::string name = "w";  // built in steps: GCC 12 warns falsely on "w" + std::string
    name += std::to_string(j);
    w.push_back(z.real_const(name.c_str()));
  }
  const z3::expr b = z.real_const("b");
  for (std::size_t i = 0; i < S.size(); ++i) {
    z3::expr sum = b;
    for (std::size_t j = 0; j < S.dim(); ++j) sum = sum + w[int(j)] * real(z, S.x(i, j));
    s.add(S.labels[i] * sum >= 1);
  }
  return s.check() == z3::sat;
}

// z3: no c in (0, c_exit) changes the label, and every c > c_exit does (or, when
// not adversarial, no c > 0 does).
void z3_confirms_ray(const LinearModel& h, const Vector& x, const Vector& v, const LinearRay& r) {
  z3::context z;
  const z3::expr c = z.real_const("c");
  z3::expr score = real(z, h.b);
  for (std::size_t j = 0; j < x.size(); ++j) score = score + real(z, h.w[j]) * (real(z, x[j]) + c * real(z, v[j]));
  const z3::expr differs = r.label_before > 0 ? score <= 0 : score > 0;
  auto unsat = [&](const z3::expr& e) {
    z3::solver s(z);
    s.add(e);
    return s.check() == z3::unsat;
  };
  if (!r.adversarial) {
    BOOST_TEST(unsat(c > 0 && differs));
    return;
  }
  const z3::expr ce = real(z, r.c_exit);
  BOOST_TEST(unsat(c > 0 && c < ce && differs));
  BOOST_TEST(unsat(c > ce && !differs));
  BOOST_TEST(unsat(c == ce && (r.differs_at_exit ? !differs : differs)));
}

}  // namespace

BOOST_AUTO_TEST_CASE(separator_against_cgal_and_z3) {
  std::mt19937 rng(1234);
  int separable = 0;
  for (int trial = 0; trial < count(); ++trial) {
    const Dataset S = random_instance(rng, trial);
    const SeparatorResult ours = bridge::max_margin_separator(S), oracle = cgal_max_margin(S);
    BOOST_TEST(ours.separable == oracle.separable, "trial " << trial);
    BOOST_TEST(ours.separable == z3_separable(S), "trial " << trial);
    if (ours.separable && oracle.separable) {
      ++separable;
      BOOST_TEST(!kkt_violation(S, ours.separator));
      BOOST_TEST((ours.separator.w_star == oracle.separator.w_star), "trial " << trial);
      BOOST_TEST(ours.separator.b_star == oracle.separator.b_star);
    } else if (!ours.separable) {
      BOOST_TEST(!farkas_violation(S, ours.farkas));
    }
  }
  BOOST_TEST_MESSAGE(count() << " instances, " << separable << " separable");
  BOOST_TEST(separable > count() / 5);
  BOOST_TEST(separable < count());
}

BOOST_AUTO_TEST_CASE(ray_exit_points_against_z3) {
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> coord(-5, 5), den(1, 4);
  for (int trial = 0; trial < count(); ++trial) {
    const std::size_t d = 1 + trial % 5;
    Vector x(d), v(d);
    LinearModel h{Vector(d), mpq_class(coord(rng), den(rng))};
    for (std::size_t j = 0; j < d; ++j) {
      x[j] = mpq_class(coord(rng), den(rng));
      v[j] = trial % 7 == 0 ? mpq_class(0) : mpq_class(coord(rng), den(rng));
      h.w[j] = coord(rng);
    }
    if (trial % 11 == 0) {  // on the boundary
      x = Vector(d, 0);
      h.b = 0;
    }
    z3_confirms_ray(h, x, v, linear_ray(h, x, v));
  }
}
