#include "advdir/exact/json_io.hpp"

#include "advdir/exact/error.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <zlib.h>
#include <sstream>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace advdir::exact {

mpq_class rational_from_json(const json& j, const std::string& where) {
  if (j.is_number_integer()) return mpq_class(j.dump(), 10);
  if (!j.is_string())
    throw std::invalid_argument(where + ": expected a rational as a string (e.g. \"-3/7\"), found " + j.dump());
  try {
    return parse_rational(j.get<std::string>());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + ": '" + j.get<std::string>() + "': " + e.what());
  }
}

Vector vector_from_json(const json& j, const std::string& where) {
  if (!j.is_array()) throw std::invalid_argument(where + ": expected an array of rationals");
  Vector v;
  v.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) v.push_back(rational_from_json(j[i], where + "[" + std::to_string(i) + "]"));
  return v;
}

json to_json(const mpq_class& q) { return to_string(q); }

json to_json(const Vector& v) {
  json a = json::array();
  for (const mpq_class& q : v) a.push_back(to_string(q));
  return a;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

}  // namespace

std::string read_file_gunzip(const std::string& path, std::size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a directory, not a file");
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError(path, "cannot open");
  std::string bytes;
  char buf[1 << 16];
  int got;
  while ((got = gzread(f.get(), buf, sizeof buf)) > 0) {
    bytes.append(buf, std::size_t(got));
    if (bytes.size() > limit) throw InputError(path, "larger than " + std::to_string(limit) + " bytes (after gunzip)");
  }
  if (got < 0) throw InputError(path, "corrupt gzip data or a read error");
  return bytes;
}

json read_json_file(const std::string& path) {
  const std::string text = read_file(path);
  // A document nested past json_max_depth is refused before it is built: copying or
  // printing it would recurse that deep.
  bool too_deep = false;
  json j;
  try {
    j = json::parse(text, [&](int depth, json::parse_event_t, json&) {
      if (std::size_t(depth) > json_max_depth) too_deep = true;
      return !too_deep;
    });
  } catch (const json::exception& e) {  // a syntax error, or a number out of the parser's range (406)
    throw InputError(path, std::string("invalid JSON: ") + e.what());
  }
  if (too_deep) throw InputError(path, "JSON nested deeper than " + std::to_string(json_max_depth) + " levels");
  return j;
}

namespace {

void write_all(int fd, const std::string& contents, const std::string& path) {
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t w = ::write(fd, contents.data() + done, contents.size() - done);
    if (w <= 0) throw InputError(path, std::string("write failed: ") + std::strerror(errno));
    done += std::size_t(w);
  }
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(dir);
  const fs::path tmp = fs::path(path + ".tmp." + std::to_string(::getpid()));
  // An unnamed file (O_TMPFILE) gets a name only once it is whole: a process killed
  // while writing leaves nothing behind. Where the file system lacks O_TMPFILE, a
  // named temporary file is written instead. Either way rename() makes it appear whole.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  const bool unnamed = fd >= 0;
  if (!unnamed) fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path, std::string("cannot write file: ") + std::strerror(errno));
  try {
    write_all(fd, contents, path);
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    if (unnamed && ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0)
      throw InputError(path, std::string("cannot write file: ") + std::strerror(errno));
    ::close(std::exchange(fd, -1));
    fs::rename(tmp, target);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

}  // namespace advdir::exact
