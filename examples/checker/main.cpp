// A verification-tool builder's use of advdir: only the independent checker, on a
// certificate file someone else wrote. Exit 0 when valid, 1 when not.
#include <advdir/check/check.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: checker CERTIFICATE\n";
    return 2;
  }
  const advdir::check::Verdict v = advdir::check::check_certificate_file(argv[1]);
  std::cout << argv[1] << ": " << (v.valid ? "valid" : "INVALID: " + v.reason) << "\n";
  return v.valid ? 0 : 1;
}
