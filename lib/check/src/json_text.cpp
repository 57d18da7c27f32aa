#include "json_text.hpp"

#include "data.hpp"

#include <simdjson.h>

#include <set>
#include <vector>

namespace advdir::check::detail {
namespace {

using json = nlohmann::json;

Unreadable too_deep(const std::string& path) {
  return Unreadable(path + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
}

Unreadable twice(const std::string& path) { return Unreadable(path + ": a key is written twice in one object"); }

// A number with a fraction or an exponent, which no field of a certificate is: the
// document goes to nlohmann's reading, which keeps it as it always did.
struct NotIntegral {};

// simdjson's tree as nlohmann's; `depth` counts the value itself (the root is 1).
json converted(simdjson::dom::element e, std::size_t depth, const std::string& path) {
  if (depth > max_depth) throw too_deep(path);
  using Type = simdjson::dom::element_type;
  switch (e.type()) {  // e is of the type it names: the conversions below cannot fail
    case Type::ARRAY: {
      json a = json::array();
      for (simdjson::dom::element v : simdjson::dom::array(e)) a.push_back(converted(v, depth + 1, path));
      return a;
    }
    case Type::OBJECT: {
      json o = json::object();
      for (simdjson::dom::key_value_pair kv : simdjson::dom::object(e))
        if (!o.get_ref<json::object_t&>().emplace(std::string(kv.key), converted(kv.value, depth + 1, path)).second) throw twice(path);
      return o;
    }
    case Type::STRING: return std::string(std::string_view(e));
    case Type::INT64: {  // nlohmann's types: unsigned when not negative
      const std::int64_t v(e);
      return v < 0 ? json(v) : json(std::uint64_t(v));
    }
    case Type::UINT64: return std::uint64_t(e);
    case Type::DOUBLE: throw NotIntegral{};
    case Type::BOOL: return bool(e);
    case Type::NULL_VALUE: return nullptr;
  }
  throw Unreadable(path + ": invalid JSON");  // no other type exists
}

// nlohmann's reading, for what simdjson refuses (an integer past 64 bits, the syntax errors,
// whose messages nlohmann words with a position) and for numbers that are not integers:
// the tree and the messages are those of the checker before simdjson. Keys and depth are
// refused as above.
json slow_read(const std::string& text, const std::string& path) {
  std::vector<std::set<std::string>> keys;  // one set for each object open
  try {
    return json::parse(text, [&](int depth, json::parse_event_t event, json& parsed) {
      // nlohmann's depth counts the open arrays and objects; the value itself is one more.
      if (std::size_t(depth) + 1 > max_depth) throw too_deep(path);
      if (event == json::parse_event_t::object_start) keys.emplace_back();
      if (event == json::parse_event_t::object_end) keys.pop_back();
      if (event == json::parse_event_t::key && !keys.back().insert(parsed.get<std::string>()).second) throw twice(path);
      return true;
    });
  } catch (const json::exception& e) {  // a syntax error, or a number out of the parser's range (406)
    throw Unreadable(path + ": invalid JSON: " + e.what());
  }
}

}  // namespace

// simdjson for speed (a 35 MB certificate in 0.04 s, nlohmann's lexer takes 0.25 s).
json read_json(const std::string& text, const std::string& path) {
  // RFC 8259 lets a reader ignore a byte-order mark; advdir-vcheck refuses it, so this does.
  if (text.starts_with("\xEF\xBB\xBF")) throw Unreadable(path + ": invalid JSON: a byte-order mark before the document");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  // One level more than max_depth lets simdjson hand the deepest document we refuse
  // to converted(), which words the refusal.
  // Parsed in place when text's capacity has simdjson's padding past its end (read_bounded's
  // does), else from a padded copy.
  static_assert(padding_bytes >= simdjson::SIMDJSON_PADDING);
  if (parser.allocate(text.size(), max_depth + 1) == simdjson::SUCCESS && parser.parse(text).get(root) == simdjson::SUCCESS) {
    try {
      return converted(root, 1, path);
    } catch (const NotIntegral&) {
    }
  }
  return slow_read(text, path);
}

}  // namespace advdir::check::detail
