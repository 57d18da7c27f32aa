// Sums of integer products in one 128-bit accumulator, where bit lengths prove they fit:
// with |a| < 2^a_bits and |b| < 2^b_bits, a sum of n products lies below
// 2^(a_bits + b_bits + bits(n)), exact in a signed 128-bit integer up to 2^126 (shared by
// the layered walk, relu.cpp, and the graph engine, graph.cpp).
#pragma once
#include <flint/fmpz.h>

#include <cstddef>

namespace advdir::exact {

using Wide = __int128;

inline bool sums_fit_wide(std::size_t a_bits, std::size_t b_bits, std::size_t terms) {
  return a_bits + b_bits + std::size_t(FLINT_BIT_COUNT(ulong(terms))) <= 126;
}

// f, which must fit in 128 bits signed.
inline Wide to_wide(const fmpz* f) {
  ulong hi, lo;
  fmpz_get_signed_uiui(&hi, &lo, f);
  return Wide((unsigned __int128)hi << 64 | lo);
}

inline void set_wide(fmpz* f, Wide v) {
  const auto u = static_cast<unsigned __int128>(v);
  fmpz_set_signed_uiui(f, ulong(u >> 64), ulong(u));
}

}  // namespace advdir::exact
