// advdir svm: the exact max-margin separator (Lemma 3) or a Farkas certificate.
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/bridge/separator.hpp"
#include "advdir/exact/certificate.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct SvmArgs {
  DataArgs data;
  bool json = false, cgal = false;
  std::string out;
};

exact::json svm_json(const exact::SeparatorResult& r) {
  if (!r.separable)
    return {{"separable", false},
            {"farkas", {{"support", r.farkas.support}, {"lambda", exact::to_json(r.farkas.lambda)}}},
            {"method", r.method}};
  const auto& s = r.separator;
  return {{"separable", true},         {"w", exact::to_json(s.w_star)},    {"b", exact::to_json(s.b_star)},
          {"margin_sq", exact::to_json(s.margin_sq)}, {"alpha", exact::to_json(s.alpha)},
          {"support", s.support},      {"method", r.method}};
}

void run(const SvmArgs& a) {
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  const auto r = a.cgal ? exact::cgal_max_margin(S) : bridge::max_margin_separator(S);
  if (!a.out.empty()) api::write_separator(exact::data_reference(spec, S, api::dir_of(a.out)), r, a.out);
  if (a.json)
    print_json(svm_json(r));
  else
    print_separator(std::cout, S, r);
}

}  // namespace

void add_svm(CLI::App& app) {
  auto args = std::make_shared<SvmArgs>();
  auto* cmd = app.add_subcommand("svm", "the exact max-margin separator of binary data, or why none exists");
  cmd->footer(std::string(data_help) +
              "\nPrints w*, b*, margin_sq = 1/|w*|^2 and the support with its multipliers alpha (listed in the\n"
              "order of `support`; every other alpha_i is 0). KKT (1)-(3) of Lemma 3 are verified exactly\n"
              "before anything is printed. Non-separable data gets lambda >= 0 with sum lambda_i y_i (x_i, 1) = 0\n"
              "(Farkas) instead. Solved in floating point, then confirmed and repaired exactly; --cgal uses\n"
              "CGAL's exact QP solver alone (slow beyond a few thousand points).\n\n"
              "Example: advdir svm mnist10k --pair 3,8 --out cert.json && advdir check cert.json");
  args->data.add_to(*cmd);
  cmd->add_flag("--json", args->json, "print one JSON object: separable, w, b, margin_sq, alpha, support");
  cmd->add_flag("--cgal", args->cgal, "solve with CGAL's exact dual QP solver only");
  cmd->add_option("--out", args->out, "write the certificate (theorem lemma3 or farkas) to this file");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
