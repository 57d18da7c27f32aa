// advdir's certificate checker. It trusts GMP, the JSON parsers (simdjson, nlohmann) and zlib, and
// recomputes every claimed number from the data; no tolerance anywhere.
#include "advdir/check/check.hpp"

#include "fields.hpp"
#include "json_text.hpp"
#include "net.hpp"
#include "onnx.hpp"
#include "vnnlib.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <functional>
#include <map>
#include <set>

namespace advdir::check {
namespace {

using namespace detail;
using detail::dot;

// Strictly increasing indices of S, each with a positive weight.
std::pair<std::vector<std::size_t>, Vec> weighted_support(const json& cert, const char* weights, const Data& S) {
  const json& sup = field(cert, "support");
  require(sup.is_array() && !sup.empty(), "support: expected a non-empty array");
  std::vector<std::size_t> idx;
  for (const json& i : sup) {
    idx.push_back(index(i, "support", S.n()));
    require(idx.size() == 1 || idx.back() > idx[idx.size() - 2], "support: indices not strictly increasing");
  }
  Vec w = numbers(field(cert, weights), weights, idx.size());
  // HardMargin.v: alpha_ge0 / lambda_ge0 (0 off the support); strictly increasing indices
  // make alpha a function of the point (no index counted twice).
  for (const mpq_class& a : w) require(a > 0, std::string(weights) + ": an entry is not positive");
  return {idx, w};
}

// den * L * sum_k a_k y_k x_k over the integers, with L the common denominator of a.
std::pair<std::vector<mpz_class>, mpz_class> combination(const Data& S, const std::vector<std::size_t>& idx, const Vec& a) {
  mpz_class L = 1;
  for (const mpq_class& q : a) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), q.get_den_mpz_t());
  std::vector<mpz_class> acc(S.d, 0);
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const mpz_class c = a[k].get_num() * (L / a[k].get_den()) * S.y[idx[k]];
    mpz_t view;
    for (const detail::Entry& e : S.rows[idx[k]]) mpz_addmul(acc[e.j].get_mpz_t(), c.get_mpz_t(), S.value(e, view));
  }
  return {acc, L * S.den};
}

mpq_class label_sum(const Data& S, const std::vector<std::size_t>& idx, const Vec& a) {
  mpq_class s = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) s += S.y[idx[k]] * a[k];
  return s;
}

// A rational vector as integers over one denominator.
struct IntVec {
  std::vector<mpz_class> num;
  mpz_class den = 1;
};

IntVec integral(const Vec& v) {
  IntVec r;
  for (const mpq_class& q : v) mpz_lcm(r.den.get_mpz_t(), r.den.get_mpz_t(), q.get_den_mpz_t());
  for (const mpq_class& q : v) r.num.push_back(q.get_num() * (r.den / q.get_den()));
  return r;
}

mpq_class dot(const IntVec& a, const IntVec& b) {
  mpz_class s = 0;
  for (std::size_t j = 0; j < a.num.size(); ++j) mpz_addmul(s.get_mpz_t(), a.num[j].get_mpz_t(), b.num[j].get_mpz_t());
  mpq_class q(s, a.den * b.den);
  q.canonicalize();
  return q;
}

// m_i = y_i (<w, x_i> + b) = M[i] / den for every point of S (den > 0, one for all).
struct Margins {
  std::vector<mpz_class> M;
  mpz_class den;
  // sign of m_i - p/q, for q > 0
  int cmp(std::size_t i, const mpz_class& p, const mpz_class& q) const { return sgn(M[i] * q - p * den); }
};

// With L = lcm(W.den, b.den): m_i = y_i (<W L/W.den, X_i> + b L S.den) / (L S.den).
Margins margins(const Data& S, const IntVec& W, const mpq_class& b) {
  require(W.num.size() == S.d, "w has " + std::to_string(W.num.size()) + " entries, the data dimension is " + std::to_string(S.d));
  mpz_class L;
  mpz_lcm(L.get_mpz_t(), W.den.get_mpz_t(), b.get_den_mpz_t());
  const mpz_class wscale = L / W.den, offset = b.get_num() * (L / b.get_den()) * S.den;
  Margins m{std::vector<mpz_class>(S.n()), L * S.den};
  for (std::size_t i = 0; i < S.n(); ++i) {
    mpz_class& s = m.M[i];
    mpz_t view;
    for (const detail::Entry& e : S.rows[i]) mpz_addmul(s.get_mpz_t(), W.num[e.j].get_mpz_t(), S.value(e, view));
    s = s * wscale + offset;
    if (S.y[i] < 0) s = -s;
  }
  return m;
}

void require_binary(const Data& S) {
  for (int y : S.y) require(y == 1 || y == -1, "labels must be +1 or -1");
}

struct Separator {
  Vec w;
  mpq_class b, alpha_sum, margin_sq;
  IntVec w_int;  // w over one denominator
  Margins m;     // y_i (<w, x_i> + b) on S
};

// Lemma 3 and KKT (1)-(3): w* is the max-margin separator and alpha its multipliers.
Separator check_separator(const json& cert, const Data& S) {
  require_binary(S);
  auto [idx, alpha] = weighted_support(cert, "alpha", S);
  Separator sep{numbers(field(cert, "w_star"), "w_star", S.d), number(field(cert, "b_star"), "b_star"), 0,
                number(field(cert, "margin_sq"), "margin_sq"), {}, {}};
  auto [acc, scale] = combination(S, idx, alpha);
  for (std::size_t j = 0; j < S.d; ++j)  // separator_cert.kkt1
    require(sep.w[j] * scale == acc[j], "KKT (1): w_star[" + std::to_string(j) + "] != sum alpha_i y_i x_i");
  require(label_sum(S, idx, alpha) == 0, "KKT (2): sum alpha_i y_i != 0");  // separator_cert.kkt2
  for (const mpq_class& a : alpha) sep.alpha_sum += a;
  require(sep.margin_sq * sep.alpha_sum == 1, "margin_sq != 1 / sum alpha_i");  // separator_cert.margin_sq_alpha
  sep.w_int = integral(sep.w);
  sep.m = margins(S, sep.w_int, sep.b);
  const Margins& m = sep.m;
  std::set<std::size_t> on_support(idx.begin(), idx.end());
  for (std::size_t i = 0; i < S.n(); ++i) {
    // separator_cert.kkt3_feasible, then kkt3_active
    require(m.M[i] >= m.den, "KKT (3): point " + std::to_string(i) + " violates y(<w*,x>+b*) >= 1");
    require(!on_support.count(i) || m.M[i] == m.den, "KKT (3): support point " + std::to_string(i) + " not on the margin");
  }
  return sep;
}

// Farkas: lambda >= 0, lambda != 0, sum lambda y x = 0, sum lambda y = 0: no (w,b) separates S.
void check_farkas(const json& cert, const Data& S) {
  require_binary(S);
  auto [idx, lambda] = weighted_support(cert, "lambda", S);
  auto [acc, scale] = combination(S, idx, lambda);
  for (const mpz_class& v : acc) require(v == 0, "sum lambda_i y_i x_i != 0");  // farkas_cert.farkas_points
  require(label_sum(S, idx, lambda) == 0, "sum lambda_i y_i != 0");           // farkas_cert.farkas_labels
}

// Theorems 4, 5 and Corollary 6 for each listed classifier (w, b).
void check_transfer(const std::string& theorem, const json& cert, const Data& S, const Separator& sep) {
  const json& list = field(cert, "classifiers");
  require(list.is_array() && !list.empty(), "classifiers: expected a non-empty array");
  // corollary6's c_S is margin_sq C (margin_sq_norm: 1/|w*|^2).
  if (theorem == "corollary6") require(number(field(cert, "c_S"), "c_S") == sep.margin_sq, "c_S != margin_sq");
  for (std::size_t c = 0; c < list.size(); ++c) {
    const std::string at = "classifiers[" + std::to_string(c) + "].";
    const json& h = list[c];
    // The separator as a classifier (advdir certify's default), written as w_star and b_star
    // are: its numbers are read and its margins computed already.
    const bool is_separator = field(h, "w") == field(cert, "w_star") && field(h, "b") == field(cert, "b_star");
    IntVec own_w;
    Margins own_m;
    if (!is_separator) own_w = integral(numbers(field(h, "w"), at + "w", S.d)), own_m = margins(S, own_w, number(field(h, "b"), at + "b"));
    const IntVec& w = is_separator ? sep.w_int : own_w;
    const Margins& m = is_separator ? sep.m : own_m;
    std::size_t least = 0;
    for (std::size_t i = 0; i < S.n(); ++i) {
      // HardMargin.accurate w b (more than Coq needs: margin > 0 also at -1 points, i.e. no
      // point on the boundary, which is what h(x_i) = y_i means with h = [<w,x>+b > 0]).
      require(sgn(m.M[i]) > 0, at + " not S-accurate at point " + std::to_string(i));
      if (m.M[i] < m.M[least]) least = i;
    }
    const mpq_class inner = dot(w, sep.w_int);
    require(number(field(h, "inner"), at + "inner") == inner, at + "inner != <w, w_star>");  // dot w (w_star C)
    require(inner > 0, at + "inner is not positive");  // the conclusion of theorem4_inner, re-checked
    // c * inner == m_i, i.e. c == M_i P / Q with P / Q = inner.den / (inner.num den) in lowest
    // terms (inner > 0). Where c.den divides Q (k = Q / c.den: c == c.num k / Q) that is
    // c.num k == M_i P, with k and P a few bits for a separator's own c_exit; elsewhere
    // c.num Q == c.den M_i P. k is found once for each of c_exit's denominators (a few dozen
    // over 10,000 points).
    mpq_class per_margin(inner.get_den(), inner.get_num() * m.den);
    per_margin.canonicalize();
    const mpz_class &P = per_margin.get_num(), &Q = per_margin.get_den();
    std::map<mpz_class, std::optional<mpz_class>> k_of;
    auto exits_at = [&](const Frac& c, std::size_t i) {
      const auto [it, fresh] = k_of.try_emplace(c.den);
      if (fresh && mpz_divisible_p(Q.get_mpz_t(), c.den.get_mpz_t())) it->second = Q / c.den;
      const mpz_class rhs = m.M[i] * P;
      return it->second ? c.num * *it->second == rhs : c.num * Q == c.den * rhs;
    };
    if (theorem == "corollary6") {
      // corollary6: forall j, margin w b k <= margin w b j (and 0 < margin w b k, above).
      const std::size_t k = index(field(h, "least_margin_index"), at + "least_margin_index", S.n());
      require(m.M[k] == m.M[least], at + "least_margin_index is not a point of least margin");
      const Frac c_exit = fraction(field(h, "c_exit"), at + "c_exit");
      require(exits_at(c_exit, k), at + "c_exit != y(<w,x>+b) / <w,w*>");  // c_exit C w b k
      require(c_exit.num * sep.margin_sq.get_den() <= sep.margin_sq.get_num() * c_exit.den, at + "c_exit exceeds c_S");
      continue;
    }
    const auto c_exit = fractions(field(h, "c_exit"), at + "c_exit", S.n());
    for (std::size_t i = 0; i < S.n(); ++i)  // theorem4_exit's c_exit C w b i
      require(exits_at(c_exit[i], i), at + "c_exit[" + std::to_string(i) + "] != y(<w,x>+b) / <w,w*>");
    if (theorem != "5") continue;
    const mpq_class gamma = number(field(h, "gamma_h"), at + "gamma_h");
    // theorem5: 0 < gamma and forall j, gamma <= margin w b j (the least margin itself).
    require(m.cmp(least, gamma.get_num(), gamma.get_den()) == 0, at + "gamma_h is not h's least margin");
    const auto bound = fractions(field(h, "bound"), at + "bound", S.n());
    for (std::size_t i = 0; i < S.n(); ++i) {
      // bound C w b gamma i (theorem5), with gamma_h = M_least / den: bound * gamma_h * sum alpha == m_i
      require(bound[i].num * m.M[least] * sep.alpha_sum.get_num() == m.M[i] * bound[i].den * sep.alpha_sum.get_den(),
              at + "bound[" + std::to_string(i) + "] != Theorem 5's");
      require(c_exit[i].num * bound[i].den <= bound[i].num * c_exit[i].den,
              at + "c_exit[" + std::to_string(i) + "] exceeds Theorem 5's bound");
    }
  }
}

// A ReLU net along x + c v: the pieces with their patterns, the exit or that there is none.
void check_net_ray(const json& cert) {
  const Net net = read_net(field(cert, "model"), 0);
  const Vec x = numbers(field(cert, "point"), "point", net.dim()), v = numbers(field(cert, "direction"), "direction", net.dim());
  verify_ray_claim(net, x, v, cert, "");
}

// A linear classifier along x + c v: the exit point, or that there is none.
void check_ray(const json& cert) {
  const json& model = field(cert, "model");
  if (field(model, "kind") != "linear") return check_net_ray(cert);
  const std::size_t d = field(model, "w").size();
  const Vec w = numbers(model["w"], "model.w", d), x = numbers(field(cert, "point"), "point", d),
            v = numbers(field(cert, "direction"), "direction", d);
  mpq_class score = number(field(model, "b"), "model.b"), slope = 0;
  for (std::size_t j = 0; j < d; ++j) {
    score += w[j] * x[j];
    slope += w[j] * v[j];
  }
  // Ray.v: score_ray, s = <w,x> + b and t = <w,v>; linear_h w b x decides label_before.
  const int before = score > 0 ? 1 : -1;
  require(is(field(cert, "label_before"), before), "label_before is wrong");
  // ray_exit_up (t > 0 from -1), ray_exit_down (t < 0 from +1); otherwise ray_never.
  const bool adversarial = before == 1 ? slope < 0 : slope > 0;
  require(field(cert, "adversarial") == adversarial, "adversarial is wrong: slope <w,v> = " + slope.get_str());
  if (!adversarial) {
    require(number(field(cert, "score"), "score") == score, "score != <w,x> + b");
    require(number(field(cert, "slope"), "slope") == slope, "slope != <w,v>");
    return;
  }
  const mpq_class c = number(field(cert, "c_exit"), "c_exit");
  require(score + c * slope == 0 && c >= 0, "c_exit is not where <w, x + c v> + b crosses 0");  // c_exit = -s / t
  require(is(field(cert, "label_after"), -before), "label_after is wrong");
  require(field(cert, "differs_at_exit") == (before == 1), "differs_at_exit is wrong");
}


// Theorem 8: the points of S with label k (as +1) or l (as -1), in their order.
Data pair_subset(const Data& S, int k, int l) {
  require(k != l, "pair: k == l");
  Data P;
  P.d = S.d, P.den = S.den, P.limbs = S.limbs;
  for (std::size_t i = 0; i < S.n(); ++i)
    if (S.y[i] == k || S.y[i] == l) P.y.push_back(S.y[i] == k ? 1 : -1), P.rows.push_back(S.rows[i]);
  return P;
}

// argmax(Wx + b), the first row among the largest; "classes" names each row's label.
struct Multiclass {
  std::vector<Vec> W;
  Vec b;
  std::vector<int> classes;
  std::size_t row(int label) const {
    for (std::size_t m = 0; m < classes.size(); ++m)
      if (classes[m] == label) return m;
    throw Invalid("the classifier has no row for class " + std::to_string(label));
  }
};

Multiclass multiclass(const json& h, std::size_t d) {
  require(field(h, "kind") == "multiclass", "classifier: expected kind multiclass");
  const json& W = field(h, "W");
  require(W.is_array() && W.size() >= 2, "W: expected at least two rows");
  Multiclass m{{}, numbers(field(h, "b"), "b", W.size()), {}};
  const json& classes = field(h, "classes");
  require(classes.is_array(), "classes: expected an array");
  for (const json& c : classes) m.classes.push_back(label(c, "classes"));
  // Multiclass.theorem8_classes's `injective classes`: one row a class, so that
  // "another row wins" means "another class wins".
  std::set<int> distinct(m.classes.begin(), m.classes.end());
  require(distinct.size() == m.classes.size(), "classes: a class is named twice");
  for (std::size_t r = 0; r < W.size(); ++r) m.W.push_back(numbers(W[r], "W[" + std::to_string(r) + "]", d));
  require(m.classes.size() == W.size(), "classes: one per row");
  return m;
}

// z_m(x_i) = Z[i][m] / den for every point and row, one denominator for all.
struct Scores {
  std::vector<std::vector<mpz_class>> Z;
  mpz_class den;
};

Scores scores(const Data& S, const Multiclass& h) {
  mpz_class L = 1;
  for (const mpq_class& q : h.b) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), q.get_den_mpz_t());
  for (const Vec& w : h.W)
    for (const mpq_class& q : w) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), q.get_den_mpz_t());
  Scores s{std::vector<std::vector<mpz_class>>(S.n(), std::vector<mpz_class>(h.W.size())), L * S.den};
  for (std::size_t m = 0; m < h.W.size(); ++m) {
    std::vector<mpz_class> w;
    for (const mpq_class& q : h.W[m]) w.push_back(q.get_num() * (L / q.get_den()));
    const mpz_class offset = h.b[m].get_num() * (L / h.b[m].get_den()) * S.den;
    for (std::size_t i = 0; i < S.n(); ++i) {
      mpz_class& z = s.Z[i][m];
      mpz_t view;
      for (const detail::Entry& e : S.rows[i]) mpz_addmul(z.get_mpz_t(), w[e.j].get_mpz_t(), S.value(e, view));
      z += offset;
    }
  }
  return s;
}

// One classifier on the pair: accurate without a k-l tie, <w_k - w_l, w*> > 0, and per
// point c_pair, the exact first exit c_exit <= c_pair along -y w*, the label past it.
// All over the integers: <w_m, w*> = T_m / Q and z_m(x_i) = Z_im / den, so row m overtakes
// `own` at c = (Z_own - Z_m) Q / (den G_m) with G_m = -y (T_m - T_own) > 0 (Q is T.den below).
// Nothing is put in lowest terms per point (a gcd of two 8,000-bit numbers is what 60,000
// points cost).
void check_pair_transfer(const json& t, const json& classifiers, const Data& P, int k, int l, const Vec& w_star) {
  const std::size_t c = index(field(t, "classifier"), "classifier", classifiers.size());
  const std::string at = "transfer of classifier " + std::to_string(c) + ": ";
  const Multiclass h = multiclass(classifiers[c], P.d);
  const std::size_t rk = h.row(k), rl = h.row(l);
  Vec toward;
  for (const Vec& w : h.W) toward.push_back(dot(w, w_star));
  const mpq_class inner = toward[rk] - toward[rl];
  require(number(field(t, "inner"), "inner") == inner && inner > 0, at + "inner != <w_k - w_l, w*> or not positive");
  const IntVec T = integral(toward);  // <w_m, w*> = T.num[m] / T.den
  // G[0]: the slopes G_m for a +1 point (own = rk), G[1] for a -1 point (own = rl).
  std::array<std::vector<mpz_class>, 2> G;
  for (int side = 0; side < 2; ++side) {
    const mpz_class& T_own = T.num[side ? rl : rk];
    for (const mpz_class& T_m : T.num) G[side].push_back(side ? T_m - T_own : T_own - T_m);
  }
  const Scores s = scores(P, h);
  const mpz_class pair_scale = inner.get_num() * s.den;
  const auto c_pair = fractions(field(t, "c_pair"), "c_pair", P.n()), c_exit = fractions(field(t, "c_exit"), "c_exit", P.n());
  const json& to = field(t, "to");
  const json& differs = field(t, "differs_at_exit");
  require(to.size() == P.n() && differs.size() == P.n(), at + "to, differs_at_exit: one per point");
  for (std::size_t i = 0; i < P.n(); ++i) {
    const std::string pt = at + "point " + std::to_string(i) + ": ";
    const std::vector<mpz_class>& z = s.Z[i];
    const std::size_t own = P.y[i] > 0 ? rk : rl, other = P.y[i] > 0 ? rl : rk;
    const std::vector<mpz_class>& g = G[P.y[i] > 0 ? 0 : 1];
    // Multiclass.v: classified (argmax_is, the smallest row among the largest) and untied
    // (checked at S[l]'s points too: more than Coq needs). inner > 0 is theorem4_inner via
    // pair_accurate; c_pair is c_exit C w_kl b_kl i, past which theorem8 moves the label:
    // c_pair inner den == y (Z_k - Z_l).
    for (std::size_t m = 0; m < z.size(); ++m) require(z[m] < z[own] || (z[m] == z[own] && m >= own), pt + "misclassified");
    require(z[own] != z[other], pt + "tied between k and l");
    require(c_pair[i].num * pair_scale == P.y[i] * (z[rk] - z[rl]) * c_pair[i].den * inner.get_den(), pt + "c_pair != y(z_k - z_l)/inner");
    // The exact first exit, more than Coq needs (theorem8_classes bounds it by c_pair): the
    // least (Z_own - Z_m) / G_m over the rows with G_m > 0 (the factor Q / den is common), the
    // row of largest G_m among equals; compared by cross-multiplying (G > 0).
    bool found = false, differs_at = false;
    std::size_t after = 0;
    for (std::size_t m = 0; m < z.size(); ++m) {
      if (m == own || sgn(g[m]) <= 0) continue;
      const int order = found ? cmp((z[own] - z[m]) * g[after], (z[own] - z[after]) * g[m]) : -1;  // c_m against the first
      if (order < 0) after = m, differs_at = false, found = true;
      else if (order == 0 && g[m] > g[after]) after = m;
      if (order <= 0 && m < own) differs_at = true;
    }
    require(found && c_exit[i].num * s.den * g[after] == c_exit[i].den * (z[own] - z[after]) * T.den,
            pt + "c_exit is not the first exit along -y w*");
    require(c_exit[i].num * c_pair[i].den <= c_pair[i].num * c_exit[i].den, pt + "c_exit exceeds c_pair");
    require(is(to[i], h.classes[after]) && differs[i] == differs_at, pt + "to or differs_at_exit is wrong");
  }
}

// Theorem 8: per pair (k, l), the separator of S[k] vs S[l] and the listed transfers.
void check_theorem8(const json& cert, const Data& S) {
  const json& pairs = field(cert, "pairs");
  const json& classifiers = field(cert, "classifiers");
  require(pairs.is_array() && !pairs.empty() && classifiers.is_array(), "pairs, classifiers: expected arrays");
  for (const json& p : pairs) {
    const int k = label(field(p, "k"), "k"), l = label(field(p, "l"), "l");
    const Data P = pair_subset(S, k, l);
    const Separator sep = check_separator(p, P);  // C : separator_cert x y with y i := lab i == k
    for (const json& t : field(p, "transfers")) check_pair_transfer(t, classifiers, P, k, l, sep.w);
  }
}

// |x_i|^2 for every point of a set.
std::vector<mpq_class> lengths_sq(const Data& T) {
  std::vector<mpq_class> out;
  for (const auto& row : T.rows) {
    mpz_class sq = 0;
    mpz_t view;
    for (const detail::Entry& e : row) {
      const mpz_srcptr v = T.value(e, view);
      mpz_addmul(sq.get_mpz_t(), v, v);
    }
    out.emplace_back(sq, T.den * T.den);
    out.back().canonicalize();
  }
  return out;
}

// Theorems 7 and 9: S must list, in order, exactly the points kept[j][i] of the training
// sets; S's labels are +1 for `plus`, -1 otherwise; "in_set" counts |S cap S_j|.
Data gather(const std::vector<Data>& sets, const std::vector<std::vector<bool>>& kept, const json& where, int plus) {
  const json& listed = field(where, "S");
  const json& in_set = field(where, "in_set");
  require(listed.is_array() && in_set.is_array() && in_set.size() == sets.size(), "S, in_set: expected arrays, one count per set");
  Data S;
  S.d = sets[0].d;
  for (const Data& T : sets) mpz_lcm(S.den.get_mpz_t(), S.den.get_mpz_t(), T.den.get_mpz_t());
  std::size_t next = 0;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const Data& T = sets[j];
    require(T.d == S.d, "training sets of different dimensions");
    const mpz_class scale = S.den / T.den;
    std::size_t count = 0;
    for (std::size_t i = 0; i < T.n(); ++i) {
      const bool is_listed = next < listed.size() && listed[next].is_array() && listed[next].size() == 2 &&
                             integer_in(listed[next][0], (long long)j, (long long)j) && integer_in(listed[next][1], (long long)i, (long long)i);
      require(kept[j][i] == is_listed, "S: point " + std::to_string(i) + " of set " + std::to_string(j) +
                                           (kept[j][i] ? " is classified correctly by all but not listed"
                                                       : " is listed but not classified correctly by all"));
      if (!kept[j][i]) continue;
      std::vector<detail::Entry> row;
      mpz_t view;
      for (const detail::Entry& e : T.rows[i]) S.push(row, e.j, mpz_class(T.value(e, view)) * scale);
      S.y.push_back(T.y[i] == plus ? 1 : -1), S.rows.push_back(std::move(row)), ++next, ++count;
    }
    require(detail::count(in_set[j], "in_set") == count, "in_set[" + std::to_string(j) + "] != |S cap S_j|");
  }
  require(next == listed.size(), "S: an entry is not a point of the training sets, or out of order");
  return S;
}

// One set per classifier, one or more. No Coq hypothesis rests on the count: the sets only
// define S, on which each classifier's accuracy (pair_accurate / HardMargin.accurate) is then
// checked point by point; Theorems 7 and 9's bounds over the sets are printed, not formalised.
std::vector<Data> training_sets(const json& cert, const std::string& base_dir, std::size_t classifiers) {
  const json& refs = field(cert, "data");
  require(refs.is_array() && !refs.empty() && refs.size() == classifiers,
          "data, classifiers: one training set per classifier, at least one");
  std::vector<Data> sets;
  for (const json& ref : refs) sets.push_back(detail::load_data(ref, base_dir));
  for (const Data& T : sets) require(T.d == sets[0].d, "training sets of different dimensions");
  return sets;
}

// Theorem 7: S is exactly the points of the training sets that every classifier gets
// right (margin >= 1 when "confident"); rho, |w_j|^2, R^2 and |S cap S_j| are exact;
// then the separator of S and Theorem 4 for the classifiers on S.
void check_theorem7(const json& cert, const std::string& base_dir) {
  const json& hs = field(cert, "classifiers");
  const std::vector<Data> sets = training_sets(cert, base_dir, hs.size());
  const bool confident = flag(field(cert, "confident"), "confident");
  const auto rho = numbers(field(cert, "rho"), "rho", sets.size());
  const auto w_norm_sq = numbers(field(cert, "w_norm_sq"), "w_norm_sq", sets.size());
  mpq_class R_sq = 0;
  std::vector<std::vector<bool>> kept;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const Data& T = sets[j];
    require_binary(T);
    std::vector<Margins> m;
    for (const json& h : hs) m.push_back(margins(T, integral(numbers(field(h, "w"), "w", T.d)), number(field(h, "b"), "b")));
    kept.emplace_back(T.n(), true);
    std::size_t unsure = 0;
    for (std::size_t i = 0; i < T.n(); ++i) {
      unsure += m[j].M[i] < m[j].den;
      for (const Margins& mc : m) kept[j][i] = kept[j][i] && (confident ? mc.M[i] >= mc.den : mc.M[i] > 0);
    }
    for (const mpq_class& len : lengths_sq(T)) R_sq = std::max(R_sq, len);
    require(rho[j] * T.n() == unsure, "rho[" + std::to_string(j) + "] is not the share of S_j with margin < 1");
    const Vec w = numbers(field(hs[j], "w"), "w", T.d);
    require(w_norm_sq[j] == dot(w, w), "w_norm_sq[" + std::to_string(j) + "] != |w_j|^2");
  }
  require(number(field(cert, "R_sq"), "R_sq") == R_sq, "R_sq != max |x|^2");
  // Each classifier is accurate on S, so theorem4's rows apply on S (check_transfer). rho,
  // |w_j|^2, R^2 and the counts are exact measurements; the probabilistic size bound
  // they feed is not formalised.
  const Data S = gather(sets, kept, cert, 1);
  check_transfer("4", cert, S, check_separator(cert, S));
}

// Theorem 9, per pair (k, l): S is exactly the points of the S_j[k,l] that every argmax
// classifier labels correctly without a k-l tie (|z_k - z_l| > 1 when "confident");
// rho_j (B3 for h_j on S_j[k,l]), n_j, B^2 (B1), R^2 are exact; then Theorem 8 on S.
void check_theorem9(const json& cert, const std::string& base_dir) {
  const json& hs = field(cert, "classifiers");
  const std::vector<Data> sets = training_sets(cert, base_dir, hs.size());
  const bool confident = flag(field(cert, "confident"), "confident");
  std::vector<Multiclass> models;
  mpq_class B_sq = 0;
  for (const json& h : hs) {
    models.push_back(multiclass(h, sets[0].d));
    for (const Vec& w : models.back().W) B_sq = std::max(B_sq, dot(w, w));
  }
  std::vector<std::vector<Scores>> z;  // z[j][c]: classifier c on set j
  std::vector<std::vector<mpq_class>> len;  // len[j][i] = |x_i|^2 in set j
  for (const Data& T : sets) {
    z.emplace_back();
    for (const Multiclass& h : models) z.back().push_back(scores(T, h));
    len.push_back(lengths_sq(T));
  }
  const json& pairs = field(cert, "pairs");
  require(pairs.is_array() && !pairs.empty(), "pairs: expected a non-empty array");
  for (const json& p : pairs) {
    const int k = label(field(p, "k"), "k"), l = label(field(p, "l"), "l");
    require(k != l, "pair: k == l");
    const auto rho = numbers(field(p, "rho"), "rho", sets.size());
    const json& n = field(p, "n");
    require(n.size() == sets.size(), "n: one per set");
    require(number(field(p, "B_sq"), "B_sq") == B_sq, "B_sq != max_i |w_i|^2");
    mpq_class R_sq = 0;
    std::vector<std::vector<bool>> kept;
    for (std::size_t j = 0; j < sets.size(); ++j) {
      const Data& T = sets[j];
      kept.emplace_back(T.n(), false);
      std::size_t in_pair = 0, sure = 0;
      for (std::size_t i = 0; i < T.n(); ++i) {
        if (T.y[i] != k && T.y[i] != l) continue;
        ++in_pair;
        R_sq = std::max(R_sq, len[j][i]);
        bool all = true;
        for (std::size_t c = 0; c < models.size(); ++c) {
          const std::vector<mpz_class>& zi = z[j][c].Z[i];
          const std::size_t own = models[c].row(T.y[i]), other = models[c].row(T.y[i] == k ? l : k);
          bool right = zi[own] > zi[other];
          for (std::size_t m = 0; m < zi.size(); ++m) right = right && (zi[m] < zi[own] || (zi[m] == zi[own] && m >= own));
          const bool sure_c = right && zi[own] - zi[other] > z[j][c].den;
          all = all && (confident ? sure_c : right);
          if (c == j) sure += sure_c;
        }
        kept[j][i] = all;
      }
      require(detail::count(n[j], "n") == in_pair, "n[" + std::to_string(j) + "] != |S_j[k,l]|");
      require(rho[j] * in_pair == in_pair - sure, "rho[" + std::to_string(j) + "] is not B3's share for h_j on S_j[k,l]");
    }
    require(number(field(p, "R_sq"), "R_sq") == R_sq, "R_sq != max |x|^2 over the pair");
    const Data S = gather(sets, kept, p, k);  // theorem8's rows on S, as in check_theorem8
    const Separator sep = check_separator(p, S);
    for (const json& t : field(p, "transfers")) check_pair_transfer(t, hs, S, k, l, sep.w);
  }
}


// Theorem 16: a relu_and net classifying S correctly, v = x_beta - x_alpha, and for every
// +1 point x the unit j0 with <u_j0, v> < 0 whose l_j(x) / -<u_j, v> is least: c_exit.
void check_theorem16(const json& cert, const Data& S) {
  require_binary(S);
  const json& model = field(cert, "model");
  require(field(model, "kind") == "relu_and", "model: expected kind relu_and");
  const json& rows = field(model, "W");
  require(rows.is_array() && !rows.empty(), "model.W: expected a non-empty matrix");
  std::vector<Vec> U;
  for (std::size_t j = 0; j < rows.size(); ++j) U.push_back(numbers(rows[j], "model.W", S.d));
  const Vec c = numbers(field(model, "b"), "model.b", U.size());
  auto point = [&](std::size_t i) {
    Vec x(S.d, 0);
    mpz_t view;
    for (const detail::Entry& e : S.rows[i]) x[e.j] = mpq_class(mpz_class(S.value(e, view)), S.den), x[e.j].canonicalize();
    return x;
  };
  auto units = [&](const Vec& x) {
    Vec l;
    for (std::size_t j = 0; j < U.size(); ++j) l.push_back(dot(U[j], x) + c[j]);
    return l;
  };
  for (std::size_t i = 0; i < S.n(); ++i) {
    const Vec l = units(point(i));
    const bool plus = std::all_of(l.begin(), l.end(), [](const mpq_class& q) { return q > 0; });
    require(plus == (S.y[i] > 0), "the net misclassifies point " + std::to_string(i));  // h'' N x_i = y_i
  }
  // theorem16_unit: h'' N x_alpha and ~~ h'' N x_beta give a unit falling along v.
  const std::size_t a = index(field(cert, "alpha"), "alpha", S.n()), b = index(field(cert, "beta"), "beta", S.n());
  require(S.y[a] > 0 && S.y[b] < 0, "alpha must be a +1 point and beta a -1 point");
  const Vec xa = point(a), xb = point(b);
  Vec v(S.d);
  for (std::size_t k = 0; k < S.d; ++k) v[k] = xb[k] - xa[k];
  Vec slope;
  for (const Vec& u : U) slope.push_back(dot(u, v));
  const json& exits = field(cert, "exits");
  require(exits.is_array(), "exits: expected an array");
  std::size_t next = 0;
  for (std::size_t i = 0; i < S.n(); ++i) {
    if (S.y[i] < 0) continue;
    require(next < exits.size() && is(field(exits[next], "point"), i), "exits: one per +1 point, in order (missing point " + std::to_string(i) + ")");
    const json& e = exits[next++];
    const std::size_t j0 = index(field(e, "unit"), "unit", U.size());
    const mpq_class exit = number(field(e, "c_exit"), "c_exit");
    const Vec l = units(point(i));
    require(slope[j0] < 0, "point " + std::to_string(i) + ": unit j0 does not decrease along v");  // slope_neg
    require(exit * -slope[j0] == l[j0], "point " + std::to_string(i) + ": c_exit != l_j0(x) / -<u_j0, v>");  // c_exit_def
    for (std::size_t j = 0; j < U.size(); ++j)  // c_exit_min
      require(slope[j] >= 0 || exit * -slope[j] <= l[j], "point " + std::to_string(i) + ": unit " + std::to_string(j) + " vanishes before c_exit");
  }
  require(next == exits.size(), "exits: more entries than +1 points");
}

// A relu2 net: f(x) = sum_j v_j relu(<u_j,x> + c_j), +1 iff f > a ("gt") or f >= a ("ge").
// Every check takes x through its projections <u_j, x>, computed once, in integers.
struct TwoLayer {
  std::vector<IntVec> U;  // the rows u_j, each over its common denominator
  Vec c, v;
  mpq_class a;
  bool ge;
  bool plus(const mpq_class& f) const { return ge ? f >= a : f > a; }
  Vec project(const Vec& x) const {
    const IntVec xi = integral(x);
    Vec p;
    for (const IntVec& u : U) p.push_back(dot(u, xi));
    return p;
  }
  mpq_class f(const Vec& pre) const {  // f at the point whose projections are `pre`
    mpq_class s = 0;
    for (std::size_t j = 0; j < U.size(); ++j) s += v[j] * std::max(mpq_class(0), mpq_class(pre[j] + c[j]));
    return s;
  }
};

TwoLayer two_layer(const json& m, std::size_t d) {
  require(field(m, "kind") == "relu2", "model: expected kind relu2");
  const json& rows = field(m, "W");
  require(rows.is_array() && !rows.empty(), "model.W: expected a non-empty matrix");
  TwoLayer net;
  for (const json& r : rows) net.U.push_back(integral(numbers(r, "model.W", d)));
  net.c = numbers(field(m, "b"), "model.b", net.U.size());
  net.v = numbers(field(m, "v"), "model.v", net.U.size());
  net.a = number(field(m, "threshold"), "model.threshold");
  const json rule = field(m, "rule");
  require(rule == "gt" || rule == "ge", "model.rule: expected gt or ge");
  net.ge = rule == "ge";
  return net;
}

// The first c >= 0 at which f(x + c d) reaches the +1 region, walking the kinks of the one
// hidden layer, from x's projections and d's; whether the label differs at it already.
// None: the label never changes.
std::optional<std::pair<mpq_class, bool>> first_exit(const TwoLayer& net, const Vec& pre_x, const Vec& beta) {
  Vec alpha, kinks{0};
  for (std::size_t j = 0; j < net.U.size(); ++j) {
    alpha.push_back(pre_x[j] + net.c[j]);
    if (beta[j] != 0 && -alpha[j] / beta[j] > 0) kinks.push_back(-alpha[j] / beta[j]);
  }
  std::sort(kinks.begin(), kinks.end());
  kinks.erase(std::unique(kinks.begin(), kinks.end()), kinks.end());
  for (std::size_t k = 0; k < kinks.size(); ++k) {
    const bool last = k + 1 == kinks.size();
    const mpq_class s = kinks[k], mid = last ? mpq_class(s + 1) : mpq_class((s + kinks[k + 1]) / 2);
    mpq_class f0 = 0, f1 = 0;  // f = f0 + c f1 on the piece
    for (std::size_t j = 0; j < net.U.size(); ++j)
      if (alpha[j] + mid * beta[j] > 0) f0 += net.v[j] * alpha[j], f1 += net.v[j] * beta[j];
    if (net.plus(f0 + s * f1)) return std::pair{s, true};
    if (f1 <= 0) continue;
    const mpq_class r = (net.a - f0) / f1;  // f(r) = a
    if (last || r < kinks[k + 1]) return std::pair{r, net.ge};
  }
  return std::nullopt;
}

// x_alpha in S[-1] and x_beta in S[+1], as indices.
std::pair<std::size_t, std::size_t> alpha_beta(const json& cert, const Data& S) {
  const std::size_t a = index(field(cert, "alpha"), "alpha", S.n()), b = index(field(cert, "beta"), "beta", S.n());
  require(S.y[a] < 0 && S.y[b] > 0, "alpha must be a -1 point and beta a +1 point");
  return {a, b};
}

// Theorem 15's direction v = x_beta - x_alpha for one relu2 net, D = f(x_beta) - f(x_alpha),
// through projections: <u_j, v> = <u_j, x_beta> - <u_j, x_alpha>.
struct Relu2Direction {
  TwoLayer net;
  Vec pre_alpha, beta;
  mpq_class f_alpha, D;
};

// At one x with h(x) = -1 (its projections `pre`): K = sum_j v_j |<u_j, x - x_alpha>|,
// c_bound = max(1, (a - f(x_alpha) + K)/D), and the exact c_exit along v, no later than c_bound.
void check_relu2_point(const json& p, const Relu2Direction& t, const Vec& pre, const std::string& at) {
  mpq_class K = 0;
  for (std::size_t j = 0; j < t.net.U.size(); ++j) K += t.net.v[j] * abs(pre[j] - t.pre_alpha[j]);
  require(number(field(p, "K"), "K") == K, at + "K != sum_j v_j |<u_j, x - x_alpha>|");  // K_def
  const mpq_class c_bound = std::max(mpq_class(1), mpq_class((t.net.a - t.f_alpha + K) / t.D));
  require(number(field(p, "c_bound"), "c_bound") == c_bound, at + "c_bound != max(1, (a - f(x_alpha) + K) / D)");  // c_bound_def
  // The exact exit below is more than theorem15 needs (it bounds the exit by c_bound); it is
  // a one-hidden-layer instance of Pieces.ray_piece, walked from kink to kink.
  const auto exit = first_exit(t.net, pre, t.beta);
  require(exit && number(field(p, "c_exit"), "c_exit") == exit->first, at + "c_exit is not the first exit along x_beta - x_alpha");
  require(field(p, "differs_at_exit") == exit->second, at + "differs_at_exit is wrong");
  require(exit->first <= c_bound, at + "c_exit exceeds c_bound");
}

std::vector<Vec> projections(const TwoLayer& net, const std::vector<Vec>& X) {
  std::vector<Vec> out;
  for (const Vec& x : X) out.push_back(net.project(x));
  return out;
}

// Theorem 15 for one relu2 net: in R' (every v_j >= 0: Lemma 14), classifying S correctly,
// D = f(x_beta) - f(x_alpha), and every -1 point of S, in order, as check_relu2_point.
// Returns the direction and the -1 points' projections.
std::pair<Relu2Direction, std::vector<Vec>> check_relu2_transfer(const json& entry, const json& model, const Data& S, const std::vector<Vec>& X,
                                                                 std::size_t a, std::size_t b) {
  Relu2Direction t{two_layer(model, S.d), {}, {}, 0, 0};
  // Convex.theorem15's (forall j, 0 <= v N j), i.e. Lemma 14's certificate.
  for (std::size_t j = 0; j < t.net.v.size(); ++j) require(t.net.v[j] >= 0, "v_" + std::to_string(j) + " < 0: the net is not in R'");
  const std::vector<Vec> pre = projections(t.net, X);
  // alpha_minus and beta_plus need x_alpha and x_beta alone; the checker asks all of S (R'_S).
  for (std::size_t i = 0; i < S.n(); ++i)
    require(t.net.plus(t.net.f(pre[i])) == (S.y[i] > 0), "the net misclassifies point " + std::to_string(i));
  t.pre_alpha = pre[a];
  for (std::size_t j = 0; j < t.net.U.size(); ++j) t.beta.push_back(pre[b][j] - pre[a][j]);
  t.f_alpha = t.net.f(pre[a]);
  t.D = t.net.f(pre[b]) - t.f_alpha;
  require(number(field(entry, "D"), "D") == t.D, "D != f(x_beta) - f(x_alpha)");  // D_def
  const json& points = field(entry, "points");
  require(points.is_array(), "points: expected an array");
  std::vector<Vec> minus;
  for (std::size_t i = 0; i < S.n(); ++i) {
    if (S.y[i] > 0) continue;
    const std::string at = "point " + std::to_string(i) + ": ";
    require(minus.size() < points.size() && is(field(points[minus.size()], "point"), i), at + "missing from points (one per -1 point, in order)");
    check_relu2_point(points[minus.size()], t, pre[i], at);
    minus.push_back(pre[i]);
  }
  require(minus.size() == points.size(), "points: more entries than -1 points");
  return {std::move(t), std::move(minus)};
}

// The test set's -1 points, in order: each in test_points (the net labels it -1; Theorem 15
// as at S's points) or in test_misclassified (the net labels it +1). Returns the
// projections of the first kind.
std::vector<Vec> check_relu2_test(const json& cert, const Relu2Direction& t, const Data& T, std::size_t d) {
  require(T.d == d, "test: the dimension differs from the data's");
  const std::vector<Vec> pre = projections(t.net, points_of(T));
  const json &points = field(cert, "test_points"), &missed = field(cert, "test_misclassified");
  require(points.is_array() && missed.is_array(), "test_points, test_misclassified: expected arrays");
  std::vector<Vec> covered;
  std::size_t next_missed = 0;
  for (std::size_t i = 0; i < T.n(); ++i) {
    require(T.y[i] == 1 || T.y[i] == -1, "test: labels must be +1 or -1");
    if (T.y[i] > 0) continue;
    const std::string at = "test point " + std::to_string(i) + ": ";
    if (t.net.plus(t.net.f(pre[i]))) {
      require(next_missed < missed.size() && is(missed[next_missed++], i), at + "the net labels it +1, and test_misclassified does not list it");
      continue;
    }
    require(covered.size() < points.size() && is(field(points[covered.size()], "point"), i),
            at + "missing from test_points (one per -1 point the net labels -1)");
    check_relu2_point(points[covered.size()], t, pre[i], at);
    covered.push_back(pre[i]);
  }
  require(covered.size() == points.size() && next_missed == missed.size(), "test_points, test_misclassified: more entries than -1 test points");
  return covered;
}

// Section 6 in practice: w* is S's max-margin separator (lemma3's checks), and each listed
// point's exit along -y w* = w* is the first one, or none when the label never changes.
void check_max_margin_exits(const json& mm, const Data& S, const TwoLayer& net, const std::vector<Vec>& pre) {
  const Separator sep = check_separator(mm, S);
  const Vec along = net.project(sep.w);
  const json& exits = field(mm, "exits");
  require(exits.is_array() && exits.size() == pre.size(), "max_margin.exits: one per point of points and test_points");
  for (std::size_t k = 0; k < pre.size(); ++k) {
    const auto exit = first_exit(net, pre[k], along);
    const std::string at = "max_margin.exits[" + std::to_string(k) + "]: ";
    require(exit.has_value() == !exits[k].is_null(), at + (exit ? "the ray does leave -1 along w*" : "the ray never leaves -1 along w*"));
    if (!exit) continue;
    require(number(field(exits[k], "c_exit"), "c_exit") == exit->first, at + "c_exit is not the first exit along w*");
    require(field(exits[k], "differs_at_exit") == exit->second, at + "differs_at_exit is wrong");
  }
}

void check_theorem15(const json& cert, const std::string& base_dir) {
  const Data S = detail::load_data(field(cert, "data"), base_dir);
  require_binary(S);
  const auto [a, b] = alpha_beta(cert, S);
  auto [t, points] = check_relu2_transfer(cert, field(cert, "model"), S, points_of(S), a, b);
  if (has(cert, "test")) {
    const std::vector<Vec> test = check_relu2_test(cert, t, detail::load_data(field(cert, "test"), base_dir), S.d);
    points.insert(points.end(), test.begin(), test.end());
  }
  if (has(cert, "max_margin")) check_max_margin_exits(field(cert, "max_margin"), S, t.net, points);
}

// Corollary 17: one direction v = x_beta - x_alpha for linear classifiers and R' nets
// together. A linear h classifying S correctly has <w,v> > 0 and leaves -1 at every -1
// point x exactly past c_exit = -(<w,x> + b) / <w,v>; each net is Theorem 15's.
void check_corollary17(const json& cert, const Data& S) {
  require_binary(S);
  const auto [a, b] = alpha_beta(cert, S);
  const std::vector<Vec> X = points_of(S);
  const json& linear = field(cert, "linear");
  const json& nets = field(cert, "nets");
  require(linear.is_array() && nets.is_array() && linear.size() + nets.size() > 0, "linear, nets: expected arrays, not both empty");
  for (std::size_t c = 0; c < linear.size(); ++c) {
    const std::string at = "linear[" + std::to_string(c) + "]: ";
    const Vec w = numbers(field(linear[c], "w"), at + "w", S.d);
    const mpq_class bias = number(field(linear[c], "b"), at + "b");
    for (std::size_t i = 0; i < S.n(); ++i) require((dot(w, X[i]) + bias > 0) == (S.y[i] > 0), at + "misclassifies point " + std::to_string(i));
    mpq_class slope = 0;
    for (std::size_t k = 0; k < S.d; ++k) slope += w[k] * (X[b][k] - X[a][k]);
    require(number(field(linear[c], "slope"), at + "slope") == slope && slope > 0, at + "slope != <w, v> or not positive");
    const json& exits = field(linear[c], "c_exit");
    require(exits.is_array(), at + "c_exit: expected an array");
    std::size_t next = 0;
    for (std::size_t i = 0; i < S.n(); ++i) {
      if (S.y[i] > 0) continue;
      require(next < exits.size(), at + "c_exit: one per -1 point");
      // corollary17_linear: h(x + k v) = +1 exactly past -(<w,x>+b)/<w,v>, with <w,v> > 0.
      require(number(exits[next++], at + "c_exit") * slope == -(dot(w, X[i]) + bias), at + "c_exit != -(<w,x>+b)/<w,v> at point " + std::to_string(i));
    }
    require(next == exits.size(), at + "c_exit: one per -1 point");
  }
  for (const json& net : nets) check_relu2_transfer(net, field(net, "model"), S, X, a, b);
}

// The net labels every point of S with its label.
void require_accurate(const Net& net, const Data& S, const std::vector<Vec>& X) {
  for (std::size_t i = 0; i < S.n(); ++i) require(net_label(net, X[i]) == S.y[i], "the net misclassifies point " + std::to_string(i));
}

// Theorem 11: the region of label alpha is convex for the reason named (Lemma 13 for
// relu_sum, Lemma 14 for relu2 with v >= 0 or mirrored with v <= 0, R'' for relu_and, a
// half-space for a one-layer mlp), the net classifies S correctly, and along
// v = x_beta - x_alpha every point of S[alpha] has the claimed exact exit.
void check_theorem11(const json& cert, const Data& S) {
  require_binary(S);
  const Net net = read_net(field(cert, "model"), S.d);
  const int alpha = label(field(cert, "convex_label"), "convex_label");
  // The region's convexity: Regions.lemma13, Convex.lemma14, Regions.lemma14_mirrored,
  // Regions.R''_convex, or a half-space. Theorem 11's ball around x_beta is not certified:
  // instead each point's exit is (the ray claims below: Pieces.ray_piece, holds_on).
  const std::vector<ConvexRegion> convex = convex_regions(net);
  require(std::any_of(convex.begin(), convex.end(), [&](const ConvexRegion& c) { return c.label == alpha && field(cert, "why") == c.why; }),
          "the region of label " + std::to_string(alpha) + " is not convex for the reason given");
  const std::vector<Vec> X = points_of(S);
  require_accurate(net, S, X);
  const std::size_t a = index(field(cert, "alpha"), "alpha", S.n()), b = index(field(cert, "beta"), "beta", S.n());
  require(S.y[a] == alpha && S.y[b] == -alpha, "alpha must be a point of S[convex_label] and beta one of the other label");
  Vec v(S.d);
  for (std::size_t k = 0; k < S.d; ++k) v[k] = X[b][k] - X[a][k];
  const json& points = field(cert, "points");
  require(points.is_array(), "points: expected an array");
  std::size_t next = 0;
  for (std::size_t i = 0; i < S.n(); ++i) {
    if (S.y[i] != alpha) continue;
    const std::string at = "point " + std::to_string(i) + ": ";
    require(next < points.size() && is(field(points[next], "point"), i), at + "missing from points (one per point of S[alpha], in order)");
    require(field(points[next], "adversarial") == true, at + "not adversarial");
    verify_ray_claim(net, X[i], v, points[next++], at);
  }
  require(next == points.size(), "points: more entries than points of S[alpha]");
}

// Section 6 in general (PROOFS.md): w* is S's max-margin separator, the relu2 net is in
// R'_S and no unit rises along w* (<u_j, w*> <= 0), so f never increases along -y w* =
// w* from any -1 point, which therefore stays -1. Or, for a +1 point x_i, the Farkas
// certificate x_i = sum mu_j x_j + nu w* (x_j in S[-1], mu >= 0, sum mu = 1, nu >= 0):
// then no unit is >= 1 at x_i, <= 0 on S[-1] and falls along w*.
void check_counterexample(const json& cert, const Data& S) {
  const Separator sep = check_separator(cert, S);
  const std::vector<Vec> X = points_of(S);
  const json& outcome = field(cert, "outcome");
  // Which claim: Regions.construction_no_transfer ("counterexample") or
  // Regions.construction_infeasible ("infeasible"); the other branch's fields are unread.
  require(outcome == "counterexample" || outcome == "infeasible", "outcome: expected \"counterexample\" or \"infeasible\"");
  if (outcome == "infeasible") {
    const json& f = field(cert, "infeasible");
    const std::size_t i = index(field(f, "point"), "infeasible.point", S.n());
    // Regions.construction_infeasible: x_i = sum_t mu_t x_t + nu w*, every x_t in S[-1],
    // mu >= 0, sum mu = 1, nu >= 0.
    require(S.y[i] > 0, "infeasible.point must be a +1 point");
    const json& js = field(f, "minus_points");
    require(js.is_array() && !js.empty(), "infeasible.minus_points: expected a non-empty array");
    const Vec mu = numbers(field(f, "mu"), "infeasible.mu", js.size());
    const mpq_class nu = number(field(f, "nu"), "infeasible.nu");
    require(nu >= 0, "infeasible.nu is negative");
    Vec combo(S.d);
    mpq_class total = 0;
    for (std::size_t t = 0; t < js.size(); ++t) {
      const std::size_t j = index(js[t], "infeasible.minus_points", S.n());
      require(S.y[j] < 0 && mu[t] >= 0, "infeasible.mu: weights must be >= 0 and on -1 points");
      total += mu[t];
      for (std::size_t k = 0; k < S.d; ++k) combo[k] += mu[t] * X[j][k];
    }
    for (std::size_t k = 0; k < S.d; ++k) combo[k] += nu * sep.w[k];
    require(total == 1 && combo == X[i], "infeasible: x_i != sum mu_j x_j + nu w* with sum mu = 1");
    return;
  }
  const json& model = field(cert, "model");
  const Net net = read_net(model, S.d);
  require(net.kind == "relu2", "model: expected a relu2 net");
  const std::vector<ConvexRegion> convex = convex_regions(net);
  // Regions.construction_no_transfer: (forall j, 0 <= v N j) and (forall j, dot (u N j) w <= 0)
  // with w = w*, and ~~ h N x at each -1 point (require_accurate). a > 0 and accuracy on the
  // +1 points make the net one of R'_S, as the paper's statement asks: more than Coq needs.
  require(!convex.empty() && convex[0].why == "lemma14", "the net is not in R' (some v_j < 0)");
  require(net.threshold > 0, "the threshold a must be positive (R')");
  require_accurate(net, S, X);
  for (std::size_t j = 0; j < net.layers[0].W.size(); ++j)
    require(dot(net.layers[0].W[j], sep.w) <= 0, "unit " + std::to_string(j) + " rises along w*: <u_j, w*> > 0");
  if (!has(cert, "theorem15")) return;
  const json& entry = field(cert, "theorem15");
  require(entry.is_object(), "theorem15: expected an object");
  const std::size_t a = index(field(entry, "alpha"), "alpha", S.n()), b = index(field(entry, "beta"), "beta", S.n());
  require(S.y[a] < 0 && S.y[b] > 0, "theorem15: alpha must be a -1 point and beta a +1 point");
  check_relu2_transfer(entry, model, S, X, a, b);
}

// A net file a certificate names: {"format": "onnx" | "json", "path", "sha256"}, plain or
// gzip. JSON nets must be mlps, whose last layer's outputs are the Y of a property.
Net named_net(const json& ref, const std::string& base_dir) {
  const auto [path, bytes] = detail::file_by_hash(ref, base_dir);
  const json& format = field(ref, "format");
  const std::string text = detail::inflated(path, bytes);
  if (format == "onnx") return detail::onnx_net(text, path);
  require(format == "json", "net.format: expected \"onnx\" or \"json\"");
  const json model = detail::read_json(text, path);
  require(model.is_object() && model.value("kind", "") == "mlp", path + ": expected an mlp (\"kind\": \"mlp\")");
  const json& layers = model["layers"];
  require(layers.is_array() && !layers.empty() && layers[0].is_object() && layers[0]["W"].is_array() && !layers[0]["W"].empty() &&
              layers[0]["W"][0].is_array(), path + ": expected layers [{\"W\", \"b\"}, ...]");
  return read_net(model, layers[0]["W"][0].size());
}

// A counterexample to a VNNLIB property: it discharges no Coq hypothesis, since the claim
// is the property's own meaning, checked by evaluation: x lies in the input region and the
// net's exact outputs y = f(x) meet the output condition, i.e. every assertion holds at
// (x, f(x)). The net and the property are read by the checker's own ONNX and VNNLIB
// readers from the very bytes whose SHA-256 the certificate names (file_by_hash).
void check_vnnlib_counterexample(const json& cert, const std::string& base_dir) {
  const Net net = named_net(field(cert, "net"), base_dir);
  const auto [ppath, pbytes] = detail::file_by_hash(field(cert, "property"), base_dir);
  const VnnProperty p = read_vnnlib(detail::inflated(ppath, pbytes), ppath);
  require(net.dim() == p.inputs, "the property declares " + std::to_string(p.inputs) + " inputs, the net takes " + std::to_string(net.dim()));
  require(net.outputs() == p.outputs, "the property declares " + std::to_string(p.outputs) + " outputs, the net has " + std::to_string(net.outputs()));
  const Vec x = numbers(field(cert, "x"), "x", p.inputs), y = numbers(field(cert, "y"), "y", p.outputs);
  require(outputs_at(net, x) == y, "y: not the net's exact outputs at x");
  require(satisfies(p, x, y), "the property does not hold at (x, f(x)): not a counterexample");
}

// Each kind's check, given the certificate and the folder its data paths start from.
using Check = std::function<void(const json& cert, const std::string& base_dir)>;

// A check of S, the certificate's "data".
Check on_data(void (*check)(const json&, const Data&)) {
  return [check](const json& cert, const std::string& base_dir) { check(cert, detail::load_data(field(cert, "data"), base_dir)); };
}

// lemma3 alone, or with Theorem 4, 5 or Corollary 6 on top.
Check on_separator(const std::string& theorem) {
  return [theorem](const json& cert, const std::string& base_dir) {
    const Data S = detail::load_data(field(cert, "data"), base_dir);
    const Separator sep = check_separator(cert, S);
    if (theorem != "lemma3") check_transfer(theorem, cert, S, sep);
  };
}

const std::map<std::string, Check>& checks() {
  static const std::map<std::string, Check> table = {
      {"lemma3", on_separator("lemma3")},
      {"4", on_separator("4")},
      {"5", on_separator("5")},
      {"corollary6", on_separator("corollary6")},
      {"farkas", on_data(check_farkas)},
      {"ray", [](const json& cert, const std::string&) { check_ray(cert); }},
      {"7", check_theorem7},
      {"8", on_data(check_theorem8)},
      {"9", check_theorem9},
      {"11", on_data(check_theorem11)},
      {"15", check_theorem15},
      {"16", on_data(check_theorem16)},
      {"corollary17", on_data(check_corollary17)},
      {"counterexample_relu", on_data(check_counterexample)},
      {"vnnlib_counterexample", check_vnnlib_counterexample},
  };
  return table;
}

// Nesting depth of a JSON value, walked without recursion.
std::size_t depth_of(const json& root) {
  std::size_t deepest = 0;
  std::vector<std::pair<const json*, std::size_t>> todo = {{&root, 1}};
  while (!todo.empty()) {
    const auto [node, depth] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, depth);
    if (node->is_structured())
      for (const json& child : *node) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace

Verdict check_certificate(const json& cert, const std::string& base_dir) {
  if (depth_of(cert) > max_depth) throw Unreadable("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  const json* format = member(cert, "format");
  if (!format || *format != "advdir-cert/1") throw Unreadable("not an advdir-cert/1 certificate");
  const json* named = member(cert, "theorem");
  const std::string theorem = named && named->is_string() ? named->get<std::string>() : "";
  const auto check = checks().find(theorem);
  if (check == checks().end()) throw Unreadable("unknown theorem " + detail::shown(theorem));
  try {
    strictly(cert, [&] {
      mark_read(cert, "format");
      mark_read(cert, "theorem");
      check->second(cert, base_dir);
    });
    return {true, ""};
  } catch (const Invalid& e) {
    return {false, e.what()};
  } catch (const json::exception& e) {
    return {false, one_line(std::string("malformed field: ") + e.what())};
  }
}

std::string one_line(std::string_view message) {
  std::string line;
  for (const char c : message.substr(0, max_message_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) line += c;
    else line += {'\\', 'x', "0123456789abcdef"[byte >> 4], "0123456789abcdef"[byte & 15]};
  }
  if (message.size() > max_message_bytes) line += "... (" + std::to_string(message.size()) + " bytes)";
  return line;
}

std::string report(const std::string& path, const Verdict& v, bool as_json) {
  // A byte that is not UTF-8 (a data file's, a VNNLIB token's, cut by one_line) is shown as U+FFFD.
  if (as_json) return json{{"valid", v.valid}, {"reason", v.reason}}.dump(-1, ' ', false, json::error_handler_t::replace);
  return one_line(v.valid ? "valid: " + path : "INVALID: " + path + ": " + v.reason);
}

Verdict check_certificate_file(const std::string& path) {
  const json cert = detail::read_json(detail::read_bounded(path, max_certificate_bytes), path);
  return check_certificate(cert, std::filesystem::path(path).parent_path().string());
}

}  // namespace advdir::check
