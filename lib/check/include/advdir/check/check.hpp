// The certificate checker: re-verifies an advdir certificate from the data alone,
// with exact integer and rational arithmetic (GMP), never calling a solver.
// It shares no code with the solvers; what it trusts is listed in check.cpp.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace advdir::check {

// `message` as one line of at most max_message_bytes: control bytes (a newline in a
// certificate's string, an escape sequence) as \xNN, the rest cut with its length named.
// Every Unreadable, every invalid verdict's reason and every printed report is one.
inline constexpr std::size_t max_message_bytes = 2000;
std::string one_line(std::string_view message);

struct Verdict {
  bool valid = false;
  std::string reason;  // why not, when invalid
};

// The certificate or its data cannot be read (exit 2 in the tool).
class Unreadable : public std::runtime_error {
 public:
  explicit Unreadable(const std::string& what) : std::runtime_error(one_line(what)) {}
};

// Limits that keep hostile input from exhausting the stack or memory: certificates
// nested deeper than max_depth, or larger than max_certificate_bytes, are Unreadable.
inline constexpr std::size_t max_depth = 64;
inline constexpr std::size_t max_certificate_bytes = std::size_t(1) << 31;

// `base_dir` resolves the relative data paths a certificate names.
Verdict check_certificate(const nlohmann::json& cert, const std::string& base_dir);
Verdict check_certificate_file(const std::string& path);

std::string sha256_hex(const std::string& bytes);

// The verdict as `advdir check` and `advdir-check` print it: one line of text, or
// {"valid": ..., "reason": ...} with as_json.
std::string report(const std::string& path, const Verdict& v, bool as_json);

}  // namespace advdir::check
