// Linking advdir as an exact backend: solve for the max-margin separator of a small
// data set, certify Theorem 4 for a classifier of our own, and have the
// independent checker confirm the certificate (written to the file given, if any).
#include <advdir/bridge/separator.hpp>
#include <advdir/check/check.hpp>
#include <advdir/exact/certificate.hpp>

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  using namespace advdir::exact;
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}}, {-1, 1, 1}, "example");
  const SeparatorResult r = advdir::bridge::max_margin_separator(S);
  const MaxMarginSeparator& sep = r.separator;
  std::cout << "w* = (" << to_string(sep.w_star[0]) << ", " << to_string(sep.w_star[1]) << "), b* = "
            << to_string(sep.b_star) << ", margin_sq = " << to_string(sep.margin_sq) << "\n";

  const LinearModel mine{{1, 1}, mpq_class(-1, 2)};
  const TransferReport report = certify_linear_transfer(S, sep, {mine});
  for (std::size_t i = 0; i < S.size(); ++i)
    std::cout << "point " << i << ": -y w* flips my classifier for every c > " << to_string(report.certified[0].c_exit[i])
              << "\n";

  const json cert = transfer_certificate(LinearTheorem::theorem4, inline_data(S), sep, report);
  const advdir::check::Verdict v = advdir::check::check_certificate(cert, ".");
  std::cout << "checker: " << (v.valid ? "valid" : "INVALID: " + v.reason) << "\n";
  if (argc > 1) std::ofstream(argv[1]) << cert.dump() << "\n";
  return v.valid ? 0 : 1;
}
