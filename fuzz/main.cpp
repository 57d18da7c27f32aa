// One libFuzzer binary per target: ADVDIR_FUZZ_TARGET names the harness at compile time.
#include "harness.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const advdir::fuzz::Harness run = [] {
    for (const auto& t : advdir::fuzz::targets())
      if (t.name == ADVDIR_FUZZ_TARGET) return t.run;
    std::abort();
  }();
  run(data, size);
  return 0;
}
