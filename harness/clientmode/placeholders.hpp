// Placeholder expansion for client command templates: `{directory}`,
// `{ca_bundle}`, `{domain}`, ... are replaced in every argument.  A name that
// is not known is an error, so a typo in a profile never reaches the client
// as a literal "{domian}".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace acmespec::clientmode {

using Placeholders = std::map<std::string, std::string>;

// The names a command template may use, in the order docs list them.
const std::vector<std::string>& placeholder_names();

// Replaces every {name}; "{{" and "}}" stand for literal braces.  Errors name
// the argument index and the offending placeholder.
Result<std::string> expand(const std::string& text, const Placeholders& values, const std::string& where = "");
Result<std::vector<std::string>> expand_all(const std::vector<std::string>& args, const Placeholders& values,
                                            const std::string& where = "command");

}  // namespace acmespec::clientmode
