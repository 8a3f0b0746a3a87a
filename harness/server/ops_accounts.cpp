// RFC 8555 §7.3 operations (accounts, external account binding, key change,
// deactivation) and the orders list of §7.1.2.1.
//
// Deliberate faults that live inside the payload (a broken binding, a broken
// inner JWS) are op arguments rather than mutations: the mutation knobs act
// on the outer request, and these faults must leave the outer request valid
// so that the fault is the only reason for a rejection.
#include <algorithm>
#include <cstdint>
#include <set>

#include "client/request_signer.hpp"
#include "common/json.hpp"
#include "http/link.hpp"
#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;

namespace {

// A signed request made beside the step's main exchange (a probe before or
// after it), summarised for the checks: status, problem type, body, Location.
json side_post(ServerExecutor& ex, const std::string& url, const std::optional<json>& payload,
               const std::string& key_name, const std::string& kid) {
  json out = {{"url", url}};
  auto key = ex.key(key_name);
  if (!key) {
    out["error"] = key.error().to_string();
    return out;
  }
  client::Posted p = ex.session().post(url, payload, client::Signer{key->get(), kid});
  out["exchange"] = p.exchange.id;
  if (!p.harness_error.empty() || !p.exchange.response) {
    out["error"] = p.harness_error.empty() ? p.exchange.error : p.harness_error;
    return out;
  }
  out["status"] = p.exchange.response->status;
  auto doc = parse_json(p.exchange.response->body);
  out["body"] = doc ? *doc : json();
  out["type"] = problem_type(out["body"]);
  if (auto location = p.exchange.response->get("Location")) out["location"] = *location;
  return out;
}

const std::vector<std::string> kEabFaults = {"bad-mac", "unknown-kid", "nonce", "wrong-url", "other-key"};
const std::vector<std::string> kInnerFaults = {"no-jwk",           "bad-signature",    "wrong-url",
                                               "nonce-present",    "old-key-mismatch", "account-mismatch",
                                               "signed-by-old-key"};

bool one_of(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The externalAccountBinding member (§7.3.4), valid or with one fault.
Result<json> binding(ServerExecutor& ex, const jose::PrivateKey& account_key, const std::string& url,
                     const std::string& fault) {
  auto mac_key = jose::base64url_decode(ex.config().eab_hmac_key);
  if (!mac_key) return make_error("--eab-hmac-key", "not base64url: " + mac_key.error().reason);
  if (fault.empty()) return client::external_account_binding(account_key, url, ex.config().eab_kid, *mac_key);
  json header = {{"alg", "HS256"}, {"kid", ex.config().eab_kid}, {"url", url}};
  json bound_key = account_key.public_jwk().to_json();
  if (fault == "unknown-kid") header["kid"] = ex.config().eab_kid + "-unknown-" + ex.random_label();
  if (fault == "nonce") header["nonce"] = ex.random_label();
  if (fault == "wrong-url") {
    const std::string other = ex.session().endpoint("newOrder");
    header["url"] = other.empty() || other == url ? url + "/other" : other;
  }
  if (fault == "other-key") {
    auto other = ex.key("eab-other-key");
    if (!other) return other.error();
    bound_key = (*other)->public_jwk().to_json();
  }
  auto jws = jose::sign_flattened_mac(header, bound_key.dump(), jose::MacAlg::HS256, *mac_key);
  if (!jws) return jws.error();
  if (fault == "bad-mac") jose::corrupt_signature(*jws);
  return jws->to_json();
}

// The inner JWS of a key change (§7.3.5), valid or with one fault.
Result<json> inner_jws(ServerExecutor& ex, const jose::PrivateKey& new_key, const jose::PrivateKey& old_key,
                       const std::string& url, const std::string& account_url, const std::string& fault,
                       const std::string& other_account) {
  if (fault.empty()) return client::key_change_inner(new_key, url, account_url, old_key);
  json header = {{"alg", jose::alg_name(new_key.default_alg())}, {"jwk", new_key.public_jwk().to_json()}, {"url", url}};
  json payload = {{"account", account_url}, {"oldKey", old_key.public_jwk().to_json()}};
  if (fault == "no-jwk") header.erase("jwk");
  if (fault == "wrong-url") {
    const std::string other = ex.session().endpoint("newAccount");
    header["url"] = other.empty() || other == url ? url + "/other" : other;
  }
  if (fault == "nonce-present") header["nonce"] = ex.random_label();
  if (fault == "old-key-mismatch") {
    auto stranger = ex.key("key-change-stranger");
    if (!stranger) return stranger.error();
    payload["oldKey"] = (*stranger)->public_jwk().to_json();
  }
  if (fault == "account-mismatch") payload["account"] = other_account.empty() ? account_url + "0" : other_account;
  auto builder = jose::JwsBuilder::from_header(header);
  if (!builder) return builder.error();
  builder->payload(payload.dump());
  auto jws = builder->sign(fault == "signed-by-old-key" ? old_key : new_key);
  if (!jws) return jws.error();
  if (fault == "bad-signature") jose::corrupt_signature(*jws);
  return jws->to_json();
}

// "eab": absent = a valid binding when credentials were given; true/false;
// or the name of a fault.  Returns "none", "valid" or the fault.
Result<std::string> eab_mode(const ServerExecutor& ex, const json& args) {
  const bool configured = !ex.config().eab_kid.empty();
  auto it = args.find("eab");
  std::string mode = configured ? "valid" : "none";
  if (it != args.end() && it->is_boolean()) mode = it->get<bool>() ? "valid" : "none";
  else if (it != args.end() && it->is_string() && one_of(kEabFaults, it->get<std::string>())) mode = it->get<std::string>();
  else if (it != args.end()) return make_error("args.eab", "must be true, false or one of bad-mac, unknown-kid, nonce, wrong-url, other-key");
  if (mode != "none" && !configured) return make_error("args.eab", "a binding needs --eab-kid and --eab-hmac-key");
  return mode;
}

OpResult new_account(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  auto key = ex.key(key_name, op::arg_string(args, "key_type"));
  if (!key) return op_harness_error(key.error().to_string());
  auto mode = eab_mode(ex, args);
  if (!mode) return op_harness_error(mode.error().to_string());
  json payload = json::object();
  // null leaves the member out: "not agreed" in its two spellings.
  auto tos = args.find("termsOfServiceAgreed");
  if (tos == args.end()) payload["termsOfServiceAgreed"] = true;
  else if (!tos->is_null()) payload["termsOfServiceAgreed"] = *tos;
  if (args.contains("contact")) payload["contact"] = args["contact"];
  const bool only_existing = args.value("onlyReturnExisting", json(false)) == json(true);
  if (only_existing) payload["onlyReturnExisting"] = true;
  if (args.contains("extra") && args["extra"].is_object()) payload.update(args["extra"]);
  const std::string url = ex.session().endpoint("newAccount");
  o.facts["payload"] = payload;  // without the binding: the checks need no MAC
  o.facts["eab"] = *mode;
  o.facts["directory_meta"] = ex.session().directory().value("meta", json::object());
  if (*mode != "none") {
    auto eab = binding(ex, **key, url, *mode == "valid" ? "" : *mode);
    if (!eab) return op_harness_error(eab.error().to_string());
    payload["externalAccountBinding"] = *eab;
  }
  auto known = ex.state().accounts.find(key_name);
  const bool probe = !o.mutations.any() && known != ex.state().accounts.end();
  if (probe) {
    o.facts["known_account"] = known->second;
    o.facts["account_before"] = side_post(ex, known->second, std::nullopt, key_name, known->second);
  }
  op::signed_post(ex, o, url, payload, key_name, false);
  OpResult r = op::finish(o, {200, 201}, "newAccount");
  if (r.harness_error || o.mutations.any()) return r;
  if (probe) o.facts["account_after"] = side_post(ex, known->second, std::nullopt, key_name, known->second);
  if (only_existing && o.status() >= 400) o.facts["recheck"] = side_post(ex, url, payload, key_name, "");
  if (!r.failure) {
    auto location = o.header("Location");
    if (location && !location->empty()) ex.state().accounts[key_name] = *location;
    else r.failure = "newAccount answered without a Location header";
  }
  r.result = op::result_of(o);
  return r;
}

OpResult account(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  auto acct = ex.state().accounts.find(key_name);
  if (acct == ex.state().accounts.end()) return op_harness_error("no account for key \"" + key_name + "\": run new-account first");
  const std::string url = op::arg_string(args, "url", acct->second);
  std::optional<json> payload;
  if (args.contains("payload")) payload = args["payload"];
  o.facts["payload"] = payload ? *payload : json();
  // The state before an update, so a check can tell what the update changed.
  if (payload && !o.mutations.any()) o.facts["account_before"] = side_post(ex, url, std::nullopt, key_name, acct->second);
  op::signed_post(ex, o, url, payload, key_name, true);
  return op::finish(o, {200}, "account");
}

OpResult deactivate_account(ServerExecutor& ex, const json& args, Observation& o) {
  json a = args;
  a["payload"] = json{{"status", "deactivated"}};
  return account(ex, a, o);
}

OpResult key_change(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  const std::string new_name = op::arg_string(args, "new_key", key_name + "-new");
  const std::string fault = op::arg_string(args, "inner");
  if (!fault.empty() && !one_of(kInnerFaults, fault)) return op_harness_error("args.inner: unknown fault \"" + fault + "\"");
  auto acct = ex.state().accounts.find(key_name);
  if (acct == ex.state().accounts.end()) return op_harness_error("no account for key \"" + key_name + "\": run new-account first");
  const std::string account_url = acct->second;
  auto old_key = ex.key(key_name);
  auto new_key = ex.key(new_name, op::arg_string(args, "new_key_type"));
  if (!old_key || !new_key) return op_harness_error("cannot make the keys for the key change");
  const std::string url = ex.session().endpoint("keyChange");
  auto inner = inner_jws(ex, **new_key, **old_key, url, account_url, fault, op::arg_string(args, "inner_account"));
  if (!inner) return op_harness_error(inner.error().to_string());
  o.facts["inner_fault"] = fault;
  o.facts["account"] = account_url;
  auto taken = ex.state().accounts.find(new_name);
  const std::string other_account = taken != ex.state().accounts.end() ? taken->second : "";
  if (!other_account.empty()) o.facts["new_key_account"] = other_account;
  op::signed_post(ex, o, url, *inner, key_name, true);
  OpResult r = op::finish(o, {200}, "keyChange");
  if (r.harness_error || o.mutations.any()) return r;
  // Probes: which key the account answers to now, and whether the account
  // that already held the new key is untouched.
  if (o.status() == 200) {
    ex.state().accounts[new_name] = account_url;
    o.facts["new_key"] = new_name;
    o.facts["probe_new_key"] = side_post(ex, account_url, std::nullopt, new_name, account_url);
  } else if (!other_account.empty()) {
    o.facts["probe_new_key_account"] = side_post(ex, other_account, std::nullopt, new_name, other_account);
  }
  o.facts["probe_old_key"] = side_post(ex, account_url, std::nullopt, key_name, account_url);
  r.result = op::result_of(o);
  return r;
}

// POST-as-GET of the account's orders list, following Link rel="next"
// (bounded, and stopping at a page already seen).
OpResult orders_list(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  auto acct = ex.state().accounts.find(key_name);
  if (acct == ex.state().accounts.end()) return op_harness_error("no account for key \"" + key_name + "\": run new-account first");
  const json pages_arg = args.value("max_pages", json(10));
  const int max_pages = pages_arg.is_number_integer() ? static_cast<int>(std::clamp<std::int64_t>(pages_arg.get<std::int64_t>(), 1, 100)) : 10;
  std::string url = op::arg_string(args, "url");
  if (url.empty()) {
    json account_probe = side_post(ex, acct->second, std::nullopt, key_name, acct->second);
    o.facts["account"] = account_probe;
    const json& body = account_probe.contains("body") ? account_probe["body"] : json();
    if (body.is_object() && body.contains("orders") && body["orders"].is_string()) url = body["orders"].get<std::string>();
    if (url.empty()) return OpResult{op::result_of(o), "the account object names no orders URL", std::nullopt};
  }
  o.facts["orders_url"] = url;
  json pages = json::array();
  json all_orders = json::array();
  std::set<std::string> seen;
  while (!url.empty()) {
    if (static_cast<int>(pages.size()) == max_pages) {
      o.facts["truncated"] = true;
      break;
    }
    seen.insert(url);
    op::signed_post(ex, o, url, std::nullopt, key_name, true);
    json page = {{"url", url}, {"status", o.status()}, {"body", o.body}};
    if (o.main) page["exchange"] = o.main->id;
    if (o.body.is_object() && o.body.contains("orders") && o.body["orders"].is_array())
      for (const auto& order : o.body["orders"]) all_orders.push_back(order);
    url.clear();
    if (o.main && o.main->response && o.status() == 200) {
      auto links = http::parse_link_headers(o.main->response->get_all("Link"));
      if (!links) page["link_error"] = links.error().to_string();
      auto resolved = links ? http::resolve_links(*links, o.main->request.url) : links;
      if (resolved) {
        auto next = http::find_links(*resolved, "next");
        if (!next.empty()) url = next.front().uri;
      }
    }
    if (!url.empty()) page["next"] = url;
    pages.push_back(page);
    if (!url.empty() && seen.count(url)) {
      o.facts["loop"] = url;
      break;
    }
  }
  o.facts["pages"] = pages;
  OpResult r = op::finish(o, {200}, "orders list");
  if (!r.failure && !o.mutations.any())
    for (const auto& page : pages)
      if (page["status"] != 200) r.failure = "orders list page " + page["url"].get<std::string>() + " answered HTTP " + page["status"].dump();
  r.result = op::result_of(o);
  r.result["orders"] = all_orders;
  return r;
}

}  // namespace

std::vector<OpDef> ops_accounts() {
  return {
      OpDef{"new-account",
            "newAccount with a fresh or named key; termsOfServiceAgreed null omits it; eab: true, false or a fault "
            "(bad-mac, unknown-kid, nonce, wrong-url, other-key)",
            {"key", "key_type", "contact", "termsOfServiceAgreed", "onlyReturnExisting", "eab", "extra"}, true, new_account},
      OpDef{"account", "POST to the account URL (update with payload, or POST-as-GET)", {"key", "payload", "url"}, true,
            account},
      OpDef{"deactivate-account", "set the account's status to deactivated", {"key", "url"}, true, deactivate_account},
      OpDef{"key-change",
            "roll the account over to a new key (§7.3.5); inner: a fault in the inner JWS (no-jwk, bad-signature, "
            "wrong-url, nonce-present, old-key-mismatch, account-mismatch with inner_account, signed-by-old-key)",
            {"key", "new_key", "new_key_type", "inner", "inner_account"}, true, key_change},
      OpDef{"orders-list", "POST-as-GET of the account's orders list, following rel=next pages (max_pages, default 10)",
            {"key", "url", "max_pages"}, true, orders_list},
  };
}

}  // namespace acmespec::server
