// Certificates (JSON, "advdir-cert/1"): what a solver claims, in a form the
// independent checker (lib/check) re-verifies from the data alone.
#pragma once
#include "advdir/exact/linear_transfer.hpp"

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

std::string sha256_file(const std::string& path);

}  // namespace advdir::exact
