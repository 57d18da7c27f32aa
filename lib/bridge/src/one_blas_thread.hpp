// CLP's dense factorizations call LAPACK, and Debian's OpenBLAS (its OpenMP build) runs each
// call on every core: on a basis of 786 rows its threads mostly wait and spin, on the core a
// second rank or the rest of the machine needs (Fashion-MNIST coat / shirt's LP, the other
// core busy: 31.3 s with them, 12.2 s with one thread).
#pragma once

namespace advdir::bridge {

// While it lives, OpenBLAS, when it is the BLAS loaded, runs on one thread; then on as many
// as before. Any other BLAS is left as it is.
class OneBlasThread {
public:
  OneBlasThread();
  ~OneBlasThread();
  OneBlasThread(const OneBlasThread&) = delete;
  OneBlasThread& operator=(const OneBlasThread&) = delete;

private:
  void (*set_)(int) = nullptr;
  int before_ = 1;
};

}  // namespace advdir::bridge
