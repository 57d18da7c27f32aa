#include "data.hpp"

#include "advdir/check/check.hpp"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace advdir::check::detail {
namespace {

using json = nlohmann::json;

[[noreturn]] void unreadable(const std::string& what) { throw Unreadable(what); }

const std::string& string_member(const json& ref, const std::string& key) {
  const json* v = member(ref, key);
  if (!v || !v->is_string()) unreadable("data reference lacks the string \"" + key + "\"");
  return v->get_ref<const std::string&>();
}

// The file's bytes, read once; its SHA-256 must be the certificate's, and these very
// bytes are what the caller parses (a file changing between two reads cannot mislead).
std::pair<std::string, std::string> hashed_file(const json& ref, const char* key, const char* hash_key, const std::string& base_dir) {
  std::filesystem::path p(string_member(ref, key));
  const std::string& hash = string_member(ref, hash_key);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  std::string bytes = read_bounded(p.string(), max_data_bytes);
  if (sha256_hex(bytes) != hash) unreadable(p.string() + ": SHA-256 differs from the certificate's: not the data it was made from");
  return {p.string(), std::move(bytes)};
}

std::size_t bits(const mpz_class& z) { return mpz_sizeinbase(z.get_mpz_t(), 2); }

// Counts the bits of the numbers parsed so far, refusing the data past max_data_bits.
struct Budget {
  std::size_t used = 0;
  const mpq_class& operator()(const mpq_class& v) {
    used += bits(v.get_num()) + bits(v.get_den());
    if (used > max_data_bits) unreadable("the data's numbers take more than 2^31 bits");
    return v;
  }
};

void set_points(Data& data, const std::vector<std::vector<mpq_class>>& rows) {
  data.d = rows.empty() ? 0 : rows.front().size();
  for (const auto& r : rows) {
    if (r.size() != data.d) unreadable("data points of different dimensions");
    for (const mpq_class& v : r) mpz_lcm(data.den.get_mpz_t(), data.den.get_mpz_t(), v.get_den_mpz_t());
  }
  // Each entry becomes num * (den / its den): its size, summed before any is built.
  std::size_t scaled = 0;
  for (const auto& r : rows)
    for (const mpq_class& v : r)
      if (sgn(v) != 0 && (scaled += bits(v.get_num()) + bits(data.den) - bits(v.get_den()) + 1) > max_data_bits)
        unreadable("over their common denominator, the data's numbers take more than 2^31 bits");
  for (const auto& r : rows) {
    data.rows.emplace_back();
    for (std::uint32_t j = 0; j < r.size(); ++j)
      if (sgn(r[j]) != 0) data.push(data.rows.back(), j, r[j].get_num() * (data.den / r[j].get_den()));
  }
}

Data text_data(const std::string& path, const std::string& bytes) {
  std::istringstream in(bytes);
  std::vector<std::vector<mpq_class>> rows;
  Data data;
  Budget budget;
  std::string line;
  for (std::size_t at = 1; std::getline(in, line); ++at) {
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto where = [&] { return path + ":" + std::to_string(at) + ": "; };  // on failure only
    std::vector<mpq_class> row;
    std::stringstream fields(line);
    std::string f;
    bool first = true;
    while (std::getline(fields, f, ',')) {
      mpq_class v;
      try {
        v = budget(parse_number(f));
      } catch (const Unreadable& e) {
        unreadable(where() + e.what());
      }
      if (!first) {
        row.push_back(v);
      } else if (v.get_den() != 1 || v < -2147483647 || v > 2147483647) {
        unreadable(where() + "label " + shown(f) + " is not an integer in [-2^31 + 1, 2^31 - 1]");
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

// gzip members (one or several, as gzip writes them) inflated, refusing more than
// max_data_bytes of output: a small file cannot expand without bound.
std::string gunzip(const std::string& path, const std::string& packed) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) unreadable(path + ": zlib failed to start");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = uInt(packed.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_data_bytes) break;
    if (rc == Z_STREAM_END && z.avail_in > 0) rc = inflateReset(&z);  // the next member
    else if (rc != Z_OK) break;
  }
  inflateEnd(&z);
  if (out.size() > max_data_bytes) unreadable(path + ": expands past " + std::to_string(max_data_bytes) + " bytes");
  if (rc != Z_STREAM_END) unreadable(path + ": corrupt or truncated gzip data");
  return out;
}

// An IDX file (plain or gzip): its dimensions and the payload after the header.
std::vector<std::uint32_t> idx_parse(const std::string& path, std::string file, std::string& payload) {
  std::string raw = inflated(path, std::move(file));
  auto byte = [&](std::size_t k) { return std::uint32_t(std::uint8_t(raw[k])); };
  if (raw.size() < 4 || byte(0) || byte(1) || byte(2) != 0x08 || byte(3) == 0) unreadable(path + ": not a ubyte IDX file");
  const std::size_t rank = byte(3), start = 4 + 4 * rank;
  if (raw.size() < start) unreadable(path + ": truncated IDX header");
  std::vector<std::uint32_t> dims;
  std::size_t total = 1;
  for (std::size_t k = 0; k < rank; ++k) {
    const std::size_t at = 4 + 4 * k;
    dims.push_back(byte(at) << 24 | byte(at + 1) << 16 | byte(at + 2) << 8 | byte(at + 3));
    if (dims.back() != 0 && total > max_data_bytes / dims.back()) unreadable(path + ": IDX dimensions too large");
    total *= dims.back();
  }
  if (raw.size() != start + total) unreadable(path + ": the IDX data is not the " + std::to_string(total) + " bytes its header says");
  payload = std::move(raw.erase(0, start));
  return dims;
}

Data idx_data(const json& ref, const std::string& base_dir) {
  auto [ipath, ifile] = hashed_file(ref, "images", "images_sha256", base_dir);
  auto [lpath, lfile] = hashed_file(ref, "labels", "labels_sha256", base_dir);
  std::string img, lab;
  const std::vector<std::uint32_t> idims = idx_parse(ipath, std::move(ifile), img), ldims = idx_parse(lpath, std::move(lfile), lab);
  if (idims.size() < 2 || ldims.size() != 1 || idims[0] != ldims[0]) unreadable("IDX images and labels do not match");
  if (idims[0] == 0) unreadable(ipath + ": no images");
  const std::string& scale = string_member(ref, "scale");
  if (scale != "255" && scale != "1") unreadable("IDX scale must be \"255\" or \"1\"");
  Data data;
  data.den = scale == "255" ? 255 : 1;
  data.y.assign(lab.begin(), lab.end());
  for (int& y : data.y) y &= 0xff;  // bytes, not signed chars
  data.d = img.size() / idims[0];
  data.rows.resize(data.y.size());
  for (std::size_t i = 0; i < data.rows.size(); ++i)
    for (std::uint32_t j = 0; j < data.d; ++j)
      if (const auto v = std::uint8_t(img[i * data.d + j])) {
        data.rows[i].push_back({j, 1, data.limbs.size()});
        data.limbs.push_back(v);
      }
  return data;
}

Data inline_data(const json& ref) {
  const json *labels = member(ref, "labels"), *points = member(ref, "points");
  if (!labels || !points || !labels->is_array() || !points->is_array()) unreadable("inline data lacks the arrays labels and points");
  Data data;
  Budget budget;
  std::vector<std::vector<mpq_class>> rows;
  for (const json& p : *points) {
    if (!p.is_array()) unreadable("inline data: a point is not an array");
    rows.emplace_back();
    for (const json& v : p) {
      if (!v.is_string()) unreadable("inline data: a coordinate is not a number string");
      rows.back().push_back(budget(parse_number(v.get<std::string>())));
    }
  }
  for (const json& l : *labels) data.y.push_back(small_int(l, "inline data labels", [](const std::string& w) { return Unreadable(w); }));
  if (data.y.size() != rows.size()) unreadable("inline data: labels and points differ in number");
  set_points(data, rows);
  return data;
}

// Keeps the points of class `pos` (as +1) and of class `neg` (as -1), or of every other
// class when `rest`. Rows move in place: no number is copied.
void select_pair(Data& data, int pos, int neg, bool rest) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < data.n(); ++i) {
    if (data.y[i] != pos && data.y[i] != neg && !rest) continue;
    data.y[kept] = data.y[i] == pos ? 1 : -1;
    if (kept != i) data.rows[kept] = std::move(data.rows[i]);
    ++kept;
  }
  data.y.resize(kept);
  data.rows.resize(kept);
}

// "pair": [K, L] (two classes) or [K, "rest"] (K against every other class).
void apply_pair(Data& data, const json& pair) {
  auto bad = [](const std::string& w) { return Unreadable(w); };
  if (!pair.is_array() || pair.size() != 2) unreadable("data.pair: expected [K, L] or [K, \"rest\"]");
  const int pos = small_int(pair[0], "data.pair[0]", bad);
  const bool rest = pair[1] == "rest";
  const int neg = rest ? pos : small_int(pair[1], "data.pair[1] (a class, or \"rest\")", bad);
  if (!rest && neg == pos) unreadable("data.pair: the two classes are the same");
  select_pair(data, pos, neg, rest);
}

}  // namespace

// One comparison a character (find_first_not_of("0123456789") searched that set for each
// digit: a tenth of advdir-check's time on a 35 MB certificate).
bool digits_only(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string shown(std::string_view s) {
  constexpr std::size_t most = 40;
  if (s.size() <= most) return "'" + std::string(s) + "'";
  return "'" + std::string(s.substr(0, most)) + "'... (" + std::to_string(s.size()) + " bytes)";
}

void Data::push(std::vector<Entry>& row, std::uint32_t j, const mpz_class& v) {
  const mp_size_t n = mpz_size(v.get_mpz_t());
  row.push_back({j, std::int32_t(sgn(v) * n), limbs.size()});
  limbs.insert(limbs.end(), mpz_limbs_read(v.get_mpz_t()), mpz_limbs_read(v.get_mpz_t()) + n);
}

std::string inflated(const std::string& path, std::string bytes) {
  const bool gz = bytes.size() >= 2 && std::uint8_t(bytes[0]) == 0x1f && std::uint8_t(bytes[1]) == 0x8b;
  return gz ? gunzip(path, bytes) : bytes;
}

std::pair<std::string, std::string> file_by_hash(const json& ref, const std::string& base_dir) {
  if (!ref.is_object()) unreadable("a file reference must be an object {\"path\", \"sha256\"}");
  return hashed_file(ref, "path", "sha256", base_dir);
}

std::string read_bounded(const std::string& path, std::size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) unreadable(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) unreadable(path + ": cannot open");
  std::string bytes;
  // The whole file read at once into its place when its size is known and allowed (35 MB of
  // certificate grew by doubling copied twice over), with room past the end that lets the
  // JSON reader parse it in place (simdjson reads up to 64 bytes past a document); what
  // follows (a file that grew, or a size unknown) still stops at the limit.
  if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size <= limit) {
    bytes.reserve(std::size_t(size) + padding_bytes);
    bytes.resize(std::size_t(size));
    in.read(bytes.data(), std::streamsize(size));
    bytes.resize(std::size_t(in.gcount()));
  }
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, std::size_t(in.gcount()));
    if (bytes.size() > limit) unreadable(path + ": larger than " + std::to_string(limit) + " bytes");
  }
  if (in.bad()) unreadable(path + ": read error");
  return bytes;
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
    if (!digits_only(a) || !digits_only(b) || mpz_class(b, 10) == 0) unreadable("bad number " + shown(raw));
    v = mpq_class(mpz_class(a, 10), mpz_class(b, 10));
  } else {
    long exp10 = 0;
    if (auto e = s.find_first_of("eE"); e != std::string::npos) {
      std::string ex = s.substr(e + 1);
      const bool eneg = !ex.empty() && ex[0] == '-';
      if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.erase(0, 1);
      if (!digits_only(ex) || ex.size() > 7 || std::stol(ex) > 1000000) unreadable("bad number " + shown(raw));
      exp10 = eneg ? -std::stol(ex) : std::stol(ex);
      s = s.substr(0, e);
    }
    const auto dot = s.find('.');
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    std::string whole = s.substr(0, dot);
    if ((!whole.empty() && !digits_only(whole)) || (!frac.empty() && !digits_only(frac)) || whole.size() + frac.size() == 0)
      unreadable("bad number " + shown(raw));
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
  const std::string& format = string_member(ref, "format");
  Data data;
  if (format == "inline") {
    data = inline_data(ref);
  } else if (format == "text") {
    const auto [path, bytes] = hashed_file(ref, "path", "sha256", base_dir);
    data = text_data(path, bytes);
  } else if (format == "idx") {
    data = idx_data(ref, base_dir);
  } else {
    unreadable("unknown data format " + shown(format));
  }
  if (data.n() == 0) unreadable("the data has no points");
  if (data.d == 0) unreadable("the data's points have no coordinates (d = 0)");
  if (const json* pair = member(ref, "pair")) apply_pair(data, *pair);
  if (data.n() == 0) unreadable("the data has no points of the pair's classes");
  return data;
}

}  // namespace advdir::check::detail
