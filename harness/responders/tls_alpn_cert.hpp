// Certificates for the TLS-ALPN-01 challenge (RFC 8737 §3, RFC 8738 §6).
//
// A challenge certificate is self-signed, names the identifier as its only
// subjectAltName (dNSName, or iPAddress for an IP identifier) and carries the
// critical acmeIdentifier extension (1.3.6.1.5.5.7.1.31) whose extnValue is
// the DER OCTET STRING of SHA-256(key authorization): 04 20 <32 bytes>.
// The faults below break exactly one of those rules each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "responders/ossl.hpp"

namespace acmespec::responders {

inline constexpr std::string_view kAcmeTlsAlpn = "acme-tls/1";
inline constexpr const char* kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";
inline constexpr const char* kLegacyAcmeIdentifierOid = "1.3.6.1.5.5.7.1.30.1";

// Deliberate misbehaviours of the TLS-ALPN-01 responder for one identifier.
struct TlsAlpnFaults {
  // Use the draft-era OID 1.3.6.1.5.5.7.1.30.1 instead of 1.3.6.1.5.5.7.1.31.
  bool legacy_oid = false;
  // Mark the acmeIdentifier extension non-critical.
  bool non_critical = false;
  // Add this dNSName as a second subjectAltName.
  std::optional<std::string> extra_san;
  // Put SHA-256 of a different value (the key authorization with "x"
  // appended) in the extension.
  bool wrong_digest = false;
  // Complete the handshake without selecting any ALPN protocol.
  bool no_alpn = false;
  // Cap the connection at TLS 1.1.  OpenSSL 3 refuses TLS 1.1 at its default
  // security level, so the connection also drops to security level 0; a
  // validator that still insists on TLS 1.2+ fails the handshake, which is
  // what the fault is for.
  bool max_tls_1_1 = false;
};

struct TlsIdentifier {
  enum class Kind { kDns, kIp };
  Kind kind = Kind::kDns;
  std::string value;  // lower-case DNS name, or canonical IP text
  bool operator==(const TlsIdentifier&) const = default;
};

// How a registered host is keyed: IP literals in canonical form ("::1",
// "127.0.0.1"), DNS names lower-cased without the trailing dot.
TlsIdentifier canonical_identifier(std::string_view host);

// The identifier a ClientHello's SNI stands for: reverse names
// (1.0.0.127.in-addr.arpa, <32 nibbles>.ip6.arpa) map to the IP address
// (RFC 8738 §6); anything else is canonical_identifier(sni).
TlsIdentifier identifier_from_sni(std::string_view sni);

// The extnValue bytes RFC 8737 requires: 04 20 SHA-256(key_authorization).
std::string acme_identifier_extension_value(std::string_view key_authorization);

struct CertAndKey {
  X509Ptr cert;
  EvpPkeyPtr key;
};

Result<CertAndKey> make_challenge_certificate(const TlsIdentifier& id,
                                              std::string_view key_authorization,
                                              const TlsAlpnFaults& faults = {});

// The certificate served to handshakes without acme-tls/1: self-signed, for
// the name "acmespec-default.invalid", with no acmeIdentifier extension.
Result<CertAndKey> make_default_certificate();

}  // namespace acmespec::responders
