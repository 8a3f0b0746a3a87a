#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::json_of;
using jose_test::key_of;

namespace {

std::string flat(std::string_view protected_b64, std::string_view payload_b64,
                 std::string_view signature_b64) {
  return nlohmann::json{{"protected", protected_b64},
                        {"payload", payload_b64},
                        {"signature", signature_b64}}
      .dump();
}

nlohmann::json acme_header() {
  return {{"nonce", "bm9uY2U"}, {"url", "https://ca.test/acme/new-order"},
          {"kid", "https://ca.test/acme/acct/1"}};
}

Jwk public_of(std::string_view private_jwk) {
  auto j = json_of(private_jwk);
  for (const char* name : {"d", "p", "q", "dp", "dq", "qi"}) j.erase(name);
  auto jwk = Jwk::parse(j);
  REQUIRE(jwk.ok());
  return *jwk;
}

}  // namespace

TEST_CASE("RFC 7520 §4.1 RS256 flattened JWS verifies", "[jose][jws]") {
  auto jws = parse_flattened(flat(jose_vectors::kRfc7520Rs256ProtectedB64,
                                  jose_vectors::kRfc7520PayloadB64,
                                  jose_vectors::kRfc7520Rs256SignatureB64));
  REQUIRE(jws.ok());
  CHECK(jws->protected_header["alg"] == "RS256");
  CHECK(jws->payload.rfind("It\xe2\x80\x99s a dangerous business, Frodo", 0) == 0);
  const Jwk key = public_of(jose_vectors::kRfc7520RsaKey);
  CHECK(verify_flattened(*jws, key).ok());
  // Another key does not verify it.
  CHECK_FALSE(verify_flattened(*jws, key_of(KeyType::Rsa2048).public_jwk()).ok());
}

TEST_CASE("RFC 7520 §4.3 ES512 flattened JWS verifies", "[jose][jws]") {
  auto jws = parse_flattened(flat(jose_vectors::kRfc7520Es512ProtectedB64,
                                  jose_vectors::kRfc7520PayloadB64,
                                  jose_vectors::kRfc7520Es512SignatureB64));
  REQUIRE(jws.ok());
  const Jwk key = public_of(jose_vectors::kRfc7520EcKey);
  CHECK(key.family() == KeyFamily::EcP521);
  CHECK(verify_flattened(*jws, key).ok());
  FlattenedJws bad = *jws;
  corrupt_signature(bad);
  CHECK_FALSE(verify_flattened(bad, key).ok());
}

TEST_CASE("RFC 8037 §A.4 EdDSA flattened JWS verifies", "[jose][jws]") {
  auto jws = parse_flattened(flat(jose_vectors::kRfc8037ProtectedB64,
                                  jose_vectors::kRfc8037PayloadB64,
                                  jose_vectors::kRfc8037SignatureB64));
  REQUIRE(jws.ok());
  CHECK(jws->payload == "Example of Ed25519 signing");
  auto key = Jwk::parse(json_of(jose_vectors::kRfc8037PublicJwk));
  REQUIRE(key.ok());
  CHECK(verify_flattened(*jws, *key).ok());
}

TEST_CASE("sign_flattened round trip for every key type", "[jose][jws]") {
  for (const auto type : {KeyType::Rsa2048, KeyType::P256, KeyType::P384, KeyType::P521,
                          KeyType::Ed25519}) {
    const PrivateKey& key = key_of(type);
    auto jws = sign_flattened(acme_header(), R"({"identifiers":[]})", key);
    REQUIRE(jws.ok());
    CHECK(jws->protected_header["alg"] == std::string(alg_name(key.default_alg())));
    auto parsed = parse_flattened(jws->serialize());
    REQUIRE(parsed.ok());
    CHECK(parsed->payload == R"({"identifiers":[]})");
    CHECK(parsed->protected_header == jws->protected_header);
    CHECK(verify_flattened(*parsed, key.public_jwk()).ok());
  }
}

TEST_CASE("POST-as-GET: empty payload", "[jose][jws]") {
  auto jws = sign_flattened(acme_header(), "", key_of(KeyType::P256));
  REQUIRE(jws.ok());
  CHECK(jws->payload_b64.empty());
  auto parsed = parse_flattened(jws->serialize());
  REQUIRE(parsed.ok());
  CHECK(parsed->payload.empty());
  CHECK(verify_flattened(*parsed, key_of(KeyType::P256).public_jwk()).ok());
}

TEST_CASE("sign_flattened refuses an alg the key cannot produce", "[jose][jws]") {
  auto header = acme_header();
  header["alg"] = "ES384";
  auto jws = sign_flattened(header, "{}", key_of(KeyType::P256));
  REQUIRE_FALSE(jws.ok());
  CHECK(jws.error().path == "protected.alg");
}

TEST_CASE("parse_flattened rejects malformed bodies", "[jose][jws]") {
  const std::string p = std::string(jose_vectors::kRfc8037ProtectedB64);
  const std::string pl = std::string(jose_vectors::kRfc8037PayloadB64);
  const std::string s = std::string(jose_vectors::kRfc8037SignatureB64);
  auto expect_error = [](std::string_view body, const std::string& path,
                         const std::string& reason_part) {
    auto jws = parse_flattened(body);
    REQUIRE_FALSE(jws.ok());
    CHECK(jws.error().path == path);
    CHECK_THAT(jws.error().reason, Catch::Contains(reason_part));
  };
  expect_error(p + "." + pl + "." + s, "", "compact");
  expect_error(nlohmann::json{{"payload", pl},
                              {"signatures", {{{"protected", p}, {"signature", s}}}}}
                   .dump(),
               "signatures", "general");
  expect_error(R"({"protected":1,"payload":"","signature":""})", "protected", "string");
  expect_error(nlohmann::json{{"protected", p}, {"payload", 5}, {"signature", s}}.dump(),
               "payload", "string");
  expect_error(nlohmann::json{{"protected", p}, {"payload", pl}, {"signature", nullptr}}.dump(),
               "signature", "string");
  expect_error(nlohmann::json{{"payload", pl}, {"signature", s}}.dump(), "protected", "missing");
  expect_error(nlohmann::json{{"protected", p}, {"signature", s}}.dump(), "payload", "missing");
  expect_error(nlohmann::json{{"protected", p}, {"payload", pl}}.dump(), "signature", "missing");
  expect_error(nlohmann::json{{"protected", p + "="}, {"payload", pl}, {"signature", s}}.dump(),
               "protected", "padding");
  expect_error(nlohmann::json{{"protected", p}, {"payload", "a+b"}, {"signature", s}}.dump(),
               "payload", "not base64url");
  expect_error(nlohmann::json{{"protected", p}, {"payload", pl}, {"signature", s + " "}}.dump(),
               "signature", "whitespace");
  expect_error(
      nlohmann::json{{"protected", base64url_encode("[1,2]")}, {"payload", pl}, {"signature", s}}
          .dump(),
      "protected", "object");
  expect_error(
      nlohmann::json{{"protected", base64url_encode("not json")}, {"payload", pl}, {"signature", s}}
          .dump(),
      "protected", "not JSON");
  expect_error(nlohmann::json{{"protected", base64url_encode(R"({"alg":"ES256","alg":"none"})")},
                              {"payload", pl},
                              {"signature", s}}
                   .dump(),
               "protected", "not JSON");
  expect_error(R"({"protected":"a","protected":"b","payload":"","signature":""})", "",
               "");  // duplicate member names at the top level
  expect_error(nlohmann::json{{"protected", p}, {"payload", pl}, {"signature", s},
                              {"header", "x"}}.dump(),
               "header", "object");
  expect_error(nlohmann::json{{"protected", p}, {"payload", pl}, {"signature", s},
                              {"header", {{"alg", "none"}}}}.dump(),
               "header.alg", "protected");
  expect_error("[]", "", "object");
  expect_error("", "", "");
}

TEST_CASE("parse_flattened keeps an unprotected header for the ACME check", "[jose][jws]") {
  auto jws = parse_flattened(nlohmann::json{{"protected", jose_vectors::kRfc8037ProtectedB64},
                                            {"payload", ""},
                                            {"signature", ""},
                                            {"header", {{"kid", "x"}}}}
                                 .dump());
  REQUIRE(jws.ok());
  REQUIRE(jws->unprotected_header.has_value());
  CHECK((*jws->unprotected_header)["kid"] == "x");
}

TEST_CASE("verify_flattened refuses none, MAC, unsupported and mismatching algs", "[jose][jws]") {
  const PrivateKey& key = key_of(KeyType::P256);
  auto with_alg = [&](const nlohmann::json& alg) {
    auto header = acme_header();
    header["alg"] = alg;
    auto b = JwsBuilder::from_header(header);
    REQUIRE(b.ok());
    b->payload("{}");
    auto jws = b->sign(key, Alg::ES256);  // a real ES256 signature under a lying header
    REQUIRE(jws.ok());
    auto v = verify_flattened(*jws, key.public_jwk());
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().path == "protected.alg");
    return v.error().reason;
  };
  CHECK_THAT(with_alg("none"), Catch::Contains("none"));
  CHECK_THAT(with_alg("HS256"), Catch::Contains("MAC"));
  CHECK_THAT(with_alg("PS256"), Catch::Contains("unsupported"));
  CHECK_THAT(with_alg("ES384"), Catch::Contains("does not fit"));
  CHECK_THAT(with_alg(256), Catch::Contains("string"));
}

TEST_CASE("verify_flattened refuses crit", "[jose][jws]") {
  auto header = acme_header();
  header["crit"] = {"exp"};
  header["exp"] = 1;
  auto jws = sign_flattened(header, "{}", key_of(KeyType::P256));
  REQUIRE(jws.ok());
  auto v = verify_flattened(*jws, key_of(KeyType::P256).public_jwk());
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().path == "protected.crit");
}

TEST_CASE("JwsBuilder produces deliberately invalid messages", "[jose][jws][mutation]") {
  const PrivateKey& key = key_of(KeyType::P256);
  const Jwk& pub = key.public_jwk();

  SECTION("alg none with an empty signature") {
    auto header = acme_header();
    header["alg"] = "none";
    auto b = JwsBuilder::from_header(header);
    REQUIRE(b.ok());
    const FlattenedJws jws = b->payload("{}").with_signature("");
    CHECK(jws.signature_b64.empty());
    auto parsed = parse_flattened(jws.serialize());
    REQUIRE(parsed.ok());
    CHECK(parsed->protected_header["alg"] == "none");
    CHECK_FALSE(verify_flattened(*parsed, pub).ok());
  }
  SECTION("HS256 keyed with the public key's thumbprint (algorithm confusion)") {
    auto header = acme_header();
    header["alg"] = "HS256";
    auto b = JwsBuilder::from_header(header);
    REQUIRE(b.ok());
    auto jws = b->payload("{}").sign_mac(MacAlg::HS256, pub.thumbprint());
    REQUIRE(jws.ok());
    CHECK(verify_flattened_mac(*jws, pub.thumbprint()).ok());
    auto v = verify_flattened(*jws, pub);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().path == "protected.alg");
  }
  SECTION("corrupted signature bytes") {
    auto jws = sign_flattened(acme_header(), "{}", key);
    REQUIRE(jws.ok());
    REQUIRE(verify_flattened(*jws, pub).ok());
    corrupt_signature(*jws);
    auto parsed = parse_flattened(jws->serialize());
    REQUIRE(parsed.ok());
    auto v = verify_flattened(*parsed, pub);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().path == "signature");
  }
  SECTION("non-JSON payload, validly signed") {
    auto header = acme_header();
    header["alg"] = "ES256";
    auto b = JwsBuilder::from_header(header);
    REQUIRE(b.ok());
    auto jws = b->payload("\x01not json").sign(key);
    REQUIRE(jws.ok());
    auto parsed = parse_flattened(jws->serialize());
    REQUIRE(parsed.ok());
    CHECK(parsed->payload == "\x01not json");
    CHECK(verify_flattened(*parsed, pub).ok());  // the signature is fine; the payload is not
  }
  SECTION("protected bytes that are not JSON") {
    auto jws = JwsBuilder::from_protected_bytes("{\"alg\":").payload("{}").sign(key);
    REQUIRE(jws.ok());
    CHECK(jws->protected_header.is_null());
    CHECK_FALSE(parse_flattened(jws->serialize()).ok());
    CHECK_FALSE(verify_flattened(*jws, pub).ok());
  }
  SECTION("payload swapped after signing") {
    auto jws = sign_flattened(acme_header(), "{}", key);
    REQUIRE(jws.ok());
    replace_payload(*jws, R"({"evil":true})");
    CHECK_FALSE(verify_flattened(*jws, pub).ok());
  }
  SECTION("protected header swapped after signing") {
    auto jws = sign_flattened(acme_header(), "{}", key);
    REQUIRE(jws.ok());
    auto header = jws->protected_header;
    header["url"] = "https://ca.test/other";
    replace_protected_bytes(*jws, header.dump());
    CHECK(jws->protected_header["url"] == "https://ca.test/other");
    CHECK_FALSE(verify_flattened(*jws, pub).ok());
  }
  SECTION("bad base64url written straight into the texts") {
    auto jws = sign_flattened(acme_header(), "{}", key);
    REQUIRE(jws.ok());
    jws->payload_b64 += "=";
    auto parsed = parse_flattened(jws->serialize());
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().path == "payload");
  }
  SECTION("unsupported alg in the header, real signature") {
    auto header = acme_header();
    header["alg"] = "ES256K";
    auto b = JwsBuilder::from_header(header);
    REQUIRE(b.ok());
    auto jws = b->payload("{}").sign(key);
    REQUIRE(jws.ok());
    CHECK(jws->protected_header["alg"] == "ES256K");
  }
  SECTION("from_header refuses JSON it cannot serialize") {
    nlohmann::json header = {{"alg", std::string("\xff\xfe")}};
    CHECK_FALSE(JwsBuilder::from_header(header).ok());
  }
}

TEST_CASE("EAB MAC JWS round trip", "[jose][jws][eab]") {
  const std::string mac_key = "0123456789abcdef0123456789abcdef";
  const nlohmann::json header = {{"kid", "eab-kid-1"}, {"url", "https://ca.test/acme/new-acct"}};
  const std::string payload = key_of(KeyType::P256).public_jwk().to_json().dump();
  auto jws = sign_flattened_mac(header, payload, MacAlg::HS256, mac_key);
  REQUIRE(jws.ok());
  CHECK(jws->protected_header["alg"] == "HS256");
  auto parsed = parse_flattened(jws->serialize());
  REQUIRE(parsed.ok());
  CHECK(verify_flattened_mac(*parsed, mac_key).ok());
  auto wrong = verify_flattened_mac(*parsed, "another key, long enough for HS256!");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().path == "signature");
  // A public-key JWS is not a MAC JWS.
  auto signed_jws = sign_flattened(acme_header(), "{}", key_of(KeyType::P256));
  REQUIRE(signed_jws.ok());
  auto not_mac = verify_flattened_mac(*signed_jws, mac_key);
  REQUIRE_FALSE(not_mac.ok());
  CHECK(not_mac.error().path == "protected.alg");
}
