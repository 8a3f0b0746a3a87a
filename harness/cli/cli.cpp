#include "cli/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iomanip>

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

// The data folder: --data-dir, else $ACMESPEC_DATA_DIR, else the build's default.
fs::path data_dir(const Context& ctx, const ParsedOptions& opts) {
  if (auto dir = opts.get("data-dir")) return *dir;
  if (!ctx.env.data_dir.empty()) return ctx.env.data_dir;
  if (const char* dir = std::getenv("ACMESPEC_DATA_DIR"); dir && *dir) return dir;
  return ACMESPEC_DEFAULT_DATA_DIR;
}

const OptionSpec kDataDirOption{"data-dir", "DIR", "folder holding scenarios/ (default: the source tree)"};

int cmd_list(Context& ctx, const ParsedOptions& opts) {
  const fs::path file = data_dir(ctx, opts) / "scenarios" / "requirements.json";
  auto cat = engine::load_catalogue(file);
  if (!cat) {
    ctx.err << "acmespec: bad catalogue: " << cat.error().to_string() << "\n";
    return kExitHarnessError;
  }
  const bool only_scenarios = opts.has("scenarios");
  if (!only_scenarios) {
    ctx.out << "Checks (" << cat->requirements.size() << "):\n";
    for (const auto& req : cat->requirements) {
      ctx.out << "  " << std::left << std::setw(56) << req.id << " " << std::setw(6) << engine::to_string(req.level)
              << " " << std::setw(6) << engine::to_string(req.role) << " " << req.spec << " §" << req.section
              << "\n      " << req.statement << "\n";
    }
  }
  if (!opts.has("checks")) {
    // Scenario files arrive with the scenario engine; until then the
    // catalogue is all there is to list.
    ctx.out << (only_scenarios ? "" : "\n") << "Scenarios (0)\n";
  }
  return kExitOk;
}

std::vector<Command> commands() {
  return {
      Command{"list",
              "print the catalogue of checks with their RFC sections",
              "",
              {{"checks", "", "only the checks"}, {"scenarios", "", "only the scenarios"}, kDataDirOption},
              0,
              cmd_list},
  };
}

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
