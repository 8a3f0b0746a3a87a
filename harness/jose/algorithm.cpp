#include "jose/algorithm.hpp"

#include <array>
#include <utility>

namespace acmespec::jose {
namespace {

constexpr std::array<std::pair<Alg, std::string_view>, 5> kAlgs{{
    {Alg::RS256, "RS256"},
    {Alg::ES256, "ES256"},
    {Alg::ES384, "ES384"},
    {Alg::ES512, "ES512"},
    {Alg::EdDSA, "EdDSA"},
}};

constexpr std::array<std::pair<MacAlg, std::string_view>, 3> kMacAlgs{{
    {MacAlg::HS256, "HS256"},
    {MacAlg::HS384, "HS384"},
    {MacAlg::HS512, "HS512"},
}};

constexpr std::array<std::pair<KeyType, std::string_view>, 7> kKeyTypes{{
    {KeyType::Rsa2048, "RSA-2048"},
    {KeyType::Rsa3072, "RSA-3072"},
    {KeyType::Rsa4096, "RSA-4096"},
    {KeyType::P256, "P-256"},
    {KeyType::P384, "P-384"},
    {KeyType::P521, "P-521"},
    {KeyType::Ed25519, "Ed25519"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view n) {
  for (const auto& [value, name] : table) {
    if (name == n) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view alg_name(Alg alg) { return name_of(kAlgs, alg); }
std::optional<Alg> alg_from_name(std::string_view name) { return value_of(kAlgs, name); }
std::string_view mac_alg_name(MacAlg alg) { return name_of(kMacAlgs, alg); }
std::optional<MacAlg> mac_alg_from_name(std::string_view name) {
  return value_of(kMacAlgs, name);
}
std::string_view key_type_name(KeyType type) { return name_of(kKeyTypes, type); }
std::optional<KeyType> key_type_from_name(std::string_view name) {
  return value_of(kKeyTypes, name);
}

Alg default_alg(KeyFamily family) {
  switch (family) {
    case KeyFamily::Rsa: return Alg::RS256;
    case KeyFamily::EcP256: return Alg::ES256;
    case KeyFamily::EcP384: return Alg::ES384;
    case KeyFamily::EcP521: return Alg::ES512;
    case KeyFamily::Ed25519: return Alg::EdDSA;
  }
  return Alg::RS256;
}

bool alg_fits(Alg alg, KeyFamily family) { return default_alg(family) == alg; }

KeyFamily family_of(KeyType type) {
  switch (type) {
    case KeyType::Rsa2048:
    case KeyType::Rsa3072:
    case KeyType::Rsa4096: return KeyFamily::Rsa;
    case KeyType::P256: return KeyFamily::EcP256;
    case KeyType::P384: return KeyFamily::EcP384;
    case KeyType::P521: return KeyFamily::EcP521;
    case KeyType::Ed25519: return KeyFamily::Ed25519;
  }
  return KeyFamily::Rsa;
}

std::string_view family_name(KeyFamily family) {
  switch (family) {
    case KeyFamily::Rsa: return "RSA";
    case KeyFamily::EcP256: return "P-256";
    case KeyFamily::EcP384: return "P-384";
    case KeyFamily::EcP521: return "P-521";
    case KeyFamily::Ed25519: return "Ed25519";
  }
  return "?";
}

}  // namespace acmespec::jose
