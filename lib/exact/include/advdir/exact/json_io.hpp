// Rationals and vectors in JSON: always strings ("3", "-3/7"), reduced.
#pragma once
#include "advdir/exact/rational.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace advdir::exact {

using json = nlohmann::json;

// Accepts a string rational or a JSON integer; a JSON number with a fraction is
// refused (its decimal text is already lost). `where` names the field for messages.
mpq_class rational_from_json(const json& j, const std::string& where);
Vector vector_from_json(const json& j, const std::string& where);

json to_json(const mpq_class& q);
json to_json(const Vector& v);

// The deepest nesting a JSON input may have (models, certificates): 64 levels.
inline constexpr std::size_t json_max_depth = 64;
json read_json_file(const std::string& path);

// The whole file as bytes; InputError "PATH: cannot open" when it cannot be read.
std::string read_file(const std::string& path);
// The same, gunzipped when the file is gzip (plain files are read as they are), refusing
// more than `limit` bytes after gunzip.
std::string read_file_gunzip(const std::string& path, std::size_t limit);
// Writes atomically: a temporary file beside `path`, then rename.
void write_file_atomic(const std::string& path, const std::string& contents);

}  // namespace advdir::exact
