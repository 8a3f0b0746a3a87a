#include <catch2/catch.hpp>

#include "clientmode/checks.hpp"
#include "clientmode/client_mode.hpp"
#include "clientmode/scenario.hpp"
#include "fixture.hpp"

using namespace acmespec;
using nlohmann::json;

namespace {
using fixture::catalogue;

json valid() {
  return json::parse(R"({"id": "t-1", "title": "T", "suites": ["x"], "challenge": "http-01",
                         "identifiers": ["{domain}", "www.{domain}"],
                         "expect": ["RFC8555-7.4.2-client-completes-issuance"], "client_should": "succeed"})");
}

std::string scenario_error(const json& doc) {
  auto r = clientmode::parse_client_scenario(doc, "f.json", catalogue());
  REQUIRE_FALSE(r.ok());
  return r.error().to_string();
}
}  // namespace

TEST_CASE("client scenarios: the shipped ones load, are at least 20, and cover every client check") {
  auto all = clientmode::load_client_scenarios(std::string(ACMESPEC_SOURCE_DIR) + "/scenarios/client", catalogue());
  INFO((all.ok() ? std::string() : all.error().to_string()));
  REQUIRE(all.ok());
  CHECK(all->size() >= 20);
  for (const auto& def : clientmode::all_client_checks()) {
    bool cited = false;
    for (const auto& sc : *all) cited = cited || std::find(sc.expect.begin(), sc.expect.end(), def.id) != sc.expect.end();
    INFO(def.id);
    CHECK(cited);
  }
  for (const char* challenge : {"http-01", "dns-01", "tls-alpn-01"}) {
    bool happy = false;
    for (const auto& sc : *all) happy = happy || (sc.challenge == challenge && sc.faults == mockca::FaultPlan{});
    INFO(challenge);
    CHECK(happy);
  }
}

TEST_CASE("client scenarios: a valid document parses") {
  auto r = clientmode::parse_client_scenario(valid(), "f.json", catalogue());
  REQUIRE(r.ok());
  CHECK(r->identifiers.size() == 2);
  CHECK(clientmode::expand_identifiers(*r, "a.test") == std::vector<std::string>{"a.test", "www.a.test"});
}

TEST_CASE("client scenarios: mistakes are refused with file, path and reason") {
  auto with = [](const char* key, json value) {
    json d = valid();
    if (value.is_null()) d.erase(key);
    else d[key] = value;
    return d;
  };
  CHECK(scenario_error(with("colour", "red")) == "f.json: colour: unknown member of a client scenario");
  CHECK(scenario_error(with("id", nullptr)) == "f.json: id: required");
  CHECK(scenario_error(with("challenge", "http-02")).rfind("f.json: challenge: expected http-01", 0) == 0);
  CHECK(scenario_error(with("client_should", "maybe")).rfind("f.json: client_should:", 0) == 0);
  CHECK(scenario_error(with("identifiers", json::array())) == "f.json: identifiers: must not be empty");
  CHECK(scenario_error(with("identifiers", {"example.com"})).rfind("f.json: identifiers[0]: expected {domain}", 0) == 0);
  CHECK(scenario_error(with("identifiers", {"*.{domain}"})).find("only be validated with dns-01") != std::string::npos);
  CHECK(scenario_error(with("identifiers", {"{domain}", "{domain}"})) == "f.json: identifiers[1]: named twice");
  CHECK(scenario_error(with("expect", {"RFC8555-0-nothing"})).find("not in the catalogue") != std::string::npos);
  CHECK(scenario_error(with("expect", {"RFC8555-6.5-nonce-on-post-response"})).find("binds the server") != std::string::npos);
  CHECK(scenario_error(with("expect", {"RFC8555-6.5-client-retries-bad-nonce"})).find("injects no badNonce") != std::string::npos);
  CHECK(scenario_error(with("expect", {"RFC8555-6.7-client-fails-visibly"})).find("expects issuance to succeed") != std::string::npos);
  CHECK(scenario_error(with("faults", {{"errors", {{{"type", "badNonce"}, {"status", 302}}}}})) ==
        "f.json: faults.errors[0].status: expected a number from 400 to 599, got 302");
}

TEST_CASE("client scenarios: the engine view is one step citing every check") {
  auto sc = clientmode::parse_client_scenario(valid(), "f.json", catalogue());
  REQUIRE(sc.ok());
  sc->expect.push_back("RFC8555-6.1-client-user-agent");
  const engine::Scenario e = clientmode::as_engine_scenario(*sc);
  CHECK(e.id == "t-1");
  REQUIRE(e.steps.size() == 1);
  CHECK(e.steps[0].index == 1);
  CHECK(e.cited_checks() == sc->expect);
}

TEST_CASE("client scenarios: selection by id and suite") {
  auto all = clientmode::load_client_scenarios(std::string(ACMESPEC_SOURCE_DIR) + "/scenarios/client", catalogue());
  REQUIRE(all.ok());
  CHECK(clientmode::select(*all, {}, {}).size() == all->size());
  auto one = clientmode::select(*all, {"client-happy-http-01"}, {});
  REQUIRE(one.size() == 1);
  CHECK(one[0]->id == "client-happy-http-01");
  for (const auto* sc : clientmode::select(*all, {}, {"happy"}))
    CHECK(std::find(sc->suites.begin(), sc->suites.end(), "happy") != sc->suites.end());
  CHECK(clientmode::select(*all, {"nope"}, {}).empty());
}

TEST_CASE("client mode: free loopback ports are usable") {
  auto a = clientmode::free_loopback_port();
  REQUIRE(a.ok());
  CHECK(*a > 0);
}
