#include <catch2/catch.hpp>

#include <set>

#include "acme/problem.hpp"
#include "common/json.hpp"

using namespace acmespec::acme;
using nlohmann::json;

TEST_CASE("problem: RFC 8555 §6.7.1 compound example", "[problem]") {
  const char* body = R"({
    "type": "urn:ietf:params:acme:error:malformed",
    "detail": "Some of the identifiers requested were rejected",
    "subproblems": [
      {
        "type": "urn:ietf:params:acme:error:malformed",
        "detail": "Invalid underscore in DNS name \"_example.org\"",
        "identifier": {"type": "dns", "value": "_example.org"}
      },
      {
        "type": "urn:ietf:params:acme:error:rejectedIdentifier",
        "detail": "This CA will not issue for \"example.net\"",
        "identifier": {"type": "dns", "value": "example.net"}
      }
    ]
  })";
  auto j = acmespec::parse_json(body);
  REQUIRE(j.ok());
  auto p = Problem::parse(*j);
  REQUIRE(p.ok());
  CHECK(p->is("malformed"));
  CHECK_FALSE(p->status.has_value());
  REQUIRE(p->subproblems.size() == 2);
  CHECK(p->subproblems[0].identifier == Identifier::dns("_example.org"));
  CHECK(is_acme_error(p->subproblems[1].type.value(), "rejectedIdentifier"));
  CHECK(p->raw == *j);
  CHECK(p->to_json() == *j);
  CHECK(Problem::parse(p->to_json()).value() == *p);
}

TEST_CASE("problem: members, defaults and unknown members", "[problem]") {
  json j = {{"type", "urn:ietf:params:acme:error:badNonce"},
            {"title", "Bad nonce"},
            {"status", 400},
            {"detail", "JWS has an invalid anti-replay nonce"},
            {"instance", "https://example.com/doc/badNonce"},
            {"algorithms", {"ES256", "RS256"}}};
  auto p = Problem::parse(j);
  REQUIRE(p.ok());
  CHECK(p->is("badNonce"));
  CHECK(p->status == 400);
  CHECK(p->title == "Bad nonce");
  CHECK(p->instance == "https://example.com/doc/badNonce");
  CHECK(p->extra == json{{"algorithms", {"ES256", "RS256"}}});
  CHECK(p->to_json() == j);

  auto blank = Problem::parse(json::object());
  REQUIRE(blank.ok());
  CHECK_FALSE(blank->type.has_value());
  CHECK(blank->effective_type() == "about:blank");
  CHECK(blank->to_json() == json::object());
}

TEST_CASE("problem: type errors carry paths", "[problem]") {
  struct Case {
    json input;
    const char* path;
    const char* reason;
  };
  const Case cases[] = {
      {json("oops"), "problem", "not an object"},
      {json{{"type", 7}}, "problem.type", "not a string"},
      {json{{"status", "400"}}, "problem.status", "not an integer"},
      {json{{"status", 400.5}}, "problem.status", "not an integer"},
      {json{{"status", 99}}, "problem.status", "not an HTTP status code"},
      {json{{"status", 600}}, "problem.status", "not an HTTP status code"},
      {json{{"detail", false}}, "problem.detail", "not a string"},
      {json{{"subproblems", json::object()}}, "problem.subproblems", "not an array"},
      {json::parse(R"({"subproblems": [{}, 3]})"), "problem.subproblems[1]", "not an object"},
      {json::parse(R"({"subproblems": [{"identifier": {"type": "dns"}}]})"),
       "problem.subproblems[0].identifier.value", "missing required member"},
      {json::parse(R"({"subproblems": [{}, {"detail": 1}]})"), "problem.subproblems[1].detail", "not a string"},
  };
  for (const auto& c : cases) {
    INFO(c.input.dump());
    auto r = Problem::parse(c.input);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().path == c.path);
    CHECK(r.error().reason == c.reason);
  }
}

TEST_CASE("problem: the §6.7 error table and constructors", "[problem]") {
  const char* names[] = {"accountDoesNotExist", "alreadyRevoked",        "badCSR",
                         "badNonce",            "badPublicKey",          "badRevocationReason",
                         "badSignatureAlgorithm", "caa",                 "compound",
                         "connection",          "dns",                   "externalAccountRequired",
                         "incorrectResponse",   "invalidContact",        "malformed",
                         "orderNotReady",       "rateLimited",           "rejectedIdentifier",
                         "serverInternal",      "tls",                   "unauthorized",
                         "unsupportedContact",  "unsupportedIdentifier", "userActionRequired"};
  std::set<std::string_view> seen;
  for (const char* n : names) {
    INFO(n);
    const auto* e = error::find_error_type(n);
    REQUIRE(e != nullptr);
    CHECK(e->urn == std::string(error::kPrefix) + n);
    CHECK(error::find_error_type(e->urn) == e);
    seen.insert(e->urn);
    const Problem p = Problem::acme(n, "d");
    CHECK(p.is(n));
    CHECK(p.status == e->http_status);
    CHECK(p.detail == "d");
  }
  CHECK(seen.size() == error::error_types().size());

  CHECK(Problem::bad_nonce("x").type == std::string(error::kBadNonce));
  CHECK(Problem::bad_nonce("x").status == 400);
  CHECK(Problem::rate_limited("x").status == 429);
  CHECK(Problem::server_internal("x").status == 500);
  CHECK(Problem::order_not_ready("x").status == 403);
  CHECK(Problem::user_action_required("x").is("userActionRequired"));
  CHECK(Problem::bad_csr("x").type == std::string(error::kBadCSR));
  CHECK(Problem::unsupported_identifier("x").is("unsupportedIdentifier"));

  CHECK(is_acme_error(error::kBadNonce, "badNonce"));
  CHECK_FALSE(is_acme_error(error::kBadNonce, "badnonce"));
  CHECK_FALSE(is_acme_error("urn:ietf:params:acme:error:badNonceX", "badNonce"));
  CHECK_FALSE(is_acme_error("badNonce", "badNonce"));
  CHECK_FALSE(is_acme_error("urn:ietf:params:acme:error:", ""));
  CHECK(has_acme_error_prefix("urn:ietf:params:acme:error:invalidProfile"));
  CHECK(error::find_error_type("invalidProfile") == nullptr);

  const Problem unlisted = Problem::acme("invalidProfile", "no such profile");
  CHECK(unlisted.type == "urn:ietf:params:acme:error:invalidProfile");
  CHECK(unlisted.status == 400);
}

TEST_CASE("problem: compound constructor", "[problem]") {
  Subproblem a;
  a.type = std::string(error::kCaa);
  a.identifier = Identifier::dns("a.example");
  Subproblem b = a;
  b.identifier = Identifier::dns("b.example");
  const Problem same = Problem::compound("two CAA failures", {a, b});
  CHECK(same.is("compound"));
  CHECK(same.status == 403);
  CHECK(same.subproblems.size() == 2);
  CHECK(Problem::parse(same.to_json()).value() == same);

  Subproblem c;
  c.type = std::string(error::kRateLimited);
  CHECK(Problem::compound("mixed", {a, c}).status == 400);
}
