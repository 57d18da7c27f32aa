// The graph engine's insides (graph.hpp, GraphEngine), shared by its evaluation
// (graph_engine.cpp) and its incremental ray walk (graph_walk.cpp): values as integers
// over one denominator per tensor, nodes compiled to integers, the affine kernels.
#pragma once
#include "advdir/exact/graph.hpp"
#include "advdir/exact/graph_loops.hpp"
#include "advdir/exact/int_matrix.hpp"
#include "wide.hpp"

#include <cstddef>
#include <vector>

namespace advdir::exact::engine {

// A value num / den (den > 0), entry by entry.
struct Ints {
  std::vector<Int> num;
  Int den;
};

Ints to_ints(const Vector& q);

// InputError(what, ...) unless x has n entries.
void check_size(const Vector& x, std::size_t n, const char* what);

// A node with its weights over the integers.
struct Compiled {
  std::vector<Int> w, b;  // dense (row-major), conv kernel or scale's a; bias or c
  Int wd, bd;
  std::vector<Wide> wide;  // dense and conv: w in 128 bits, when |w| < 2^w_bits <= 2^120
  std::size_t w_bits = 0;
  std::vector<std::vector<Cell>> windows;          // pools
  std::vector<std::vector<std::size_t>> windows_at;  // maxpool: the windows holding each input entry
  std::vector<Int> mult;                           // avgpool: lcm(divisors) / divisor
  Int mult_den;
};

Compiled compile(const GraphNode& n, const std::string& node);

// The loops' ring operations (graph_loops.hpp) on FLINT's integers and in 128 bits.
struct IntRing {
  static void mul_add(Int& d, const Int& a, const Int& b) { fmpz_addmul(d.get(), a.get(), b.get()); }
  static void mul_add(Wide& d, Wide a, Wide b) { d += a * b; }
  static bool is_zero(const Int& a) { return fmpz_is_zero(a.get()); }
  static bool is_zero(Wide a) { return a == 0; }
};

// A node's affine part on its inputs; bias false: its linear part alone (a ray's slope);
// reduced: num and den divided by their common factor, else the denominator depends on the
// inputs' denominators alone (the walk's deltas rely on it).
void affine(const GraphNode& n, const Compiled& c, const std::vector<const Ints*>& xs, bool bias, bool reduced, Ints& out);

// ReLU's choice just past a point along a ray: on when the value is > 0, or 0 with slope > 0.
inline bool relu_on(int value_sign, int slope_sign) { return value_sign > 0 || (value_sign == 0 && slope_sign > 0); }

// Every value of g at x (slope == nullptr); or, with (*slope)[0] the ray's direction,
// every value and its slope along the ray, each ReLU and window choosing as just past x.
// Each over its own least denominator, max-pool and ReLU outputs over their input's.
std::vector<Ints> forward(const Graph& g, const std::vector<Compiled>& nodes, const Vector& x, std::vector<Ints>* slope);

// The position in `cells` of the first largest entry of x, or just past x along d.
std::size_t first_largest_at(const std::vector<Cell>& cells, const Ints& x, const Ints* d);

}  // namespace advdir::exact::engine

namespace advdir::exact {

struct GraphEngine::Impl {
  Graph g;
  std::vector<engine::Compiled> nodes;
};

}  // namespace advdir::exact
