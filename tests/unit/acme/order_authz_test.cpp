// RFC 8555 §7.1.3-§7.1.5 examples, round trips and member-level errors.
#include <catch2/catch.hpp>

#include "acme/acme.hpp"
#include "test_helpers.hpp"

using namespace acmespec::acme;
using namespace acme_test;

namespace {

const char* kOrder = R"({
  "status": "valid",
  "expires": "2016-01-20T14:09:07.99Z",
  "identifiers": [
    { "type": "dns", "value": "www.example.org" },
    { "type": "dns", "value": "example.org" }
  ],
  "notBefore": "2016-01-01T00:00:00Z",
  "notAfter": "2016-01-08T00:00:00Z",
  "authorizations": [
    "https://example.com/acme/authz/PAniVnsZcis",
    "https://example.com/acme/authz/r4HqLzrSrpI"
  ],
  "finalize": "https://example.com/acme/order/TOlocE8rfgo/finalize",
  "certificate": "https://example.com/acme/cert/mAt3xBGaobw"
})";

const char* kAuthorization = R"({
  "status": "valid",
  "expires": "2015-03-01T14:09:07.99Z",
  "identifier": { "type": "dns", "value": "www.example.org" },
  "challenges": [
    {
      "url": "https://example.com/acme/chall/prV_B7yEyA4",
      "type": "http-01",
      "status": "valid",
      "token": "DGyRejmCefe7v4NfDGDKfA",
      "validated": "2014-12-01T12:05:58.16Z"
    }
  ],
  "wildcard": false
})";

const char* kPendingAuthorization = R"({
  "status": "pending",
  "identifier": { "type": "dns", "value": "example.org" },
  "challenges": [
    { "type": "http-01", "url": "https://example.com/acme/chall/prV_B7yEyA4", "status": "pending",
      "token": "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0" },
    { "type": "dns-01", "url": "https://example.com/acme/chall/Rg5dV14Gh1Q", "status": "pending",
      "token": "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA" },
    { "type": "tls-alpn-01", "url": "https://example.com/acme/chall/TJds3qqnMAf", "status": "pending",
      "token": "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA" },
    { "type": "dns-account-01", "url": "https://example.com/acme/chall/X", "status": "pending",
      "token": 5, "accountScope": true }
  ]
})";

}  // namespace

TEST_CASE("order: RFC example and round trip", "[order]") {
  auto o = Order::parse_body(kOrder);
  REQUIRE(o.ok());
  CHECK(o->status == OrderStatus::valid);
  CHECK(o->expires->to_string() == "2016-01-20T14:09:07.99Z");
  CHECK(o->identifiers == std::vector<Identifier>{Identifier::dns("www.example.org"), Identifier::dns("example.org")});
  CHECK(o->not_before->to_string() == "2016-01-01T00:00:00Z");
  CHECK(o->authorizations.size() == 2);
  CHECK(o->finalize == "https://example.com/acme/order/TOlocE8rfgo/finalize");
  CHECK(o->certificate == "https://example.com/acme/cert/mAt3xBGaobw");
  CHECK_FALSE(o->error.has_value());
  CHECK_FALSE(o->profile.has_value());
  CHECK(o->to_json() == parsed(kOrder));
  check_round_trip(*o);
}

TEST_CASE("order: invalid order with error, profile, ip identifiers, offsets", "[order]") {
  const json j = json::parse(R"({
    "status": "invalid",
    "expires": "2016-01-20T15:09:07.990+01:00",
    "identifiers": [{"type": "ip", "value": "2001:DB8::1"}, {"type": "email", "value": "a@example.org"}],
    "error": {"type": "urn:ietf:params:acme:error:unauthorized", "status": 403, "detail": "no"},
    "authorizations": [],
    "finalize": "https://example.com/f",
    "profile": "shortlived",
    "replaces": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
  })");
  auto o = Order::parse(j);
  REQUIRE(o.ok());
  CHECK(o->status == OrderStatus::invalid);
  CHECK(o->expires->to_string() == "2016-01-20T14:09:07.99Z");
  CHECK(o->identifiers[0].kind() == IdentifierKind::ip);
  CHECK(o->identifiers[0].value == "2001:DB8::1");  // kept as sent; canonical form is a check
  CHECK(o->identifiers[1].kind() == IdentifierKind::unknown);
  REQUIRE(o->error.has_value());
  CHECK(o->error->is("unauthorized"));
  CHECK(o->profile == "shortlived");
  CHECK(o->extra.contains("replaces"));
  check_round_trip(*o);
}

TEST_CASE("order: errors", "[order]") {
  check_error<Order>(with(kOrder, {{"authorizations", {"https://a", "https://b", 3}}}), "order.authorizations[2]",
                     "not a string");
  check_error<Order>(with(kOrder, {{"expires", "2016-01-20"}}), "order.expires",
                     "not an RFC 3339 timestamp: expected 'T' after the date");
  check_error<Order>(with(kOrder, {{"notAfter", "2016-02-30T00:00:00Z"}}), "order.notAfter",
                     "not an RFC 3339 timestamp: day out of range for the month");
  check_error<Order>(with(kOrder, {{"notBefore", 1451606400}}), "order.notBefore", "not a string");
  check_error<Order>(with(kOrder, {{"status", "expired"}}), "order.status", "unknown order status \"expired\"");
  check_error<Order>(with(kOrder, {{"finalize", nullptr}}), "order.finalize", "missing required member");
  check_error<Order>(with(kOrder, {{"finalize", 1}}), "order.finalize", "not a string");
  check_error<Order>(with(kOrder, {{"identifiers", nullptr}}), "order.identifiers", "missing required member");
  check_error<Order>(with(kOrder, {{"identifiers", {{{"type", "dns"}, {"value", "a..b"}}}}}),
                     "order.identifiers[0].value", "not a plausible DNS name: empty label");
  check_error<Order>(with(kOrder, {{"identifiers", {{{"type", "ip"}, {"value", "1.2.3"}}}}}),
                     "order.identifiers[0].value", "not a textual IPv4 or IPv6 address");
  check_error<Order>(with(kOrder, {{"identifiers", "www.example.org"}}), "order.identifiers", "not an array");
  check_error<Order>(with(kOrder, {{"authorizations", nullptr}}), "order.authorizations", "missing required member");
  check_error<Order>(with(kOrder, {{"error", {{"status", "x"}}}}), "order.error.status", "not an integer");
  check_error<Order>(with(kOrder, {{"certificate", false}}), "order.certificate", "not a string");
  check_error<Order>(with(kOrder, {{"profile", json::object()}}), "order.profile", "not a string");
  // Null is a wrong type, not absence (merge_patch cannot write null, so set it directly).
  json j = parsed(kOrder);
  j["certificate"] = nullptr;
  check_error<Order>(j, "order.certificate", "not a string");
}

TEST_CASE("authorization: RFC example and round trip", "[authorization]") {
  auto a = Authorization::parse_body(kAuthorization);
  REQUIRE(a.ok());
  CHECK(a->status == AuthorizationStatus::valid);
  CHECK(a->identifier == Identifier::dns("www.example.org"));
  CHECK(a->wildcard == false);
  REQUIRE(a->challenges.size() == 1);
  const Challenge& c = a->challenges[0];
  CHECK(c.kind() == ChallengeKind::http_01);
  CHECK(c.status == ChallengeStatus::valid);
  CHECK(c.token == "DGyRejmCefe7v4NfDGDKfA");
  CHECK(c.validated->to_string() == "2014-12-01T12:05:58.16Z");
  CHECK(a->find_challenge("http-01") == &a->challenges[0]);
  CHECK(a->find_challenge("dns-01") == nullptr);
  CHECK(a->to_json() == parsed(kAuthorization));
  check_round_trip(*a);
}

TEST_CASE("authorization: every challenge type, unknown ones kept", "[authorization]") {
  auto a = Authorization::parse_body(kPendingAuthorization);
  REQUIRE(a.ok());
  REQUIRE(a->challenges.size() == 4);
  CHECK(a->challenges[1].kind() == ChallengeKind::dns_01);
  CHECK(a->challenges[2].kind() == ChallengeKind::tls_alpn_01);
  const Challenge& unknown = a->challenges[3];
  CHECK(unknown.kind() == ChallengeKind::unknown);
  CHECK(unknown.type == "dns-account-01");
  CHECK_FALSE(unknown.token.has_value());  // not a string, so left untyped
  CHECK(unknown.extra == json{{"token", 5}, {"accountScope", true}});
  CHECK(unknown.raw == parsed(kPendingAuthorization)["challenges"][3]);
  CHECK_FALSE(a->expires.has_value());
  CHECK_FALSE(a->wildcard.has_value());
  CHECK(a->to_json() == parsed(kPendingAuthorization));
  check_round_trip(*a);
}

TEST_CASE("authorization: errors", "[authorization]") {
  check_error<Authorization>(with(kAuthorization, {{"identifier", nullptr}}), "authorization.identifier",
                             "missing required member");
  check_error<Authorization>(with(kAuthorization, {{"identifier", {{"value", 3}}}}),
                             "authorization.identifier.value", "not a string");
  check_error<Authorization>(with(kAuthorization, {{"status", "ready"}}), "authorization.status",
                             "unknown authorization status \"ready\"");
  check_error<Authorization>(with(kAuthorization, {{"expires", "2015-03-01T14:09:07.99"}}),
                             "authorization.expires", "not an RFC 3339 timestamp: missing 'Z' or offset");
  check_error<Authorization>(with(kAuthorization, {{"wildcard", "false"}}), "authorization.wildcard",
                             "not a boolean");
  check_error<Authorization>(with(kAuthorization, {{"challenges", nullptr}}), "authorization.challenges",
                             "missing required member");
  check_error<Authorization>(with(kAuthorization, {{"challenges", json::object()}}), "authorization.challenges",
                             "not an array");
  json j = parsed(kPendingAuthorization);
  j["challenges"][1].erase("token");
  check_error<Authorization>(j, "authorization.challenges[1].token", "missing required member");
  j = parsed(kPendingAuthorization);
  j["challenges"][2]["status"] = "ready";
  check_error<Authorization>(j, "authorization.challenges[2].status", "unknown challenge status \"ready\"");
  j = parsed(kPendingAuthorization);
  j["challenges"][0]["validated"] = "2014-12-01T24:00:00Z";
  check_error<Authorization>(j, "authorization.challenges[0].validated",
                             "not an RFC 3339 timestamp: hour out of range");
  j = parsed(kPendingAuthorization);
  j["challenges"][0]["error"] = {{"subproblems", 1}};
  check_error<Authorization>(j, "authorization.challenges[0].error.subproblems", "not an array");
  j = parsed(kPendingAuthorization);
  j["challenges"][3].erase("url");
  check_error<Authorization>(j, "authorization.challenges[3].url", "missing required member");
}

TEST_CASE("challenge: invalid challenge with error, built in code", "[challenge]") {
  Challenge c;
  c.type = "http-01";
  c.url = "https://ca/chall/1";
  c.status = ChallengeStatus::invalid;
  c.token = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
  c.validated = Timestamp::from_unix_seconds(1700000000);
  c.error = Problem::incorrect_response("key authorization mismatch");
  const json j = c.to_json();
  CHECK(j.at("status") == "invalid");
  CHECK(j.at("validated") == "2023-11-14T22:13:20Z");
  CHECK(j.at("error").at("type") == "urn:ietf:params:acme:error:incorrectResponse");
  check_round_trip(c);

  Challenge experimental;
  experimental.type = "onion-csr-01";
  experimental.url = "https://ca/chall/2";
  experimental.token = "abc";
  experimental.extra = {{"authKey", {{"kty", "OKP"}}}};
  check_round_trip(experimental);
  CHECK(experimental.to_json().at("authKey").at("kty") == "OKP");

  check_error<Challenge>(json{{"url", "u"}, {"status", "pending"}}, "challenge.type", "missing required member");
  check_error<Challenge>(json{{"type", "dns-01"}, {"url", "u"}, {"status", "pending"}, {"token", 1}},
                         "challenge.token", "not a string");
}

TEST_CASE("challenge: token rules of §8.3", "[challenge]") {
  CHECK_FALSE(token_problem("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0").has_value());
  CHECK_FALSE(token_problem("DGyRejmCefe7v4NfDGDKfA").has_value());  // 22 characters
  CHECK(token_problem("DGyRejmCefe7v4NfDGDKf") == "token shorter than 22 characters (under 128 bits)");
  CHECK(token_problem("DGyRejmCefe7v4NfDGDKfA==") == "token carries base64 padding");
  CHECK(token_problem("DGyRejmCefe7v4NfDGDKfA+/") == "token has a character outside the base64url alphabet");
  CHECK(token_problem("../../../../etc/passwd/abcdefgh") ==
        "token has a character outside the base64url alphabet");
}

TEST_CASE("resources: raw keeps the received document, equality ignores it", "[resources]") {
  auto a = Order::parse_body(kOrder);
  auto b = Order::parse(a->to_json());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  // The fraction was written ".99" in both; reformatting an offset changes raw, not the value.
  json shifted = parsed(kOrder);
  shifted["expires"] = "2016-01-20T16:09:07.99+02:00";
  auto c = Order::parse(shifted);
  REQUIRE(c.ok());
  CHECK(c->raw != a->raw);
  CHECK(*c == *a);
  c->extra["x"] = 1;
  CHECK_FALSE(*c == *a);
}
