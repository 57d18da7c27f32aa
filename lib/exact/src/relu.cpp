#include "advdir/exact/relu.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/int_matrix.hpp"

#include <algorithm>
#include <stdexcept>

namespace advdir::exact {

namespace {

Layer layer_from_json(const json& l, const std::string& where, std::size_t inputs) {
  if (!l.is_object() || !l.contains("W") || !l.contains("b")) throw std::invalid_argument(where + ": expected {\"W\": [[...]], \"b\": [...]}");
  if (!l["W"].is_array() || l["W"].empty()) throw std::invalid_argument(where + ".W: expected a non-empty matrix");
  Layer layer;
  for (std::size_t r = 0; r < l["W"].size(); ++r) {
    layer.W.push_back(vector_from_json(l["W"][r], where + ".W[" + std::to_string(r) + "]"));
    if (layer.W.back().empty() || layer.W.back().size() != layer.W[0].size())
      throw std::invalid_argument(where + ".W is ragged: row " + std::to_string(r) + " has " +
                                  std::to_string(layer.W.back().size()) + " entries, row 0 has " + std::to_string(layer.W[0].size()));
  }
  if (inputs != 0 && layer.W[0].size() != inputs)
    throw std::invalid_argument(where + ": layer size mismatch: takes " + std::to_string(layer.W[0].size()) +
                                " inputs, the layer before gives " + std::to_string(inputs));
  layer.b = vector_from_json(l["b"], where + ".b");
  if (layer.b.size() != layer.W.size())
    throw std::invalid_argument(where + ".b has " + std::to_string(layer.b.size()) + " entries for " +
                                std::to_string(layer.W.size()) + " rows");
  return layer;
}

ReluNet parse(const json& j) {
  const std::string kind = j.is_object() && j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
  ReluNet net;
  if (kind == "relu2") {
    net.layers.push_back(layer_from_json(j, "relu2", 0));
    if (!j.contains("v") || !j.contains("threshold") || !j.contains("rule")) throw std::invalid_argument("relu2: missing v, threshold or rule");
    Vector v = vector_from_json(j["v"], "v");
    if (v.size() != net.layers[0].W.size())
      throw std::invalid_argument("relu2: v has " + std::to_string(v.size()) + " entries for " + std::to_string(net.layers[0].W.size()) + " units");
    net.layers.push_back({{std::move(v)}, {0}});
    net.threshold = rational_from_json(j["threshold"], "threshold");
    const json rule = j["rule"];
    if (rule != "gt" && rule != "ge") throw std::invalid_argument("relu2: rule must be \"gt\" or \"ge\"");
    net.decision = rule == "gt" ? Decision::above : Decision::at_least;
  } else if (kind == "relu_and") {
    net.layers.push_back(layer_from_json(j, "relu_and", 0));
    net.decision = Decision::all_positive;
  } else if (kind == "mlp") {
    if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].empty()) throw std::invalid_argument("mlp: the net is empty (no layers)");
    for (std::size_t L = 0; L < j["layers"].size(); ++L)
      net.layers.push_back(layer_from_json(j["layers"][L], "layers[" + std::to_string(L) + "]", L ? net.layers.back().W.size() : 0));
    net.decision = net.layers.back().W.size() == 1 ? Decision::sign : Decision::argmax;
  } else {
    throw std::invalid_argument("expected kind \"relu2\", \"relu_and\" or \"mlp\"");
  }
  return net;
}

// --- exact labels of output values, at a point or just past it -------------------------

// Output m's value and slope at t, up to one positive factor shared by all m.
struct Outputs {
  std::vector<mpz_class> value, slope;
  mpz_class scale;  // value_m / scale is o_m(t)
};

// The label given the outputs; `right`: on (t, t + eps), where ties are broken by slopes.
int decide(const ReluNet& net, const Outputs& o, bool right) {
  auto positive = [&](const mpz_class& value, const mpz_class& slope, bool or_zero) {
    const int s = sgn(value) ? sgn(value) : right ? sgn(slope) : 0;
    return or_zero ? s >= 0 : s > 0;
  };
  switch (net.decision) {
    case Decision::sign: return positive(o.value[0], o.slope[0], false) ? 1 : -1;
    case Decision::above:
    case Decision::at_least: {
      const mpq_class& a = net.threshold;
      const mpz_class diff = a.get_den() * o.value[0] - a.get_num() * o.scale;
      return positive(diff, o.slope[0], net.decision == Decision::at_least) ? 1 : -1;
    }
    case Decision::all_positive:
      for (std::size_t m = 0; m < o.value.size(); ++m)
        if (!positive(o.value[m], o.slope[m], false)) return -1;
      return 1;
    case Decision::argmax: {
      std::size_t best = 0;
      for (std::size_t m = 1; m < o.value.size(); ++m) {
        const int c = cmp(o.value[m], o.value[best]);
        if (c > 0 || (c == 0 && right && o.slope[m] > o.slope[best])) best = m;
      }
      return int(best);
    }
  }
  return 0;
}

// --- the walk ---------------------------------------------------------------------------

// A layer over the integers: W = Wn / D, b = bn / D.
struct IntLayer {
  IntMatrix W;
  IntMatrix b;  // rows x 1
  mpz_class D;
};

IntLayer to_integers(const Layer& l) {
  mpz_class D = 1;
  for (const Vector& row : l.W)
    for (const mpq_class& q : row) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), q.get_den_mpz_t());
  for (const mpq_class& q : l.b) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), q.get_den_mpz_t());
  IntLayer out{IntMatrix(l.W.size(), l.W[0].size()), IntMatrix(l.W.size(), 1), D};
  for (std::size_t r = 0; r < l.W.size(); ++r) {
    for (std::size_t c = 0; c < l.W[r].size(); ++c) {
      const mpz_class v = l.W[r][c].get_num() * (D / l.W[r][c].get_den());
      fmpz_set_mpz(out.W.at(slong(r), slong(c)), v.get_mpz_t());
    }
    const mpz_class v = l.b[r].get_num() * (D / l.b[r].get_den());
    fmpz_set_mpz(out.b.at(slong(r), 0), v.get_mpz_t());
  }
  return out;
}

// A position p/q >= 0 on the ray.
struct Position {
  mpz_class p = 0, q = 1;
  mpq_class value() const {
    mpq_class r(p, q);
    r.canonicalize();
    return r;
  }
};

// The smallest root -z0/z1 > pos of the affine functions z0 + c z1 in `Z` (columns 0, 1).
bool next_root(const IntMatrix& Z, const Position& pos, Position& best, bool found) {
  mpz_class z0, z1;
  for (slong r = 0; r < Z.rows(); ++r) {
    fmpz_get_mpz(z1.get_mpz_t(), Z.at(r, 1));
    if (sgn(z1) == 0) continue;
    fmpz_get_mpz(z0.get_mpz_t(), Z.at(r, 0));
    Position t{-z0, z1};
    if (sgn(t.q) < 0) t.p = -t.p, t.q = -t.q;
    if (t.p * pos.q <= pos.p * t.q) continue;  // not beyond pos
    if (!found || t.p * best.q < best.p * t.q) best = t, found = true;
  }
  return found;
}

// Sign of z0 + c z1 just past c = pos.
bool active_past(const fmpz* z0, const fmpz* z1, const Position& pos) {
  mpz_class a, b;
  fmpz_get_mpz(a.get_mpz_t(), z0);
  fmpz_get_mpz(b.get_mpz_t(), z1);
  const mpz_class value = a * pos.q + b * pos.p;
  return sgn(value) > 0 || (sgn(value) == 0 && sgn(b) > 0);
}

}  // namespace

ReluNet relu_net_from_json(const json& j, const std::string& source) {
  try {
    return parse(j);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

int ReluNet::label(const Vector& x) const {
  if (x.size() != input_dim()) throw InputError("point", "has " + std::to_string(x.size()) + " entries, the net takes " + std::to_string(input_dim()));
  Vector a = x;
  for (std::size_t L = 0; L < layers.size(); ++L) {
    Vector z(layers[L].W.size());
    for (std::size_t r = 0; r < z.size(); ++r) z[r] = dot(layers[L].W[r], a) + layers[L].b[r];
    if (L + 1 < layers.size())
      for (mpq_class& v : z) v = std::max(v, mpq_class(0));
    a = std::move(z);
  }
  Outputs o{{}, std::vector<mpz_class>(a.size(), 0), 1};
  mpz_class D = 1;
  for (const mpq_class& v : a) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), v.get_den_mpz_t());
  for (const mpq_class& v : a) o.value.push_back(v.get_num() * (D / v.get_den()));
  o.scale = D;
  return decide(*this, o, false);
}

NetRay net_ray(const ReluNet& net, const Vector& x, const Vector& v) {
  if (x.size() != net.input_dim() || v.size() != net.input_dim())
    throw InputError("ray", "point and direction need " + std::to_string(net.input_dim()) + " entries");
  std::vector<IntLayer> layers;
  for (const Layer& l : net.layers) layers.push_back(to_integers(l));
  // The input x + c v as (A0 + c A1) / Da.
  mpz_class Da = 1;
  for (const Vector* u : {&x, &v})
    for (const mpq_class& q : *u) mpz_lcm(Da.get_mpz_t(), Da.get_mpz_t(), q.get_den_mpz_t());
  IntMatrix A(x.size(), 2);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const mpz_class a0 = x[i].get_num() * (Da / x[i].get_den()), a1 = v[i].get_num() * (Da / v[i].get_den());
    fmpz_set_mpz(A.at(slong(i), 0), a0.get_mpz_t());
    fmpz_set_mpz(A.at(slong(i), 1), a1.get_mpz_t());
  }
  // Z[L]: layer L's pre-activations as (Z0 + c Z1) / den[L]; post[L]: after the ReLU, on
  // the piece just past pos.
  const std::size_t depth = layers.size();
  std::vector<IntMatrix> Z(depth), post(depth);
  std::vector<mpz_class> den(depth);
  Position pos;
  for (std::size_t L = 0; L < depth; ++L) {
    const IntMatrix& in = L ? post[L - 1] : A;
    const mpz_class in_den = L ? den[L - 1] : Da;
    Z[L] = IntMatrix(layers[L].W.rows(), 2);
    fmpz_mat_mul(Z[L].get(), layers[L].W.get(), in.get());
    const Int scale(in_den);
    for (slong r = 0; r < Z[L].rows(); ++r) fmpz_addmul(Z[L].at(r, 0), layers[L].b.at(r, 0), scale.get());
    den[L] = layers[L].D * in_den;
    if (L + 1 == depth) break;
    post[L] = Z[L];
    for (slong r = 0; r < Z[L].rows(); ++r)
      if (!active_past(Z[L].at(r, 0), Z[L].at(r, 1), pos)) fmpz_zero(post[L].at(r, 0)), fmpz_zero(post[L].at(r, 1));
  }
  const IntMatrix& out = Z[depth - 1];
  auto outputs_at = [&](const Position& t) {
    Outputs o;
    mpz_class z0, z1;
    for (slong m = 0; m < out.rows(); ++m) {
      fmpz_get_mpz(z0.get_mpz_t(), out.at(m, 0));
      fmpz_get_mpz(z1.get_mpz_t(), out.at(m, 1));
      o.value.push_back(z0 * t.q + z1 * t.p);
      o.slope.push_back(z1);
    }
    o.scale = t.q * den[depth - 1];
    return o;
  };
  NetRay ray;
  ray.label_before = decide(net, outputs_at(pos), false);
  for (;;) {
    Position next;
    bool bounded = false;
    for (std::size_t L = 0; L + 1 < depth; ++L) bounded = next_root(Z[L], pos, next, bounded);
    // Where the decision may change on this piece: pos, and the roots of the outputs'
    // differences (argmax), of the outputs (sign, all_positive) or of o_0 - threshold.
    std::vector<Position> candidates{pos};
    const Outputs o0 = outputs_at({0, 1});
    auto consider = [&](const mpz_class& value, const mpz_class& slope) {
      if (sgn(slope) == 0) return;
      Position t{-value, slope};
      if (sgn(t.q) < 0) t.p = -t.p, t.q = -t.q;
      if (t.p * pos.q <= pos.p * t.q || (bounded && t.p * next.q >= next.p * t.q)) return;
      candidates.push_back(t);
    };
    const std::size_t K = o0.value.size();
    if (net.decision == Decision::argmax) {
      for (std::size_t m = 0; m < K; ++m)
        for (std::size_t n = m + 1; n < K; ++n) consider(o0.value[m] - o0.value[n], o0.slope[m] - o0.slope[n]);
    } else if (net.decision == Decision::above || net.decision == Decision::at_least) {
      const mpq_class& a = net.threshold;
      consider(a.get_den() * o0.value[0] - a.get_num() * den[depth - 1], a.get_den() * o0.slope[0]);
    } else {
      for (std::size_t m = 0; m < K; ++m) consider(o0.value[m], o0.slope[m]);
    }
    std::sort(candidates.begin() + 1, candidates.end(), [](const Position& a, const Position& b) { return a.p * b.q < b.p * a.q; });
    for (const Position& t : candidates) {
      const Outputs o = outputs_at(t);
      const int at = decide(net, o, false), past = decide(net, o, true);
      if (at == ray.label_before && past == ray.label_before) continue;
      ray.adversarial = true;
      ray.c_exit = t.value();
      if (!ray.breakpoints.empty() && ray.breakpoints.back() == ray.c_exit) ray.breakpoints.pop_back();
      ray.differs_at_exit = at != ray.label_before;
      ray.label_after = past;
      return ray;
    }
    if (!bounded) return ray;
    // Cross the kink at `next`: update every hidden layer's pattern past it, and carry
    // the change of each layer's output into the next layer's pre-activations.
    pos = next;
    ray.breakpoints.push_back(pos.value());
    for (std::size_t L = 0; L + 1 < depth; ++L) {
      IntMatrix delta(Z[L].rows(), 2);
      std::vector<slong> changed;
      for (slong r = 0; r < Z[L].rows(); ++r) {
        const bool now = active_past(Z[L].at(r, 0), Z[L].at(r, 1), pos);
        for (slong c = 0; c < 2; ++c) {
          if (now) {
            fmpz_sub(delta.at(r, c), Z[L].at(r, c), post[L].at(r, c));
            fmpz_set(post[L].at(r, c), Z[L].at(r, c));
          } else {
            fmpz_neg(delta.at(r, c), post[L].at(r, c));
            fmpz_zero(post[L].at(r, c));
          }
        }
        if (!fmpz_is_zero(delta.at(r, 0)) || !fmpz_is_zero(delta.at(r, 1))) changed.push_back(r);
      }
      for (slong r : changed)
        for (slong m = 0; m < Z[L + 1].rows(); ++m)
          for (slong c = 0; c < 2; ++c) fmpz_addmul(Z[L + 1].at(m, c), layers[L + 1].W.at(m, r), delta.at(r, c));
    }
  }
}

}  // namespace advdir::exact
