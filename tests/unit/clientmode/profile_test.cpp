#include <catch2/catch.hpp>

#include "clientmode/profile.hpp"
#include "engine/catalogue.hpp"

using namespace acmespec::clientmode;
using nlohmann::json;

TEST_CASE("profiles: the shipped profiles load and cite catalogued checks") {
  auto cat = acmespec::engine::load_catalogue(std::string(ACMESPEC_SOURCE_DIR) + "/scenarios/requirements.json");
  REQUIRE(cat.ok());
  for (const char* name : {"lego", "certbot"}) {
    auto p = load_profile(std::string(ACMESPEC_SOURCE_DIR) + "/profiles/" + name + ".json");
    INFO(name << ": " << (p.ok() ? std::string() : p.error().to_string()));
    REQUIRE(p.ok());
    CHECK(p->name == name);
    CHECK(p->challenge_args.count("http-01") == 1);
    for (const auto& f : p->expected_findings) CHECK(cat->find(f.check) != nullptr);
    for (const auto& [id, reason] : p->disabled_checks) CHECK(cat->find(id) != nullptr);
  }
}

TEST_CASE("profiles: findings match by scenario or wildcard; mistakes name the path") {
  auto p = parse_profile(json::parse(R"({"name": "x", "client": "x 1", "command": ["x", "{domain_args}"],
      "expected_findings": [{"scenario": "*", "check": "A", "reason": "r1"}, {"scenario": "s", "check": "B", "reason": "r2"}]})"),
                         "/p/x.json");
  REQUIRE(p.ok());
  CHECK(p->dir == "/p");
  REQUIRE(p->finding("any", "A") != nullptr);
  CHECK(p->finding("s", "B")->reason == "r2");
  CHECK(p->finding("t", "B") == nullptr);
  auto bad = [](const char* text) {
    auto r = parse_profile(json::parse(text), "x.json");
    REQUIRE_FALSE(r.ok());
    return r.error().to_string();
  };
  CHECK(bad(R"({"name": "x", "client": "x", "command": []})") == "x.json: command: must not be empty");
  CHECK(bad(R"({"name": "x", "client": "x", "command": ["x"], "challenge_args": {"http-02": []}})").rfind("x.json: challenge_args.http-02", 0) == 0);
  CHECK(bad(R"({"name": "x", "client": "x", "command": ["x"], "expected_findings": [{"check": "A", "reason": "r"}]})") ==
        "x.json: expected_findings[0].scenario: required: a non-empty string");
  CHECK(bad(R"({"name": "x", "client": "x", "command": ["x"], "timeout": 0})") == "x.json: timeout: expected seconds from 1 to 3600");
}
