#include "fields.hpp"

namespace advdir::check::detail {

const json& field(const json& obj, const std::string& name) {
  require(obj.is_object() && obj.contains(name), "missing field \"" + name + "\"");
  return obj[name];
}

namespace {

bool digits_only(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

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

int label(const json& j, const std::string& what) {
  return detail::small_int(j, what, [](const std::string& w) { return Invalid(w); });
}

std::size_t index(const json& j, const std::string& what, std::size_t n) {
  require(j.is_number_integer() && j.get<long long>() >= 0 && j.get<std::size_t>() < n, what + ": not an index of the data");
  return j.get<std::size_t>();
}

mpq_class dot(const Vec& a, const Vec& b) {
  mpq_class s = 0;
  for (std::size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
  return s;
}

Vec point_of(const Data& S, std::size_t i) {
  Vec x(S.d, 0);
  mpz_t view;
  for (const detail::Entry& e : S.rows[i]) {
    x[e.j] = mpq_class(mpz_class(S.value(e, view)), S.den);
    x[e.j].canonicalize();
  }
  return x;
}

std::vector<Vec> points_of(const Data& S) {
  std::vector<Vec> X;
  for (std::size_t i = 0; i < S.n(); ++i) X.push_back(point_of(S, i));
  return X;
}

}  // namespace advdir::check::detail
