// advdir svm: the exact max-margin separator (Lemma 3) or a Farkas certificate.
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/api/theorems.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/dist/ranks.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace advdir::cli {
namespace {

struct SvmArgs {
  DataArgs data;
  bool json = false, cgal = false;
  std::string out, out_dir;
  std::vector<std::string> pairs;
  double give_up = 0;
};

exact::json svm_json(const exact::SeparatorResult& r) {
  if (!r.separable)
    return {{"separable", false},
            {"farkas", {{"support", r.farkas.support}, {"lambda", exact::to_json(r.farkas.lambda)}}},
            {"method", r.method}};
  const auto& s = r.separator;
  return {{"separable", true},         {"w", exact::to_json(s.w_star)},    {"b", exact::to_json(s.b_star)},
          {"margin_sq", exact::to_json(s.margin_sq)}, {"alpha", exact::to_json(s.alpha)},
          {"support", s.support},      {"method", r.method}};
}

// --pairs: "all" (every K < L), "rest" (every class against the rest), or K,L / K,rest.
std::vector<std::pair<int, int>> table_pairs(const SvmArgs& a, const std::vector<int>& labels) {
  std::vector<std::pair<int, int>> pairs;
  for (const std::string& p : a.pairs) {
    if (p == "all") {
      for (const auto& kl : api::every_pair(labels)) pairs.push_back(kl);
    } else if (p == "rest") {
      for (int k : api::classes_of(labels)) pairs.emplace_back(k, exact::rest);
    } else {
      DataArgs one = a.data;
      one.pair = p;
      pairs.push_back(*one.spec().pair);
    }
  }
  return pairs;
}

std::string pair_name(const exact::json& row) {
  return std::to_string(row["k"].get<int>()) + "," + (row["l"].is_string() ? "rest" : std::to_string(row["l"].get<int>()));
}

// The pair table (issue 19): each pair decided exactly, shared out over mpirun's ranks by
// index; rank 0 prints the rows in pair order, as one process would.
void run_table(const SvmArgs& a) {
  if (!a.data.pair.empty()) throw InputError("--pair", "--pairs takes the whole multi-class DATA");
  if (a.cgal || !a.out.empty()) throw InputError(a.cgal ? "--cgal" : "--out", "not with --pairs (certificates: --out-dir)");
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  const std::vector<std::pair<int, int>> pairs = table_pairs(a, S.labels);
  if (!a.out_dir.empty()) std::filesystem::create_directories(a.out_dir);
  bridge::SolveOptions options;
  options.give_up_after_seconds = a.give_up;
  const dist::Ranks ranks;
  const std::vector<std::string> rows = ranks.map(pairs.size(), [&](std::size_t u) {
    const exact::json row = api::separability_row(spec, S, pairs[u].first, pairs[u].second, options, a.out_dir);
    std::ostringstream line;
    line << "svm: pair " << u + 1 << "/" << pairs.size() << " (" << pair_name(row) << "): "
         << (row["separable"].is_null() ? "undecided" : row["separable"].get<bool>() ? "separable" : "not separable") << ", "
         << std::fixed << std::setprecision(1) << row["seconds"].get<double>() << " s"
         << (ranks.size() > 1 ? " on rank " + std::to_string(ranks.rank()) : "") << "\n";
    std::cerr << line.str();  // one write a line
    return row.dump();
  });
  if (ranks.rank() != 0) return;
  exact::json table = exact::json::array();
  for (const std::string& r : rows) table.push_back(exact::json::parse(r));
  if (a.json) return print_json(table);
  std::cout << "pair      points  separable  margin_sq        support  seconds  method\n";
  for (const exact::json& row : table) {
    const std::string sep = row["separable"].is_null() ? "undecided" : row["separable"].get<bool>() ? "yes" : "no";
    std::ostringstream margin;
    if (!row["margin_sq"].is_null()) margin << "~" << std::setprecision(4) << mpq_class(row["margin_sq"].get<std::string>()).get_d();
    std::cout << std::left << std::setw(10) << pair_name(row) << std::setw(8) << row["points"].get<std::size_t>() << std::setw(11) << sep
              << std::setw(17) << margin.str() << std::setw(9) << (row["support"].is_null() ? std::string() : std::to_string(row["support"].get<std::size_t>()))
              << std::setw(9) << (std::ostringstream() << std::fixed << std::setprecision(1) << row["seconds"].get<double>()).str()
              << row["method"].get<std::string>() << "\n";
  }
}

void run(const SvmArgs& a) {
  if (!a.pairs.empty()) return run_table(a);
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  const auto r = a.cgal ? exact::cgal_max_margin(S) : bridge::max_margin_separator(S);
  if (!a.out.empty()) api::write_separator(exact::data_reference(spec, S, api::dir_of(a.out)), r, a.out);
  if (a.json)
    print_json(svm_json(r));
  else
    print_separator(std::cout, S, r);
}

}  // namespace

void add_svm(CLI::App& app) {
  auto args = std::make_shared<SvmArgs>();
  auto* cmd = app.add_subcommand("svm", "the exact max-margin separator of binary data, or why none exists");
  cmd->footer(std::string(data_help) +
              "\nPrints w*, b*, margin_sq = 1/|w*|^2 and the support with its multipliers alpha (listed in the\n"
              "order of `support`; every other alpha_i is 0). KKT (1)-(3) of Lemma 3 are verified exactly\n"
              "before anything is printed. Non-separable data gets lambda >= 0 with sum lambda_i y_i (x_i, 1) = 0\n"
              "(Farkas) instead. Solved in floating point, then confirmed and repaired exactly; --cgal uses\n"
              "CGAL's exact QP solver alone (slow beyond a few thousand points). Beyond 3,000 points, when\n"
              "SMO has not settled in 20 s, a simplex LP decides Gordan's alternative (a Farkas certificate,\n"
              "or a separating hyperplane and then the max-margin QP on a working set); the method says which.\n"
              "\nThe pair table (--pairs): each pair of classes of multi-class DATA decided the same way, one\n"
              "row a pair: points, separable (yes, no, or undecided when --give-up-after ran out), margin_sq\n"
              "or the Farkas support's size, seconds, method. A yes without margin_sq: the LP's separating\n"
              "hyperplane was checked exactly, but the max margin was not reached in time (no certificate).\n"
              "--out-dir writes each decided pair's certificate (svm_K_L.json, verified by the checker).\n"
              "Under mpirun the pairs are shared out over the ranks; the table is the one a single process\n"
              "prints.\n\n"
              "Examples: advdir svm mnist10k --pair 3,8 --out cert.json && advdir check cert.json\n"
              "          advdir svm fashion-train --pairs all --give-up-after 300 --out-dir certs\n"
              "          mpirun -n 8 advdir svm fashion-train --pairs rest --json > one_vs_rest.json");
  args->data.add_to(*cmd);
  cmd->add_flag("--json", args->json, "print one JSON object: separable, w, b, margin_sq, alpha, support (--pairs: an array of rows)");
  cmd->add_flag("--cgal", args->cgal, "solve with CGAL's exact dual QP solver only");
  cmd->add_option("--out", args->out, "write the certificate (theorem lemma3 or farkas) to this file");
  cmd->add_option("--pairs", args->pairs, "the pair table: K,L or K,rest (repeatable), all (every pair) or rest (each class against the rest)");
  cmd->add_option("--give-up-after", args->give_up, "--pairs: report a pair undecided after this many seconds (default: never)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--out-dir", args->out_dir, "--pairs: write each decided pair's certificate here (svm_K_L.json)");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
