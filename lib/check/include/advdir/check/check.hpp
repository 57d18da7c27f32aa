// The certificate checker: re-verifies an advdir certificate from the data alone,
// with exact integer and rational arithmetic (GMP), never calling a solver.
// It shares no code with the solvers; what it trusts is listed in check.cpp.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace advdir::check {

struct Verdict {
  bool valid = false;
  std::string reason;  // why not, when invalid
};

// The certificate or its data cannot be read (exit 2 in the tool).
class Unreadable : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `base_dir` resolves the relative data paths a certificate names.
Verdict check_certificate(const nlohmann::json& cert, const std::string& base_dir);
Verdict check_certificate_file(const std::string& path);

std::string sha256_hex(const std::string& bytes);

}  // namespace advdir::check
