#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "acme/timestamp.hpp"
#include "client/csr.hpp"
#include "common/json.hpp"
#include "http/link.hpp"
#include "jose/base64url.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

using op::fetch;
using op::member_or;
using op::text;

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

// Alternate chains fetched per certificate download, so a hostile server
// listing thousands of links cannot make the step unbounded.
constexpr std::size_t kMaxAlternates = 4;

// identifiers: [{"type","value"}] as given, or "dns": ["a", "b"] shorthand.
json identifiers_arg(const json& args) {
  if (args.contains("identifiers")) return args["identifiers"];
  json ids = json::array();
  for (const auto& name : args.value("dns", json::array())) ids.push_back({{"type", "dns"}, {"value", name}});
  for (const auto& ip : args.value("ip", json::array())) ids.push_back({{"type", "ip"}, {"value", ip}});
  return ids;
}

std::string rfc3339_in(long long seconds) {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return acme::Timestamp::from_unix_seconds(now.time_since_epoch().count() + seconds).to_string();
}

OpResult new_order(ServerExecutor& ex, const json& args, Observation& o) {
  json payload = {{"identifiers", identifiers_arg(args)}};
  for (const char* member : {"notBefore", "notAfter"})
    if (args.contains(member)) payload[member] = args[member];
  // Relative validity requests, since a scenario file cannot know the date.
  if (args.contains("not_before_in") && args["not_before_in"].is_number_integer())
    payload["notBefore"] = rfc3339_in(args["not_before_in"].get<long long>());
  if (args.contains("not_after_in") && args["not_after_in"].is_number_integer())
    payload["notAfter"] = rfc3339_in(args["not_after_in"].get<long long>());
  o.facts["identifiers"] = payload["identifiers"];
  o.facts["payload"] = payload;
  op::signed_post(ex, o, ex.session().endpoint("newOrder"), payload, op::arg_string(args, "key", "account"), true);
  // A refusal is the expected outcome of some scenarios; they say may_fail.
  return op::finish(o, {201}, "newOrder");
}

OpResult new_authz(ServerExecutor& ex, const json& args, Observation& o) {
  json ids = identifiers_arg(args);
  json identifier = args.contains("identifier") ? args["identifier"] : (ids.empty() ? json() : ids[0]);
  o.facts["identifier"] = identifier;
  o.facts["payload"] = {{"identifier", identifier}};
  op::signed_post(ex, o, ex.session().endpoint("newAuthz"), o.facts["payload"], op::arg_string(args, "key", "account"), true);
  return op::finish(o, {201}, "newAuthz");
}

// Fetches the order and each of its authorizations without answering any
// challenge, for the checks that judge what the server offers.
OpResult authorizations(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  json order = fetch(ex, op::arg_string(args, "order"), key_name);
  if (!order.is_object() || !order.contains("authorizations") || !order["authorizations"].is_array())
    return OpResult{op::result_of(o), "the order could not be fetched", std::nullopt};
  json facts = json::array();
  for (const auto& url : order["authorizations"]) {
    if (!url.is_string()) continue;
    op::signed_post(ex, o, url.get<std::string>(), std::nullopt, key_name, true);
    facts.push_back({{"url", url}, {"http", o.status()}, {"before", o.status() == 200 ? o.body : json()}});
  }
  o.facts["order"] = order;
  o.facts["identifiers"] = member_or(order, "identifiers", json::array());
  o.facts["authorizations"] = facts;
  OpResult r = op::finish(o, {200}, "authorization fetch");
  if (!r.failure && facts.empty()) r.failure = "the order lists no authorizations";
  return r;
}

// Responds to one challenge of `type` in every authorization of an order,
// then waits for each authorization to leave "pending".
// An RSA-1024 key: too weak for any certificate, which is the point of the
// weak-key CSR.  Generated here because the harness's key generator only
// makes keys fit for use.
Result<std::shared_ptr<jose::PrivateKey>> weak_rsa_key() {
  std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 1024) <= 0)
    return make_error("weak-key", "OpenSSL cannot set up RSA-1024 key generation");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) <= 0) return make_error("weak-key", "RSA-1024 key generation failed");
  std::unique_ptr<EVP_PKEY, EvpPkeyFree> pkey(raw);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return make_error("weak-key", "cannot write the RSA-1024 key as PEM");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  auto key = jose::PrivateKey::from_pem(std::string_view(data, static_cast<std::size_t>(len)));
  if (!key) return key.error().nested("weak-key");
  return std::make_shared<jose::PrivateKey>(std::move(*key));
}

// The key a finalize variant puts into its CSR.
Result<std::shared_ptr<jose::PrivateKey>> csr_key(ServerExecutor& ex, const std::string& variant, const json& args,
                                                  const std::string& account_key) {
  if (variant == "account-key") return ex.key(account_key);
  if (variant == "other-account-key") {
    const std::string other = op::arg_string(args, "cert_key", "other");
    if (!ex.state().accounts.count(other)) return make_error("args.cert_key", "no account was registered with key " + other);
    return ex.key(other);
  }
  if (variant == "weak-key") {
    auto key = weak_rsa_key();
    if (key) ex.state().keys["weak-cert"] = *key;
    return key;
  }
  return ex.key(op::arg_string(args, "cert_key", "cert"), op::arg_string(args, "cert_key_type"));
}

OpResult finalize(ServerExecutor& ex, const json& args, Observation& o) {
  static const std::vector<std::string> variants = {"matching",          "missing-name", "extra-name",   "account-key",
                                                    "other-account-key", "bad-signature", "weak-key"};
  const std::string key_name = op::arg_string(args, "key", "account");
  const std::string variant = op::arg_string(args, "csr", "matching");
  if (std::find(variants.begin(), variants.end(), variant) == variants.end())
    return op_harness_error("unknown CSR variant \"" + variant + "\"");
  const std::string order_url = op::arg_string(args, "order");
  json order = fetch(ex, order_url, key_name);
  if (!order.is_object()) return OpResult{op::result_of(o), "the order could not be fetched", std::nullopt};
  std::vector<client::CsrIdentifier> ids;
  const json ordered = member_or(order, "identifiers", json::array());
  for (const auto& id : ordered.is_array() ? ordered : json::array()) ids.push_back({text(id, "type"), text(id, "value")});
  if (variant == "missing-name" && ids.size() > 1) ids.pop_back();
  else if (variant == "missing-name") ids.clear();
  if (variant == "extra-name") ids.push_back({"dns", ex.random_label() + ".extra." + ex.config().domain_suffix});
  auto cert_key = csr_key(ex, variant, args, key_name);
  if (!cert_key) return op_harness_error(cert_key.error().to_string());
  auto csr = client::build_csr(**cert_key, ids, {.corrupt_signature = variant == "bad-signature"});
  if (!csr) return op_harness_error("cannot build the CSR: " + csr.error().to_string());
  json names = json::array();
  for (const auto& id : ids) names.push_back({{"type", id.type}, {"value", id.value}});
  o.facts["csr"] = variant;
  o.facts["csr_identifiers"] = names;
  o.facts["order_before"] = order;
  o.facts["identifiers"] = member_or(order, "identifiers", json::array());
  // An order not (yet) ready: record what each authorization says, so that a
  // refusal (or an issuance) can be judged against them.
  if (text(order, "status") != "ready" && text(order, "status") != "valid") {
    json statuses = json::object();
    for (const auto& url : member_or(order, "authorizations", json::array()))
      if (url.is_string()) statuses[url.get<std::string>()] = text(fetch(ex, url, key_name), "status");
    o.facts["authorization_status"] = statuses;
  }
  op::signed_post(ex, o, text(order, "finalize"), json{{"csr", jose::base64url_encode(*csr)}}, key_name, true);
  // What became of the order: a refused CSR should leave it ready (§7.4),
  // an accepted one should lead to a certificate unless something (such as
  // a deactivated authorization) forbids it.
  json after = fetch(ex, order_url, key_name);
  if (o.status() == 200 && member_or(args, "wait", false) == true) {
    const auto deadline = Clock::now() + ex.config().poll_timeout;
    while (text(after, "status") == "processing" && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      after = fetch(ex, order_url, key_name);
    }
  }
  o.facts["order_after"] = after;
  if (variant != "matching") {
    OpResult r;
    r.result = op::result_of(o);
    if (o.facts.contains("harness_error")) r.harness_error = o.facts["harness_error"].get<std::string>();
    return r;  // the checks judge the rejection
  }
  return op::finish(o, {200}, "finalize");
}

// The alternate chains a certificate answer links to (§7.4.2), each fetched
// with POST-as-GET.
json fetch_alternates(ServerExecutor& ex, const Observation& o, const std::string& key_name) {
  json out = json::array();
  auto links = http::parse_link_headers(o.main->response->get_all("Link"));
  if (!links) return out;
  auto resolved = http::resolve_links(*links, o.main->request.url);
  auto key = ex.key(key_name);
  auto acct = ex.state().accounts.find(key_name);
  if (!key || acct == ex.state().accounts.end()) return out;
  for (const auto& link : http::find_links(resolved ? *resolved : *links, "alternate")) {
    if (out.size() == kMaxAlternates) break;
    client::Posted p = ex.session().post(link.uri, std::nullopt, client::Signer{key->get(), acct->second});
    json alt = {{"url", link.uri}, {"exchange", p.exchange.id}, {"http", 0}};
    if (p.exchange.response) {
      alt["http"] = p.exchange.response->status;
      alt["content_type"] = p.exchange.response->get("Content-Type").value_or("");
      if (p.exchange.response->status == 200) alt["chain"] = p.exchange.response->body;
    } else {
      alt["error"] = p.exchange.error;
    }
    out.push_back(alt);
  }
  return out;
}

OpResult certificate(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string url = op::arg_string(args, "url");
  const std::string key_name = op::arg_string(args, "key", "account");
  op::signed_post(ex, o, url, std::nullopt, key_name, true);
  OpResult r = op::finish(o, {200}, "certificate download");
  if (o.main && o.main->response && o.status() == 200) {
    ex.state().certificates[url] = o.main->response->body;
    o.facts["chain"] = o.main->response->body;
    if (args.contains("identifiers")) o.facts["identifiers"] = args["identifiers"];
    auto key = ex.state().keys.find(op::arg_string(args, "cert_key", "cert"));
    if (key != ex.state().keys.end()) o.facts["cert_spki_b64"] = jose::base64url_encode(client::spki_of(*key->second));
    o.facts["alternates"] = fetch_alternates(ex, o, key_name);
    r.result = op::result_of(o);
  }
  return r;
}

OpResult revoke(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string cert_url = op::arg_string(args, "certificate");
  auto pem = ex.state().certificates.find(cert_url);
  if (pem == ex.state().certificates.end()) return op_harness_error("no downloaded certificate at " + cert_url);
  auto chain = client::parse_pem_chain(pem->second);
  if (!chain || chain->empty()) return op_harness_error("the downloaded certificate does not parse");
  json payload = {{"certificate", jose::base64url_encode(chain->front().der)}};
  if (args.contains("reason")) payload["reason"] = args["reason"];
  o.facts["payload"] = payload;
  const std::string by = op::arg_string(args, "by", "account");
  const bool by_cert_key = by == "certificate-key";
  const std::string signer = by_cert_key ? op::arg_string(args, "cert_key", "cert") : op::arg_string(args, "key", "account");
  o.facts["by"] = by;
  o.facts["signer"] = signer;
  op::signed_post(ex, o, ex.session().endpoint("revokeCert"), payload, signer, !by_cert_key);
  return op::finish(o, {200}, "revokeCert");
}

// Posts {"status": "deactivated"}; with `owner`, reads the authorization back
// with the owner's key so a refused request can be shown to have changed
// nothing.
OpResult deactivate_authorization(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string url = op::arg_string(args, "url");
  const std::string owner = op::arg_string(args, "owner");
  if (!owner.empty()) o.facts["before"] = fetch(ex, url, owner);
  op::signed_post(ex, o, url, json{{"status", "deactivated"}}, op::arg_string(args, "key", "account"), true);
  if (!owner.empty()) o.facts["after"] = fetch(ex, url, owner);
  return op::finish(o, {200}, "authorization deactivation");
}

}  // namespace

std::vector<OpDef> ops_orders() {
  return {
      OpDef{"new-order", "newOrder for identifiers (notBefore/notAfter absolute, or not_before_in/not_after_in seconds from now)",
            {"key", "identifiers", "dns", "ip", "notBefore", "notAfter", "not_before_in", "not_after_in"}, true, new_order},
      OpDef{"new-authz", "newAuthz (pre-authorization) for one identifier", {"key", "identifier", "dns", "ip"}, true, new_authz},
      OpDef{"authorizations", "fetch an order and each of its authorizations without answering challenges", {"key", "order"},
            true, authorizations},
      OpDef{"finalize",
            "finalize an order with a CSR variant: matching, missing-name, extra-name, account-key, other-account-key, "
            "bad-signature, weak-key (RSA-1024); `wait` polls an accepted order until it leaves processing",
            {"key", "order", "csr", "cert_key", "cert_key_type", "wait"}, true, finalize},
      OpDef{"certificate", "download a certificate chain and the alternates it links to", {"key", "url", "identifiers", "cert_key"},
            true, certificate},
      OpDef{"revoke", "revokeCert by the account key (kid) or the certificate key (jwk)", {"key", "certificate", "by", "reason", "cert_key"},
            true, revoke},
      OpDef{"deactivate-authorization", "set an authorization's status to deactivated (`owner` reads it back)",
            {"key", "url", "owner"}, true, deactivate_authorization},
  };
}

}  // namespace acmespec::server
