// The checker's own reading of a VNNLIB property (VNN-COMP's subset of SMT-LIB):
// declare-const of X_i and Y_j as Real, assert of <=, <, >=, > between terms built
// from variables, decimal constants, +, - and *, under and / or. It keeps the parsed
// expressions and evaluates them at a point; no normal form, no code shared with
// lib/exact's reader.
#pragma once
#include "fields.hpp"

namespace advdir::check::detail {

struct Expr {
  enum class Kind { number, x, y, apply } kind = Kind::number;
  mpq_class value;       // number
  std::size_t index = 0; // x, y
  std::string op;        // apply: and, or, <=, <, >=, >, +, -, *
  std::vector<Expr> args;
};

struct VnnProperty {
  std::size_t inputs = 0, outputs = 0;
  std::vector<Expr> asserts;
};

// Invalid "WHAT:LINE:COL: ..." on anything outside the subset.
VnnProperty read_vnnlib(const std::string& text, const std::string& what);

// Whether every assertion holds at inputs x and outputs y (exact).
bool satisfies(const VnnProperty& p, const Vec& x, const Vec& y);

}  // namespace advdir::check::detail
