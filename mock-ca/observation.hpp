// What the mock CA saw a client do: one record per request, kept in order,
// from which client checks are judged (harness/clientmode).  Records are
// facts, never judgements, and never hold key material.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock-ca/fault_plan.hpp"

namespace acmespec::mockca {

struct Observation {
  std::uint64_t seq = 0;                       // 1-based arrival order
  std::chrono::system_clock::time_point at;    // when the request arrived (injected clock)
  std::string method;                          // "GET", "HEAD", "POST"
  std::string url;                             // absolute URL the request addressed
  Endpoint endpoint = Endpoint::kOther;
  std::string content_type;                    // request Content-Type, "" if absent
  std::string user_agent;
  std::string accept;                          // request Accept, "" if absent (512 bytes at most)
  std::size_t body_size = 0;
  // Parsed from a flattened JWS body when there was one.
  std::optional<nlohmann::json> protected_header;  // decoded protected header
  std::optional<nlohmann::json> payload;           // decoded payload; null json for "" (POST-as-GET)
  bool payload_empty = false;                      // payload was the empty string (POST-as-GET)
  std::string nonce;                               // protected.nonce, "" if none
  std::string jws_url;                             // protected.url, "" if none
  std::string alg;                                 // protected.alg
  bool has_jwk = false;
  bool has_kid = false;
  std::string account;                             // account URL the request authenticated as, if any
  // For finalize: the CSR's names and whether its key equals the account key.
  std::vector<std::string> csr_names;
  std::optional<bool> csr_key_is_account_key;
  // The answer.
  int status = 0;
  std::string problem_type;                        // ACME error type without prefix, "" on success
  std::string resource_status;                     // "status" of the returned order/authz/challenge, if any
  std::string challenge_token;                     // a challenge answer's "token" (256 bytes at most)
  std::optional<int> retry_after;                  // seconds sent in Retry-After
  std::string replay_nonce;                        // nonce handed out with this answer
  bool fault_injected = false;                     // the answer came from the fault plan
};

nlohmann::json to_json(const Observation& o);

}  // namespace acmespec::mockca
