// Float adversarial examples checked exactly. A perturbed image z from the float layer is
// the float32 vector it is; it is adversarial for (x, y) at radius eps exactly when
// |z - x|_inf <= eps against the true image x (IDX bytes as k/255, not their float32
// roundings), z lies in [0, 1]^d, and the model's exact label at z differs from y.
#pragma once
#include "advdir/exact/dataset.hpp"
#include "advdir/fp/pixel_box.hpp"

#include <functional>

namespace advdir::bridge {

// n rows of d float32 values (raw little-endian, as `advdir experiment` stores them), each
// as the exact rational it is; a file of another size, NaN or infinity is refused.
std::vector<exact::Vector> read_float32_rows(const std::string& path, std::size_t d);

struct AdversarialCheck {
  mpq_class linf;          // |z - x|_inf, exactly
  bool in_ball = false;    // linf <= eps
  bool in_box = false;     // every z_j in [0, 1]
  int label = 0;           // the model's exact label at z
  bool misclassified = false;  // label != y
  bool adversarial() const { return in_ball && in_box && misclassified; }
};

struct AdversarialReport {
  std::vector<AdversarialCheck> each;
  std::size_t in_ball = 0, in_box = 0, misclassified = 0, adversarial = 0;
};

// One perturbed image z against the true image x with label y.
AdversarialCheck check_adversarial(const std::function<int(const exact::Vector&)>& label, const exact::Vector& x, int y,
                                   const exact::Vector& z, const mpq_class& eps);

// Every row of `perturbed` against the same row of `originals`.
AdversarialReport verify_adversarial(const std::function<int(const exact::Vector&)>& label, const exact::Dataset& originals,
                                     const std::vector<exact::Vector>& perturbed, const mpq_class& eps);

// The float layer's projection made exact-safe for images of bytes k/255: per k, the
// float32 interval [lo_k, hi_k] of values z with |z - k/255| <= eps and 0 <= z <= 1,
// exactly (lo_k the least such float, hi_k the greatest). A PGD confined to it stays in
// the exact ball, which float32 arithmetic on x +- eps does not (README).
fp::PixelBox exact_pixel_box(const mpq_class& eps);

}  // namespace advdir::bridge
