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
//    "terms_changed": true,
//    "challenge_token": "../../../canary/x", "certificate_mismatch": "key",
//    "hostile_body": {"endpoint": "directory", "kind": "nested", "size": 100000},
//    "extra_identifiers": ["not-requested.acmespec-hostile.test"],
//    "hostile_identifiers": ["$(touch${IFS}x).example"],
//    "directory_decoy": "http", "resource_decoy": "other-host",
//    "hostile_urls": [";$(touch$IFS'x')", "%1B%5D0;title%07"],
//    "invalid_nonce": {"endpoint": "newAccount", "nth": [1]},
//    "order_reorder": "mismatch", "certificate_extra_pem": "ec-parameters"}
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

// Hostile CA: answer matching requests 200 with a body no client should
// swallow whole: "oversized" is a JSON object of `size` bytes, "nested" is
// `size` nested JSON arrays.
struct HostileBody {
  std::optional<Endpoint> endpoint;  // empty = every request
  std::string kind;                  // "oversized" or "nested"
  int size = 0;                      // bytes (oversized) or depth (nested)
  bool operator==(const HostileBody&) const = default;
};
std::string render_hostile_body(const HostileBody& body);

// Answers whose Replay-Nonce is not base64url (RFC 8555 §6.5.1): the nth
// matching answers that carry a nonce get invalid_nonce_value() instead of a
// nonce from the store, so a JWS carrying it meets badNonce like any unknown
// nonce.
struct InvalidNonceFault {
  std::optional<Endpoint> endpoint;  // empty = any endpoint
  std::vector<int> nth;              // 1-based counts of matching answers that carry a nonce; never empty
  bool operator==(const InvalidNonceFault&) const = default;
};
// The invalid value made from 16 base64url characters `seed`:
// "<8 chars>+<4 chars>/<4 chars>==" ('+', '/' and '=' are outside base64url).
std::string invalid_nonce_value(std::string_view seed);

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
  // Hostile CA: every challenge of a new authorization carries this token
  // instead of a random base64url one (path traversal, shell and charset
  // payloads; RFC 8555 §8.3 allows only base64url characters).
  std::optional<std::string> challenge_token;
  // Hostile CA: the issued certificate does not match the finalized CSR:
  // "key" certifies a fresh key instead of the CSR's, "names" certifies
  // another name instead of the order's.  Empty = a faithful certificate.
  std::string certificate_mismatch;
  std::optional<HostileBody> hostile_body;
  // Hostile CA: every new order also names these DNS identifiers, which the
  // client never asked for, each with its own authorization.  Their
  // authorization and challenge ids start with "extra-" so that checks can
  // tell them apart in the observation log.
  std::vector<std::string> extra_identifiers;
  // Hostile CA: like extra_identifiers, but texts no DNS name looks like
  // (shell payloads, escape sequences, very long strings; 1 to 1000 bytes, no
  // NUL), for what a client does with identifier text it prints or hands to
  // hooks.  Their challenges never validate.
  std::vector<std::string> hostile_identifiers;
  // Hostile CA: the directory's newNonce, newAccount and newOrder point at a
  // decoy (MockCaConfig::decoy_base): "http" a plain-HTTP URL, "other-host"
  // another host.  Empty = the CA's own URLs.
  std::string directory_decoy;
  // Hostile CA: the authorization URLs every order lists point at the decoy
  // ("http" or "other-host", as for directory_decoy): the directory and the
  // account are honest, the first resource URL the client follows is not.
  // At most one of directory_decoy and resource_decoy (one decoy listener).
  std::string resource_decoy;
  // Hostile CA: the URLs handed out for orders, authorizations, challenges,
  // finalize and certificates carry these extra path segments after the
  // resource id ("/order/<id>/<seg1>/<seg2>..."), in Location and Link
  // headers and in bodies; the router strips them again.  Each is 1 to 4096
  // characters of an RFC 3986 path segment (unreserved, sub-delims, ":", "@"
  // and %XX escapes), so the URL stays valid and a client can keep going.
  std::vector<std::string> hostile_urls;
  std::optional<InvalidNonceFault> invalid_nonce;
  // Orders of two or more names list their identifiers and authorizations
  // in another order than the newOrder request: "reverse" reverses both
  // lists (identifiers[i] still goes with authorizations[i]), "mismatch"
  // reverses the identifiers and rotates the authorizations left by one,
  // so that for three or more names no index pairs an identifier with its
  // authorization (RFC 8555 §7.1.3 promises no correspondence).  Empty = the
  // request's order.
  std::string order_reorder;
  // Every certificate download ends with a PEM block that is not a
  // CERTIFICATE: "ec-parameters" appends the P-256 named-curve EC PARAMETERS
  // block (certificate_extra_pem_block()).  Never a private key, so nothing
  // secret can reach a report.  Empty = certificates only.
  std::string certificate_extra_pem;
  bool operator==(const FaultPlan&) const = default;
};

// The PEM block certificate_extra_pem appends for `kind` ("" for an unknown kind).
std::string certificate_extra_pem_block(std::string_view kind);

// What hostile_urls appends to a resource URL: "/" + each segment, in order
// ("" without the fault).
std::string url_decoration(const FaultPlan& plan);
// RFC 3986 §2.1 percent-decoding; a "%" not followed by two hex digits stays as it is.
std::string percent_decode(std::string_view text);
// Why `segment` is not an RFC 3986 path segment (naming the offending
// character and offset), or nullopt when it is one.
std::optional<std::string> path_segment_problem(std::string_view segment);

// Parses the JSON form above; unknown members and wrong types are errors
// naming the JSON path.
Result<FaultPlan> parse_fault_plan(const nlohmann::json& j);
nlohmann::json to_json(const FaultPlan& plan);

}  // namespace acmespec::mockca
