// The acmespec command line: a thin shell that parses arguments and hands
// the work to the component libraries.  `run` never exits the process; it
// returns the exit code so tests can drive it in-process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace acmespec::cli {

// Exit codes a CI gate can rely on.
inline constexpr int kExitOk = 0;           // no MUST-level failure, no harness error
inline constexpr int kExitFailures = 1;     // at least one conformance failure
inline constexpr int kExitHarnessError = 2; // usage error, or the harness could not do its job

struct Environment {
  std::string data_dir;  // folder holding scenarios/; empty: built-in default
};

// args excludes the program name.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env = {});

std::string version();

}  // namespace acmespec::cli
