// Challenge responses (RFC 8555 §8.3, §8.4, RFC 8737 §3) and the directory
// (§7.1.1).  The mock CA's validator checks what the client published for
// real, so the outcome of each authorization the client answered says
// whether the client served the key authorization the way its challenge
// type requires.
#include "clientmode/checks.hpp"

#include <algorithm>

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Endpoint;
using mockca::Observation;

bool responded_to_challenge(const Observation& o) {
  return o.endpoint == Endpoint::kChallenge && o.method == "POST" && o.payload && o.payload->is_object();
}

// The authorizations' fate after the client's first challenge response: an
// answer showing an authorization or challenge invalid fails the check, one
// showing it valid (or a downloaded certificate, which needs every
// authorization valid) passes it.
Judgement validation_outcome(const ClientRun& run, const std::string& what) {
  const auto& obs = run.observations;
  std::size_t first = obs.size();
  for (std::size_t i = 0; i < obs.size(); ++i)
    if (responded_to_challenge(obs[i])) {
      first = i;
      break;
    }
  if (first == obs.size()) return Judgement::skip("the client never responded to a challenge");
  std::vector<std::string> valid;
  for (std::size_t i = first; i < obs.size(); ++i) {
    const Observation& o = obs[i];
    if (o.endpoint != Endpoint::kAuthorization && o.endpoint != Endpoint::kChallenge) continue;
    if (o.resource_status == "invalid")
      return Judgement::fail("after the client's response at " + evidence_id(obs[first]) + ", " + evidence_id(o) + " (" +
                                 o.url + ") shows the validation failed: the mock CA's validator did not find " + what,
                             {evidence_id(obs[first]), evidence_id(o)});
    if (o.resource_status == "valid") valid.push_back(evidence_id(o));
  }
  if (!valid.empty())
    return Judgement::pass("the validator found " + what + " (" + valid.front() + " shows the authorization valid)",
                           {evidence_id(obs[first]), valid.front()});
  if (certificate_downloaded(run))
    return Judgement::pass("the validator found " + what + ": the client downloaded its certificate", {evidence_id(obs[first])});
  return Judgement::skip("the run ended before the client saw the outcome of the validation");
}

// Fits scenarios where the client uses `type` and validation can succeed.
std::function<std::optional<std::string>(const ClientScenario&)> fits_challenge(std::vector<std::string> types) {
  return [types](const ClientScenario& sc) -> std::optional<std::string> {
    if (std::find(types.begin(), types.end(), sc.challenge) == types.end())
      return "the scenario's challenge is " + sc.challenge;
    if (sc.faults.challenge_invalid) return "the fault plan fails every validation (challenge_invalid)";
    if (sc.client_should != Expectation::succeed) return "issuance is meant to fail in this scenario";
    return std::nullopt;
  };
}

Judgement uses_directory_urls(const ClientRun& run) {
  std::size_t n = 0;
  for (const auto& o : run.observations) {
    if (o.endpoint == Endpoint::kOther)
      return Judgement::fail(evidence_id(o) + ": " + o.method + " " + o.url.substr(0, 200) +
                                 " is no URL the directory or a resource gave the client",
                             {evidence_id(o)});
    ++n;
  }
  if (n == 0) return Judgement::skip("the client sent no request");
  return Judgement::pass("all " + std::to_string(n) + " requests addressed the directory or URLs the CA handed out");
}

}  // namespace

std::vector<ClientCheckDef> checks_challenges() {
  return {
      {"RFC8555-8.3-client-serves-key-authorization",
       [](const ClientRun& run) { return validation_outcome(run, "token.thumbprint at /.well-known/acme-challenge/<token>"); },
       fits_challenge({"http-01", "http-01-webroot"})},
      {"RFC8555-8.4-client-txt-record",
       [](const ClientRun& run) { return validation_outcome(run, "the key authorization's digest as TXT at _acme-challenge"); },
       fits_challenge({"dns-01"})},
      {"RFC8737-3-client-challenge-certificate",
       [](const ClientRun& run) {
         return validation_outcome(run, "an acme-tls/1 certificate with the one name and a critical acmeIdentifier digest");
       },
       fits_challenge({"tls-alpn-01"})},
      {"RFC8555-7.1.1-client-uses-directory-urls", uses_directory_urls},
  };
}

}  // namespace acmespec::clientmode
