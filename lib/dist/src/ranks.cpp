#include "advdir/dist/ranks.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#ifdef ADVDIR_HAVE_MPI
#include <mpi.h>
#endif

namespace advdir::dist {
namespace {

// Launched by mpirun (OpenMPI or a PMI launcher): then, and only then, MPI is joined.
bool launched_by_mpi() { return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK"); }

#ifdef ADVDIR_HAVE_MPI
// MPI is initialised once per process and finalised at exit.
void join_mpi() {
  int ready = 0;
  MPI_Initialized(&ready);
  if (ready) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  std::atexit([] {
    int done = 0;
    MPI_Finalized(&done);
    if (!done) MPI_Finalize();
  });
}
#endif

}  // namespace

Ranks::Ranks() {
#ifdef ADVDIR_HAVE_MPI
  if (launched_by_mpi()) {
    join_mpi();
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
#else
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (launched_by_mpi() && size && std::atoi(size) > 1)
    throw std::runtime_error("this advdir was built without MPI (libopenmpi-dev): run it without mpirun");
#endif
}

void Ranks::broadcast(std::string& bytes, int owner) const {
#ifdef ADVDIR_HAVE_MPI
  if (size_ == 1) return;
  long long n = (long long)bytes.size();
  MPI_Bcast(&n, 1, MPI_LONG_LONG, owner, MPI_COMM_WORLD);
  bytes.resize(std::size_t(n));
  MPI_Bcast(bytes.data(), int(n), MPI_CHAR, owner, MPI_COMM_WORLD);
#else
  (void)bytes, (void)owner;
#endif
}

void Ranks::sum(std::vector<long long>& values) const {
#ifdef ADVDIR_HAVE_MPI
  if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()), MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
#else
  (void)values;
#endif
}

std::vector<std::string> Ranks::gather(const std::string& mine) const {
#ifdef ADVDIR_HAVE_MPI
  if (size_ > 1) {
    int n = int(mine.size());
    const std::size_t ranks = std::size_t(size_);
    std::vector<int> sizes(ranks, 0), offsets(ranks, 0);
    MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::string all;
    if (rank_ == 0) {
      long long total = 0;
      for (int r = 0; r < size_; ++r) offsets[std::size_t(r)] = int(total), total += sizes[std::size_t(r)];
      if (total > 0x7fffffff) abort("the ranks' results exceed 2 GiB");
      all.resize(std::size_t(total));
    }
    MPI_Gatherv(mine.data(), n, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
    std::vector<std::string> out;
    if (rank_ == 0)
      for (int r = 0; r < size_; ++r) out.push_back(all.substr(std::size_t(offsets[std::size_t(r)]), std::size_t(sizes[std::size_t(r)])));
    return out;
  }
#endif
  return {mine};
}

std::vector<std::string> Ranks::map(std::size_t n, const std::function<std::string(std::size_t)>& unit) const {
  std::string mine;  // per unit owned: "u size\n" and the result's bytes
  try {
    for (std::size_t u = 0; u < n; ++u)
      if (owns(u)) {
        const std::string r = unit(u);
        mine += std::to_string(u) + " " + std::to_string(r.size()) + "\n" + r;
      }
  } catch (const std::exception& e) {
    if (size_ == 1) throw;
    abort(e.what());
  }
  std::vector<std::string> out;
  if (rank_ == 0) out.resize(n);
  for (const std::string& part : gather(mine))
    for (std::size_t at = 0; at < part.size();) {
      const std::size_t space = part.find(' ', at), line = part.find('\n', at);
      const std::size_t u = std::stoul(part.substr(at, space - at)), size = std::stoul(part.substr(space + 1, line - space - 1));
      out.at(u) = part.substr(line + 1, size);
      at = line + 1 + size;
    }
  return out;
}

void Ranks::abort(const std::string& message) const {
  std::fprintf(stderr, "advdir: rank %d: %s\n", rank_, message.c_str());
#ifdef ADVDIR_HAVE_MPI
  if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, 2);
#endif
  std::exit(2);
}

}  // namespace advdir::dist
