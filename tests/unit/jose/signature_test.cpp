#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::json_of;
using jose_test::key_of;
using jose_test::unb64;

namespace {

const std::string kData = "acmespec signing input";

struct EcCase {
  KeyType type;
  Alg alg;
  std::size_t size;
};
constexpr EcCase kEcCases[] = {
    {KeyType::P256, Alg::ES256, 64}, {KeyType::P384, Alg::ES384, 96}, {KeyType::P521, Alg::ES512, 132}};

}  // namespace

TEST_CASE("ECDSA sign/verify round trip gives fixed-size R||S", "[jose][signature]") {
  for (const auto& c : kEcCases) {
    const PrivateKey& key = key_of(c.type);
    for (int i = 0; i < 8; ++i) {  // R or S with leading zero octets must still pad
      auto sig = sign(c.alg, key, kData);
      REQUIRE(sig.ok());
      CHECK(sig->size() == c.size);
      CHECK(verify(c.alg, key.public_jwk(), kData, *sig).ok());
    }
    CHECK(ecdsa_signature_size(c.alg) == c.size);
  }
}

TEST_CASE("ECDSA verify rejects a DER signature", "[jose][signature]") {
  for (const auto& c : kEcCases) {
    const PrivateKey& key = key_of(c.type);
    auto sig = sign(c.alg, key, kData);
    REQUIRE(sig.ok());
    auto der = ecdsa_jws_to_der(*sig);
    REQUIRE(der.ok());
    auto back = ecdsa_der_to_jws(*der, c.size);
    REQUIRE(back.ok());
    CHECK(*back == *sig);  // the conversion is exact
    auto v = verify(c.alg, key.public_jwk(), kData, *der);
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.error().reason, Catch::Contains("DER"));
  }
}

TEST_CASE("ECDSA verify rejects a wrong length", "[jose][signature]") {
  const PrivateKey& key = key_of(KeyType::P256);
  auto sig = sign(Alg::ES256, key, kData);
  REQUIRE(sig.ok());
  for (const std::string& bad : {*sig + std::string(1, '\0'), sig->substr(0, 63),
                                 std::string(1, '\0') + *sig, std::string()}) {
    auto v = verify(Alg::ES256, key.public_jwk(), kData, bad);
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.error().reason, Catch::Contains("64 octets"));
  }
}

TEST_CASE("every signature algorithm rejects a flipped byte and other data", "[jose][signature]") {
  const std::pair<KeyType, Alg> cases[] = {{KeyType::Rsa2048, Alg::RS256},
                                           {KeyType::P256, Alg::ES256},
                                           {KeyType::P384, Alg::ES384},
                                           {KeyType::P521, Alg::ES512},
                                           {KeyType::Ed25519, Alg::EdDSA}};
  for (const auto& [type, alg] : cases) {
    const PrivateKey& key = key_of(type);
    auto sig = sign(alg, key, kData);
    REQUIRE(sig.ok());
    REQUIRE(verify(alg, key.public_jwk(), kData, *sig).ok());
    for (std::size_t pos : {std::size_t{0}, sig->size() / 2, sig->size() - 1}) {
      std::string bad = *sig;
      bad[pos] = static_cast<char>(bad[pos] ^ 0x01);
      CHECK_FALSE(verify(alg, key.public_jwk(), kData, bad).ok());
    }
    CHECK_FALSE(verify(alg, key.public_jwk(), kData + "x", *sig).ok());
  }
}

TEST_CASE("ECDSA R or S of zero is rejected", "[jose][signature]") {
  const PrivateKey& key = key_of(KeyType::P256);
  auto sig = sign(Alg::ES256, key, kData);
  REQUIRE(sig.ok());
  const std::string zero_r = std::string(32, '\0') + sig->substr(32);
  const std::string zero_s = sig->substr(0, 32) + std::string(32, '\0');
  CHECK_FALSE(verify(Alg::ES256, key.public_jwk(), kData, zero_r).ok());
  CHECK_FALSE(verify(Alg::ES256, key.public_jwk(), kData, zero_s).ok());
  CHECK_FALSE(verify(Alg::ES256, key.public_jwk(), kData, std::string(64, '\0')).ok());
}

TEST_CASE("alg must match the key type and curve", "[jose][signature]") {
  const PrivateKey& p384 = key_of(KeyType::P384);
  auto s = sign(Alg::ES256, p384, kData);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().reason, Catch::Contains("ES256"));
  CHECK_THAT(s.error().reason, Catch::Contains("P-384"));

  auto good = sign(Alg::ES384, p384, kData);
  REQUIRE(good.ok());
  // A P-384 signature checked as ES256 or ES512 fails on the alg, not on bytes.
  auto v = verify(Alg::ES256, p384.public_jwk(), kData, *good);
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.error().reason, Catch::Contains("does not fit"));
  CHECK_FALSE(verify(Alg::ES512, p384.public_jwk(), kData, *good).ok());
  CHECK_FALSE(verify(Alg::RS256, p384.public_jwk(), kData, *good).ok());
  CHECK_FALSE(sign(Alg::EdDSA, key_of(KeyType::Rsa2048), kData).ok());
  CHECK_FALSE(sign(Alg::RS256, key_of(KeyType::Ed25519), kData).ok());
}

TEST_CASE("RS256 signature length must equal the modulus size", "[jose][signature]") {
  const PrivateKey& key = key_of(KeyType::Rsa2048);
  auto sig = sign(Alg::RS256, key, kData);
  REQUIRE(sig.ok());
  CHECK(sig->size() == 256);
  auto v = verify(Alg::RS256, key.public_jwk(), kData, sig->substr(1));
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.error().reason, Catch::Contains("256 octets"));
}

TEST_CASE("RFC 7520 §4.1 RS256: signing reproduces the published signature", "[jose][signature]") {
  auto key = PrivateKey::from_jwk(json_of(jose_vectors::kRfc7520RsaKey));
  REQUIRE(key.ok());
  const std::string input = std::string(jose_vectors::kRfc7520Rs256ProtectedB64) + "." +
                            std::string(jose_vectors::kRfc7520PayloadB64);
  auto sig = sign(Alg::RS256, *key, input);
  REQUIRE(sig.ok());
  CHECK(base64url_encode(*sig) == jose_vectors::kRfc7520Rs256SignatureB64);
  CHECK(verify(Alg::RS256, key->public_jwk(), input,
               unb64(jose_vectors::kRfc7520Rs256SignatureB64))
            .ok());
}

TEST_CASE("RFC 8037 §A.4 Ed25519: deterministic signature matches", "[jose][signature]") {
  auto key = PrivateKey::from_jwk(json_of(jose_vectors::kRfc8037PrivateJwk));
  REQUIRE(key.ok());
  const std::string input = std::string(jose_vectors::kRfc8037ProtectedB64) + "." +
                            std::string(jose_vectors::kRfc8037PayloadB64);
  auto sig = sign(Alg::EdDSA, *key, input);
  REQUIRE(sig.ok());
  CHECK(base64url_encode(*sig) == jose_vectors::kRfc8037SignatureB64);
  auto pub = Jwk::parse(json_of(jose_vectors::kRfc8037PublicJwk));
  REQUIRE(pub.ok());
  CHECK(verify(Alg::EdDSA, *pub, input, *sig).ok());
}

TEST_CASE("HMAC helpers (RFC 4231 test case 6)", "[jose][signature][eab]") {
  const std::string key(131, '\xaa');
  const std::string data = "Test Using Larger Than Block-Size Key - Hash Key First";
  const std::string expected_hex =
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
  auto mac = hmac_sign(MacAlg::HS256, key, data);
  REQUIRE(mac.ok());
  std::string hex;
  for (unsigned char c : *mac) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  CHECK(hex == expected_hex);
  CHECK(hmac_verify(MacAlg::HS256, key, data, *mac).ok());
  std::string bad = *mac;
  bad[5] = static_cast<char>(bad[5] ^ 0x80);
  CHECK_FALSE(hmac_verify(MacAlg::HS256, key, data, bad).ok());
  CHECK_FALSE(hmac_verify(MacAlg::HS256, key, data, mac->substr(0, 16)).ok());
  std::string other = key;
  other[0] = 'x';
  CHECK_FALSE(hmac_verify(MacAlg::HS256, other, data, *mac).ok());
  CHECK_FALSE(hmac_sign(MacAlg::HS256, "", "data").ok());
  auto h512 = hmac_sign(MacAlg::HS512, std::string(64, 'k'), "d");
  REQUIRE(h512.ok());
  CHECK(h512->size() == 64);
}

TEST_CASE("HMAC keys shorter than the hash output are refused (RFC 7518 §3.2)", "[jose][signature][eab]") {
  auto short_key = hmac_sign(MacAlg::HS256, "Jefe", "what do ya want for nothing?");
  REQUIRE_FALSE(short_key.ok());
  CHECK(short_key.error().reason.find("shorter than the 32 bytes") != std::string::npos);
  CHECK_FALSE(hmac_sign(MacAlg::HS256, std::string(31, 'k'), "d").ok());
  CHECK(hmac_sign(MacAlg::HS256, std::string(32, 'k'), "d").ok());
  CHECK_FALSE(hmac_sign(MacAlg::HS384, std::string(47, 'k'), "d").ok());
  CHECK_FALSE(hmac_sign(MacAlg::HS512, std::string(63, 'k'), "d").ok());
}
