#include "data.hpp"

#include "advdir/check/check.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace advdir::check::detail {
namespace {

using json = nlohmann::json;

bool digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

[[noreturn]] void unreadable(const std::string& what) { throw Unreadable(what); }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) unreadable(path + ": cannot open data file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string resolve(const json& ref, const char* key, const char* hash_key, const std::string& base_dir) {
  if (!ref.contains(key) || !ref[key].is_string() || !ref.contains(hash_key) || !ref[hash_key].is_string())
    unreadable(std::string("data reference lacks \"") + key + "\" or \"" + hash_key + "\"");
  std::filesystem::path p(ref[key].get<std::string>());
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  if (sha256_hex(slurp(p.string())) != ref[hash_key].get<std::string>())
    unreadable(p.string() + ": SHA-256 differs from the certificate's: not the data it was made from");
  return p.string();
}

void set_points(Data& data, const std::vector<std::vector<mpq_class>>& rows) {
  data.d = rows.empty() ? 0 : rows.front().size();
  for (const auto& r : rows) {
    if (r.size() != data.d) unreadable("data points of different dimensions");
    for (const mpq_class& v : r) mpz_lcm(data.den.get_mpz_t(), data.den.get_mpz_t(), v.get_den_mpz_t());
  }
  for (const auto& r : rows) {
    data.rows.emplace_back();
    for (std::uint32_t j = 0; j < r.size(); ++j)
      if (sgn(r[j]) != 0) data.push(data.rows.back(), j, r[j].get_num() * (data.den / r[j].get_den()));
  }
}

Data text_data(const std::string& path) {
  std::istringstream in(slurp(path));
  std::vector<std::vector<mpq_class>> rows;
  Data data;
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<mpq_class> row;
    std::stringstream fields(line);
    std::string f;
    bool first = true;
    while (std::getline(fields, f, ',')) {
      mpq_class v = parse_number(f);
      if (!first) {
        row.push_back(v);
      } else if (v.get_den() != 1 || !v.get_num().fits_sint_p()) {
        unreadable(path + ": label '" + f + "' is not an integer");
      } else {
        data.y.push_back(int(v.get_num().get_si()));
      }
      first = false;
    }
    rows.push_back(std::move(row));
  }
  set_points(data, rows);
  return data;
}

std::vector<std::uint32_t> idx_header(gzFile f, const std::string& path, std::size_t& total) {
  unsigned char b[4];
  if (gzread(f, b, 4) != 4 || b[0] || b[1] || b[2] != 0x08 || b[3] == 0) unreadable(path + ": not a ubyte IDX file");
  std::vector<std::uint32_t> dims(b[3]);
  total = 1;
  for (auto& n : dims) {
    if (gzread(f, b, 4) != 4) unreadable(path + ": truncated IDX header");
    n = std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3];
    if (n != 0 && total > (std::size_t(1) << 40) / n) unreadable(path + ": IDX dimensions too large");
    total *= n;
  }
  return dims;
}

std::vector<unsigned char> idx_bytes(const std::string& path, std::vector<std::uint32_t>& dims) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) unreadable(path + ": cannot open");
  std::size_t total = 0;
  dims = idx_header(f, path, total);
  std::vector<unsigned char> bytes;  // grows with what arrives, not with what the header claims
  unsigned char buf[1 << 16];
  int got;
  while (bytes.size() < total && (got = gzread(f, buf, unsigned(std::min<std::size_t>(sizeof buf, total - bytes.size())))) > 0)
    bytes.insert(bytes.end(), buf, buf + got);
  gzclose(f);
  if (bytes.size() != total) unreadable(path + ": truncated IDX data");
  return bytes;
}

Data idx_data(const json& ref, const std::string& base_dir) {
  std::vector<std::uint32_t> idims, ldims;
  auto img = idx_bytes(resolve(ref, "images", "images_sha256", base_dir), idims);
  auto lab = idx_bytes(resolve(ref, "labels", "labels_sha256", base_dir), ldims);
  if (idims.size() < 2 || ldims.size() != 1 || idims[0] != ldims[0]) unreadable("IDX images and labels do not match");
  const json scale = ref.value("scale", json());
  if (scale != "255" && scale != "1") unreadable("IDX scale must be \"255\" or \"1\"");
  Data data;
  data.den = scale == "255" ? 255 : 1;
  data.y.assign(lab.begin(), lab.end());
  data.d = img.size() / idims[0];
  data.rows.resize(data.y.size());
  for (std::size_t i = 0; i < data.rows.size(); ++i)
    for (std::uint32_t j = 0; j < data.d; ++j)
      if (const unsigned char v = img[i * data.d + j]) {
        data.rows[i].push_back({j, 1, data.limbs.size()});
        data.limbs.push_back(v);
      }
  return data;
}

Data inline_data(const json& ref) {
  if (!ref.contains("labels") || !ref.contains("points")) unreadable("inline data lacks labels or points");
  Data data;
  std::vector<std::vector<mpq_class>> rows;
  for (const json& p : ref["points"]) {
    rows.emplace_back();
    for (const json& v : p) rows.back().push_back(parse_number(v.get<std::string>()));
  }
  for (const json& l : ref["labels"]) data.y.push_back(small_int(l, "inline data labels", [](const std::string& w) { return Unreadable(w); }));
  if (data.y.size() != rows.size()) unreadable("inline data: labels and points differ in number");
  set_points(data, rows);
  return data;
}

// Keeps the points of class `pos` (as +1) and `neg` (as -1); neg = -1 means every other class.
// Rows move in place: no number is copied.
void select_pair(Data& data, int pos, int neg) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < data.n(); ++i) {
    if (data.y[i] != pos && data.y[i] != neg && neg != -1) continue;
    data.y[kept] = data.y[i] == pos ? 1 : -1;
    if (kept != i) data.rows[kept] = std::move(data.rows[i]);
    ++kept;
  }
  data.y.resize(kept);
  data.rows.resize(kept);
}

}  // namespace

void Data::push(std::vector<Entry>& row, std::uint32_t j, const mpz_class& v) {
  const mp_size_t n = mpz_size(v.get_mpz_t());
  row.push_back({j, std::int32_t(sgn(v) * n), limbs.size()});
  limbs.insert(limbs.end(), mpz_limbs_read(v.get_mpz_t()), mpz_limbs_read(v.get_mpz_t()) + n);
}

mpq_class parse_number(const std::string& raw) {
  std::string s = raw;
  s.erase(0, s.find_first_not_of(" \t\r"));
  s.erase(s.find_last_not_of(" \t\r") + 1);
  bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.erase(0, 1);
  mpq_class v;
  if (auto slash = s.find('/'); slash != std::string::npos) {
    std::string a = s.substr(0, slash), b = s.substr(slash + 1);
    if (!digits(a) || !digits(b) || mpz_class(b, 10) == 0) unreadable("bad number '" + raw + "'");
    v = mpq_class(mpz_class(a, 10), mpz_class(b, 10));
  } else {
    long exp10 = 0;
    if (auto e = s.find_first_of("eE"); e != std::string::npos) {
      std::string ex = s.substr(e + 1);
      const bool eneg = !ex.empty() && ex[0] == '-';
      if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.erase(0, 1);
      if (!digits(ex) || ex.size() > 7 || std::stol(ex) > 1000000) unreadable("bad number '" + raw + "'");
      exp10 = eneg ? -std::stol(ex) : std::stol(ex);
      s = s.substr(0, e);
    }
    const auto dot = s.find('.');
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    std::string whole = s.substr(0, dot);
    if ((!whole.empty() && !digits(whole)) || (!frac.empty() && !digits(frac)) || whole.size() + frac.size() == 0)
      unreadable("bad number '" + raw + "'");
    exp10 -= long(frac.size());
    mpz_class p10;
    mpz_ui_pow_ui(p10.get_mpz_t(), 10, std::abs(exp10));
    mpz_class m(whole + frac, 10);
    v = exp10 < 0 ? mpq_class(m, p10) : mpq_class(m * p10);
  }
  v.canonicalize();
  return neg ? mpq_class(-v) : v;
}

Data load_data(const json& ref, const std::string& base_dir) {
  if (!ref.is_object()) unreadable("certificate has no \"data\" object");
  const json named = ref.value("format", json());
  const std::string format = named.is_string() ? named.get<std::string>() : "";
  Data data = format == "inline" ? inline_data(ref)
              : format == "text" ? text_data(resolve(ref, "path", "sha256", base_dir))
              : format == "idx"  ? idx_data(ref, base_dir)
                                 : (unreadable("unknown data format '" + format + "'"), Data{});
  if (data.n() == 0) unreadable("the data has no points");
  if (ref.contains("pair")) {
    auto bad = [](const std::string& w) { return Unreadable(w); };
    select_pair(data, small_int(ref["pair"].at(0), "data.pair", bad), small_int(ref["pair"].at(1), "data.pair", bad));
  }
  return data;
}

}  // namespace advdir::check::detail
