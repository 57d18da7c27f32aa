#include "advdir/exact/rational.hpp"

#include <cctype>
#include <stdexcept>

namespace advdir::exact {
namespace {

// Largest decimal exponent accepted: beyond it a literal would allocate without bound.
constexpr long max_exponent = 1'000'000;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string_view strip_sign(std::string_view s, bool& negative) {
  negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  return s;
}

mpq_class parse_fraction(std::string_view s, std::size_t slash) {
  bool negative;
  std::string_view num = strip_sign(s.substr(0, slash), negative);
  std::string_view den = s.substr(slash + 1);
  if (!all_digits(num) || !all_digits(den)) throw std::invalid_argument("malformed fraction");
  mpz_class n(std::string(num), 10), d(std::string(den), 10);
  if (d == 0) throw std::invalid_argument("zero denominator");
  mpq_class q(negative ? mpz_class(-n) : n, d);
  q.canonicalize();
  return q;
}

long parse_exponent(std::string_view e) {
  bool negative;
  e = strip_sign(e, negative);
  if (!all_digits(e)) throw std::invalid_argument("malformed exponent");
  if (e.size() > 7 || std::stol(std::string(e)) > max_exponent)
    throw std::invalid_argument("exponent too large");
  long v = std::stol(std::string(e));
  return negative ? -v : v;
}

mpq_class parse_decimal(std::string_view s) {
  bool negative;
  s = strip_sign(s, negative);
  long exponent = 0;
  if (auto e = s.find_first_of("eE"); e != std::string_view::npos) {
    exponent = parse_exponent(s.substr(e + 1));
    s = s.substr(0, e);
  }
  std::string_view whole = s, frac;
  if (auto dot = s.find('.'); dot != std::string_view::npos) {
    whole = s.substr(0, dot);
    frac = s.substr(dot + 1);
  }
  if ((whole.empty() && frac.empty()) || (!whole.empty() && !all_digits(whole)) ||
      (!frac.empty() && !all_digits(frac)))
    throw std::invalid_argument("malformed number");
  mpz_class digits(std::string(whole) + std::string(frac), 10);
  exponent -= static_cast<long>(frac.size());
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
  mpq_class q = exponent < 0 ? mpq_class(digits, scale) : mpq_class(digits * scale);
  q.canonicalize();
  return negative ? mpq_class(-q) : q;
}

}  // namespace

mpq_class parse_rational(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) throw std::invalid_argument("empty number");
  if (auto slash = text.find('/'); slash != std::string_view::npos) return parse_fraction(text, slash);
  return parse_decimal(text);
}

std::string to_string(const mpq_class& q) { return q.get_str(10); }

Vector parse_vector(std::string_view text) {
  Vector v;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    v.push_back(parse_rational(text.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return v;
}

mpq_class dot(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) throw std::invalid_argument("dimension mismatch in dot product");
  mpq_class s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace advdir::exact
