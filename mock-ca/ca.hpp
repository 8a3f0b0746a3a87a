// The issuing side of the mock CA: a root and an intermediate generated at
// start (ECDSA P-256 or RSA 2048), alternate chains that cross-sign the same
// intermediate key from further roots, and leaf issuance.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "acme/identifier.hpp"
#include "common/result.hpp"

namespace acmespec::mockca::detail {

struct IssuedCertificate {
  std::string der;         // the leaf
  std::string serial_hex;  // upper-case hex
};

class CertAuthority {
 public:
  // `algorithm` is "ecdsa" or "rsa".
  static Result<std::unique_ptr<CertAuthority>> create(const std::string& algorithm,
                                                       std::chrono::system_clock::time_point now);
  ~CertAuthority();

  Result<IssuedCertificate> issue(EVP_PKEY* subject_key, const std::vector<acme::Identifier>& identifiers,
                                  std::chrono::system_clock::time_point not_before,
                                  std::chrono::system_clock::time_point not_after);

  // Makes sure `count` alternate hierarchies exist (bounded by the caller).
  Status ensure_alternates(int count);
  // PEM of leaf + intermediate for chain `index` (0 = primary, k = k-th alternate).
  Result<std::string> chain_pem(const std::string& leaf_der, int index) const;
  // Primary root first, then the alternates' roots.
  std::vector<std::string> root_pems() const;
  // Whether `der` was issued here (its issuer is our intermediate and it verifies).
  bool issued_here(const std::string& der) const;

 private:
  struct Hierarchy;
  CertAuthority();
  std::string algorithm_;
  std::chrono::system_clock::time_point created_;
  mutable std::mutex mu_;  // guards alternates_
  std::unique_ptr<Hierarchy> primary_;
  // Every hierarchy's intermediate certifies this one key, so a leaf chains
  // to any of the roots.
  std::shared_ptr<EVP_PKEY> intermediate_key_;
  std::vector<std::unique_ptr<Hierarchy>> alternates_;
};

// DER <-> PEM helpers shared by the CA, the CSR checks and revocation.
std::string der_to_pem(const std::string& der, const char* label = "CERTIFICATE");

}  // namespace acmespec::mockca::detail
