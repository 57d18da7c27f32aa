#include "fields.hpp"

#include <climits>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace advdir::check::detail {

namespace {

// The (object, key) pairs read by the check under way; null when no check runs.
thread_local std::set<std::pair<const json*, std::string>>* reads = nullptr;

// The first key of an object in `cert` that was not read, as a JSON pointer; walked with
// a stack of its own, so no depth of nesting can exhaust the call stack.
std::optional<std::string> unread_field(const json& cert, const std::set<std::pair<const json*, std::string>>& read) {
  std::vector<std::pair<const json*, std::string>> todo = {{&cert, ""}};
  while (!todo.empty()) {
    const auto [node, at] = todo.back();
    todo.pop_back();
    if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) {
        if (!read.count({node, it.key()})) return at + "/" + it.key();
        if (it.value().is_structured()) todo.emplace_back(&it.value(), at + "/" + it.key());
      }
    } else {  // an array: only objects and arrays can hold keys
      for (std::size_t i = 0; i < node->size(); ++i)
        if ((*node)[i].is_structured()) todo.emplace_back(&(*node)[i], at + "/" + std::to_string(i));
    }
  }
  return std::nullopt;
}

}  // namespace

void mark_read(const json& obj, const std::string& key) {
  if (reads) reads->emplace(&obj, key);
}

const json* member(const json& obj, const std::string& key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  mark_read(obj, key);
  return &*it;
}

bool integer_in(const json& j, long long lo, long long hi) {
  if (j.is_number_unsigned()) {  // never cast to a signed type before the comparison
    const unsigned long long u = j.get<unsigned long long>();
    return hi >= 0 && u <= (unsigned long long)hi && (lo <= 0 || u >= (unsigned long long)lo);
  }
  return j.is_number_integer() && j.get<long long>() >= lo && j.get<long long>() <= hi;
}

const json& field(const json& obj, const std::string& name) {
  const json* v = member(obj, name);
  require(v != nullptr, "missing field \"" + name + "\"");
  return *v;
}

bool has(const json& obj, const std::string& name) { return member(obj, name) != nullptr; }

void strictly(const json& cert, const std::function<void()>& check) {
  std::set<std::pair<const json*, std::string>> seen;
  reads = &seen;
  try {
    check();
  } catch (...) {
    reads = nullptr;
    throw;
  }
  reads = nullptr;
  if (const auto at = unread_field(cert, seen)) throw Invalid("field " + *at + " is not part of this kind of certificate (unknown or unread)");
}

// VRead.rational's reading: "[-]digits[/digits]", base 10, a denominator > 0 (Qmake n d, 0 < d).
Frac fraction(const json& j, const std::string& what, Denominators* read) {
  require(j.is_string(), what + ": not a rational string");
  const std::string& s = j.get_ref<const std::string&>();
  const std::size_t slash = s.find('/'), sign = s.size() > 1 && s[0] == '-';
  const std::string num = s.substr(sign, slash == std::string::npos ? std::string::npos : slash - sign);
  // The rest of s: checked whole (a JSON string may hold a NUL), then read from its NUL-terminated copy in s.
  const std::string_view den_digits = slash == std::string::npos ? std::string_view("1") : std::string_view(s).substr(slash + 1);
  const char* den = den_digits.data();
  // The message is built only on failure: this runs once for every rational of a certificate.
  if (!digits_only(num) || !digits_only(den_digits) || den_digits.find_first_not_of('0') == std::string_view::npos)
    throw Invalid(what + ": malformed rational " + shown(s));
  Frac f;  // base 10: GMP's default reads "010" as octal
  mpz_set_str(f.num.get_mpz_t(), num.c_str(), 10);
  if (!read) {
    mpz_set_str(f.den.get_mpz_t(), den, 10);
  } else {  // the same digits, the same integer
    const auto [it, fresh] = read->try_emplace(den_digits);
    if (fresh) mpz_set_str(it->second.get_mpz_t(), den, 10);
    f.den = it->second;
  }
  if (sign) f.num = -f.num;
  return f;
}

std::vector<Frac> fractions(const json& j, const std::string& what, std::size_t size) {
  require(j.is_array() && j.size() == size, what + ": expected " + std::to_string(size) + " rationals");
  std::vector<Frac> v;
  v.reserve(size);
  // c_exit's 10,000 rationals share a few dozen denominators: each is converted once.
  Denominators read;
  for (std::size_t i = 0; i < j.size(); ++i) {
    try {
      v.push_back(fraction(j[i], what, &read));
    } catch (const Invalid&) {  // read again to be refused under the entry's own name, built only now
      v.push_back(fraction(j[i], what + "[" + std::to_string(i) + "]"));
    }
  }
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
  require(n > 0 && integer_in(j, 0, (long long)std::min<std::size_t>(n - 1, LLONG_MAX)), what + ": not an index of the data");
  return std::size_t(j.get<long long>());
}

std::size_t count(const json& j, const std::string& what) {
  require(integer_in(j, 0, LLONG_MAX), what + ": expected a non-negative integer");
  return std::size_t(j.get<long long>());
}

bool flag(const json& j, const std::string& what) {
  require(j.is_boolean(), what + ": expected true or false");
  return j.get<bool>();
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
