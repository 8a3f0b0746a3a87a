#include <catch2/catch.hpp>

#include "engine/variables.hpp"

using namespace acmespec::engine;
using nlohmann::json;

TEST_CASE("interpolate replaces whole references by value and inner ones by text", "[variables]") {
  Variables vars{{"order", "https://ca/order/1"}, {"ids", json::array({"a", "b"})}, {"n", 3}};
  auto r = interpolate(json{{"url", "${order}"}, {"list", "${ids}"}, {"text", "n=${n}; o=${order}"},
                            {"nested", {{"x", json::array({"${n}"})}}}, {"plain", 7}},
                       vars, "args");
  REQUIRE(r.ok());
  CHECK((*r)["url"] == "https://ca/order/1");
  CHECK((*r)["list"] == json::array({"a", "b"}));
  CHECK((*r)["text"] == "n=3; o=https://ca/order/1");
  CHECK((*r)["nested"]["x"][0] == 3);
  CHECK((*r)["plain"] == 7);
}

TEST_CASE("interpolate names the path of an unknown variable", "[variables]") {
  auto r = interpolate(json{{"identifiers", json::array({json{{"value", "${domain}"}}})}}, {}, "args");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().to_string() == "args.identifiers[0].value: unknown variable ${domain}");
  auto open = interpolate(json("x ${oops"), {}, "args");
  REQUIRE_FALSE(open.ok());
  CHECK(open.error().reason.find("unterminated") != std::string::npos);
}

TEST_CASE("extract follows members and indexes", "[variables]") {
  json result = {{"status", 201},
                 {"headers", {{"location", "https://ca/acct/1"}}},
                 {"body", {{"authorizations", {"https://ca/authz/1", "https://ca/authz/2"}}}}};
  CHECK(*extract(result, "headers.location") == "https://ca/acct/1");
  CHECK(*extract(result, "body.authorizations[1]") == "https://ca/authz/2");
  CHECK(*extract(result, "status") == 201);
  auto missing = extract(result, "body.finalize");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().to_string() == "body.finalize: not present");
  CHECK_FALSE(extract(result, "body.authorizations[2]").ok());
  CHECK_FALSE(extract(result, "body.authorizations[x]").ok());
  CHECK_FALSE(extract(result, "status.code").ok());
}
