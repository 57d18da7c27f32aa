// Certificates (JSON, "advdir-cert/1"): what a solver claims, in a form the
// independent checker (lib/check) re-verifies from the data alone.
#pragma once
#include "advdir/exact/counterexample.hpp"
#include "advdir/exact/direction.hpp"
#include "advdir/exact/linear_transfer.hpp"
#include "advdir/exact/multiclass.hpp"
#include "advdir/exact/polyhedral.hpp"
#include "advdir/exact/two_layer.hpp"
#include "advdir/exact/soft_margin.hpp"

namespace advdir::exact {

inline constexpr const char* certificate_format = "advdir-cert/1";

// The "data" field: regular files by path (relative to `cert_dir`) and SHA-256; data
// built in memory or read from a pipe, inline.
json data_reference(const DataSpec& spec, const Dataset& data, const std::string& cert_dir);
json inline_data(const Dataset& data);

// theorem "lemma3" (the separator with its KKT multipliers) or "farkas" (non-separable).
json separator_certificate(const json& data_ref, const SeparatorResult& result);

enum class LinearTheorem { theorem4, theorem5, corollary6 };
json transfer_certificate(LinearTheorem theorem, const json& data_ref, const MaxMarginSeparator& sep,
                          const TransferReport& report);

// theorem "8": per pair (k, l) its separator (lemma3's fields, indices into S[k] u S[l])
// and each certified classifier's transfer.
struct PairCertificate {
  MaxMarginSeparator sep;
  PairReport report;
};
json theorem8_certificate(const json& data_ref, const std::vector<MulticlassModel>& classifiers,
                          const std::vector<PairCertificate>& pairs);

// theorem "7": the training sets, S (as (set, index) pairs) with |S cap S_j|, the exact
// inputs of the size bound, and Theorem 4 on S for the classifiers.
json theorem7_certificate(const std::vector<json>& data_refs, bool confident, const CommonSubset& common,
                          const SoftMarginStats& stats, const MaxMarginSeparator& sep, const TransferReport& report);

// theorem "9": per pair, S from the training sets (as in "7", restricted to the classes
// k and l), the exact inputs of the size bound, and Theorem 8 on S.
struct Theorem9Pair {
  CommonSubset common;
  PairStats stats;
  PairCertificate certificate;
};
json theorem9_certificate(const std::vector<json>& data_refs, const std::vector<MulticlassModel>& classifiers,
                          bool confident, const std::vector<Theorem9Pair>& pairs);

// theorem "16": the relu_and net (its JSON), x_alpha and x_beta (indices into S), and
// per +1 point the unit j0 and c_exit.
json theorem16_certificate(const json& data_ref, const json& model, const Theorem16& t);

// theorem "15": the relu2 net (its JSON), x_alpha, x_beta (indices into S), D, and per -1
// point K, c_bound, the exact c_exit and whether the label differs at it. With a test set:
// its reference, the same per test point, and the -1 test points the net labels +1. With
// max-margin rays: S's separator (lemma3's fields) and, per point in the same order, the
// exit along w* or null.
json theorem15_certificate(const json& data_ref, const json& model, const Theorem15& t, const json& test_ref = nullptr,
                           const MaxMarginRays* max_margin = nullptr);

// theorem "corollary17": x_alpha, x_beta, per linear classifier <w,v> and every -1 point's
// c_exit, per net Theorem 15's fields (models as JSON, in the order of `nets`).
json corollary17_certificate(const json& data_ref, const std::vector<json>& models, const Corollary17& c);

// theorem "11": the net (its JSON), the convex label and the reason, x_alpha, x_beta, and
// per point of S[alpha] its ray claim (exit and pieces with patterns).
json theorem11_certificate(const json& data_ref, const json& model, const Theorem11& t);

// theorem "counterexample_relu": S's separator (lemma3's fields) and either the net (in
// R'_S, no unit rising along w*: no -1 point ever leaves along w*) with, optionally,
// Theorem 15's fields for the direction that does transfer; or "infeasible" with the
// Farkas fields.
json counterexample_certificate(const json& data_ref, const MaxMarginSeparator& sep, const Construction& c,
                                const std::optional<Theorem15>& transfer);

// theorem "vnnlib_counterexample": the net ({"format": "onnx" | "json"}) and the VNNLIB
// property by path (relative to `cert_dir`) and SHA-256, an exact X and the net's exact
// outputs Y there, which satisfy the property.
json vnnlib_certificate(const std::string& net_path, const std::string& net_format, const std::string& property_path,
                        const Vector& x, const Vector& y, const std::string& cert_dir);

std::string sha256_file(const std::string& path);

}  // namespace advdir::exact
