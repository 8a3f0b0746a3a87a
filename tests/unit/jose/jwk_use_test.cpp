#include <catch2/catch.hpp>

#include "jose/jwk.hpp"
#include "jose/private_key.hpp"

using namespace acmespec::jose;

TEST_CASE("a JWK declared for something other than signing is refused", "[jose][jwk]") {
  const auto key = *PrivateKey::generate(KeyType::P256);
  nlohmann::json jwk = key.public_jwk().to_json();
  CHECK(Jwk::parse(jwk).ok());

  auto with = [&](const char* member, nlohmann::json value) {
    nlohmann::json j = jwk;
    j[member] = std::move(value);
    return Jwk::parse(j);
  };
  CHECK(with("use", "sig").ok());
  auto enc = with("use", "enc");
  REQUIRE_FALSE(enc.ok());
  CHECK(enc.error().path == "jwk.use");
  CHECK(with("key_ops", {"verify"}).ok());
  CHECK_FALSE(with("key_ops", {"encrypt", "wrapKey"}).ok());
  CHECK(with("alg", "ES256").ok());
  auto other = with("alg", "ES384");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().path == "jwk.alg");
  CHECK_FALSE(with("alg", "HS256").ok());
  CHECK_FALSE(with("alg", "PS256").ok());
  CHECK(with("alg", "x-private-alg").ok());  // unregistered names are not judged
}
