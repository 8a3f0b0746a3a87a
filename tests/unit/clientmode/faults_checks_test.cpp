// Checks driven by the invalid_nonce, order_reorder and certificate_extra_pem
// faults, on hand-built runs; and the fault plan knobs behind them.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fixture.hpp"
#include "clientmode/scenario.hpp"
#include "jose/base64url.hpp"
#include "mock-ca/fault_plan.hpp"

using acmespec::engine::Judgement;
using acmespec::mockca::parse_fault_plan;
using acmespec::mockca::to_json;
using fixture::Endpoint;
using fixture::Log;
using nlohmann::json;

namespace {

const std::string kInvalidNonce = "RFC8555-6.5.1-client-ignores-invalid-nonce";
const std::string kExtraPem = "RFC8555-11.4-client-rejects-non-certificate-pem";
const std::string kReorder = "RFC8555-7.4-client-no-order-sort-assumption";
const std::string kBadValue = "abcdEFGH+ijkl/mnoq==";

std::string fault_plan_error(const json& j) {
  auto r = parse_fault_plan(j);
  REQUIRE_FALSE(r.ok());
  return r.error().to_string();
}

// A happy run in which the newAccount answer handed out an invalid nonce.
// `sends`: the nonce the client signs its next newOrder with ("" = it fetches a fresh one).
Log invalid_nonce_log(const std::string& sends) {
  Log l;
  l.add(Endpoint::kDirectory, "GET", 0.0);
  l.add(Endpoint::kNewNonce, "HEAD", 0.1);
  auto& acct = l.post(Endpoint::kNewAccount, 0.2, {{"termsOfServiceAgreed", true}});
  acct.status = 201;
  acct.replay_nonce = kBadValue;
  acct.fault_injected = true;
  if (!sends.empty()) {
    auto& refused = l.post(Endpoint::kNewOrder, 0.3, {{"identifiers", json::array()}});
    refused.nonce = sends;
    refused.status = 400;
    refused.problem_type = "badNonce";
  } else {
    l.add(Endpoint::kNewNonce, "HEAD", 0.3);
  }
  l.post(Endpoint::kNewOrder, 0.4, {{"identifiers", json::array()}}).status = 201;
  l.post_as_get(Endpoint::kAuthorization, 0.5).resource_status = "valid";
  l.post(Endpoint::kFinalize, 0.6, {{"csr", "..."}}).resource_status = "valid";
  l.post_as_get(Endpoint::kCertificate, 0.7);
  return l;
}

// A three-name issuance; `invalid_authz` makes the second authorization go invalid.
Log reordered_log(bool invalid_authz) {
  Log l;
  l.run.identifiers = {"a.acmespec.test", "www.a.acmespec.test", "api.a.acmespec.test"};
  l.add(Endpoint::kNewNonce, "HEAD", 0.1);
  l.post(Endpoint::kNewAccount, 0.2, {{"termsOfServiceAgreed", true}}).status = 201;
  l.post(Endpoint::kNewOrder, 0.3, {{"identifiers", json::array()}}).status = 201;
  for (int i = 0; i < 3; ++i) {
    l.post_as_get(Endpoint::kAuthorization, 0.4 + i * 0.1).resource_status = "pending";
    l.post(Endpoint::kChallenge, 0.45 + i * 0.1).resource_status = "processing";
    l.post_as_get(Endpoint::kAuthorization, 1.5 + i * 0.1).resource_status = invalid_authz && i == 1 ? "invalid" : "valid";
  }
  if (invalid_authz) {
    l.run.exit_code = 1;
    return l;
  }
  auto& fin = l.post(Endpoint::kFinalize, 2.0, {{"csr", "..."}});
  fin.csr_names = {"api.a.acmespec.test", "a.acmespec.test", "www.a.acmespec.test"};
  fin.resource_status = "valid";
  l.post_as_get(Endpoint::kCertificate, 2.1);
  return l;
}

}  // namespace

TEST_CASE("fault plan: order_reorder parses, round-trips and refuses other values") {
  auto plan = parse_fault_plan(json::parse(R"({"order_reorder": "mismatch"})"));
  REQUIRE(plan.ok());
  CHECK(plan->order_reorder == "mismatch");
  auto again = parse_fault_plan(to_json(*plan));
  REQUIRE(again.ok());
  CHECK(*again == *plan);
  CHECK(fault_plan_error(json::parse(R"({"order_reorder": "shuffle"})")) ==
        "order_reorder: expected \"reverse\" or \"mismatch\", got \"shuffle\"");
  CHECK(fault_plan_error(json::parse(R"({"order_reorder": true})")) == "order_reorder: expected a string");
}

TEST_CASE("client no order sort assumption: pass when every authorization validated and the CSR names the order") {
  auto j = fixture::judge(kReorder, reordered_log(false).run);
  CHECK(j.kind == Judgement::held);
  CHECK(j.message.find("answered 3 challenges") != std::string::npos);
}

TEST_CASE("client no order sort assumption: fail on an invalid authorization, a wrong CSR or giving up") {
  auto j = fixture::judge(kReorder, reordered_log(true).run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.evidence == std::vector<std::string>{"obs-9"});
  auto l = reordered_log(false);
  l.run.observations[l.run.observations.size() - 2].csr_names = {"a.acmespec.test", "www.a.acmespec.test"};
  j = fixture::judge(kReorder, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("not the 3 names") != std::string::npos);
  l = reordered_log(false);
  l.run.observations.resize(l.run.observations.size() - 2);  // no finalize, no download
  l.run.exit_code = 1;
  j = fixture::judge(kReorder, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("exited with status 1 without downloading a certificate") != std::string::npos);
}

TEST_CASE("client no order sort assumption: skip for one name; unfit without the knob or with one name") {
  CHECK(fixture::judge(kReorder, Log::happy().run).kind == Judgement::not_applicable);
  const auto* def = acmespec::clientmode::find_client_check(kReorder);
  REQUIRE(def != nullptr);
  REQUIRE(def->unfit);
  acmespec::clientmode::ClientScenario sc;
  sc.identifiers = {"{domain}", "www.{domain}"};
  CHECK(def->unfit(sc).has_value());
  sc.faults.order_reorder = "reverse";
  CHECK_FALSE(def->unfit(sc).has_value());
  sc.identifiers = {"{domain}"};
  CHECK(def->unfit(sc).has_value());
}

TEST_CASE("fault plan: invalid_nonce parses, round-trips and refuses bad values") {
  auto plan = parse_fault_plan(json::parse(R"({"invalid_nonce": {"endpoint": "newAccount", "nth": [1, 3]}})"));
  REQUIRE(plan.ok());
  REQUIRE(plan->invalid_nonce.has_value());
  CHECK(plan->invalid_nonce->endpoint == Endpoint::kNewAccount);
  CHECK(plan->invalid_nonce->nth == std::vector<int>{1, 3});
  auto again = parse_fault_plan(to_json(*plan));
  REQUIRE(again.ok());
  CHECK(*again == *plan);
  CHECK(fault_plan_error(json::parse(R"({"invalid_nonce": true})")).rfind("invalid_nonce: expected an object", 0) == 0);
  CHECK(fault_plan_error(json::parse(R"({"invalid_nonce": {"endpoint": "newAccount"}})")).rfind("invalid_nonce.nth: required", 0) == 0);
  CHECK(fault_plan_error(json::parse(R"({"invalid_nonce": {"nth": [0]}})")).rfind("invalid_nonce.nth[0]:", 0) == 0);
  CHECK(fault_plan_error(json::parse(R"({"invalid_nonce": {"nth": [1], "endpoint": "nonce"}})"))
            .rfind("invalid_nonce.endpoint: unknown endpoint", 0) == 0);
  CHECK(fault_plan_error(json::parse(R"({"invalid_nonce": {"nth": [1], "value": "x"}})")).rfind("invalid_nonce.value: unknown member", 0) == 0);
}

TEST_CASE("invalid nonce value and the base64url test") {
  const auto v = acmespec::mockca::invalid_nonce_value("ABCDEFGHIJKLMNOP");
  CHECK(v == "ABCDEFGH+IJKL/MNOP==");
  // What the check treats as a valid Replay-Nonce: non-empty base64url.
  auto is_base64url_text = [](const std::string& t) { return !t.empty() && acmespec::jose::is_base64url_alphabet(t); };
  CHECK_FALSE(is_base64url_text(v));
  CHECK(is_base64url_text("abc-_09XYZ"));
  CHECK_FALSE(is_base64url_text(""));
  CHECK_FALSE(is_base64url_text("ab c"));
}

TEST_CASE("client ignores invalid nonce: pass when it fetched a fresh one and completed") {
  auto l = invalid_nonce_log("");
  auto j = fixture::judge(kInvalidNonce, l.run);
  CHECK(j.kind == Judgement::held);
  CHECK(j.evidence == std::vector<std::string>{"obs-3"});
}

TEST_CASE("client ignores invalid nonce: fail when a later JWS carries the exact value") {
  auto l = invalid_nonce_log(kBadValue);
  auto j = fixture::judge(kInvalidNonce, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find(kBadValue + "\" as its nonce") != std::string::npos);
  CHECK(j.evidence == std::vector<std::string>{"obs-4"});
}

TEST_CASE("client ignores invalid nonce: fail when a later JWS carries the value decoded and re-encoded as base64url") {
  // The last character's low bits do not fit a whole byte and come back as zero.
  auto l = invalid_nonce_log("abcdEFGH-ijkl_mnog");
  auto j = fixture::judge(kInvalidNonce, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("re-encoded as \"abcdEFGH-ijkl_mnog\"") != std::string::npos);
  // Another unknown nonce is not this check's business.
  l = invalid_nonce_log("abcdEFGHijklmnop");
  CHECK(fixture::judge(kInvalidNonce, l.run).kind == Judgement::held);
}

TEST_CASE("client ignores invalid nonce: fail when the client gave up instead of ignoring it") {
  Log l;
  l.add(Endpoint::kNewNonce, "HEAD", 0.1);
  auto& acct = l.post(Endpoint::kNewAccount, 0.2, {{"termsOfServiceAgreed", true}});
  acct.replay_nonce = kBadValue;
  l.run.exit_code = 1;
  auto j = fixture::judge(kInvalidNonce, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("exited with status 1") != std::string::npos);
}

TEST_CASE("client ignores invalid nonce: skip when every nonce was valid; unfit without the knob") {
  CHECK(fixture::judge(kInvalidNonce, Log::happy().run).kind == Judgement::not_applicable);
  const auto* def = acmespec::clientmode::find_client_check(kInvalidNonce);
  REQUIRE(def != nullptr);
  REQUIRE(def->unfit);
  acmespec::clientmode::ClientScenario sc;
  CHECK(def->unfit(sc).has_value());
  sc.faults.invalid_nonce = acmespec::mockca::InvalidNonceFault{std::nullopt, {1}};
  CHECK_FALSE(def->unfit(sc).has_value());
}

namespace {

Log extra_pem_log(int exit_code, std::vector<std::string> saved) {
  Log l = Log::happy();
  l.run.faults.certificate_extra_pem = "ec-parameters";
  l.run.exit_code = exit_code;
  l.run.saved_extra_pem = std::move(saved);
  return l;
}

}  // namespace

TEST_CASE("fault plan: certificate_extra_pem parses, round-trips and refuses other values") {
  auto plan = parse_fault_plan(json::parse(R"({"certificate_extra_pem": "ec-parameters"})"));
  REQUIRE(plan.ok());
  CHECK(plan->certificate_extra_pem == "ec-parameters");
  auto again = parse_fault_plan(to_json(*plan));
  REQUIRE(again.ok());
  CHECK(*again == *plan);
  CHECK(fault_plan_error(json::parse(R"({"certificate_extra_pem": "private-key"})")) ==
        "certificate_extra_pem: expected \"ec-parameters\", got \"private-key\"");
  CHECK(fault_plan_error(json::parse(R"({"certificate_extra_pem": 1})")) == "certificate_extra_pem: expected a string");
  CHECK(acmespec::mockca::certificate_extra_pem_block("ec-parameters").rfind("-----BEGIN EC PARAMETERS-----\n", 0) == 0);
  CHECK(acmespec::mockca::certificate_extra_pem_block("").empty());
}

TEST_CASE("client rejects non-certificate PEM: fail when it exits 0 having saved the block") {
  auto j = fixture::judge(kExtraPem, extra_pem_log(0, {"lego/certificates/a.crt"}).run);
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("extra EC PARAMETERS block, yet the client exited with status 0 and saved it in lego/certificates/a.crt") !=
        std::string::npos);
  auto killed = extra_pem_log(0, {});
  killed.run.exit_code.reset();
  killed.run.timed_out = true;
  CHECK(fixture::judge(kExtraPem, killed.run).kind == Judgement::violated);
}

TEST_CASE("client rejects non-certificate PEM: pass on a non-zero exit or when no saved PEM file holds the block") {
  auto j = fixture::judge(kExtraPem, extra_pem_log(1, {}).run);
  CHECK(j.kind == Judgement::held);
  CHECK(j.message.find("refused it: it exited with status 1") != std::string::npos);
  j = fixture::judge(kExtraPem, extra_pem_log(0, {}).run);
  CHECK(j.kind == Judgement::held);
  CHECK(j.message.find("no PEM file it saved holds that block") != std::string::npos);
}

TEST_CASE("client rejects non-certificate PEM: skip without the fault or a download; unfit without the knob") {
  CHECK(fixture::judge(kExtraPem, Log::happy().run).kind == Judgement::not_applicable);
  auto l = extra_pem_log(1, {});
  l.run.observations.pop_back();  // no certificate download
  CHECK(fixture::judge(kExtraPem, l.run).kind == Judgement::not_applicable);
  const auto* def = acmespec::clientmode::find_client_check(kExtraPem);
  REQUIRE(def != nullptr);
  REQUIRE(def->unfit);
  acmespec::clientmode::ClientScenario sc;
  CHECK(def->unfit(sc).has_value());
  sc.faults.certificate_extra_pem = "ec-parameters";
  CHECK_FALSE(def->unfit(sc).has_value());
}

TEST_CASE("pem_files_containing finds PEM files holding the text, not logs quoting it") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("acmespec-pemscan-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "certs" / "deep");
  const std::string marker = "-----BEGIN EC PARAMETERS-----";
  std::ofstream(dir / "certs" / "deep" / "a.crt") << "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" << marker << "\n";
  std::ofstream(dir / "certs" / "clean.pem") << "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
  std::ofstream(dir / "client.log") << "received body: " << marker << "\n";
  std::ofstream(dir / "b.pem") << "\n\n" << marker << "\n";
  auto found = acmespec::clientmode::pem_files_containing(dir.string(), marker);
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<std::string>{"b.pem", "certs/deep/a.crt"});
  CHECK(acmespec::clientmode::pem_files_containing((dir / "missing").string(), marker).empty());
  fs::remove_all(dir);
}
