// RFC 8555 §7.1.1, §7.1.2 and §7.1.2.1 examples, round trips and member-level errors.
#include <catch2/catch.hpp>

#include "acme/acme.hpp"
#include "test_helpers.hpp"

using namespace acmespec::acme;
using namespace acme_test;

namespace {

const char* kDirectory = R"({
  "newNonce": "https://example.com/acme/new-nonce",
  "newAccount": "https://example.com/acme/new-account",
  "newOrder": "https://example.com/acme/new-order",
  "newAuthz": "https://example.com/acme/new-authz",
  "revokeCert": "https://example.com/acme/revoke-cert",
  "keyChange": "https://example.com/acme/key-change",
  "meta": {
    "termsOfService": "https://example.com/acme/terms/2017-5-30",
    "website": "https://www.example.com/",
    "caaIdentities": ["example.com"],
    "externalAccountRequired": false
  }
})";

const char* kAccount = R"({
  "status": "valid",
  "contact": ["mailto:cert-admin@example.org", "mailto:admin@example.org"],
  "termsOfServiceAgreed": true,
  "orders": "https://example.com/acme/orders/rzGoeA"
})";

const char* kOrders = R"({
  "orders": [
    "https://example.com/acme/order/TOlocE8rfgo",
    "https://example.com/acme/order/4E16bbL5iSw",
    "https://example.com/acme/order/neBHYLfw0mg"
  ]
})";

}  // namespace

TEST_CASE("directory: RFC example", "[directory]") {
  auto d = Directory::parse_body(kDirectory);
  REQUIRE(d.ok());
  CHECK(d->new_nonce == "https://example.com/acme/new-nonce");
  CHECK(d->new_authz == "https://example.com/acme/new-authz");
  CHECK(d->key_change == "https://example.com/acme/key-change");
  REQUIRE(d->meta.has_value());
  CHECK(d->meta->terms_of_service == "https://example.com/acme/terms/2017-5-30");
  CHECK(d->meta->caa_identities == std::vector<std::string>{"example.com"});
  CHECK(d->meta->external_account_required == false);
  CHECK_FALSE(d->meta->profiles.has_value());
  CHECK(d->missing_resources().empty());
  CHECK(d->raw == parsed(kDirectory));
  CHECK(d->to_json() == parsed(kDirectory));
  check_round_trip(*d);
}

TEST_CASE("directory: unknown members, profiles, optional resources", "[directory]") {
  const json j = json::parse(R"({
    "newNonce": "https://ca/nonce", "newAccount": "https://ca/acct", "newOrder": "https://ca/order",
    "renewalInfo": "https://ca/ari", "x-vendor": {"a": [1, 2.5, null]},
    "meta": {"profiles": {"classic": "the usual", "shortlived": "6 days"}, "x-meta": 1}
  })");
  auto d = Directory::parse(j);
  REQUIRE(d.ok());
  CHECK(d->url_for("renewalInfo") == "https://ca/ari");
  CHECK(d->url_for("newOrder") == "https://ca/order");
  CHECK_FALSE(d->url_for("keyChange").has_value());
  CHECK_FALSE(d->url_for("x-vendor").has_value());
  CHECK(d->missing_resources() == std::vector<std::string>{"revokeCert", "keyChange"});
  CHECK(d->extra == json::parse(R"({"renewalInfo": "https://ca/ari", "x-vendor": {"a": [1, 2.5, null]}})"));
  CHECK(d->meta->profiles->at("shortlived") == "6 days");
  CHECK(d->meta->extra == json{{"x-meta", 1}});
  CHECK(d->to_json() == j);
  check_round_trip(*d);
}

TEST_CASE("directory: errors", "[directory]") {
  check_error<Directory>(json::array(), "directory", "not an object");
  check_error<Directory>(json{{"newNonce", "a"}, {"newAccount", "b"}}, "directory.newOrder",
                         "missing required member");
  check_error<Directory>(with(kDirectory, {{"newNonce", 5}}), "directory.newNonce", "not a string");
  check_error<Directory>(with(kDirectory, {{"keyChange", true}}), "directory.keyChange", "not a string");
  check_error<Directory>(with(kDirectory, {{"meta", "x"}}), "directory.meta", "not an object");
  check_error<Directory>(with(kDirectory, {{"meta", {{"caaIdentities", {"a", 1}}}}}),
                         "directory.meta.caaIdentities[1]", "not a string");
  check_error<Directory>(with(kDirectory, {{"meta", {{"externalAccountRequired", "no"}}}}),
                         "directory.meta.externalAccountRequired", "not a boolean");
  check_error<Directory>(with(kDirectory, {{"meta", {{"profiles", {{"a", 1}}}}}}), "directory.meta.profiles.a",
                         "not a string");
  auto bad = Directory::parse_body("{\"newNonce\": ");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().path == "directory");
  auto dup = Directory::parse_body(R"({"newNonce": "a", "newNonce": "b"})");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().path == "directory");
}

TEST_CASE("account: RFC example and round trip", "[account]") {
  auto a = Account::parse_body(kAccount);
  REQUIRE(a.ok());
  CHECK(a->status == AccountStatus::valid);
  CHECK(a->contact == std::vector<std::string>{"mailto:cert-admin@example.org", "mailto:admin@example.org"});
  CHECK(a->terms_of_service_agreed == true);
  CHECK(a->orders == "https://example.com/acme/orders/rzGoeA");
  CHECK_FALSE(a->key.has_value());
  CHECK(a->to_json() == parsed(kAccount));
  check_round_trip(*a);

  // Key and EAB are kept as JSON; an empty contact list differs from none.
  json j = with(kAccount, {{"key", {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "BB"}}},
                           {"externalAccountBinding", {{"protected", "e30"}, {"payload", "e30"}, {"signature", "x"}}},
                           {"contact", json::array()},
                           {"createdAt", "2020-01-01T00:00:00Z"}});
  auto k = Account::parse(j);
  REQUIRE(k.ok());
  CHECK(k->key->at("kty") == "EC");
  CHECK(k->external_account_binding->at("payload") == "e30");
  CHECK(k->contact == std::vector<std::string>{});
  CHECK(k->extra == json{{"createdAt", "2020-01-01T00:00:00Z"}});
  check_round_trip(*k);

  Account minimal;
  minimal.status = AccountStatus::deactivated;
  CHECK(minimal.to_json() == json{{"status", "deactivated"}});
  check_round_trip(minimal);
}

TEST_CASE("account: errors", "[account]") {
  check_error<Account>(json{{"contact", json::array()}}, "account.status", "missing required member");
  check_error<Account>(with(kAccount, {{"status", "pending"}}), "account.status",
                       "unknown account status \"pending\"");
  check_error<Account>(with(kAccount, {{"status", true}}), "account.status", "not a string");
  check_error<Account>(with(kAccount, {{"contact", "mailto:a@example.org"}}), "account.contact", "not an array");
  check_error<Account>(with(kAccount, {{"contact", {"mailto:a@example.org", 7}}}), "account.contact[1]",
                       "not a string");
  check_error<Account>(with(kAccount, {{"termsOfServiceAgreed", "yes"}}), "account.termsOfServiceAgreed",
                       "not a boolean");
  check_error<Account>(with(kAccount, {{"orders", json::array()}}), "account.orders", "not a string");
  check_error<Account>(with(kAccount, {{"key", "abc"}}), "account.key", "not an object");
  check_error<Account>(with(kAccount, {{"externalAccountBinding", 1}}), "account.externalAccountBinding",
                       "not an object");
}

TEST_CASE("orders list", "[order]") {
  auto l = OrdersList::parse_body(kOrders);
  REQUIRE(l.ok());
  CHECK(l->orders.size() == 3);
  CHECK(l->orders[2] == "https://example.com/acme/order/neBHYLfw0mg");
  check_round_trip(*l);
  check_error<OrdersList>(json::object(), "orders.orders", "missing required member");
  check_error<OrdersList>(json{{"orders", {"a", nullptr}}}, "orders.orders[1]", "not a string");
  check_error<OrdersList>(json{{"orders", "a"}}, "orders.orders", "not an array");
}
