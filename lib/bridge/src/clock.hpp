// Wall-clock seconds for the solvers' budgets and reports.
#pragma once
#include <chrono>

namespace advdir::bridge {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace advdir::bridge
