// VNNLIB properties (the VNN-COMP subset) and counterexample files, read exactly: every
// constant is the rational its decimal denotes. A property lists assertions over the
// net's inputs X_i and outputs Y_j; a counterexample is an X, with the Y a tool computed,
// that satisfies all of them.
#pragma once
#include "advdir/exact/rational.hpp"
#include "advdir/exact/relu.hpp"

#include <map>
#include <string>
#include <vector>

namespace advdir::exact::vnnlib {

// A variable: X_i (input) or Y_j (output).
struct Var {
  char kind;  // 'X' or 'Y'
  std::size_t index;
  auto operator<=>(const Var&) const = default;
};

// sum coef * var + constant.
struct Term {
  std::map<Var, mpq_class> coef;
  mpq_class constant;
};

enum class Cmp { le, lt, ge, gt };

// lhs op rhs, kept as d = lhs - rhs: holds when d <= 0, d < 0, d >= 0 or d > 0.
struct Atom {
  Cmp op;
  Term d;
  std::string text;  // as written, for messages
  std::size_t line = 0, column = 0;
};

struct Formula {
  enum class Kind { atom, all, any } kind = Kind::atom;  // an atom, (and ...), (or ...)
  Atom atom;
  std::vector<Formula> parts;
};

struct Property {
  std::size_t inputs = 0, outputs = 0;  // the declared X_0..X_{n-1}, Y_0..Y_{m-1}
  std::vector<Formula> asserts;
};

// Reads the text (plain or gzip bytes); InputError "SOURCE:LINE:COL: ..." on anything
// outside the subset: declare-const of X_i / Y_j as Real, assert of <=, <, >=, > between
// variables, decimal constants and linear terms (+, -, * by a constant), and, or, comments.
Property parse(const std::string& text, const std::string& source);
Property read(const std::string& path);

// A counterexample file: ((X_0 v) ... (Y_0 v) ...), plain or gzip, after an optional result
// line "sat" (or 2021's "violated"); the values as written.
struct Assignment {
  std::vector<mpq_class> x, y;
  std::vector<bool> has_y;  // which Y_j the file gives
};
Assignment read_counterexample(const std::string& path, const Property& p);

// The value of d at (x, y), and whether an atom holds there.
mpq_class value(const Term& t, const Vector& x, const Vector& y);
bool holds(const Atom& a, const Vector& x, const Vector& y);
bool holds(const Formula& f, const Vector& x, const Vector& y);

// How far an atom is inside its half-space: rhs - lhs for <= and <, lhs - rhs for >= and >.
// It holds when slack >= 0 (> 0 for a strict comparison); a violated atom misses by -slack.
mpq_class slack(const Atom& a, const Vector& x, const Vector& y);
// The least slack of the atoms of an (and ...), the greatest over the parts of an (or ...).
mpq_class slack(const Formula& f, const Vector& x, const Vector& y);

// Holds when every atom's slack may be as low as -tol: the competition's replay rule.
bool holds_within(const Formula& f, const Vector& x, const Vector& y, const mpq_class& tol);

// Which variables a formula reads: 'X', 'Y' or 'B' (both).
char reads(const Formula& f);

// A counterexample file's text: "sat", then ((X_0 v) ... (Y_0 v) ...), every value exact:
// a decimal when it has a finite one, else (/ p q), negated as (- v). read_counterexample
// reads it back.
std::string counterexample_text(const Vector& x, const Vector& y);

// An exact counterexample near a given X, or none (item 4 of issue 17). The property is
// taken as the disjunction of its terms (its disjunctive normal form); a term whose atoms
// on single inputs bound every X_i is a box. Box by box, nearest to X first (sup norm):
//   1. X clamped into the box, when every assertion holds there;
//   2. else the segment from the box's centre through the clamped X, and the one along
//      X - centre, each up to the box's boundary: the first point where every atom of the
//      term holds, found exactly piece by piece between the net's ReLU kinks.
struct Repair {
  bool found = false;
  Vector x, y;               // the counterexample and the net's exact outputs there
  std::string how;           // what was done, in words
  std::size_t boxes = 0, tried = 0;  // the property's boxes, and how many were searched
};
Repair repair(const ReluNet& net, const Property& p, const Vector& x);

}  // namespace advdir::exact::vnnlib
