// Perturbations within the l_inf ball of radius eps, clipped to [0, 1] (Section 7):
// PGD (sign steps, projection, clipping; it keeps the iterate of largest loss, so it is
// never worse than its start on its own loss), FGSM, and two kinds of random noise:
// random signs of size eps (a corner of the ball) and uniform in the ball.
#pragma once
#include "advdir/fp/images.hpp"
#include "advdir/fp/linear_svm.hpp"
#include "advdir/fp/pixel_box.hpp"

#include <cstdint>

namespace advdir::fp {

// A classifier an attack can ascend: its loss at (x, y) per row and the loss's gradient
// in x. For a linear SVM the loss is the multi-class hinge max_{j != y} s_j - s_y on its
// one-vs-rest scores (the margin by which the best wrong class wins).
class Attackable {
public:
  virtual ~Attackable() = default;
  virtual std::size_t dim() const = 0;
  // loss[i] for each of n rows; grad (n x dim) when not null.
  virtual void loss(const float* x, const int* y, std::size_t n, float* loss, float* grad) const = 0;
};

class SvmLoss : public Attackable {
public:
  explicit SvmLoss(const LinearSvm& svm) : svm_(svm) {}
  std::size_t dim() const override { return svm_.dim(); }
  void loss(const float* x, const int* y, std::size_t n, float* loss, float* grad) const override;

private:
  const LinearSvm& svm_;
};

enum class Attack { pgd, fgsm, random_sign, random_uniform };
Attack attack_from_name(const std::string& name);  // pgd | fgsm | random_sign | random_uniform
const char* attack_name(Attack a);

struct AttackOptions {
  float eps = 0.1f;
  int steps = 40;       // PGD
  float step = 0.01f;   // PGD
  std::uint64_t seed = 1;  // random noise
  const PixelBox* box = nullptr;  // then every pixel must be a byte's k/255
};

// The perturbed copy of `points` (model may be null for the random kinds).
std::vector<float> perturb(const Attackable* model, const Images& points, Attack kind, const AttackOptions& options);

// Projection onto {z : |z - x|_inf <= eps} intersected with [0, 1], coordinate by coordinate.
inline float project(float z, float x, float eps) {
  const float lo = x - eps > 0 ? x - eps : 0, hi = x + eps < 1 ? x + eps : 1;
  return z < lo ? lo : z > hi ? hi : z;
}

}  // namespace advdir::fp
