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

// <u_j, x> for every unit and point: K and f from them without another product with x.
struct Projections {
  std::vector<Vector> u_x;  // u_x[i][j] = <u_j, x_i>
};

mpq_class f_of(const ReluNet& net, const Vector& ux) {
  mpq_class f = 0;
  for (std::size_t j = 0; j < ux.size(); ++j) {
    const mpq_class pre = ux[j] + net.layers[0].b[j];
    if (pre > 0) f += net.layers[1].W[0][j] * pre;
  }
  return f;
}

// c_bound = max(1, (a - f(x_alpha) + K) / D) for every -1 point, with x_alpha = x_a.
std::vector<mpq_class> bounds(const Dataset& S, const ReluNet& net, const Projections& p, std::size_t a, const mpq_class& D,
                              std::vector<mpq_class>* K_out) {
  const Vector& v = net.layers[1].W[0];
  const mpq_class base = net.threshold - f_of(net, p.u_x[a]);
  std::vector<mpq_class> out;
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] != -1) continue;
    mpq_class K = 0;
    for (std::size_t j = 0; j < v.size(); ++j) K += v[j] * abs(p.u_x[i][j] - p.u_x[a][j]);
    out.push_back(std::max(mpq_class(1), mpq_class((base + K) / D)));
    if (K_out) K_out->push_back(K);
  }
  return out;
}

}  // namespace

std::optional<std::size_t> negative_output_weight(const ReluNet& net) {
  const Vector& v = net.layers.back().W[0];
  for (std::size_t j = 0; j < v.size(); ++j)
    if (sgn(v[j]) < 0) return j;
  return std::nullopt;
}

Theorem15 certify_theorem15(const Dataset& S, const ReluNet& net, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta) {
  if (!is_relu2(net)) throw InputError("--classifier", "Theorem 15 is about relu2 nets (R')");
  if (const auto j = negative_output_weight(net))
    throw HypothesisError("the net is not in R': v_" + std::to_string(*j) + " < 0, so Lemma 14's convexity fails");
  require_binary(S);
  if (net.input_dim() != S.dim())
    throw InputError("--classifier", "the net takes " + std::to_string(net.input_dim()) + " inputs, the data has dimension " +
                                         std::to_string(S.dim()));
  Projections p;
  for (std::size_t i = 0; i < S.size(); ++i) {
    const Vector x = S.point(i);
    if (net.label(x) != S.labels[i]) throw HypothesisError("the net is not S-accurate: point " + std::to_string(i) + " is misclassified");
    p.u_x.emplace_back();
    for (const Vector& u : net.layers[0].W) p.u_x.back().push_back(dot(u, x));
  }
  for (const auto& [given, label, flag] : {std::tuple{alpha, -1, "--alpha"}, std::tuple{beta, 1, "--beta"}})
    if (given && (*given >= S.size() || S.labels[*given] != label))
      throw InputError(flag, "point " + std::to_string(*given) + " is not a point of S labelled " + std::to_string(label));
  // The pair with the least largest c_bound, among the allowed ones.
  std::optional<std::pair<std::size_t, std::size_t>> best;
  mpq_class best_bound;
  for (std::size_t a = 0; a < S.size(); ++a)
    for (std::size_t b = 0; b < S.size(); ++b) {
      if (S.labels[a] != -1 || S.labels[b] != 1 || (alpha && a != *alpha) || (beta && b != *beta)) continue;
      const mpq_class D = f_of(net, p.u_x[b]) - f_of(net, p.u_x[a]);
      const std::vector<mpq_class> c = bounds(S, net, p, a, D, nullptr);
      const mpq_class largest = *std::max_element(c.begin(), c.end());
      if (!best || largest < best_bound) best = {a, b}, best_bound = largest;
    }
  Theorem15 t{best->first, best->second, f_of(net, p.u_x[best->second]) - f_of(net, p.u_x[best->first]), {}};
  std::vector<mpq_class> K;
  const std::vector<mpq_class> c_bound = bounds(S, net, p, t.alpha, t.D, &K);
  const Vector xa = S.point(t.alpha);
  Vector v = S.point(t.beta);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] -= xa[k];
  const RayWalker walker(net);
  for (std::size_t i = 0, n = 0; i < S.size(); ++i) {
    if (S.labels[i] != -1) continue;
    const NetRay r = walker.walk(S.point(i), v);
    if (!r.adversarial || r.c_exit > c_bound[n]) throw std::logic_error("Theorem 15 fails: the exit is past c_bound");
    t.points.push_back({i, K[n], c_bound[n], r.c_exit, r.differs_at_exit});
    ++n;
  }
  return t;
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
    LinearExits e{h, dot(h.w, v), {}};
    for (std::size_t i = 0; i < S.size(); ++i) {
      const Vector x = S.point(i);
      if (h.label(x) != S.labels[i])
        throw HypothesisError("linear classifier " + std::to_string(k) + " is not S-accurate: point " + std::to_string(i) + " is misclassified");
      if (S.labels[i] == -1) e.c_exit.push_back(-h.score(x) / e.slope);
    }
    if (sgn(e.slope) <= 0) throw std::logic_error("Corollary 17 fails: <w, x_beta - x_alpha> <= 0");
    c.linear.push_back(std::move(e));
  }
  for (const ReluNet& net : nets) c.nets.push_back(certify_theorem15(S, net, a, b));
  return c;
}

}  // namespace advdir::exact
