// Problem documents (RFC 7807, RFC 8555 §6.7) and the ACME error types.
//
// The harness judges problems a server sends and the mock CA builds its own,
// so this offers both a lenient parser (every member optional, types strict)
// and one constructor per ACME error type with the HTTP status we use for it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/identifier.hpp"
#include "common/result.hpp"

namespace acmespec::acme {

namespace error {
inline constexpr std::string_view kPrefix = "urn:ietf:params:acme:error:";
// The RFC 8555 §6.7 table, by short name.
inline constexpr std::string_view kAccountDoesNotExist = "urn:ietf:params:acme:error:accountDoesNotExist";
inline constexpr std::string_view kAlreadyRevoked = "urn:ietf:params:acme:error:alreadyRevoked";
inline constexpr std::string_view kBadCSR = "urn:ietf:params:acme:error:badCSR";
inline constexpr std::string_view kBadNonce = "urn:ietf:params:acme:error:badNonce";
inline constexpr std::string_view kBadPublicKey = "urn:ietf:params:acme:error:badPublicKey";
inline constexpr std::string_view kBadRevocationReason = "urn:ietf:params:acme:error:badRevocationReason";
inline constexpr std::string_view kBadSignatureAlgorithm = "urn:ietf:params:acme:error:badSignatureAlgorithm";
inline constexpr std::string_view kCaa = "urn:ietf:params:acme:error:caa";
inline constexpr std::string_view kCompound = "urn:ietf:params:acme:error:compound";
inline constexpr std::string_view kConnection = "urn:ietf:params:acme:error:connection";
inline constexpr std::string_view kDns = "urn:ietf:params:acme:error:dns";
inline constexpr std::string_view kExternalAccountRequired = "urn:ietf:params:acme:error:externalAccountRequired";
inline constexpr std::string_view kIncorrectResponse = "urn:ietf:params:acme:error:incorrectResponse";
inline constexpr std::string_view kInvalidContact = "urn:ietf:params:acme:error:invalidContact";
inline constexpr std::string_view kMalformed = "urn:ietf:params:acme:error:malformed";
inline constexpr std::string_view kOrderNotReady = "urn:ietf:params:acme:error:orderNotReady";
inline constexpr std::string_view kRateLimited = "urn:ietf:params:acme:error:rateLimited";
inline constexpr std::string_view kRejectedIdentifier = "urn:ietf:params:acme:error:rejectedIdentifier";
inline constexpr std::string_view kServerInternal = "urn:ietf:params:acme:error:serverInternal";
inline constexpr std::string_view kTls = "urn:ietf:params:acme:error:tls";
inline constexpr std::string_view kUnauthorized = "urn:ietf:params:acme:error:unauthorized";
inline constexpr std::string_view kUnsupportedContact = "urn:ietf:params:acme:error:unsupportedContact";
inline constexpr std::string_view kUnsupportedIdentifier = "urn:ietf:params:acme:error:unsupportedIdentifier";
inline constexpr std::string_view kUserActionRequired = "urn:ietf:params:acme:error:userActionRequired";

struct ErrorType {
  std::string_view name;         // "badNonce"
  std::string_view urn;          // "urn:ietf:params:acme:error:badNonce"
  int http_status;               // what the mock CA answers with
  std::string_view description;  // our one-line summary of §6.7's entry
};
// All 24 entries of the §6.7 table, alphabetical.
const std::array<ErrorType, 24>& error_types();
// The entry for a short name or a full URN; nullptr when not in the table.
const ErrorType* find_error_type(std::string_view name_or_urn);
}  // namespace error

// True when `type` is the ACME error URN for `name`:
// is_acme_error("urn:ietf:params:acme:error:badNonce", "badNonce").
bool is_acme_error(std::string_view type, std::string_view name);
// True for any URN under the ACME error namespace, registered or not.
bool has_acme_error_prefix(std::string_view type);

// RFC 8555 §6.7.1.  Every member is optional in a subproblem.
struct Subproblem {
  std::optional<std::string> type;
  std::optional<std::string> detail;
  std::optional<Identifier> identifier;
  nlohmann::json extra = nlohmann::json::object();  // unknown members
  nlohmann::json raw;                               // as received; not compared

  static Result<Subproblem> parse(const nlohmann::json& j, const std::string& path = "subproblem");
  nlohmann::json to_json() const;
  bool operator==(const Subproblem& o) const {
    return type == o.type && detail == o.detail && identifier == o.identifier && extra == o.extra;
  }
};

struct Problem {
  // Absent means "about:blank" (RFC 7807 §4.2); kept absent so a judge can
  // tell that an ACME server left it out.
  std::optional<std::string> type;
  std::optional<std::string> title;
  std::optional<int> status;  // when present, an integer 100..599
  std::optional<std::string> detail;
  std::optional<std::string> instance;
  std::vector<Subproblem> subproblems;  // empty when absent
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  std::string effective_type() const { return type.value_or("about:blank"); }
  bool is(std::string_view acme_error_name) const { return is_acme_error(effective_type(), acme_error_name); }

  static Result<Problem> parse(const nlohmann::json& j, const std::string& path = "problem");
  nlohmann::json to_json() const;
  bool operator==(const Problem& o) const {
    return type == o.type && title == o.title && status == o.status && detail == o.detail &&
           instance == o.instance && subproblems == o.subproblems && extra == o.extra;
  }

  // A problem of ACME error `name` (short name or URN) with the table's HTTP
  // status; a name outside the table still yields a problem of that type
  // (URN-prefixed if it is a bare name) with status 400.
  static Problem acme(std::string_view name, std::string detail);

  static Problem account_does_not_exist(std::string detail) { return acme("accountDoesNotExist", std::move(detail)); }
  static Problem already_revoked(std::string detail) { return acme("alreadyRevoked", std::move(detail)); }
  static Problem bad_csr(std::string detail) { return acme("badCSR", std::move(detail)); }
  static Problem bad_nonce(std::string detail) { return acme("badNonce", std::move(detail)); }
  static Problem bad_public_key(std::string detail) { return acme("badPublicKey", std::move(detail)); }
  static Problem bad_revocation_reason(std::string detail) { return acme("badRevocationReason", std::move(detail)); }
  static Problem bad_signature_algorithm(std::string detail) {
    return acme("badSignatureAlgorithm", std::move(detail));
  }
  static Problem caa(std::string detail) { return acme("caa", std::move(detail)); }
  // The status of a compound problem is that of its subproblems when they
  // agree, else 400 (RFC 8555 §6.7.1 leaves it to the server).
  static Problem compound(std::string detail, std::vector<Subproblem> subproblems);
  static Problem connection(std::string detail) { return acme("connection", std::move(detail)); }
  static Problem dns(std::string detail) { return acme("dns", std::move(detail)); }
  static Problem external_account_required(std::string detail) {
    return acme("externalAccountRequired", std::move(detail));
  }
  static Problem incorrect_response(std::string detail) { return acme("incorrectResponse", std::move(detail)); }
  static Problem invalid_contact(std::string detail) { return acme("invalidContact", std::move(detail)); }
  static Problem malformed(std::string detail) { return acme("malformed", std::move(detail)); }
  static Problem order_not_ready(std::string detail) { return acme("orderNotReady", std::move(detail)); }
  static Problem rate_limited(std::string detail) { return acme("rateLimited", std::move(detail)); }
  static Problem rejected_identifier(std::string detail) { return acme("rejectedIdentifier", std::move(detail)); }
  static Problem server_internal(std::string detail) { return acme("serverInternal", std::move(detail)); }
  static Problem tls(std::string detail) { return acme("tls", std::move(detail)); }
  static Problem unauthorized(std::string detail) { return acme("unauthorized", std::move(detail)); }
  static Problem unsupported_contact(std::string detail) { return acme("unsupportedContact", std::move(detail)); }
  static Problem unsupported_identifier(std::string detail) {
    return acme("unsupportedIdentifier", std::move(detail));
  }
  static Problem user_action_required(std::string detail) { return acme("userActionRequired", std::move(detail)); }
};

}  // namespace acmespec::acme
