#include "client/request_signer.hpp"
#include "jose/base64url.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;

namespace {

OpResult new_account(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  auto key = ex.key(key_name, op::arg_string(args, "key_type"));
  if (!key) return OpResult{{}, std::nullopt, key.error().to_string()};
  json payload = json::object();
  payload["termsOfServiceAgreed"] = args.value("termsOfServiceAgreed", true);
  if (args.contains("contact")) payload["contact"] = args["contact"];
  if (args.value("onlyReturnExisting", false)) payload["onlyReturnExisting"] = true;
  if (args.contains("extra")) payload.update(args["extra"]);
  const std::string url = ex.session().endpoint("newAccount");
  const bool eab_wanted = args.value("eab", !ex.config().eab_kid.empty());
  if (eab_wanted && !ex.config().eab_kid.empty()) {
    auto mac_key = jose::base64url_decode(ex.config().eab_hmac_key);
    if (!mac_key) return OpResult{{}, std::nullopt, "--eab-hmac-key is not base64url: " + mac_key.error().reason};
    auto eab = client::external_account_binding(**key, url, ex.config().eab_kid, *mac_key);
    if (!eab) return OpResult{{}, std::nullopt, eab.error().to_string()};
    payload["externalAccountBinding"] = *eab;
  }
  o.facts["payload"] = payload;
  o.facts["payload"].erase("externalAccountBinding");
  op::signed_post(ex, o, url, payload, key_name, false);
  OpResult r = op::finish(o, {200, 201}, "newAccount");
  if (!r.failure && !r.harness_error && !o.mutations.any()) {
    auto location = o.header("Location");
    if (location && !location->empty()) ex.state().accounts[key_name] = *location;
    else if (!args.value("onlyReturnExisting", false)) r.failure = "newAccount answered without a Location header";
  }
  return r;
}

OpResult account(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  auto acct = ex.state().accounts.find(key_name);
  if (acct == ex.state().accounts.end())
    return OpResult{{}, std::nullopt, "no account for key \"" + key_name + "\": run new-account first"};
  std::optional<json> payload;
  if (args.contains("payload")) payload = args["payload"];
  o.facts["payload"] = payload ? *payload : json();
  op::signed_post(ex, o, op::arg_string(args, "url", acct->second), payload, key_name, true);
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
  auto acct = ex.state().accounts.find(key_name);
  if (acct == ex.state().accounts.end())
    return OpResult{{}, std::nullopt, "no account for key \"" + key_name + "\": run new-account first"};
  auto old_key = ex.key(key_name);
  auto new_key = ex.key(new_name, op::arg_string(args, "new_key_type"));
  if (!old_key || !new_key) return OpResult{{}, std::nullopt, "cannot make the keys for the key change"};
  const std::string url = ex.session().endpoint("keyChange");
  auto inner = client::key_change_inner(**new_key, url, acct->second, **old_key);
  if (!inner) return OpResult{{}, std::nullopt, inner.error().to_string()};
  op::signed_post(ex, o, url, *inner, key_name, true);
  OpResult r = op::finish(o, {200}, "keyChange");
  if (!r.failure && !r.harness_error && !o.mutations.any() && o.status() == 200) {
    // From now on the account is reached with the new key.
    ex.state().accounts[new_name] = acct->second;
    o.facts["new_key"] = new_name;
  }
  return r;
}

}  // namespace

std::vector<OpDef> ops_accounts() {
  return {
      OpDef{"new-account", "newAccount with a fresh or named key",
            {"key", "key_type", "contact", "termsOfServiceAgreed", "onlyReturnExisting", "eab", "extra"}, true, new_account},
      OpDef{"account", "POST to the account URL (update with payload, or POST-as-GET)", {"key", "payload", "url"}, true,
            account},
      OpDef{"deactivate-account", "set the account's status to deactivated", {"key", "url"}, true, deactivate_account},
      OpDef{"key-change", "roll the account over to a new key (§7.3.5)", {"key", "new_key", "new_key_type"}, true,
            key_change},
  };
}

}  // namespace acmespec::server
