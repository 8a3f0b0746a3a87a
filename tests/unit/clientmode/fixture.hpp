// Hand-built observation logs for client check tests.
#pragma once

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "clientmode/checks.hpp"
#include "engine/catalogue.hpp"

namespace fixture {

// The shipped catalogue, loaded once.
inline const acmespec::engine::Catalogue& catalogue() {
  static const acmespec::engine::Catalogue cat = [] {
    auto c = acmespec::engine::load_catalogue(std::string(ACMESPEC_SOURCE_DIR) + "/scenarios/requirements.json");
    REQUIRE(c.ok());
    return *c;
  }();
  return cat;
}

using acmespec::mockca::Endpoint;
using acmespec::mockca::Observation;

inline const std::chrono::system_clock::time_point kT0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

// Builds a log: each add() appends one request, `at` in seconds after kT0.
struct Log {
  acmespec::clientmode::ClientRun run;
  int nonce_counter = 0;

  Log() {
    run.identifiers = {"a.acmespec.test"};
    run.exit_code = 0;
  }

  std::string next_nonce() { return "n" + std::to_string(++nonce_counter); }

  Observation& add(Endpoint e, const std::string& method, double at, const std::string& url = "") {
    Observation o;
    o.seq = run.observations.size() + 1;
    o.at = kT0 + std::chrono::milliseconds(static_cast<long>(at * 1000));
    o.method = method;
    o.endpoint = e;
    o.url = url.empty() ? "https://127.0.0.1:14000/" + std::string(acmespec::mockca::endpoint_name(e)) : url;
    o.user_agent = "client/1.0";
    o.status = 200;
    o.replay_nonce = next_nonce();
    run.observations.push_back(o);
    return run.observations.back();
  }

  // A signed POST using the previous answer's nonce, with kid (jwk for newAccount).
  Observation& post(Endpoint e, double at, nlohmann::json payload = nlohmann::json::object(), const std::string& url = "") {
    const std::string nonce = run.observations.empty() ? "n0" : run.observations.back().replay_nonce;
    Observation& o = add(e, "POST", at, url);
    o.content_type = "application/jose+json";
    o.nonce = nonce;
    o.jws_url = o.url;
    o.alg = "ES256";
    o.has_jwk = e == Endpoint::kNewAccount;
    o.has_kid = !o.has_jwk;
    o.protected_header = nlohmann::json{{"alg", o.alg}, {"nonce", nonce}, {"url", o.url}};
    if (o.has_jwk) (*o.protected_header)["jwk"] = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}};
    else (*o.protected_header)["kid"] = "https://127.0.0.1:14000/account/1";
    o.payload_empty = payload.is_null();
    o.payload = payload;
    return o;
  }
  Observation& post_as_get(Endpoint e, double at, const std::string& url = "") { return post(e, at, nullptr, url); }

  // A complete, well-behaved issuance.
  static Log happy() {
    Log l;
    l.add(Endpoint::kDirectory, "GET", 0.0);
    l.add(Endpoint::kNewNonce, "HEAD", 0.1);
    l.post(Endpoint::kNewAccount, 0.2, {{"termsOfServiceAgreed", true}}).status = 201;
    l.post(Endpoint::kNewOrder, 0.3, {{"identifiers", {{{"type", "dns"}, {"value", "a.acmespec.test"}}}}}).status = 201;
    l.post_as_get(Endpoint::kAuthorization, 0.4).resource_status = "pending";
    l.post(Endpoint::kChallenge, 0.5).resource_status = "processing";
    l.post_as_get(Endpoint::kAuthorization, 1.5).resource_status = "valid";
    auto& fin = l.post(Endpoint::kFinalize, 1.6, {{"csr", "..."}});
    fin.csr_names = {"a.acmespec.test"};
    fin.csr_key_is_account_key = false;
    fin.resource_status = "valid";
    l.post_as_get(Endpoint::kCertificate, 1.7);
    return l;
  }
};

inline acmespec::engine::Judgement judge(const std::string& id, const acmespec::clientmode::ClientRun& run) {
  const auto* def = acmespec::clientmode::find_client_check(id);
  REQUIRE(def != nullptr);
  return def->judge(run);
}

}  // namespace fixture
