// advdir demo: the main job on built-in cases (README, quick start).
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/bridge/separator.hpp"
#include "advdir/exact/error.hpp"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

namespace advdir::cli {
namespace {

struct Case {
  std::string name, what;
  exact::DataSpec spec;
  exact::Dataset data;
};

exact::Dataset plane(const std::vector<std::pair<int, std::pair<int, int>>>& pts, const std::string& name) {
  std::vector<exact::Vector> xs;
  std::vector<int> ys;
  for (const auto& [y, p] : pts) {
    xs.push_back({p.first, p.second});
    ys.push_back(y);
  }
  return exact::make_dataset(xs, ys, name);
}

std::vector<Case> builtin_cases(const std::string& data_dir) {
  exact::DataSpec inline_spec;
  inline_spec.format = exact::DataSpec::Format::inline_points;
  std::vector<Case> cases = {
      {"section6", "PROOFS.md, Section 6: w* = (1,0), b* = -1, alpha = (1/2,1/4,1/4)", inline_spec,
       plane({{-1, {0, 0}}, {1, {2, 1}}, {1, {2, -1}}}, "section6")},
      {"crowded-margin", "8 points in the plane, all on the margin (more than d+1)", inline_spec,
       plane({{-1, {0, 0}}, {-1, {0, 1}}, {-1, {0, 2}}, {-1, {0, 3}}, {1, {2, 0}}, {1, {2, 1}}, {1, {2, 2}}, {1, {2, 3}}},
             "crowded-margin")},
      {"xor", "not separable: the Farkas certificate", inline_spec,
       plane({{1, {0, 0}}, {1, {1, 1}}, {-1, {1, 0}}, {-1, {0, 1}}}, "xor")}};
  for (auto [k, l] : {std::pair{0, 1}, std::pair{3, 8}}) {
    DataArgs args{"mnist10k", std::to_string(k) + "," + std::to_string(l), false, data_dir};
    try {
      exact::DataSpec spec = args.spec();
      cases.push_back({"mnist-" + std::to_string(k) + "v" + std::to_string(l),
                       "real MNIST digits " + std::to_string(k) + " vs " + std::to_string(l) + ", d = 784", spec,
                       exact::load_dataset(spec)});
    } catch (const InputError& e) {
      std::cerr << "skipping MNIST cases: " << e.what() << "\n";
      break;
    }
  }
  return cases;
}

exact::json run_case(const Case& c, const std::string& out) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string dir = out + "/" + c.name;
  const exact::SeparatorResult solved = bridge::max_margin_separator(c.data);
  const exact::json ref = exact::data_reference(c.spec, c.data, dir);
  api::write_separator(ref, solved, dir + "/separator.json");
  exact::json row = {{"case", c.name}, {"n", c.data.size()}, {"d", c.data.dim()}, {"separable", solved.separable},
                     {"separator_check", check::check_certificate_file(dir + "/separator.json").valid}};
  std::cout << "\n== " << c.name << ": " << c.what << "\n";
  print_separator(std::cout, c.data, solved);
  if (solved.separable) {
    const auto& sep = solved.separator;
    const exact::TransferReport report =
        exact::certify_linear_transfer(c.data, sep, classifiers_to_certify(c.data, sep, {}, 50));
    bool all_valid = true;
    for (const auto& [name, theorem] : linear_theorems())
      all_valid = write_checked(theorem, ref, sep, report, dir + "/" + name + ".json").valid && all_valid;
    print_transfer(std::cout, report, sep);
    mpq_class worst = 0;
    for (const auto& t : report.certified)
      for (const mpq_class& ce : t.c_exit) worst = std::max(worst, ce);
    row.update({{"margin_sq", exact::to_json(sep.margin_sq)}, {"support", sep.support.size()},
                {"classifiers", report.certified.size()}, {"max_c_exit", exact::to_json(worst)},
                {"theorems_checked", all_valid}});
  } else {
    row["farkas_support"] = solved.farkas.support.size();
  }
  row["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "certificates in " << dir << "/, all re-verified by the checker\n";
  return row;
}

void print_summary(const exact::json& rows) {
  std::cout << "\n" << std::left << std::setw(16) << "case" << std::setw(7) << "n" << std::setw(5) << "d"
            << std::setw(13) << "separable" << std::setw(10) << "support" << std::setw(13) << "classifiers"
            << std::setw(10) << "checked" << "seconds\n";
  for (const auto& r : rows) {
    const bool sep = r["separable"];
    std::cout << std::setw(16) << r["case"].get<std::string>() << std::setw(7) << r["n"].get<std::size_t>()
              << std::setw(5) << r["d"].get<std::size_t>() << std::setw(13) << (sep ? "yes" : "no (Farkas)")
              << std::setw(10) << (sep ? std::to_string(r["support"].get<std::size_t>()) : "-") << std::setw(13)
              << (sep ? std::to_string(r["classifiers"].get<std::size_t>()) : "-") << std::setw(10)
              << ((r["separator_check"].get<bool>() && r.value("theorems_checked", true)) ? "valid" : "INVALID")
              << std::fixed << std::setprecision(2) << r["seconds"].get<double>() << "\n";
  }
}

}  // namespace

void add_demo(CLI::App& app) {
  auto out = std::make_shared<std::string>("out");
  auto data_dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("demo", "run the built-in cases: separators, Theorems 4, 5, Corollary 6, checks");
  cmd->footer("Writes, for each case, separator.json, theorem4.json, theorem5.json and corollary6.json under\n"
              "OUT/CASE/, re-verifies each with the checker, and writes OUT/summary.json. The MNIST cases\n"
              "run when data/mnist10k is set up (scripts/setup.sh does it).");
  cmd->add_option("--out", *out, "output folder")->capture_default_str();
  cmd->add_option("--data-dir", *data_dir, "where built-in data sets live (default: $ADVDIR_DATA or ./data)");
  cmd->callback([out, data_dir] {
    exact::json rows = exact::json::array();
    for (const Case& c : builtin_cases(*data_dir)) rows.push_back(run_case(c, *out));
    exact::write_file_atomic(*out + "/summary.json", rows.dump(1) + "\n");
    print_summary(rows);
    std::cout << "\nsummary: " << *out << "/summary.json\n";
    for (const auto& r : rows)
      if (!r["separator_check"].get<bool>() || !r.value("theorems_checked", true)) exit_code() = refused;
  });
}

}  // namespace advdir::cli
