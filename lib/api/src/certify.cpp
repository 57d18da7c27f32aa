#include "advdir/api/certify.hpp"

#include "advdir/bridge/separator.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/perceptron.hpp"

#include <filesystem>
#include <stdexcept>

namespace advdir::api {

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

check::Verdict write_and_check(const exact::json& cert, const std::string& out) {
  exact::write_file_atomic(out, cert.dump(1) + "\n");
  const check::Verdict v = check::check_certificate_file(out);
  if (!v.valid) throw std::logic_error("the checker rejects the certificate just written: " + v.reason);
  return v;
}

exact::json write_separator(const exact::json& data_ref, const exact::SeparatorResult& solved, const std::string& out) {
  exact::json cert = exact::separator_certificate(data_ref, solved);
  write_and_check(cert, out);
  return cert;
}

std::string dir_of(const std::string& out) { return std::filesystem::path(out).parent_path().string(); }

check::Verdict write_checked(exact::LinearTheorem theorem, const exact::json& data_ref,
                             const exact::MaxMarginSeparator& sep, const exact::TransferReport& report,
                             const std::string& out) {
  if (report.certified.empty()) return {};
  return write_and_check(exact::transfer_certificate(theorem, data_ref, sep, report), out);
}

}  // namespace advdir::api
