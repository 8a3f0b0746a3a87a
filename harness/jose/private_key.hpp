// Private signing keys: generation, PKCS#8 PEM in and out, private JWK import.
//
// A PrivateKey always knows its public half as a Jwk, so a signer can put
// the exact key it signs with into a protected header.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwk.hpp"

namespace acmespec::jose {

class PrivateKey {
 public:
  // Fresh key from OpenSSL's random generator.
  static Result<PrivateKey> generate(KeyType type);
  // PKCS#8 (or traditional) unencrypted PEM.  Encrypted PEM is refused rather
  // than prompting on a terminal.  RSA keys down to 512 bits load, so a test
  // can present a weak key on purpose; Jwk::parse on the receiving side
  // still refuses them.
  static Result<PrivateKey> from_pem(std::string_view pem);
  // A private JWK (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2), e.g. the test keys
  // of RFC 7520 §3.  The private part must match the public members.
  static Result<PrivateKey> from_jwk(const nlohmann::json& jwk, const std::string& path = "jwk");
  // Wraps an OpenSSL key that holds a supported private key.
  static Result<PrivateKey> from_evp(std::shared_ptr<EVP_PKEY> key);

  // Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
  Result<std::string> to_pem() const;
  // Creates `path` (which must not exist yet) with mode 0600 before any key
  // byte is written, so the key is never readable by others, not even while
  // the file is being filled.
  Status write_pem_file(const std::string& path) const;

  const Jwk& public_jwk() const { return public_; }
  KeyFamily family() const { return public_.family(); }
  Alg default_alg() const { return public_.default_alg(); }

  EVP_PKEY* evp() const { return key_.get(); }
  const std::shared_ptr<EVP_PKEY>& shared_evp() const { return key_; }

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> key, Jwk pub)
      : key_(std::move(key)), public_(std::move(pub)) {}

  std::shared_ptr<EVP_PKEY> key_;
  Jwk public_;
};

}  // namespace acmespec::jose
