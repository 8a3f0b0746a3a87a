// Helpers shared by the JOSE unit tests.
#pragma once

#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "jose/jose.hpp"

namespace jose_test {

// Key generation (RSA-4096 above all) is slow; each type is made once per run.
inline const acmespec::jose::PrivateKey& key_of(acmespec::jose::KeyType type) {
  static std::map<acmespec::jose::KeyType, acmespec::jose::PrivateKey> cache;
  auto it = cache.find(type);
  if (it == cache.end()) {
    auto key = acmespec::jose::PrivateKey::generate(type);
    REQUIRE(key.ok());
    it = cache.emplace(type, std::move(*key)).first;
  }
  return it->second;
}

inline nlohmann::json json_of(std::string_view text) { return nlohmann::json::parse(text); }

inline std::string unb64(std::string_view text) {
  auto bytes = acmespec::jose::base64url_decode(text);
  REQUIRE(bytes.ok());
  return *bytes;
}

}  // namespace jose_test
