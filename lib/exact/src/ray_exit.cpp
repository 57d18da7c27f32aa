#include "ray_exit.hpp"

#include <algorithm>

namespace advdir::exact {

int decide(Decision decision, const mpq_class& threshold, const Outputs& o, bool right) {
  auto positive = [&](const mpz_class& value, const mpz_class& slope, bool or_zero) {
    const int s = sgn(value) ? sgn(value) : right ? sgn(slope) : 0;
    return or_zero ? s >= 0 : s > 0;
  };
  switch (decision) {
    case Decision::sign: return positive(o.value[0], o.slope[0], false) ? 1 : -1;
    case Decision::above:
    case Decision::at_least: {
      const mpz_class diff = threshold.get_den() * o.value[0] - threshold.get_num() * o.scale;
      return positive(diff, o.slope[0], decision == Decision::at_least) ? 1 : -1;
    }
    case Decision::all_positive:
      for (std::size_t m = 0; m < o.value.size(); ++m)
        if (!positive(o.value[m], o.slope[m], false)) return -1;
      return 1;
    case Decision::argmax: {
      std::size_t best = 0;
      for (std::size_t m = 1; m < o.value.size(); ++m) {
        const int c = cmp(o.value[m], o.value[best]);
        if (c > 0 || (c == 0 && right && o.slope[m] > o.slope[best])) best = m;
      }
      return int(best);
    }
  }
  return 0;
}

Outputs AffineOutputs::at(const Position& t) const {
  Outputs o;
  for (std::size_t m = 0; m < z0.size(); ++m) {
    o.value.push_back(z0[m] * t.q + z1[m] * t.p);
    o.slope.push_back(z1[m]);
  }
  o.scale = t.q * den;
  return o;
}

bool first_exit(Decision decision, const mpq_class& threshold, int label, const AffineOutputs& o, const Position& pos,
                const Position* next, NetRay& ray) {
  std::vector<Position> candidates{pos};
  auto consider = [&](const mpz_class& value, const mpz_class& slope) {
    if (sgn(slope) == 0) return;
    Position t{-value, slope};
    if (sgn(t.q) < 0) t.p = -t.p, t.q = -t.q;
    if (pos < t && (!next || t < *next)) candidates.push_back(std::move(t));
  };
  if (decision == Decision::argmax) {
    const std::size_t k = std::size_t(label);
    for (std::size_t m = 0; m < o.z0.size(); ++m)
      if (m != k) consider(o.z0[m] - o.z0[k], o.z1[m] - o.z1[k]);
  } else if (decision == Decision::above || decision == Decision::at_least) {
    consider(threshold.get_den() * o.z0[0] - threshold.get_num() * o.den, threshold.get_den() * o.z1[0]);
  } else {
    for (std::size_t m = 0; m < o.z0.size(); ++m) consider(o.z0[m], o.z1[m]);
  }
  std::sort(candidates.begin() + 1, candidates.end());
  for (const Position& t : candidates) {
    const Outputs at_t = o.at(t);
    const int at = decide(decision, threshold, at_t, false), past = decide(decision, threshold, at_t, true);
    if (at == label && past == label) continue;
    ray.adversarial = true;
    ray.c_exit = t.value();
    ray.differs_at_exit = at != label;
    ray.label_after = past;
    return true;
  }
  return false;
}

}  // namespace advdir::exact
