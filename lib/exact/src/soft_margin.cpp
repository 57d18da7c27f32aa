#include "advdir/exact/soft_margin.hpp"

#include "advdir/exact/error.hpp"

#include <algorithm>

namespace advdir::exact {

namespace {

template <class Model>
void require_pairing(const std::vector<Dataset>& sets, const std::vector<Model>& hs) {
  if (sets.empty() || sets.size() != hs.size())
    throw InputError("--classifier", "each classifier pairs with its training set: got " + std::to_string(hs.size()) +
                                         " classifiers for " + std::to_string(sets.size()) + " sets");
}

// Collects the points keep(j) marks into S, in order; label `plus` becomes +1, any other -1.
template <class Keep>
CommonSubset collect(const std::vector<Dataset>& sets, Keep keep, int plus) {
  CommonSubset out;
  std::vector<Vector> points;
  std::vector<int> labels;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const std::vector<bool> kept = keep(j);
    out.in_set.push_back(0);
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (kept[i]) {
        points.push_back(sets[j].point(i));
        labels.push_back(sets[j].labels[i] == plus ? 1 : -1);
        out.origin.emplace_back(j, i);
        ++out.in_set.back();
      }
  }
  if (points.empty()) throw HypothesisError("no point is classified correctly by every classifier: S is empty");
  out.S = make_dataset(points, labels, "S (the points every classifier gets right)");
  return out;
}

// max_i |x_i|^2 of one set, from its integer rows.
mpq_class longest_sq(const Dataset& T, const std::vector<bool>& among) {
  Int longest, sq;  // |x_i|^2 = |X_i|^2 / den^2
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (!among[i]) continue;
    fmpz_zero(sq.get());
    for (std::size_t c = 0; c < T.dim(); ++c) fmpz_addmul(sq.get(), T.X.at(slong(i), slong(c)), T.X.at(slong(i), slong(c)));
    if (fmpz_cmp(sq.get(), longest.get()) > 0) fmpz_set(longest.get(), sq.get());
  }
  mpq_class r(longest.mpz(), T.den * T.den);
  r.canonicalize();
  return r;
}

// Per point of the pair: whether h labels it correctly without a k-l tie, and by how much
// the own score beats the other's (as num / den).
struct PairVerdicts {
  std::vector<bool> in_pair, correct, confident;
};

PairVerdicts pair_verdicts(const Dataset& T, const MulticlassModel& h, int k, int l) {
  PairVerdicts v{std::vector<bool>(T.size()), std::vector<bool>(T.size()), std::vector<bool>(T.size())};
  const auto rk = h.row_of_class(k), rl = h.row_of_class(l);
  const ScaledScores s = affine_scores(T, h.W, h.b);
  const Int den(s.den);
  Int gap;
  for (std::size_t i = 0; i < T.size(); ++i) {
    v.in_pair[i] = T.labels[i] == k || T.labels[i] == l;
    if (!v.in_pair[i] || !rk || !rl) continue;
    const fmpz* z = s.num.row(slong(i));
    const std::size_t own = T.labels[i] == k ? *rk : *rl, other = T.labels[i] == k ? *rl : *rk;
    fmpz_sub(gap.get(), z + own, z + other);
    v.correct[i] = argmax_row(z, h.W.size()) == own && fmpz_sgn(gap.get()) > 0;
    v.confident[i] = v.correct[i] && fmpz_cmp(gap.get(), den.get()) > 0;
  }
  return v;
}

}  // namespace

CommonSubset common_correct(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs, bool confident) {
  require_pairing(sets, hs);
  for (const Dataset& s : sets) require_binary(s);
  auto keep = [&](std::size_t j) {
    std::vector<bool> kept(sets[j].size(), true);
    for (const LinearModel& h : hs) {
      const ScaledScores m = scaled_scores(sets[j], h);
      const Int one(m.den);
      for (std::size_t i = 0; i < kept.size(); ++i) {
        const fmpz* num = m.num.at(slong(i), 0);
        kept[i] = kept[i] && (confident ? fmpz_cmp(num, one.get()) >= 0 : fmpz_sgn(num) > 0);
      }
    }
    return kept;
  };
  return collect(sets, keep, 1);
}

CommonSubset common_correct_pair(const std::vector<Dataset>& sets, const std::vector<MulticlassModel>& hs, int k, int l,
                                 bool confident) {
  require_pairing(sets, hs);
  auto keep = [&](std::size_t j) {
    std::vector<bool> kept(sets[j].size(), true);
    for (const MulticlassModel& h : hs) {
      const PairVerdicts v = pair_verdicts(sets[j], h, k, l);
      for (std::size_t i = 0; i < kept.size(); ++i) kept[i] = kept[i] && v.in_pair[i] && (confident ? v.confident[i] : v.correct[i]);
    }
    return kept;
  };
  return collect(sets, keep, k);
}

PairStats pair_stats(const std::vector<Dataset>& sets, const std::vector<MulticlassModel>& hs, int k, int l) {
  require_pairing(sets, hs);
  PairStats st;
  for (const MulticlassModel& h : hs)
    for (const Vector& w : h.W) st.B_sq = std::max(st.B_sq, dot(w, w));
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const PairVerdicts v = pair_verdicts(sets[j], hs[j], k, l);
    const std::size_t n = std::size_t(std::count(v.in_pair.begin(), v.in_pair.end(), true));
    const std::size_t unsure = n - std::size_t(std::count(v.confident.begin(), v.confident.end(), true));
    st.n.push_back(n);
    st.rho.push_back(n ? mpq_class(unsure, n) : mpq_class(0));
    st.rho.back().canonicalize();
    st.R_sq = std::max(st.R_sq, longest_sq(sets[j], v.in_pair));
  }
  return st;
}

SoftMarginStats soft_margin_stats(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs) {
  require_pairing(sets, hs);
  SoftMarginStats st;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const ScaledScores m = scaled_scores(sets[j], hs[j]);
    const Int one(m.den);
    std::size_t unsure = 0;
    for (std::size_t i = 0; i < sets[j].size(); ++i) unsure += fmpz_cmp(m.num.at(slong(i), 0), one.get()) < 0;
    st.rho.push_back(mpq_class(unsure, sets[j].size()));
    st.rho.back().canonicalize();
    st.w_norm_sq.push_back(dot(hs[j].w, hs[j].w));
    st.R_sq = std::max(st.R_sq, longest_sq(sets[j], std::vector<bool>(sets[j].size(), true)));
  }
  return st;
}

}  // namespace advdir::exact
