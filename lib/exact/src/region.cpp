#include "advdir/exact/region.hpp"

#include "advdir/exact/error.hpp"

#include "cgal_numbers.hpp"

#include <algorithm>

namespace advdir::exact {
namespace {

using cgal::gmpz;
using cgal::Program;

// A row <a,x> + c (<= or <) 0 scaled by a positive integer to integers.
struct IntRow {
  std::vector<mpz_class> a;
  mpz_class c;
};

IntRow integral(const HalfSpace& h) {
  Vector row = h.a;
  row.push_back(h.c);
  cgal::IntegerRow r = cgal::over_common_denominator(row);
  const mpz_class c = r.num.back();
  r.num.pop_back();
  return {std::move(r.num), c};
}

// The closed rows `rows[i]` (i where use[i]) as an LP over x (and, with `slack`, s <= 1
// added to every row's left side); CGAL minimises, so `objective` is negated by callers.
Program program(const std::vector<IntRow>& rows, const std::vector<char>& use, std::size_t d, bool slack) {
  Program lp(CGAL::SMALLER, false, 0, false, 0);
  int row = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!use[i]) continue;
    for (std::size_t j = 0; j < d; ++j)
      if (rows[i].a[j] != 0) lp.set_a(int(j), row, gmpz(rows[i].a[j]));
    if (slack) lp.set_a(int(d), row, 1);
    lp.set_b(row++, gmpz(-rows[i].c));
  }
  for (std::size_t j = 0; j <= d; ++j) lp.set_c(int(j), 0);
  if (slack) lp.set_u(int(d), true, 1);
  return lp;
}

// Row k follows from the other rows in use (their closures): max <a_k,x> + c_k <= 0 there.
// An infeasible closure throws Empty.
struct Empty {};
bool implied(const std::vector<IntRow>& rows, std::vector<char> use, std::size_t k, std::size_t d) {
  use[k] = 0;
  Program lp = program(rows, use, d, false);
  for (std::size_t j = 0; j < d; ++j) lp.set_c(int(j), gmpz(-rows[k].a[j]));
  const auto sol = CGAL::solve_linear_program(lp, CGAL::Gmpz());
  if (sol.is_infeasible()) throw Empty{};
  return sol.is_optimal() && -cgal::to_mpq(sol.objective_value()) + rows[k].c <= 0;
}

// Some x has every row < 0: the LP max s, <a_i,x> + c_i + s <= 0, s <= 1 ends above 0.
bool has_interior(const std::vector<IntRow>& rows, std::size_t d) {
  Program lp = program(rows, std::vector<char>(rows.size(), 1), d, true);
  lp.set_c(int(d), -1);
  const auto sol = CGAL::solve_linear_program(lp, CGAL::Gmpz());
  return sol.is_optimal() && -cgal::to_mpq(sol.objective_value()) > 0;
}

// One row per subset J of `units`: sum_{j in J} w_j (<u_j,x> + c_j) + shift.
std::vector<HalfSpace> subset_rows(const Layer& hidden, const Vector& w, const std::vector<std::size_t>& units,
                                   const mpq_class& shift, bool strict) {
  if (units.size() > max_units_for_hrep)
    throw InputError("model", std::to_string(units.size()) + " units with nonzero output weight: the H-representation enumerates 2^m pieces, at most 2^" +
                                  std::to_string(max_units_for_hrep));
  std::vector<HalfSpace> rows;
  for (std::size_t mask = 0; mask < (std::size_t(1) << units.size()); ++mask) {
    HalfSpace h{Vector(hidden.W[0].size(), 0), shift, strict, {}};
    for (std::size_t t = 0; t < units.size(); ++t) {
      if (!(mask >> t & 1)) continue;
      const std::size_t j = units[t];
      h.units.push_back(j);
      for (std::size_t k = 0; k < h.a.size(); ++k) h.a[k] += w[j] * hidden.W[j][k];
      h.c += w[j] * hidden.b[j];
    }
    rows.push_back(std::move(h));
  }
  return rows;
}

HalfSpace unit_row(const Layer& l, std::size_t j, int sign, bool strict) {
  HalfSpace h{l.W[j], l.b[j], strict, {j}};
  for (mpq_class& q : h.a) q *= sign;
  h.c *= sign;
  return h;
}

// Every row that defines the region, before redundancy is removed.
std::vector<HalfSpace> candidate_rows(const ReluNet& net, const Convexity& c) {
  const Layer& l = net.layers[0];
  std::vector<HalfSpace> rows;
  if (c.why == "lemma13") {
    for (std::size_t j = 0; j < l.W.size(); ++j) rows.push_back(unit_row(l, j, 1, false));
  } else if (c.why == "R''") {
    for (std::size_t j = 0; j < l.W.size(); ++j) rows.push_back(unit_row(l, j, -1, true));
  } else if (c.why == "linear") {
    rows.push_back(unit_row(l, 0, c.label > 0 ? -1 : 1, c.label > 0));
  } else {
    // lemma14: {f <= a} ("gt") or {f < a}; mirrored, with w = -v >= 0: {sum w relu(l) < -a}
    // ("gt") or <= -a ("ge").
    const bool mirrored = c.why == "lemma14_mirrored", ge = net.decision == Decision::at_least;
    Vector w = net.layers[1].W[0];
    if (mirrored)
      for (mpq_class& q : w) q = -q;
    std::vector<std::size_t> units;
    for (std::size_t j = 0; j < w.size(); ++j)
      if (w[j] != 0) units.push_back(j);
    rows = subset_rows(l, w, units, mirrored ? net.threshold : mpq_class(-net.threshold), mirrored != ge);
  }
  return rows;
}

}  // namespace

ConvexityReport convexity(const ReluNet& net) {
  if (net.kind == "relu_sum") return {{{-1, "lemma13", "Lemma 13: h^-1(-1) is the set where every unit's input is <= 0, an intersection of half-spaces"}}, ""};
  if (net.kind == "relu_and") return {{{1, "R''", "R'': h^-1(+1) is the set where every unit is positive, an intersection of open half-spaces"}}, ""};
  if (net.kind == "mlp") {
    if (net.layers.size() == 1 && net.layers[0].W.size() == 1)
      return {{{-1, "linear", "one affine output: h^-1(-1) is a closed half-space"}, {1, "linear", "one affine output: h^-1(+1) is an open half-space"}}, ""};
    if (net.layers.size() == 1) return {{}, "several outputs (argmax): the certificates here are for two labels"};
    return {{}, "an mlp with hidden layers is not in R, R' or R'': no convexity certificate (its regions need not be convex)"};
  }
  const Vector& v = net.layers[1].W[0];
  const auto neg = std::find_if(v.begin(), v.end(), [](const mpq_class& q) { return q < 0; });
  const auto pos = std::find_if(v.begin(), v.end(), [](const mpq_class& q) { return q > 0; });
  ConvexityReport r;
  if (neg == v.end())
    r.convex.push_back({-1, "lemma14", std::string("Lemma 14: every v_j >= 0, so f is convex and h^-1(-1) = {f ") +
                                           (net.decision == Decision::at_least ? "<" : "<=") + " a} is convex"});
  if (pos == v.end())
    r.convex.push_back({1, "lemma14_mirrored", std::string("Lemma 14 mirrored: every v_j <= 0, so f is concave and h^-1(+1) = {f ") +
                                                   (net.decision == Decision::at_least ? ">=" : ">") + " a} is convex"});
  if (r.convex.empty())
    r.failed = "v_" + std::to_string(neg - v.begin()) + " = " + to_string(*neg) + " < 0 and v_" + std::to_string(pos - v.begin()) + " = " +
               to_string(*pos) + " > 0: f is neither convex nor concave, so Lemma 14 (every v_j >= 0) does not apply";
  return r;
}

bool HRepresentation::contains(const Vector& x) const {
  if (empty) return false;
  return std::all_of(rows.begin(), rows.end(), [&](const HalfSpace& h) {
    const mpq_class s = dot(h.a, x) + h.c;
    return h.strict ? s < 0 : s <= 0;
  });
}

HRepresentation h_representation(const ReluNet& net, int label) {
  const ConvexityReport report = convexity(net);
  const auto c = std::find_if(report.convex.begin(), report.convex.end(), [&](const Convexity& k) { return k.label == label; });
  if (c == report.convex.end()) throw HypothesisError("the region of label " + std::to_string(label) + " has no convexity certificate");
  HRepresentation h{label, false, {}};
  for (HalfSpace& row : candidate_rows(net, *c)) {
    const bool zero = std::all_of(row.a.begin(), row.a.end(), [](const mpq_class& q) { return q == 0; });
    if (!zero) h.rows.push_back(std::move(row));
    else if (row.strict ? row.c >= 0 : row.c > 0) h.empty = true;  // the row 0 + c < 0 fails everywhere
  }
  const std::size_t d = net.input_dim();
  std::vector<IntRow> rows;
  for (const HalfSpace& r : h.rows) rows.push_back(integral(r));
  const bool strict = !h.rows.empty() && h.rows[0].strict;
  try {
    if (!h.empty && strict && !has_interior(rows, d)) throw Empty{};
    std::vector<char> use(rows.size(), 1);
    for (std::size_t k = 0; k < rows.size() && !h.empty; ++k) use[k] = !implied(rows, use, k, d);
    std::vector<HalfSpace> kept;
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (use[k]) kept.push_back(std::move(h.rows[k]));
    h.rows = std::move(kept);
  } catch (const Empty&) {
    h.empty = true;
  }
  if (h.empty) h.rows.clear();
  return h;
}

json to_json(const HRepresentation& h) {
  json rows = json::array();
  for (const HalfSpace& r : h.rows)
    rows.push_back({{"a", to_json(r.a)}, {"c", to_json(r.c)}, {"strict", r.strict}, {"units", r.units}});
  return {{"label", h.label}, {"empty", h.empty}, {"inequalities", rows}};
}

}  // namespace advdir::exact
