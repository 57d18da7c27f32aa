// A float becomes the exact rational it is (a dyadic number); NaN and infinities are refused.
#pragma once
#include <gmpxx.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace advdir::bridge {

inline mpq_class exact_float(double v, const std::string& what) {
  if (std::isnan(v) || std::isinf(v)) throw std::invalid_argument(what + ": " + std::to_string(v) + " is not a finite weight");
  return mpq_class(v);
}

}  // namespace advdir::bridge
