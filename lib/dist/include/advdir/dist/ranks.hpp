// The processes of one run: under `mpirun -n K` (in a build with OpenMPI) K ranks that
// share the work and meet to combine it; otherwise one. Used by the transfer experiment
// and by `advdir vnnlib check-results`; each shards units by index, so that a sharded
// run writes what a single process writes.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace advdir::dist {

class Ranks {
public:
  // Joins MPI when launched by mpirun, once per process; refuses to run several ranks
  // in a build without MPI (they could not talk, and would each do the whole run).
  Ranks();
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Whether this rank owns unit u of a sharded loop.
  bool owns(std::size_t u) const { return u % std::size_t(size_) == std::size_t(rank_); }
  // The owner's bytes, on every rank.
  void broadcast(std::string& bytes, int owner) const;
  // Element-wise sum over the ranks, in place on every rank.
  void sum(std::vector<long long>& values) const;
  // Units 0..n-1 shared out by index: this rank runs unit(u) for each u it owns, and rank
  // 0 receives every unit's result in unit order (the other ranks an empty vector). An
  // exception on one of several ranks ends the whole run (abort); on one rank it is rethrown.
  std::vector<std::string> map(std::size_t n, const std::function<std::string(std::size_t)>& unit) const;
  // Ends the whole run after an error on one rank (the others would wait for it forever).
  [[noreturn]] void abort(const std::string& message) const;

private:
  // Every rank's string, in rank order, on rank 0 (empty on the others).
  std::vector<std::string> gather(const std::string& mine) const;

  int rank_ = 0, size_ = 1;
};

}  // namespace advdir::dist
