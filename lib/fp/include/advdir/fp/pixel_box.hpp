// Where an attack may move each pixel of an image of bytes k/255.
#pragma once
#include <array>

namespace advdir::fp {

// Per pixel byte k: the interval [lo_k, hi_k] the perturbed pixel must stay in, in place of
// [x - eps, x + eps] cut to [0, 1] in float32 (bridge::exact_pixel_box makes the one that
// is exact-safe).
struct PixelBox {
  std::array<float, 256> lo, hi;
};

}  // namespace advdir::fp
