// Member readers shared by the resource parsers.  Each returns the value or
// an Error whose path names the member (`order.authorizations[2]`) and whose
// reason is one of a small fixed vocabulary ("missing required member",
// "not a string", ...) so that checks and tests can rely on it.
//
// Optional members are lenient about absence and strict about type: a member
// that is present must have the type the RFC gives it (JSON null included --
// null is not a string).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/timestamp.hpp"
#include "common/json.hpp"
#include "common/result.hpp"

namespace acmespec::acme::fields {

using nlohmann::json;

// The member, or nullptr when absent.  `obj` must be an object.
const json* find(const json& obj, std::string_view key);

Result<std::string> required_string(const json& obj, std::string_view key, const std::string& path);
Result<std::optional<std::string>> optional_string(const json& obj, std::string_view key, const std::string& path);
Result<std::optional<bool>> optional_bool(const json& obj, std::string_view key, const std::string& path);
Result<std::optional<Timestamp>> optional_timestamp(const json& obj, std::string_view key, const std::string& path);
Result<std::vector<std::string>> required_string_array(const json& obj, std::string_view key,
                                                       const std::string& path);
Result<std::optional<std::vector<std::string>>> optional_string_array(const json& obj, std::string_view key,
                                                                      const std::string& path);
// Any JSON value kept as is (externalAccountBinding, key).
std::optional<json> optional_any(const json& obj, std::string_view key);

// The members of `obj` whose names are not in `known`, as an object (empty
// object when there are none).  Unknown members are kept so that a round trip
// preserves extensions (renewalInfo, vendor fields) and evidence shows them.
json unknown_members(const json& obj, std::initializer_list<std::string_view> known);
// Adds every member of `extra` that `out` does not already have.
void merge_unknown(json& out, const json& extra);

template <class T>
void put_optional(json& out, const char* key, const std::optional<T>& v) {
  if (v) out[key] = *v;
}
inline void put_optional(json& out, const char* key, const std::optional<Timestamp>& v) {
  if (v) out[key] = v->to_string();
}

// Parses a response body with the shared bounded JSON parser, then as T.
// A JSON syntax error is reported at `path` itself.
template <class T>
Result<T> parse_body(std::string_view body, const std::string& path) {
  auto j = parse_json(body);
  if (!j) return j.error().nested(path);
  return T::parse(*j, path);
}

}  // namespace acmespec::acme::fields
