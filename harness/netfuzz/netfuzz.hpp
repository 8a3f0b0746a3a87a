// The network protocol fuzzer: `acmespec fuzz --directory URL`.
//
// Against a live ACME server it sets up two accounts and a pending order,
// then sends valid requests rewritten by the mutation operators of plan.hpp
// and judges every answer with the oracles of oracle.hpp.  Findings are
// deduplicated and written as JSON files that carry the seed and iteration
// that reproduce them; `acmespec fuzz --replay FILE` sends that iteration
// again.  Every run is bounded by duration and request count, and every
// request by the HTTP client's timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::netfuzz {

struct NetFuzzConfig {
  std::string directory_url;
  std::string ca_bundle;   // PEM trusted for the target; empty = system store
  bool insecure = false;   // explicit opt-out of TLS verification
  std::chrono::seconds duration{60};
  std::size_t max_requests = 100000;
  std::uint64_t seed = 1;
  std::string out_dir;     // where findings are written; empty = not written
  std::chrono::milliseconds timeout{10'000};  // per request
  std::size_t max_findings = 1000;            // distinct findings kept
};

struct Finding {
  std::string oracle;   // e.g. "server-error-5xx", "replayed-nonce-accepted"
  std::string detail;
  std::string op;       // base request
  std::vector<std::string> mutations;
  std::uint64_t seed = 0;
  std::uint64_t iteration = 0;
  nlohmann::json request;   // method, url, headers, body as sent
  nlohmann::json response;  // status, headers, body excerpt (or the transport error)

  // Findings with the same key are one finding (first occurrence kept).
  std::string key() const;
  nlohmann::json to_json() const;
};

struct NetFuzzStats {
  std::size_t requests = 0;    // every request sent, setup and nonce fetches included
  std::size_t iterations = 0;  // mutated requests
  std::size_t duplicates = 0;  // findings folded into an earlier one
  double seconds = 0;
  std::vector<Finding> findings;
  std::vector<std::string> files;  // written finding files
};

// Errors are harness errors (directory unreachable, setup refused).
Result<NetFuzzStats> run_netfuzz(const NetFuzzConfig& config, std::ostream& log);

// Replays the iteration a finding file names against `config.directory_url`
// (the file's directory when empty); the result holds the findings that
// iteration produces now, so an empty list means it no longer reproduces.
Result<NetFuzzStats> replay_finding(const std::string& file, NetFuzzConfig config, std::ostream& log);

}  // namespace acmespec::netfuzz
