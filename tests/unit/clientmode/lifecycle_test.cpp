// Client checks around the validation and the certificate download
// (checks_lifecycle.cpp) over constructed runs.
#include <catch2/catch.hpp>

#include "clientmode/scenario.hpp"
#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;

namespace {

const std::string kPemCheck = "RFC8555-7.4.2-client-accepts-pem-chain";

acmespec::clientmode::ClientRun with_accept(const std::string& accept) {
  Log l = Log::happy();
  for (auto& o : l.run.observations)
    if (o.endpoint == Endpoint::kCertificate) o.accept = accept;
  return l.run;
}

nlohmann::json lifecycle_doc(const std::string& check, const std::string& challenge = "http-01") {
  return {{"id", "t-lifecycle"}, {"title", "T"},          {"suites", {"x"}},
          {"challenge", challenge}, {"identifiers", {"{domain}"}}, {"expect", {check}},
          {"client_should", "succeed"}};
}

}  // namespace

TEST_CASE("pem-chain check: an Accept naming the PEM chain passes") {
  for (const char* accept : {"application/pem-certificate-chain", "application/json, application/pem-certificate-chain;q=0.9",
                             " Application/PEM-Certificate-Chain ; q=1"}) {
    INFO(accept);
    const auto j = judge(kPemCheck, with_accept(accept));
    CHECK(j.kind == Judgement::held);
    CHECK(j.evidence.size() == 1);
  }
}

TEST_CASE("pem-chain check: no Accept, a wildcard or a list without the PEM chain is reported") {
  const auto absent = judge(kPemCheck, with_accept(""));
  CHECK(absent.kind == Judgement::violated);
  CHECK(absent.message.find("without an Accept header") != std::string::npos);
  CHECK(absent.evidence.size() == 1);
  const auto wild = judge(kPemCheck, with_accept("*/*"));
  CHECK(wild.kind == Judgement::violated);
  CHECK(wild.message.find("admits the PEM chain without asking") != std::string::npos);
  const auto excluded = judge(kPemCheck, with_accept("application/json"));
  CHECK(excluded.kind == Judgement::violated);
  CHECK(excluded.message.find("leaves out") != std::string::npos);
  // q=0 refuses the type it names.
  CHECK(judge(kPemCheck, with_accept("application/pem-certificate-chain;q=0, */*")).kind == Judgement::violated);
  CHECK(judge(kPemCheck, with_accept("application/pem-certificate-chain;q=0.0")).message.find("leaves out") != std::string::npos);
}

TEST_CASE("pem-chain check: MAY level, skipped without a download, unfit where issuance must fail") {
  const auto* req = fixture::catalogue().find(kPemCheck);
  REQUIRE(req != nullptr);
  CHECK(req->level == acmespec::engine::Level::may);
  Log none;
  none.post(Endpoint::kNewOrder, 0.1).status = 201;
  CHECK(judge(kPemCheck, none.run).kind == Judgement::not_applicable);

  namespace cm = acmespec::clientmode;
  CHECK(cm::parse_client_scenario(lifecycle_doc(kPemCheck), "c.json", fixture::catalogue()).ok());
  auto failing = lifecycle_doc(kPemCheck);
  failing["faults"] = {{"challenge_invalid", {{"type", "incorrectResponse"}}}};
  failing["client_should"] = "fail";
  auto refused = cm::parse_client_scenario(failing, "c.json", fixture::catalogue());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().to_string().find("certificate download") != std::string::npos);
  failing["faults"] = {{"certificate_mismatch", "key"}};
  CHECK(cm::parse_client_scenario(failing, "c.json", fixture::catalogue()).ok());
}
