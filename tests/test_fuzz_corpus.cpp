#define BOOST_TEST_MODULE fuzz_corpus
// Replays every fuzz seed and every input a fuzzer ever crashed on
// (tests/data/fuzz/TARGET/) through the same harnesses, in the ordinary build.
#include "../fuzz/harness.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

BOOST_AUTO_TEST_CASE(every_corpus_input_is_handled) {
  std::size_t inputs = 0;
  for (const auto& target : advdir::fuzz::targets()) {
    const auto dir = std::filesystem::path(ADVDIR_TEST_DATA) / "fuzz" / target.name;
    BOOST_REQUIRE_MESSAGE(std::filesystem::is_directory(dir), "no seeds for " << target.name);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      BOOST_TEST_CONTEXT(entry.path()) {
        BOOST_CHECK_NO_THROW(target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
      }
      ++inputs;
    }
  }
  BOOST_TEST_MESSAGE(inputs << " corpus inputs replayed");
  BOOST_TEST(inputs >= 20u);
}
