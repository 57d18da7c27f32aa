#include "advdir/bridge/adversarial.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"
#include "exact_float.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace advdir::bridge {

std::vector<exact::Vector> read_float32_rows(const std::string& path, std::size_t d) {
  const std::string bytes = exact::read_file(path);
  if (d == 0 || bytes.size() % (d * sizeof(float)))
    throw InputError(path, std::to_string(bytes.size()) + " bytes: not whole rows of " + std::to_string(d) + " float32 values");
  std::vector<exact::Vector> rows(bytes.size() / (d * sizeof(float)), exact::Vector(d));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < d; ++j) {
      float v;
      std::memcpy(&v, bytes.data() + (i * d + j) * sizeof(float), sizeof(float));
      try {
        rows[i][j] = exact_float(v, "row " + std::to_string(i + 1) + ", entry " + std::to_string(j + 1));
      } catch (const std::invalid_argument& e) {
        throw InputError(path, e.what());
      }
    }
  return rows;
}

AdversarialCheck check_adversarial(const std::function<int(const exact::Vector&)>& label, const exact::Vector& x, int y,
                                   const exact::Vector& z, const mpq_class& eps) {
  AdversarialCheck c;
  c.in_box = true;
  for (std::size_t j = 0; j < z.size(); ++j) {
    c.linf = std::max(c.linf, mpq_class(abs(z[j] - x[j])));
    c.in_box = c.in_box && z[j] >= 0 && z[j] <= 1;
  }
  c.in_ball = c.linf <= eps;
  c.label = label(z);
  c.misclassified = c.label != y;
  return c;
}

AdversarialReport verify_adversarial(const std::function<int(const exact::Vector&)>& label, const exact::Dataset& originals,
                                     const std::vector<exact::Vector>& perturbed, const mpq_class& eps) {
  if (perturbed.size() != originals.size())
    throw InputError(originals.source, std::to_string(originals.size()) + " images, but " + std::to_string(perturbed.size()) + " perturbed ones");
  AdversarialReport r;
  for (std::size_t i = 0; i < perturbed.size(); ++i) {
    if (perturbed[i].size() != originals.dim()) throw InputError(originals.source, "the perturbed images have another dimension");
    AdversarialCheck c = check_adversarial(label, originals.point(i), originals.labels[i], perturbed[i], eps);
    r.in_ball += c.in_ball, r.in_box += c.in_box, r.misclassified += c.misclassified, r.adversarial += c.adversarial();
    r.each.push_back(std::move(c));
  }
  return r;
}

namespace {

// The least float32 >= q (up) or the greatest <= q (down), for q in [0, 1].
float float_toward(const mpq_class& q, bool up) {
  const float inf = std::numeric_limits<float>::infinity();
  float f = float(q.get_d());
  while (up ? mpq_class(f) < q : mpq_class(f) > q) f = std::nextafter(f, up ? inf : -inf);
  for (float g = std::nextafter(f, up ? -inf : inf); up ? mpq_class(g) >= q : mpq_class(g) <= q; g = std::nextafter(g, up ? -inf : inf)) f = g;
  return f;
}

}  // namespace

fp::PixelBox exact_pixel_box(const mpq_class& eps) {
  fp::PixelBox box;
  for (int k = 0; k < 256; ++k) {
    mpq_class x(k, 255);
    x.canonicalize();
    box.lo[std::size_t(k)] = float_toward(std::max(mpq_class(0), mpq_class(x - eps)), true);
    box.hi[std::size_t(k)] = float_toward(std::min(mpq_class(1), mpq_class(x + eps)), false);
  }
  return box;
}

}  // namespace advdir::bridge
