// Human-readable reports of exact results.
#pragma once
#include "advdir/exact/linear_transfer.hpp"

#include <iosfwd>

namespace advdir::cli {

// A rational, with a decimal approximation when it is not an integer: "1/3 (~0.3333)".
std::string show(const mpq_class& q);
// q rounded down (or up) to `places` decimals: "-21925.07".
std::string decimal(const mpq_class& q, int places, bool up);
// An MPFR enclosure [lo, hi] as decimals rounded outward.
std::string enclosure(const mpq_class& lo, const mpq_class& hi);
// A vector, shortened to its first entries when long.
std::string show(const exact::Vector& v);

// "median, max" of a list of exits, to 4 decimals (the exact values are in the certificate).
std::string spread(exact::Vector c);

void print_separator(std::ostream& out, const exact::Dataset& S, const exact::SeparatorResult& r);
void print_transfer(std::ostream& out, const exact::TransferReport& report, const exact::MaxMarginSeparator& sep);

}  // namespace advdir::cli
