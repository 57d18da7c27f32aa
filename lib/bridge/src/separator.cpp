#include "advdir/bridge/separator.hpp"

#include "advdir/bridge/gordan_lp.hpp"
#include "advdir/bridge/margin_qp.hpp"
#include "advdir/exact/error.hpp"
#include "clock.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace advdir::bridge {

fp::DenseData to_dense(const exact::Dataset& data) {
  fp::DenseData dense{data.size(), data.dim(), std::vector<float>(data.size() * data.dim()), data.labels};
  mpz_class scale = 0;
  for (slong i = 0; i < data.X.rows(); ++i)
    for (slong j = 0; j < data.X.cols(); ++j) {
      mpz_class v = abs(exact::to_mpz(data.X.at(i, j)));
      if (v > scale) scale = v;
    }
  if (scale == 0) scale = 1;
  for (slong i = 0; i < data.X.rows(); ++i)
    for (slong j = 0; j < data.X.cols(); ++j)
      dense.x[std::size_t(i) * dense.d + std::size_t(j)] =
          float(mpq_class(exact::to_mpz(data.X.at(i, j)), scale).get_d());
  return dense;
}

exact::SeparatorResult max_margin_separator(const exact::Dataset& data, const SolveOptions& options,
                                            SolveStats* stats) {
  exact::require_binary(data);
  SolveStats local;
  SolveStats& st = stats ? *stats : local;
  const fp::DenseData dense = to_dense(data);
  fp::HardMarginSmo smo(dense, options.smo);
  std::vector<std::size_t> candidates;
  bool lp_tried = false;
  const Budget budget(options.give_up_after_seconds);  // --give-up-after, from the start of the solve
  // Gordan's alternative by the simplex LP, once, on large data that SMO has not settled in
  // farkas_after_seconds (SMO and the exact attempts together): a verified Farkas
  // certificate ends the solve; a verified separating hyperplane means the margin is small,
  // and the barrier QP's support goes to the exact KKT confirmation (SMO goes on if not).
  auto by_lp = [&](bool diverged) -> std::optional<exact::SeparatorResult> {
    if (lp_tried || data.size() <= options.cgal_fallback_max_points || (!diverged && budget.elapsed() <= options.farkas_after_seconds))
      return std::nullopt;
    lp_tried = true;
    smo.release_cache();  // its kernel rows (up to cache_bytes) sit unused while the LP runs
    const auto t0 = std::chrono::steady_clock::now();
    // SMO's points of largest alpha first: where it found the classes overlapping.
    GordanSearch g = gordan_by_lp(data, budget.left(), candidates);
    st.separable_proved = g.separating.has_value();
    std::optional<exact::SeparatorResult> found;
    if (g.certificate) {
      found = exact::SeparatorResult{false, {}, std::move(*g.certificate), "LP (" + g.hint + ") + exact projection (Farkas)"};
    } else if (g.separating) {
      // The QP's central alpha first; when its support misses points, the active-set repair.
      const MarginHint hint = margin_support_by_qp(data, *g.separating, budget.left());
      std::optional<exact::MaxMarginSeparator> sep;
      if (!hint.support.empty()) sep = exact::confirm_central(data, hint.support, hint.weights);
      if (!hint.support.empty() && !sep) sep = exact::confirm_max_margin(data, hint.support, options.confirm, &st.confirm);
      if (sep) found = exact::SeparatorResult{true, std::move(*sep), {}, "QP (barrier) + exact KKT confirmation"};
    }
    st.lp_seconds = seconds_since(t0);
    return found;
  };
  auto give_up = [&] {
    if (budget.spent())
      throw Undecided(data.source + (st.separable_proved ? ": separable (a separating hyperplane, checked exactly), but its max-margin separator was not confirmed within "
                                                         : ": neither a separator nor a Farkas certificate within ") +
                      (std::ostringstream() << options.give_up_after_seconds).str() + " s", st.separable_proved);
  };
  for (std::size_t stage = options.first_stage * data.size();; stage *= 4) {
    give_up();
    auto t0 = std::chrono::steady_clock::now();
    // The stage in chunks of bounded work, so that the LP's time budget is looked at often.
    const std::size_t chunk = std::clamp<std::size_t>(options.smo_chunk_work / data.size(), 1, data.size());
    for (std::size_t done = 0; done < stage && !smo.finished(); done += chunk) {
      smo.run(std::min(chunk, stage - done));
      give_up();
      if (!lp_tried && data.size() > options.cgal_fallback_max_points && budget.elapsed() > options.farkas_after_seconds) break;
    }
    const fp::SmoResult& r = smo.result();
    candidates = r.candidates(dense);
    st.float_seconds += seconds_since(t0);
    st.smo_iterations = r.iterations;
    st.candidates = candidates.size();
    if (auto found = by_lp(r.diverged)) return std::move(*found);
    if (r.diverged || candidates.empty()) break;
    // Some optimal alpha has at most d + 1 points (Caratheodory): a stage SMO has not finished
    // with more than twice as many candidates is far from one, and its exact attempt is skipped
    // (Fashion-MNIST pairs whose first stage ended far from one, three not separable and the
    // two of smallest margin: 1,501 to 6,160 candidates, each attempt 15 to 24 s in vain; the
    // separable pairs confirmed there: 416 to 622).
    if (smo.finished() || candidates.size() <= 2 * (data.dim() + 1)) {
      t0 = std::chrono::steady_clock::now();
      exact::ConfirmOptions confirm = options.confirm;
      confirm.stop = [&] { return budget.spent(); };
      if (!smo.finished()) confirm.max_rounds = options.early_rounds, confirm.max_violated = data.dim() + 1;
      ++st.attempts;
      auto sep = exact::confirm_max_margin(data, candidates, confirm, &st.confirm);
      st.exact_seconds += seconds_since(t0);
      if (sep) return {true, std::move(*sep), {}, "float SMO + exact KKT confirmation"};
    }
    if (auto found = by_lp(false)) return std::move(*found);  // before a stage four times longer
    if (smo.finished() || candidates.size() <= options.early_cgal_points) break;
  }
  // Exact fallback: constraint generation from the float support (for diverged
  // runs, the points whose multipliers grew: they carry the Farkas certificate). The
  // budget is looked at before each of its rounds; past it, the answer is Undecided.
  give_up();
  const auto t0 = std::chrono::steady_clock::now();
  if (candidates.size() > options.cgal_fallback_max_points / 2) candidates.resize(options.cgal_fallback_max_points / 2);
  auto r = exact::cgal_constraint_generation(data, candidates, options.cgal_fallback_max_points, [&] { return budget.spent(); });
  st.fallback_seconds = seconds_since(t0);
  if (!r) give_up();
  if (!r) {
    std::string why = data.source;
    why += ": could not confirm a separator exactly (";
    why += smo.result().diverged ? "float solver diverged: data likely not separable" : "active-set repair failed";
    why += ") and exact constraint generation needs more than ";
    why += std::to_string(options.cgal_fallback_max_points);
    why += " points";
    throw std::runtime_error(why);
  }
  return std::move(*r);
}

}  // namespace advdir::bridge
