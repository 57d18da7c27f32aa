// What the libtorch nets share.
#pragma once
#include "advdir/fp/images.hpp"

#include <gmpxx.h>

#include <mutex>

namespace advdir::torchnets {

// A float32 weight as the rational it is; NaN and infinities are fp::DataErrors.
mpq_class exact_weight(float v);

// libtorch draws initial weights and dropout masks from one process-wide generator: one
// seeded construction or training at a time, so that the seed alone decides the net even
// when threads train nets side by side.
std::mutex& torch_generator();

}  // namespace advdir::torchnets
