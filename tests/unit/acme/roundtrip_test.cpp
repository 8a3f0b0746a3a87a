// Round-trip stability over many variants of valid documents: every variant
// that parses must satisfy parse(to_json(x)) == x, and every variant that
// does not must say where.  This is the property the fuzz targets assert.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include "acme/acme.hpp"

using namespace acmespec::acme;
using nlohmann::json;

namespace {

const json kReplacements[] = {
    nullptr, 1, -7, 2.5, true, "x", "", json::array(), json::object(), json::array({"a", 1}),
    "2016-01-01T00:00:00+05:00", "2016-01-01T00:00:00.123456789123Z", "pending", "valid", "http-01",
    json{{"type", "ip"}, {"value", "::ffff:1.2.3.4"}}, json::array({json{{"type", "dns"}, {"value", "*.a.b"}}}),
};

// Every document obtained by deleting or replacing one member, one level
// down into nested objects and the first element of arrays.
std::vector<json> variants(const json& doc) {
  std::vector<json> out{doc};
  std::function<void(json&, const std::function<void()>&)> walk = [&](json& node, const std::function<void()>& emit) {
    if (node.is_object()) {
      std::vector<std::string> keys;
      for (auto it = node.begin(); it != node.end(); ++it) keys.push_back(it.key());
      for (const auto& k : keys) {
        json saved = node[k];
        node.erase(k);
        emit();
        for (const auto& r : kReplacements) {
          node[k] = r;
          emit();
        }
        node[k] = saved;
        walk(node[k], emit);
      }
    } else if (node.is_array() && !node.empty()) {
      json saved = node[0];
      for (const auto& r : kReplacements) {
        node[0] = r;
        emit();
      }
      node[0] = saved;
      walk(node[0], emit);
    }
  };
  json work = doc;
  walk(work, [&] { out.push_back(work); });
  return out;
}

template <class T>
std::size_t check_all(const json& doc, const std::string& root) {
  std::size_t parsed = 0;
  for (const auto& v : variants(doc)) {
    auto x = T::parse(v, root);
    if (!x.ok()) {
      INFO(v.dump() << " -> " << x.error().to_string());
      CHECK(x.error().path.rfind(root, 0) == 0);
      CHECK_FALSE(x.error().reason.empty());
      continue;
    }
    ++parsed;
    const json once = x->to_json();
    auto y = T::parse(once, root);
    INFO(v.dump());
    REQUIRE(y.ok());
    CHECK(*y == *x);
    CHECK(y->to_json() == once);
  }
  return parsed;
}

}  // namespace

TEST_CASE("round trips hold for every parseable variant", "[roundtrip]") {
  const json directory = json::parse(R"({"newNonce": "n", "newAccount": "a", "newOrder": "o", "newAuthz": "z",
    "revokeCert": "r", "keyChange": "k", "renewalInfo": "ri",
    "meta": {"termsOfService": "t", "website": "w", "caaIdentities": ["c"], "externalAccountRequired": true,
             "profiles": {"p": "d"}}})");
  const json account = json::parse(R"({"status": "valid", "contact": ["mailto:a@example.org"],
    "termsOfServiceAgreed": true, "orders": "u", "key": {"kty": "EC"}, "externalAccountBinding": {"payload": "e30"}})");
  const json order = json::parse(R"({"status": "pending", "expires": "2016-01-20T14:09:07.99Z",
    "identifiers": [{"type": "dns", "value": "example.org"}], "notBefore": "2016-01-01T00:00:00Z",
    "notAfter": "2016-01-08T00:00:00Z", "error": {"type": "urn:ietf:params:acme:error:caa", "status": 403,
    "subproblems": [{"type": "t", "identifier": {"type": "dns", "value": "x"}}]},
    "authorizations": ["a"], "finalize": "f", "certificate": "c", "profile": "p"})");
  const json authorization = json::parse(R"({"status": "pending", "expires": "2016-01-20T14:09:07Z",
    "identifier": {"type": "dns", "value": "example.org"}, "wildcard": true,
    "challenges": [{"type": "http-01", "url": "u", "status": "invalid", "token": "t",
      "validated": "2016-01-20T14:09:07Z", "error": {"detail": "d"}},
      {"type": "other-01", "url": "u", "status": "pending", "token": "t", "x": 1}]})");
  const json orders = json::parse(R"({"orders": ["a", "b"]})");
  const json problem = json::parse(R"({"type": "urn:ietf:params:acme:error:malformed", "title": "t",
    "status": 400, "detail": "d", "instance": "i",
    "subproblems": [{"type": "t", "detail": "d", "identifier": {"type": "ip", "value": "1.2.3.4"}}]})");

  CHECK(check_all<Directory>(directory, "directory") > 10);
  CHECK(check_all<Account>(account, "account") > 10);
  CHECK(check_all<Order>(order, "order") > 10);
  CHECK(check_all<Authorization>(authorization, "authorization") > 10);
  CHECK(check_all<OrdersList>(orders, "orders") > 1);
  CHECK(check_all<Problem>(problem, "problem") > 10);
  CHECK(check_all<Challenge>(authorization["challenges"][0], "challenge") > 5);
  CHECK(check_all<Challenge>(authorization["challenges"][1], "challenge") > 5);
}
