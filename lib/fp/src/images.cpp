#include "advdir/fp/images.hpp"

#include <zlib.h>

#include <memory>

namespace advdir::fp {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

// The whole file, decompressed when it is gzip (zlib reads plain files as they are).
std::string slurp(const std::string& path) {
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw DataError(path + ": cannot open");
  std::string bytes;
  char buf[1 << 16];
  for (int got; (got = gzread(f.get(), buf, sizeof buf)) > 0;) bytes.append(buf, std::size_t(got));
  int err = 0;
  gzerror(f.get(), &err);
  if (err != Z_OK && err != Z_STREAM_END) throw DataError(path + ": corrupt gzip stream");
  return bytes;
}

std::size_t big_endian(const std::string& b, std::size_t at) {
  std::size_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(b[at + k]);
  return v;
}

// The header's dimensions after checking the magic; the body must follow exactly.
std::vector<std::size_t> header(const std::string& b, const std::string& path, std::size_t magic, std::size_t dims) {
  if (b.size() < 4 + 4 * dims || big_endian(b, 0) != magic)
    throw DataError(path + ": not an IDX " + (dims == 1 ? "label" : "image") + " file (bad magic or header)");
  std::vector<std::size_t> size;
  std::size_t body = 1;
  for (std::size_t k = 0; k < dims; ++k) {
    size.push_back(big_endian(b, 4 + 4 * k));
    if (size.back() == 0 || size.back() > (std::size_t(1) << 28)) throw DataError(path + ": implausible dimension " + std::to_string(size.back()));
    body *= size.back();
  }
  const std::size_t have = b.size() - 4 - 4 * dims;
  if (have < body) throw DataError(path + ": truncated: " + std::to_string(have) + " of " + std::to_string(body) + " bytes");
  if (have > body) throw DataError(path + ": " + std::to_string(have - body) + " trailing bytes after the data");
  return size;
}

}  // namespace

Images Images::subset(const std::vector<std::size_t>& indices) const {
  Images s;
  s.n = indices.size();
  s.d = d;
  for (std::size_t i : indices) {
    s.x.insert(s.x.end(), row(i), row(i) + d);
    s.y.push_back(y[i]);
  }
  return s;
}

Images read_idx(const std::string& images, const std::string& labels) {
  const std::string ib = slurp(images), lb = slurp(labels);
  const std::vector<std::size_t> is = header(ib, images, 0x803, 3), ls = header(lb, labels, 0x801, 1);
  if (is[0] != ls[0])
    throw DataError(labels + ": " + std::to_string(ls[0]) + " labels for " + std::to_string(is[0]) + " images in " + images);
  Images out;
  out.n = is[0];
  out.d = is[1] * is[2];
  out.x.resize(out.n * out.d);
  for (std::size_t k = 0; k < out.x.size(); ++k) out.x[k] = float(static_cast<unsigned char>(ib[16 + k])) / 255.0f;
  for (std::size_t i = 0; i < out.n; ++i) out.y.push_back(static_cast<unsigned char>(lb[8 + i]));
  return out;
}

Images load_images(const std::string& name, const std::string& data_dir) {
  if (name == "mnist10k") return read_idx(data_dir + "/mnist10k/images-idx3-ubyte", data_dir + "/mnist10k/labels-idx1-ubyte");
  const std::string fashion = "/usr/share/datasets/fashion-mnist/";
  if (name == "fashion") return read_idx(fashion + "t10k-images-idx3-ubyte.gz", fashion + "t10k-labels-idx1-ubyte.gz");
  const std::size_t comma = name.find(',');
  if (comma == std::string::npos) throw DataError(name + ": expected mnist10k, fashion or IMAGES,LABELS");
  return read_idx(name.substr(0, comma), name.substr(comma + 1));
}

}  // namespace advdir::fp
