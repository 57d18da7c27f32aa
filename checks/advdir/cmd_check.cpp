// advdir check: the independent checker on a certificate file.
#include "cli.hpp"

#include "advdir/check/check.hpp"

#include <iostream>

namespace advdir::cli {

void add_check(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("check", "re-verify a certificate exactly, from the data alone");
  cmd->footer(
      "Exit 0: valid. Exit 1: invalid, with the first reason found. Exit 2: unreadable (bad JSON, unknown\n"
      "theorem, a data file missing or not the one whose SHA-256 the certificate records).\n"
      "The checker (lib/check) shares no code with the solvers and uses exact arithmetic only; the\n"
      "standalone advdir-check is the same checker linked alone (GMP, the JSON parser, zlib).");
  cmd->add_option("CERT", *path, "certificate JSON file")->required();
  cmd->add_flag("--json", *json, "print {\"valid\": ..., \"reason\": ...}");
  cmd->callback([path, json] {
    const check::Verdict v = check::check_certificate_file(*path);
    std::cout << check::report(*path, v, *json) << "\n";
    exit_code() = v.valid ? ok : refused;
  });
}

}  // namespace advdir::cli
