// Named responder faults for the `authorize` operation: each one makes
// acmespec's own challenge responder answer a validation in one specific
// wrong (or unusual but valid) way, so that a scenario can judge how the
// target's validator reacts.  `acmespec list --ops` prints them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "responders/facade.hpp"

namespace acmespec::server {

struct ChallengeFault {
  std::string name;
  std::string challenge_type;  // the challenge it applies to
  bool must_fail;              // a correct validator refuses to validate
  std::string summary;
};

const std::vector<ChallengeFault>& challenge_faults();
const ChallengeFault* find_challenge_fault(const std::string& name);

// What a responder needs to answer one challenge.
struct ChallengeSetup {
  std::string type;   // http-01, dns-01, tls-alpn-01
  std::string host;   // the identifier value
  std::string token;
  std::string key_authorization;
  std::uint16_t http_port = 0;  // where the HTTP-01 responder listens (for redirects)
};

// Provisions the responders for `setup`, honestly or with `fault` (empty:
// none).  Returns a description of what was provisioned for the evidence.
Result<nlohmann::json> provision_challenge(responders::Responders& r, const ChallengeSetup& setup, const std::string& fault);

}  // namespace acmespec::server
