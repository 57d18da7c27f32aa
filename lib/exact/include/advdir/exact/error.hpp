// Errors of the exact layer: bad input names its source and the problem.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace advdir {

// A value named in a message: in quotes, its first 40 bytes at most, then its length (a
// megabyte-long token still makes a short line; the CLI escapes control bytes).
inline std::string shown(std::string_view s) {
  constexpr std::size_t most = 40;
  if (s.size() <= most) return "'" + std::string(s) + "'";
  return "'" + std::string(s.substr(0, most)) + "'... (" + std::to_string(s.size()) + " bytes)";
}

// Bad input (a file, a command-line value): what() is "SOURCE: PROBLEM", one line.
class InputError : public std::runtime_error {
public:
  InputError(const std::string& source, const std::string& problem)
      : std::runtime_error(source + ": " + problem), source_(source), problem_(problem) {}
  const std::string& source() const { return source_; }
  const std::string& problem() const { return problem_; }

private:
  std::string source_;
  std::string problem_;
};

// A hypothesis of a theorem does not hold for the given input (e.g. a single class).
class HypothesisError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace advdir
