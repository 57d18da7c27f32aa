#include "report.hpp"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace advdir::cli {

std::string show(const mpq_class& q) {
  std::string s = exact::to_string(q);
  if (s.size() > 40) s = s.substr(0, 18) + "..." + s.substr(s.size() - 18);
  if (q.get_den() == 1) return s;
  std::ostringstream o;
  o << s << " (~" << std::setprecision(6) << q.get_d() << ")";
  return o.str();
}

namespace {

mpz_class power_of_ten(int places) {
  mpz_class p;
  mpz_ui_pow_ui(p.get_mpz_t(), 10, unsigned(places));
  return p;
}

}  // namespace

std::string decimal(const mpq_class& q, int places, bool up) {
  const mpz_class num = q.get_num() * power_of_ten(places);
  mpz_class r;
  (up ? mpz_cdiv_q : mpz_fdiv_q)(r.get_mpz_t(), num.get_mpz_t(), q.get_den_mpz_t());
  const bool negative = r < 0;
  if (negative) r = -r;
  std::string digits = r.get_str();
  if (int(digits.size()) <= places) digits.insert(0, std::size_t(places + 1 - int(digits.size())), '0');
  if (places > 0) digits.insert(digits.size() - std::size_t(places), 1, '.');
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

std::string enclosure(const mpq_class& lo, const mpq_class& hi) {
  std::ostringstream o;
  o << '[' << decimal(lo, 2, false) << ", " << decimal(hi, 2, true) << ']';
  return o.str();
}

std::string show(const exact::Vector& v) {
  std::ostringstream o;
  o << "(";
  const std::size_t shown = std::min<std::size_t>(v.size(), 6);
  for (std::size_t i = 0; i < shown; ++i) o << (i ? ", " : "") << exact::to_string(v[i]);
  if (shown < v.size()) o << ", ... " << v.size() - shown << " more";
  o << ")";
  return o.str();
}

void print_separator(std::ostream& out, const exact::Dataset& S, const exact::SeparatorResult& r) {
  const auto pos = std::count(S.labels.begin(), S.labels.end(), 1);
  out << "data       " << S.source << ": n = " << S.size() << ", d = " << S.dim() << " (" << pos << " labelled +1, "
      << S.size() - std::size_t(pos) << " labelled -1)\n";
  if (!r.separable) {
    out << "separable  no: " << r.farkas.support.size()
        << " points with lambda > 0 have sum lambda_i y_i (x_i, 1) = 0 (Farkas certificate, verified exactly)\n";
    return;
  }
  const auto& s = r.separator;
  out << "separable  yes (" << r.method << ")\n"
      << "w*         " << show(s.w_star) << "\n"
      << "b*         " << show(s.b_star) << "\n"
      << "margin_sq  " << show(s.margin_sq) << "   (= 1/|w*|^2 = 1/sum alpha)\n"
      << "support    " << s.support.size() << " points; KKT (1)-(3) verified exactly\n";
}

// sqrt(q) rounded down to `places` decimals, in integers: floor(sqrt(floor(q 100^places))).
std::string sqrt_decimal(const mpq_class& q, int places) {
  const mpz_class scale = power_of_ten(places);
  mpz_class r = q.get_num() * scale * scale / q.get_den();
  mpz_sqrt(r.get_mpz_t(), r.get_mpz_t());
  mpq_class root(r, scale);
  root.canonicalize();
  return decimal(root, places, false);
}

exact::json exit_distribution(exact::Vector c, const exact::MaxMarginSeparator& sep) {
  if (c.empty()) return nullptr;
  std::sort(c.begin(), c.end());
  mpq_class w_inf = 0;
  for (const mpq_class& w : sep.w_star) w_inf = std::max(w_inf, mpq_class(abs(w)));
  exact::json out = exact::json::object();
  for (const auto& [name, at] : {std::pair{"median", c.size() / 2}, std::pair{"max", c.size() - 1}}) {
    out["c_exit"][name] = decimal(c[at], 4, false);
    out["l2"][name] = sqrt_decimal(c[at] * c[at] / sep.margin_sq, 4);  // |w*|^2 = 1 / margin_sq
    out["linf"][name] = decimal(c[at] * w_inf, 4, false);
  }
  return out;
}

exact::Vector pooled_exits(const exact::TransferReport& report) {
  exact::Vector c;
  for (const auto& t : report.certified) c.insert(c.end(), t.c_exit.begin(), t.c_exit.end());
  return c;
}

exact::json beyond_theorem4(const exact::TransferReport& report, const exact::MaxMarginSeparator& sep) {
  exact::Vector c;
  std::size_t positive = 0;
  for (const auto& r : report.rejected) {
    positive += sgn(r.inner) > 0;
    c.insert(c.end(), r.c_exit.begin(), r.c_exit.end());
  }
  return {{"classifiers", report.rejected.size()}, {"positive_inner", positive}, {"exits", exit_distribution(c, sep)}};
}

namespace {

void print_exits(std::ostream& out, const exact::json& d) {
  auto pair = [&](const char* key) { return d[key]["median"].get<std::string>() + ", " + d[key]["max"].get<std::string>(); };
  out << "c_exit " << pair("c_exit") << "; |c_exit w*|_2 " << pair("l2") << "; |c_exit w*|_inf " << pair("linf") << "\n";
}

}  // namespace

void print_transfer(std::ostream& out, const exact::TransferReport& report, const exact::MaxMarginSeparator& sep) {
  out << "direction  -y w*, certified for " << report.certified.size() << " S-accurate classifier(s); c_S = margin_sq = "
      << show(sep.margin_sq) << "\n";
  if (const exact::json d = exit_distribution(pooled_exits(report), sep); !d.is_null()) {
    out << "exits      over every certified classifier and point (median, max): ";
    print_exits(out, d);
  }
  for (std::size_t c = 0; c < report.certified.size(); ++c) {
    const auto& t = report.certified[c];
    const auto [lo, hi] = std::minmax_element(t.c_exit.begin(), t.c_exit.end());
    out << "  h" << c << ": <w,w*> = " << show(t.inner) << "; c_exit from " << show(*lo) << " to " << show(*hi)
        << "; least-margin point " << t.least_margin << " exits at " << show(t.c_exit[t.least_margin]) << "\n";
  }
  for (const auto& bad : report.rejected) {
    out << "  classifier " << bad.classifier << " is NOT S-accurate, not certified: misclassifies " << bad.offending.size()
        << " point(s), first ";
    for (std::size_t k = 0; k < std::min<std::size_t>(bad.offending.size(), 10); ++k) out << (k ? ", " : "") << bad.offending[k];
    out << "\n    beyond Theorem 4, exactly: <w,w*> = " << show(bad.inner)
        << (sgn(bad.inner) > 0 ? ", so -y w* still flips each of the " + std::to_string(bad.c_exit.size()) + " points it classifies correctly"
                               : ", not > 0")
        << "\n";
  }
  const exact::json beyond = beyond_theorem4(report, sep);
  if (!beyond["exits"].is_null()) {
    out << "beyond     over those classifiers' correctly classified points (median, max): ";
    print_exits(out, beyond["exits"]);
  }
}

// "median, max" of a list of exits, to 4 decimals (the exact values are in the certificate).
std::string spread(exact::Vector c) {
  if (c.empty()) return "-";
  std::sort(c.begin(), c.end());
  return decimal(c[c.size() / 2], 4, false) + ", " + decimal(c.back(), 4, false);
}

}  // namespace advdir::cli
