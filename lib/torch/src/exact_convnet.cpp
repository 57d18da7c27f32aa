#include "exact_convnet.hpp"

#include "advdir/exact/int_matrix.hpp"

#include <cmath>
#include <stdexcept>

namespace advdir::torchnets {
namespace {

using exact::IntMatrix;

// v = m 2^-s exactly, with m an integer of at most 24 bits (frexp: v = f 2^e, f 2^24 whole).
long shift_of(float v, long* mantissa) {
  if (!std::isfinite(v)) throw std::invalid_argument("exact evaluation: a weight or pixel is not finite");
  if (v == 0) return *mantissa = 0, 0;
  int e = 0;
  const float f = std::frexp(v, &e);
  *mantissa = std::lround(std::ldexp(double(f), 24));
  return 24 - e;
}

// The least E >= 0 with every v_i 2^E an integer.
long exponent_of(const float* v, std::size_t n, long E = 0) {
  long m = 0;
  for (std::size_t i = 0; i < n; ++i) E = std::max(E, shift_of(v[i], &m));
  return E;
}

// out = v 2^E (an integer, since E >= v's shift).
void set_scaled(fmpz* out, float v, long E) {
  long m = 0;
  const long s = shift_of(v, &m);
  fmpz_set_si(out, m);
  fmpz_mul_2exp(out, out, ulong(E - s));
}

// Integers over 2^E: rows are images, columns the layer's values in the float layout.
struct Scaled {
  IntMatrix N;
  long E = 0;
};

Scaled scaled_images(const float* x, std::size_t n, std::size_t d) {
  Scaled s{IntMatrix(n, d), exponent_of(x, n * d)};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) set_scaled(s.N.at(slong(i), slong(j)), x[i * d + j], s.E);
  return s;
}

// rows of `in` (k columns, over 2^E) -> in W^T + b, over 2^(E + E_w): W (m x k) and b
// over one 2^E_w, b raised to the product's power of two.
Scaled affine(const Scaled& in, const float* W, const float* b, std::size_t m, std::size_t k) {
  const long Ew = exponent_of(b, m, exponent_of(W, m * k));
  IntMatrix Wt(k, m);
  for (std::size_t r = 0; r < m; ++r)
    for (std::size_t c = 0; c < k; ++c) set_scaled(Wt.at(slong(c), slong(r)), W[r * k + c], Ew);
  Scaled out{IntMatrix(std::size_t(in.N.rows()), m), in.E + Ew};
  fmpz_mat_mul(out.N.get(), in.N.get(), Wt.get());
  exact::Int bias;
  for (std::size_t r = 0; r < m; ++r) {
    set_scaled(bias.get(), b[r], out.E);
    for (slong i = 0; i < out.N.rows(); ++i) fmpz_add(out.N.at(i, slong(r)), out.N.at(i, slong(r)), bias.get());
  }
  return out;
}

void relu(Scaled& s) {
  for (slong i = 0; i < s.N.rows(); ++i)
    for (slong j = 0; j < s.N.cols(); ++j)
      if (fmpz_sgn(s.N.at(i, j)) < 0) fmpz_zero(s.N.at(i, j));
}

// A valid k x k convolution of images with C channels of side `side` ([c][y][x] columns),
// then 2 x 2 max-pooling and ReLU: the result's columns are [co][y][x] again.
Scaled conv_pool_relu(const Scaled& in, std::size_t C, std::size_t side, const float* W, const float* b, std::size_t Cout) {
  const std::size_t k = 5, o = side - k + 1, n = std::size_t(in.N.rows());
  Scaled patches{IntMatrix(n * o * o, C * k * k), in.E};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t y = 0; y < o; ++y)
      for (std::size_t x = 0; x < o; ++x)
        for (std::size_t c = 0; c < C; ++c)
          for (std::size_t dy = 0; dy < k; ++dy)
            for (std::size_t dx = 0; dx < k; ++dx)
              fmpz_set(patches.N.at(slong((i * o + y) * o + x), slong((c * k + dy) * k + dx)),
                       in.N.at(slong(i), slong((c * side + y + dy) * side + x + dx)));
  const Scaled conv = affine(patches, W, b, Cout, C * k * k);  // rows (image, y, x), columns co
  const std::size_t p = o / 2;
  Scaled out{IntMatrix(n, Cout * p * p), conv.E};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < Cout; ++c)
      for (std::size_t y = 0; y < p; ++y)
        for (std::size_t x = 0; x < p; ++x) {
          fmpz* best = out.N.at(slong(i), slong((c * p + y) * p + x));
          fmpz_set(best, conv.N.at(slong((i * o + 2 * y) * o + 2 * x), slong(c)));
          for (std::size_t d = 1; d < 4; ++d) {
            const fmpz* v = conv.N.at(slong((i * o + 2 * y + d / 2) * o + 2 * x + d % 2), slong(c));
            if (fmpz_cmp(v, best) > 0) fmpz_set(best, v);
          }
        }
  relu(out);
  return out;
}

std::vector<int> first_largest(const Scaled& scores) {
  std::vector<int> out;
  for (slong i = 0; i < scores.N.rows(); ++i) {
    slong best = 0;
    for (slong j = 1; j < scores.N.cols(); ++j)
      if (fmpz_cmp(scores.N.at(i, j), scores.N.at(i, best)) > 0) best = j;
    out.push_back(int(best));
  }
  return out;
}

}  // namespace

std::vector<int> exact_mlp_labels(const std::vector<FloatLayer>& layers, const float* x, std::size_t n) {
  Scaled s = scaled_images(x, n, layers.front().in);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    s = affine(s, layers[l].W.data(), layers[l].b.data(), layers[l].out, layers[l].in);
    if (l + 1 < layers.size()) relu(s);
  }
  return first_largest(s);
}

std::vector<int> exact_convnet_labels(const ConvnetWeights& w, const float* x, std::size_t n) {
  Scaled s = scaled_images(x, n, 784);
  s = conv_pool_relu(s, 1, 28, w.w1.data(), w.b1.data(), 10);
  s = conv_pool_relu(s, 10, 12, w.w2.data(), w.b2.data(), 20);
  s = affine(s, w.f1.data(), w.g1.data(), 50, 320);
  relu(s);
  return first_largest(affine(s, w.f2.data(), w.g2.data(), 10, 50));
}

}  // namespace advdir::torchnets
