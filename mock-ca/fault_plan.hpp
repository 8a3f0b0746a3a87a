// The fault plan: the deliberate misbehaviours a client scenario asks of the
// mock CA (DESIGN.md principle 5), as plain data.  Each knob is one named,
// documented misbehaviour; docs/mock-ca.md lists them with examples.
//
// JSON form (the "faults" member of a client scenario, or `acmespec mock-ca
// --faults FILE`), parsed by parse_fault_plan():
//   {"errors": [{"endpoint": "newOrder", "nth": [1], "type": "rateLimited",
//                "status": 429, "retry_after": 2, "detail": "..."}],
//    "delays": [{"endpoint": "finalize", "nth": [1], "ms": 1500}],
//    "order_processing_polls": 3, "authz_pending_polls": 2, "retry_after": 1,
//    "challenge_invalid": {"type": "incorrectResponse", "detail": "..."},
//    "alternate_chains": 1, "eab_required": true,
//    "terms_changed": true}
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::mockca {

// The resource a request addressed; fault rules and observations name it.
enum class Endpoint {
  kDirectory,
  kNewNonce,
  kNewAccount,
  kAccount,
  kKeyChange,
  kNewOrder,
  kOrder,
  kOrdersList,
  kAuthorization,
  kChallenge,
  kFinalize,
  kCertificate,
  kRevokeCert,
  kOther,  // anything else (unknown paths, the CA bundle, ...)
};
std::string_view endpoint_name(Endpoint e);  // "directory", "newNonce", "newAccount", "account", "keyChange",
                                             // "newOrder", "order", "orders", "authz", "challenge",
                                             // "finalize", "certificate", "revokeCert", "other"
std::optional<Endpoint> parse_endpoint(std::string_view name);

// Answer the matching requests with a problem document instead of handling them.
struct ErrorFault {
  std::optional<Endpoint> endpoint;  // empty = any endpoint
  std::vector<int> nth;              // 1-based counts of matching requests; empty = every one
  std::string type;                  // ACME error type without the urn prefix: "badNonce", "rateLimited", ...
  int status = 400;
  std::string detail;
  std::optional<int> retry_after;    // seconds, sent as Retry-After
  bool operator==(const ErrorFault&) const = default;
};

// Hold the matching requests this long before answering (slow-server cases).
struct DelayFault {
  std::optional<Endpoint> endpoint;
  std::vector<int> nth;
  std::chrono::milliseconds delay{0};
  bool operator==(const DelayFault&) const = default;
};

struct ChallengeFailure {
  std::string type = "incorrectResponse";
  std::string detail = "the challenge response did not match";
  bool operator==(const ChallengeFailure&) const = default;
};

struct FaultPlan {
  std::vector<ErrorFault> errors;
  std::vector<DelayFault> delays;
  // After finalize the order stays `processing` for this many POST-as-GET polls.
  int order_processing_polls = 0;
  // After the challenge POST, the authorization stays `pending` (challenge
  // `processing`) for this many polls of the authorization or challenge.
  int authz_pending_polls = 0;
  // Retry-After (seconds) sent with `processing`/`pending` answers and 429s without their own.
  std::optional<int> retry_after;
  // Validation fails with this problem regardless of what the client served.
  std::optional<ChallengeFailure> challenge_invalid;
  // Number of alternate chains offered with Link: rel="alternate" (0 = none).
  int alternate_chains = 0;
  // newAccount without externalAccountBinding is refused (externalAccountRequired).
  bool eab_required = false;
  // The terms of service changed: requests from existing accounts get
  // userActionRequired with a Link to the new terms until the account agrees again.
  bool terms_changed = false;
  bool operator==(const FaultPlan&) const = default;
};

// Parses the JSON form above; unknown members and wrong types are errors
// naming the JSON path.
Result<FaultPlan> parse_fault_plan(const nlohmann::json& j);
nlohmann::json to_json(const FaultPlan& plan);

}  // namespace acmespec::mockca
