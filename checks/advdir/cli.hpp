// Shared pieces of the advdir subcommands.
#pragma once
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/json_io.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace advdir::cli {

// Exit codes of the contract (DESIGN.md): 0 done, 1 refused or invalid, 2 bad input.
enum Exit : int { ok = 0, refused = 1, bad_input = 2 };

// The DATA argument and the flags that shape it.
struct DataArgs {
  std::string data;
  std::string pair;  // "K,L"
  bool raw = false;
  std::string data_dir;

  void add_to(CLI::App& cmd, bool required = true);
  exact::DataSpec spec() const;
};

extern const char* data_help;

// A vector argument: "1/2,0,-3", or "@FILE" holding the same.
exact::Vector vector_arg(const std::string& text, const std::string& flag);

// Prints `j` on stdout (with --json) as one line.
void print_json(const exact::json& j);

void add_svm(CLI::App& app);
void add_ray(CLI::App& app);
void add_eval(CLI::App& app);
void add_certify(CLI::App& app);
void add_check(CLI::App& app);
void add_data(CLI::App& app);
void add_demo(CLI::App& app);
void add_region(CLI::App& app);
void add_counterexample(CLI::App& app);
void add_figure(CLI::App& app);
void add_import(CLI::App& app);
void add_verify_adv(CLI::App& app);
void add_vnnlib(CLI::App& app);
void add_experiment(CLI::App& app);  // these two when built with libtorch
void add_train(CLI::App& app);

// The exit code a subcommand chose (0 unless it set another).
int& exit_code();

}  // namespace advdir::cli
