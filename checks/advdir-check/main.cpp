// advdir-check: the standalone certificate checker. It links lib/check alone (GMP,
// the JSON parser, zlib), so a user can verify a certificate without trusting, or
// installing, any solver. Same verdicts and exit codes as `advdir check`.
#include "advdir/check/check.hpp"

#include <cstring>
#include <iostream>
#include <new>

namespace {

constexpr const char* usage =
    "usage: advdir-check CERT.json [--json]\n"
    "Re-verifies an advdir certificate exactly, from the data alone (data files are found relative\n"
    "to the certificate and must match their recorded SHA-256).\n"
    "Exit 0: valid. 1: invalid, with the first reason found. 2: unreadable (bad JSON, unknown\n"
    "theorem, missing or changed data), with one line on stderr.\n"
    "advdir-vcheck gives the same verdicts for the kinds lemma3, farkas, 4, 5, corollary6, 15 and\n"
    "linear ray with a checker proved and extracted from Coq (README, \"The proved checker\").\n";

}  // namespace

int main(int argc, char** argv) {
  const char* path = nullptr;
  bool as_json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::cout << usage;
      return 0;
    }
    if (!std::strcmp(argv[i], "--json")) as_json = true;
    else if (!path && argv[i][0] != '-') path = argv[i];
    else {
      std::cerr << "advdir-check: unexpected argument '" << advdir::check::one_line(argv[i]) << "' (see --help)\n";
      return 2;
    }
  }
  if (!path) {
    std::cerr << "advdir-check: no certificate given (see --help)\n";
    return 2;
  }
  try {
    const advdir::check::Verdict v = advdir::check::check_certificate_file(path);
    std::cout << advdir::check::report(path, v, as_json) << "\n";
    return v.valid ? 0 : 1;
  } catch (const advdir::check::Unreadable& e) {
    std::cerr << "advdir-check: " << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    std::cerr << "advdir-check: " << advdir::check::one_line(path + std::string(": out of memory")) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "advdir-check: " << advdir::check::one_line(path + (": " + std::string(e.what()))) << "\n";
  }
  return 2;
}
