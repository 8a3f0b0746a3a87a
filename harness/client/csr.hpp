// Certificate signing requests for finalize (RFC 8555 §7.4), including the
// deliberately wrong ones the finalize scenarios send, and the certificate
// facts the checks judge an issued chain by.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "jose/private_key.hpp"

namespace acmespec::client {

struct CsrIdentifier {
  std::string type;   // "dns" or "ip"
  std::string value;
};

struct CsrOptions {
  // Flip a bit of the signature so the CSR does not verify.
  bool corrupt_signature = false;
  // Put the first DNS name in the subject CN as well as the SAN (what most
  // clients do; the CN must be one of the SAN names).
  bool common_name = true;
};

// DER PKCS#10 request for `identifiers` (subjectAltName dNSName / iPAddress),
// signed by `key` with SHA-256 (Ed25519: pure).
Result<std::string> build_csr(const jose::PrivateKey& key, const std::vector<CsrIdentifier>& identifiers,
                              const CsrOptions& options = {});

// What the checks need to know about one certificate.
struct CertificateInfo {
  std::vector<CsrIdentifier> sans;  // dNSName and iPAddress entries, in order
  std::string subject;              // one-line RFC 2253 form
  std::string issuer;
  std::string serial_hex;
  std::string spki_der;             // SubjectPublicKeyInfo, to compare keys
  std::chrono::system_clock::time_point not_before, not_after;
  bool is_ca = false;
  std::string der;
};

// Splits a PEM chain (application/pem-certificate-chain) into certificates,
// refusing anything but CERTIFICATE blocks and text between them.
Result<std::vector<CertificateInfo>> parse_pem_chain(const std::string& pem);

// Whether each certificate in the chain is signed by the next one.  With a
// non-empty `roots_pem`, the last one must be signed by one of those roots.
Status verify_chain_order(const std::string& chain_pem, const std::string& roots_pem = "");

// SubjectPublicKeyInfo DER of a private key's public half.
std::string spki_of(const jose::PrivateKey& key);

}  // namespace acmespec::client
