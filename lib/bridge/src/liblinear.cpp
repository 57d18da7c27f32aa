#include "advdir/bridge/liblinear.hpp"

#include "advdir/exact/error.hpp"
#include "exact_float.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace advdir::bridge {

namespace {

struct Liblinear {
  std::string solver;
  std::vector<int> labels;
  std::size_t nr_feature = 0;
  mpq_class bias = -1;
  std::vector<exact::Vector> columns;  // one weight vector per column of the table (nr_w of them)
  exact::Vector b;
};

mpq_class exact_double(const std::string& token, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (token.empty() || *end != '\0') throw std::invalid_argument(what + ": not a number: \"" + token + "\"");
  return exact_float(v, what);
}

int int_field(std::istringstream& in, const std::string& key) {
  long v;
  if (!(in >> v) || v < 0 || v > 1000000) throw std::invalid_argument(key + ": expected a count");
  return int(v);
}

// Header lines until "w", then nr_feature (+1 with a bias) lines of nr_w numbers.
Liblinear parse(std::istream& in) {
  Liblinear m;
  int nr_class = -1;
  std::string line;
  while (std::getline(in, line) && line != "w") {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "solver_type") fields >> m.solver;
    else if (key == "nr_class") nr_class = int_field(fields, key);
    else if (key == "nr_feature") m.nr_feature = std::size_t(int_field(fields, key));
    else if (key == "bias") { std::string t; fields >> t; m.bias = exact_double(t, "bias"); }
    else if (key == "label") for (int v; fields >> v;) m.labels.push_back(v);
    else throw std::invalid_argument("unknown header line \"" + line + "\"");
  }
  if (line != "w") throw std::invalid_argument("no weight table (line \"w\")");
  if (nr_class < 2 || int(m.labels.size()) != nr_class) throw std::invalid_argument("expected nr_class >= 2 and one label each");
  if (m.nr_feature == 0) throw std::invalid_argument("nr_feature missing or 0");
  const std::size_t nr_w = nr_class == 2 && m.solver != "MCSVM_CS" ? 1 : std::size_t(nr_class);
  const std::size_t rows = m.nr_feature + (m.bias >= 0 ? 1 : 0);
  m.columns.assign(nr_w, exact::Vector(m.nr_feature));
  m.b.assign(nr_w, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    if (!std::getline(in, line)) throw std::invalid_argument("truncated: " + std::to_string(r) + " of " + std::to_string(rows) + " weight lines");
    std::istringstream fields(line);
    for (std::size_t c = 0; c < nr_w; ++c) {
      std::string t;
      if (!(fields >> t)) throw std::invalid_argument("weight line " + std::to_string(r + 1) + " has fewer than " + std::to_string(nr_w) + " numbers");
      const mpq_class v = exact_double(t, "weight line " + std::to_string(r + 1));
      if (r < m.nr_feature) m.columns[c][r] = v;
      else m.b[c] = m.bias * v;  // the bias feature's weight, times the feature's value
    }
  }
  for (std::string extra; in >> extra;) throw std::invalid_argument("trailing data after the weight table");
  return m;
}

Liblinear read(const std::string& path, std::size_t dim) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open");
  Liblinear m;
  try {
    m = parse(in);
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
  if (dim != 0 && m.nr_feature > dim)
    throw InputError(path, "nr_feature " + std::to_string(m.nr_feature) + " exceeds the data dimension " + std::to_string(dim));
  for (exact::Vector& w : m.columns) w.resize(std::max(dim, m.nr_feature), 0);
  return m;
}

}  // namespace

exact::MulticlassModel read_liblinear_multiclass(const std::string& path, std::size_t dim) {
  Liblinear m = read(path, dim);
  exact::MulticlassModel h;
  if (m.columns.size() == 1) {
    exact::Vector minus = m.columns[0];
    for (mpq_class& v : minus) v = -v;
    h.W = {std::move(minus), std::move(m.columns[0])};
    h.b = {-m.b[0], m.b[0]};
    h.classes = {m.labels[1], m.labels[0]};
    return h;
  }
  h.W = std::move(m.columns);
  h.b = std::move(m.b);
  h.classes = std::move(m.labels);
  return h;
}

exact::LinearModel read_liblinear_binary(const std::string& path, std::size_t dim) {
  Liblinear m = read(path, dim);
  const bool plus_first = m.labels == std::vector<int>{1, -1};
  if (m.columns.size() != 1 || (!plus_first && m.labels != std::vector<int>{-1, 1}))
    throw InputError(path, "expected a two-class model on the labels +1 and -1");
  exact::LinearModel h{std::move(m.columns[0]), m.b[0]};
  if (!plus_first) {
    for (mpq_class& v : h.w) v = -v;
    h.b = -h.b;
  }
  return h;
}

}  // namespace advdir::bridge
