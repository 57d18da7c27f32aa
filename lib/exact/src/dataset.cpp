#include "advdir/exact/dataset.hpp"

#include "advdir/exact/error.hpp"

#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>

namespace advdir::exact {

mpq_class Dataset::x(std::size_t i, std::size_t j) const {
  mpq_class q(to_mpz(X.at(slong(i), slong(j))), den);
  q.canonicalize();
  return q;
}

Vector Dataset::point(std::size_t i) const {
  Vector p(dim());
  for (std::size_t j = 0; j < dim(); ++j) p[j] = x(i, j);
  return p;
}

bool Dataset::is_binary() const {
  for (int y : labels)
    if (y != 1 && y != -1) return false;
  return true;
}

namespace {

// Rows as integers over their own denominators while streaming; the common
// denominator is applied once at the end (so memory is one fmpz an entry).
class RowBuffer {
public:
  ~RowBuffer() {
    for (fmpz& f : entries_) fmpz_clear(&f);
    for (fmpz& f : dens_) fmpz_clear(&f);
  }
  void add(const Vector& row, const std::string& source) {
    mpz_class den = 1;
    for (const mpq_class& v : row) {
      mpz_lcm(den.get_mpz_t(), den.get_mpz_t(), v.get_den_mpz_t());
      if ((bits_ += bits(v.get_num()) + bits(v.get_den())) > max_bits) throw InputError(source, "the data's numbers take more than 2^31 bits");
    }
    for (const mpq_class& v : row) push(entries_, v.get_num() * (den / v.get_den()));
    push(dens_, den);
  }
  // Moves the rows into `data`, over the lcm of the row denominators; refuses data whose
  // entries would take more than 2^31 bits over it, before building them.
  void move_into(Dataset& data, std::size_t d) {
    Int L(1);
    for (const fmpz& f : dens_) fmpz_lcm(L.get(), L.get(), &f);
    std::size_t scaled = 0;
    for (std::size_t i = 0; i < dens_.size(); ++i)
      for (std::size_t j = 0; j < d; ++j)
        if (!fmpz_is_zero(&entries_[i * d + j]) &&
            (scaled += fmpz_bits(&entries_[i * d + j]) + fmpz_bits(L.get()) - fmpz_bits(&dens_[i]) + 1) > max_bits)
          throw InputError(data.source, "over their common denominator, the data's numbers take more than 2^31 bits");
    data.den = L.mpz();
    data.X = IntMatrix(dens_.size(), d);
    Int scale;
    for (std::size_t i = 0; i < dens_.size(); ++i) {
      fmpz_divexact(scale.get(), L.get(), &dens_[i]);
      for (std::size_t j = 0; j < d; ++j) fmpz_mul(data.X.at(slong(i), slong(j)), &entries_[i * d + j], scale.get());
    }
  }

private:
  static void push(std::vector<fmpz>& v, const mpz_class& z) {
    v.push_back(0);
    fmpz_set_mpz(&v.back(), z.get_mpz_t());
  }
  static std::size_t bits(const mpz_class& z) { return mpz_sizeinbase(z.get_mpz_t(), 2); }
  static constexpr std::size_t max_bits = std::size_t(1) << 31;  // 256 MiB of numerators
  std::vector<fmpz> entries_, dens_;
  std::size_t bits_ = 0;
};

}  // namespace

Dataset make_dataset(const std::vector<Vector>& points, const std::vector<int>& labels,
                     const std::string& source) {
  if (points.size() != labels.size()) throw InputError(source, "number of points and labels differ");
  if (points.empty()) throw InputError(source, "no data points");
  const std::size_t d = points.front().size();
  Dataset data{source, labels, IntMatrix(), 1};
  RowBuffer rows;
  for (const Vector& p : points) {
    if (p.size() != d) throw InputError(source, "points of different dimensions");
    rows.add(p, source);
  }
  rows.move_into(data, d);
  return data;
}

namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

int parse_label(std::string_view field, const std::string& where) {
  mpq_class q;
  try {
    q = parse_rational(field);
  } catch (const std::invalid_argument& e) {
    throw InputError(where, std::string("label '") + std::string(field) + "': " + e.what());
  }
  if (q.get_den() != 1 || !q.get_num().fits_sint_p() || q < -1)
    throw InputError(where, "label '" + std::string(field) + "' is not +1, -1 or a class index 0..K-1");
  return int(q.get_num().get_si());
}

}  // namespace

Dataset parse_text_dataset(std::istream& in, const std::string& source) {
  Dataset data{source, {}, IntMatrix(), 1};
  RowBuffer rows;
  std::size_t d = 0;
  std::string line;
  for (std::size_t lineno = 1; std::getline(in, line); ++lineno) {
    std::string_view view(line);
    if (auto hash = view.find('#'); hash != std::string_view::npos) view = view.substr(0, hash);
    if (view.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = source + ":" + std::to_string(lineno);
    auto fields = split_fields(view);
    if (fields.size() < 2) throw InputError(where, "expected 'label,x1,...,xd'");
    const int label = parse_label(fields[0], where);
    Vector p;
    for (std::size_t j = 1; j < fields.size(); ++j) {
      try {
        p.push_back(parse_rational(fields[j]));
      } catch (const std::invalid_argument& e) {
        throw InputError(where, "coordinate " + std::to_string(j) + " " + shown(fields[j]) + ": " + e.what());
      }
    }
    if (!data.labels.empty() && p.size() != d)
      throw InputError(where, "dimension mismatch: " + std::to_string(p.size()) + " coordinates, expected " +
                                  std::to_string(d));
    d = p.size();
    data.labels.push_back(label);
    rows.add(p, where);
  }
  if (data.labels.empty()) throw InputError(source, "no data points");
  rows.move_into(data, d);
  return data;
}

Dataset read_text_dataset(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a directory, not a file");
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open file");
  return parse_text_dataset(in, path);
}

namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// An IDX file: big-endian header (0, 0, type, rank, then rank sizes), then the bytes.
struct Idx {
  std::vector<std::uint32_t> dims;
  std::vector<unsigned char> bytes;
};

void read_exact(gzFile f, void* buf, std::size_t size, const std::string& path, const char* what) {
  std::size_t got = 0;
  auto* p = static_cast<unsigned char*>(buf);
  while (got < size) {
    unsigned chunk = unsigned(std::min<std::size_t>(size - got, 1u << 30));
    int r = gzread(f, p + got, chunk);
    if (r <= 0) break;
    got += std::size_t(r);
  }
  if (got != size)
    throw InputError(path, std::string("truncated IDX file: ") + what + " needs " + std::to_string(size) +
                               " bytes, found " + std::to_string(got));
}

Idx read_idx(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError(path, "cannot open file");
  std::array<unsigned char, 4> magic{};
  read_exact(f.get(), magic.data(), 4, path, "the header");
  if (magic[0] != 0 || magic[1] != 0) throw InputError(path, "not an IDX file (bad magic number)");
  if (magic[2] != 0x08) throw InputError(path, "IDX element type is not unsigned byte (0x08)");
  if (magic[3] == 0) throw InputError(path, "IDX file of rank 0");
  Idx idx;
  std::size_t total = 1;
  for (int k = 0; k < magic[3]; ++k) {
    std::array<unsigned char, 4> b{};
    read_exact(f.get(), b.data(), 4, path, "the header");
    std::uint32_t n = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
    idx.dims.push_back(n);
    // At most 2^28 bytes (five times the Fashion-MNIST training images): a small gzip
    // file cannot expand without bound.
    if (n != 0 && total > (std::size_t(1) << 28) / n) throw InputError(path, "IDX dimensions too large");
    total *= n;
  }
  // Grow with the bytes that actually arrive: a header's claim allocates nothing.
  constexpr std::size_t chunk = std::size_t(1) << 24;
  while (idx.bytes.size() < total) {
    const std::size_t before = idx.bytes.size(), want = std::min(chunk, total - before);
    idx.bytes.resize(before + want);
    const int got = gzread(f.get(), idx.bytes.data() + before, unsigned(want));
    if (got < int(want))
      throw InputError(path, "truncated IDX file: the data needs " + std::to_string(total) + " bytes, found " +
                                 std::to_string(before + std::size_t(std::max(got, 0))));
  }
  unsigned char extra;
  if (gzread(f.get(), &extra, 1) > 0) throw InputError(path, "trailing bytes after the IDX data");
  return idx;
}

}  // namespace

Dataset read_idx_dataset(const std::string& images, const std::string& labels, IdxScale scale) {
  Idx img = read_idx(images), lab = read_idx(labels);
  if (img.dims.size() < 2) throw InputError(images, "IDX image file must have rank 2 or more");
  if (lab.dims.size() != 1) throw InputError(labels, "IDX label file must have rank 1");
  if (img.dims[0] != lab.dims[0])
    throw InputError(labels, std::to_string(lab.dims[0]) + " labels for " + std::to_string(img.dims[0]) +
                                 " images in " + images);
  const std::size_t n = img.dims[0], d = img.bytes.size() / std::max<std::size_t>(n, 1);
  if (n == 0) throw InputError(images, "no images");
  Dataset data{images, std::vector<int>(lab.bytes.begin(), lab.bytes.end()), IntMatrix(n, d),
               scale == IdxScale::unit ? 255 : 1};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) fmpz_set_ui(data.X.at(slong(i), slong(j)), img.bytes[i * d + j]);
  return data;
}

Dataset binary_pair(const Dataset& data, int positive, int negative) {
  if (positive == negative) throw InputError(data.source, "a pair needs two different classes");
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data.labels[i] == positive || data.labels[i] == negative || negative == rest) keep.push_back(i);
  const std::string other = negative == rest ? "rest" : std::to_string(negative);
  Dataset out{data.source + " (" + std::to_string(positive) + " vs " + other + ")",
              {}, IntMatrix(keep.size(), data.dim()), data.den};
  for (std::size_t r = 0; r < keep.size(); ++r) {
    out.labels.push_back(data.labels[keep[r]] == positive ? 1 : -1);
    _fmpz_vec_set(out.X.row(slong(r)), data.X.row(slong(keep[r])), slong(data.dim()));
  }
  require_binary(out);
  return out;
}

Dataset load_dataset(const DataSpec& spec) {
  Dataset data = spec.format == DataSpec::Format::idx ? read_idx_dataset(spec.images, spec.labels, spec.scale)
                                                      : read_text_dataset(spec.path);
  return spec.pair ? binary_pair(data, spec.pair->first, spec.pair->second) : data;
}

void require_binary(const Dataset& data) {
  std::size_t pos = 0, neg = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.labels[i] == 1) ++pos;
    else if (data.labels[i] == -1) ++neg;
    else
      throw InputError(data.source, "label " + std::to_string(data.labels[i]) + " of point " + std::to_string(i) +
                                        " is not +1 or -1 (choose two classes with --pair K,L)");
  }
  if (pos == 0 || neg == 0)
    throw HypothesisError(data.source + ": only one class present (" + std::to_string(pos) + " points +1, " +
                          std::to_string(neg) + " points -1); a separator needs both");
}

}  // namespace advdir::exact
