// The commands of the acmespec CLI, one file each; cli.cpp dispatches.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "common/result.hpp"
#include "reports/baseline.hpp"

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
Command client_command();
Command mock_ca_command();
Command fuzz_command();
Command report_command();

// Shared by `report`, `server` and `client` (cmd_report.cpp): --expect-failures F read
// and validated before any work (nullopt without the option), and the
// outputs every run ends with: --html F, --markdown F, the terminal summary
// (--quiet, --verbose, colour on a TTY) and the baseline gate.  Returns the
// exit code: the gate's when there is a baseline, else exit_code; 2 when a
// file cannot be written.
Result<std::optional<reports::Baseline>> load_baseline_option(const ParsedOptions& opts);
int finish_reports(Context& ctx, const nlohmann::json& record, const ParsedOptions& opts,
                   const std::optional<reports::Baseline>& baseline, int exit_code, bool tty);
// junit.xml and report.html beside run.json in `dir`; a file that cannot be
// written is reported on stderr under `command` and the run goes on.
void write_report_files(Context& ctx, const nlohmann::json& record, const std::filesystem::path& dir,
                        const std::string& command);
// "Reports: <dir>/run.json, <dir>/junit.xml, <dir>/report.html"
std::string report_files_line(const std::filesystem::path& dir);

}  // namespace acmespec::cli
