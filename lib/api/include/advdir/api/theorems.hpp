// The per-theorem steps of `advdir certify`, one copy for the command line, the C API and
// Python: each certifies, writes its certificate atomically and has the independent checker
// verify it (certify.hpp); the callers only read their inputs and print. Theorems 8 and 9
// go pair by pair, so that a caller may share the pairs out (the command line, over MPI).
#pragma once
#include "advdir/api/certify.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/two_layer.hpp"

#include <optional>
#include <utility>

namespace advdir::api {

// A classifier file, JSON (its first character '{') or LIBLINEAR; `dim` is the data's
// dimension, which a LIBLINEAR model may fall short of (bridge/liblinear.hpp).
bool is_json_file(const std::string& path);
exact::LinearModel read_linear(const std::string& path, std::size_t dim);
exact::MulticlassModel read_multiclass(const std::string& path, std::size_t dim);

// The classes present in `labels`, ascending; Theorems 8 and 9's default choice of pairs:
// every K < L of them.
std::vector<int> classes_of(std::vector<int> labels);
std::vector<std::pair<int, int>> every_pair(const std::vector<int>& labels);

// Theorems 4, 5 and Corollary 6 on S for `given` (none: w* itself; plus the perceptron's
// classifier after `perceptron_epochs`); HypothesisError when S is not separable. The
// certificate names the S-accurate classifiers (none: nothing written).
struct LinearCertified {
  exact::MaxMarginSeparator sep;
  exact::TransferReport report;
  check::Verdict verdict;
};
LinearCertified certify_linear(exact::LinearTheorem theorem, const exact::Dataset& S, const exact::json& data_ref,
                               std::vector<exact::LinearModel> given, int perceptron_epochs, const std::string& out);

// Theorem 7: S from the training sets (their references beside them), Theorem 4 on S.
struct Theorem7Certified {
  exact::CommonSubset common;
  exact::SoftMarginStats stats;
  exact::MaxMarginSeparator sep;
  exact::TransferReport report;
  check::Verdict verdict;
};
Theorem7Certified certify_theorem7(const std::vector<exact::Dataset>& sets, const std::vector<exact::json>& refs,
                                   const std::vector<exact::LinearModel>& hs, bool confident, const std::string& out);

// Theorem 8 on the pair (k, l) of multi-class S: its separator and each classifier's exits,
// with the pair's certificate entry; or, when S[k] and S[l] are not separable, the size of
// the Farkas certificate's support and no entry.
struct Theorem8Pair {
  std::size_t points = 0, farkas_support = 0;
  std::optional<exact::PairCertificate> certified;
  exact::json entry;  // null when not separable
};
Theorem8Pair theorem8_pair(const exact::Dataset& S, int k, int l, const std::vector<exact::MulticlassModel>& hs);

// The Theorem 8 certificate of the pairs' entries, written to `out` and verified.
check::Verdict write_theorem8(const exact::json& data_ref, const std::vector<exact::MulticlassModel>& hs, exact::json entries,
                              const std::string& out);

// Theorem 9 on the pair (k, l): S from the S_j[k,l], Theorem 8 on S, and the pair's entry.
struct Theorem9Unit {
  exact::Theorem9Pair pair;
  exact::json entry;
};
Theorem9Unit theorem9_pair(const std::vector<exact::Dataset>& sets, const std::vector<exact::json>& refs,
                           const std::vector<exact::MulticlassModel>& hs, int k, int l, bool confident);

// The Theorem 9 certificate of the pairs' entries, written to `out` and verified.
check::Verdict write_theorem9(const std::vector<exact::json>& refs, const std::vector<exact::MulticlassModel>& hs, bool confident,
                              exact::json entries, const std::string& out);

// Theorem 15 for a relu2 net in R' on S (and on `test`'s -1 points the net labels -1, when
// given), x_alpha and x_beta chosen when not given; beside it, when S is separable, the
// same points' exits along -y w* (Section 6).
struct Theorem15Certified {
  exact::Theorem15 t;
  std::optional<exact::MaxMarginRays> max_margin;
  check::Verdict verdict;
};
Theorem15Certified certify_theorem15(const exact::Dataset& S, const exact::json& data_ref, const exact::ReluNet& net,
                                     std::optional<std::size_t> alpha, std::optional<std::size_t> beta,
                                     const exact::Dataset* test, const exact::json& test_ref, const std::string& out);

// What C and Python return of a certification, as JSON: {"certified", "rejected" (how
// many classifiers), "margin_sq", "valid"} for Theorems 4, 5 and Corollary 6; {"alpha",
// "beta", "D", "points": [{"point", "K", "c_bound", "c_exit", "differs_at_exit"}], "valid"}
// for Theorem 15. Rationals as strings.
exact::json summary(const LinearCertified& c);
exact::json summary(const Theorem15Certified& c);

}  // namespace advdir::api
