// Challenge-response and directory-URL client checks over constructed runs.
#include <catch2/catch.hpp>

#include "clientmode/scenario.hpp"
#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;

namespace {

const char* const kValidationChecks[] = {"RFC8555-8.3-client-serves-key-authorization", "RFC8555-8.4-client-txt-record",
                                         "RFC8737-3-client-challenge-certificate"};

nlohmann::json scenario_doc(const std::string& challenge, const std::string& check) {
  return {{"id", "t-challenge"}, {"title", "T"},          {"suites", {"x"}},
          {"challenge", challenge}, {"identifiers", {"{domain}"}}, {"expect", {check}},
          {"client_should", "succeed"}};
}

}  // namespace

TEST_CASE("challenge checks: a validated authorization passes, an invalid one fails with evidence") {
  const auto happy = Log::happy().run;
  for (const char* id : kValidationChecks) {
    INFO(id);
    CHECK(judge(id, happy).kind == Judgement::held);
  }
  Log bad;
  bad.add(Endpoint::kDirectory, "GET", 0.0);
  bad.post(Endpoint::kNewOrder, 0.1).status = 201;
  bad.post(Endpoint::kChallenge, 0.2).resource_status = "processing";
  bad.post_as_get(Endpoint::kAuthorization, 1.2).resource_status = "invalid";
  for (const char* id : kValidationChecks) {
    const auto j = judge(id, bad.run);
    INFO(id << ": " << j.message);
    CHECK(j.kind == Judgement::violated);
    CHECK(j.evidence.size() == 2);
  }
}

TEST_CASE("challenge checks: no response or no outcome is a skip, a certificate is a pass") {
  Log silent;
  silent.post(Endpoint::kNewOrder, 0.1).status = 201;
  silent.post_as_get(Endpoint::kAuthorization, 0.2).resource_status = "pending";
  CHECK(judge("RFC8555-8.3-client-serves-key-authorization", silent.run).kind == Judgement::not_applicable);

  Log gave_up;
  gave_up.post(Endpoint::kChallenge, 0.2).resource_status = "processing";
  gave_up.post_as_get(Endpoint::kAuthorization, 0.3).resource_status = "pending";
  CHECK(judge("RFC8555-8.4-client-txt-record", gave_up.run).kind == Judgement::not_applicable);

  Log straight;
  straight.post(Endpoint::kChallenge, 0.2).resource_status = "processing";
  straight.post_as_get(Endpoint::kCertificate, 0.9).status = 200;
  CHECK(judge("RFC8737-3-client-challenge-certificate", straight.run).kind == Judgement::held);
}

TEST_CASE("challenge checks: a request to a path nobody handed out fails the directory check") {
  CHECK(judge("RFC8555-7.1.1-client-uses-directory-urls", Log::happy().run).kind == Judgement::held);
  Log guess = Log::happy();
  guess.add(Endpoint::kOther, "GET", 2.0, "https://127.0.0.1:14000/acme/new-order");
  const auto j = judge("RFC8555-7.1.1-client-uses-directory-urls", guess.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("/acme/new-order") != std::string::npos);
  CHECK(judge("RFC8555-7.1.1-client-uses-directory-urls", Log{}.run).kind == Judgement::not_applicable);
}

TEST_CASE("challenge checks: each fits only its own challenge type and scenarios that can succeed") {
  namespace cm = acmespec::clientmode;
  CHECK(cm::parse_client_scenario(scenario_doc("http-01", kValidationChecks[0]), "c.json", fixture::catalogue()).ok());
  CHECK(cm::parse_client_scenario(scenario_doc("dns-01", kValidationChecks[1]), "c.json", fixture::catalogue()).ok());
  CHECK(cm::parse_client_scenario(scenario_doc("tls-alpn-01", kValidationChecks[2]), "c.json", fixture::catalogue()).ok());
  auto wrong = cm::parse_client_scenario(scenario_doc("dns-01", kValidationChecks[0]), "c.json", fixture::catalogue());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().to_string().find("challenge is dns-01") != std::string::npos);
  auto failing = scenario_doc("http-01", kValidationChecks[0]);
  failing["faults"] = {{"challenge_invalid", {{"type", "incorrectResponse"}}}};
  failing["client_should"] = "fail";
  CHECK_FALSE(cm::parse_client_scenario(failing, "c.json", fixture::catalogue()).ok());
}

TEST_CASE("jwk check: RSA n and e in the fewest octets") {
  const std::string id = "RFC7518-2-client-base64urluint-minimal";
  // The happy log's jwk is EC: nothing to judge.
  CHECK(judge(id, Log::happy().run).kind == Judgement::not_applicable);
  auto with_rsa = [](const std::string& n, const std::string& e) {
    Log l = Log::happy();
    for (auto& o : l.run.observations)
      if (o.endpoint == Endpoint::kNewAccount) {
        (*o.protected_header)["jwk"] = {{"kty", "RSA"}, {"n", n}, {"e", e}};
        o.has_jwk = true;
      }
    return l.run;
  };
  CHECK(judge(id, with_rsa("wJt0", "AQAB")).kind == Judgement::held);
  const auto padded = judge(id, with_rsa("AMCbdA", "AQAB"));  // 00 c0 9b 74
  CHECK(padded.kind == Judgement::violated);
  CHECK(padded.message.find("\"n\" starts with a zero octet") != std::string::npos);
  CHECK(judge(id, with_rsa("wJt0", "AAEAAQ")).kind == Judgement::violated);
  CHECK(judge(id, with_rsa("wJt0", "")).kind == Judgement::violated);
}
