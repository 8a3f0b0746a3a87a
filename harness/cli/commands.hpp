// The commands of the acmespec CLI, one file each; cli.cpp dispatches.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "common/result.hpp"

namespace acmespec::cli {

struct Context {
  std::ostream& out;
  std::ostream& err;
  Environment env;
};

struct Command {
  std::string name;
  std::string summary;
  std::string operands;  // usage text after the options, e.g. "RUN.json"
  std::vector<OptionSpec> options;
  std::size_t max_positional = 0;
  std::function<int(Context&, const ParsedOptions&)> handler;
};

// The data folder: --data-dir, else the environment's, else $ACMESPEC_DATA_DIR,
// else the build's default.
std::filesystem::path data_dir(const Context& ctx, const ParsedOptions& opts);
extern const OptionSpec kDataDirOption;

// "host:port" or "[v6]:port".
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
Result<HostPort> parse_host_port(const std::string& text);

Command list_command();
Command server_command();
Command responders_command();

}  // namespace acmespec::cli
