// The happy paths through MockCa::handle(): directory, nonces, accounts,
// orders, real HTTP-01 / DNS-01 / TLS-ALPN-01 validation, finalize, download,
// revocation, key rollover, orders list.
#include "mockca_env.hpp"

using namespace mockca_test;

TEST_CASE("mock CA directory carries meta and the index link", "[mockca]") {
  Env env;
  Client c(*env.ca);
  auto r = c.get("/dir");
  CHECK(r.status == 200);
  CHECK(r.header("Link") == "<https://ca.test:14000/dir>;rel=\"index\"");
  auto d = Client::body(r);
  CHECK(d["newNonce"] == "https://ca.test:14000/nonce");
  CHECK(d["meta"]["termsOfService"].is_string());
  CHECK(d["meta"]["website"].is_string());
  CHECK(d["meta"]["caaIdentities"].is_array());
  CHECK(d["meta"]["externalAccountRequired"] == false);
}

TEST_CASE("mock CA newNonce: HEAD 200, GET 204, no-store, fresh nonces", "[mockca]") {
  Env env;
  Client c(*env.ca);
  auto h = c.get("/nonce", "HEAD");
  auto g = c.get("/nonce", "GET");
  CHECK(h.status == 200);
  CHECK(g.status == 204);
  CHECK(h.header("Cache-Control") == "no-store");
  CHECK(g.header("Cache-Control") == "no-store");
  CHECK(!h.header("Replay-Nonce").empty());
  CHECK(h.header("Replay-Nonce") != g.header("Replay-Nonce"));
  CHECK(g.body.empty());
}

TEST_CASE("mock CA issues through HTTP-01 end to end", "[mockca]") {
  Env env;
  Client c(*env.ca);
  auto acct = c.new_account({{"termsOfServiceAgreed", true}, {"contact", {"mailto:admin@example.org"}}});
  REQUIRE(acct.status == 201);
  CHECK(!acct.header("Replay-Nonce").empty());
  CHECK(Client::body(acct)["status"] == "valid");
  // Same key again: the existing account, 200.
  auto again = c.new_account();
  CHECK(again.status == 200);
  CHECK(again.header("Location") == c.kid);

  std::string order_path;
  auto order = c.new_order({"www.example.org"}, &order_path);
  CHECK(order["status"] == "pending");
  auto authz = authorize_http01(env, c, order);
  CHECK(authz["status"] == "valid");
  CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "ready");

  auto cert_key = *jose::PrivateKey::generate(jose::KeyType::P256);
  auto fin = c.post(path_of(order["finalize"]), json{{"csr", csr_for(cert_key, {"www.example.org"})}});
  REQUIRE(fin.status == 200);
  auto done = Client::body(fin);
  CHECK(done["status"] == "valid");
  auto cert = c.post(path_of(done["certificate"]), std::nullopt);
  CHECK(cert.status == 200);
  CHECK(cert.header("Content-Type") == "application/pem-certificate-chain");
  auto chain = client::parse_pem_chain(cert.body);
  REQUIRE(chain.ok());
  REQUIRE(chain->size() == 2);
  CHECK((*chain)[0].sans.at(0).value == "www.example.org");
  CHECK((*chain)[0].spki_der == client::spki_of(cert_key));
  std::string roots;
  for (const auto& p : env.ca->root_pems()) roots += p;
  CHECK(client::verify_chain_order(cert.body, roots).ok());

  // Revocation by the account, then again: alreadyRevoked.
  const std::string der_b64 = jose::base64url_encode((*chain)[0].der);
  CHECK(c.post("/revoke-cert", json{{"certificate", der_b64}, {"reason", 1}}).status == 200);
  auto twice = c.post("/revoke-cert", json{{"certificate", der_b64}});
  CHECK(problem_type(twice) == "alreadyRevoked");
}

TEST_CASE("mock CA validates DNS-01 and TLS-ALPN-01 for real", "[mockca]") {
  Env env;
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  SECTION("dns-01 for a wildcard") {
    auto order = c.new_order({"*.wild.example.org"});
    auto authz_path = path_of(order["authorizations"][0]);
    auto authz = Client::body(c.post(authz_path, std::nullopt));
    CHECK(authz["wildcard"] == true);
    CHECK(authz["identifier"]["value"] == "wild.example.org");
    REQUIRE(authz["challenges"].size() == 1);  // dns-01 only
    auto ch = c.challenge_of(authz, "dns-01");
    env.resp->zone().add_txt("_acme-challenge.wild.example.org", jose::dns01_txt_value(c.key_authorization(ch["token"])));
    c.post(path_of(ch["url"]), json::object());
    CHECK(c.poll_until_not(authz_path, "pending")["status"] == "valid");
  }
  SECTION("tls-alpn-01") {
    auto order = c.new_order({"alpn.example.org"});
    auto authz_path = path_of(order["authorizations"][0]);
    auto ch = c.challenge_of(Client::body(c.post(authz_path, std::nullopt)), "tls-alpn-01");
    env.resp->add_tls_alpn_key_authorization("alpn.example.org", c.key_authorization(ch["token"]));
    c.post(path_of(ch["url"]), json::object());
    CHECK(c.poll_until_not(authz_path, "pending")["status"] == "valid");
  }
  SECTION("wrong dns-01 digest invalidates the authorization and the order") {
    std::string order_path;
    auto order = c.new_order({"bad.example.org"}, &order_path);
    auto authz_path = path_of(order["authorizations"][0]);
    auto ch = c.challenge_of(Client::body(c.post(authz_path, std::nullopt)), "dns-01");
    env.resp->zone().add_txt("_acme-challenge.bad.example.org", "not-the-digest");
    c.post(path_of(ch["url"]), json::object());
    auto z = c.poll_until_not(authz_path, "pending");
    CHECK(z["status"] == "invalid");
    CHECK(c.challenge_of(z, "dns-01")["error"]["type"] == "urn:ietf:params:acme:error:incorrectResponse");
    CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "invalid");
  }
}

TEST_CASE("mock CA key rollover and conflicts", "[mockca]") {
  Env env;
  Client c(*env.ca);
  Client other(*env.ca);
  REQUIRE(c.new_account().status == 201);
  REQUIRE(other.new_account().status == 201);
  auto new_key = *jose::PrivateKey::generate(jose::KeyType::P384);
  auto inner = client::key_change_inner(new_key, c.url("/key-change"), c.kid, c.key);
  REQUIRE(inner.ok());
  // The new key belongs to nobody: rolled over.
  auto r = c.post("/key-change", *inner);
  CHECK(r.status == 200);
  c.key = new_key;
  CHECK(c.post(path_of(c.kid), std::nullopt).status == 200);
  // Rolling to a key that another account holds: 409 with its Location.
  auto clash = client::key_change_inner(other.key, c.url("/key-change"), c.kid, c.key);
  auto conflict = c.post("/key-change", *clash);
  CHECK(conflict.status == 409);
  CHECK(conflict.header("Location") == other.kid);
  // oldKey that is not the account key.
  auto wrong = client::key_change_inner(*jose::PrivateKey::generate(jose::KeyType::P256), c.url("/key-change"), c.kid,
                                        other.key);
  CHECK(problem_type(c.post("/key-change", *wrong)) == "malformed");
}

TEST_CASE("mock CA orders list pages with Link rel=next", "[mockca]") {
  Env env({}, [](mockca::MockCaConfig& cfg) { cfg.orders_per_page = 2; });
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  for (int i = 0; i < 3; ++i) c.new_order({"n" + std::to_string(i) + ".example.org"});
  auto orders_url = Client::body(c.post(path_of(c.kid), std::nullopt))["orders"].get<std::string>();
  auto first = c.post(path_of(orders_url), std::nullopt);
  CHECK(Client::body(first)["orders"].size() == 2);
  bool has_next = false;
  for (const auto& [k, v] : first.headers) has_next = has_next || (k == "Link" && v.find("rel=\"next\"") != std::string::npos);
  CHECK(has_next);
  auto second = c.post(path_of(orders_url) + "?cursor=1", std::nullopt);
  CHECK(Client::body(second)["orders"].size() == 1);
}

TEST_CASE("mock CA account update, deactivation and authz deactivation", "[mockca]") {
  Env env;
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  auto upd = c.post(path_of(c.kid), json{{"contact", {"mailto:new@example.org"}}});
  CHECK(Client::body(upd)["contact"][0] == "mailto:new@example.org");
  std::string order_path;
  auto order = c.new_order({"d.example.org"}, &order_path);
  auto z = c.post(path_of(order["authorizations"][0]), json{{"status", "deactivated"}});
  CHECK(Client::body(z)["status"] == "deactivated");
  CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "invalid");
  CHECK(Client::body(c.post(path_of(c.kid), json{{"status", "deactivated"}}))["status"] == "deactivated");
  CHECK(problem_type(c.post("/new-order", json{{"identifiers", {{{"type", "dns"}, {"value", "x.example.org"}}}}})) ==
        "unauthorized");
}

TEST_CASE("mock CA records an observation per request", "[mockca]") {
  Env env;
  Client c(*env.ca);
  c.new_account();
  auto obs = env.ca->observations();
  REQUIRE(obs.size() == 2);  // HEAD newNonce, POST newAccount
  CHECK(obs[0].endpoint == mockca::Endpoint::kNewNonce);
  CHECK(obs[1].endpoint == mockca::Endpoint::kNewAccount);
  CHECK(obs[1].has_jwk);
  CHECK(!obs[1].has_kid);
  CHECK(obs[1].nonce == obs[0].replay_nonce);
  CHECK(obs[1].jws_url == "https://ca.test:14000/new-account");
  CHECK(obs[1].status == 201);
  CHECK(obs[1].content_type == "application/jose+json");
  CHECK(obs[1].user_agent == "mockca-unit-test");
  auto j = mockca::to_json(obs[1]);
  CHECK(j["endpoint"] == "newAccount");
  CHECK(j["seq"] == 2);
  CHECK(env.ca->stats()["accounts"] == 1);
}
