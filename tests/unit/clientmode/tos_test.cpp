// The terms-of-service opt-in: the profile's tos_args, the scenario's
// tos_opt_in, and RFC8555-7.3-client-no-automatic-tos-agreement over
// constructed runs.
#include <catch2/catch.hpp>

#include "clientmode/profile.hpp"
#include "clientmode/scenario.hpp"
#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;
namespace cm = acmespec::clientmode;

namespace {

const std::string kTosCheck = "RFC8555-7.3-client-no-automatic-tos-agreement";

nlohmann::json tos_doc() {
  return {{"id", "t-tos"},          {"title", "T"},        {"suites", {"x"}},          {"challenge", "http-01"},
          {"identifiers", {"{domain}"}}, {"expect", {kTosCheck}}, {"client_should", "fail"}, {"tos_opt_in", false}};
}

}  // namespace

TEST_CASE("tos: profiles carry their opt-in as tos_args, spliced by {tos_args}") {
  for (const char* name : {"lego", "certbot"}) {
    auto p = cm::load_profile(std::string(ACMESPEC_SOURCE_DIR) + "/profiles/" + name + ".json");
    REQUIRE(p.ok());
    INFO(name);
    CHECK(p->tos_args.size() == 1);
    CHECK(std::find(p->command.begin(), p->command.end(), "{tos_args}") != p->command.end());
    // The opt-in appears nowhere else in the command line, or withholding it would change nothing.
    CHECK(std::find(p->command.begin(), p->command.end(), p->tos_args.front()) == p->command.end());
  }
  auto bad = cm::parse_profile(nlohmann::json::parse(R"({"name": "x", "client": "x", "command": ["x"], "tos_args": "--yes"})"),
                               "x.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().to_string().rfind("x.json: tos_args", 0) == 0);
}

TEST_CASE("tos: the scenario member is a boolean and the check needs it false") {
  CHECK(cm::parse_client_scenario(tos_doc(), "c.json", fixture::catalogue()).ok());
  auto doc = tos_doc();
  doc["tos_opt_in"] = "no";
  auto typed = cm::parse_client_scenario(doc, "c.json", fixture::catalogue());
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.error().to_string() == "c.json: tos_opt_in: expected true or false");
  doc.erase("tos_opt_in");
  auto kept = cm::parse_client_scenario(doc, "c.json", fixture::catalogue());
  REQUIRE_FALSE(kept.ok());
  CHECK(kept.error().to_string().find("set tos_opt_in to false") != std::string::npos);
}

TEST_CASE("tos: agreeing without the opt-in fails, not agreeing passes, keeping the opt-in skips") {
  Log agreed;
  agreed.run.tos_withheld = true;
  agreed.post(Endpoint::kNewAccount, 0.1, {{"termsOfServiceAgreed", true}}).status = 201;
  const auto fail = judge(kTosCheck, agreed.run);
  CHECK(fail.kind == Judgement::violated);
  CHECK(fail.message.find("termsOfServiceAgreed: true") != std::string::npos);
  CHECK(fail.evidence.size() == 1);

  // Agreeing later through an account update is the same decision.
  Log updated;
  updated.run.tos_withheld = true;
  updated.post(Endpoint::kNewAccount, 0.1, {{"contact", {"mailto:a@b.test"}}}).status = 400;
  updated.post(Endpoint::kAccount, 0.2, {{"termsOfServiceAgreed", true}}).status = 200;
  CHECK(judge(kTosCheck, updated.run).kind == Judgement::violated);

  Log declined;
  declined.run.tos_withheld = true;
  declined.post(Endpoint::kNewAccount, 0.1, {{"termsOfServiceAgreed", false}}).status = 400;
  const auto pass = judge(kTosCheck, declined.run);
  CHECK(pass.kind == Judgement::held);
  CHECK(pass.message.find("1 account request") != std::string::npos);

  Log silent;
  silent.run.tos_withheld = true;
  CHECK(judge(kTosCheck, silent.run).kind == Judgement::held);

  // With the opt-in on the command line, true is the user's own decision.
  agreed.run.tos_withheld = false;
  CHECK(judge(kTosCheck, agreed.run).kind == Judgement::not_applicable);
}
