// Target profiles (profiles/<client>.json, docs/clients.md): how to run one
// ACME client under `acmespec client`, which checks do not apply to it and
// which findings against it are known, each with a reason.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::clientmode {

struct ExpectedFinding {
  std::string scenario;  // scenario id, or "*" for every scenario
  std::string check;     // catalogue id
  std::string reason;    // what the client does and why it is a finding
};

struct Profile {
  std::string name;
  std::string client;                                   // e.g. "lego 4.9.1 (Debian package)"
  std::vector<std::string> command;                     // template; "{domain_args}", "{challenge_args}", "{eab_args}" splice lists
  std::vector<std::string> domain_args;                 // per identifier, over {name}
  std::map<std::string, std::vector<std::string>> challenge_args;  // per challenge type; a type absent is unsupported
  std::vector<std::string> eab_args;                    // used when the scenario's CA requires EAB
  // The user's opt-in to the CA's terms of service ({tos_args}): spliced in
  // unless the scenario withholds it (tos_opt_in false).
  std::vector<std::string> tos_args;
  std::map<std::string, std::string> env;               // templates
  int timeout_s = 0;                                    // 0 = the command line's --timeout
  std::map<std::string, std::string> disabled_checks;   // id -> reason
  std::vector<ExpectedFinding> expected_findings;
  std::filesystem::path dir;                            // folder of the profile file, for {profile_dir}

  const ExpectedFinding* finding(const std::string& scenario, const std::string& check) const;
};

Result<Profile> parse_profile(const nlohmann::json& doc, const std::string& file);
Result<Profile> load_profile(const std::filesystem::path& file);

}  // namespace acmespec::clientmode
