// The raw signature verifier (jose::verify) over Wycheproof's ECDSA P1363,
// RSASSA-PKCS1-v1_5 and Ed25519 vectors: every valid signature verifies,
// every invalid one is refused, and the acceptable ones that verify are
// pinned so a behaviour change shows.
#include <optional>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "jose/jose.hpp"
#include "wycheproof_support.hpp"

using namespace acmespec::jose;
using wycheproof_test::hex_decode;
using wycheproof_test::Outcome;
using wycheproof_test::Tally;
using wycheproof_test::Verdict;

namespace {

struct PrimitiveFile {
  const char* file;
  const char* group_type;
  Alg alg;
  std::size_t field_bytes;  // EC coordinate size; 0 for other key types
  const char* crv;          // JWK crv for EC; empty for other key types
};

// Wycheproof gives big-endian integers with a sign octet where needed; JWK
// wants exactly the field size (RFC 7518 §6.2.1.2).
std::optional<std::string> fixed_width(const std::string& hex, std::size_t size) {
  std::string bytes = hex_decode(hex);
  const auto first = bytes.find_first_not_of('\0');
  bytes.erase(0, first == std::string::npos ? bytes.size() : first);
  if (bytes.size() > size) return std::nullopt;
  return std::string(size - bytes.size(), '\0') + bytes;
}

// The group's key as acmespec reads it: the JWK when the file has one,
// otherwise a JWK built from the point's coordinates.  The DER form, when
// given, must say the same thing through Jwk::from_spki_der.
acmespec::Result<Jwk> group_key(const nlohmann::json& group, const PrimitiveFile& f) {
  std::optional<acmespec::Result<Jwk>> from_jwk;
  for (const char* member : {"publicKeyJwk", "keyJwk", "jwk"}) {
    if (group.contains(member)) {
      from_jwk = Jwk::parse(group.at(member), member);
      break;
    }
  }
  if (!from_jwk && f.field_bytes != 0 && group.contains("publicKey")) {
    const auto& point = group.at("publicKey");
    auto x = fixed_width(point.at("wx").get<std::string>(), f.field_bytes);
    auto y = fixed_width(point.at("wy").get<std::string>(), f.field_bytes);
    if (!x || !y) {
      from_jwk = acmespec::make_error("publicKey", "coordinate wider than the field");
    } else {
      from_jwk = Jwk::parse({{"kty", "EC"},
                             {"crv", f.crv},
                             {"x", base64url_encode(*x)},
                             {"y", base64url_encode(*y)}},
                            "publicKey");
    }
  }
  std::optional<acmespec::Result<Jwk>> from_der;
  for (const char* member : {"publicKeyDer", "keyDer"}) {
    if (group.contains(member)) {
      from_der = Jwk::from_spki_der(hex_decode(group.at(member).get<std::string>()));
      break;
    }
  }
  REQUIRE((from_jwk || from_der));
  if (from_jwk && from_der) {
    INFO("JWK: " << (from_jwk->ok() ? "accepted" : from_jwk->error().to_string())
                 << "; DER: " << (from_der->ok() ? "accepted" : from_der->error().to_string()));
    REQUIRE(from_jwk->ok() == from_der->ok());
    if (from_jwk->ok()) CHECK(from_jwk->value() == from_der->value());
  }
  return from_jwk ? *from_jwk : *from_der;
}

Tally run_primitive_file(const PrimitiveFile& f) {
  const nlohmann::json doc = wycheproof_test::load(f.file);
  Tally tally;
  for (const auto& group : doc.at("testGroups")) {
    REQUIRE(group.at("type") == f.group_type);
    const auto key = group_key(group, f);
    for (const auto& test : group.at("tests")) {
      const std::string msg = hex_decode(test.at("msg").get<std::string>());
      const std::string sig = hex_decode(test.at("sig").get<std::string>());
      Outcome outcome;
      if (!key) {
        outcome = {Verdict::Rejected, "Jwk::parse: " + key.error().to_string()};
      } else if (auto ok = verify(f.alg, *key, msg, sig); ok) {
        outcome = {Verdict::Accepted, "verify"};
      } else {
        outcome = {Verdict::Rejected, "verify: " + ok.error().to_string()};
      }
      tally.add(test, outcome);
    }
  }
  // No disagreement is tolerated at the primitive level.
  wycheproof_test::report(f.file, tally, {});
  CHECK(tally.not_applicable.empty());
  CHECK(tally.valid_verified == tally.valid);
  CHECK(tally.invalid_rejected == tally.invalid);
  return tally;
}

}  // namespace

TEST_CASE("Wycheproof ECDSA P-256 SHA-256 P1363 vectors (ES256)", "[jose][wycheproof]") {
  const Tally t = run_primitive_file({"ecdsa_secp256r1_sha256_p1363_test.json",
                                      "EcdsaP1363Verify", Alg::ES256, 32, "P-256"});
  CHECK(t.total == 262);
  CHECK(t.valid == 173);
  CHECK(t.invalid == 89);
  CHECK(t.acceptable == 0);
  CHECK(t.acceptable_accepted == std::set<int>{});
}

TEST_CASE("Wycheproof ECDSA P-384 SHA-384 P1363 vectors (ES384)", "[jose][wycheproof]") {
  const Tally t = run_primitive_file({"ecdsa_secp384r1_sha384_p1363_test.json",
                                      "EcdsaP1363Verify", Alg::ES384, 48, "P-384"});
  CHECK(t.total == 280);
  CHECK(t.valid == 193);
  CHECK(t.invalid == 87);
  CHECK(t.acceptable == 0);
  CHECK(t.acceptable_accepted == std::set<int>{});
}

TEST_CASE("Wycheproof ECDSA P-521 SHA-512 P1363 vectors (ES512)", "[jose][wycheproof]") {
  const Tally t = run_primitive_file({"ecdsa_secp521r1_sha512_p1363_test.json",
                                      "EcdsaP1363Verify", Alg::ES512, 66, "P-521"});
  CHECK(t.total == 318);
  CHECK(t.valid == 231);
  CHECK(t.invalid == 87);
  CHECK(t.acceptable == 0);
  CHECK(t.acceptable_accepted == std::set<int>{});
}

TEST_CASE("Wycheproof RSASSA-PKCS1-v1_5 2048 SHA-256 vectors (RS256)", "[jose][wycheproof]") {
  const Tally t = run_primitive_file(
      {"rsa_signature_2048_sha256_test.json", "RsassaPkcs1Verify", Alg::RS256, 0, ""});
  CHECK(t.total == 259);
  CHECK(t.valid == 9);
  CHECK(t.invalid == 249);
  CHECK(t.acceptable == 1);
  CHECK(t.acceptable_accepted == std::set<int>{});
}

TEST_CASE("Wycheproof Ed25519 vectors (EdDSA)", "[jose][wycheproof]") {
  const Tally t =
      run_primitive_file({"ed25519_test.json", "EddsaVerify", Alg::EdDSA, 0, ""});
  CHECK(t.total == 151);
  CHECK(t.valid == 88);
  CHECK(t.invalid == 63);
  CHECK(t.acceptable == 0);
  CHECK(t.acceptable_accepted == std::set<int>{});
}
