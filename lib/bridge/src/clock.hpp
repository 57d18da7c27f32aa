// Wall-clock seconds for the solvers' budgets and reports.
#pragma once
#include <algorithm>
#include <chrono>

namespace advdir::bridge {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A budget of `limit` seconds from now; 0: no limit.
class Budget {
public:
  explicit Budget(double limit) : start_(std::chrono::steady_clock::now()), limit_(limit) {}
  bool spent() const { return limit_ > 0 && seconds_since(start_) >= limit_; }
  // The seconds left, for a solver's max_seconds: 0 when there is no limit (what the solvers
  // read as none), so at least a millisecond while there is one.
  double left() const { return limit_ > 0 ? std::max(limit_ - seconds_since(start_), 1e-3) : 0; }
  double elapsed() const { return seconds_since(start_); }

private:
  std::chrono::steady_clock::time_point start_;
  double limit_;
};

}  // namespace advdir::bridge
