// Variables carry values between the steps of a scenario: a step saves parts
// of its result (`"save": {"order": "location"}`) and later steps refer to
// them in their arguments (`"url": "${order}"`).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::engine {

using Variables = std::map<std::string, nlohmann::json, std::less<>>;

// Replaces ${name} references in every string of `value`.  A string that is
// exactly one reference takes the variable's JSON value whatever its type;
// references inside longer strings are replaced by the value's text.  An
// unknown variable is an error whose path points at the string (`path` is the
// location of `value` itself, e.g. "args").
Result<nlohmann::json> interpolate(const nlohmann::json& value, const Variables& vars, const std::string& path);

// Follows a path like `body.authorizations[0]` or `headers.Location` into a
// step result.  Member names may contain any character but '.' and '['.
Result<nlohmann::json> extract(const nlohmann::json& result, std::string_view path);

}  // namespace acmespec::engine
