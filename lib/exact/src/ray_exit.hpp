// Where a ray's label changes on one piece, where the outputs are affine in c: shared
// by the layered walk (relu.cpp) and the graph walk (graph.cpp).
#pragma once
#include "advdir/exact/relu.hpp"

#include <gmpxx.h>

#include <vector>

namespace advdir::exact {

// A position p/q >= 0 on the ray.
struct Position {
  mpz_class p = 0, q = 1;
  mpq_class value() const {
    mpq_class r(p, q);
    r.canonicalize();
    return r;
  }
  bool operator<(const Position& o) const { return p * o.q < o.p * q; }
  bool operator==(const Position& o) const { return p * o.q == o.p * q; }
};

// Output m's value and slope at t, up to one positive factor shared by all m.
struct Outputs {
  std::vector<mpz_class> value, slope;
  mpz_class scale;  // value_m / scale is o_m(t)
};

// The label given the outputs; `right`: on (t, t + eps), where ties are broken by slopes.
int decide(Decision decision, const mpq_class& threshold, const Outputs& o, bool right);

// The outputs on one piece: o_m(c) = (z0_m + c z1_m) / den, den > 0.
struct AffineOutputs {
  std::vector<mpz_class> z0, z1;
  mpz_class den;
  Outputs at(const Position& t) const;
};

// The first c in [pos, next) (next == nullptr: unbounded) at which the label differs
// from `label`: candidates are pos and the roots of the race between the outputs that
// decide. On success fills ray's exit fields (adversarial, c_exit, differs_at_exit,
// label_after) and returns true.
bool first_exit(Decision decision, const mpq_class& threshold, int label, const AffineOutputs& o, const Position& pos,
                const Position* next, NetRay& ray);

}  // namespace advdir::exact
