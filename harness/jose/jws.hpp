// JWS in the flattened JSON serialization (RFC 7515 §7.2.2), the only form
// ACME uses (RFC 8555 §6.2).
//
// FlattenedJws keeps the base64url texts as received; they are what gets
// serialized and what signatures cover.  The decoded fields are conveniences
// and are ignored by serialize() and verify_flattened(), so a caller may
// tamper with the texts directly to build invalid messages on purpose.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/json.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwk.hpp"
#include "jose/private_key.hpp"

namespace acmespec::jose {

struct FlattenedJws {
  std::string protected_b64;
  std::string payload_b64;
  std::string signature_b64;
  // Decoded protected header; null when the protected bytes are not JSON
  // (only for deliberately broken messages: parse_flattened refuses them).
  nlohmann::json protected_header;
  std::string payload;  // decoded bytes; empty for POST-as-GET
  std::optional<nlohmann::json> unprotected_header;

  // ASCII(BASE64URL(protected) '.' BASE64URL(payload)), RFC 7515 §5.1.
  std::string signing_input() const { return protected_b64 + "." + payload_b64; }
  nlohmann::json to_json() const;
  std::string serialize() const;
};

// Refuses the compact and the general serializations, non-string members,
// bad base64url, a protected header that is not a JSON object (duplicate
// member names included), and an unprotected header that is not an object or
// repeats a protected name (RFC 7515 §7.2.1).  The payload may be empty.
Result<FlattenedJws> parse_flattened(std::string_view body, const JsonLimits& limits = {});

// Signs a well-formed JWS.  Without "alg" the header gets the key's default;
// an "alg" that the key cannot produce is an error (JwsBuilder signs under
// any header on purpose).
Result<FlattenedJws> sign_flattened(const nlohmann::json& protected_header,
                                    std::string_view payload, const PrivateKey& key);

// Verifies with `key` under the "alg" of the protected header.  Refuses
// "none", MAC algorithms, unsupported algorithms, an alg that does not fit
// the key and any "crit" (acmespec understands no extension).
Status verify_flattened(const FlattenedJws& jws, const Jwk& key);

// External Account Binding (RFC 8555 §7.3.4): HMAC-protected JWS.
Result<FlattenedJws> sign_flattened_mac(const nlohmann::json& protected_header,
                                        std::string_view payload, MacAlg alg,
                                        std::string_view mac_key);
// Only the MAC algorithm named in the protected header is used; it must be
// one of HS256/384/512.
Status verify_flattened_mac(const FlattenedJws& jws, std::string_view mac_key);

// Builds JWS messages without judging them: the protected bytes need not be
// JSON, the signing algorithm need not match the header, the signature may
// be anything.  The client role's mutation hooks are built on this.
class JwsBuilder {
 public:
  // Serializes `header` compactly; fails only for JSON that cannot be
  // serialized (invalid UTF-8 in a string).
  static Result<JwsBuilder> from_header(const nlohmann::json& header);
  // Uses `bytes` verbatim as the protected header.
  static JwsBuilder from_protected_bytes(std::string bytes);

  JwsBuilder& payload(std::string bytes);
  JwsBuilder& unprotected_header(nlohmann::json header);

  const std::string& protected_bytes() const { return protected_; }
  std::string signing_input() const;

  // Signs the signing input with `alg`, whatever the header claims.
  Result<FlattenedJws> sign(const PrivateKey& key, Alg alg) const;
  Result<FlattenedJws> sign(const PrivateKey& key) const { return sign(key, key.default_alg()); }
  Result<FlattenedJws> sign_mac(MacAlg alg, std::string_view mac_key) const;
  // Attaches `signature` as is (empty for an alg "none" message).
  FlattenedJws with_signature(std::string signature) const;

 private:
  explicit JwsBuilder(std::string protected_bytes) : protected_(std::move(protected_bytes)) {}
  std::string protected_;
  std::string payload_;
  std::optional<nlohmann::json> unprotected_;
};

// Tampering after signing; none of these re-sign.
// Flips one bit of the signature (appends a byte when it is empty).
void corrupt_signature(FlattenedJws& jws);
// Replaces the protected header bytes (re-encoded; decoded field updated).
void replace_protected_bytes(FlattenedJws& jws, std::string bytes);
// Replaces the payload bytes (re-encoded; decoded field updated).
void replace_payload(FlattenedJws& jws, std::string bytes);

}  // namespace acmespec::jose
