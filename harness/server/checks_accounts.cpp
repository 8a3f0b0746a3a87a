// RFC 8555 §7.3: accounts, external account binding, key change,
// deactivation; and the orders list of §7.1.2.1.
//
// Several checks judge facts the account ops gather around the main
// exchange: probes of the account before and after (did anything change?),
// and which deliberate fault a step carried (a rejection check refuses to
// judge a step that sent nothing wrong).
#include <algorithm>

#include "common/json_access.hpp"
#include "acme/acme.hpp"
#include "http/link.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

using json_access::member;
using json_access::str;
int probe_status(const Observation& o, const char* probe) {
  const json& s = member(member(o.facts, probe), "status");
  return s.is_number_integer() ? s.get<int>() : 0;
}
std::string probe_summary(const Observation& o, const char* probe) {
  const json& p = member(o.facts, probe);
  if (!p.is_object()) return "no probe";
  if (p.contains("error")) return "no answer (" + str(p, "error") + ")";
  const std::string type = str(p, "type");
  return "HTTP " + std::to_string(probe_status(o, probe)) + (type.empty() ? "" : " " + type);
}
std::string problem_suffix(const Observation& o) {
  const std::string type = problem_type(o.body);
  return type.empty() ? "" : " (" + type + ")";
}
std::vector<std::string> keys_except(const json& obj, const std::vector<std::string>& except) {
  std::vector<std::string> out;
  if (!obj.is_object()) return out;
  for (const auto& item : obj.items())
    if (std::find(except.begin(), except.end(), item.key()) == except.end()) out.push_back(item.key());
  return out;
}
bool success(const Observation& o) { return o.status() >= 200 && o.status() < 300; }

// ---------------------------------------------------------------- §7.3 newAccount

Judgement created_with_location(const Observation& o) {
  auto j = judge::status_is(o, {201}, "newAccount for a new key");
  if (j.kind != Judgement::held) return j;
  auto location = o.header("Location");
  if (!location || location->empty()) return Judgement::fail("201 answer to newAccount has no Location header");
  if (str(o.body, "status") != "valid")
    return Judgement::fail("the new account's status is " + member(o.body, "status").dump() + ", expected \"valid\"");
  return Judgement::pass("201 Created with Location " + *location + " and a valid account");
}

Judgement unknown_fields_ignored(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  const json& payload = member(o.facts, "payload");
  const auto unknown =
      keys_except(payload, {"contact", "termsOfServiceAgreed", "onlyReturnExisting", "externalAccountBinding", "orders"});
  if (!payload.contains("orders") && unknown.empty())
    return Judgement::error("the step sent neither orders nor unknown members (set them in args.extra)");
  if (!success(o))
    return Judgement::fail("newAccount with client-sent orders or unknown members was refused: HTTP " +
                           std::to_string(o.status()) + problem_suffix(o) + "; they must be ignored");
  if (!o.body.is_object()) return Judgement::fail("the answer carries no account object to judge");
  if (payload.contains("orders") && member(o.body, "orders") == payload["orders"])
    return Judgement::fail("the account's orders echoes the client-sent value " + payload["orders"].dump());
  for (const auto& name : unknown)
    if (o.body.contains(name)) return Judgement::fail("the account object echoes the unknown member \"" + name + "\"");
  if (o.body.contains("onlyReturnExisting")) return Judgement::fail("the account object echoes onlyReturnExisting");
  return Judgement::pass("orders and " + std::to_string(unknown.size()) + " unknown member(s) were ignored and not echoed");
}

Judgement tos_agreement(const Observation& o) {
  const json& agreed = member(member(o.facts, "payload"), "termsOfServiceAgreed");
  if (agreed == json(true)) return Judgement::error("the step agreed to the terms (set termsOfServiceAgreed to false or null)");
  if (auto j = judge::no_answer(o)) return *j;
  if (success(o)) return Judgement::skip("the server created the account without agreement, so it requires none");
  const std::string tos = str(member(o.facts, "directory_meta"), "termsOfService");
  if (tos.empty())
    return Judgement::fail("newAccount without agreement was refused (HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                           ") but the directory's meta lists no termsOfService");
  return Judgement::pass("refused without agreement; the directory lists the terms at " + tos);
}

Judgement contact_rejected(const Observation& o, const std::string& type, const std::string& what) {
  if (!member(member(o.facts, "payload"), "contact").is_array())
    return Judgement::error("the step sent no contact array (args.contact)");
  return judge::rejected_with(o, {type}, what);
}

// ---------------------------------------------------------------- §7.3.1 existing accounts

Judgement existing_account(const Observation& o) {
  const std::string known = str(o.facts, "known_account");
  if (known.empty()) return Judgement::error("the step's key had no account yet (register it in an earlier step)");
  auto j = judge::status_is(o, {200}, "newAccount for a key that has an account");
  if (j.kind != Judgement::held) return j;
  const std::string location = o.header("Location").value_or("");
  if (location != known) return Judgement::fail("Location is \"" + location + "\", the account is " + known);
  const json& before = member(member(o.facts, "account_before"), "body");
  const json& after = member(member(o.facts, "account_after"), "body");
  if (before.is_object() && after.is_object() && member(before, "contact") != member(after, "contact"))
    return Judgement::fail("the newAccount payload changed the account's contact from " + member(before, "contact").dump() +
                           " to " + member(after, "contact").dump());
  if (before.is_object() && o.body.is_object() && member(o.body, "contact") != member(before, "contact"))
    return Judgement::fail("the answer shows contact " + member(o.body, "contact").dump() + ", the account has " +
                           member(before, "contact").dump());
  return Judgement::pass("200 OK with Location " + location + "; the payload was ignored");
}

Judgement only_return_existing(const Observation& o) {
  if (member(member(o.facts, "payload"), "onlyReturnExisting") != json(true))
    return Judgement::error("the step did not send onlyReturnExisting true");
  if (member(o.facts, "known_account").is_string())
    return Judgement::error("the step's key already has an account; use a fresh key");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() != 400 || problem_type(o.body) != "accountDoesNotExist")
    return Judgement::fail("onlyReturnExisting for an unknown key: expected HTTP 400 accountDoesNotExist, got " +
                           std::to_string(o.status()) + problem_suffix(o));
  const int again = probe_status(o, "recheck");
  if (again == 200 || again == 201)
    return Judgement::fail("repeating the request found an account (HTTP " + std::to_string(again) + "): one was created");
  return Judgement::pass("400 accountDoesNotExist, and no account was created");
}

// ---------------------------------------------------------------- §7.3.2 update

Judgement update_returns_account(const Observation& o) {
  const json& sent = member(member(o.facts, "payload"), "contact");
  if (!sent.is_array()) return Judgement::error("the step sent no contact update (args.payload.contact)");
  auto j = judge::status_is(o, {200}, "account update");
  if (j.kind != Judgement::held) return j;
  if (!o.body.is_object() || !o.body.contains("status")) return Judgement::fail("the answer is not an account object");
  if (member(o.body, "contact") != sent)
    return Judgement::fail("contact after the update is " + member(o.body, "contact").dump() + ", sent " + sent.dump());
  return Judgement::pass("200 with the account showing contact " + sent.dump());
}

Judgement update_ignores_fixed_fields(const Observation& o) {
  const json& payload = member(o.facts, "payload");
  const auto unknown = keys_except(payload, {"contact", "status", "orders", "termsOfServiceAgreed"});
  if (!payload.contains("orders") && !payload.contains("termsOfServiceAgreed") && unknown.empty())
    return Judgement::error("the update sent no orders, termsOfServiceAgreed or unknown member");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() != 200)
    return Judgement::fail("the update was refused (HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                           ") instead of ignoring its fixed and unknown members");
  if (!o.body.is_object()) return Judgement::fail("the answer is not an account object");
  const json& before = member(member(o.facts, "account_before"), "body");
  if (payload.contains("orders")) {
    if (member(o.body, "orders") == payload["orders"])
      return Judgement::fail("orders took the client-sent value " + payload["orders"].dump());
    if (before.is_object() && member(o.body, "orders") != member(before, "orders"))
      return Judgement::fail("orders changed from " + member(before, "orders").dump() + " to " + member(o.body, "orders").dump());
  }
  if (payload.contains("termsOfServiceAgreed") && before.is_object() &&
      member(o.body, "termsOfServiceAgreed") != member(before, "termsOfServiceAgreed"))
    return Judgement::fail("termsOfServiceAgreed changed from " + member(before, "termsOfServiceAgreed").dump() + " to " +
                           member(o.body, "termsOfServiceAgreed").dump());
  for (const auto& name : unknown)
    if (o.body.contains(name)) return Judgement::fail("the account now carries the unknown member \"" + name + "\"");
  return Judgement::pass("orders, termsOfServiceAgreed and unknown members were ignored");
}

// ---------------------------------------------------------------- §7.3.3 terms change

Judgement tos_change(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() != 403 || problem_type(o.body) != "userActionRequired")
    return Judgement::skip("no terms-of-service change was reported (HTTP " + std::to_string(o.status()) +
                           problem_suffix(o) + "); the harness cannot change a server's terms, so there is nothing to judge");
  auto links = http::parse_link_headers(o.main->response->get_all("Link"));
  if (!links || http::find_links(*links, "terms-of-service").empty())
    return Judgement::fail("403 userActionRequired without a Link rel=\"terms-of-service\"");
  if (str(o.body, "instance").empty()) return Judgement::fail("403 userActionRequired without an instance URL");
  return Judgement::pass("403 userActionRequired with the terms link and instance " + str(o.body, "instance"));
}

// ---------------------------------------------------------------- §7.3.4 external account binding

bool eab_required(const Observation& o) {
  return member(member(o.facts, "directory_meta"), "externalAccountRequired") == json(true);
}

Judgement eab_advertised(const Observation& o) {
  if (str(o.facts, "eab") != "none") return Judgement::error("the step sent a binding (set args.eab to false)");
  if (auto j = judge::no_answer(o)) return *j;
  const bool advertised = eab_required(o);
  if (success(o))
    return advertised ? Judgement::fail("meta.externalAccountRequired is true but an account was created without binding")
                      : Judgement::skip("the server created an account without binding: it does not require one");
  if (advertised) return Judgement::pass("binding is required and meta.externalAccountRequired is true");
  if (problem_type(o.body) == "externalAccountRequired")
    return Judgement::fail("refused with externalAccountRequired but meta.externalAccountRequired is " +
                           member(member(o.facts, "directory_meta"), "externalAccountRequired").dump());
  return Judgement::skip("refused for another reason (HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                         "): cannot tell whether binding is required");
}

Judgement eab_missing(const Observation& o) {
  if (str(o.facts, "eab") != "none") return Judgement::error("the step sent a binding (set args.eab to false)");
  if (auto j = judge::no_answer(o)) return *j;
  if (success(o))
    return eab_required(o) ? Judgement::fail("an account was created without binding although meta.externalAccountRequired is true")
                           : Judgement::skip("the server does not require external account binding");
  if (problem_type(o.body) == "externalAccountRequired")
    return Judgement::pass("refused with externalAccountRequired (HTTP " + std::to_string(o.status()) + ")");
  if (eab_required(o))
    return Judgement::fail("newAccount without binding refused with HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                           ", expected externalAccountRequired");
  return Judgement::skip("refused for another reason and binding is not advertised as required");
}

Judgement eab_invalid(const Observation& o) {
  const std::string fault = str(o.facts, "eab");
  if (fault == "none" || fault == "valid" || fault.empty())
    return Judgement::error("the step sent no faulty binding (set args.eab to a fault)");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() >= 400 && o.status() < 500)
    return Judgement::pass("binding with fault " + fault + " refused: HTTP " + std::to_string(o.status()) + problem_suffix(o));
  if (success(o) && !eab_required(o))
    return Judgement::skip("binding is optional here, and a CA may leave an optional binding unverified");
  return Judgement::fail("a binding with fault " + fault + " was not refused: HTTP " + std::to_string(o.status()));
}

// ---------------------------------------------------------------- §7.3.5 key change

Judgement key_change_refused(const Observation& o, const std::vector<std::string>& faults, const std::string& what) {
  const std::string fault = str(o.facts, "inner_fault");
  if (fault.empty()) return Judgement::error("the step sent a valid inner JWS (set args.inner to a fault)");
  if (std::find(faults.begin(), faults.end(), fault) == faults.end())
    return Judgement::skip("inner fault " + fault + " is not one this requirement covers");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() < 400 || o.status() >= 500)
    return Judgement::fail(what + " (" + fault + ") was not refused: HTTP " + std::to_string(o.status()));
  if (probe_status(o, "probe_old_key") != 200)
    return Judgement::fail("after refusing " + fault + ", the account no longer answers to its key: " +
                           probe_summary(o, "probe_old_key"));
  return Judgement::pass(what + " (" + fault + ") refused with HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                         "; the account kept its key");
}

Judgement key_change_replaces_key(const Observation& o) {
  if (!str(o.facts, "inner_fault").empty()) return Judgement::error("the step sent a faulty inner JWS");
  auto j = judge::status_is(o, {200}, "keyChange");
  if (j.kind != Judgement::held) return j;
  if (probe_status(o, "probe_new_key") != 200)
    return Judgement::fail("after the key change the new key is not accepted: " + probe_summary(o, "probe_new_key"));
  const int old_status = probe_status(o, "probe_old_key");
  if (old_status < 400 || old_status >= 500)
    return Judgement::fail("after the key change the old key still works: " + probe_summary(o, "probe_old_key"));
  return Judgement::pass("200; the new key authenticates the account and the old key is refused (" +
                         probe_summary(o, "probe_old_key") + ")");
}

Judgement key_change_keeps_orders(const Observation& o) {
  if (!o.facts.contains("authorizations")) {
    if (o.op == "authorize") return Judgement::fail("the order could not be read with the account's new key");
    return Judgement::error("judge this on an authorize step signed with the new key");
  }
  int usable = 0;
  for (const auto& a : o.facts["authorizations"]) {
    const std::string url = str(a, "url");
    if (a.contains("error")) return Judgement::fail(url + ": " + a["error"].dump());
    if (a.contains("reused")) {
      ++usable;
      continue;
    }
    const json& status = member(a, "response_status");
    if (status != json(200)) return Judgement::fail(url + ": the challenge answered HTTP " + status.dump() + " under the new key");
    const std::string after = str(member(a, "after"), "status");
    if (after != "valid") return Judgement::fail(url + ": authorization ended \"" + after + "\" under the new key");
    ++usable;
  }
  if (usable == 0) return Judgement::fail("the order has no authorization to use");
  return Judgement::pass(std::to_string(usable) + " authorization(s) of the earlier order completed under the new key");
}

Judgement new_key_in_use(const Observation& o) {
  const std::string other = str(o.facts, "new_key_account");
  if (other.empty()) return Judgement::error("the step's new key has no account (name a registered key in args.new_key)");
  if (auto j = judge::no_answer(o)) return *j;
  if (success(o)) return Judgement::fail("a key change to the key of account " + other + " was accepted");
  if (probe_status(o, "probe_old_key") != 200)
    return Judgement::fail("the refused key change still changed the account: its key now gives " + probe_summary(o, "probe_old_key"));
  if (probe_status(o, "probe_new_key_account") != 200)
    return Judgement::fail("the other account " + other + " no longer answers to its key: " +
                           probe_summary(o, "probe_new_key_account"));
  return Judgement::pass("refused with HTTP " + std::to_string(o.status()) + problem_suffix(o) +
                         "; both accounts kept their keys");
}

Judgement new_key_in_use_409(const Observation& o) {
  const std::string other = str(o.facts, "new_key_account");
  if (other.empty()) return Judgement::error("the step's new key has no account (name a registered key in args.new_key)");
  auto j = judge::status_is(o, {409}, "key change to a key in use");
  if (j.kind != Judgement::held) return j;
  const std::string location = o.header("Location").value_or("");
  if (location != other) return Judgement::fail("409 with Location \"" + location + "\", the key belongs to " + other);
  return Judgement::pass("409 Conflict with Location " + location);
}

// ---------------------------------------------------------------- §7.3.6 deactivation

Judgement deactivated(const Observation& o) {
  if (str(member(o.facts, "payload"), "status") != "deactivated") return Judgement::error("the step did not deactivate");
  auto j = judge::status_is(o, {200}, "account deactivation");
  if (j.kind != Judgement::held) return j;
  if (str(o.body, "status") != "deactivated")
    return Judgement::fail("account status after deactivation is " + member(o.body, "status").dump());
  return Judgement::pass("200 with the account showing deactivated");
}

Judgement deactivated_unauthorized(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() == 401 && problem_type(o.body) == "unauthorized") return Judgement::pass("401 unauthorized");
  return Judgement::fail("request from a deactivated account: expected HTTP 401 unauthorized, got " +
                         std::to_string(o.status()) + problem_suffix(o));
}

// ---------------------------------------------------------------- §7.1.2.1 orders list

Judgement orders_list_shape(const Observation& o) {
  if (o.facts.contains("harness_error")) return Judgement::error(str(o.facts, "harness_error"));
  const json& pages = member(o.facts, "pages");
  if (!pages.is_array() || pages.empty()) {
    if (probe_status(o, "account") == 200) return Judgement::fail("the account object names no orders URL");
    if (auto j = judge::no_answer(o)) return *j;
    return Judgement::error("no orders list page was fetched");
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::string where = "page " + std::to_string(i + 1) + " (" + str(pages[i], "url") + ")";
    if (member(pages[i], "status") != json(200)) return Judgement::fail(where + " answered HTTP " + member(pages[i], "status").dump());
    auto list = acme::OrdersList::parse(member(pages[i], "body"), "orders");
    if (!list) return Judgement::fail(where + ": " + list.error().to_string());
    for (const auto& url : list->orders)
      if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        return Judgement::fail(where + ": \"" + url + "\" is not an absolute URL");
    count += list->orders.size();
  }
  if (o.facts.contains("loop")) return Judgement::fail("Link rel=\"next\" leads back to " + str(o.facts, "loop"));
  return Judgement::pass(std::to_string(pages.size()) + " page(s) listing " + std::to_string(count) + " order URL(s)" +
                         (o.facts.contains("truncated") ? " (stopped at the page limit)" : ""));
}

}  // namespace

std::vector<CheckDef> checks_accounts() {
  const std::vector<std::string> inner_rules = {"no-jwk", "bad-signature", "wrong-url", "signed-by-old-key"};
  const std::vector<std::string> object_rules = {"account-mismatch", "old-key-mismatch"};
  return {
      {"RFC8555-7.3-new-account-201-location", {}, created_with_location},
      {"RFC8555-7.3-unknown-fields-ignored-not-reflected", {}, unknown_fields_ignored},
      {"RFC8555-7.3-tos-agreement-enforced", {}, tos_agreement},
      {"RFC8555-7.3-unsupported-contact-scheme", {},
       [](const Observation& o) { return contact_rejected(o, "unsupportedContact", "contact with an unsupported scheme"); }},
      {"RFC8555-7.3-invalid-contact-value", {},
       [](const Observation& o) { return contact_rejected(o, "invalidContact", "a malformed mailto contact"); }},
      {"RFC8555-7.3.1-existing-key-returns-account", {}, existing_account},
      {"RFC8555-7.3.1-only-return-existing-no-account", {}, only_return_existing},
      {"RFC8555-7.3.2-account-update-returns-account", {}, update_returns_account},
      {"RFC8555-7.3.2-account-update-ignores-fixed-fields", {}, update_ignores_fixed_fields},
      {"RFC8555-7.3.3-tos-change-user-action-required", {}, tos_change},
      {"RFC8555-7.3.4-eab-required-advertised", {}, eab_advertised},
      {"RFC8555-7.3.4-eab-missing-error", {}, eab_missing},
      {"RFC8555-7.3.4-eab-invalid-binding-refused", {}, eab_invalid},
      {"RFC8555-7.3.5-inner-jws-rules", {},
       [inner_rules](const Observation& o) { return key_change_refused(o, inner_rules, "inner JWS breaking §7.3.5"); }},
      {"RFC8555-7.3.5-key-change-object-matches-account", {},
       [object_rules](const Observation& o) { return key_change_refused(o, object_rules, "keyChange object not matching the account"); }},
      {"RFC8555-7.3.5-key-change-replaces-key", {}, key_change_replaces_key},
      {"RFC8555-7.3.5-key-change-keeps-orders", {}, key_change_keeps_orders},
      {"RFC8555-7.3.5-new-key-in-use-refused", {}, new_key_in_use},
      {"RFC8555-7.3.5-new-key-in-use-409-location", {}, new_key_in_use_409},
      {"RFC8555-7.3.6-deactivate-account-200", {}, deactivated},
      {"RFC8555-7.3.6-deactivated-account-unauthorized", {}, deactivated_unauthorized},
      {"RFC8555-7.1.2.1-orders-list-shape", {}, orders_list_shape},
  };
}

}  // namespace acmespec::server
