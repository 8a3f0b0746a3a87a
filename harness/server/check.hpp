// Server-conformance checks: each catalogue id the server mode can judge is
// one function from a step's Observation to a Judgement.  Checks live in
// checks_<section>.cpp files, grouped by RFC section.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/runner.hpp"
#include "server/observation.hpp"

namespace acmespec::server {

struct CheckDef {
  std::string id;
  // For rejection checks: the mutations of which a step must carry one.
  std::vector<std::string> needs_mutation;
  std::function<engine::Judgement(const Observation&)> judge;
  // For validation checks: the responder faults (authorize `fault`) of which
  // the step must set up one.
  std::vector<std::string> needs_fault = {};
};

// Every check, from all checks_*.cpp files.
const std::vector<CheckDef>& all_checks();
const CheckDef* find_check(const std::string& id);

// Registration lists, one per section file.
std::vector<CheckDef> checks_transport();      // RFC 8555 §6
std::vector<CheckDef> checks_resources();      // RFC 8555 §7.1, §7.2
std::vector<CheckDef> checks_accounts();       // RFC 8555 §7.3
std::vector<CheckDef> checks_orders();         // RFC 8555 §7.4, §7.5, §7.6, §9, §11
std::vector<CheckDef> checks_identifiers();    // RFC 8555 §7.1.3, §7.1.4 wildcards, RFC 8738 IP identifiers
std::vector<CheckDef> checks_challenges();     // RFC 8555 §8, RFC 8737, RFC 8738
std::vector<CheckDef> checks_validation();     // §8 validation outcomes under responder faults, RFC 8659 CAA
std::vector<CheckDef> checks_redirects();      // §8.3, §10.4 redirects away from the HTTP-01 port or scheme

// Shared judgement helpers.
namespace judge {
using engine::Judgement;
// Fails with the transport error when no answer arrived; else nullopt.
std::optional<Judgement> no_answer(const Observation& o);
// The answer is a rejection (4xx) with the given ACME error type; `types`
// lists acceptable short names (empty = any 4xx problem).
Judgement rejected_with(const Observation& o, const std::vector<std::string>& types, const std::string& what);
Judgement status_is(const Observation& o, std::vector<int> statuses, const std::string& what);
}  // namespace judge

}  // namespace acmespec::server
