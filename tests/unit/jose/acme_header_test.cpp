#include <catch2/catch.hpp>

#include <algorithm>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::key_of;

namespace {

nlohmann::json kid_header() {
  return {{"alg", "ES256"},
          {"kid", "https://ca.test/acme/acct/1"},
          {"nonce", "6S8IqOGY7eL2lsGoTZYifg"},
          {"url", "https://ca.test/acme/new-order"}};
}

nlohmann::json jwk_header() {
  nlohmann::json h = kid_header();
  h.erase("kid");
  h["jwk"] = key_of(KeyType::P256).public_jwk().to_json();
  h["url"] = "https://ca.test/acme/new-account";
  return h;
}

// Exactly one violation, of `rule`, at `path`.
void expect_only(const nlohmann::json& header, HeaderRule rule, const std::string& path,
                 KeyRef expect = KeyRef::Either) {
  const auto v = check_acme_protected_header(header, expect);
  INFO("header: " << header.dump());
  REQUIRE(v.size() == 1);
  CHECK(v[0].rule == rule);
  CHECK(v[0].error.path == path);
  CHECK_FALSE(v[0].error.reason.empty());
  const auto errors = validate_acme_protected_header(header, expect);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == v[0].error);
}

}  // namespace

TEST_CASE("valid ACME headers pass", "[jose][acme_header]") {
  CHECK(check_acme_protected_header(kid_header()).empty());
  CHECK(check_acme_protected_header(kid_header(), KeyRef::Kid).empty());
  CHECK(check_acme_protected_header(jwk_header()).empty());
  CHECK(check_acme_protected_header(jwk_header(), KeyRef::Jwk).empty());
  for (const auto type : {KeyType::Rsa2048, KeyType::P384, KeyType::P521, KeyType::Ed25519}) {
    auto h = jwk_header();
    h["jwk"] = key_of(type).public_jwk().to_json();
    h["alg"] = std::string(alg_name(key_of(type).default_alg()));
    CHECK(check_acme_protected_header(h, KeyRef::Jwk).empty());
  }
}

TEST_CASE("header must be an object", "[jose][acme_header]") {
  expect_only(nlohmann::json::array(), HeaderRule::HeaderObject, "protected");
}

TEST_CASE("alg rules", "[jose][acme_header]") {
  auto h = kid_header();
  SECTION("missing") {
    h.erase("alg");
    expect_only(h, HeaderRule::AlgPresent, "protected.alg");
  }
  SECTION("not a string") {
    h["alg"] = nlohmann::json::array({"ES256"});
    expect_only(h, HeaderRule::AlgString, "protected.alg");
  }
  SECTION("none") {
    h["alg"] = "none";
    expect_only(h, HeaderRule::AlgNotNone, "protected.alg");
  }
  SECTION("MAC") {
    for (const char* mac : {"HS256", "HS384", "HS512"}) {
      h["alg"] = mac;
      expect_only(h, HeaderRule::AlgNotMac, "protected.alg");
    }
  }
  SECTION("unsupported") {
    for (const char* alg : {"PS256", "RS512", "ES256K", "Ed25519", "es256", ""}) {
      h["alg"] = alg;
      expect_only(h, HeaderRule::AlgSupported, "protected.alg");
    }
  }
  SECTION("does not fit the jwk") {
    auto j = jwk_header();
    j["alg"] = "ES384";
    expect_only(j, HeaderRule::AlgFitsKey, "protected.alg");
  }
}

TEST_CASE("jwk and kid rules", "[jose][acme_header]") {
  SECTION("neither") {
    auto h = kid_header();
    h.erase("kid");
    expect_only(h, HeaderRule::KeyRefPresent, "protected.jwk");
  }
  SECTION("both") {
    auto h = jwk_header();
    h["kid"] = "https://ca.test/acme/acct/1";
    expect_only(h, HeaderRule::KeyRefExclusive, "protected.kid");
  }
  SECTION("jwk expected, kid sent") {
    expect_only(kid_header(), HeaderRule::JwkRequired, "protected.kid", KeyRef::Jwk);
  }
  SECTION("kid expected, jwk sent") {
    expect_only(jwk_header(), HeaderRule::KidRequired, "protected.jwk", KeyRef::Kid);
  }
  SECTION("jwk that is not a usable public key") {
    auto h = jwk_header();
    h["jwk"]["d"] = "AAAA";
    expect_only(h, HeaderRule::JwkValid, "protected.jwk.d");
    h = jwk_header();
    h["jwk"]["x"] = "not+base64";
    expect_only(h, HeaderRule::JwkValid, "protected.jwk.x");
    h = jwk_header();
    h["jwk"] = "a string";
    expect_only(h, HeaderRule::JwkValid, "protected.jwk");
  }
  SECTION("kid not a string") {
    auto h = kid_header();
    h["kid"] = 1;
    expect_only(h, HeaderRule::KidString, "protected.kid");
    h["kid"] = "";
    expect_only(h, HeaderRule::KidString, "protected.kid");
  }
}

TEST_CASE("nonce rules", "[jose][acme_header]") {
  auto h = kid_header();
  SECTION("missing") {
    h.erase("nonce");
    expect_only(h, HeaderRule::NoncePresent, "protected.nonce");
  }
  SECTION("not a string") {
    h["nonce"] = 12;
    expect_only(h, HeaderRule::NonceString, "protected.nonce");
  }
  SECTION("not base64url") {
    for (const char* nonce : {"", "abc=", "ab+c", "a b", "A"}) {
      h["nonce"] = nonce;
      expect_only(h, HeaderRule::NonceBase64url, "protected.nonce");
    }
  }
}

TEST_CASE("url rules", "[jose][acme_header]") {
  auto h = kid_header();
  SECTION("missing") {
    h.erase("url");
    expect_only(h, HeaderRule::UrlPresent, "protected.url");
  }
  SECTION("not a string") {
    h["url"] = nlohmann::json::object();
    expect_only(h, HeaderRule::UrlString, "protected.url");
    h["url"] = "";
    expect_only(h, HeaderRule::UrlString, "protected.url");
  }
}

TEST_CASE("crit rules", "[jose][acme_header]") {
  auto h = kid_header();
  SECTION("not an array") {
    h["crit"] = "exp";
    expect_only(h, HeaderRule::CritWellFormed, "protected.crit");
  }
  SECTION("empty array") {
    h["crit"] = nlohmann::json::array();
    expect_only(h, HeaderRule::CritWellFormed, "protected.crit");
  }
  SECTION("non-string entry") {
    h["crit"] = {5};
    expect_only(h, HeaderRule::CritWellFormed, "protected.crit[0]");
  }
  SECTION("unknown extension") {
    h["crit"] = {"exp"};
    h["exp"] = 1;
    const auto v = check_acme_protected_header(h);
    REQUIRE(v.size() == 1);
    CHECK(v[0].rule == HeaderRule::CritUnderstood);
    CHECK(v[0].error.path == "protected.crit[0]");
    CHECK_THAT(v[0].error.reason, Catch::Contains("unknown critical header"));
  }
  SECTION("registered name") {
    h["crit"] = {"alg"};
    expect_only(h, HeaderRule::CritUnderstood, "protected.crit[0]");
  }
}

TEST_CASE("b64 is not allowed", "[jose][acme_header]") {
  auto h = kid_header();
  h["b64"] = false;
  expect_only(h, HeaderRule::NoB64, "protected.b64");
  h["b64"] = true;  // even the default value: ACME has no use for RFC 7797
  expect_only(h, HeaderRule::NoB64, "protected.b64");
}

TEST_CASE("a header breaking several rules reports all of them", "[jose][acme_header]") {
  nlohmann::json h = {{"alg", "none"},
                      {"jwk", {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}}},
                      {"kid", 7},
                      {"nonce", "padded=="},
                      {"crit", {"b64"}},
                      {"b64", false}};
  const auto v = check_acme_protected_header(h, KeyRef::Kid);
  std::vector<HeaderRule> rules;
  for (const auto& x : v) rules.push_back(x.rule);
  const std::vector<HeaderRule> expected = {
      HeaderRule::AlgNotNone,     HeaderRule::KeyRefExclusive, HeaderRule::JwkValid,
      HeaderRule::KidString,      HeaderRule::NonceBase64url,  HeaderRule::UrlPresent,
      HeaderRule::CritUnderstood, HeaderRule::NoB64};
  CHECK(rules == expected);
  CHECK(validate_acme_protected_header(h, KeyRef::Kid).size() == expected.size());
}

TEST_CASE("rule ids are distinct and name their specification", "[jose][acme_header]") {
  std::vector<std::string> ids;
  for (int r = 0; r <= static_cast<int>(HeaderRule::NoUnprotectedHeader); ++r) {
    const auto id = std::string(header_rule_id(static_cast<HeaderRule>(r)));
    CHECK(id.rfind("RFC", 0) == 0);
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  CHECK(header_rule_id(HeaderRule::AlgNotNone) == "RFC8555-6.2-alg-not-none");
}

TEST_CASE("whole-JWS check flags an unprotected header", "[jose][acme_header]") {
  auto jws = sign_flattened(kid_header(), "{}", key_of(KeyType::P256));
  REQUIRE(jws.ok());
  CHECK(check_acme_jws(*jws, KeyRef::Kid).empty());
  jws->unprotected_header = nlohmann::json{{"x", 1}};
  const auto v = check_acme_jws(*jws, KeyRef::Kid);
  REQUIRE(v.size() == 1);
  CHECK(v[0].rule == HeaderRule::NoUnprotectedHeader);
  CHECK(v[0].error.path == "header");
}
