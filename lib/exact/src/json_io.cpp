#include "advdir/exact/json_io.hpp"

#include "advdir/exact/error.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace advdir::exact {

mpq_class rational_from_json(const json& j, const std::string& where) {
  if (j.is_number_integer()) return mpq_class(j.dump());
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

json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open file");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw InputError(path, std::string("invalid JSON: ") + e.what());
  }
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  fs::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid());
  std::ofstream out(tmp, std::ios::binary);
  if (!out) throw InputError(path, "cannot write file");
  out << contents;
  out.close();
  if (!out) {
    fs::remove(tmp);
    throw InputError(path, "write failed");
  }
  fs::rename(tmp, target);
}

}  // namespace advdir::exact
