// Bounded JSON parsing shared by every component.
//
// Hostile peers send deeply nested or huge documents, and the JOSE rules want
// duplicate member names refused (RFC 7515 §5.2 allows a parser to reject
// them; acmespec does, so that a header cannot mean two things).  This parser
// enforces those limits while it reads, so nothing unbounded is ever built.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec {

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;  // input size
  std::size_t max_depth = 64;       // nesting of arrays and objects
  bool reject_duplicate_keys = true;
};

// Parses `text` as one JSON value (trailing garbage is an error).  The error's
// path is empty and its reason names the byte offset and what was wrong.
Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits = {});

// A JSON path for messages: json_path("order", "authorizations") ==
// "order.authorizations"; json_index("order.authorizations", 2) ==
// "order.authorizations[2]".
inline std::string json_path(const std::string& base, std::string_view member) {
  return base.empty() ? std::string(member) : base + "." + std::string(member);
}
inline std::string json_index(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

}  // namespace acmespec
