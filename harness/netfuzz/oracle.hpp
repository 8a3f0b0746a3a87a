// The oracles: what makes an answer of the server under fuzz a finding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "netfuzz/plan.hpp"

namespace acmespec::netfuzz {

struct Verdict {
  std::string oracle;
  std::string detail;
};

// Judges one exchange of `plan`:
//  - hang-or-reset: no response (timeout, reset, TLS failure after setup);
//  - server-error-5xx: any 5xx;
//  - error-not-problem-document: a 4xx whose body is not an RFC 7807 problem
//    with a type, served as application/problem+json (RFC 8555 §6.7);
//  - replayed-nonce-accepted, bad-signature-accepted, foreign-kid-accepted,
//    invalid-request-accepted: a 2xx to a request the RFC requires refused;
//  - finalize-accepted-while-pending: a 2xx to finalize of an order whose
//    authorizations were never validated (§7.4 orderNotReady).
std::vector<Verdict> judge(const Plan& plan, const std::optional<http::Response>& response,
                           const std::string& transport_error);

}  // namespace acmespec::netfuzz
