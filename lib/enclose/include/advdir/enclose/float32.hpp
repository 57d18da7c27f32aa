// The float32 a tool feeding float32 to a runtime evaluates: a rational rounded to the
// nearest binary32 (ties to even, subnormals included), returned as the exact dyadic
// rational that float is. MPFR does the rounding, with float32's exponent range.
#pragma once
#include <gmpxx.h>

#include <optional>

namespace advdir::enclose {

// std::nullopt when the value overflows float32 (rounds to an infinity).
std::optional<mpq_class> nearest_float32(const mpq_class& q);

}  // namespace advdir::enclose
