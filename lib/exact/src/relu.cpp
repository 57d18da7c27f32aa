#include "advdir/exact/relu.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/int_matrix.hpp"
#include "ray_exit.hpp"
#include "wide.hpp"

#include <algorithm>
#include <cstdint>
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
  net.kind = kind;
  if (kind == "relu_sum") {
    net.layers.push_back(layer_from_json(j, "relu_sum", 0));
    net.layers.push_back({{Vector(net.layers[0].W.size(), 1)}, {0}});
    net.decision = Decision::above;
  } else if (kind == "relu2") {
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
    throw std::invalid_argument("expected kind \"relu_sum\", \"relu2\", \"relu_and\" or \"mlp\"");
  }
  return net;
}

// --- the walk ---------------------------------------------------------------------------

// A layer over the integers: W = Wn / D, b = bn / D. When every entry of Wn fits in 64
// bits, `small` holds them row by row and `bits` their largest bit length (else -1).
struct IntLayer {
  IntMatrix W;
  IntMatrix b;  // rows x 1
  mpz_class D;
  std::vector<std::int64_t> small;
  int bits = -1;
};

void keep_small(IntLayer& l) {
  int bits = 0;
  for (slong r = 0; r < l.W.rows(); ++r)
    for (slong c = 0; c < l.W.cols(); ++c) {
      if (!fmpz_fits_si(l.W.at(r, c))) return;
      bits = std::max(bits, int(fmpz_bits(l.W.at(r, c))));
    }
  for (slong r = 0; r < l.W.rows(); ++r)
    for (slong c = 0; c < l.W.cols(); ++c) l.small.push_back(fmpz_get_si(l.W.at(r, c)));
  l.bits = bits;
}

IntLayer to_integers(const Layer& l) {
  mpz_class D = 1;
  for (const Vector& row : l.W)
    for (const mpq_class& q : row) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), q.get_den_mpz_t());
  for (const mpq_class& q : l.b) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), q.get_den_mpz_t());
  IntLayer out{IntMatrix(l.W.size(), l.W[0].size()), IntMatrix(l.W.size(), 1), D, {}, -1};
  for (std::size_t r = 0; r < l.W.size(); ++r) {
    for (std::size_t c = 0; c < l.W[r].size(); ++c) {
      const mpz_class v = l.W[r][c].get_num() * (D / l.W[r][c].get_den());
      fmpz_set_mpz(out.W.at(slong(r), slong(c)), v.get_mpz_t());
    }
    const mpz_class v = l.b[r].get_num() * (D / l.b[r].get_den());
    fmpz_set_mpz(out.b.at(slong(r), 0), v.get_mpz_t());
  }
  keep_small(out);
  return out;
}

// The root -z0/z1 of z0 + c z1 (z1 != 0), as a Position.
Position root(const fmpz* z0, const fmpz* z1) {
  Position t;
  fmpz_get_mpz(t.p.get_mpz_t(), z0);
  fmpz_get_mpz(t.q.get_mpz_t(), z1);
  t.p = -t.p;
  if (sgn(t.q) < 0) t.p = -t.p, t.q = -t.q;
  return t;
}

// Sign of z0 + c z1 just past c = pos.
bool active_past(const fmpz* z0, const fmpz* z1, const Position& pos) {
  mpz_class a, b;
  fmpz_get_mpz(a.get_mpz_t(), z0);
  fmpz_get_mpz(b.get_mpz_t(), z1);
  const mpz_class value = a * pos.q + b * pos.p;
  return sgn(value) > 0 || (sgn(value) == 0 && sgn(b) > 0);
}

// At most two changed rows: worth the factored update below.
bool sparse(const IntMatrix& d) {
  int rows = 0;
  for (slong r = 0; r < d.rows() && rows <= 2; ++r) rows += !fmpz_is_zero(d.at(r, 0)) || !fmpz_is_zero(d.at(r, 1));
  return rows <= 2;
}

// Z = W in (in: n x 2). In 128-bit integers when W and in fit in 64 bits and their bit
// lengths prove the sums cannot overflow; FLINT's product would rescan all of W for its
// bit size on every ray.
void multiply(const IntLayer& l, const IntMatrix& in, IntMatrix& Z) {
  const slong cols = l.W.cols();
  std::vector<std::int64_t> a(std::size_t(2 * cols));
  int bits = 0;
  for (slong i = 0; i < cols && bits >= 0; ++i)
    for (slong c = 0; c < 2; ++c) {
      if (!fmpz_fits_si(in.at(i, c))) bits = -1;
      if (bits < 0) break;
      bits = std::max(bits, int(fmpz_bits(in.at(i, c))));
      a[std::size_t(2 * i + c)] = fmpz_get_si(in.at(i, c));
    }
  if (l.bits < 0 || bits < 0 || !sums_fit_wide(std::size_t(l.bits), std::size_t(bits) + 1, std::size_t(cols))) {
    fmpz_mat_mul(Z.get(), l.W.get(), in.get());
    return;
  }
  for (slong r = 0; r < l.W.rows(); ++r) {
    const std::int64_t* w = l.small.data() + r * cols;
    Wide acc[2] = {0, 0};
    for (slong i = 0; i < cols; ++i) {
      acc[0] += Wide(w[i]) * a[std::size_t(2 * i)];
      acc[1] += Wide(w[i]) * a[std::size_t(2 * i + 1)];
    }
    for (slong c = 0; c < 2; ++c) set_wide(Z.at(r, c), acc[c]);
  }
}

// u_m = sum_r on[r] W_out[m][r] W_L[r][j] for every m. In 128-bit integers when the
// bit lengths prove that no sum can overflow (float32 weights over a power of two fit).
void factor_column(const IntLayer& out, const IntLayer& L, const std::vector<char>& on, slong j, std::vector<Int>& u) {
  const slong R = L.W.rows(), cols = L.W.cols();
  if (out.bits >= 0 && L.bits >= 0 && sums_fit_wide(std::size_t(out.bits), std::size_t(L.bits) + 1, std::size_t(R))) {
    for (slong m = 0; m < out.W.rows(); ++m) {
      Wide acc = 0;
      for (slong r = 0; r < R; ++r)
        if (on[std::size_t(r)]) acc += Wide(out.small[std::size_t(m * R + r)]) * L.small[std::size_t(r * cols + j)];
      set_wide(u[std::size_t(m)].get(), acc);
    }
    return;
  }
  for (slong m = 0; m < out.W.rows(); ++m) {
    fmpz_zero(u[std::size_t(m)].get());
    for (slong r = 0; r < R; ++r)
      if (on[std::size_t(r)]) fmpz_addmul(u[std::size_t(m)].get(), out.W.at(m, r), L.W.at(r, j));
  }
}

// out += W_out diag(on) W_L up, summed as (W_out diag(on) W_L[:, j]) up[j] over the
// nonzero rows j of up.
void carry_factored(const IntLayer& W_out, const IntLayer& W_L, const std::vector<char>& on, const IntMatrix& up, IntMatrix& out) {
  std::vector<Int> u(std::size_t(W_out.W.rows()));
  for (slong j = 0; j < up.rows(); ++j) {
    if (fmpz_is_zero(up.at(j, 0)) && fmpz_is_zero(up.at(j, 1))) continue;
    factor_column(W_out, W_L, on, j, u);
    for (slong m = 0; m < W_out.W.rows(); ++m)
      for (slong c = 0; c < 2; ++c) fmpz_addmul(out.at(m, c), u[std::size_t(m)].get(), up.at(j, c));
  }
}

// A hidden unit, by layer and row.
struct Unit {
  std::size_t layer;
  slong row;
};

// The root -z0/z1 (z1 != 0) of a unit against the best root so far, over the integers
// with the caller's temporaries: no allocation on the hot path.
struct RootCompare {
  Int s, best_p, best_q;  // best = best_p / best_q, best_q > 0
  // sign of root - best: root < best iff z0 best_q + best_p z1 has the sign of z1.
  int versus_best(const fmpz* z0, const fmpz* z1) {
    fmpz_mul(s.get(), z0, best_q.get());
    fmpz_addmul(s.get(), best_p.get(), z1);
    return -fmpz_sgn(s.get()) * fmpz_sgn(z1);
  }
  void take_as_best(const fmpz* z0, const fmpz* z1) {
    fmpz_neg(best_p.get(), z0);
    fmpz_set(best_q.get(), z1);
    if (fmpz_sgn(best_q.get()) < 0) fmpz_neg(best_p.get(), best_p.get()), fmpz_neg(best_q.get(), best_q.get());
  }
};

}  // namespace

ReluNet relu_net_from_json(const json& j, const std::string& source) {
  try {
    return parse(j);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

json to_json(const ReluNet& net) {
  auto layer_json = [](const Layer& l) {
    json W = json::array();
    for (const Vector& row : l.W) W.push_back(to_json(row));
    return json{{"W", W}, {"b", to_json(l.b)}};
  };
  if (net.kind == "mlp") {
    json layers = json::array();
    for (const Layer& l : net.layers) layers.push_back(layer_json(l));
    return {{"kind", "mlp"}, {"layers", layers}};
  }
  json j = layer_json(net.layers[0]);
  j["kind"] = net.kind;
  if (net.kind == "relu2") {
    j["v"] = to_json(net.layers[1].W[0]);
    j["threshold"] = to_json(net.threshold);
    j["rule"] = net.decision == Decision::at_least ? "ge" : "gt";
  }
  return j;
}

ReluNet as_net(const LinearModel& h) {
  ReluNet net;
  net.kind = "mlp";
  net.layers.push_back({{h.w}, {h.b}});
  net.decision = Decision::sign;
  return net;
}

namespace {

// Every layer's output at x (ReLU applied to the hidden ones); `pattern` gets the signs.
Vector forward(const ReluNet& net, const Vector& x, std::vector<std::string>* pattern) {
  if (x.size() != net.input_dim())
    throw InputError("point", "has " + std::to_string(x.size()) + " entries, the net takes " + std::to_string(net.input_dim()));
  Vector a = x;
  for (std::size_t L = 0; L < net.layers.size(); ++L) {
    Vector z(net.layers[L].W.size());
    for (std::size_t r = 0; r < z.size(); ++r) z[r] = dot(net.layers[L].W[r], a) + net.layers[L].b[r];
    if (L + 1 < net.layers.size()) {
      if (pattern) pattern->emplace_back();
      for (mpq_class& v : z) {
        if (pattern) pattern->back().push_back(v > 0 ? '1' : '0');
        v = std::max(v, mpq_class(0));
      }
    }
    a = std::move(z);
  }
  return a;
}

}  // namespace

Vector net_outputs(const ReluNet& net, const Vector& x) { return forward(net, x, nullptr); }

std::vector<std::string> hidden_pattern(const ReluNet& net, const Vector& x) {
  std::vector<std::string> pattern;
  forward(net, x, &pattern);
  return pattern;
}

std::vector<RayPiece> ray_pieces(const ReluNet& net, const Vector& x, const Vector& v, const NetRay& ray) {
  std::vector<mpq_class> from{0};
  for (const mpq_class& t : ray.breakpoints)
    if (t > 0 && (!ray.adversarial || t < ray.c_exit)) from.push_back(t);
  std::vector<RayPiece> pieces;
  for (std::size_t p = 0; p < from.size(); ++p) {
    const mpq_class to = p + 1 < from.size() ? from[p + 1] : ray.adversarial ? ray.c_exit : from[p] + 2;
    const mpq_class mid = (from[p] + to) / 2;
    Vector at = x;
    for (std::size_t k = 0; k < at.size(); ++k) at[k] += mid * v[k];
    pieces.push_back({from[p], hidden_pattern(net, at)});
  }
  return pieces;
}

json ray_claim(const NetRay& ray, const std::vector<RayPiece>& pieces) {
  json j = {{"adversarial", ray.adversarial}, {"label_before", ray.label_before}};
  if (ray.adversarial) {
    j["c_exit"] = to_json(ray.c_exit);
    j["label_after"] = ray.label_after;
    j["differs_at_exit"] = ray.differs_at_exit;
  }
  json ps = json::array();
  for (const RayPiece& p : pieces) ps.push_back({{"from", to_json(p.from)}, {"pattern", p.pattern}});
  j["pieces"] = ps;
  return j;
}

int ReluNet::label(const Vector& x) const {
  const Vector a = forward(*this, x, nullptr);
  Outputs o{{}, std::vector<mpz_class>(a.size(), 0), 1};
  mpz_class D = 1;
  for (const mpq_class& v : a) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), v.get_den_mpz_t());
  for (const mpq_class& v : a) o.value.push_back(v.get_num() * (D / v.get_den()));
  o.scale = D;
  return decide(decision, threshold, o, false);
}

struct RayWalker::Impl {
  const ReluNet& net;
  std::vector<IntLayer> layers;
};

RayWalker::RayWalker(const ReluNet& net) : impl_(new Impl{net, {}}) {
  for (const Layer& l : net.layers) impl_->layers.push_back(to_integers(l));
}

RayWalker::~RayWalker() = default;

NetRay net_ray(const ReluNet& net, const Vector& x, const Vector& v) { return RayWalker(net).walk(x, v); }

namespace {

// One ray's walk. Z[L]: layer L's pre-activations as (Z0 + c Z1) / den[L] on the piece
// just past pos (columns 0 and 1); on[L]: its ReLU pattern there. Only the units whose
// value at a kink is 0 can switch there.
class Walk {
public:
  Walk(const ReluNet& net, const std::vector<IntLayer>& layers, const Vector& x, const Vector& v)
      : net_(net), layers_(layers), hidden_(layers.size() - 1), Z_(layers.size()), delta_(layers.size()),
        on_(layers.size()), den_(layers.size()) {
    forward(x, v);
    sort_first_kinks();
    ray_.label_before = decide(net_.decision, net_.threshold, outputs().at(pos_), false);
  }

  NetRay run() {
    for (;;) {
      Position next;
      const bool bounded = next_kink(next);
      if (exits_before(next, bounded) || !bounded) return ray_;
      cross(next);
    }
  }

private:
  // The input x + c v as (A0 + c A1) / Da, then every layer with the pattern just past 0.
  void forward(const Vector& x, const Vector& v) {
    mpz_class Da = 1;
    for (const Vector* u : {&x, &v})
      for (const mpq_class& q : *u) mpz_lcm(Da.get_mpz_t(), Da.get_mpz_t(), q.get_den_mpz_t());
    IntMatrix in(x.size(), 2);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const mpz_class a0 = x[i].get_num() * (Da / x[i].get_den()), a1 = v[i].get_num() * (Da / v[i].get_den());
      fmpz_set_mpz(in.at(slong(i), 0), a0.get_mpz_t());
      fmpz_set_mpz(in.at(slong(i), 1), a1.get_mpz_t());
    }
    mpz_class in_den = Da;
    for (std::size_t L = 0; L <= hidden_; ++L) {
      Z_[L] = IntMatrix(layers_[L].W.rows(), 2);
      delta_[L] = IntMatrix(layers_[L].W.rows(), 2);
      multiply(layers_[L], in, Z_[L]);
      const Int scale(in_den);
      for (slong r = 0; r < Z_[L].rows(); ++r) fmpz_addmul(Z_[L].at(r, 0), layers_[L].b.at(r, 0), scale.get());
      den_[L] = in_den = layers_[L].D * in_den;
      if (L == hidden_) break;
      on_[L].resize(std::size_t(Z_[L].rows()));
      in = Z_[L];
      for (slong r = 0; r < in.rows(); ++r) {
        on_[L][std::size_t(r)] = active_past(Z_[L].at(r, 0), Z_[L].at(r, 1), pos_);
        if (!on_[L][std::size_t(r)]) fmpz_zero(in.at(r, 0)), fmpz_zero(in.at(r, 1));
      }
    }
  }

  // The first layer's kinks never move: sorted once.
  void sort_first_kinks() {
    if (hidden_ == 0) return;
    for (slong r = 0; r < Z_[0].rows(); ++r)
      if (!fmpz_is_zero(Z_[0].at(r, 1))) {
        Position t = root(Z_[0].at(r, 0), Z_[0].at(r, 1));
        if (sgn(t.p) > 0) first_.emplace_back(std::move(t), r);
      }
    std::sort(first_.begin(), first_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  // The outputs on the piece just past pos_.
  AffineOutputs outputs() const {
    const IntMatrix& out = Z_[hidden_];
    AffineOutputs o{std::vector<mpz_class>(std::size_t(out.rows())), std::vector<mpz_class>(std::size_t(out.rows())), den_[hidden_]};
    for (slong m = 0; m < out.rows(); ++m) {
      fmpz_get_mpz(o.z0[std::size_t(m)].get_mpz_t(), out.at(m, 0));
      fmpz_get_mpz(o.z1[std::size_t(m)].get_mpz_t(), out.at(m, 1));
    }
    return o;
  }

  // The next kink: the smallest root beyond pos over all hidden units, and in events_
  // every unit that vanishes there (with the units identically 0 on this piece).
  bool next_kink(Position& next) {
    events_.clear();
    bool bounded = false;
    if (next_first_ < first_.size()) {
      const Position& t = first_[next_first_].first;
      fmpz_set_mpz(cmp_.best_p.get(), t.p.get_mpz_t());
      fmpz_set_mpz(cmp_.best_q.get(), t.q.get_mpz_t());
      for (std::size_t i = next_first_; i < first_.size() && first_[i].first == t; ++i) events_.push_back({0, first_[i].second});
      bounded = true;
    }
    std::vector<Unit> vanished;
    for (std::size_t L = 1; L < hidden_; ++L)
      for (slong r = 0; r < Z_[L].rows(); ++r) {
        const int slope = fmpz_sgn(Z_[L].at(r, 1));
        if (slope == 0) {
          if (fmpz_is_zero(Z_[L].at(r, 0))) vanished.push_back({L, r});
          continue;
        }
        // A root past pos: a unit on just past pos that falls, or one off that rises.
        if ((slope < 0) != bool(on_[L][std::size_t(r)])) continue;
        const int c = bounded ? cmp_.versus_best(Z_[L].at(r, 0), Z_[L].at(r, 1)) : -1;
        if (c < 0) cmp_.take_as_best(Z_[L].at(r, 0), Z_[L].at(r, 1)), events_.clear(), bounded = true;
        if (c <= 0) events_.push_back({L, r});
      }
    events_.insert(events_.end(), vanished.begin(), vanished.end());
    if (bounded) {
      fmpz_get_mpz(next.p.get_mpz_t(), cmp_.best_p.get());
      fmpz_get_mpz(next.q.get_mpz_t(), cmp_.best_q.get());
    }
    return bounded;
  }

  // Does the decision change on [pos, next)? (ray_exit.hpp)
  bool exits_before(const Position& next, bool bounded) {
    if (!first_exit(net_.decision, net_.threshold, ray_.label_before, outputs(), pos_, bounded ? &next : nullptr, ray_)) return false;
    if (!ray_.breakpoints.empty() && ray_.breakpoints.back() == ray_.c_exit) ray_.breakpoints.pop_back();
    return true;
  }

  // Cross the kink: layer by layer, switch the vanishing units by their new slope, and
  // carry the change of the layer's output into the next layer.
  void cross(const Position& next) {
    pos_ = next;
    ray_.breakpoints.push_back(pos_.value());
    while (next_first_ < first_.size() && !(pos_ < first_[next_first_].first)) ++next_first_;
    fmpz_mat_zero(delta_[0].get());
    for (std::size_t L = 0; L < hidden_; ++L) {
      std::vector<std::pair<slong, bool>> switched;
      for (const Unit& u : events_)
        if (u.layer == L && (fmpz_sgn(Z_[L].at(u.row, 1)) > 0) != bool(on_[L][std::size_t(u.row)]))
          switched.emplace_back(u.row, !on_[L][std::size_t(u.row)]);
      fmpz_mat_zero(delta_[L + 1].get());
      if (L > 0 && L + 1 == hidden_ && sparse(delta_[L - 1])) carry_into_output(L, switched);
      else carry(L, switched);
      fmpz_mat_add(Z_[L + 1].get(), Z_[L + 1].get(), delta_[L + 1].get());
    }
  }

  // delta_[L] holds the change of Z[L] (none for the first layer) and becomes the change
  // of the layer's output: kept for units on before and after, Z for a unit that switches
  // on, change - Z for one that switches off, 0 for units off throughout; then
  // delta_[L + 1] = W_{L+1} delta_[L].
  void carry(std::size_t L, const std::vector<std::pair<slong, bool>>& switched) {
    IntMatrix& d = delta_[L];
    for (slong r = 0; r < d.rows(); ++r)
      if (!on_[L][std::size_t(r)]) fmpz_zero(d.at(r, 0)), fmpz_zero(d.at(r, 1));
    for (const auto& [r, now] : switched) {
      on_[L][std::size_t(r)] = now;
      for (slong c = 0; c < 2; ++c) {
        if (now) fmpz_set(d.at(r, c), Z_[L].at(r, c));
        else fmpz_sub(d.at(r, c), d.at(r, c), Z_[L].at(r, c));
      }
    }
    IntMatrix& next_d = delta_[L + 1];
    for (slong r = 0; r < d.rows(); ++r) {
      if (fmpz_is_zero(d.at(r, 0)) && fmpz_is_zero(d.at(r, 1))) continue;
      for (slong m = 0; m < next_d.rows(); ++m)
        for (slong c = 0; c < 2; ++c) fmpz_addmul(next_d.at(m, c), layers_[L + 1].W.at(m, r), d.at(r, c));
    }
  }

  // Into the output from a kink of layer L - 1: W_out diag(on) W_L is applied to the few
  // changed entries of layer L - 1 directly (small weights times one big value) rather
  // than to the dense change of layer L (big values throughout); then the switches.
  void carry_into_output(std::size_t L, const std::vector<std::pair<slong, bool>>& switched) {
    IntMatrix& next_d = delta_[L + 1];
    carry_factored(layers_[L + 1], layers_[L], on_[L], delta_[L - 1], next_d);
    for (const auto& [r, now] : switched) {
      on_[L][std::size_t(r)] = now;
      for (slong m = 0; m < next_d.rows(); ++m)
        for (slong c = 0; c < 2; ++c) (now ? fmpz_addmul : fmpz_submul)(next_d.at(m, c), layers_[L + 1].W.at(m, r), Z_[L].at(r, c));
    }
  }

  const ReluNet& net_;
  const std::vector<IntLayer>& layers_;
  const std::size_t hidden_;
  std::vector<IntMatrix> Z_, delta_;
  std::vector<std::vector<char>> on_;
  std::vector<mpz_class> den_;
  Position pos_;
  std::vector<std::pair<Position, slong>> first_;
  std::size_t next_first_ = 0;
  std::vector<Unit> events_;
  RootCompare cmp_;
  NetRay ray_;
};

}  // namespace

NetRay RayWalker::walk(const Vector& x, const Vector& v) const {
  if (x.size() != impl_->net.input_dim() || v.size() != impl_->net.input_dim())
    throw InputError("ray", "point and direction need " + std::to_string(impl_->net.input_dim()) + " entries");
  return Walk(impl_->net, impl_->layers, x, v).run();
}

}  // namespace advdir::exact
