#include "cli.hpp"

#include "advdir/exact/error.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>

namespace advdir::cli {

const char* data_help =
    "DATA is one of:\n"
    "  FILE             text, one point a line: label,x1,...,xd (labels +1/-1, or 0..K-1 with --pair);\n"
    "                   numbers may be integers, decimals (0.125), fractions (-3/7) or 1e-3; # starts a comment\n"
    "  IMAGES,LABELS    an IDX image file and its IDX label file, plain or .gz (pixels k read as k/255)\n"
    "  mnist10k         the 10,000 real MNIST digits set up under data/mnist10k (see README)\n"
    "  fashion          Fashion-MNIST's 10,000 test images (Debian package dataset-fashion-mnist)\n"
    "  fashion-train    Fashion-MNIST's 60,000 training images (the same package)\n";

void DataArgs::add_to(CLI::App& cmd, bool required) {
  cmd.add_option("DATA,--data", data, "the data set (see below); positional or --data")->required(required);
  cmd.add_option("--pair", pair, "two classes K,L of multi-class data: K becomes +1, L becomes -1 (L = rest: all others)");
  cmd.add_flag("--raw", raw, "read IDX pixels as the integers 0..255 instead of k/255");
  cmd.add_option("--data-dir", data_dir, "where built-in data sets live (default: $ADVDIR_DATA or ./data)");
}

exact::DataSpec DataArgs::spec() const {
  exact::DataSpec s;
  const char* env = std::getenv("ADVDIR_DATA");
  const std::string dir = !data_dir.empty() ? data_dir : env ? env : "data";
  const std::string fashion = "/usr/share/datasets/fashion-mnist/";
  if (data == "mnist10k") {
    s.format = exact::DataSpec::Format::idx;
    s.images = dir + "/mnist10k/images-idx3-ubyte";
    s.labels = dir + "/mnist10k/labels-idx1-ubyte";
    if (!std::filesystem::exists(s.images))
      throw InputError(s.images, "mnist10k is not set up: run scripts/setup.sh (README, quick start)");
  } else if (data == "fashion" || data == "fashion-train") {
    const std::string part = data == "fashion" ? "t10k" : "train";
    s.format = exact::DataSpec::Format::idx;
    s.images = fashion + part + "-images-idx3-ubyte.gz";
    s.labels = fashion + part + "-labels-idx1-ubyte.gz";
  } else if (auto comma = data.find(','); comma != std::string::npos) {
    s.format = exact::DataSpec::Format::idx;
    s.images = data.substr(0, comma);
    s.labels = data.substr(comma + 1);
  } else {
    s.path = data;
  }
  s.scale = raw ? exact::IdxScale::raw : exact::IdxScale::unit;
  if (!pair.empty()) {
    auto comma = pair.find(',');
    try {
      if (comma == std::string::npos) throw std::invalid_argument("");
      const std::string second = pair.substr(comma + 1);
      s.pair = {std::stoi(pair.substr(0, comma)), second == "rest" ? exact::rest : std::stoi(second)};
    } catch (const std::exception&) {
      throw InputError("--pair", "expected two class labels K,L, got '" + pair + "'");
    }
  }
  return s;
}

// "1/2,0,-3" or "@FILE" holding the same.
exact::Vector vector_arg(const std::string& text, const std::string& flag) {
  std::string body = text, source = flag;
  if (!text.empty() && text.front() == '@') {
    source = text.substr(1);
    std::ifstream in(source);
    if (!in) throw InputError(source, "cannot open file");
    std::ostringstream s;
    s << in.rdbuf();
    body = s.str();
  }
  try {
    return exact::parse_vector(body);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, std::string("malformed vector: ") + e.what());
  }
}

void print_json(const exact::json& j) { std::cout << j.dump() << std::endl; }

int& exit_code() {
  static int code = ok;
  return code;
}

}  // namespace advdir::cli
