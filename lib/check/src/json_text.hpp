// The checker's reading of a JSON file: RFC 8259, no key written twice in one object,
// no value inside more than max_depth - 1 arrays and objects. That is VRead.v's json as
// advdir-vcheck's shell builds it (to_coq), so both checkers read one document one way.
#pragma once
#include "advdir/check/check.hpp"

#include <string>

namespace advdir::check::detail {

// The document `text`, read from `path`; Unreadable, naming `path`, when it is not one.
nlohmann::json read_json(const std::string& text, const std::string& path);

}  // namespace advdir::check::detail
