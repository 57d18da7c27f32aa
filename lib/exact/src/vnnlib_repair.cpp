// Repairing a counterexample that is almost right (vnnlib.hpp, repair): clamp into a box
// of the input region, else walk exact segments from the box's centre.
#include "advdir/exact/vnnlib.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace advdir::exact::vnnlib {
namespace {

using Conjunction = std::vector<const Atom*>;

// More terms than this in the disjunctive normal form are not searched.
constexpr std::size_t max_terms = 4096;
// The nearest boxes searched before giving up.
constexpr std::size_t max_boxes_searched = 64;

std::vector<Conjunction> dnf(const Formula& f) {
  if (f.kind == Formula::Kind::atom) return {{&f.atom}};
  std::vector<Conjunction> out;
  if (f.kind == Formula::Kind::any) {
    for (const Formula& part : f.parts)
      for (Conjunction& c : dnf(part)) out.push_back(std::move(c));
  } else {
    out = {{}};
    for (const Formula& part : f.parts) {
      const std::vector<Conjunction> right = dnf(part);
      std::vector<Conjunction> product;
      for (const Conjunction& l : out)
        for (const Conjunction& r : right) {
          Conjunction c = l;
          c.insert(c.end(), r.begin(), r.end());
          product.push_back(std::move(c));
        }
      out = std::move(product);
      if (out.size() > max_terms) break;
    }
  }
  if (out.size() > max_terms)
    throw std::invalid_argument("the property has more than " + std::to_string(max_terms) + " disjuncts in normal form: not searched");
  return out;
}

// The closed box of a term's single-input bounds; none when some X_i is unbounded or the
// box is empty.
struct Box {
  Vector lo, hi;
};
std::optional<Box> box_of(const Conjunction& term, std::size_t inputs) {
  std::vector<std::optional<mpq_class>> lo(inputs), hi(inputs);
  for (const Atom* a : term) {
    if (a->d.coef.size() != 1 || a->d.coef.begin()->first.kind != 'X') continue;
    const auto& [v, c] = *a->d.coef.begin();
    const mpq_class bound = -a->d.constant / c;  // c X_i + k (op) 0 at X_i = -k / c
    const bool below = (a->op == Cmp::le || a->op == Cmp::lt) == (c > 0);  // X_i <= bound
    auto& side = below ? hi[v.index] : lo[v.index];
    if (!side || (below ? bound < *side : bound > *side)) side = bound;
  }
  Box b;
  for (std::size_t i = 0; i < inputs; ++i) {
    if (!lo[i] || !hi[i] || *lo[i] > *hi[i]) return std::nullopt;
    b.lo.push_back(*lo[i]), b.hi.push_back(*hi[i]);
  }
  return b;
}

// Where an interval of s in [0, L] starts and ends, each end open or closed.
struct Interval {
  mpq_class lo, hi;
  bool lo_open = false, hi_open = false;
  bool empty() const { return lo > hi || (lo == hi && (lo_open || hi_open)); }
  mpq_class first() const { return lo_open ? mpq_class((lo + hi) / 2) : lo; }
};

// Narrows `in` to where alpha + beta s (op) 0.
void narrow(Interval& in, Cmp op, mpq_class alpha, mpq_class beta) {
  if (op == Cmp::ge || op == Cmp::gt) alpha = -alpha, beta = -beta;
  const bool strict = op == Cmp::lt || op == Cmp::gt;  // now: alpha + beta s < 0 (or <= 0)
  if (beta == 0) {
    if (alpha > 0 || (strict && alpha == 0)) in.lo = 1, in.hi = 0;
    return;
  }
  const mpq_class r = -alpha / beta;
  if (beta > 0) {  // s <= r
    if (r < in.hi || (r == in.hi && strict)) in.hi = r, in.hi_open = strict;
  } else {         // s >= r
    if (r > in.lo || (r == in.lo && strict)) in.lo = r, in.lo_open = strict;
  }
}

// The linear part of a term at (x, y): its value less its constant.
mpq_class linear(const Term& t, const Vector& x, const Vector& y) { return value(t, x, y) - t.constant; }

// The net along c + t v, piece by piece: at t0, the outputs' value and slope and the next
// ReLU kink after t0. The first layer's inputs are affine in t everywhere.
class Segment {
 public:
  Segment(const ReluNet& net, const Vector& c, const Vector& v) : net_(net) {
    for (std::size_t r = 0; r < net.layers[0].W.size(); ++r) {
      a1_.push_back(dot(net.layers[0].W[r], c) + net.layers[0].b[r]);
      b1_.push_back(dot(net.layers[0].W[r], v));
    }
  }

  void at(const mpq_class& t0, Vector& y, Vector& slope, std::optional<mpq_class>& next) const {
    Vector z(a1_.size()), s = b1_;
    for (std::size_t r = 0; r < z.size(); ++r) z[r] = a1_[r] + t0 * b1_[r];
    next.reset();
    for (std::size_t L = 1; L < net_.layers.size(); ++L) {
      for (std::size_t r = 0; r < z.size(); ++r) {
        if (s[r] != 0) {
          const mpq_class root = t0 - z[r] / s[r];
          if (root > t0 && (!next || root < *next)) next = root;
        }
        if (!(z[r] > 0 || (z[r] == 0 && s[r] > 0))) z[r] = 0, s[r] = 0;  // off just past t0
      }
      const Layer& l = net_.layers[L];
      Vector z2(l.W.size()), s2(l.W.size());
      for (std::size_t r = 0; r < l.W.size(); ++r) z2[r] = dot(l.W[r], z) + l.b[r], s2[r] = dot(l.W[r], s);
      z = std::move(z2), s = std::move(s2);
    }
    y = std::move(z), slope = std::move(s);
  }

 private:
  const ReluNet& net_;
  Vector a1_, b1_;
};

// The first t in [0, T] at which every atom of the term holds at (c + t v, f(c + t v)).
std::optional<mpq_class> first_point(const ReluNet& net, const Conjunction& term, const Vector& c, const Vector& v, const mpq_class& T) {
  const Segment seg(net, c, v);
  mpq_class t0 = 0;
  Vector x(c.size()), y, ys;
  std::optional<mpq_class> next;
  while (true) {
    seg.at(t0, y, ys, next);
    const mpq_class end = next && *next < T ? *next : T;
    for (std::size_t i = 0; i < c.size(); ++i) x[i] = c[i] + t0 * v[i];
    Interval in{0, end - t0};
    for (const Atom* a : term) narrow(in, a->op, value(a->d, x, y), linear(a->d, v, ys));
    if (!in.empty()) return t0 + in.first();
    if (end == T) return std::nullopt;
    t0 = end;
  }
}

// Where c + t v leaves the box (t >= 0; v != 0).
mpq_class exit_of(const Box& b, const Vector& c, const Vector& v) {
  std::optional<mpq_class> T;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (v[i] == 0) continue;
    const mpq_class t = ((v[i] > 0 ? b.hi[i] : b.lo[i]) - c[i]) / v[i];
    if (!T || t < *T) T = t;
  }
  return *T;
}

mpq_class sup_distance(const Vector& a, const Vector& b) {
  mpq_class d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, mpq_class(abs(a[i] - b[i])));
  return d;
}

bool holds_all(const Property& p, const Vector& x, const Vector& y) {
  return std::all_of(p.asserts.begin(), p.asserts.end(), [&](const Formula& f) { return holds(f, x, y); });
}

// A value as the counterexample format writes it: an exact decimal, or (/ p q).
std::string exact_value(const mpq_class& q) {
  mpz_class den = q.get_den();
  std::size_t e2 = 0, e5 = 0;
  while (mpz_divisible_ui_p(den.get_mpz_t(), 2)) den /= 2, ++e2;
  while (mpz_divisible_ui_p(den.get_mpz_t(), 5)) den /= 5, ++e5;
  const std::string sign = q < 0 ? "-" : "";
  if (den != 1) {
    const std::string frac = "(/ " + mpz_class(abs(q.get_num())).get_str() + " " + q.get_den().get_str() + ")";
    return q < 0 ? "(- " + frac + ")" : frac;
  }
  const std::size_t digits = std::max(e2, e5);  // q = n / 10^digits
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, digits);
  const std::string n = mpz_class(abs(q.get_num()) * (scale / q.get_den())).get_str();
  if (digits == 0) return sign + n;
  const std::string padded = std::string(n.size() <= digits ? digits + 1 - n.size() : 0, '0') + n;
  return sign + padded.substr(0, padded.size() - digits) + "." + padded.substr(padded.size() - digits);
}

}  // namespace

std::string counterexample_text(const Vector& x, const Vector& y) {
  std::ostringstream out;
  out << "sat\n(";
  for (std::size_t i = 0; i < x.size(); ++i) out << (i ? "\n " : "") << "(X_" << i << " " << exact_value(x[i]) << ")";
  for (std::size_t j = 0; j < y.size(); ++j) out << "\n (Y_" << j << " " << exact_value(y[j]) << ")";
  out << ")\n";
  return out.str();
}

Repair repair(const ReluNet& net, const Property& p, const Vector& x) {
  Repair r;
  if (const Vector y = net_outputs(net, x); holds_all(p, x, y)) return r.found = true, r.x = x, r.y = y, r.how = "X is already an exact counterexample", r;
  Formula all{Formula::Kind::all, {}, p.asserts};
  const std::vector<Conjunction> terms = dnf(all);
  struct Candidate {
    std::size_t term;
    Box box;
    Vector clamped;
    mpq_class distance;
  };
  std::vector<Candidate> boxes;
  for (std::size_t k = 0; k < terms.size(); ++k)
    if (std::optional<Box> b = box_of(terms[k], p.inputs)) {
      Vector xc(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) xc[i] = std::min(std::max(x[i], b->lo[i]), b->hi[i]);
      const mpq_class d = sup_distance(x, xc);
      boxes.push_back({k, std::move(*b), std::move(xc), d});
    }
  std::stable_sort(boxes.begin(), boxes.end(), [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
  r.boxes = boxes.size();
  for (const Candidate& cand : boxes) {
    if (r.tried == max_boxes_searched) break;
    ++r.tried;
    const std::string which = "box " + std::to_string(cand.term + 1) + " of " + std::to_string(terms.size());
    const Vector yc = net_outputs(net, cand.clamped);
    if (holds_all(p, cand.clamped, yc))
      return r.found = true, r.x = cand.clamped, r.y = yc, r.how = "X clamped into " + which + " (moved by at most " + to_string(cand.distance) + ")", r;
    Vector centre(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) centre[i] = (cand.box.lo[i] + cand.box.hi[i]) / 2;
    const std::pair<Vector, std::string> rays[] = {{cand.clamped, "the clamped X"}, {x, "the tool's X"}};
    for (const auto& [through, name] : rays) {
      Vector v(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) v[i] = through[i] - centre[i];
      if (std::all_of(v.begin(), v.end(), [](const mpq_class& q) { return q == 0; })) continue;
      const mpq_class T = exit_of(cand.box, centre, v);
      if (const std::optional<mpq_class> t = first_point(net, terms[cand.term], centre, v, T)) {
        Vector xt(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) xt[i] = centre[i] + *t * v[i];
        const Vector yt = net_outputs(net, xt);
        if (!holds_all(p, xt, yt)) throw std::logic_error("vnnlib repair: a point found on the segment does not satisfy the property");
        return r.found = true, r.x = xt, r.y = yt,
               r.how = "on the segment from the centre of " + which + " through " + name + ", at t = " + to_string(*t) + " (t = 1 at that X)", r;
      }
    }
  }
  r.how = r.boxes == 0 ? "the property has no bounded input box to search" : "no exact counterexample on the segments searched";
  return r;
}

}  // namespace advdir::exact::vnnlib
