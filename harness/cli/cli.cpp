#include "cli/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iomanip>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/catalogue.hpp"

#ifndef ACMESPEC_VERSION
#error "ACMESPEC_VERSION must be defined by the build"
#endif
#ifndef ACMESPEC_DEFAULT_DATA_DIR
#error "ACMESPEC_DEFAULT_DATA_DIR must be defined by the build"
#endif

namespace acmespec::cli {
namespace {

namespace fs = std::filesystem;

std::vector<Command> commands() { return {list_command(), server_command(), responders_command(), report_command(), client_command(), mock_ca_command(), fuzz_command()}; }

void print_usage(std::ostream& os) {
  os << "Usage: acmespec [--help] [--version] <command> [options]\n\n"
        "ACME (RFC 8555) conformance test harness and protocol fuzzer.\n\nCommands:\n";
  for (const auto& cmd : commands()) os << "  " << std::left << std::setw(12) << cmd.name << cmd.summary << "\n";
  os << "\nRun 'acmespec <command> --help' for a command's options.\n"
        "Exit codes: 0 conformant, 1 conformance failures, 2 usage or harness error.\n";
}

void print_command_help(std::ostream& os, const Command& cmd) {
  os << "Usage: acmespec " << cmd.name << " [options]" << (cmd.operands.empty() ? "" : " " + cmd.operands)
     << "\n\n" << cmd.summary << "\n\nOptions:\n" << format_options(cmd.options) << "  --help                    this text\n";
}

}  // namespace

fs::path data_dir(const Context& ctx, const ParsedOptions& opts) {
  if (auto dir = opts.get("data-dir")) return *dir;
  if (!ctx.env.data_dir.empty()) return ctx.env.data_dir;
  if (const char* dir = std::getenv("ACMESPEC_DATA_DIR"); dir && *dir) return dir;
  return ACMESPEC_DEFAULT_DATA_DIR;
}

const OptionSpec kDataDirOption{"data-dir", "DIR", "folder holding scenarios/ (default: the source tree)"};

Result<HostPort> parse_host_port(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return make_error(text, "expected [address]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return make_error(text, "expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535)
    return make_error(text, "expected host:port with a port from 0 to 65535");
  return HostPort{host, static_cast<std::uint16_t>(std::stoul(port))};
}

std::string version() { return ACMESPEC_VERSION; }

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env) {
  Context ctx{out, err, env};
  if (args.empty()) {
    print_usage(err);
    return kExitHarnessError;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage(out);
    return kExitOk;
  }
  if (first == "--version") {
    out << "acmespec " << version() << "\n";
    return kExitOk;
  }
  for (const auto& cmd : commands()) {
    if (cmd.name != first) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
      print_command_help(out, cmd);
      return kExitOk;
    }
    auto opts = parse_options(rest, cmd.options, cmd.max_positional);
    if (!opts) {
      err << "acmespec " << cmd.name << ": " << opts.error().to_string() << "\n";
      print_command_help(err, cmd);
      return kExitHarnessError;
    }
    return cmd.handler(ctx, *opts);
  }
  err << "acmespec: " << (first.rfind("-", 0) == 0 ? "unknown option '" : "unknown command '") << first << "'\n\n";
  print_usage(err);
  return kExitHarnessError;
}

}  // namespace acmespec::cli
