// RFC 8555 §7.3: accounts, external account binding, key change, deactivation.
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

Judgement created_with_location(const Observation& o) {
  auto j = judge::status_is(o, {201}, "newAccount for a new key");
  if (j.kind != Judgement::held) return j;
  auto location = o.header("Location");
  if (!location || location->empty()) return Judgement::fail("201 answer to newAccount has no Location header");
  return Judgement::pass("201 Created with Location " + *location);
}

Judgement existing_account(const Observation& o) {
  auto j = judge::status_is(o, {200}, "newAccount for a key that has an account");
  if (j.kind != Judgement::held) return j;
  if (!o.header("Location")) return Judgement::fail("200 answer to newAccount has no Location header");
  return Judgement::pass("200 OK with the existing account's Location");
}

Judgement update_returns_account(const Observation& o) {
  auto j = judge::status_is(o, {200}, "account update");
  if (j.kind != Judgement::held) return j;
  if (!o.body.is_object() || !o.body.contains("status")) return Judgement::fail("the answer is not an account object");
  const json& payload = o.facts.value("payload", json());
  if (payload.is_object() && payload.contains("contact") && o.body.value("contact", json()) != payload["contact"])
    return Judgement::fail("contact after update is " + o.body.value("contact", json()).dump() + ", sent " +
                           payload["contact"].dump());
  if (payload.is_object() && payload.value("status", "") == "deactivated" && o.body.value("status", "") != "deactivated")
    return Judgement::fail("account status after deactivation is " + o.body.value("status", json()).dump());
  return Judgement::pass("the updated account object was returned");
}

Judgement key_change_replaces_key(const Observation& o) {
  return judge::status_is(o, {200}, "keyChange");
}

}  // namespace

std::vector<CheckDef> checks_accounts() {
  return {
      {"RFC8555-7.3-new-account-201-location", {}, created_with_location},
      {"RFC8555-7.3.1-existing-key-returns-account", {}, existing_account},
      {"RFC8555-7.3.1-only-return-existing-no-account", {},
       [](const Observation& o) { return judge::rejected_with(o, {"accountDoesNotExist"}, "onlyReturnExisting for an unknown key"); }},
      {"RFC8555-7.3-unsupported-contact-scheme", {},
       [](const Observation& o) { return judge::rejected_with(o, {"unsupportedContact", "invalidContact"}, "contact with an unsupported scheme"); }},
      {"RFC8555-7.3-invalid-contact-value", {},
       [](const Observation& o) { return judge::rejected_with(o, {"invalidContact"}, "a malformed mailto contact"); }},
      {"RFC8555-7.3.2-account-update-returns-account", {}, update_returns_account},
      {"RFC8555-7.3.5-key-change-replaces-key", {}, key_change_replaces_key},
      {"RFC8555-7.3.6-deactivate-account-200", {}, update_returns_account},
      {"RFC8555-7.3.6-deactivated-account-unauthorized", {},
       [](const Observation& o) { return judge::rejected_with(o, {"unauthorized"}, "request from a deactivated account"); }},
  };
}

}  // namespace acmespec::server
