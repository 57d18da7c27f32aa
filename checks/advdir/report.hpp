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

// sqrt(q) rounded down to `places` decimals, in integers.
std::string sqrt_decimal(const mpq_class& q, int places);

// The median and max of exits c_exit along -y w*, and of the perturbation's norms
// |c_exit w*|_2 and |c_exit w*|_inf, as decimals rounded down: {"c_exit": {"median", "max"},
// "l2": ..., "linf": ...}; null when there are none.
exact::json exit_distribution(exact::Vector c_exit, const exact::MaxMarginSeparator& sep);
// Every certified classifier's exits at every point of S, pooled.
exact::Vector pooled_exits(const exact::TransferReport& report);
// The classifiers Theorem 4 does not cover (not S-accurate): how many have <w,w*> > 0, and
// the distribution of their exact exits at the points they classify correctly.
exact::json beyond_theorem4(const exact::TransferReport& report, const exact::MaxMarginSeparator& sep);

void print_separator(std::ostream& out, const exact::Dataset& S, const exact::SeparatorResult& r);
void print_transfer(std::ostream& out, const exact::TransferReport& report, const exact::MaxMarginSeparator& sep);

}  // namespace advdir::cli
