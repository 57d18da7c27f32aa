// The processes and threads that share the transfer experiment's work. Under `mpirun -n K`
// (in a build with MPI) there are K ranks; each runs its units on worker threads. Every
// unit runs on one thread with one intra-op libtorch thread, so its result does not
// depend on how many ranks or threads there are: a sharded run equals a single-process one.
#pragma once
#include "advdir/dist/ranks.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace advdir::torchnets {

class Team {
public:
  // threads: workers on this rank; 0 = this machine's cores divided among its ranks.
  explicit Team(std::size_t threads = 0);
  int rank() const { return ranks_.rank(); }
  int ranks() const { return ranks_.size(); }
  std::size_t threads() const { return threads_; }
  int owner(std::size_t unit) const { return int(unit % std::size_t(ranks())); }
  // The units of 0..n-1 this rank owns, each run once by job on a worker thread. The
  // first exception a job throws stops the workers and is rethrown here.
  void for_each(std::size_t n, const std::function<void(std::size_t)>& job) const;
  // Every rank gets the owner's copy of the file at path (a rank that has it keeps its own).
  void share_file(const std::string& path, int owner) const;
  // Element-wise sum over the ranks, in place on every rank.
  void sum(std::vector<long long>& values) const;
  // Ends the whole run after an error on one rank (the others would wait for it forever).
  [[noreturn]] void abort(const std::string& message) const;

private:
  dist::Ranks ranks_;
  std::size_t threads_ = 1;
};

}  // namespace advdir::torchnets
