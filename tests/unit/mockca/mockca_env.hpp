// A mock CA wired to acmespec's own responders on free ports, and a signing
// client that talks to MockCa::handle() directly (no sockets on the ACME side).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "client/csr.hpp"
#include "client/request_signer.hpp"
#include "jose/base64url.hpp"
#include "jose/challenge.hpp"
#include "mock-ca/mock_ca.hpp"
#include "responders/facade.hpp"

namespace mockca_test {

using namespace acmespec;
using nlohmann::json;

inline std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

struct Env {
  std::unique_ptr<responders::Responders> resp;
  std::unique_ptr<mockca::MockCa> ca;

  explicit Env(mockca::FaultPlan faults = {}, std::function<void(mockca::MockCaConfig&)> tweak = {}) {
    responders::RespondersConfig rc;
    rc.http01.port = 0;
    rc.tls_alpn.port = 0;
    rc.dns.port = 0;
    resp = std::make_unique<responders::Responders>(rc);
    REQUIRE(resp->start().ok());
    mockca::MockCaConfig cfg;
    cfg.base_url = "https://ca.test:14000";
    cfg.va.http_port = resp->http01_port();
    cfg.va.tls_port = resp->tls_alpn_port();
    cfg.va.dns_server = "127.0.0.1:" + std::to_string(resp->dns_port());
    cfg.va.timeout = std::chrono::milliseconds(3000);
    cfg.faults = std::move(faults);
    cfg.seed = 42;
    if (tweak) tweak(cfg);
    auto made = mockca::MockCa::create(cfg);
    REQUIRE(made.ok());
    ca = std::move(*made);
  }
};

struct Client {
  mockca::MockCa& ca;
  jose::PrivateKey key;
  std::string kid;
  std::string last_nonce;

  explicit Client(mockca::MockCa& c, jose::KeyType type = jose::KeyType::P256)
      : ca(c), key(std::move(*jose::PrivateKey::generate(type))) {}

  mockca::Response get(const std::string& path, const std::string& method = "GET") {
    mockca::Request r;
    r.method = method;
    r.path = path;
    return ca.handle(r);
  }
  std::string nonce() {
    auto r = get("/nonce", "HEAD");
    REQUIRE(r.status == 200);
    return r.header("Replay-Nonce");
  }
  std::string url(const std::string& path) const { return "https://ca.test:14000" + path; }

  mockca::Response send(const std::string& path, const std::string& body,
                        const std::string& content_type = "application/jose+json") {
    mockca::Request r;
    r.method = "POST";
    r.path = path;
    if (!content_type.empty()) r.headers.emplace("content-type", content_type);
    r.headers.emplace("user-agent", "mockca-unit-test");
    r.body = body;
    return ca.handle(r);
  }
  // Signed POST (payload nullopt = POST-as-GET); kid when the account exists.
  mockca::Response post(const std::string& path, const std::optional<json>& payload,
                        const client::Mutations& m = {}, std::optional<std::string> nonce_override = {}) {
    last_nonce = nonce_override ? *nonce_override : nonce();
    client::Signer s{&key, kid};
    auto body = client::sign_request(s, url(path), last_nonce, payload, m);
    if (!body) FAIL("sign_request: " + body.error().to_string());
    return send(path, body->body);
  }
  mockca::Response new_account(json payload = {{"termsOfServiceAgreed", true}}) {
    const std::string saved = kid;
    kid.clear();
    auto r = post("/new-account", payload);
    kid = r.status < 300 ? r.header("Location") : saved;
    return r;
  }
  static json body(const mockca::Response& r) { return json::parse(r.body); }
  // newOrder; returns the order body and sets order_path.
  json new_order(const std::vector<std::string>& dns, std::string* order_path = nullptr) {
    json ids = json::array();
    for (const auto& d : dns) ids.push_back({{"type", "dns"}, {"value", d}});
    auto r = post("/new-order", json{{"identifiers", ids}});
    REQUIRE(r.status == 201);
    if (order_path) *order_path = path_of(r.header("Location"));
    return body(r);
  }
  json challenge_of(const json& authz, const std::string& type) {
    for (const auto& c : authz["challenges"])
      if (c["type"] == type) return c;
    FAIL("no " + type + " challenge");
    return {};
  }
  std::string key_authorization(const std::string& token) const { return jose::key_authorization(token, key.public_jwk()); }
  // Polls `path` (POST-as-GET) until its status leaves `from`; bounded.
  json poll_until_not(const std::string& path, const std::string& from) {
    json b;
    for (int i = 0; i < 200; ++i) {
      auto r = post(path, std::nullopt);
      b = body(r);
      if (b.value("status", "") != from) return b;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return b;
  }
};

inline std::string problem_type(const mockca::Response& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("type")) return "";
  std::string t = j["type"];
  const std::string prefix = "urn:ietf:params:acme:error:";
  return t.rfind(prefix, 0) == 0 ? t.substr(prefix.size()) : t;
}

// CSR (base64url DER) for dns names, signed by `key`.
inline std::string csr_for(const jose::PrivateKey& key, const std::vector<std::string>& names) {
  std::vector<client::CsrIdentifier> ids;
  for (const auto& n : names) ids.push_back({"dns", n});
  auto der = client::build_csr(key, ids);
  REQUIRE(der.ok());
  return jose::base64url_encode(*der);
}

// Serves HTTP-01 for the order's single authorization and validates it.
inline json authorize_http01(Env& env, Client& c, const json& order) {
  const std::string authz_path = path_of(order["authorizations"][0]);
  auto authz = Client::body(c.post(authz_path, std::nullopt));
  auto ch = c.challenge_of(authz, "http-01");
  REQUIRE(env.resp->add_http01_token(ch["token"], c.key_authorization(ch["token"])).ok());
  auto r = c.post(path_of(ch["url"]), json::object());
  REQUIRE(r.status == 200);
  return c.poll_until_not(authz_path, "pending");
}

}  // namespace mockca_test
