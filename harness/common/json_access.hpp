// Member access that never throws, for reading what a peer sent.
//
// Checks and operations read bodies from targets that may answer anything:
// a string where an object belongs, a missing member, a top-level array.
// These readers return an empty value of the expected kind instead, so a
// check judges the absence rather than tripping over it.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace acmespec::json_access {

// The member `name` of `j`, or null when `j` is not an object or lacks it.
inline const nlohmann::json& member(const nlohmann::json& j, std::string_view name) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(name);
  return it == j.end() ? kNull : *it;
}

// The member if it is a string, else "".
inline std::string str(const nlohmann::json& j, std::string_view name) {
  const nlohmann::json& v = member(j, name);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The member if it is an object, else an empty object.
inline const nlohmann::json& obj(const nlohmann::json& j, std::string_view name) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json& v = member(j, name);
  return v.is_object() ? v : kEmpty;
}

// The member if it is an array, else an empty array.
inline const nlohmann::json& arr(const nlohmann::json& j, std::string_view name) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json& v = member(j, name);
  return v.is_array() ? v : kEmpty;
}

}  // namespace acmespec::json_access
