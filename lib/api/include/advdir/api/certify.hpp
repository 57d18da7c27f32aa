// The certify pipeline, one copy for the command line, the C API and Python: the exact
// separator or the refusal with its Farkas certificate, the classifiers to certify, and
// the certificate written atomically and verified by the independent checker.
#pragma once
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/linear_transfer.hpp"
#include "advdir/exact/separator.hpp"

#include <map>

namespace advdir::api {

// theorem4 | theorem5 | corollary6
const std::map<std::string, exact::LinearTheorem>& linear_theorems();

// The exact separator of S; throws HypothesisError (with the Farkas support's size) when S
// is not separable.
exact::MaxMarginSeparator separator_or_refuse(const exact::Dataset& S);

// The classifiers to certify: the given ones, or w* itself when none, plus the perceptron's
// classifier when `perceptron_epochs` > 0 and it converges.
std::vector<exact::LinearModel> classifiers_to_certify(const exact::Dataset& S, const exact::MaxMarginSeparator& sep,
                                                       std::vector<exact::LinearModel> given, int perceptron_epochs);

// Writes `cert` to `out` atomically and has the independent checker verify it (a
// rejection is an internal error: the solver and the checker disagree).
check::Verdict write_and_check(const exact::json& cert, const std::string& out);

// Lemma 3's separator certificate (or the Farkas one, when S is not separable), written
// to `out` and verified; the certificate's JSON.
exact::json write_separator(const exact::json& data_ref, const exact::SeparatorResult& solved, const std::string& out);

// One row of the pair table (issue 19): is class k of multi-class S separable from class l
// (l == exact::rest: from every other class)? {"k", "l", "points", "separable": true, false,
// or null when undecided within options.give_up_after_seconds, "margin_sq" (exact; null
// unless the max-margin separator was confirmed: separable true with null margin_sq and no
// certificate means the LP's separating hyperplane passed the exact check, its max margin
// not in time), "support" (how many points carry the separator's multipliers or the
// Farkas certificate's lambda), "method", "seconds", "certificate"}. With `out_dir` set, a
// decided pair's certificate goes to out_dir/svm_K_L.json (L "rest"), verified by the
// checker, and names the data as `spec` with the pair (the checker reloads it).
exact::json separability_row(const exact::DataSpec& spec, const exact::Dataset& S, int k, int l, const bridge::SolveOptions& options,
                             const std::string& out_dir);

// The folder of a file path ("" for the working folder): where data references start.
std::string dir_of(const std::string& out);

// Writes the certificate of `theorem` for the report's S-accurate classifiers to `out`
// (nothing when there are none) and has the independent checker verify it.
check::Verdict write_checked(exact::LinearTheorem theorem, const exact::json& data_ref, const exact::MaxMarginSeparator& sep,
                             const exact::TransferReport& report, const std::string& out);

}  // namespace advdir::api
