#include "team.hpp"

#include "advdir/exact/json_io.hpp"

#include <ATen/Parallel.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>
#ifdef ADVDIR_HAVE_MPI
#include <mpi.h>
#endif

namespace advdir::torchnets {
namespace {

// Launched by mpirun (OpenMPI or a PMI launcher): then, and only then, MPI is joined.
bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

std::size_t ranks_on_this_machine() {
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  return local ? std::max(1, std::atoi(local)) : 1;
}

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

Team::Team(std::size_t threads) {
#ifdef ADVDIR_HAVE_MPI
  if (launched_by_mpi()) {
    join_mpi();
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
  }
#else
  // Ranks that cannot talk would each run the whole experiment into the same folder.
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (launched_by_mpi() && size && std::atoi(size) > 1)
    throw std::runtime_error("this advdir was built without MPI (libopenmpi-dev): run it without mpirun");
#endif
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  threads_ = threads ? threads : std::max<std::size_t>(1, cores / ranks_on_this_machine());
}

void Team::for_each(std::size_t n, const std::function<void(std::size_t)>& job) const {
  std::atomic<std::size_t> next{std::size_t(rank_)};
  std::atomic<bool> failed{false};
  std::exception_ptr first;
  std::mutex guard;
  auto worker = [&] {
    at::set_num_threads(1);  // one intra-op thread a unit: results independent of the team's shape
    for (std::size_t u; !failed && (u = next.fetch_add(std::size_t(ranks_))) < n;) try {
        job(u);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(guard);
        if (!first) first = std::current_exception();
        failed = true;
      }
  };
  const int caller_threads = at::get_num_threads();
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads_; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  at::set_num_threads(caller_threads);
  if (first) std::rethrow_exception(first);
}

void Team::share_file(const std::string& path, int owner) const {
#ifdef ADVDIR_HAVE_MPI
  if (ranks_ == 1) return;
  std::string bytes = rank_ == owner ? exact::read_file(path) : std::string();
  long long size = (long long)bytes.size();
  MPI_Bcast(&size, 1, MPI_LONG_LONG, owner, MPI_COMM_WORLD);
  bytes.resize(std::size_t(size));
  MPI_Bcast(bytes.data(), int(size), MPI_CHAR, owner, MPI_COMM_WORLD);
  if (!std::filesystem::exists(path)) exact::write_file_atomic(path, bytes);
#else
  (void)path, (void)owner;
#endif
}

void Team::sum(std::vector<long long>& values) const {
#ifdef ADVDIR_HAVE_MPI
  if (ranks_ > 1) MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()), MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
#else
  (void)values;
#endif
}

void Team::abort(const std::string& message) const {
  std::fprintf(stderr, "advdir: rank %d: %s\n", rank_, message.c_str());
#ifdef ADVDIR_HAVE_MPI
  if (ranks_ > 1) MPI_Abort(MPI_COMM_WORLD, 2);
#endif
  std::exit(2);
}

}  // namespace advdir::torchnets
