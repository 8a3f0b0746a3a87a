// Runs a client command as a child process in its own process group, with a
// working directory, extra environment, a timeout (the whole group is killed
// when it expires) and a cap on the output kept as evidence.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace acmespec::clientmode {

struct ProcessOptions {
  std::vector<std::string> argv;             // argv[0] is looked up on PATH
  std::filesystem::path cwd;                 // empty = inherit
  std::map<std::string, std::string> env;    // set on top of the inherited environment
  std::chrono::milliseconds timeout{60'000};
  std::chrono::milliseconds kill_grace{2'000};  // SIGTERM first, SIGKILL after this
  std::size_t output_cap = 256 * 1024;       // bytes kept: the head and the tail, the middle elided
};

struct ProcessResult {
  std::optional<int> exit_code;  // nullopt when a signal ended it
  int signal = 0;
  bool timed_out = false;
  std::string output;            // stdout and stderr interleaved as written
  std::size_t output_bytes = 0;  // total written, before the cap
  std::chrono::milliseconds duration{0};
};

// An error means the process could not be started at all (no such program,
// fork failed); whatever the child does afterwards is in the result.
Result<ProcessResult> run_process(const ProcessOptions& options);

}  // namespace acmespec::clientmode
