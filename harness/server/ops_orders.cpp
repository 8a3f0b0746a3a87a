#include <chrono>
#include <thread>

#include "client/csr.hpp"
#include "common/json.hpp"
#include "http/retry_after.hpp"
#include "jose/base64url.hpp"
#include "jose/challenge.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

OpResult harness_error(std::string why) { return OpResult{{}, std::nullopt, std::move(why)}; }

// identifiers: [{"type","value"}] as given, or "dns": ["a", "b"] shorthand.
json identifiers_arg(const json& args) {
  if (args.contains("identifiers")) return args["identifiers"];
  json ids = json::array();
  for (const auto& name : args.value("dns", json::array())) ids.push_back({{"type", "dns"}, {"value", name}});
  for (const auto& ip : args.value("ip", json::array())) ids.push_back({{"type", "ip"}, {"value", ip}});
  return ids;
}

// One POST-as-GET recorded as a side exchange (not the main one).
json fetch(ServerExecutor& ex, const std::string& url, const std::string& key_name) {
  auto key = ex.key(key_name);
  auto acct = ex.state().accounts.find(key_name);
  if (!key || acct == ex.state().accounts.end()) return nullptr;
  client::Posted p = ex.session().post(url, std::nullopt, client::Signer{key->get(), acct->second});
  if (!p.exchange.response || p.exchange.response->status != 200) return nullptr;
  auto doc = parse_json(p.exchange.response->body);
  return doc ? *doc : json();
}

// Polls `url` until its status is one of `until` or time runs out; honours
// Retry-After (bounded by what is left of the time budget).
json poll_until(ServerExecutor& ex, Observation& o, const std::string& url, const std::string& key_name,
                const std::vector<std::string>& until) {
  const auto deadline = Clock::now() + ex.config().poll_timeout;
  json statuses = json::array();
  json waits = json::array();
  while (true) {
    op::signed_post(ex, o, url, std::nullopt, key_name, true);
    const std::string status = o.body.is_object() ? o.body.value("status", "") : "";
    statuses.push_back(status);
    if (o.status() != 200 || std::find(until.begin(), until.end(), status) != until.end()) break;
    auto wait = std::chrono::milliseconds(500);
    if (auto ra = o.header("Retry-After")) {
      auto parsed = http::parse_retry_after(*ra, std::chrono::system_clock::now());
      if (parsed) wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*parsed));
      waits.push_back({{"retry_after", *ra}});
    }
    if (Clock::now() + wait > deadline) {
      o.facts["poll_timed_out"] = true;
      break;
    }
    std::this_thread::sleep_for(std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())));
  }
  o.facts["statuses"] = statuses;
  o.facts["retry_after"] = waits;
  return o.body;
}

// What the responders saw of the validation of one identifier: the HTTP
// requests for its token, the TXT lookups of its _acme-challenge name, or
// the TLS handshakes naming it.
json validation_seen(responders::Responders& r, const std::string& type, const std::string& host,
                     const std::string& token) {
  json seen = json::array();
  if (type == "http-01") {
    for (const auto& e : r.http_history())
      if (e.path.find(token) != std::string::npos) seen.push_back(responders::to_json(e));
  } else if (type == "dns-01") {
    const std::string name = "_acme-challenge." + host;
    for (const auto& e : r.dns_history())
      if (e.name == name || e.name == name + ".") seen.push_back(responders::to_json(e));
  } else if (type == "tls-alpn-01") {
    for (const auto& e : r.tls_history())
      if (e.sni == host) seen.push_back(responders::to_json(e));
  }
  return seen;
}

OpResult new_order(ServerExecutor& ex, const json& args, Observation& o) {
  json payload = {{"identifiers", identifiers_arg(args)}};
  for (const char* member : {"notBefore", "notAfter"})
    if (args.contains(member)) payload[member] = args[member];
  o.facts["identifiers"] = payload["identifiers"];
  o.facts["payload"] = payload;
  op::signed_post(ex, o, ex.session().endpoint("newOrder"), payload, op::arg_string(args, "key", "account"), true);
  return op::finish(o, {201}, "newOrder");
}

// Responds to one challenge of `type` in every authorization of an order,
// then waits for each authorization to leave "pending".
OpResult authorize(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  const std::string type = op::arg_string(args, "type", "http-01");
  auto key = ex.key(key_name);
  if (!key) return harness_error(key.error().to_string());
  json order = fetch(ex, op::arg_string(args, "order"), key_name);
  if (!order.is_object() || !order.contains("authorizations"))
    return OpResult{op::result_of(o), "the order could not be fetched", std::nullopt};
  if (!ex.responders() && type != "none") return harness_error("no challenge responders are running");
  json authz_facts = json::array();
  for (const auto& authz_url : order["authorizations"]) {
    if (!authz_url.is_string()) continue;
    json authz = fetch(ex, authz_url, key_name);
    json fact = {{"url", authz_url}, {"before", authz}};
    if (!authz.is_object()) {
      authz_facts.push_back(fact);
      continue;
    }
    if (authz.value("status", "") == "valid") {  // reused authorization
      fact["reused"] = true;
      authz_facts.push_back(fact);
      continue;
    }
    const json ident = authz.value("identifier", json::object());
    const std::string host = ident.value("value", "");
    json chosen;
    for (const auto& ch : authz.value("challenges", json::array()))
      if (ch.is_object() && ch.value("type", "") == type) chosen = ch;
    if (!chosen.is_object()) {
      fact["error"] = "no " + type + " challenge offered";
      authz_facts.push_back(fact);
      continue;
    }
    const std::string token = chosen.value("token", "");
    const std::string keyauth = jose::key_authorization(token, (*key)->public_jwk());
    if (type == "http-01") {
      if (auto s = ex.responders()->add_http01_token(token, keyauth); !s) fact["error"] = s.error().to_string();
    } else if (type == "dns-01") {
      ex.responders()->zone().add_txt("_acme-challenge." + host, jose::dns01_txt_value(keyauth));
    } else if (type == "tls-alpn-01") {
      ex.responders()->add_tls_alpn_key_authorization(host, keyauth);
    }
    fact["challenge"] = chosen;
    op::signed_post(ex, o, chosen.value("url", ""), json::object(), key_name, true);
    fact["response_status"] = o.status();
    fact["response"] = o.body;
    if (o.status() == 200) fact["after"] = poll_until(ex, o, authz_url, key_name, {"valid", "invalid", "deactivated", "expired", "revoked"});
    fact["validation"] = validation_seen(*ex.responders(), type, host, token);
    authz_facts.push_back(fact);
  }
  o.facts["authorizations"] = authz_facts;
  o.facts["challenge_type"] = type;
  OpResult r = op::finish(o, {200}, type + " validation");
  for (const auto& f : authz_facts) {
    if (r.failure || o.mutations.any()) break;
    if (f.contains("error")) r.failure = f["url"].get<std::string>() + ": " + f["error"].get<std::string>();
    else if (f.contains("after") && f["after"].value("status", "") != "valid")
      r.failure = f["url"].get<std::string>() + " ended " + f["after"].value("status", "?");
  }
  return r;
}

OpResult poll(ServerExecutor& ex, const json& args, Observation& o) {
  std::vector<std::string> until;
  for (const auto& s : args.value("until", json::array({"valid", "invalid"}))) until.push_back(s.get<std::string>());
  poll_until(ex, o, op::arg_string(args, "url"), op::arg_string(args, "key", "account"), until);
  o.facts["resource"] = op::arg_string(args, "resource");
  OpResult r = op::finish(o, {200}, "poll");
  if (!r.failure && o.facts.value("poll_timed_out", false))
    r.failure = "still " + o.body.value("status", "?") + " after " + std::to_string(ex.config().poll_timeout.count()) + " s";
  return r;
}

OpResult finalize(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  const std::string variant = op::arg_string(args, "csr", "matching");
  json order = fetch(ex, op::arg_string(args, "order"), key_name);
  if (!order.is_object()) return OpResult{op::result_of(o), "the order could not be fetched", std::nullopt};
  std::vector<client::CsrIdentifier> ids;
  for (const auto& id : order.value("identifiers", json::array()))
    ids.push_back({id.value("type", ""), id.value("value", "")});
  if (variant == "missing-name" && ids.size() > 1) ids.pop_back();
  else if (variant == "missing-name") ids.clear();
  if (variant == "extra-name") ids.push_back({"dns", ex.random_label() + ".extra." + ex.config().domain_suffix});
  const std::string cert_key_name = variant == "account-key" ? key_name : op::arg_string(args, "cert_key", "cert");
  auto cert_key = ex.key(cert_key_name, op::arg_string(args, "cert_key_type"));
  if (!cert_key) return harness_error(cert_key.error().to_string());
  auto csr = client::build_csr(**cert_key, ids, {.corrupt_signature = variant == "bad-signature"});
  if (!csr) return harness_error("cannot build the CSR: " + csr.error().to_string());
  json names = json::array();
  for (const auto& id : ids) names.push_back({{"type", id.type}, {"value", id.value}});
  o.facts["csr"] = variant;
  o.facts["csr_identifiers"] = names;
  o.facts["order_before"] = order;
  o.facts["identifiers"] = order.value("identifiers", json::array());
  op::signed_post(ex, o, order.value("finalize", ""), json{{"csr", jose::base64url_encode(*csr)}}, key_name, true);
  const bool expect_rejection = variant != "matching";
  if (expect_rejection) {
    OpResult r;
    r.result = op::result_of(o);
    if (o.facts.contains("harness_error")) r.harness_error = o.facts["harness_error"].get<std::string>();
    return r;  // the checks judge the rejection
  }
  return op::finish(o, {200}, "finalize");
}

OpResult certificate(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string url = op::arg_string(args, "url");
  op::signed_post(ex, o, url, std::nullopt, op::arg_string(args, "key", "account"), true);
  OpResult r = op::finish(o, {200}, "certificate download");
  if (o.main && o.main->response && o.status() == 200) {
    ex.state().certificates[url] = o.main->response->body;
    o.facts["chain"] = o.main->response->body;
    if (args.contains("identifiers")) o.facts["identifiers"] = args["identifiers"];
    auto key = ex.state().keys.find(op::arg_string(args, "cert_key", "cert"));
    if (key != ex.state().keys.end()) o.facts["cert_spki_b64"] = jose::base64url_encode(client::spki_of(*key->second));
  }
  return r;
}

OpResult revoke(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string cert_url = op::arg_string(args, "certificate");
  auto pem = ex.state().certificates.find(cert_url);
  if (pem == ex.state().certificates.end()) return harness_error("no downloaded certificate at " + cert_url);
  auto chain = client::parse_pem_chain(pem->second);
  if (!chain || chain->empty()) return harness_error("the downloaded certificate does not parse");
  json payload = {{"certificate", jose::base64url_encode(chain->front().der)}};
  if (args.contains("reason")) payload["reason"] = args["reason"];
  o.facts["payload"] = payload;
  const bool by_cert_key = op::arg_string(args, "by", "account") == "certificate-key";
  const std::string signer = by_cert_key ? op::arg_string(args, "cert_key", "cert") : op::arg_string(args, "key", "account");
  op::signed_post(ex, o, ex.session().endpoint("revokeCert"), payload, signer, !by_cert_key);
  return op::finish(o, {200}, "revokeCert");
}

OpResult deactivate_authorization(ServerExecutor& ex, const json& args, Observation& o) {
  op::signed_post(ex, o, op::arg_string(args, "url"), json{{"status", "deactivated"}}, op::arg_string(args, "key", "account"), true);
  return op::finish(o, {200}, "authorization deactivation");
}

}  // namespace

std::vector<OpDef> ops_orders() {
  return {
      OpDef{"new-order", "newOrder for identifiers", {"key", "identifiers", "dns", "ip", "notBefore", "notAfter"}, true, new_order},
      OpDef{"authorize", "answer one challenge type in every authorization of an order and wait for the outcome",
            {"key", "order", "type"}, true, authorize},
      OpDef{"poll", "POST-as-GET a resource until its status is one of `until`", {"key", "url", "until", "resource"}, true, poll},
      OpDef{"finalize", "finalize an order with a CSR variant: matching, missing-name, extra-name, account-key, bad-signature",
            {"key", "order", "csr", "cert_key", "cert_key_type"}, true, finalize},
      OpDef{"certificate", "download a certificate chain", {"key", "url", "identifiers", "cert_key"}, true, certificate},
      OpDef{"revoke", "revokeCert by the account key or the certificate key", {"key", "certificate", "by", "reason", "cert_key"}, true,
            revoke},
      OpDef{"deactivate-authorization", "set an authorization's status to deactivated", {"key", "url"}, true,
            deactivate_authorization},
  };
}

}  // namespace acmespec::server
