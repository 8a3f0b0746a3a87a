// Whole JWS objects from Wycheproof (json_web_signature_test.json and the JWS
// half of json_web_crypto_test.json) through acmespec's verification path.
//
// acmespec accepts only the flattened JSON serialization (RFC 8555 §6.2), and
// every Wycheproof JWS is compact (or general JSON), so each case is judged
// twice: as given, where parse_flattened must refuse it, and re-serialized
// as flattened JSON, where the verifier itself must reach the right verdict.
#include <initializer_list>
#include <map>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "wycheproof_support.hpp"

using wycheproof_test::Known;
using wycheproof_test::Tally;

namespace {

struct JwsFileResult {
  Tally tally;
  // Valid cases in compact form: not applicable as given, since acmespec
  // accepts only flattened JSON.
  std::set<int> compact_valid;
  std::set<int> literal_accepted;
  std::map<int, std::string> jws_text;  // tcId -> the JWS as given
};

JwsFileResult run_jws_file(const std::string& file) {
  const nlohmann::json doc = wycheproof_test::load(file);
  JwsFileResult out;
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& test : group.at("tests")) {
      const int id = test.at("tcId").get<int>();
      if (test.contains("jws")) {
        if (wycheproof_test::literal_form_accepted(test)) out.literal_accepted.insert(id);
        const auto& jws = test.at("jws");
        const bool compact = jws.is_string() && jws.get<std::string>().rfind('{', 0) != 0;
        if (compact && test.at("result") == "valid") out.compact_valid.insert(id);
        if (jws.is_string()) out.jws_text[id] = jws.get<std::string>();
      }
      out.tally.add(test, wycheproof_test::run_jws_case(group, test));
    }
  }
  return out;
}

std::set<int> range(int first, int last) {
  std::set<int> out;
  for (int i = first; i <= last; ++i) out.insert(i);
  return out;
}

std::set<int> unite(std::initializer_list<std::set<int>> parts) {
  std::set<int> out;
  for (const auto& p : parts) out.insert(p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("Wycheproof json_web_signature_test.json through parse/verify_flattened",
          "[jose][wycheproof]") {
  const std::string file = "json_web_signature_test.json";
  const JwsFileResult r = run_jws_file(file);
  const Tally& t = r.tally;
  INFO(t.details());
  CHECK(t.total == 401);
  CHECK(t.valid == 46);
  CHECK(t.invalid == 355);
  CHECK(t.acceptable == 0);

  // No Wycheproof JWS is flattened JSON: parse_flattened refuses each as given,
  // and every valid case is compact, so none applies literally.
  CHECK(r.literal_accepted == std::set<int>{});
  CHECK(r.compact_valid == unite({{1, 18, 33}, range(259, 275), {287, 288}, range(320, 323),
                                  range(325, 328), range(345, 352), {357, 358, 359},
                                  {372, 373, 376, 377, 378}}));

  // Re-serialized: valid signatures under algorithms acmespec does not offer
  // (RS384, RS512, PS256/384/512) are not applicable.
  CHECK(t.not_applicable_ids() == unite({range(264, 275), {287, 288}, range(320, 323),
                                         range(325, 328), {346, 350}}));

  // Wycheproof 367 and 370 describe bad padding, but the stored texts carry
  // none: both are byte for byte the valid case 357, so accepting them is right.
  REQUIRE(r.jws_text.count(357) == 1);
  CHECK(r.jws_text.at(367) == r.jws_text.at(357));
  CHECK(r.jws_text.at(370) == r.jws_text.at(357));

  wycheproof_test::report(
      file, t,
      Known{
          {367, "vector defect: identical to valid tcId 357 (no padding in the stored text)"},
          {370, "vector defect: identical to valid tcId 357 (no padding in the stored text)"},
          {372, "by design: marked valid, but the header text holds '?', which is not "
                "base64url; acmespec's strict base64url refuses it"},
          {373, "by design: marked valid, but the payload text holds '?', which is not "
                "base64url; acmespec's strict base64url refuses it"},
      },
      "; compact valid (n/a as given) " + std::to_string(r.compact_valid.size()));
}

TEST_CASE("Wycheproof json_web_crypto_test.json (JWS groups) through parse/verify_flattened",
          "[jose][wycheproof]") {
  const std::string file = "json_web_crypto_test.json";
  const JwsFileResult r = run_jws_file(file);
  const Tally& t = r.tally;
  INFO(t.details());
  CHECK(t.total == 83);
  CHECK(t.valid == 6);
  CHECK(t.invalid == 77);
  CHECK(r.literal_accepted == std::set<int>{});
  CHECK(r.compact_valid == std::set<int>{1, 18, 33, 48});
  // 47-49: JWK Sets of two keys; 50-83: JWE, which acmespec never decrypts.
  CHECK(t.not_applicable_ids() == range(47, 83));
  wycheproof_test::report(
      file, t,
      Known{
          {46, "acmespec finding: RSA key with the ROCA weakness (CVE-2017-15361) is accepted "
               "by Jwk::parse; acmespec has no ROCA fingerprint check"},
      },
      "; compact valid (n/a as given) " + std::to_string(r.compact_valid.size()));
}
