// Fuzz harnesses: one function per input parser. libFuzzer drives them (fuzz/main.cpp
// under the `fuzz` preset), and tests/test_fuzz_corpus.cpp replays every seed and
// every regression input under tests/data/fuzz/TARGET/ in the ordinary build.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace advdir::fuzz {

using Harness = void (*)(const std::uint8_t* data, std::size_t size);

struct Target {
  std::string name;
  Harness run;
};

const std::vector<Target>& targets();

}  // namespace advdir::fuzz
