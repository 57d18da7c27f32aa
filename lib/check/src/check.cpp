// advdir's certificate checker. It trusts GMP, the JSON parser and zlib, and
// recomputes every claimed number from the data; no tolerance anywhere.
#include "advdir/check/check.hpp"

#include "data.hpp"

#include <filesystem>
#include <fstream>
#include <set>

namespace advdir::check {
namespace {

using json = nlohmann::json;
using detail::Data;
using Vec = std::vector<mpq_class>;

struct Invalid : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(bool ok, const std::string& why) {
  if (!ok) throw Invalid(why);
}

const json& field(const json& obj, const std::string& name) {
  require(obj.is_object() && obj.contains(name), "missing field \"" + name + "\"");
  return obj[name];
}

// A certificate number: a string "N" or "N/D" with D > 0. Fractions need not be
// reduced: every test below cross-multiplies, so no gcd is ever taken per point.
struct Frac {
  mpz_class num, den;
};

bool digits_only(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

Frac fraction(const json& j, const std::string& what) {
  require(j.is_string(), what + ": not a rational string");
  const std::string s = j.get<std::string>();
  const std::size_t slash = s.find('/'), sign = s.size() > 1 && s[0] == '-';
  const std::string num = s.substr(sign, slash == std::string::npos ? std::string::npos : slash - sign);
  const std::string den = slash == std::string::npos ? "1" : s.substr(slash + 1);
  require(digits_only(num) && digits_only(den) && den.find_first_not_of('0') != std::string::npos,
          what + ": malformed rational '" + s + "'");
  Frac f{mpz_class(num, 10), mpz_class(den, 10)};  // base 10: GMP's default reads "010" as octal
  if (sign) f.num = -f.num;
  return f;
}

std::vector<Frac> fractions(const json& j, const std::string& what, std::size_t size) {
  require(j.is_array() && j.size() == size, what + ": expected " + std::to_string(size) + " rationals");
  std::vector<Frac> v;
  v.reserve(size);
  for (std::size_t i = 0; i < j.size(); ++i) v.push_back(fraction(j[i], what + "[" + std::to_string(i) + "]"));
  return v;
}

mpq_class number(const json& j, const std::string& what) {
  Frac f = fraction(j, what);
  mpq_class q(f.num, f.den);
  q.canonicalize();
  return q;
}

Vec numbers(const json& j, const std::string& what, std::size_t size) {
  Vec v;
  for (Frac& f : fractions(j, what, size)) {
    v.emplace_back(f.num, f.den);
    v.back().canonicalize();
  }
  return v;
}

std::size_t index(const json& j, const std::string& what, std::size_t n) {
  require(j.is_number_integer() && j.get<long long>() >= 0 && j.get<std::size_t>() < n, what + ": not an index of the data");
  return j.get<std::size_t>();
}

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
};

// Lemma 3 and KKT (1)-(3): w* is the max-margin separator and alpha its multipliers.
Separator check_separator(const json& cert, const Data& S) {
  require_binary(S);
  auto [idx, alpha] = weighted_support(cert, "alpha", S);
  Separator sep{numbers(field(cert, "w_star"), "w_star", S.d), number(field(cert, "b_star"), "b_star"), 0,
                number(field(cert, "margin_sq"), "margin_sq")};
  auto [acc, scale] = combination(S, idx, alpha);
  for (std::size_t j = 0; j < S.d; ++j)
    require(sep.w[j] * scale == acc[j], "KKT (1): w_star[" + std::to_string(j) + "] != sum alpha_i y_i x_i");
  require(label_sum(S, idx, alpha) == 0, "KKT (2): sum alpha_i y_i != 0");
  for (const mpq_class& a : alpha) sep.alpha_sum += a;
  require(sep.margin_sq * sep.alpha_sum == 1, "margin_sq != 1 / sum alpha_i");
  const Margins m = margins(S, integral(sep.w), sep.b);
  std::set<std::size_t> on_support(idx.begin(), idx.end());
  for (std::size_t i = 0; i < S.n(); ++i) {
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
  for (const mpz_class& v : acc) require(v == 0, "sum lambda_i y_i x_i != 0");
  require(label_sum(S, idx, lambda) == 0, "sum lambda_i y_i != 0");
}

// Theorems 4, 5 and Corollary 6 for each listed classifier (w, b).
void check_transfer(const std::string& theorem, const json& cert, const Data& S, const Separator& sep) {
  const json& list = field(cert, "classifiers");
  require(list.is_array() && !list.empty(), "classifiers: expected a non-empty array");
  if (theorem == "corollary6") require(number(field(cert, "c_S"), "c_S") == sep.margin_sq, "c_S != margin_sq");
  const IntVec w_star = integral(sep.w);
  for (std::size_t c = 0; c < list.size(); ++c) {
    const std::string at = "classifiers[" + std::to_string(c) + "].";
    const json& h = list[c];
    const IntVec w = integral(numbers(field(h, "w"), at + "w", S.d));
    const Margins m = margins(S, w, number(field(h, "b"), at + "b"));
    std::size_t least = 0;
    for (std::size_t i = 0; i < S.n(); ++i) {
      require(sgn(m.M[i]) > 0, at + " not S-accurate at point " + std::to_string(i));
      if (m.M[i] < m.M[least]) least = i;
    }
    const mpq_class inner = dot(w, w_star);
    require(number(field(h, "inner"), at + "inner") == inner, at + "inner != <w, w_star>");
    require(inner > 0, at + "inner is not positive");
    // c * inner == m_i, i.e. c.num (inner.num den) == c.den (M_i inner.den)
    const mpz_class lhs = inner.get_num() * m.den;
    auto exits_at = [&](const Frac& c, std::size_t i) { return c.num * lhs == c.den * (m.M[i] * inner.get_den()); };
    if (theorem == "corollary6") {
      const std::size_t k = index(field(h, "least_margin_index"), at + "least_margin_index", S.n());
      require(m.M[k] == m.M[least], at + "least_margin_index is not a point of least margin");
      const Frac c_exit = fraction(field(h, "c_exit"), at + "c_exit");
      require(exits_at(c_exit, k), at + "c_exit != y(<w,x>+b) / <w,w*>");
      require(c_exit.num * sep.margin_sq.get_den() <= sep.margin_sq.get_num() * c_exit.den, at + "c_exit exceeds c_S");
      continue;
    }
    const auto c_exit = fractions(field(h, "c_exit"), at + "c_exit", S.n());
    for (std::size_t i = 0; i < S.n(); ++i)
      require(exits_at(c_exit[i], i), at + "c_exit[" + std::to_string(i) + "] != y(<w,x>+b) / <w,w*>");
    if (theorem != "5") continue;
    const mpq_class gamma = number(field(h, "gamma_h"), at + "gamma_h");
    require(m.cmp(least, gamma.get_num(), gamma.get_den()) == 0, at + "gamma_h is not h's least margin");
    const auto bound = fractions(field(h, "bound"), at + "bound", S.n());
    for (std::size_t i = 0; i < S.n(); ++i) {
      // bound * gamma_h * sum alpha == m_i, with gamma_h = M_least / den
      require(bound[i].num * m.M[least] * sep.alpha_sum.get_num() == m.M[i] * bound[i].den * sep.alpha_sum.get_den(),
              at + "bound[" + std::to_string(i) + "] != Theorem 5's");
      require(c_exit[i].num * bound[i].den <= bound[i].num * c_exit[i].den,
              at + "c_exit[" + std::to_string(i) + "] exceeds Theorem 5's bound");
    }
  }
}

// A linear classifier along x + c v: the exit point, or that there is none.
void check_ray(const json& cert) {
  const json& model = field(cert, "model");
  require(model.value("kind", json()) == "linear", "ray certificates are checked for linear models");
  const std::size_t d = field(model, "w").size();
  const Vec w = numbers(model["w"], "model.w", d), x = numbers(field(cert, "point"), "point", d),
            v = numbers(field(cert, "direction"), "direction", d);
  mpq_class score = number(field(model, "b"), "model.b"), slope = 0;
  for (std::size_t j = 0; j < d; ++j) {
    score += w[j] * x[j];
    slope += w[j] * v[j];
  }
  const int before = score > 0 ? 1 : -1;
  require(field(cert, "label_before") == before, "label_before is wrong");
  const bool adversarial = before == 1 ? slope < 0 : slope > 0;
  require(field(cert, "adversarial") == adversarial, "adversarial is wrong: slope <w,v> = " + slope.get_str());
  if (!adversarial) {
    require(number(field(cert, "score"), "score") == score, "score != <w,x> + b");
    require(number(field(cert, "slope"), "slope") == slope, "slope != <w,v>");
    return;
  }
  const mpq_class c = number(field(cert, "c_exit"), "c_exit");
  require(score + c * slope == 0 && c >= 0, "c_exit is not where <w, x + c v> + b crosses 0");
  require(field(cert, "label_after") == -before, "label_after is wrong");
  require(field(cert, "differs_at_exit") == (before == 1), "differs_at_exit is wrong");
}

}  // namespace

Verdict check_certificate(const json& cert, const std::string& base_dir) {
  if (!cert.is_object() || cert.value("format", json()) != "advdir-cert/1")
    throw Unreadable("not an advdir-cert/1 certificate");
  const json named = cert.value("theorem", json());
  const std::string theorem = named.is_string() ? named.get<std::string>() : "";
  static const std::set<std::string> known = {"lemma3", "farkas", "4", "5", "corollary6", "ray"};
  if (!known.count(theorem)) throw Unreadable("unknown theorem '" + theorem + "'");
  try {
    if (theorem == "ray") {
      check_ray(cert);
      return {true, ""};
    }
    const Data S = detail::load_data(field(cert, "data"), base_dir);
    if (theorem == "farkas") {
      check_farkas(cert, S);
    } else {
      const Separator sep = check_separator(cert, S);
      if (theorem != "lemma3") check_transfer(theorem, cert, S, sep);
    }
    return {true, ""};
  } catch (const Invalid& e) {
    return {false, e.what()};
  } catch (const json::exception& e) {
    return {false, std::string("malformed field: ") + e.what()};
  }
}

Verdict check_certificate_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Unreadable(path + ": cannot open");
  std::string text(std::size_t(in.tellg()), '\0');
  in.seekg(0).read(text.data(), std::streamsize(text.size()));
  json cert;
  try {
    cert = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Unreadable(path + ": invalid JSON: " + e.what());
  }
  return check_certificate(cert, std::filesystem::path(path).parent_path().string());
}

}  // namespace advdir::check
