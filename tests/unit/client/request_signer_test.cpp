#include <catch2/catch.hpp>

#include "client/request_signer.hpp"
#include "jose/jws.hpp"
#include "jose/acme_header.hpp"
#include "jose/base64url.hpp"
#include "jose/signature.hpp"

#include <algorithm>

using namespace acmespec;
using nlohmann::json;

namespace {
const jose::PrivateKey& p256() {
  static jose::PrivateKey key = *jose::PrivateKey::generate(jose::KeyType::P256);
  return key;
}
jose::FlattenedJws parsed(const client::SignedBody& body) {
  auto jws = jose::parse_flattened(body.body);
  REQUIRE(jws.ok());
  return *jws;
}
client::Mutations mut(json m) {
  auto r = client::Mutations::parse(m);
  REQUIRE(r.ok());
  return *r;
}
}  // namespace

TEST_CASE("a normal request is a valid RFC 8555 JWS", "[signer]") {
  client::Signer jwk_signer{&p256(), ""};
  auto body = client::sign_request(jwk_signer, "https://ca/new-acct", "bm9uY2U", json{{"a", 1}});
  REQUIRE(body.ok());
  auto jws = parsed(*body);
  CHECK(jose::verify_flattened(jws, p256().public_jwk()).ok());
  CHECK(jws.protected_header["url"] == "https://ca/new-acct");
  CHECK(jws.protected_header["nonce"] == "bm9uY2U");
  CHECK(jws.protected_header.contains("jwk"));
  CHECK_FALSE(jws.protected_header.contains("kid"));
  CHECK(jose::validate_acme_protected_header(jws.protected_header).empty());
  CHECK(jws.payload == R"({"a":1})");

  client::Signer kid_signer{&p256(), "https://ca/acct/1"};
  auto get = client::sign_request(kid_signer, "https://ca/order/1", "bm9uY2U", std::nullopt);
  REQUIRE(get.ok());
  auto g = parsed(*get);
  CHECK(g.payload.empty());
  CHECK(g.payload_b64.empty());
  CHECK(g.protected_header["kid"] == "https://ca/acct/1");
  CHECK_FALSE(g.protected_header.contains("jwk"));
  CHECK(jose::verify_flattened(g, p256().public_jwk()).ok());
}

TEST_CASE("each mutation breaks exactly what it names", "[signer]") {
  client::Signer s{&p256(), "https://ca/acct/1"};
  auto build = [&](json m) {
    auto body = client::sign_request(s, "https://ca/x", "bm9uY2U", json::object(), mut(m));
    REQUIRE(body.ok());
    return body->protected_header;
  };
  CHECK_FALSE(build({{"protected.nonce", "omit"}}).contains("nonce"));
  CHECK_FALSE(build({{"protected.url", "omit"}}).contains("url"));
  CHECK(build({{"protected.url", "mangle"}})["url"] == "https://ca/x/mangled");
  CHECK(build({{"protected.url", "https://ca/other"}})["url"] == "https://ca/other");
  auto both = build({{"protected.key", "jwk+kid"}});
  CHECK((both.contains("jwk") && both.contains("kid")));
  CHECK(build({{"protected.kid", "https://ca/acct/2"}})["kid"] == "https://ca/acct/2");
  auto crit = build({{"protected.crit", {"x-acmespec"}}});
  CHECK(crit["crit"] == json::array({"x-acmespec"}));
  CHECK(crit["x-acmespec"] == true);
  CHECK_FALSE(jose::validate_acme_protected_header(crit).empty());

  auto none = client::sign_request(s, "https://ca/x", "bm9uY2U", json::object(), mut({{"protected.alg", "none"}}));
  REQUIRE(none.ok());
  auto n = parsed(*none);
  CHECK(n.signature_b64.empty());
  CHECK_FALSE(jose::verify_flattened(n, p256().public_jwk()).ok());

  auto hs = client::sign_request(s, "https://ca/x", "bm9uY2U", json::object(), mut({{"protected.alg", "HS256"}}));
  REQUIRE(hs.ok());
  CHECK_FALSE(jose::verify_flattened(parsed(*hs), p256().public_jwk()).ok());
  CHECK(jose::verify_flattened_mac(parsed(*hs), p256().public_jwk().thumbprint()).ok());

  for (const char* how : {"corrupt", "empty", "der"}) {
    auto bad = client::sign_request(s, "https://ca/x", "bm9uY2U", json::object(), mut({{"signature", how}}));
    REQUIRE(bad.ok());
    INFO(how);
    CHECK_FALSE(jose::verify_flattened(parsed(*bad), p256().public_jwk()).ok());
  }

  auto raw = client::sign_request(s, "https://ca/x", "bm9uY2U", json::object(), mut({{"payload", "not-json"}}));
  REQUIRE(raw.ok());
  auto r = parsed(*raw);
  CHECK(r.payload == "{this is not JSON");
  CHECK(jose::verify_flattened(r, p256().public_jwk()).ok());  // signed, just not JSON
}

TEST_CASE("mutation names are validated", "[signer]") {
  CHECK(client::Mutations::parse(json{{"protected.nonce", "replay"}})->touches_nonce());
  CHECK(client::Mutations::parse(json{{"protected.nonce", "reuse"}}).error().to_string() ==
        "protected.nonce: must be replay, omit or invent");
  CHECK(client::Mutations::parse(json{{"protected.jku", "x"}}).error().to_string() == "protected.jku: unknown mutation");
  CHECK(client::Mutations::parse(json{{"http.method", "PUT"}}).error().to_string() == "http.method: must be GET");
  CHECK_FALSE(client::Mutations::parse(json{{"signature", 1}}).ok());
  CHECK_FALSE(client::Mutations{}.any());
  CHECK(client::Mutations::parse(json{{"http.content-type", "application/json"}})->any());
}

TEST_CASE("key change inner JWS and EAB are well formed", "[signer]") {
  auto new_key = *jose::PrivateKey::generate(jose::KeyType::P384);
  auto inner = client::key_change_inner(new_key, "https://ca/key-change", "https://ca/acct/1", p256());
  REQUIRE(inner.ok());
  auto jws = jose::parse_flattened(inner->dump());
  REQUIRE(jws.ok());
  CHECK(jose::verify_flattened(*jws, new_key.public_jwk()).ok());
  CHECK_FALSE(jws->protected_header.contains("nonce"));
  auto payload = json::parse(jws->payload);
  CHECK(payload["account"] == "https://ca/acct/1");
  CHECK(payload["oldKey"] == p256().public_jwk().to_json());

  auto eab = client::external_account_binding(p256(), "https://ca/new-acct", "kid-1", "0123456789abcdef0123456789abcdef");
  REQUIRE(eab.ok());
  auto e = jose::parse_flattened(eab->dump());
  REQUIRE(e.ok());
  CHECK(e->protected_header["alg"] == "HS256");
  CHECK(e->protected_header["kid"] == "kid-1");
  CHECK(jose::verify_flattened_mac(*e, "0123456789abcdef0123456789abcdef").ok());
  CHECK_FALSE(jose::verify_flattened_mac(*e, "fedcba9876543210fedcba9876543210").ok());
}

namespace {
// The raw members of a mutated body, which parse_flattened rightly refuses.
json members(const client::SignedBody& body) { return json::parse(body.body); }
bool verifies(const std::string& signing_input, const std::string& signature_b64) {
  auto sig = jose::base64url_decode(signature_b64);
  return sig && jose::verify(jose::Alg::ES256, p256().public_jwk(), signing_input, *sig).ok();
}
std::string strip_padding(std::string s) {
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}
}  // namespace

TEST_CASE("padding knobs pad one member and sign over the padded texts", "[signer]") {
  client::Signer s{&p256(), "https://ca/acct/1"};
  for (const char* where : {"protected", "payload", "signature"}) {
    INFO(where);
    auto body = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"jws.padding", where}}));
    REQUIRE(body.ok());
    const json m = members(*body);
    const std::string p = m["protected"], pl = m["payload"], sig = m["signature"];
    const std::string& padded = std::string(where) == "protected" ? p : std::string(where) == "payload" ? pl : sig;
    CHECK(padded.back() == '=');
    CHECK(padded.size() % 4 == 0);
    for (const auto* other : {&p, &pl, &sig})
      if (other != &padded) CHECK(other->find('=') == std::string::npos);
    // The signature covers the texts as sent; only its own padding must go.
    CHECK(verifies(p + "." + pl, strip_padding(sig)));
  }
  // An empty payload (POST-as-GET) has nothing to pad.
  CHECK_FALSE(client::sign_request(s, "https://ca/x", "bm9uY2U", std::nullopt, mut({{"jws.padding", "payload"}})).ok());
}

TEST_CASE("serialization, unprotected header and b64 knobs", "[signer]") {
  client::Signer s{&p256(), "https://ca/acct/1"};
  auto compact = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"jws.serialization", "compact"}}));
  REQUIRE(compact.ok());
  CHECK(std::count(compact->body.begin(), compact->body.end(), '.') == 2);
  CHECK(compact->body.front() != '{');
  const auto first = compact->body.find('.'), last = compact->body.rfind('.');
  CHECK(verifies(compact->body.substr(0, last), compact->body.substr(last + 1)));
  CHECK(first < last);

  auto general = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"jws.serialization", "general"}}));
  REQUIRE(general.ok());
  CHECK(members(*general)["signatures"].size() == 1);
  CHECK_FALSE(members(*general).contains("signature"));
  auto two = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"jws.serialization", "two-signatures"}}));
  REQUIRE(two.ok());
  const json t = members(*two);
  REQUIRE(t["signatures"].size() == 2);
  CHECK(verifies(t["signatures"][1]["protected"].get<std::string>() + "." + t["payload"].get<std::string>(),
                 t["signatures"][1]["signature"]));

  auto unprotected = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"jws.unprotected-header", "add"}}));
  REQUIRE(unprotected.ok());
  CHECK(members(*unprotected)["header"].is_object());
  CHECK(jose::verify_flattened(parsed(*unprotected), p256().public_jwk()).ok());

  auto b64 = client::sign_request(s, "https://ca/x", "bm9uY2U", json{{"a", 1}}, mut({{"protected.b64", "false"}}));
  REQUIRE(b64.ok());
  const json b = members(*b64);
  CHECK(b["payload"] == R"({"a":1})");
  CHECK(b64->protected_header["b64"] == false);
  CHECK(b64->protected_header["crit"] == json::array({"b64"}));
  CHECK(verifies(b["protected"].get<std::string>() + "." + R"({"a":1})", b["signature"]));
}

TEST_CASE("jwk and url knobs", "[signer]") {
  client::Signer jwk_signer{&p256(), ""};
  auto extra = client::sign_request(jwk_signer, "https://ca/new-acct", "bm9uY2U", json::object(),
                                    mut({{"protected.jwk", "extra-members"}}));
  REQUIRE(extra.ok());
  auto e = parsed(*extra);
  CHECK(e.protected_header["jwk"]["use"] == "sig");
  CHECK(e.protected_header["jwk"]["kid"] == "acmespec-extra-member");
  CHECK(jose::verify_flattened(e, p256().public_jwk()).ok());
  auto extra_jwk = jose::Jwk::parse(e.protected_header["jwk"]);
  REQUIRE(extra_jwk.ok());
  CHECK(extra_jwk->thumbprint() == p256().public_jwk().thumbprint());

  auto weak = client::sign_request(jwk_signer, "https://ca/new-acct", "bm9uY2U", json::object(),
                                   mut({{"protected.jwk", "weak-rsa"}}));
  REQUIRE(weak.ok());
  CHECK(weak->protected_header["alg"] == "RS256");
  CHECK(weak->protected_header["jwk"]["kty"] == "RSA");
  auto modulus = jose::base64url_decode(weak->protected_header["jwk"]["n"].get<std::string>());
  REQUIRE(modulus.ok());
  CHECK(modulus->size() == 128);

  // Only jwk-signed requests have a jwk to change.
  client::Signer kid_signer{&p256(), "https://ca/acct/1"};
  CHECK_FALSE(client::sign_request(kid_signer, "https://ca/x", "bm9uY2U", json::object(), mut({{"protected.jwk", "weak-rsa"}})).ok());

  auto re = client::sign_request(kid_signer, "https://ca/acme/new-order", "bm9uY2U", json::object(),
                                 mut({{"protected.url", "reencode"}}));
  REQUIRE(re.ok());
  CHECK(re->protected_header["url"] == "https://ca/acme/%6Eew-order");
  CHECK_FALSE(client::sign_request(kid_signer, "https://ca/acme/---", "bm9uY2U", json::object(),
                                   mut({{"protected.url", "reencode"}})).ok());
  CHECK(client::Mutations::parse(json{{"jws.padding", "header"}}).error().to_string() ==
        "jws.padding: must be protected, payload or signature");
  CHECK(client::Mutations::parse(json{{"jws.serialization", "compact"}})->any());
}
