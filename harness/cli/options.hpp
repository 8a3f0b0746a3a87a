// A small declarative command-line parser shared by every acmespec command.
// Each command declares its options; anything undeclared is a usage error
// (exit code 2) that names the offending argument.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace acmespec::cli {

struct OptionSpec {
  std::string name;         // long form without dashes, e.g. "directory"
  std::string value_name;   // empty for a flag, else e.g. "URL"
  std::string help;
  bool repeatable = false;  // may be given several times (values accumulate)
};

struct ParsedOptions {
  std::map<std::string, std::vector<std::string>> values;  // flags map to {""}
  std::vector<std::string> positional;
  std::vector<std::string> after_dashes;  // everything after a bare "--"

  bool has(std::string_view name) const { return values.count(std::string(name)) != 0; }
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
};

// Accepts `--name value`, `--name=value` and bare flags.  `max_positional`
// bounds the operands a command takes.
Result<ParsedOptions> parse_options(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                    std::size_t max_positional);

// Renders the option table for --help.
std::string format_options(const std::vector<OptionSpec>& specs);

}  // namespace acmespec::cli
