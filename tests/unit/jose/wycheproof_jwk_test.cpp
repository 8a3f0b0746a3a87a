// Wycheproof's JWK edge cases (json_web_key_test.json): keys with a bad
// point, the wrong curve or kty, a small modulus, exponent 1, or metadata
// ("use", "alg") that forbids the use made of them.
//
// Two questions per case: does Jwk::parse refuse the key, and does the whole
// path (parse_flattened on the re-serialized JWS, Jwk::parse,
// verify_flattened) reject every invalid case at some stage.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "jose/jose.hpp"
#include "wycheproof_support.hpp"

using namespace acmespec::jose;
using wycheproof_test::Tally;

TEST_CASE("Wycheproof json_web_key_test.json: Jwk::parse and the JWS path",
          "[jose][wycheproof]") {
  const std::string file = "json_web_key_test.json";
  const nlohmann::json doc = wycheproof_test::load(file);

  // Public keys of a kind acmespec supports (RSA, EC, OKP), one per group.
  std::set<int> valid_key_accepted, valid_key_refused;
  std::set<int> invalid_key_accepted, invalid_key_refused;
  // Symmetric keys and sets of several keys: no acmespec public JWK to parse.
  std::set<int> key_not_applicable;
  std::string refusals;
  Tally tally;
  for (const auto& group : doc.at("testGroups")) {
    const nlohmann::json* key = nullptr;
    if (group.contains("public")) {
      const auto& pub = group.at("public");
      if (!pub.contains("keys")) {
        key = &pub;
      } else if (pub.at("keys").size() == 1) {
        key = &pub.at("keys").at(0);
      }
    }
    for (const auto& test : group.at("tests")) {
      const int id = test.at("tcId").get<int>();
      const bool valid = test.at("result") == "valid";
      if (key == nullptr) {
        key_not_applicable.insert(id);
      } else {
        auto jwk = Jwk::parse(*key, "public");
        if (!jwk) refusals += "tcId " + std::to_string(id) + ": " + jwk.error().to_string() + "\n";
        (valid ? (jwk ? valid_key_accepted : valid_key_refused)
               : (jwk ? invalid_key_accepted : invalid_key_refused))
            .insert(id);
      }
      tally.add(test, wycheproof_test::run_jws_case(group, test));
    }
  }
  INFO(refusals);
  // Every valid key of a supported kind parses.
  CHECK(valid_key_accepted == std::set<int>{5});
  CHECK(valid_key_refused == std::set<int>{});
  // Refused by Jwk::parse: declared for encryption or another registered
  // algorithm (6, 21), 1024-bit modulus, exponent 1, point off P-256, P-256
  // coordinates labelled P-384, EC members under kty RSA.
  CHECK(invalid_key_refused == std::set<int>{6, 8, 9, 21, 22, 23, 24});
  // Sound public keys whose metadata or origin makes the case invalid; they
  // must be rejected later or appear among the known disagreements below.
  CHECK(invalid_key_accepted == std::set<int>{7, 19, 20});
  // 1-4: JWK Sets of two keys; 10-18: HMAC keys; 25-26: AES keys (kty oct).
  CHECK(key_not_applicable ==
        std::set<int>{1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 25, 26});

  CHECK(tally.total == 26);
  CHECK(tally.valid == 5);
  CHECK(tally.invalid == 21);
  // The whole path: JWK Sets and AES keys have no acmespec counterpart; the
  // HMAC groups run through verify_flattened_mac (the EAB path).
  CHECK(tally.not_applicable_ids() == std::set<int>{1, 2, 3, 4, 25, 26});
  wycheproof_test::report(
      file, tally,
      wycheproof_test::Known{
          {7, "acmespec finding: RSA key with the ROCA weakness (CVE-2017-15361) accepted"},
          {19, "by design: \"alg\":\"ES521\" is not a registered JWS algorithm, so the key's "
               "declaration is not judged (Wycheproof's own 347/351 accept ES521 on P-521)"},
          {20, "by design: \"alg\":\"ES224\" is not a registered JWS algorithm; not judged"},
      },
      "; Jwk::parse refused " + std::to_string(invalid_key_refused.size()) +
          " invalid keys and accepted " + std::to_string(valid_key_accepted.size()) +
          " valid keys");
}
