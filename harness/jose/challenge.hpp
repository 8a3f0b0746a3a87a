// Values ACME challenges are built from (RFC 8555 §8, RFC 8737).
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "jose/jwk.hpp"

namespace acmespec::jose {

// OID of the acmeIdentifier certificate extension (RFC 8737 §3).
inline constexpr std::string_view kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";
// DER of that OID (tag, length, content), for code that compares raw bytes.
inline constexpr std::string_view kAcmeIdentifierOidDer{
    "\x06\x08\x2b\x06\x01\x05\x05\x07\x01\x1f", 10};

// token "." base64url(thumbprint), RFC 8555 §8.1.
std::string key_authorization(std::string_view token, const Jwk& account_key);

// The TXT record value for dns-01: base64url(SHA-256(key authorization)),
// RFC 8555 §8.4.
std::string dns01_txt_value(std::string_view key_authorization);

// The DER value of the acmeIdentifier extension: an OCTET STRING holding
// SHA-256(key authorization), i.e. 0x04 0x20 || digest (RFC 8737 §3).
std::string tls_alpn01_extension_value(std::string_view key_authorization);

// RFC 8555 §8.3: a token uses only the base64url alphabet, no padding, and
// carries at least 128 bits of entropy.  Each character carries at most 6
// bits, so fewer than 22 characters cannot; the token need not decode to
// whole octets, since the RFC only constrains its characters.
Status validate_token(std::string_view token);

}  // namespace acmespec::jose
