#include "advdir/exact/multiclass.hpp"

#include "advdir/exact/error.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace advdir::exact {

std::optional<std::size_t> MulticlassModel::row_of_class(int k) const {
  const auto it = std::find(classes.begin(), classes.end(), k);
  if (it == classes.end()) return std::nullopt;
  return std::size_t(it - classes.begin());
}

int MulticlassModel::label(const Vector& x) const {
  std::size_t best = 0;
  mpq_class top = dot(W[0], x) + b[0];
  for (std::size_t m = 1; m < W.size(); ++m) {
    const mpq_class z = dot(W[m], x) + b[m];
    if (z > top) best = m, top = z;
  }
  return classes[best];
}

MulticlassModel multiclass_model_from_json(const json& j, const std::string& source) {
  try {
    if (!j.is_object() || j.value("kind", json()) != "multiclass")
      throw std::invalid_argument("expected {\"kind\": \"multiclass\", \"W\": [[...]], \"b\": [...]}");
    if (!j.contains("W") || !j.contains("b")) throw std::invalid_argument("missing field \"W\" or \"b\"");
    if (!j["W"].is_array() || j["W"].size() < 2) throw std::invalid_argument("W: expected at least two rows");
    MulticlassModel h;
    for (std::size_t m = 0; m < j["W"].size(); ++m) {
      h.W.push_back(vector_from_json(j["W"][m], "W[" + std::to_string(m) + "]"));
      if (h.W.back().empty() || h.W.back().size() != h.W[0].size())
        throw std::invalid_argument("W is ragged: row " + std::to_string(m) + " has " + std::to_string(h.W.back().size()) +
                                    " entries, row 0 has " + std::to_string(h.W[0].size()));
    }
    h.b = vector_from_json(j["b"], "b");
    if (h.b.size() != h.W.size())
      throw std::invalid_argument("b has " + std::to_string(h.b.size()) + " entries for " + std::to_string(h.W.size()) + " rows");
    if (j.contains("classes")) {
      h.classes = j["classes"].get<std::vector<int>>();
      if (h.classes.size() != h.W.size() || std::set<int>(h.classes.begin(), h.classes.end()).size() != h.classes.size())
        throw std::invalid_argument("classes: expected one distinct label per row");
    } else {
      for (std::size_t m = 0; m < h.W.size(); ++m) h.classes.push_back(int(m));
    }
    return h;
  } catch (const json::exception& e) {
    throw InputError(source, std::string("classes: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

json to_json(const MulticlassModel& h) {
  json W = json::array();
  for (const Vector& w : h.W) W.push_back(to_json(w));
  return {{"kind", "multiclass"}, {"W", W}, {"b", to_json(h.b)}, {"classes", h.classes}};
}

std::size_t argmax_row(const fmpz* num, std::size_t n) {
  std::size_t best = 0;
  for (std::size_t m = 1; m < n; ++m)
    if (fmpz_cmp(num + m, num + best) > 0) best = m;
  return best;
}

// Row m overtakes r where z_r - z_m = c (s_m - s_r) den: the first such c over all m.
ArgmaxExit argmax_exit(const std::vector<mpz_class>& z, const mpz_class& den, std::size_t r, const Vector& slope) {
  ArgmaxExit e;
  for (std::size_t m = 0; m < z.size(); ++m) {
    const mpq_class gain = slope[m] - slope[r];
    if (m == r || sgn(gain) <= 0) continue;
    mpq_class c(z[r] - z[m], den);
    c.canonicalize();
    c /= gain;
    const bool first = !e.leaves || c < e.c_exit;
    if (first || (c == e.c_exit && gain > slope[e.row_after] - slope[r])) e.row_after = m;
    if (first) e.c_exit = c, e.differs_at_exit = false;
    e.differs_at_exit = e.differs_at_exit || (c == e.c_exit && m < r);
    e.leaves = true;
  }
  return e;
}

namespace {

std::vector<mpz_class> row_scores(const ScaledScores& s, std::size_t i) {
  std::vector<mpz_class> z(std::size_t(s.num.cols()));
  for (std::size_t m = 0; m < z.size(); ++m) z[m] = to_mpz(s.num.at(slong(i), slong(m)));
  return z;
}

// The points a classifier gets wrong on the pair, or wins only by a k-l tie.
PairRejection find_unmet(const ScaledScores& s, const Dataset& pair, std::size_t c, std::size_t rk, std::size_t rl) {
  PairRejection r{c, {}, {}};
  for (std::size_t i = 0; i < pair.size(); ++i) {
    const fmpz* z = s.num.row(slong(i));
    const std::size_t own = pair.labels[i] > 0 ? rk : rl, other = pair.labels[i] > 0 ? rl : rk;
    if (argmax_row(z, std::size_t(s.num.cols())) != own) r.wrong.push_back(i);
    else if (fmpz_equal(z + own, z + other)) r.tied.push_back(i);
  }
  return r;
}

}  // namespace

// Theorem 8: (w_k - w_l, b_k - b_l) separates the pair, so Theorem 4 gives
// <w_k - w_l, w*> > 0 and the gap z_own - z_other falls to 0 at c_pair along -y w*.
PairReport certify_pair_transfer(const Dataset& pair, int k, int l, const MaxMarginSeparator& sep,
                                 const std::vector<MulticlassModel>& classifiers) {
  PairReport report{k, l, {}, {}};
  for (std::size_t c = 0; c < classifiers.size(); ++c) {
    const MulticlassModel& h = classifiers[c];
    const auto rk = h.row_of_class(k), rl = h.row_of_class(l);
    if (!rk || !rl) {
      PairRejection all{c, {}, {}};
      for (std::size_t i = 0; i < pair.size(); ++i) all.wrong.push_back(i);
      report.rejected.push_back(std::move(all));
      continue;
    }
    const ScaledScores s = affine_scores(pair, h.W, h.b);
    PairRejection unmet = find_unmet(s, pair, c, *rk, *rl);
    if (!unmet.wrong.empty() || !unmet.tied.empty()) {
      report.rejected.push_back(std::move(unmet));
      continue;
    }
    Vector toward(h.W.size());  // <w_m, w*>
    for (std::size_t m = 0; m < h.W.size(); ++m) toward[m] = dot(h.W[m], sep.w_star);
    PairTransfer t{c, toward[*rk] - toward[*rl], {}, {}, {}, {}};
    if (sgn(t.inner) <= 0) throw std::logic_error("Theorem 4 fails on the pair: <w_k - w_l, w*> <= 0");
    for (std::size_t i = 0; i < pair.size(); ++i) {
      const int y = pair.labels[i];
      const std::vector<mpz_class> z = row_scores(s, i);
      Vector slope(toward.size());
      for (std::size_t m = 0; m < slope.size(); ++m) slope[m] = -y * toward[m];
      mpq_class c_pair(y * (z[*rk] - z[*rl]), s.den);
      c_pair.canonicalize();
      c_pair /= t.inner;
      const ArgmaxExit e = argmax_exit(z, s.den, y > 0 ? *rk : *rl, slope);
      if (!e.leaves || e.c_exit > c_pair) throw std::logic_error("Theorem 8 fails: the label does not leave by c_pair");
      t.c_pair.push_back(c_pair);
      t.c_exit.push_back(e.c_exit);
      t.to.push_back(h.classes[e.row_after]);
      t.differs_at_exit.push_back(e.differs_at_exit);
    }
    report.certified.push_back(std::move(t));
  }
  return report;
}

}  // namespace advdir::exact
