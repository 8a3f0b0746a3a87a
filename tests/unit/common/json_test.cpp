#include <catch2/catch.hpp>

#include <string>

#include "common/json.hpp"
#include "common/result.hpp"

using acmespec::JsonLimits;
using acmespec::parse_json;

TEST_CASE("parse_json accepts ordinary documents", "[json]") {
  auto r = parse_json(R"({"a": [1, 2, {"b": null}], "c": "x", "d": 1.5, "e": true})");
  REQUIRE(r.ok());
  CHECK(r->at("a").size() == 3);
  CHECK(r->at("a")[2].at("b").is_null());
  CHECK(r->at("c") == "x");
  CHECK(r->at("d") == 1.5);
}

TEST_CASE("parse_json rejects duplicate member names at any depth", "[json]") {
  auto top = parse_json(R"({"alg": "ES256", "alg": "none"})");
  REQUIRE_FALSE(top.ok());
  CHECK(top.error().reason.find("duplicate member name \"alg\"") != std::string::npos);

  auto nested = parse_json(R"({"jwk": {"kty": "EC", "kty": "RSA"}})");
  REQUIRE_FALSE(nested.ok());

  // The same name in sibling objects is not a duplicate.
  CHECK(parse_json(R"([{"a": 1}, {"a": 2}])").ok());

  JsonLimits lenient;
  lenient.reject_duplicate_keys = false;
  CHECK(parse_json(R"({"a": 1, "a": 2})", lenient).ok());
}

TEST_CASE("parse_json bounds nesting depth and size", "[json]") {
  std::string deep(100000, '[');
  auto r = parse_json(deep);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().reason.find("nested deeper than 64") != std::string::npos);

  JsonLimits limits;
  limits.max_depth = 3;
  CHECK(parse_json("[[[1]]]", limits).ok());
  CHECK_FALSE(parse_json("[[[[1]]]]", limits).ok());
  CHECK_FALSE(parse_json(R"({"a":{"b":{"c":{}}}})", limits).ok());

  limits = JsonLimits{};
  limits.max_bytes = 10;
  auto big = parse_json(R"({"aaaa": "bbbbbb"})", limits);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().reason.find("exceeds the limit") != std::string::npos);
}

TEST_CASE("parse_json reports where invalid input breaks", "[json]") {
  auto r = parse_json(R"({"a": tru})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().reason.rfind("invalid JSON at byte", 0) == 0);
  CHECK_FALSE(parse_json("").ok());
  CHECK_FALSE(parse_json("{} {}").ok());
  CHECK_FALSE(parse_json("\"\xff\"").ok());
}

TEST_CASE("Error paths nest", "[result]") {
  acmespec::Error e{"authorizations[2]", "not a string"};
  CHECK(e.nested("order").to_string() == "order.authorizations[2]: not a string");
  acmespec::Error idx{"[0]", "bad"};
  CHECK(idx.nested("order.identifiers").path == "order.identifiers[0]");
  CHECK(acmespec::Error{"", "x"}.nested("p").path == "p");
  acmespec::Result<int> fail = acmespec::make_error("p", "why");
  CHECK_FALSE(fail.ok());
  acmespec::Result<int> good = 3;
  CHECK(*good == 3);
}
