#include "advdir/exact/linear_transfer.hpp"

namespace advdir::exact {
namespace {

// Theorem 4's proof: <w,w*> = sum alpha_i y_i <w,x_i> = sum alpha_i m_i, by (1) and (2),
// whether or not h is S-accurate.
mpq_class inner_with_w_star(const MaxMarginSeparator& sep, const Vector& margins) {
  mpq_class inner = 0;
  for (std::size_t k = 0; k < sep.support.size(); ++k) inner += sep.alpha[k] * margins[sep.support[k]];
  return inner;
}

ClassifierTransfer transfer_of(const MaxMarginSeparator& sep, const LinearModel& h, Vector margins) {
  ClassifierTransfer t{h, std::move(margins), 0, {}, 0, 0, {}};
  t.inner = inner_with_w_star(sep, t.margins);
  t.gamma_h = t.margins.front();
  for (std::size_t i = 0; i < t.margins.size(); ++i) {
    t.c_exit.push_back(t.margins[i] / t.inner);
    if (t.margins[i] < t.gamma_h) {
      t.gamma_h = t.margins[i];
      t.least_margin = i;
    }
  }
  const mpq_class scale = t.gamma_h * sep.alpha_sum();
  for (const mpq_class& m : t.margins) t.bound.push_back(m / scale);
  return t;
}

}  // namespace

TransferReport certify_linear_transfer(const Dataset& data, const MaxMarginSeparator& sep,
                                       const std::vector<LinearModel>& classifiers) {
  TransferReport report;
  for (std::size_t c = 0; c < classifiers.size(); ++c) {
    Vector m = signed_scores(data, classifiers[c]);
    NotAccurate bad{c, {}, inner_with_w_star(sep, m), {}};
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (m[i] <= 0) bad.offending.push_back(i);
      else if (sgn(bad.inner) > 0) bad.c_exit.push_back(m[i] / bad.inner);
    }
    if (bad.offending.empty())
      report.certified.push_back(transfer_of(sep, classifiers[c], std::move(m)));
    else
      report.rejected.push_back(std::move(bad));
  }
  return report;
}

LinearRay linear_ray(const LinearModel& h, const Vector& x, const Vector& v) {
  LinearRay r{0, false, 0, false, h.score(x), dot(h.w, v)};
  r.label_before = r.score > 0 ? 1 : -1;
  // score + c slope: a +1 point flips once it reaches 0 (where it is already -1);
  // a -1 point flips once it passes 0.
  if (r.label_before == 1 && r.slope < 0) {
    r.adversarial = true;
    r.c_exit = r.score / -r.slope;
    r.differs_at_exit = true;
  } else if (r.label_before == -1 && r.slope > 0) {
    r.adversarial = true;
    r.c_exit = -r.score / r.slope;
  }
  return r;
}

}  // namespace advdir::exact
