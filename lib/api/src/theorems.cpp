#include "advdir/api/theorems.hpp"

#include "advdir/bridge/liblinear.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/polyhedral.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

namespace advdir::api {

bool is_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open");
  char c = ' ';
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {}
  return c == '{';
}

exact::LinearModel read_linear(const std::string& path, std::size_t dim) {
  return is_json_file(path) ? exact::read_linear_model(path) : bridge::read_liblinear_binary(path, dim);
}

exact::MulticlassModel read_multiclass(const std::string& path, std::size_t dim) {
  return is_json_file(path) ? exact::multiclass_model_from_json(exact::read_json_file(path), path)
                            : bridge::read_liblinear_multiclass(path, dim);
}

std::vector<int> classes_of(std::vector<int> labels) {
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

std::vector<std::pair<int, int>> every_pair(const std::vector<int>& labels) {
  const std::vector<int> classes = classes_of(labels);
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < classes.size(); ++i)
    for (std::size_t j = i + 1; j < classes.size(); ++j) pairs.emplace_back(classes[i], classes[j]);
  return pairs;
}

// Theorems 4, 5, Corollary 6.
LinearCertified certify_linear(exact::LinearTheorem theorem, const exact::Dataset& S, const exact::json& data_ref,
                               std::vector<exact::LinearModel> given, int perceptron_epochs, const std::string& out) {
  LinearCertified c{separator_or_refuse(S), {}, {}};
  c.report = exact::certify_linear_transfer(S, c.sep, classifiers_to_certify(S, c.sep, std::move(given), perceptron_epochs));
  c.verdict = write_checked(theorem, data_ref, c.sep, c.report, out);
  return c;
}

// Theorem 7.
Theorem7Certified certify_theorem7(const std::vector<exact::Dataset>& sets, const std::vector<exact::json>& refs,
                                   const std::vector<exact::LinearModel>& hs, bool confident, const std::string& out) {
  exact::CommonSubset common = exact::common_correct(sets, hs, confident);
  exact::SoftMarginStats stats = exact::soft_margin_stats(sets, hs);
  exact::MaxMarginSeparator sep = separator_or_refuse(common.S);
  exact::TransferReport report = exact::certify_linear_transfer(common.S, sep, hs);
  if (!report.rejected.empty()) throw std::logic_error("a classifier is not accurate on the set built from its own hits");
  const check::Verdict v = write_and_check(exact::theorem7_certificate(refs, confident, common, stats, sep, report), out);
  return {std::move(common), std::move(stats), std::move(sep), std::move(report), v};
}

// Theorem 8, one pair.
Theorem8Pair theorem8_pair(const exact::Dataset& S, int k, int l, const std::vector<exact::MulticlassModel>& hs) {
  const exact::Dataset P = exact::binary_pair(S, k, l);
  exact::SeparatorResult solved = bridge::max_margin_separator(P);
  Theorem8Pair out;
  out.points = P.size();
  if (!solved.separable) {
    out.farkas_support = solved.farkas.support.size();
    return out;
  }
  exact::PairCertificate pc{std::move(solved.separator), {}};
  pc.report = exact::certify_pair_transfer(P, k, l, pc.sep, hs);
  out.entry = exact::theorem8_certificate(nullptr, hs, {pc})["pairs"][0];
  out.certified = std::move(pc);
  return out;
}

check::Verdict write_theorem8(const exact::json& data_ref, const std::vector<exact::MulticlassModel>& hs, exact::json entries,
                              const std::string& out) {
  exact::json cert = exact::theorem8_certificate(data_ref, hs, {});
  cert["pairs"] = std::move(entries);
  return write_and_check(cert, out);
}

// Theorem 9, one pair.
Theorem9Unit theorem9_pair(const std::vector<exact::Dataset>& sets, const std::vector<exact::json>& refs,
                           const std::vector<exact::MulticlassModel>& hs, int k, int l, bool confident) {
  exact::CommonSubset common = exact::common_correct_pair(sets, hs, k, l, confident);
  exact::PairStats stats = exact::pair_stats(sets, hs, k, l);
  exact::MaxMarginSeparator sep = separator_or_refuse(common.S);
  exact::PairReport report = exact::certify_pair_transfer(common.S, k, l, sep, hs);
  if (!report.rejected.empty()) throw std::logic_error("a classifier is not accurate on the set built from its own hits");
  Theorem9Unit u{{std::move(common), std::move(stats), {std::move(sep), std::move(report)}}, {}};
  u.entry = exact::theorem9_certificate(refs, hs, confident, {u.pair})["pairs"][0];
  return u;
}

check::Verdict write_theorem9(const std::vector<exact::json>& refs, const std::vector<exact::MulticlassModel>& hs, bool confident,
                              exact::json entries, const std::string& out) {
  exact::json cert = exact::theorem9_certificate(refs, hs, confident, {});
  cert["pairs"] = std::move(entries);
  return write_and_check(cert, out);
}

// Theorem 15, with Section 6's max-margin rays beside it.
Theorem15Certified certify_theorem15(const exact::Dataset& S, const exact::json& data_ref, const exact::ReluNet& net,
                                     std::optional<std::size_t> alpha, std::optional<std::size_t> beta,
                                     const exact::Dataset* test, const exact::json& test_ref, const std::string& out) {
  Theorem15Certified c{exact::certify_theorem15(S, net, alpha, beta, test), {}, {}};
  exact::SeparatorResult solved = bridge::max_margin_separator(S);
  if (solved.separable) c.max_margin = exact::max_margin_rays(S, test, net, c.t, std::move(solved.separator));
  c.verdict = write_and_check(
      exact::theorem15_certificate(data_ref, exact::to_json(net), c.t, test_ref, c.max_margin ? &*c.max_margin : nullptr), out);
  return c;
}

exact::json summary(const LinearCertified& c) {
  return {{"certified", c.report.certified.size()}, {"rejected", c.report.rejected.size()}, {"margin_sq", exact::to_json(c.sep.margin_sq)},
          {"valid", c.verdict.valid}};
}

exact::json summary(const Theorem15Certified& c) {
  exact::json points = exact::json::array();
  for (const auto& p : c.t.points)
    points.push_back({{"point", p.point}, {"K", exact::to_json(p.K)}, {"c_bound", exact::to_json(p.c_bound)},
                      {"c_exit", exact::to_json(p.c_exit)}, {"differs_at_exit", p.differs_at_exit}});
  return {{"alpha", c.t.alpha}, {"beta", c.t.beta}, {"D", exact::to_json(c.t.D)}, {"points", points}, {"valid", c.verdict.valid}};
}

}  // namespace advdir::api
