// Integer matrices (FLINT fmpz_mat) owned RAII-style: the storage of exact data.
// A rational matrix is kept as integers over one common denominator (DESIGN.md, Numbers).
#pragma once
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <gmpxx.h>

#include <cstddef>
#include <utility>

namespace advdir::exact {

class IntMatrix {
public:
  IntMatrix() : IntMatrix(0, 0) {}
  IntMatrix(std::size_t rows, std::size_t cols) { fmpz_mat_init(m_, slong(rows), slong(cols)); }
  IntMatrix(const IntMatrix& o) {
    fmpz_mat_init(m_, o.rows(), o.cols());
    fmpz_mat_set(m_, o.m_);
  }
  IntMatrix(IntMatrix&& o) noexcept : IntMatrix(0, 0) { fmpz_mat_swap(m_, o.m_); }
  IntMatrix& operator=(IntMatrix o) noexcept {
    fmpz_mat_swap(m_, o.m_);
    return *this;
  }
  ~IntMatrix() { fmpz_mat_clear(m_); }

  slong rows() const { return fmpz_mat_nrows(m_); }
  slong cols() const { return fmpz_mat_ncols(m_); }
  fmpz* at(slong i, slong j) { return fmpz_mat_entry(m_, i, j); }
  const fmpz* at(slong i, slong j) const { return fmpz_mat_entry(m_, i, j); }
  fmpz* row(slong i) { return m_->rows[i]; }
  const fmpz* row(slong i) const { return m_->rows[i]; }
  fmpz_mat_struct* get() { return m_; }
  const fmpz_mat_struct* get() const { return m_; }

private:
  fmpz_mat_t m_;
};

// RAII integer scalar for FLINT calls.
class Int {
public:
  Int() { fmpz_init(v_); }
  explicit Int(const mpz_class& z) : Int() { fmpz_set_mpz(v_, z.get_mpz_t()); }
  Int(const Int& o) : Int() { fmpz_set(v_, o.v_); }
  Int& operator=(const Int& o) {
    fmpz_set(v_, o.v_);
    return *this;
  }
  ~Int() { fmpz_clear(v_); }
  fmpz* get() { return v_; }
  const fmpz* get() const { return v_; }
  mpz_class mpz() const {
    mpz_class z;
    fmpz_get_mpz(z.get_mpz_t(), v_);
    return z;
  }

private:
  fmpz_t v_;
};

inline mpz_class to_mpz(const fmpz* f) {
  mpz_class z;
  fmpz_get_mpz(z.get_mpz_t(), f);
  return z;
}

}  // namespace advdir::exact
