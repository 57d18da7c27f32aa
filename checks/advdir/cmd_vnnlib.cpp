// advdir vnnlib check | check-results: verification tools' counterexamples to VNNLIB
// properties, decided exactly (is X in the input region, the exact outputs, is the output
// condition met), one file or a whole competition results folder.
#include "cli.hpp"
#include "models.hpp"

#include "advdir/api/vnnlib.hpp"
#include "advdir/dist/ranks.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/vnnlib.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

namespace advdir::cli {
namespace {

namespace fs = std::filesystem;
namespace vnn = exact::vnnlib;

struct CheckArgs {
  std::string net, property, counterexample, format, x_as = "decimal", certificate, out;
  bool json = false;
};

void run_check(const CheckArgs& a) {
  const vnn::Property p = vnn::read(a.property);
  const std::string format = model_format(a.net, a.format);
  ModelArgs read;
  read.format = format;
  const exact::GraphEngine net(exact_graph(a.net, read), a.net);
  const api::Decision d =
      api::check_counterexample(net, a.net, format, p, a.property, a.counterexample, a.x_as == "float32", a.certificate);
  exit_code() = d.counterexample() ? ok : refused;
  if (a.json) return print_json(api::decision_json(p, d, a.x_as));
  std::cout << "X: " << p.inputs << " values, " << (a.x_as == "float32" ? "each rounded to the nearest float32" : "read as the decimals written")
            << "\ninput region: " << (d.region.empty() ? "inside" : "OUTSIDE, " + std::to_string(d.region.size()) + " bound(s) violated") << "\n";
  for (const api::Miss& m : d.region)
    std::cout << "  " << m.text << " (line " << m.line << "): " << (m.by == 0 ? "on the strict bound" : "exceeded by " + exact::to_string(m.by)) << "\n";
  std::cout << "outputs (exact):";
  for (std::size_t j = 0; j < d.y.size() && j < 10; ++j) std::cout << " Y_" << j << " = " << exact::to_string(d.y[j]);
  std::cout << (d.y.size() > 10 ? " ..." : "") << "\n"
            << "the file's Y: " << (d.y_diff ? "differs from the exact outputs by at most " + exact::to_string(*d.y_diff) : "not given") << "\n"
            << "output condition: " << (d.condition.empty() ? "holds" : "FAILS") << "\n";
  for (std::size_t k = 0; k < p.asserts.size(); ++k)
    if (vnn::reads(p.asserts[k]) != 'X')
      if (const auto which = api::disjunct(p.asserts[k], d.x, d.y))
        std::cout << "  assertion " << k + 1 << ": disjunct " << *which + 1 << " of " << p.asserts[k].parts.size() << ", slack "
                  << exact::to_string(vnn::slack(p.asserts[k].parts[*which], d.x, d.y)) << "\n";
  for (const api::Miss& m : d.condition)
    std::cout << "  " << m.text << " (line " << m.line << "): " << (m.by == 0 ? "holds with equality, the comparison is strict" : "missed by " + exact::to_string(m.by)) << "\n";
  std::cout << "the competition's replay (1e-4 tolerance, the file's Y): "
            << (d.replay ? (*d.replay ? "accepts it" : "rejects it") : "needs every Y_j in the file") << "\n"
            << (d.counterexample() ? "an exact counterexample" : "NOT a counterexample") << "\n";
  if (d.counterexample() && !a.certificate.empty()) std::cout << "certificate: " << a.certificate << " (verified by the independent checker)\n";
}

// --- repair -------------------------------------------------------------------------------

void run_repair(const CheckArgs& a) {
  const vnn::Property p = vnn::read(a.property);
  const std::string format = model_format(a.net, a.format);
  ModelArgs read;
  read.format = format;
  exact::Graph g = exact_graph(a.net, read);
  const std::optional<exact::ReluNet> layered = exact::as_relu_net(g);
  if (!layered) throw InputError(a.net, "repair walks layered nets (chains of affine maps and ReLUs); this net is a graph");
  const exact::GraphEngine net(std::move(g), a.net);
  const api::Decision d = api::decide(net, p, vnn::read_counterexample(a.counterexample, p), a.x_as == "float32", a.property);
  vnn::Repair r;
  try {
    r = vnn::repair(*layered, p, d.x);
  } catch (const std::invalid_argument& e) {
    throw InputError(a.property, e.what());
  }
  exit_code() = r.found ? ok : refused;
  if (r.found && !a.out.empty()) exact::write_file_atomic(a.out, vnn::counterexample_text(r.x, r.y));
  if (r.found && !a.certificate.empty()) api::write_vnnlib_certificate(a.net, format, a.property, r.x, r.y, a.certificate);
  if (a.json)
    return print_json({{"x_reading", a.x_as}, {"was_counterexample", d.counterexample()}, {"found", r.found}, {"how", r.how},
                       {"boxes", r.boxes}, {"boxes_searched", r.tried}, {"x", r.found ? exact::to_json(r.x) : exact::json()},
                       {"outputs", r.found ? exact::to_json(r.y) : exact::json()}, {"distance", r.found ? exact::to_json([&] {
                         mpq_class m = 0;
                         for (std::size_t i = 0; i < r.x.size(); ++i) m = std::max(m, mpq_class(abs(r.x[i] - d.x[i])));
                         return m;
                       }()) : exact::json()},
                       {"out", a.out.empty() || !r.found ? exact::json() : exact::json(a.out)},
                       {"certificate", a.certificate.empty() || !r.found ? exact::json() : exact::json(a.certificate)}});
  std::cout << "the given X: " << (d.counterexample() ? "an exact counterexample" : "not an exact counterexample") << "\n"
            << (r.found ? "repaired: " : "not repaired: ") << r.how << " (" << r.tried << " of " << r.boxes << " input boxes searched)\n";
  if (r.found && !a.out.empty()) std::cout << "exact counterexample: " << a.out << "\n";
  if (r.found && !a.certificate.empty()) std::cout << "certificate: " << a.certificate << " (verified by the independent checker)\n";
}

// --- a whole results folder ---------------------------------------------------------------

struct ResultsArgs {
  std::string results, benchmarks, out = "vnnlib_check_results.csv", x_as = "decimal";
};

// NAME with one of the suffixes removed, or "" when it has none.
std::string strip(const std::string& name, std::initializer_list<const char*> suffixes) {
  for (const char* s : suffixes) {
    const std::string suffix(s);
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return name.substr(0, name.size() - suffix.size());
  }
  return "";
}

// A category's instances.csv (onnx path, vnnlib path, timeout), keyed as the competition
// names counterexample files: NET_PROP for NET.onnx and PROP.vnnlib. None when the
// benchmarks have no such category.
std::map<std::string, std::pair<fs::path, fs::path>> instances(const fs::path& category) {
  fs::path csv = category / "instances.csv";
  if (!fs::exists(csv)) csv += ".gz";
  if (!fs::exists(csv)) return {};  // a category the benchmarks do not hold: its files have no instance
  std::istringstream in(exact::read_file_gunzip(csv.string(), std::size_t(1) << 28));
  std::map<std::string, std::pair<fs::path, fs::path>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::stringstream fields(line);
    std::string onnx, vnnlib;
    if (!std::getline(fields, onnx, ',') || !std::getline(fields, vnnlib, ',')) throw InputError(csv.string(), "expected onnx,vnnlib,timeout lines");
    const std::string net = strip(fs::path(onnx).filename().string(), {".onnx.gz", ".onnx"});
    const std::string prop = strip(fs::path(vnnlib).filename().string(), {".vnnlib.gz", ".vnnlib"});
    out[net + "_" + prop] = {category / onnx, category / vnnlib};
  }
  return out;
}

// A path that exists: as named, or with .gz added (the competition gzips large files).
fs::path existing(const fs::path& p) {
  if (fs::exists(p)) return p;
  fs::path gz = p;
  gz += ".gz";
  return fs::exists(gz) ? gz : p;
}

struct Row {
  std::string tool, category, file, net, property, status;
  std::optional<bool> inside, violating, exact, replay;
};

// One counterexample file, decided; nets and properties are read once each.
Row decide_file(const ResultsArgs& a, const fs::path& file, const std::map<std::string, std::pair<fs::path, fs::path>>& known,
                std::map<fs::path, std::unique_ptr<exact::GraphEngine>>& nets, std::map<fs::path, vnn::Property>& props) {
  Row r{file.parent_path().parent_path().filename().string(), file.parent_path().filename().string(), file.filename().string(), "", "", "", {}, {}, {}, {}};
  const auto instance = known.find(strip(r.file, {".counterexample.gz", ".counterexample"}));
  if (instance == known.end()) return r.status = "no_instance", r;
  const fs::path onnx = existing(instance->second.first), vnnlib = existing(instance->second.second);
  r.net = onnx.filename().string(), r.property = vnnlib.filename().string();
  try {
    const std::string text = exact::read_file_gunzip(file.string(), std::size_t(1) << 28);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return r.status = "empty", r;
  } catch (const InputError& e) {
    return r.status = std::string("malformed: ") + e.what(), r;
  }
  try {
    if (!props.count(vnnlib)) props.emplace(vnnlib, vnn::read(vnnlib.string()));
    if (!nets.count(onnx)) nets.emplace(onnx, std::make_unique<exact::GraphEngine>(bridge::read_onnx_graph(onnx.string(), {}), onnx.string()));
  } catch (const InputError& e) {
    return r.status = std::string("unsupported: ") + e.what(), r;
  }
  try {
    const api::Decision d = api::decide(*nets.at(onnx), props.at(vnnlib), vnn::read_counterexample(file.string(), props.at(vnnlib)), a.x_as == "float32", file.string());
    r.inside = d.region.empty(), r.violating = d.condition.empty(), r.exact = d.counterexample(), r.replay = d.replay;
    r.status = d.counterexample() ? "exact" : !d.region.empty() ? "outside_region" : "not_violating";
  } catch (const InputError& e) {
    r.status = std::string("malformed: ") + e.what();
  }
  return r;
}

// A row as the ranks send it to rank 0, and back.
exact::json row_json(const Row& r) {
  auto opt = [](const std::optional<bool>& b) { return b ? exact::json(*b) : exact::json(); };
  return {r.tool, r.category, r.file, r.net, r.property, r.status, opt(r.inside), opt(r.violating), opt(r.exact), opt(r.replay)};
}

Row row_of(const exact::json& j) {
  auto opt = [](const exact::json& b) { return b.is_null() ? std::optional<bool>() : std::optional<bool>(b.get<bool>()); };
  return {j[0], j[1], j[2], j[3], j[4], j[5], opt(j[6]), opt(j[7]), opt(j[8]), opt(j[9])};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string cell(const std::optional<bool>& b) { return b ? (*b ? "1" : "0") : ""; }

void run_check_results(const ResultsArgs& a) {
  if (!fs::is_directory(a.results)) throw InputError(a.results, "not a folder (expected RESULTS/TOOL/CATEGORY/*.counterexample)");
  if (!fs::is_directory(a.benchmarks)) throw InputError(a.benchmarks, "not a folder (expected BENCHMARKS/CATEGORY/instances.csv)");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(a.results)) {
    const fs::path rel = fs::relative(e.path(), a.results);  // TOOL/CATEGORY/FILE
    if (e.is_regular_file() && std::distance(rel.begin(), rel.end()) == 3 &&
        !strip(e.path().filename().string(), {".counterexample.gz", ".counterexample"}).empty())
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::map<std::string, std::pair<fs::path, fs::path>>> known;  // per category
  std::map<fs::path, std::unique_ptr<exact::GraphEngine>> nets;
  std::map<fs::path, vnn::Property> props;
  // Under mpirun, rank r decides files r, r + K, ...; rank 0 gets the rows in file order.
  const dist::Ranks ranks;
  std::size_t share = 0, done = 0;
  for (std::size_t k = 0; k < files.size(); ++k) share += ranks.owns(k);
  const std::vector<std::string> results = ranks.map(files.size(), [&](std::size_t k) {
    const std::string category = files[k].parent_path().filename().string();
    if (!known.count(category)) known[category] = instances(fs::path(a.benchmarks) / category);
    const Row r = decide_file(a, files[k], known[category], nets, props);
    if (ranks.rank() == 0)
      std::cerr << "\rcheck-results: " << ++done << "/" << share << " counterexamples"
                << (ranks.size() > 1 ? " (rank 0's share of " + std::to_string(files.size()) + ")" : "") << std::flush;
    return row_json(r).dump(-1, ' ', false, exact::json::error_handler_t::replace);
  });
  if (ranks.rank() == 0 && share) std::cerr << "\n";
  if (ranks.rank() != 0) return;
  std::vector<Row> rows;
  for (const std::string& r : results) rows.push_back(row_of(exact::json::parse(r)));
  std::ostringstream csv;
  csv << "tool,category,file,net,property,status,inside_region,violating,exact,replay_1e-4\n";
  for (const Row& r : rows)
    csv << csv_field(r.tool) << "," << csv_field(r.category) << "," << csv_field(r.file) << "," << csv_field(r.net) << "," << csv_field(r.property)
        << "," << csv_field(r.status) << "," << cell(r.inside) << "," << cell(r.violating) << "," << cell(r.exact) << "," << cell(r.replay) << "\n";
  exact::write_file_atomic(a.out, csv.str());
  struct Counts {
    std::size_t submitted = 0, empty = 0, inside = 0, violating = 0, exact = 0, replay = 0;
  };
  std::map<std::pair<std::string, std::string>, Counts> table;
  for (const Row& r : rows) {
    Counts& c = table[{r.tool, r.category}];
    ++c.submitted;
    c.empty += r.status == "empty";
    c.inside += r.inside.value_or(false), c.violating += r.violating.value_or(false);
    c.exact += r.exact.value_or(false), c.replay += r.replay.value_or(false);
  }
  std::cout << "tool | category | submitted | empty | inside the region | violating | exact counterexamples | accepted by the 1e-4 replay\n";
  for (const auto& [key, c] : table)
    std::cout << key.first << " | " << key.second << " | " << c.submitted << " | " << c.empty << " | " << c.inside << " | " << c.violating
              << " | " << c.exact << " | " << c.replay << "\n";
  std::cout << rows.size() << " counterexample files; the table per file: " << a.out << "\n";
}

void add_x_as(CLI::App* cmd, std::string& x_as) {
  cmd->add_option("--x-as", x_as, "decimal (default): X as written; float32: each X rounded to float32")
      ->check(CLI::IsMember({"decimal", "float32"}));
}

// NET PROPERTY COUNTEREXAMPLE, --format, --x-as, --certificate and --json: one instance.
void add_instance(CLI::App* cmd, CheckArgs& a, const std::string& certificate_help) {
  cmd->add_option("NET", a.net, "the network")->required();
  cmd->add_option("PROPERTY", a.property, "the VNNLIB property (.vnnlib or .vnnlib.gz)")->required();
  cmd->add_option("COUNTEREXAMPLE", a.counterexample, "the counterexample file (plain or .gz)")->required();
  cmd->add_option("--format", a.format, "the net's format when its extension does not say: onnx|nnet|json");
  add_x_as(cmd, a.x_as);
  cmd->add_option("--certificate", a.certificate, certificate_help);
  cmd->add_flag("--json", a.json, "print one JSON object");
}

}  // namespace

void add_vnnlib(CLI::App& app) {
  auto* cmd = app.add_subcommand("vnnlib", "VNNLIB properties: verification tools' counterexamples, decided exactly");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();
  auto* check = cmd->add_subcommand("check", "one counterexample against its net and property");
  check->footer(
      "advdir vnnlib check NET PROP CE: reads the property (VNN-COMP's VNNLIB subset: declare-const X_i / Y_j\n"
      "Real; assert of <=, <, >=, > between variables, decimals and linear terms, with and / or at any\n"
      "depth; plain or .gz) and the counterexample ((X_0 v) ... (Y_0 v) ..., after an optional result line\n"
      "sat), and decides exactly, every decimal as the rational it denotes: is X inside the input region\n"
      "(each violated bound named, with its exact excess); the net's exact outputs at X; how far the file's\n"
      "Y are from them; is the output condition met (which disjunct, with its slack). It also says what the\n"
      "competition's replay rule (1e-4 tolerance, the file's Y) decides.\n"
      "Exit 0: an exact counterexample; 1: not; 2: bad input.\n"
      "--x-as float32 first rounds each X to the nearest float32, what a tool feeding float32 evaluated.\n"
      "NET: .onnx or .onnx.gz (every operator `advdir import --help` lists: convnets and residual nets too),\n"
      ".nnet, or advdir JSON. A certificate (--certificate) needs a chain of Gemm/MatMul/Add/Relu/Flatten,\n"
      "which the checker's own ONNX reader takes.\n\n"
      "Example: advdir vnnlib check mnist_mlp.onnx prop_0.vnnlib tool.counterexample --json");
  add_instance(check, *args, "when X is an exact counterexample, write its certificate here (checked by advdir check)");
  check->callback([args] { run_check(*args); });

  auto rep = std::make_shared<CheckArgs>();
  auto* repair = cmd->add_subcommand("repair", "an exact counterexample near one that is not");
  repair->footer(
      "advdir vnnlib repair NET PROP CE: when the counterexample is not exact, searches for one nearby,\n"
      "exactly. The property is read as the disjunction of its terms; a term that bounds every X_i is a\n"
      "box. Box by box, nearest to X first: X clamped into the box; else the segment from the box's centre\n"
      "through the clamped X, and the one along the tool's own X, each walked exactly between the net's\n"
      "ReLU kinks up to the box's boundary, taking the first point where the property holds. Says what was\n"
      "done, or that no exact counterexample lies on those segments.\n"
      "Exit 0: an exact counterexample (given or found); 1: none found; 2: bad input.\n"
      "--out writes it as a counterexample file (exact values: decimals, or (/ p q)); --certificate writes\n"
      "a vnnlib_counterexample certificate that advdir check and advdir-check verify with their own\n"
      "ONNX and VNNLIB readers.\n\n"
      "Example: advdir vnnlib repair net.onnx prop.vnnlib tool.counterexample --out exact.counterexample --certificate ce.cert.json");
  add_instance(repair, *rep, "write its certificate here (checked by advdir check)");
  repair->add_option("--out", rep->out, "write the exact counterexample found here");
  repair->callback([rep] { run_repair(*rep); });

  auto rargs = std::make_shared<ResultsArgs>();
  auto* results = cmd->add_subcommand("check-results", "every counterexample of a competition results folder");
  results->footer(
      "advdir vnnlib check-results RESULTS --benchmarks BENCH: walks the competition's layout,\n"
      "RESULTS/TOOL/CATEGORY/NET_PROP.counterexample[.gz], finds each file's instance in\n"
      "BENCH/CATEGORY/instances.csv (onnx,vnnlib,timeout lines; the files plain or .gz), and decides every\n"
      "counterexample exactly, as `vnnlib check` does. Writes one CSV row a file (--out) and prints a table\n"
      "per tool and category: submitted, empty, inside the region, violating, exact counterexamples, and\n"
      "how many the competition's 1e-4 replay accepts. A net the exact layer cannot read yet is reported as\n"
      "unsupported, with the reason.\n\n"
      "Example: advdir vnnlib check-results vnncomp2022_results --benchmarks vnncomp2022_benchmarks/benchmarks");
  results->add_option("RESULTS", rargs->results, "the results folder (TOOL/CATEGORY/*.counterexample)")->required();
  results->add_option("--benchmarks", rargs->benchmarks, "the benchmarks folder (CATEGORY/{onnx,vnnlib}, instances.csv)")->required();
  results->add_option("--out", rargs->out, "the CSV, one row a counterexample file (default vnnlib_check_results.csv)");
  add_x_as(results, rargs->x_as);
  results->callback([rargs] { run_check_results(*rargs); });
}

}  // namespace advdir::cli
