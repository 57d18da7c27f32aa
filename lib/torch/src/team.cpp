#include "team.hpp"

#include "advdir/exact/json_io.hpp"

#include <ATen/Parallel.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

namespace advdir::torchnets {
namespace {

std::size_t ranks_on_this_machine() {
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  return local ? std::max(1, std::atoi(local)) : 1;
}

}  // namespace

Team::Team(std::size_t threads) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  threads_ = threads ? threads : std::max<std::size_t>(1, cores / ranks_on_this_machine());
}

void Team::for_each(std::size_t n, const std::function<void(std::size_t)>& job) const {
  std::atomic<std::size_t> next{std::size_t(rank())};
  std::atomic<bool> failed{false};
  std::exception_ptr first;
  std::mutex guard;
  auto worker = [&] {
    at::set_num_threads(1);  // one intra-op thread a unit: results independent of the team's shape
    for (std::size_t u; !failed && (u = next.fetch_add(std::size_t(ranks()))) < n;) try {
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
  if (ranks() == 1) return;
  std::string bytes = rank() == owner ? exact::read_file(path) : std::string();
  ranks_.broadcast(bytes, owner);
  if (!std::filesystem::exists(path)) exact::write_file_atomic(path, bytes);
}

void Team::sum(std::vector<long long>& values) const { ranks_.sum(values); }

void Team::abort(const std::string& message) const { ranks_.abort(message); }

}  // namespace advdir::torchnets
