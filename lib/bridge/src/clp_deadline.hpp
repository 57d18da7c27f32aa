// A wall-clock limit for CLP's barrier, looked at every iteration. With setMaximumSeconds
// the max-margin QP on all 12,000 points of a Fashion-MNIST pair was still running at 57 s
// of a 10 s limit, inside the KKT ordering, which no limit interrupts (the QP now runs on a
// working set, where the ordering is short).
#pragma once
#include <coin/ClpEventHandler.hpp>

#include <chrono>

namespace advdir::bridge {

// Stops the barrier at the first iteration that starts after `seconds` from now (CLP then
// reports status 5, which the callers read as "no answer").
class ClpDeadline : public ClpEventHandler {
public:
  explicit ClpDeadline(double seconds)
      : end_(std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds))) {}
  int event(Event which) override { return which == endOfIteration && std::chrono::steady_clock::now() > end_ ? 0 : -1; }
  ClpEventHandler* clone() const override { return new ClpDeadline(*this); }

private:
  std::chrono::steady_clock::time_point end_;
};

}  // namespace advdir::bridge
