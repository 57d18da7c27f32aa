#include "advdir/api/certify.hpp"

#include "advdir/bridge/separator.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/perceptron.hpp"

#include <chrono>
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

exact::json separability_row(const exact::DataSpec& spec, const exact::Dataset& S, int k, int l, const bridge::SolveOptions& options,
                             const std::string& out_dir) {
  const exact::Dataset P = exact::binary_pair(S, k, l);
  exact::json row = {{"k", k}, {"l", l == exact::rest ? exact::json("rest") : exact::json(l)}, {"points", P.size()}, {"separable", nullptr},
                     {"margin_sq", nullptr}, {"support", nullptr}, {"method", nullptr}, {"certificate", nullptr}};
  const auto t0 = std::chrono::steady_clock::now();
  bridge::SolveStats st;
  try {
    const exact::SeparatorResult r = bridge::max_margin_separator(P, options, &st);
    row["separable"] = r.separable, row["method"] = r.method;
    row["support"] = r.separable ? r.separator.support.size() : r.farkas.support.size();
    if (r.separable) row["margin_sq"] = exact::to_json(r.separator.margin_sq);
    if (!out_dir.empty()) {
      exact::DataSpec pair = spec;
      pair.pair = {k, l};
      const std::string out = (std::filesystem::path(out_dir) / ("svm_" + std::to_string(k) + "_" +
                                                                 (l == exact::rest ? std::string("rest") : std::to_string(l)) + ".json")).string();
      write_separator(exact::data_reference(pair, P, out_dir), r, out);
      row["certificate"] = out;
    }
  } catch (const bridge::Undecided& e) {
    if (e.separable_proved) row["separable"] = true;  // no margin_sq, no certificate: see the method
    row["method"] = e.what();
  }
  row["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Where the seconds went: float SMO, the LP and QP routes with their exact steps, SMO's
  // exact confirmations, CGAL's constraint generation (the rest: the certificate written and checked).
  row["stages"] = {{"smo", st.float_seconds}, {"lp", st.lp_seconds}, {"exact", st.exact_seconds}, {"cgal", st.fallback_seconds}};
  return row;
}

std::string dir_of(const std::string& out) { return std::filesystem::path(out).parent_path().string(); }

check::Verdict write_checked(exact::LinearTheorem theorem, const exact::json& data_ref,
                             const exact::MaxMarginSeparator& sep, const exact::TransferReport& report,
                             const std::string& out) {
  if (report.certified.empty()) return {};
  return write_and_check(exact::transfer_certificate(theorem, data_ref, sep, report), out);
}

}  // namespace advdir::api
