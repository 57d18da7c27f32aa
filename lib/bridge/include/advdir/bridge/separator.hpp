// The exact max-margin separator at scale: a float SMO solve proposes the support,
// the exact layer confirms it (KKT proved over the rationals), CGAL is the fallback.
// Data that is not separable gets its Farkas certificate from an interior-point LP
// (farkas_lp.hpp) once SMO diverges or runs long, or from CGAL on small data.
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
  // tries each stage's support (with early_rounds repairs) until one is confirmed.
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
  // stages), or SMO has diverged, the interior-point LP (farkas_lp.hpp) looks for a Farkas
  // certificate (once; if it finds none, SMO goes on).
  double farkas_after_seconds = 20;
  // Give up (Undecided) once this many seconds have passed without an answer, checked
  // between SMO's chunks and stages (the LP, once started, runs to its own cap); 0: never.
  double give_up_after_seconds = 0;
};

// Neither side found within give_up_after_seconds: the data may be separable or not.
struct Undecided : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SolveStats {
  double float_seconds = 0, exact_seconds = 0, fallback_seconds = 0, farkas_seconds = 0;
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
