// advdir: exact, checkable transferability of adversarial directions.
#include "cli.hpp"

#include "advdir/check/check.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/fp/images.hpp"

#include <iostream>

int main(int argc, char** argv) {
  using namespace advdir;
  CLI::App app{
      "advdir: exact, checkable theory of transferable adversarial directions\n"
      "(Charles, Rosenberg, Papailiopoulos, AISTATS 2019). Every answer comes with a\n"
      "certificate that `advdir check` re-verifies with exact arithmetic.\n\n"
      "Start with `advdir demo` (built-in cases), then `advdir svm DATA`, `advdir certify theorem4 DATA`.",
      "advdir"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "advdir 0.1.0");
  cli::add_svm(app);
  cli::add_ray(app);
  cli::add_eval(app);
  cli::add_certify(app);
  cli::add_check(app);
  cli::add_vnnlib(app);
  cli::add_data(app);
  cli::add_region(app);
  cli::add_counterexample(app);
  cli::add_figure(app);
  cli::add_import(app);
  cli::add_verify_adv(app);
#ifdef ADVDIR_HAVE_TORCH
  cli::add_experiment(app);
  cli::add_train(app);
#endif
  cli::add_demo(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "advdir: " << check::one_line(e.what()) << " (see --help)\n";
    return cli::bad_input;
  } catch (const InputError& e) {
    std::cerr << "advdir: " << check::one_line(e.what()) << "\n";
    return cli::bad_input;
  } catch (const HypothesisError& e) {
    std::cerr << "advdir: " << check::one_line(e.what()) << "\n";
    return cli::bad_input;
  } catch (const fp::DataError& e) {
    std::cerr << "advdir: " << check::one_line(e.what()) << "\n";
    return cli::bad_input;
  } catch (const check::Unreadable& e) {
    std::cerr << "advdir: " << check::one_line(e.what()) << "\n";
    return cli::bad_input;
  } catch (const std::exception& e) {
    std::cerr << "advdir: error: " << check::one_line(e.what()) << "\n";
    return cli::refused;
  }
  return cli::exit_code();
}
