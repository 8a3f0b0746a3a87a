// RFC 8555 §6.2 rules for the protected header of an ACME request.
//
// Every violation is reported, not just the first, and each carries a
// HeaderRule whose id (header_rule_id) is stable: checks and run records cite
// it, so an id is never renamed or reused once released.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "jose/jws.hpp"

namespace acmespec::jose {

// Which key reference a request must use: newAccount and revokeCert signed
// by the certificate key need "jwk", every other request "kid" (§6.2).
enum class KeyRef { Either, Jwk, Kid };

enum class HeaderRule {
  HeaderObject,         // the protected header is a JSON object
  AlgPresent,           // "alg" is present
  AlgString,            // "alg" is a string
  AlgNotNone,           // "alg" is not "none"
  AlgNotMac,            // "alg" is not a MAC algorithm (HS256/384/512)
  AlgSupported,         // "alg" is one acmespec verifies
  AlgFitsKey,           // "alg" fits the key in "jwk"
  KeyRefPresent,        // "jwk" or "kid" is present
  KeyRefExclusive,      // not both "jwk" and "kid"
  JwkRequired,          // "jwk" where the request needs it
  KidRequired,          // "kid" where the request needs it
  JwkValid,             // "jwk" is an acceptable public key
  KidString,            // "kid" is a non-empty string
  NoncePresent,         // "nonce" is present
  NonceString,          // "nonce" is a string
  NonceBase64url,       // "nonce" is non-empty base64url
  UrlPresent,           // "url" is present
  UrlString,            // "url" is a non-empty string
  CritWellFormed,       // "crit" is a non-empty array of strings
  CritUnderstood,       // every "crit" entry is understood (none is)
  NoB64,                // no RFC 7797 "b64" parameter
  NoUnprotectedHeader,  // the JWS has no unprotected header (whole-JWS check)
};

// e.g. "RFC8555-6.2-alg-not-none".
std::string_view header_rule_id(HeaderRule rule);

struct HeaderViolation {
  HeaderRule rule;
  Error error;  // path such as "protected.alg", and the reason
};

std::vector<HeaderViolation> check_acme_protected_header(const nlohmann::json& header,
                                                         KeyRef expect = KeyRef::Either);
// The same, as plain errors.
std::vector<Error> validate_acme_protected_header(const nlohmann::json& header,
                                                  KeyRef expect = KeyRef::Either);
// Protected-header rules plus those on the JWS as a whole (§6.2: no
// unprotected header).
std::vector<HeaderViolation> check_acme_jws(const FlattenedJws& jws,
                                            KeyRef expect = KeyRef::Either);

}  // namespace acmespec::jose
