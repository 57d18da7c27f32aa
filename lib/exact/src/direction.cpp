#include "advdir/exact/direction.hpp"

#include "advdir/exact/error.hpp"

#include <algorithm>

namespace advdir::exact {

PointPair pick_pair(const Dataset& S, int alpha_label, std::optional<std::size_t> alpha, std::optional<std::size_t> beta) {
  auto check = [&](std::size_t i, int label, const char* flag) {
    if (i >= S.size() || S.labels[i] != label)
      throw InputError(flag, "point " + std::to_string(i) + " is not a point of S labelled " + std::to_string(label));
    return i;
  };
  const auto first = std::find(S.labels.begin(), S.labels.end(), alpha_label);
  const PointPair p{check(alpha.value_or(std::size_t(first - S.labels.begin())), alpha_label, "--alpha"), S.size()};
  if (beta) return {p.alpha, check(*beta, -alpha_label, "--beta")};
  std::size_t nearest = S.size();
  mpq_class best;
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] != -alpha_label) continue;
    const Vector d = direction(S, {p.alpha, i});
    if (nearest == S.size() || dot(d, d) < best) nearest = i, best = dot(d, d);
  }
  return {p.alpha, check(nearest, -alpha_label, "--beta")};
}

Vector direction(const Dataset& S, const PointPair& p) {
  Vector v = S.point(p.beta);
  const Vector xa = S.point(p.alpha);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] -= xa[k];
  return v;
}

void require_accurate(const Dataset& S, const ReluNet& net) {
  if (net.input_dim() != S.dim())
    throw InputError("--classifier", "the net takes " + std::to_string(net.input_dim()) + " inputs, the data has dimension " +
                                         std::to_string(S.dim()));
  for (std::size_t i = 0; i < S.size(); ++i)
    if (net.label(S.point(i)) != S.labels[i])
      throw HypothesisError("the net is not S-accurate: point " + std::to_string(i) + " is misclassified");
}

Theorem11 certify_theorem11(const Dataset& S, const ReluNet& net, std::optional<int> label, std::optional<std::size_t> alpha,
                            std::optional<std::size_t> beta) {
  const ConvexityReport report = convexity(net);
  if (report.convex.empty()) throw HypothesisError("Theorem 11 needs a convex region: " + report.failed);
  const auto region = std::find_if(report.convex.begin(), report.convex.end(), [&](const Convexity& c) { return !label || c.label == *label; });
  if (region == report.convex.end())
    throw HypothesisError("the region of label " + std::to_string(*label) + " has no convexity certificate (" + report.convex[0].statement + ")");
  require_binary(S);
  require_accurate(S, net);
  Theorem11 t{*region, pick_pair(S, region->label, alpha, beta), {}};
  const Vector v = direction(S, t.pair);
  const RayWalker walker(net);
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (S.labels[i] != region->label) continue;
    const Vector x = S.point(i);
    NetRay r = walker.walk(x, v);
    if (!r.adversarial) throw std::logic_error("Theorem 11 fails at point " + std::to_string(i));
    std::vector<RayPiece> pieces = ray_pieces(net, x, v, r);
    t.points.push_back({i, std::move(r), std::move(pieces)});
  }
  return t;
}

}  // namespace advdir::exact
