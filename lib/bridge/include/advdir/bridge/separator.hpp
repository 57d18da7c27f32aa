// The exact max-margin separator at scale: a float SMO solve proposes the support,
// the exact layer confirms it (KKT proved over the rationals), CGAL is the fallback.
// Data that is not separable gets its Farkas certificate from a simplex LP
// (gordan_lp.hpp) once SMO diverges or runs long, or from CGAL on small data.
#pragma once
#include "advdir/exact/separator.hpp"
#include "advdir/fp/smo.hpp"

#include <functional>
#include <stdexcept>

namespace advdir::bridge {

struct SolveOptions {
  fp::SmoOptions smo;
  exact::ConfirmOptions confirm;
  // SMO runs in stages of first_stage * n iterations, growing 4x, and the exact layer
  // tries each stage's support until one is confirmed: at a stage SMO has not finished,
  // only with at most 2 (d + 1) candidates, with early_rounds repairs, and giving up on a
  // round that violates more than d + 1 points (ConfirmOptions::max_violated).
  std::size_t first_stage = 20;
  int early_rounds = 3;
  // After a stage's support fails exact confirmation, constraint generation runs
  // at once when that support has at most this many points (CGAL is quick there),
  // instead of waiting for SMO to converge.
  std::size_t early_cgal_points = 400;
  // When no stage is confirmed, CGAL's exact dual runs on subsets of at most this
  // many points (constraint generation from the float support); its cost grows fast.
  std::size_t cgal_fallback_max_points = 3000;
  // Non-separable data at scale (more points than cgal_fallback_max_points): once SMO and
  // the exact attempts have run this long without a confirmed separator (checked between
  // stages), or SMO has diverged, the simplex LP (gordan_lp.hpp) decides Gordan's
  // alternative (once): a Farkas certificate ends the solve; after a separating hyperplane
  // the barrier QP (margin_qp.hpp) proposes the support for the exact confirmation; when
  // that fails, or with no answer, SMO goes on. Both stop at give_up_after_seconds too.
  double farkas_after_seconds = 20;
  // SMO runs in chunks between which both limits are looked at: n iterations, each costing
  // O(n), up to sqrt(smo_chunk_work) points (12,000 points: about 10 s in d = 784), and
  // smo_chunk_work / n beyond, so a chunk costs no more (n iterations on 60,000 points took
  // 249 s, all of it before the LP could start).
  std::size_t smo_chunk_work = std::size_t(12000) * 12000;
  // Give up (Undecided) once this many seconds have passed without an answer, checked
  // between SMO's chunks and stages, and by the LP itself; 0: never.
  double give_up_after_seconds = 0;
};

// No certificate within give_up_after_seconds: the data may be separable or not, or are
// separable (an exactly checked separating hyperplane) with the max margin unconfirmed.
struct Undecided : std::runtime_error {
  Undecided(const std::string& what, bool separable) : std::runtime_error(what), separable_proved(separable) {}
  bool separable_proved;
};

struct SolveStats {
  double float_seconds = 0, exact_seconds = 0, fallback_seconds = 0;
  double lp_seconds = 0;           // Gordan's LP, and the QP after it, with their exact steps
  bool separable_proved = false;  // the LP's separating hyperplane passed the exact check
  std::size_t smo_iterations = 0, candidates = 0, attempts = 0;
  exact::ConfirmStats confirm;
};

// The data as floats scaled into [-1, 1] (the scale does not change the support).
fp::DenseData to_dense(const exact::Dataset& data);

// Lemma 3: the exact separator with its KKT multipliers, or a Farkas certificate.
// Every answer is validated exactly before it is returned.
exact::SeparatorResult max_margin_separator(const exact::Dataset& data, const SolveOptions& options = {},
                                            SolveStats* stats = nullptr);

}  // namespace advdir::bridge
