// The hostile-CA suite: its fault knobs, its checks on constructed runs, the
// webroot site watch and server, and the load-time refusals.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "clientmode/client_mode.hpp"
#include "clientmode/decoy.hpp"
#include "clientmode/scenario.hpp"
#include "clientmode/site.hpp"
#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;
using nlohmann::json;
namespace fs = std::filesystem;
namespace cm = acmespec::clientmode;

namespace {

fs::path hostile_tmp(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("acmespec-hostile-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void hostile_write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

}  // namespace

TEST_CASE("hostile fault knobs: parse, round-trip and refuse bad values") {
  auto plan = acmespec::mockca::parse_fault_plan(
      json{{"challenge_token", "../../../canary/x"}, {"certificate_mismatch", "names"}});
  REQUIRE(plan.ok());
  CHECK(*plan->challenge_token == "../../../canary/x");
  CHECK(plan->certificate_mismatch == "names");
  CHECK(acmespec::mockca::to_json(*plan) == json{{"challenge_token", "../../../canary/x"}, {"certificate_mismatch", "names"}});
  auto bad_kind = acmespec::mockca::parse_fault_plan(json{{"certificate_mismatch", "serial"}});
  REQUIRE_FALSE(bad_kind.ok());
  CHECK_THAT(bad_kind.error().to_string(), Catch::Contains("certificate_mismatch") && Catch::Contains("\"key\" or \"names\""));
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"challenge_token", ""}}).ok());
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"challenge_token", 5}}).ok());
}

TEST_CASE("hostile checks: token-confined passes inside the challenge folder and names an escape") {
  const char* id = "RFC8555-8.3-client-token-confined";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
  l.run.webroot = true;
  l.run.site_changes = {"webroot/.well-known/acme-challenge/abc", "webroot/.well-known/acme-challenge/sub/x"};
  CHECK(judge(id, l.run).kind == Judgement::held);
  l.run.site_changes.push_back("canary/acmespec-token-escape");
  l.run.faults.challenge_token = "../../../canary/acmespec-token-escape";
  auto j = judge(id, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("canary/acmespec-token-escape"));
}

TEST_CASE("hostile checks: a malformed token must not be answered") {
  const char* id = "RFC8555-8.3-client-checks-challenge-token";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
  l.run.faults.challenge_token = "a/b";
  auto answered = judge(id, l.run);
  CHECK(answered.kind == Judgement::violated);
  CHECK(answered.evidence == std::vector<std::string>{"obs-6"});
  Log refused;
  refused.add(Endpoint::kDirectory, "GET", 0.0);
  refused.post(Endpoint::kNewOrder, 0.1).status = 201;
  refused.post_as_get(Endpoint::kAuthorization, 0.2);
  refused.run.exit_code = 1;
  refused.run.faults.challenge_token = "a/b";
  CHECK(judge(id, refused.run).kind == Judgement::held);
  refused.run.webroot = true;
  CHECK(judge(id, refused.run).kind == Judgement::held);
  refused.run.site_changes = {"webroot/.well-known/acme-challenge/a"};  // wrote it without answering
  auto wrote = judge(id, refused.run);
  CHECK(wrote.kind == Judgement::violated);
  CHECK_THAT(wrote.message, Catch::Contains("webroot/.well-known/acme-challenge/a"));
}

TEST_CASE("hostile checks: canary files prove execution of server text") {
  const char* id = "RFC8555-6.7-client-no-command-from-server-text";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::held);
  l.run.canaries = {"acmespec-canary-detail"};
  auto j = judge(id, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("acmespec-canary-detail"));
}

TEST_CASE("hostile checks: raw escape sequences in the output warn") {
  const char* id = "RFC8555-6.7-client-filters-terminal-escapes";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
  acmespec::mockca::ErrorFault f;
  f.type = "malformed";
  f.detail = "bad \x1b]0;acmespec-title\x07 text";
  l.run.faults.errors.push_back(f);
  l.run.output = "Error: bad ]0;acmespec-title text (escaped)";
  CHECK(judge(id, l.run).kind == Judgement::held);
  l.run.output = "Error: bad \x1b]0;acmespec-title\x07 text";
  auto j = judge(id, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("\\x1b]0;ac"));
}

TEST_CASE("hostile checks: a mismatched certificate must not end in success") {
  const char* id = "RFC8555-7.4.2-client-verifies-issued-certificate";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
  l.run.faults.certificate_mismatch = "key";
  CHECK(judge(id, l.run).kind == Judgement::violated);  // exit 0 after downloading it
  l.run.exit_code = 1;
  CHECK(judge(id, l.run).kind == Judgement::held);
  l.run.observations.pop_back();  // never downloaded
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
}

TEST_CASE("hostile scenarios: checks without an occasion and bad timeouts are refused at load") {
  json doc = {{"id", "h-1"},        {"title", "H"},          {"suites", {"security"}}, {"challenge", "http-01"},
              {"identifiers", {"{domain}"}}, {"client_should", "fail"},
              {"expect", {"RFC8555-8.3-client-token-confined"}}};
  auto r = cm::parse_client_scenario(doc, "h.json", fixture::catalogue());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().to_string(), Catch::Contains("h.json: expect[0]") && Catch::Contains("webroot"));
  doc["challenge"] = "http-01-webroot";
  CHECK(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  for (const char* check : {"RFC8555-8.3-client-checks-challenge-token", "RFC8555-6.7-client-no-command-from-server-text",
                            "RFC8555-7.4-client-gives-up-in-time",
                            "RFC8555-6.7-client-filters-terminal-escapes", "RFC8555-7.4.2-client-verifies-issued-certificate"}) {
    doc["expect"] = {check};
    INFO(check);
    CHECK_FALSE(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  }
  doc["faults"] = {{"challenge_token", "base64url_ok-123"}};
  doc["expect"] = {"RFC8555-8.3-client-checks-challenge-token"};
  CHECK_FALSE(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  doc["faults"] = {{"challenge_token", "a/b"}};
  doc["timeout"] = 25;
  auto ok = cm::parse_client_scenario(doc, "h.json", fixture::catalogue());
  REQUIRE(ok.ok());
  CHECK(ok->timeout_s == 25);
  doc["timeout"] = 0;
  auto bad = cm::parse_client_scenario(doc, "h.json", fixture::catalogue());
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().to_string(), Catch::Contains("h.json: timeout"));
}

TEST_CASE("site watch: records writes inside and outside the challenge folder, even removed ones") {
  const fs::path work = hostile_tmp("watch");
  auto site = cm::make_site(work);
  REQUIRE(site.ok());
  hostile_write(*site / "webroot" / "index.html", "old");
  cm::SiteWatch watch;
  REQUIRE(watch.start(*site).ok());
  hostile_write(*site / "webroot/.well-known/acme-challenge/tok", "ka");
  hostile_write(*site / "canary/deep/escape", "x");
  hostile_write(*site / "transient", "x");
  fs::remove(*site / "transient");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto changes = watch.stop();
  for (const auto& c : changes) UNSCOPED_INFO(c);
  auto has = [&](const std::string& p) { return std::find(changes.begin(), changes.end(), p) != changes.end(); };
  CHECK(has("webroot/.well-known/acme-challenge/tok"));
  CHECK(has("canary/deep/escape"));
  CHECK(has("transient"));
  CHECK_FALSE(has("webroot/index.html"));
  fs::remove_all(work);
}

TEST_CASE("site server: serves the webroot on loopback, nothing outside it") {
  const fs::path work = hostile_tmp("server");
  auto site = cm::make_site(work);
  REQUIRE(site.ok());
  hostile_write(*site / "webroot/.well-known/acme-challenge/tok", "tok.thumb");
  hostile_write(*site / "canary/secret", "secret");
  auto port = cm::free_loopback_port();
  REQUIRE(port.ok());
  {
    auto server = cm::SiteServer::start(*site / "webroot", *port);
    REQUIRE(server.ok());
    httplib::Client c("127.0.0.1", *port);
    c.set_connection_timeout(2, 0);
    auto r = c.Get("/.well-known/acme-challenge/tok");
    for (int i = 0; i < 50 && !r; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      r = c.Get("/.well-known/acme-challenge/tok");
    }
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "tok.thumb");
    auto escape = c.Get("/../canary/secret");
    CHECK((!escape || escape->status != 200));
    auto missing = c.Get("/.well-known/acme-challenge/none");
    CHECK((missing && missing->status == 404));
  }
  fs::remove_all(work);
}

TEST_CASE("hostile checks: giving up within the scenario's bound, with a word why") {
  const char* id = "RFC8555-7.4-client-gives-up-in-time";
  Log l;
  l.add(Endpoint::kDirectory, "GET", 0.0);
  l.run.timeout_s = 20;
  l.run.duration_s = 3.5;
  l.run.exit_code = 1;
  l.run.output = "Error: the directory is too large\n";
  auto ok = judge(id, l.run);
  CHECK(ok.kind == Judgement::held);
  CHECK_THAT(ok.message, Catch::Contains("3.5 s"));
  l.run.output = " \n";
  CHECK(judge(id, l.run).kind == Judgement::violated);  // silent
  l.run.output = "giving up";
  l.run.exit_code = 0;
  CHECK(judge(id, l.run).kind == Judgement::violated);  // success claimed without a certificate
  l.run.exit_code.reset();
  l.run.timed_out = true;
  auto hung = judge(id, l.run);
  CHECK(hung.kind == Judgement::violated);
  CHECK_THAT(hung.message, Catch::Contains("20 s bound"));
  CHECK(judge(id, Log::happy().run).kind == Judgement::held);  // finished issuing in time
}

TEST_CASE("hostile_body knob: parse, render and refuse bad values") {
  auto plan = acmespec::mockca::parse_fault_plan(json{{"hostile_body", {{"endpoint", "directory"}, {"kind", "nested"}, {"size", 3}}}});
  REQUIRE(plan.ok());
  REQUIRE(plan->hostile_body);
  CHECK(acmespec::mockca::render_hostile_body(*plan->hostile_body) == "[[[]]]");
  CHECK(acmespec::mockca::to_json(*plan)["hostile_body"] == json{{"endpoint", "directory"}, {"kind", "nested"}, {"size", 3}});
  acmespec::mockca::HostileBody big{std::nullopt, "oversized", 1000};
  const std::string text = acmespec::mockca::render_hostile_body(big);
  CHECK(text.size() == 1000);
  CHECK(json::parse(text)["padding"].get<std::string>().size() == 1000 - 14);
  for (const json& bad : {json{{"hostile_body", {{"kind", "huge"}, {"size", 10}}}},
                          json{{"hostile_body", {{"kind", "oversized"}, {"size", 100 * 1024 * 1024}}}},
                          json{{"hostile_body", {{"kind", "nested"}}}},
                          json{{"hostile_body", {{"kind", "nested"}, {"size", 5}, {"extra", 1}}}}}) {
    INFO(bad.dump());
    CHECK_FALSE(acmespec::mockca::parse_fault_plan(bad).ok());
  }
}

TEST_CASE("hostile checks: identifiers the CA added are neither validated nor finalized") {
  const char* id = "RFC8555-7.4-client-ignores-unrequested-identifiers";
  Log l = Log::happy();
  CHECK(judge(id, l.run).kind == Judgement::not_applicable);
  l.run.faults.extra_identifiers = {"not-requested.acmespec-hostile.test"};
  l.run.observations[3].status = 201;  // newOrder
  CHECK(judge(id, l.run).kind == Judgement::held);
  Log answered = l;
  answered.post(Endpoint::kChallenge, 0.55, json::object(), "https://127.0.0.1:14000/chall/extra-abc");
  auto a = judge(id, answered.run);
  CHECK(a.kind == Judgement::violated);
  CHECK_THAT(a.message, Catch::Contains("/chall/extra-abc"));
  Log polled = l;
  polled.post_as_get(Endpoint::kChallenge, 0.55, "https://127.0.0.1:14000/chall/extra-abc");  // looking is fine
  CHECK(judge(id, polled.run).kind == Judgement::held);
  l.run.observations[7].csr_names.push_back("not-requested.acmespec-hostile.test");
  auto f = judge(id, l.run);
  CHECK(f.kind == Judgement::violated);
  CHECK_THAT(f.message, Catch::Contains("obs-8"));
  auto plan = acmespec::mockca::parse_fault_plan(json{{"extra_identifiers", {"x.example"}}});
  REQUIRE(plan.ok());
  CHECK(acmespec::mockca::to_json(*plan) == json{{"extra_identifiers", {"x.example"}}});
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"extra_identifiers", {"Bad Name"}}}).ok());
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"extra_identifiers", json::array()}}).ok());
  // hostile_identifiers: any text, judged the same way, shown without its control bytes.
  Log hostile = Log::happy();
  hostile.run.observations[3].status = 201;
  hostile.run.faults.hostile_identifiers = {"\x1b]0;t\x07$(touch x).example"};
  CHECK(judge(id, hostile.run).kind == Judgement::held);
  hostile.run.observations[7].csr_names.push_back(hostile.run.faults.hostile_identifiers[0]);
  auto h = judge(id, hostile.run);
  CHECK(h.kind == Judgement::violated);
  CHECK(h.message.find('\x1b') == std::string::npos);
  auto hp = acmespec::mockca::parse_fault_plan(json{{"hostile_identifiers", {"$(x) `y`"}}});
  REQUIRE(hp.ok());
  CHECK(acmespec::mockca::to_json(*hp) == json{{"hostile_identifiers", {"$(x) `y`"}}});
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"hostile_identifiers", {""}}}).ok());
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"hostile_identifiers", {std::string(1001, 'a')}}}).ok());
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"hostile_identifiers", {"a", "b", "c", "d", "e"}}}).ok());
}

TEST_CASE("hostile_urls knob: RFC 3986 path segments only, round-trip, percent-decoding") {
  namespace mc = acmespec::mockca;
  const json segments = {";$(touch$IFS'acmespec-canary-url')", "%60tick%60", "%1B%5D0;t%07", std::string(4096, 'l')};
  auto plan = mc::parse_fault_plan(json{{"hostile_urls", segments}});
  REQUIRE(plan.ok());
  CHECK(mc::to_json(*plan) == json{{"hostile_urls", segments}});
  CHECK(mc::url_decoration(*plan).rfind("/;$(touch$IFS'acmespec-canary-url')/%60tick%60/", 0) == 0);
  CHECK(mc::url_decoration(mc::FaultPlan{}).empty());
  CHECK(mc::percent_decode("%1B%5d0;t%07%zz%4") == "\x1b]0;t\x07%zz%4");
  const std::vector<std::pair<json, std::string>> bad = {
      {json::array(), "1 to 4"},
      {{"a", "b", "c", "d", "e"}, "1 to 4"},
      {{""}, "empty"},
      {{5}, "expected a string"},
      {{"a b"}, "%20"},
      {{"`x`"}, "%60"},
      {{"a/b"}, "%2F"},
      {{"a\x1b"}, "byte 0x1B"},
      {{"%1"}, "two hex digits"},
      {{std::string(4097, 'l')}, "4096"},
  };
  for (const auto& [value, why] : bad) {
    INFO(value.dump());
    auto r = mc::parse_fault_plan(json{{"hostile_urls", value}});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().to_string(), Catch::Contains("hostile_urls") && Catch::Contains(why));
  }
}

TEST_CASE("hostile checks: payloads in decorated URLs, as sent and decoded") {
  Log l = Log::happy();
  l.run.faults.hostile_urls = {";$(touch$IFS'acmespec-canary-url')", "%60touch$IFS'acmespec-canary-url-tick'%60",
                               "%1B%5D0;acmespec-url-title%07"};
  const char* run_id = "RFC8555-6.7-client-no-command-from-server-text";
  CHECK(judge(run_id, l.run).kind == Judgement::held);
  l.run.canaries = {"acmespec-canary-url-tick"};
  CHECK(judge(run_id, l.run).kind == Judgement::violated);
  // Printing the URL as sent is harmless; printing it decoded lets the escape through.
  const char* esc_id = "RFC8555-6.7-client-filters-terminal-escapes";
  l.run.output = "GET https://ca/order/1/%1B%5D0;acmespec-url-title%07";
  CHECK(judge(esc_id, l.run).kind == Judgement::held);
  l.run.output = "GET https://ca/order/1/\x1b]0;acmespec-url-title\x07";
  auto j = judge(esc_id, l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("\\x1b]0;ac"));
  // Both checks have an occasion in a scenario with these URLs, none without a payload in them.
  json doc = {{"id", "h-url"},       {"title", "H"},         {"suites", {"security"}}, {"challenge", "http-01"},
              {"identifiers", {"{domain}"}}, {"client_should", "succeed"},
              {"faults", {{"hostile_urls", l.run.faults.hostile_urls}}},
              {"expect", {run_id, esc_id, "RFC8555-6.4-client-url-exact-string"}}};
  CHECK(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  doc["faults"] = {{"hostile_urls", {"plain-segment"}}};
  for (const char* check : {run_id, esc_id}) {
    doc["expect"] = {check};
    INFO(check);
    CHECK_FALSE(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  }
}

TEST_CASE("hostile checks: connections to the directory's decoy") {
  Log l = Log::happy();
  CHECK(judge("RFC8555-6.1-client-https-only", l.run).kind == Judgement::not_applicable);
  l.run.faults.directory_decoy = "http";
  CHECK(judge("RFC8555-6.1-client-https-only", l.run).kind == Judgement::held);
  CHECK(judge("RFC8555-7.1.1-client-stays-on-directory-host", l.run).kind == Judgement::not_applicable);
  l.run.decoy_hits = {"127.0.0.1:9: HEAD /nonce HTTP/1.1"};
  auto j = judge("RFC8555-6.1-client-https-only", l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("HEAD /nonce"));
  l.run.faults.directory_decoy = "other-host";
  CHECK(judge("RFC8555-7.1.1-client-stays-on-directory-host", l.run).kind == Judgement::violated);
  CHECK_FALSE(acmespec::mockca::parse_fault_plan(json{{"directory_decoy", "ftp"}}).ok());
}

TEST_CASE("hostile checks: connections to the decoy the authorization URLs point at") {
  Log l = Log::happy();
  l.run.faults.resource_decoy = "http";
  auto j = judge("RFC8555-6.1-client-https-only", l.run);
  CHECK(j.kind == Judgement::held);
  CHECK_THAT(j.message, Catch::Contains("the order's authorization URLs"));
  l.run.decoy_hits = {"127.0.0.1:9: POST /authz/a1 HTTP/1.1"};
  j = judge("RFC8555-6.1-client-https-only", l.run);
  CHECK(j.kind == Judgement::violated);
  CHECK_THAT(j.message, Catch::Contains("followed the order's authorization URLs to a plain-HTTP URL"));
  // Before an order exists the client has not seen the hostile URLs.
  Log early = Log::happy();
  early.run.faults.resource_decoy = "other-host";
  early.run.observations.erase(std::remove_if(early.run.observations.begin(), early.run.observations.end(),
                                              [](const auto& o) { return o.endpoint == Endpoint::kNewOrder; }),
                               early.run.observations.end());
  CHECK(judge("RFC8555-7.1.1-client-stays-on-directory-host", early.run).message == "no order was created");

  json doc = {{"id", "h-rd"},        {"title", "H"},         {"suites", {"security"}}, {"challenge", "http-01"},
              {"identifiers", {"{domain}"}}, {"client_should", "fail"},
              {"faults", {{"resource_decoy", "other-host"}}}, {"expect", {"RFC8555-7.1.1-client-stays-on-directory-host"}}};
  CHECK(cm::parse_client_scenario(doc, "h.json", fixture::catalogue()).ok());
  doc["expect"] = {"RFC8555-6.1-client-https-only"};
  auto unfit = cm::parse_client_scenario(doc, "h.json", fixture::catalogue());
  REQUIRE_FALSE(unfit.ok());
  CHECK(unfit.error().to_string().find("neither directory_decoy nor resource_decoy") != std::string::npos);
}

TEST_CASE("decoy listener: records the first line of each connection") {
  for (const char* host : {"127.0.0.1", "127.0.0.2"}) {
    INFO(host);
    auto decoy = cm::DecoyListener::start(host);
    REQUIRE(decoy.ok());
    httplib::Client c(host, (*decoy)->port());
    c.set_read_timeout(2, 0);
    (void)c.Head("/nonce");
    for (int i = 0; i < 50 && (*decoy)->hits().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto hits = (*decoy)->hits();
    REQUIRE(hits.size() == 1);
    CHECK(hits[0] == std::string(host) + ":" + std::to_string((*decoy)->port()) + ": HEAD /nonce HTTP/1.1");
  }
}
