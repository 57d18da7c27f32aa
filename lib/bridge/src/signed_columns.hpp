// The points y_i (x_i, 1) as the columns of a float LP or QP (COIN-OR CLP), shared by
// Gordan's LP and the max-margin QP.
#pragma once
#include "advdir/exact/dataset.hpp"

#include <coin/CoinTypes.hpp>

#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

namespace advdir::bridge {

// The bits of S's largest numerator (FLINT's is negative when some entry is).
inline slong max_bits(const exact::Dataset& S) { return std::abs(fmpz_mat_max_bits(S.X.get())); }

// Sparse columns in CLP's layout (12 bytes an entry: at 60,000 points a triplet form and a
// CoinPackedMatrix copy besides CLP's own would cost a gigabyte more).
struct Columns {
  std::vector<CoinBigIndex> starts{0};
  std::vector<int> index;
  std::vector<double> value;
  void add(int row, double v) { index.push_back(row), value.push_back(v); }
  void close() { starts.push_back(CoinBigIndex(index.size())); }
  int count() const { return int(starts.size()) - 1; }
};

// Point points[c] as column c: y_i X_ij 2^-bits on row row_of[j] (coordinates whose row_of is
// -1 are 0 on every point and left out), y_i on row `label_row` and, with sum_row, 1 on the
// row after it. The entries are S's numerators times a power of 2 that brings them into
// [-1, 1]: exact in a double up to 53 bits, so the float solver's basis is S's own (rounded
// data would move its vertex off S's, and the exact solve would find nothing there).
inline Columns lambda_columns(const exact::Dataset& S, const std::vector<std::size_t>& points, slong bits, const std::vector<int>& row_of,
                              int label_row, bool sum_row) {
  Columns t;
  for (std::size_t i : points) {
    const int y = S.labels[i];
    for (slong j = 0; j < S.X.cols(); ++j)
      if (!fmpz_is_zero(S.X.at(slong(i), j))) t.add(row_of[std::size_t(j)], y * std::ldexp(fmpz_get_d(S.X.at(slong(i), j)), int(-bits)));
    t.add(label_row, y);
    if (sum_row) t.add(label_row + 1, 1);
    t.close();
  }
  return t;
}

// y_i <w, x_i> for every point, x_i = X_i 2^-bits as in the columns (the QP's violated points,
// the LP's reduced costs).
inline std::vector<double> along(const exact::Dataset& S, const std::vector<double>& w, slong bits) {
  std::vector<double> out(S.size(), 0);
  for (std::size_t i = 0; i < S.size(); ++i) {
    double s = 0;
    for (slong j = 0; j < S.X.cols(); ++j)
      if (!fmpz_is_zero(S.X.at(slong(i), j))) s += w[std::size_t(j)] * std::ldexp(fmpz_get_d(S.X.at(slong(i), j)), int(-bits));
    out[i] = S.labels[i] * s;
  }
  return out;
}

// A row for each coordinate that is not 0 on every point of `subset` (a dense Cholesky needs
// them nonzero), and how many: row_of[j] is coordinate j's row, or -1.
inline std::pair<std::vector<int>, int> used_rows(const exact::Dataset& S, const std::vector<std::size_t>& subset) {
  std::vector<int> row_of(S.dim(), -1);
  int rows = 0;
  for (slong j = 0; j < S.X.cols(); ++j)
    for (std::size_t i : subset)
      if (!fmpz_is_zero(S.X.at(slong(i), j))) {
        row_of[std::size_t(j)] = rows++;
        break;
      }
  return {std::move(row_of), rows};
}

}  // namespace advdir::bridge
