// advdir certify: Theorems 4, 5 and Corollary 6 on data and linear classifiers.
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/perceptron.hpp"

#include <filesystem>
#include <iostream>

namespace advdir::cli {

const std::map<std::string, exact::LinearTheorem>& linear_theorems() {
  static const std::map<std::string, exact::LinearTheorem> m = {{"theorem4", exact::LinearTheorem::theorem4},
                                                                {"theorem5", exact::LinearTheorem::theorem5},
                                                                {"corollary6", exact::LinearTheorem::corollary6}};
  return m;
}

exact::MaxMarginSeparator separator_or_refuse(const exact::Dataset& S) {
  exact::SeparatorResult solved = bridge::max_margin_separator(S);
  if (!solved.separable)
    throw HypothesisError(S.source + ": not linearly separable, so H_S is empty (Farkas certificate on " +
                          std::to_string(solved.farkas.support.size()) + " points: `advdir svm --out`)");
  return std::move(solved.separator);
}

std::vector<exact::LinearModel> classifiers_to_certify(const exact::Dataset& S, const exact::MaxMarginSeparator& sep,
                                                       std::vector<exact::LinearModel> given, int perceptron_epochs) {
  if (given.empty()) given.push_back({sep.w_star, sep.b_star});
  if (perceptron_epochs > 0) {
    if (auto h = exact::perceptron(S, perceptron_epochs)) given.push_back(std::move(*h));
  }
  return given;
}

check::Verdict write_checked(exact::LinearTheorem theorem, const exact::json& data_ref,
                             const exact::MaxMarginSeparator& sep, const exact::TransferReport& report,
                             const std::string& out) {
  if (report.certified.empty()) return {};
  exact::write_file_atomic(out, exact::transfer_certificate(theorem, data_ref, sep, report).dump(1) + "\n");
  const check::Verdict v = check::check_certificate_file(out);
  if (!v.valid) throw std::logic_error("the checker rejects the certificate just written: " + v.reason);
  return v;
}

namespace {

struct CertifyArgs {
  std::string theorem;
  DataArgs data;
  std::vector<std::string> classifiers;
  int perceptron = 0;
  std::string out;
  bool json = false;
};

void run(const CertifyArgs& a) {
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  std::vector<exact::LinearModel> hs;
  for (const auto& path : a.classifiers) hs.push_back(exact::read_linear_model(path));
  const exact::MaxMarginSeparator sep = separator_or_refuse(S);
  const exact::TransferReport report =
      exact::certify_linear_transfer(S, sep, classifiers_to_certify(S, sep, std::move(hs), a.perceptron));
  const auto dir = std::filesystem::path(a.out).parent_path().string();
  const check::Verdict verdict =
      write_checked(linear_theorems().at(a.theorem), exact::data_reference(spec, S, dir), sep, report, a.out);
  if (!report.rejected.empty()) exit_code() = refused;
  if (a.json) {
    exact::json rejected = exact::json::array();
    for (const auto& r : report.rejected) rejected.push_back({{"classifier", r.classifier}, {"offending", r.offending}});
    print_json({{"theorem", a.theorem},
                {"certificate", report.certified.empty() ? exact::json(nullptr) : exact::json(a.out)},
                {"certified", report.certified.size()},
                {"rejected", rejected},
                {"margin_sq", exact::to_json(sep.margin_sq)},
                {"checked", verdict.valid}});
    return;
  }
  print_transfer(std::cout, report, sep);
  if (!report.certified.empty()) std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

}  // namespace

void add_certify(CLI::App& app) {
  auto args = std::make_shared<CertifyArgs>();
  auto* cmd = app.add_subcommand("certify", "certify a theorem on data and classifiers; writes a certificate");
  cmd->footer(std::string(data_help) +
              "\nTHEOREM:\n"
              "  theorem4    -y w* is adversarial for every S-accurate linear h at every point of S; for each\n"
              "              classifier the certificate holds <w,w*> > 0 and the exact exit point c_exit of every\n"
              "              point: h(x - c y w*) != y exactly when c > c_exit = y(<w,x>+b)/<w,w*>\n"
              "  theorem5    theorem4 plus the bound y(<w,x>+b)/(gamma_h sum alpha) >= c_exit for every point\n"
              "  corollary6  each classifier's least-margin point flips for every c > c_S = margin_sq\n\n"
              "Classifiers are JSON files {\"kind\": \"linear\", \"w\": [...], \"b\": \"...\"}; with none, the\n"
              "max-margin classifier itself is certified. A classifier that is not S-accurate is reported\n"
              "with the points it gets wrong and left out of the certificate (exit 1). The certificate is\n"
              "re-verified by the independent checker before the command returns.\n\n"
              "Example: advdir certify theorem4 mnist10k --pair 0,1 --perceptron 50 --out t4.json");
  cmd->add_option("THEOREM", args->theorem, "theorem4 | theorem5 | corollary6")
      ->required()
      ->check(CLI::IsMember({"theorem4", "theorem5", "corollary6"}));
  args->data.add_to(*cmd);
  cmd->add_option("--classifier", args->classifiers, "a linear classifier (JSON) to certify; repeatable");
  cmd->add_option("--perceptron", args->perceptron, "also certify the perceptron's classifier after at most N epochs");
  cmd->add_option("--out", args->out, "the certificate file")->required();
  cmd->add_flag("--json", args->json, "print one JSON summary object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
