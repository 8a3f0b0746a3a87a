#include <catch2/catch.hpp>

#include <openssl/x509.h>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::json_of;


TEST_CASE("RFC 7638 §3.1 thumbprint", "[jose][jwk]") {
  auto jwk = Jwk::parse(json_of(jose_vectors::kRfc7638Jwk));
  REQUIRE(jwk.ok());
  CHECK(jwk->family() == KeyFamily::Rsa);
  CHECK(jwk->default_alg() == Alg::RS256);
  CHECK(jwk->thumbprint() == jose_vectors::kRfc7638Thumbprint);
  // Optional members (alg, kid) are not part of the thumbprint or to_json.
  CHECK(jwk->to_json().size() == 3);
  CHECK(jwk->thumbprint_input().rfind(R"({"e":"AQAB","kty":"RSA","n":"0vx7)", 0) == 0);
}

TEST_CASE("RFC 8037 §A.3 Ed25519 thumbprint", "[jose][jwk]") {
  auto jwk = Jwk::parse(json_of(jose_vectors::kRfc8037PublicJwk));
  REQUIRE(jwk.ok());
  CHECK(jwk->family() == KeyFamily::Ed25519);
  CHECK(jwk->thumbprint() == jose_vectors::kRfc8037Thumbprint);
}

TEST_CASE("JWK to_json round-trips and equality compares key material", "[jose][jwk]") {
  for (const auto type : {KeyType::Rsa2048, KeyType::P256, KeyType::P384, KeyType::P521,
                          KeyType::Ed25519}) {
    const Jwk& pub = jose_test::key_of(type).public_jwk();
    auto again = Jwk::parse(pub.to_json());
    REQUIRE(again.ok());
    CHECK(*again == pub);
    CHECK(again->thumbprint() == pub.thumbprint());
    CHECK(again->evp() != nullptr);
  }
  CHECK_FALSE(jose_test::key_of(KeyType::P256).public_jwk() ==
              jose_test::key_of(KeyType::P384).public_jwk());
}

TEST_CASE("JWK from DER SubjectPublicKeyInfo", "[jose][jwk]") {
  const Jwk& pub = jose_test::key_of(KeyType::P384).public_jwk();
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(pub.evp(), &der);
  REQUIRE(len > 0);
  const std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  auto back = Jwk::from_spki_der(bytes);
  REQUIRE(back.ok());
  CHECK(*back == pub);
  CHECK_FALSE(Jwk::from_spki_der(bytes + "x").ok());
  CHECK_FALSE(Jwk::from_spki_der("garbage").ok());
}

TEST_CASE("RSA JWK under 2048 bits is rejected with a path", "[jose][jwk]") {
  // A 1024-bit modulus: the RFC 7638 modulus with its top half cut off.
  auto j = json_of(jose_vectors::kRfc7638Jwk);
  const std::string n = jose_test::unb64(j["n"].get<std::string>());
  j["n"] = base64url_encode(n.substr(128));
  auto jwk = Jwk::parse(j);
  REQUIRE_FALSE(jwk.ok());
  CHECK(jwk.error().path == "jwk.n");
  CHECK_THAT(jwk.error().reason, Catch::Contains("2048"));
  // The same key is fine under an explicit, weaker policy.
  CHECK(Jwk::parse(j, "jwk", JwkPolicy{1024, 16384}).ok());
}

TEST_CASE("RSA JWK exponent and encoding rules", "[jose][jwk]") {
  auto j = json_of(jose_vectors::kRfc7638Jwk);
  SECTION("even exponent") {
    j["e"] = base64url_encode(std::string("\x01\x00\x00", 3));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.e");
    CHECK_THAT(jwk.error().reason, Catch::Contains("even"));
  }
  SECTION("exponent 1") {
    j["e"] = base64url_encode(std::string("\x01", 1));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.e");
  }
  SECTION("absurdly wide exponent") {
    j["e"] = base64url_encode(std::string("\x01\x00\x00\x00\x00\x01", 6));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.e");
  }
  SECTION("leading zero octet in n") {
    j["n"] = base64url_encode(std::string(1, '\0') + jose_test::unb64(j["n"].get<std::string>()));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.n");
    CHECK_THAT(jwk.error().reason, Catch::Contains("leading zero"));
  }
  SECTION("even modulus") {
    std::string n = jose_test::unb64(j["n"].get<std::string>());
    n.back() = static_cast<char>(n.back() & ~1);
    j["n"] = base64url_encode(n);
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.n");
  }
}

TEST_CASE("EC JWK point off the curve is rejected", "[jose][jwk]") {
  for (const auto type : {KeyType::P256, KeyType::P384, KeyType::P521}) {
    auto j = jose_test::key_of(type).public_jwk().to_json();
    std::string y = jose_test::unb64(j["y"].get<std::string>());
    y.back() = static_cast<char>(y.back() ^ 0x01);
    j["y"] = base64url_encode(y);
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.x");
    CHECK_THAT(jwk.error().reason,
               Catch::Contains("not on curve " + j["crv"].get<std::string>()));
  }
}

TEST_CASE("EC JWK coordinate sizes and ranges", "[jose][jwk]") {
  auto j = jose_test::key_of(KeyType::P256).public_jwk().to_json();
  SECTION("short x") {
    j["x"] = base64url_encode(jose_test::unb64(j["x"].get<std::string>()).substr(1));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.x");
    CHECK_THAT(jwk.error().reason, Catch::Contains("exactly 32 octets"));
  }
  SECTION("P-256 coordinates under a P-384 name") {
    j["crv"] = "P-384";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.x");
  }
  SECTION("coordinate not below the field prime") {
    j["x"] = base64url_encode(std::string(32, '\xff'));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.x");
    CHECK_THAT(jwk.error().reason, Catch::Contains("field prime"));
  }
  SECTION("unsupported curve") {
    j["crv"] = "secp256k1";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.crv");
  }
  SECTION("missing y") {
    j.erase("y");
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.y");
    CHECK(jwk.error().reason == "missing");
  }
}

TEST_CASE("OKP JWK rules", "[jose][jwk]") {
  auto j = json_of(jose_vectors::kRfc8037PublicJwk);
  SECTION("x of the wrong size") {
    j["x"] = base64url_encode(std::string(31, 'a'));
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.x");
  }
  SECTION("X25519 cannot sign") {
    j["crv"] = "X25519";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.crv");
  }
  SECTION("a member of another key type") {
    j["y"] = j["x"];
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.y");
  }
}

TEST_CASE("JWK member errors carry a JSON path", "[jose][jwk]") {
  auto j = json_of(jose_vectors::kRfc7638Jwk);
  SECTION("bad base64url in n") {
    j["n"] = "0vx7+ago";
    auto jwk = Jwk::parse(j, "protected.jwk");
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "protected.jwk.n");
    CHECK_THAT(jwk.error().reason, Catch::Contains("not base64url"));
  }
  SECTION("padded e") {
    j["e"] = "AQAB==";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.e");
  }
  SECTION("n not a string") {
    j["n"] = 12345;
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.n");
    CHECK(jwk.error().reason == "must be a string");
  }
  SECTION("missing kty") {
    j.erase("kty");
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.kty");
  }
  SECTION("unknown kty") {
    j["kty"] = "oct";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.kty");
  }
  SECTION("kid of the wrong type") {
    j["kid"] = 7;
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.kid");
  }
  SECTION("EC member in an RSA key") {
    j["crv"] = "P-256";
    auto jwk = Jwk::parse(j);
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk.crv");
  }
  SECTION("not an object") {
    auto jwk = Jwk::parse(nlohmann::json::array());
    REQUIRE_FALSE(jwk.ok());
    CHECK(jwk.error().path == "jwk");
  }
  SECTION("unknown extra members are ignored (RFC 7517 §4)") {
    j["ext"] = true;
    CHECK(Jwk::parse(j).ok());
  }
}

TEST_CASE("a public JWK carrying private members is rejected", "[jose][jwk]") {
  auto rsa = Jwk::parse(json_of(jose_vectors::kRfc7520RsaKey));
  REQUIRE_FALSE(rsa.ok());
  CHECK(rsa.error().path == "jwk.d");
  CHECK_THAT(rsa.error().reason, Catch::Contains("private"));
  auto ec = Jwk::parse(json_of(jose_vectors::kRfc7520EcKey));
  REQUIRE_FALSE(ec.ok());
  CHECK(ec.error().path == "jwk.d");
  auto okp = Jwk::parse(json_of(jose_vectors::kRfc8037PrivateJwk));
  REQUIRE_FALSE(okp.ok());
  auto only_p = json_of(jose_vectors::kRfc7638Jwk);
  only_p["p"] = "AQAB";
  auto p = Jwk::parse(only_p);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().path == "jwk.p");
}
