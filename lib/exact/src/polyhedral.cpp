#include "advdir/exact/polyhedral.hpp"

#include "advdir/exact/direction.hpp"
#include "advdir/exact/error.hpp"

namespace advdir::exact {

namespace {

mpq_class unit_value(const Layer& l, std::size_t j, const Vector& x) { return dot(l.W[j], x) + l.b[j]; }

}  // namespace

Theorem16 certify_theorem16(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta) {
  if (net.decision != Decision::all_positive) throw InputError("--classifier", "Theorem 16 is about relu_and nets (R'')");
  require_binary(S);
  require_accurate(S, net);
  const PointPair pair = pick_pair(S, 1, alpha, beta);
  Theorem16 t{pair.alpha, pair.beta, {}};
  const Vector v = direction(S, pair);
  const Layer& l = net.layers[0];
  Vector slope(l.W.size());
  for (std::size_t j = 0; j < slope.size(); ++j) slope[j] = dot(l.W[j], v);
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] != 1) continue;
    const Vector x = S.point(i);
    PolyhedralExit e{i, l.W.size(), 0};
    for (std::size_t j = 0; j < slope.size(); ++j) {
      if (sgn(slope[j]) >= 0) continue;
      const mpq_class c = unit_value(l, j, x) / -slope[j];
      if (e.unit == l.W.size() || c < e.c_exit) e.unit = j, e.c_exit = c;
    }
    if (e.unit == l.W.size()) throw std::logic_error("Theorem 16 fails: no unit decreases along x_beta - x_alpha");
    t.exits.push_back(std::move(e));
  }
  return t;
}

}  // namespace advdir::exact
