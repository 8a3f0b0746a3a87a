// The JWS algorithms and key kinds acmespec signs and verifies with.
//
// The set is deliberately closed: RFC 8555 §6.2 has servers accept only
// asymmetric algorithms, and a harness that verifies every request must know
// exactly which ones it trusts.  MAC algorithms live apart (MacAlg) so that a
// public-key verifier cannot be talked into HMAC by a header.
#pragma once

#include <optional>
#include <string_view>

namespace acmespec::jose {

enum class Alg { RS256, ES256, ES384, ES512, EdDSA };
enum class MacAlg { HS256, HS384, HS512 };

// What a public key is, as far as algorithm choice goes.
enum class KeyFamily { Rsa, EcP256, EcP384, EcP521, Ed25519 };

// What PrivateKey::generate can make.
enum class KeyType { Rsa2048, Rsa3072, Rsa4096, P256, P384, P521, Ed25519 };

std::string_view alg_name(Alg alg);
std::optional<Alg> alg_from_name(std::string_view name);
std::string_view mac_alg_name(MacAlg alg);
std::optional<MacAlg> mac_alg_from_name(std::string_view name);

// The algorithm a key signs with by default (RS256, ES256, ES384, ES512, EdDSA).
Alg default_alg(KeyFamily family);
// Whether `alg` may be used with a key of `family`: ES256 only with P-256, etc.
bool alg_fits(Alg alg, KeyFamily family);

KeyFamily family_of(KeyType type);
std::string_view family_name(KeyFamily family);  // "RSA", "P-256", ..., "Ed25519"
std::string_view key_type_name(KeyType type);    // "RSA-2048", ..., "Ed25519"
std::optional<KeyType> key_type_from_name(std::string_view name);

}  // namespace acmespec::jose
