// Public JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037 §2) and their
// RFC 7638 thumbprints.
//
// A Jwk is always a usable public key: parse() refuses anything the verifier
// could not use or should not trust (short RSA moduli, points off the curve,
// private members), naming the member at fault.  The canonical members are
// kept as received-and-validated base64url text, so thumbprint() and
// to_json() reproduce exactly what the peer sent.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "common/result.hpp"
#include "jose/algorithm.hpp"

namespace acmespec::jose {

struct JwkPolicy {
  // RSA moduli below this are refused (RFC 8555 leaves key policy to the
  // server; 2048 is what public CAs require).  PrivateKey lowers it for keys
  // a test loads on purpose.
  int min_rsa_bits = 2048;
  // Bounds verification cost against a hostile peer.
  int max_rsa_bits = 16384;
};

class Jwk {
 public:
  // `path` prefixes every error, e.g. "protected.jwk" gives
  // "protected.jwk.x: point is not on curve P-256".
  static Result<Jwk> parse(const nlohmann::json& json, const std::string& path = "jwk",
                           const JwkPolicy& policy = {});
  // From DER SubjectPublicKeyInfo; the same rules as parse() apply.
  static Result<Jwk> from_spki_der(std::string_view der, const JwkPolicy& policy = {});
  // From any OpenSSL key holding one of the supported public keys (a private
  // key is fine: only its public half is used).
  static Result<Jwk> from_evp(EVP_PKEY* key, const JwkPolicy& policy = {});

  KeyFamily family() const { return family_; }
  Alg default_alg() const { return jose::default_alg(family_); }

  // The required public members only (RFC 7638 §3.2), sorted by name.
  nlohmann::json to_json() const;
  // RFC 7638 §3: the canonical JSON the thumbprint hashes.
  std::string thumbprint_input() const;
  // RFC 7638: base64url(SHA-256(thumbprint_input())).
  std::string thumbprint() const;

  // For verification and for other components (certificate requests, TLS).
  EVP_PKEY* evp() const { return key_.get(); }
  const std::shared_ptr<EVP_PKEY>& shared_evp() const { return key_; }

  // Same key: same family and same public values.
  bool operator==(const Jwk& other) const {
    return family_ == other.family_ && members_ == other.members_;
  }

 private:
  Jwk(KeyFamily family, std::vector<std::pair<std::string, std::string>> members,
      std::shared_ptr<EVP_PKEY> key)
      : family_(family), members_(std::move(members)), key_(std::move(key)) {}

  KeyFamily family_;
  // name -> JSON string value, sorted by name; includes "kty" (and "crv").
  std::vector<std::pair<std::string, std::string>> members_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace acmespec::jose
