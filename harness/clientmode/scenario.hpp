// Client scenarios (scenarios/client/<topic>/*.json, docs/clients.md): a
// fault plan for the mock CA, the challenge the client is told to use, the
// names it requests, the client checks to judge and whether issuance must
// succeed.  Loading is strict: unknown members, uncatalogued or unfit checks
// are refused with file, JSON path and reason.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/catalogue.hpp"
#include "mock-ca/fault_plan.hpp"

namespace acmespec::clientmode {

enum class Expectation { succeed, fail };

struct ClientScenario {
  std::string id;
  std::string title;
  std::string description;
  std::string file;
  std::vector<std::string> suites;
  std::vector<std::string> sections;
  mockca::FaultPlan faults;
  // http-01, dns-01, tls-alpn-01, or http-01-webroot: HTTP-01 where the
  // client writes files into {webroot}, served by acmespec (site.hpp).
  std::string challenge;
  std::vector<std::string> identifiers;  // templates over {domain}, e.g. "{domain}", "www.{domain}"
  std::vector<std::string> expect;       // client check ids
  Expectation client_should = Expectation::succeed;
  int timeout_s = 0;                     // the client's time limit here; 0 = the profile's or --timeout
  int validation_delay_s = 0;            // the mock CA's VA waits this long before each validation (0-10 s)
  // false: the profile's terms-of-service opt-in ({tos_args}) is left out of
  // the command line, so the run shows whether the client agrees on its own.
  bool tos_opt_in = true;
};

const std::vector<std::string>& challenge_types();

// Parses one document; errors read "<file>: <json path>: <reason>".
Result<ClientScenario> parse_client_scenario(const nlohmann::json& doc, const std::string& file,
                                             const engine::Catalogue& catalogue);

// Every *.json below `dir`, recursively in sorted order; ids must be unique.
Result<std::vector<ClientScenario>> load_client_scenarios(const std::filesystem::path& dir,
                                                          const engine::Catalogue& catalogue);

// The identifiers with {domain} replaced.
std::vector<std::string> expand_identifiers(const ClientScenario& scenario, const std::string& domain);

// Selection by id or suite; empty selectors select everything.
std::vector<const ClientScenario*> select(const std::vector<ClientScenario>& all, const std::vector<std::string>& ids,
                                          const std::vector<std::string>& suites);

}  // namespace acmespec::clientmode
