// Raw JWS signatures over byte strings (RFC 7515 §5, RFC 7518 §3, RFC 8037 §3.1)
// and the HMAC helpers External Account Binding needs (RFC 8555 §7.3.4).
//
// Signatures are the JWS byte forms: RSASSA-PKCS1-v1_5 output, fixed-size
// R||S for ECDSA (never DER), 64-byte Ed25519.  verify() takes raw bytes so
// test-vector suites can drive it directly.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwk.hpp"
#include "jose/private_key.hpp"

namespace acmespec::jose {

// Fails when `alg` does not fit the key (ES256 with a P-384 key, RS256 with
// an EC key, ...).
Result<std::string> sign(Alg alg, const PrivateKey& key, std::string_view data);

// Success only for a valid signature by `key` under `alg`.  MAC algorithms
// cannot be expressed here at all: public-key verification never falls back
// to HMAC.  Errors have an empty path and say what was wrong (algorithm and
// key mismatch, length, DER instead of R||S, or a bad signature).
Status verify(Alg alg, const Jwk& key, std::string_view data, std::string_view signature);

// Length of an R||S signature for an ECDSA algorithm (64, 96, 132), 0 for others.
std::size_t ecdsa_signature_size(Alg alg);
// Conversions between the DER ECDSA-Sig-Value OpenSSL speaks and the JWS form.
Result<std::string> ecdsa_der_to_jws(std::string_view der, std::size_t jws_size);
Result<std::string> ecdsa_jws_to_der(std::string_view jws);

// HMAC for EAB.  An empty key is refused: it would authenticate anyone.
Result<std::string> hmac_sign(MacAlg alg, std::string_view key, std::string_view data);
// Compares in constant time (the MAC length is not secret).
Status hmac_verify(MacAlg alg, std::string_view key, std::string_view data,
                   std::string_view mac);

}  // namespace acmespec::jose
