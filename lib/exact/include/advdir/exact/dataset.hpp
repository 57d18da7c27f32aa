// Exact labelled data S = {(x_i, y_i)}: points stored as integers over one denominator.
#pragma once
#include "advdir/exact/int_matrix.hpp"
#include "advdir/exact/rational.hpp"

#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace advdir::exact {

struct Dataset {
  std::string source;       // where it came from, for messages
  std::vector<int> labels;  // +1/-1 (binary) or 0..K-1 (multi-class)
  IntMatrix X;              // numerators, one row a point
  mpz_class den = 1;        // common denominator: x_i = X_i / den

  std::size_t size() const { return labels.size(); }
  std::size_t dim() const { return std::size_t(X.cols()); }
  mpq_class x(std::size_t i, std::size_t j) const;
  Vector point(std::size_t i) const;
  bool is_binary() const;  // every label is +1 or -1
};

// How pixels of an IDX file become numbers: k/255 (the default) or the integer k.
enum class IdxScale { unit, raw };

// Where a dataset comes from; a certificate records it so that the checker can reload it.
struct DataSpec {
  enum class Format { text, idx, inline_points } format = Format::text;
  std::string path;                           // text
  std::string images, labels;                 // idx
  IdxScale scale = IdxScale::unit;            // idx
  std::optional<std::pair<int, int>> pair;    // binary subproblem: first -> +1, second -> -1
                                              // (second == rest: every other class -> -1)
};

// Reads `label,x1,...,xd` lines; `#` starts a comment; blank lines are skipped.
Dataset parse_text_dataset(std::istream& in, const std::string& source);
Dataset read_text_dataset(const std::string& path);

// Reads an IDX image file (ubyte, 2 or more dimensions) and its IDX label file, plain or gzip.
Dataset read_idx_dataset(const std::string& images, const std::string& labels, IdxScale scale);

// The points labelled `positive` (as +1) and `negative` (as -1), in their original order;
// negative == rest takes every other class as -1. No label can be rest: labels are
// >= -1 (text) or bytes (IDX), so "--pair K,-1" always means the class -1.
inline constexpr int rest = std::numeric_limits<int>::min();
Dataset binary_pair(const Dataset& data, int positive, int negative);

Dataset load_dataset(const DataSpec& spec);

// Throws InputError unless every label is +1 or -1; HypothesisError if one class is empty.
void require_binary(const Dataset& data);

// Builds a dataset from rational points (all of the same dimension).
Dataset make_dataset(const std::vector<Vector>& points, const std::vector<int>& labels,
                     const std::string& source);

}  // namespace advdir::exact
