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

// A certificate number: a string in canonical form ("3", "-3/7"), nothing else.
mpq_class number(const json& j, const std::string& what) {
  require(j.is_string(), what + ": not a rational string");
  const std::string s = j.get<std::string>();
  mpq_class q;
  require(!s.empty() && s.find_first_of(" +") == std::string::npos && q.set_str(s, 10) == 0 &&
              mpz_sgn(mpq_denref(q.get_mpq_t())) != 0,
          what + ": malformed rational '" + s + "'");
  q.canonicalize();
  require(q.get_str() == s, what + ": '" + s + "' is not in reduced form");
  return q;
}

Vec numbers(const json& j, const std::string& what, std::size_t size) {
  require(j.is_array() && j.size() == size, what + ": expected " + std::to_string(size) + " rationals");
  Vec v;
  for (std::size_t i = 0; i < j.size(); ++i) v.push_back(number(j[i], what + "[" + std::to_string(i) + "]"));
  return v;
}

std::size_t index(const json& j, const std::string& what, std::size_t n) {
  require(j.is_number_unsigned() && j.get<std::size_t>() < n, what + ": not an index of the data");
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
    const mpz_class* x = S.row(idx[k]);
    for (std::size_t j = 0; j < S.d; ++j)
      if (sgn(x[j]) != 0) mpz_addmul(acc[j].get_mpz_t(), c.get_mpz_t(), x[j].get_mpz_t());
  }
  return {acc, L * S.den};
}

mpq_class label_sum(const Data& S, const std::vector<std::size_t>& idx, const Vec& a) {
  mpq_class s = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) s += S.y[idx[k]] * a[k];
  return s;
}

// y_i (<w, x_i> + b) for every point, over the integers of S.
Vec margins(const Data& S, const Vec& w, const mpq_class& b) {
  require(w.size() == S.d, "w has " + std::to_string(w.size()) + " entries, the data dimension is " + std::to_string(S.d));
  mpz_class L = 1;
  for (const mpq_class& q : w) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), q.get_den_mpz_t());
  std::vector<mpz_class> W(S.d);
  for (std::size_t j = 0; j < S.d; ++j) W[j] = w[j].get_num() * (L / w[j].get_den());
  const mpz_class scale = L * S.den;
  Vec m(S.n());
  mpz_class s;
  for (std::size_t i = 0; i < S.n(); ++i) {
    s = 0;
    const mpz_class* x = S.row(i);
    for (std::size_t j = 0; j < S.d; ++j)
      if (sgn(x[j]) != 0 && sgn(W[j]) != 0) mpz_addmul(s.get_mpz_t(), W[j].get_mpz_t(), x[j].get_mpz_t());
    m[i] = mpq_class(s, scale);
    m[i].canonicalize();
    m[i] = S.y[i] * (m[i] + b);
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
  const Vec m = margins(S, sep.w, sep.b);
  std::set<std::size_t> on_support(idx.begin(), idx.end());
  for (std::size_t i = 0; i < S.n(); ++i) {
    require(m[i] >= 1, "KKT (3): point " + std::to_string(i) + " violates y(<w*,x>+b*) >= 1");
    require(!on_support.count(i) || m[i] == 1, "KKT (3): support point " + std::to_string(i) + " not on the margin");
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
  for (std::size_t c = 0; c < list.size(); ++c) {
    const std::string at = "classifiers[" + std::to_string(c) + "].";
    const json& h = list[c];
    const Vec w = numbers(field(h, "w"), at + "w", S.d);
    const Vec m = margins(S, w, number(field(h, "b"), at + "b"));
    mpq_class inner = 0, gamma = m.front();
    for (std::size_t j = 0; j < S.d; ++j) inner += w[j] * sep.w[j];
    for (std::size_t i = 0; i < S.n(); ++i) {
      require(m[i] > 0, at + " not S-accurate at point " + std::to_string(i));
      if (m[i] < gamma) gamma = m[i];
    }
    require(number(field(h, "inner"), at + "inner") == inner, at + "inner != <w, w_star>");
    require(inner > 0, at + "inner is not positive");
    if (theorem == "corollary6") {
      const std::size_t k = index(field(h, "least_margin_index"), at + "least_margin_index", S.n());
      require(m[k] == gamma, at + "least_margin_index is not a point of least margin");
      const mpq_class c_exit = number(field(h, "c_exit"), at + "c_exit");
      require(c_exit * inner == m[k], at + "c_exit != y(<w,x>+b) / <w,w*>");
      require(c_exit <= sep.margin_sq, at + "c_exit exceeds c_S");
      continue;
    }
    const Vec c_exit = numbers(field(h, "c_exit"), at + "c_exit", S.n());
    for (std::size_t i = 0; i < S.n(); ++i)
      require(c_exit[i] * inner == m[i], at + "c_exit[" + std::to_string(i) + "] != y(<w,x>+b) / <w,w*>");
    if (theorem != "5") continue;
    require(number(field(h, "gamma_h"), at + "gamma_h") == gamma, at + "gamma_h is not h's least margin");
    const Vec bound = numbers(field(h, "bound"), at + "bound", S.n());
    for (std::size_t i = 0; i < S.n(); ++i) {
      require(bound[i] * gamma * sep.alpha_sum == m[i], at + "bound[" + std::to_string(i) + "] != Theorem 5's");
      require(c_exit[i] <= bound[i], at + "c_exit[" + std::to_string(i) + "] exceeds Theorem 5's bound");
    }
  }
}

// A linear classifier along x + c v: the exit point, or that there is none.
void check_ray(const json& cert) {
  const json& model = field(cert, "model");
  require(model.value("kind", "") == "linear", "ray certificates are checked for linear models");
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
  if (!adversarial) return;
  const mpq_class c = number(field(cert, "c_exit"), "c_exit");
  require(score + c * slope == 0 && c >= 0, "c_exit is not where <w, x + c v> + b crosses 0");
  require(field(cert, "label_after") == -before, "label_after is wrong");
  require(field(cert, "differs_at_exit") == (before == 1), "differs_at_exit is wrong");
}

}  // namespace

Verdict check_certificate(const json& cert, const std::string& base_dir) {
  if (!cert.is_object() || cert.value("format", "") != "advdir-cert/1")
    throw Unreadable("not an advdir-cert/1 certificate");
  const std::string theorem = cert.value("theorem", "");
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
  std::ifstream in(path);
  if (!in) throw Unreadable(path + ": cannot open");
  json cert;
  try {
    cert = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Unreadable(path + ": invalid JSON: " + e.what());
  }
  return check_certificate(cert, std::filesystem::path(path).parent_path().string());
}

}  // namespace advdir::check
