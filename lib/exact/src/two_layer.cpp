#include "advdir/exact/two_layer.hpp"

#include "advdir/exact/direction.hpp"
#include "advdir/exact/error.hpp"

#include <algorithm>
#include <tuple>

namespace advdir::exact {

namespace {

bool is_relu2(const ReluNet& net) {
  return net.layers.size() == 2 && (net.decision == Decision::above || net.decision == Decision::at_least);
}

// <u_j, x_i> for every point and unit at once: X U^T in integers (FLINT's product), with
// U over one common denominator L, so that <u_j, x_i> = P_ij / (den L).
struct Projections {
  IntMatrix P;
  mpz_class scale;          // den L
  std::vector<Vector> u_x;  // u_x[i][j] = <u_j, x_i>

  Projections(const Dataset& D, const ReluNet& net) {
    const std::vector<Vector>& U = net.layers[0].W;
    mpz_class L = 1;
    for (const Vector& u : U)
      for (const mpq_class& q : u) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), q.get_den_mpz_t());
    IntMatrix Ut(D.dim(), U.size());
    for (std::size_t j = 0; j < U.size(); ++j)
      for (std::size_t k = 0; k < D.dim(); ++k) {
        const mpz_class n = U[j][k].get_num() * (L / U[j][k].get_den());
        fmpz_set_mpz(Ut.at(slong(k), slong(j)), n.get_mpz_t());
      }
    P = IntMatrix(D.size(), U.size());
    fmpz_mat_mul(P.get(), D.X.get(), Ut.get());
    scale = D.den * L;
    for (std::size_t i = 0; i < D.size(); ++i) {
      u_x.emplace_back();
      for (std::size_t j = 0; j < U.size(); ++j) {
        mpq_class q(to_mpz(P.at(slong(i), slong(j))), scale);
        q.canonicalize();
        u_x.back().push_back(q);
      }
    }
  }
};

mpq_class f_of(const ReluNet& net, const Vector& ux) {
  mpq_class f = 0;
  for (std::size_t j = 0; j < ux.size(); ++j) {
    const mpq_class pre = ux[j] + net.layers[0].b[j];
    if (pre > 0) f += net.layers[1].W[0][j] * pre;
  }
  return f;
}

int label_of(const ReluNet& net, const Vector& ux) {
  const mpq_class f = f_of(net, ux);
  return (net.decision == Decision::at_least ? f >= net.threshold : f > net.threshold) ? 1 : -1;
}

// K_i(a) = sum_j v_j |<u_j, x_i - x_a>| in integers: with v = m / R,
// K_i(a) = sum_j m_j |P_ij - P_aj| / (R den L), on the rows of P.
struct IntegerK {
  const IntMatrix& P;
  std::vector<Int> m;
  mpz_class R = 1, scale;

  IntegerK(const ReluNet& net, const Projections& p) : P(p.P) {
    const Vector& v = net.layers[1].W[0];
    for (const mpq_class& q : v) mpz_lcm(R.get_mpz_t(), R.get_mpz_t(), q.get_den_mpz_t());
    for (const mpq_class& q : v) m.emplace_back(mpz_class(q.get_num() * (R / q.get_den())));
    scale = R * p.scale;
  }
  mpz_class scaled(std::size_t i, std::size_t a) const {  // K_i(a) R den L
    Int diff, K;
    for (std::size_t j = 0; j < m.size(); ++j) {
      fmpz_sub(diff.get(), P.at(slong(i), slong(j)), P.at(slong(a), slong(j)));
      fmpz_abs(diff.get(), diff.get());
      fmpz_addmul(K.get(), m[j].get(), diff.get());
    }
    return K.mpz();
  }
};

mpq_class c_bound_of(const mpq_class& base, const mpq_class& K, const mpq_class& D) {
  return std::max(mpq_class(1), mpq_class((base + K) / D));
}

// K_max(a) = max_i K_i(a) over S[-1] for every a at once is quadratic; a lower bound from
// a few pivots p of S[-1] (K_max(a) >= K_p(a), K symmetric), picked farthest-first, leaves
// exact evaluation to the a that can still attain the least c_bound.
struct PivotBounds {
  std::vector<mpz_class> lower;  // per index into `minus`

  PivotBounds(const IntegerK& K, const std::vector<std::size_t>& minus, std::size_t pivots) {
    const std::size_t n = minus.size();
    lower.assign(n, 0);
    std::vector<mpz_class> nearest(n, -1);  // min over pivots of K_p(a): farthest-first picks the next pivot
    std::size_t p = 0;
    for (std::size_t t = 0; t < std::min(pivots, n); ++t) {
      for (std::size_t k = 0; k < n; ++k) {
        const mpz_class d = K.scaled(minus[k], minus[p]);
        lower[k] = std::max(lower[k], d);
        if (nearest[k] < 0 || d < nearest[k]) nearest[k] = d;
      }
      p = std::size_t(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
      if (nearest[p] == 0) break;  // every point is a pivot already (duplicates aside)
    }
  }
};

// The pair with the least largest c_bound (the first such pair, a before b). For x_alpha =
// x_a the largest c_bound is max(1, (a - f(x_a) + K_max(a)) / (f(x_b) - f(x_a))), with a
// numerator >= 0 (f(x_a) <= a, K >= 0); it falls as f(x_b) grows, so each a needs only the
// largest f on the allowed +1 points. It rises with K_max(a): an a whose bound from the
// pivots' lower K_max is past the best exact c_bound so far cannot attain the least.
std::pair<std::size_t, std::size_t> best_pair(const Dataset& S, const ReluNet& net, const Projections& p,
                                              std::optional<std::size_t> alpha, std::optional<std::size_t> beta) {
  std::vector<std::size_t> minus, plus;
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] == -1) minus.push_back(i);
    else if (!beta || i == *beta) plus.push_back(i);
  }
  Vector f(S.size());
  for (std::size_t i = 0; i < S.size(); ++i) f[i] = f_of(net, p.u_x[i]);
  const mpq_class f_top = f[*std::max_element(plus.begin(), plus.end(), [&](auto x, auto y) { return f[x] < f[y]; })];
  const IntegerK K(net, p);
  auto bound_at = [&](std::size_t a, const mpz_class& K_scaled) {
    mpq_class K_a(K_scaled, K.scale);
    K_a.canonicalize();
    return c_bound_of(net.threshold - f[a], K_a, f_top - f[a]);
  };
  std::vector<std::size_t> order;  // indices into minus, by lower bound on c_bound
  std::vector<mpq_class> lower_bound(minus.size());
  if (alpha) {
    order.push_back(std::size_t(std::find(minus.begin(), minus.end(), *alpha) - minus.begin()));
  } else {
    const PivotBounds pb(K, minus, 16);
    for (std::size_t k = 0; k < minus.size(); ++k) lower_bound[k] = bound_at(minus[k], pb.lower[k]), order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return lower_bound[x] < lower_bound[y]; });
  }
  std::optional<std::size_t> best;
  mpq_class best_bound, best_K;
  for (const std::size_t k : order) {
    if (best && lower_bound[k] > best_bound) break;  // nor any after it
    const std::size_t a = minus[k];
    mpz_class K_max = 0;
    for (const std::size_t i : minus) K_max = std::max(K_max, K.scaled(i, a));
    const mpq_class bound = bound_at(a, K_max);
    if (!best || bound < best_bound || (bound == best_bound && a < *best)) {
      best = a, best_bound = bound, best_K = mpq_class(K_max, K.scale);
      best_K.canonicalize();
    }
  }
  for (std::size_t b : plus)
    if (c_bound_of(net.threshold - f[*best], best_K, f[b] - f[*best]) == best_bound) return {*best, b};
  throw std::logic_error("Theorem 15: no +1 point attains the least c_bound");
}

}  // namespace

std::optional<std::size_t> negative_output_weight(const ReluNet& net) {
  const Vector& v = net.layers.back().W[0];
  for (std::size_t j = 0; j < v.size(); ++j)
    if (sgn(v[j]) < 0) return j;
  return std::nullopt;
}

Theorem15 certify_theorem15(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta, const Dataset* test) {
  if (!is_relu2(net)) throw InputError("--classifier", "Theorem 15 is about relu2 nets (R')");
  if (const auto j = negative_output_weight(net))
    throw HypothesisError("the net is not in R': v_" + std::to_string(*j) + " < 0, so Lemma 14's convexity fails");
  require_binary(S);
  for (const Dataset* D : {&S, test})
    if (D && net.input_dim() != D->dim())
      throw InputError(D->source, "the net takes " + std::to_string(net.input_dim()) + " inputs, the data has dimension " +
                                      std::to_string(D->dim()));
  if (test && !test->is_binary()) throw InputError(test->source, "a test set takes labels +1 and -1");
  const Projections p(S, net);
  for (std::size_t i = 0; i < S.size(); ++i)
    if (label_of(net, p.u_x[i]) != S.labels[i])
      throw HypothesisError("the net is not S-accurate: point " + std::to_string(i) + " is misclassified");
  for (const auto& [given, label, flag] : {std::tuple{alpha, -1, "--alpha"}, std::tuple{beta, 1, "--beta"}})
    if (given && (*given >= S.size() || S.labels[*given] != label))
      throw InputError(flag, "point " + std::to_string(*given) + " is not a point of S labelled " + std::to_string(label));
  const auto pair = best_pair(S, net, p, alpha, beta);
  const std::size_t a = pair.first, b = pair.second;  // not a structured binding: the lambda below captures a
  const mpq_class f_alpha = f_of(net, p.u_x[a]);
  Theorem15 t{a, b, f_of(net, p.u_x[b]) - f_alpha, {}, {}, {}};
  const Vector xa = S.point(a);
  Vector v = S.point(b);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] -= xa[k];
  const RayWalker walker(net);
  // Theorem 15 at x: K, c_bound, and the exact exit, which must come no later.
  auto at = [&](std::size_t i, const Vector& x, const Vector& ux) {
    mpq_class K = 0;
    for (std::size_t j = 0; j < ux.size(); ++j) K += net.layers[1].W[0][j] * abs(ux[j] - p.u_x[a][j]);
    const mpq_class c_bound = c_bound_of(net.threshold - f_alpha, K, t.D);
    const NetRay r = walker.walk(x, v);
    if (!r.adversarial || r.c_exit > c_bound) throw std::logic_error("Theorem 15 fails: the exit is past c_bound");
    return Theorem15Point{i, K, c_bound, r.c_exit, r.differs_at_exit};
  };
  for (std::size_t i = 0; i < S.size(); ++i)
    if (S.labels[i] == -1) t.points.push_back(at(i, S.point(i), p.u_x[i]));
  if (!test) return t;
  const Projections q(*test, net);
  for (std::size_t i = 0; i < test->size(); ++i) {
    if (test->labels[i] != -1) continue;
    if (label_of(net, q.u_x[i]) == -1) t.test_points.push_back(at(i, test->point(i), q.u_x[i]));
    else t.test_misclassified.push_back(i);
  }
  return t;
}

MaxMarginRays max_margin_rays(const Dataset& S, const Dataset* test, const ReluNet& net, const Theorem15& t,
                              MaxMarginSeparator sep) {
  MaxMarginRays out{std::move(sep), {}};
  const RayWalker walker(net);
  for (const Theorem15Point& p : t.points) out.rays.push_back(walker.walk(S.point(p.point), out.sep.w_star));
  for (const Theorem15Point& p : t.test_points) out.rays.push_back(walker.walk(test->point(p.point), out.sep.w_star));
  return out;
}

Corollary17 certify_corollary17(const Dataset& S, const std::vector<LinearModel>& linear, const std::vector<ReluNet>& nets,
                                std::optional<std::size_t> alpha, std::optional<std::size_t> beta) {
  require_binary(S);
  if (linear.empty() && nets.empty()) throw InputError("--classifier", "Corollary 17 needs at least one classifier");
  const PointPair pair = pick_pair(S, -1, alpha, beta);
  const std::size_t a = pair.alpha, b = pair.beta;
  Corollary17 c{a, b, {}, {}};
  const Vector v = direction(S, pair);
  for (std::size_t k = 0; k < linear.size(); ++k) {
    const LinearModel& h = linear[k];
    if (h.w.size() != S.dim())
      throw InputError("--classifier", "linear classifier " + std::to_string(k) + " has " + std::to_string(h.w.size()) +
                                           " weights, the data dimension is " + std::to_string(S.dim()));
    for (std::size_t i = 0; i < S.size(); ++i)
      if (h.label(S.point(i)) != S.labels[i])
        throw HypothesisError("linear classifier " + std::to_string(k) + " is not S-accurate: point " + std::to_string(i) + " is misclassified");
    LinearExits e{h, dot(h.w, v), {}};  // > 0 for an S-accurate h (Corollary 17), checked before dividing by it
    if (sgn(e.slope) <= 0) throw std::logic_error("Corollary 17 fails: <w, x_beta - x_alpha> <= 0");
    for (std::size_t i = 0; i < S.size(); ++i)
      if (S.labels[i] == -1) e.c_exit.push_back(-h.score(S.point(i)) / e.slope);
    c.linear.push_back(std::move(e));
  }
  for (const ReluNet& net : nets) c.nets.push_back(certify_theorem15(S, net, a, b));
  return c;
}

}  // namespace advdir::exact
