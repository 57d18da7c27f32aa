#include "advdir/exact/polyhedral.hpp"

#include "advdir/exact/error.hpp"

namespace advdir::exact {

namespace {

mpq_class unit_value(const Layer& l, std::size_t j, const Vector& x) { return dot(l.W[j], x) + l.b[j]; }

std::size_t pick(std::optional<std::size_t> given, int label, const Dataset& S, const char* flag,
                 std::size_t fallback) {
  const std::size_t i = given.value_or(fallback);
  if (i >= S.size() || S.labels[i] != label)
    throw InputError(flag, "point " + std::to_string(i) + " is not a point of S labelled " + std::to_string(label));
  return i;
}

}  // namespace

Theorem16 certify_theorem16(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta) {
  if (net.decision != Decision::all_positive) throw InputError("--classifier", "Theorem 16 is about relu_and nets (R'')");
  require_binary(S);
  if (net.input_dim() != S.dim())
    throw InputError("--classifier", "the net takes " + std::to_string(net.input_dim()) + " inputs, the data has dimension " +
                                         std::to_string(S.dim()));
  for (std::size_t i = 0; i < S.size(); ++i)
    if (net.label(S.point(i)) != S.labels[i])
      throw HypothesisError("the net is not S-accurate: point " + std::to_string(i) + " is misclassified");
  std::size_t first_plus = 0;
  while (S.labels[first_plus] != 1) ++first_plus;
  const std::size_t a = pick(alpha, 1, S, "--alpha", first_plus);
  std::size_t nearest = S.size();
  mpq_class best;
  for (std::size_t i = 0; i < S.size() && !beta; ++i) {
    if (S.labels[i] != -1) continue;
    Vector d = S.point(i);
    const Vector xa = S.point(a);
    for (std::size_t k = 0; k < d.size(); ++k) d[k] -= xa[k];
    const mpq_class dist = dot(d, d);
    if (nearest == S.size() || dist < best) nearest = i, best = dist;
  }
  Theorem16 t{a, pick(beta, -1, S, "--beta", nearest), {}};
  const Layer& l = net.layers[0];
  Vector v = S.point(t.beta);
  const Vector xa = S.point(t.alpha);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] -= xa[k];
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
