#include "advdir/exact/soft_margin.hpp"

#include "advdir/exact/error.hpp"

namespace advdir::exact {

namespace {

void require_pairing(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs) {
  if (sets.size() < 2 || sets.size() != hs.size())
    throw InputError("--classifier", "Theorem 7 pairs each classifier with its training set: got " +
                                         std::to_string(hs.size()) + " classifiers for " + std::to_string(sets.size()) + " sets");
  for (const Dataset& s : sets) require_binary(s);
}

}  // namespace

CommonSubset common_correct(const std::vector<Dataset>& sets, const std::vector<LinearModel>& hs, bool confident) {
  require_pairing(sets, hs);
  CommonSubset out;
  std::vector<Vector> points;
  std::vector<int> labels;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    std::vector<bool> keep(sets[j].size(), true);
    for (const LinearModel& h : hs) {
      const ScaledScores m = scaled_scores(sets[j], h);
      for (std::size_t i = 0; i < keep.size(); ++i) {
        const fmpz* num = m.num.at(slong(i), 0);
        keep[i] = keep[i] && (confident ? fmpz_cmp(num, Int(m.den).get()) >= 0 : fmpz_sgn(num) > 0);
      }
    }
    out.in_set.push_back(0);
    for (std::size_t i = 0; i < keep.size(); ++i)
      if (keep[i]) {
        points.push_back(sets[j].point(i));
        labels.push_back(sets[j].labels[i]);
        out.origin.emplace_back(j, i);
        ++out.in_set.back();
      }
  }
  if (points.empty()) throw HypothesisError("no point is classified correctly by every classifier: S is empty");
  out.S = make_dataset(points, labels, "S (the points every classifier gets right)");
  return out;
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
    Int longest, sq;  // max_i |X_i|^2 over the integers; |x_i|^2 = |X_i|^2 / den^2
    for (std::size_t i = 0; i < sets[j].size(); ++i) {
      fmpz_zero(sq.get());
      for (std::size_t c = 0; c < sets[j].dim(); ++c) fmpz_addmul(sq.get(), sets[j].X.at(slong(i), slong(c)), sets[j].X.at(slong(i), slong(c)));
      if (fmpz_cmp(sq.get(), longest.get()) > 0) fmpz_set(longest.get(), sq.get());
    }
    mpq_class R_sq_j(longest.mpz(), sets[j].den * sets[j].den);
    R_sq_j.canonicalize();
    st.R_sq = std::max(st.R_sq, R_sq_j);
  }
  return st;
}

}  // namespace advdir::exact
