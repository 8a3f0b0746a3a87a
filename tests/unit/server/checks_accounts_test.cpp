// The §7.3 (and §7.1.2.1) checks judged on hand-made observations: each one
// passes on a conforming answer and fails on a deviating one.
#include <catch2/catch.hpp>

#include <set>

#include "server/check.hpp"
#include "fixture.hpp"

using namespace acmespec;
using engine::Judgement;
using nlohmann::json;
using server::Observation;

namespace {

const std::string kAcct = "https://ca.example/acct/1";
const std::string kOther = "https://ca.example/acct/2";

Observation answer(int status, const json& body = nullptr, http::Headers headers = {}) {
  return server_test::answer(status, body, std::move(headers), "https://ca.example/new-acct");
}

using server_test::problem;
json account(const std::string& status = "valid") {
  return {{"status", status}, {"orders", kAcct + "/orders"}, {"contact", {"mailto:a@example.org"}}};
}
json probe(int status, const json& body = nullptr) { return {{"status", status}, {"body", body}, {"type", ""}}; }

Judgement::Kind judge(const std::string& id, const Observation& o) {
  static const auto checks = server::checks_accounts();
  return server_test::judge_in(checks, id, o);
}

}  // namespace

TEST_CASE("every account check is registered once", "[accounts]") {
  auto checks = server::checks_accounts();
  std::set<std::string> ids;
  for (const auto& c : checks) CHECK(ids.insert(c.id).second);
  CHECK(ids.size() == 22);
}

TEST_CASE("newAccount answers 201 with Location and a valid account", "[accounts]") {
  const std::string id = "RFC8555-7.3-new-account-201-location";
  CHECK(judge(id, answer(201, account(), {{"Location", kAcct}})) == Judgement::held);
  CHECK(judge(id, answer(201, account())) == Judgement::violated);                           // no Location
  CHECK(judge(id, answer(200, account(), {{"Location", kAcct}})) == Judgement::violated);    // not 201
  CHECK(judge(id, answer(201, account("pending"), {{"Location", kAcct}})) == Judgement::violated);
  Observation nothing;
  CHECK(judge(id, nothing) == Judgement::broken);
}

TEST_CASE("unknown members and orders are ignored, not echoed", "[accounts]") {
  const std::string id = "RFC8555-7.3-unknown-fields-ignored-not-reflected";
  json payload = {{"termsOfServiceAgreed", true}, {"orders", "https://evil.example/o"}, {"zzUnknown", 1},
                  {"onlyReturnExisting", false}};
  Observation ok = answer(201, account(), {{"Location", kAcct}});
  ok.facts["payload"] = payload;
  CHECK(judge(id, ok) == Judgement::held);

  Observation echoed_orders = ok;
  echoed_orders.body["orders"] = "https://evil.example/o";
  CHECK(judge(id, echoed_orders) == Judgement::violated);
  Observation echoed_unknown = ok;
  echoed_unknown.body["zzUnknown"] = 1;
  CHECK(judge(id, echoed_unknown) == Judgement::violated);
  Observation echoed_ore = ok;
  echoed_ore.body["onlyReturnExisting"] = false;
  CHECK(judge(id, echoed_ore) == Judgement::violated);
  Observation refused = answer(400, problem("malformed"));
  refused.facts["payload"] = payload;
  CHECK(judge(id, refused) == Judgement::violated);
  Observation plain = ok;
  plain.facts["payload"] = {{"termsOfServiceAgreed", true}};
  CHECK(judge(id, plain) == Judgement::broken);
}

TEST_CASE("refusing accounts without agreement needs meta.termsOfService", "[accounts]") {
  const std::string id = "RFC8555-7.3-tos-agreement-enforced";
  Observation refused = answer(403, problem("userActionRequired"));
  refused.facts["payload"] = {{"termsOfServiceAgreed", false}};
  refused.facts["directory_meta"] = {{"termsOfService", "https://ca.example/tos"}};
  CHECK(judge(id, refused) == Judgement::held);
  refused.facts["directory_meta"] = json::object();
  CHECK(judge(id, refused) == Judgement::violated);
  Observation accepted = answer(201, account(), {{"Location", kAcct}});
  accepted.facts["payload"] = json::object();
  CHECK(judge(id, accepted) == Judgement::not_applicable);
  accepted.facts["payload"] = {{"termsOfServiceAgreed", true}};
  CHECK(judge(id, accepted) == Judgement::broken);
}

TEST_CASE("contacts: unsupported scheme and invalid value", "[accounts]") {
  Observation unsupported = answer(400, problem("unsupportedContact"));
  unsupported.facts["payload"] = {{"contact", {"tel:+1"}}};
  CHECK(judge("RFC8555-7.3-unsupported-contact-scheme", unsupported) == Judgement::held);
  Observation wrong_type = answer(400, problem("invalidContact"));
  wrong_type.facts["payload"] = {{"contact", {"tel:+1"}}};
  CHECK(judge("RFC8555-7.3-unsupported-contact-scheme", wrong_type) == Judgement::violated);
  CHECK(judge("RFC8555-7.3-invalid-contact-value", wrong_type) == Judgement::held);
  Observation accepted = answer(201, account(), {{"Location", kAcct}});
  accepted.facts["payload"] = {{"contact", {"mailto:bad"}}};
  CHECK(judge("RFC8555-7.3-invalid-contact-value", accepted) == Judgement::violated);
  accepted.facts["payload"] = json::object();
  CHECK(judge("RFC8555-7.3-invalid-contact-value", accepted) == Judgement::broken);
}

TEST_CASE("newAccount with a registered key returns that account", "[accounts]") {
  const std::string id = "RFC8555-7.3.1-existing-key-returns-account";
  Observation o = answer(200, account(), {{"Location", kAcct}});
  o.facts["known_account"] = kAcct;
  o.facts["account_before"] = probe(200, account());
  o.facts["account_after"] = probe(200, account());
  CHECK(judge(id, o) == Judgement::held);

  Observation elsewhere = o;
  elsewhere.main->response->headers = {{"Location", kOther}};
  CHECK(judge(id, elsewhere) == Judgement::violated);
  Observation created = o;
  created.main->response->status = 201;
  CHECK(judge(id, created) == Judgement::violated);
  Observation changed = o;
  json after = account();
  after["contact"] = {"mailto:second@example.org"};
  changed.facts["account_after"] = probe(200, after);
  CHECK(judge(id, changed) == Judgement::violated);
  Observation fresh = o;
  fresh.facts.erase("known_account");
  CHECK(judge(id, fresh) == Judgement::broken);
}

TEST_CASE("onlyReturnExisting for an unknown key", "[accounts]") {
  const std::string id = "RFC8555-7.3.1-only-return-existing-no-account";
  Observation o = answer(400, problem("accountDoesNotExist"));
  o.facts["payload"] = {{"onlyReturnExisting", true}};
  o.facts["recheck"] = probe(400, problem("accountDoesNotExist"));
  CHECK(judge(id, o) == Judgement::held);
  Observation created_later = o;
  created_later.facts["recheck"] = probe(200, account());
  CHECK(judge(id, created_later) == Judgement::violated);
  Observation wrong_status = answer(403, problem("accountDoesNotExist"));
  wrong_status.facts = o.facts;
  CHECK(judge(id, wrong_status) == Judgement::violated);
  Observation created = answer(201, account(), {{"Location", kAcct}});
  created.facts = o.facts;
  CHECK(judge(id, created) == Judgement::violated);
  Observation not_asked = o;
  not_asked.facts["payload"] = json::object();
  CHECK(judge(id, not_asked) == Judgement::broken);
}

TEST_CASE("account update returns the account with the new contacts", "[accounts]") {
  const std::string id = "RFC8555-7.3.2-account-update-returns-account";
  json updated = account();
  updated["contact"] = {"mailto:new@example.org"};
  Observation o = answer(200, updated);
  o.facts["payload"] = {{"contact", {"mailto:new@example.org"}}};
  CHECK(judge(id, o) == Judgement::held);
  Observation stale = answer(200, account());
  stale.facts = o.facts;
  CHECK(judge(id, stale) == Judgement::violated);
  Observation refused = answer(400, problem("malformed"));
  refused.facts = o.facts;
  CHECK(judge(id, refused) == Judgement::violated);
}

TEST_CASE("account update ignores orders, termsOfServiceAgreed and unknown members", "[accounts]") {
  const std::string id = "RFC8555-7.3.2-account-update-ignores-fixed-fields";
  json before = account();
  before["termsOfServiceAgreed"] = true;
  Observation o = answer(200, before);
  o.facts["payload"] = {{"contact", {"mailto:a@example.org"}}, {"orders", "https://evil.example/o"},
                        {"termsOfServiceAgreed", false}, {"zzUnknown", "x"}};
  o.facts["account_before"] = probe(200, before);
  CHECK(judge(id, o) == Judgement::held);

  Observation took_orders = o;
  took_orders.body["orders"] = "https://evil.example/o";
  CHECK(judge(id, took_orders) == Judgement::violated);
  Observation took_tos = o;
  took_tos.body["termsOfServiceAgreed"] = false;
  CHECK(judge(id, took_tos) == Judgement::violated);
  Observation took_unknown = o;
  took_unknown.body["zzUnknown"] = "x";
  CHECK(judge(id, took_unknown) == Judgement::violated);
  Observation refused = answer(400, problem("malformed"));
  refused.facts = o.facts;
  CHECK(judge(id, refused) == Judgement::violated);
  Observation contact_only = o;
  contact_only.facts["payload"] = {{"contact", {"mailto:a@example.org"}}};
  CHECK(judge(id, contact_only) == Judgement::broken);
}

TEST_CASE("terms change: judged only when the server reports one", "[accounts]") {
  const std::string id = "RFC8555-7.3.3-tos-change-user-action-required";
  json prob = problem("userActionRequired");
  prob["instance"] = "https://ca.example/agree";
  CHECK(judge(id, answer(403, prob, {{"Link", "<https://ca.example/tos>;rel=\"terms-of-service\""}})) == Judgement::held);
  CHECK(judge(id, answer(403, prob)) == Judgement::violated);  // no Link
  CHECK(judge(id, answer(403, problem("userActionRequired"), {{"Link", "<https://ca.example/tos>;rel=\"terms-of-service\""}})) ==
        Judgement::violated);  // no instance
  CHECK(judge(id, answer(200, account())) == Judgement::not_applicable);
}

TEST_CASE("external account binding checks", "[accounts][eab]") {
  const json required = {{"externalAccountRequired", true}};
  Observation missing = answer(403, problem("externalAccountRequired"));
  missing.facts["eab"] = "none";
  missing.facts["directory_meta"] = required;
  CHECK(judge("RFC8555-7.3.4-eab-missing-error", missing) == Judgement::held);
  CHECK(judge("RFC8555-7.3.4-eab-required-advertised", missing) == Judgement::held);

  Observation unadvertised = missing;
  unadvertised.facts["directory_meta"] = json::object();
  CHECK(judge("RFC8555-7.3.4-eab-required-advertised", unadvertised) == Judgement::violated);
  Observation other_type = answer(400, problem("malformed"));
  other_type.facts = missing.facts;
  CHECK(judge("RFC8555-7.3.4-eab-missing-error", other_type) == Judgement::violated);
  Observation created = answer(201, account(), {{"Location", kAcct}});
  created.facts = missing.facts;
  CHECK(judge("RFC8555-7.3.4-eab-missing-error", created) == Judgement::violated);
  CHECK(judge("RFC8555-7.3.4-eab-required-advertised", created) == Judgement::violated);
  created.facts["directory_meta"] = json::object();
  CHECK(judge("RFC8555-7.3.4-eab-missing-error", created) == Judgement::not_applicable);
  created.facts["eab"] = "valid";
  CHECK(judge("RFC8555-7.3.4-eab-missing-error", created) == Judgement::broken);

  const std::string invalid = "RFC8555-7.3.4-eab-invalid-binding-refused";
  Observation bad_mac = answer(403, problem("unauthorized"));
  bad_mac.facts["eab"] = "bad-mac";
  bad_mac.facts["directory_meta"] = required;
  CHECK(judge(invalid, bad_mac) == Judgement::held);
  Observation accepted = answer(201, account(), {{"Location", kAcct}});
  accepted.facts = bad_mac.facts;
  CHECK(judge(invalid, accepted) == Judgement::violated);
  accepted.facts["directory_meta"] = json::object();
  CHECK(judge(invalid, accepted) == Judgement::not_applicable);
  accepted.facts["eab"] = "valid";
  CHECK(judge(invalid, accepted) == Judgement::broken);
}

TEST_CASE("key change: inner JWS rules and the keyChange object", "[accounts][key-change]") {
  Observation o = answer(400, problem("malformed"));
  o.facts["inner_fault"] = "no-jwk";
  o.facts["probe_old_key"] = probe(200, account());
  CHECK(judge("RFC8555-7.3.5-inner-jws-rules", o) == Judgement::held);
  CHECK(judge("RFC8555-7.3.5-key-change-object-matches-account", o) == Judgement::not_applicable);

  Observation accepted = answer(200);
  accepted.facts = o.facts;
  CHECK(judge("RFC8555-7.3.5-inner-jws-rules", accepted) == Judgement::violated);
  Observation lost_key = o;
  lost_key.facts["probe_old_key"] = probe(400, problem("malformed"));
  CHECK(judge("RFC8555-7.3.5-inner-jws-rules", lost_key) == Judgement::violated);
  Observation valid_inner = o;
  valid_inner.facts["inner_fault"] = "";
  CHECK(judge("RFC8555-7.3.5-inner-jws-rules", valid_inner) == Judgement::broken);

  Observation mismatch = o;
  mismatch.facts["inner_fault"] = "account-mismatch";
  CHECK(judge("RFC8555-7.3.5-key-change-object-matches-account", mismatch) == Judgement::held);
  Observation mismatch_accepted = answer(200);
  mismatch_accepted.facts = mismatch.facts;
  CHECK(judge("RFC8555-7.3.5-key-change-object-matches-account", mismatch_accepted) == Judgement::violated);
}

TEST_CASE("key change replaces the key", "[accounts][key-change]") {
  const std::string id = "RFC8555-7.3.5-key-change-replaces-key";
  Observation o = answer(200);
  o.facts["inner_fault"] = "";
  o.facts["probe_new_key"] = probe(200, account());
  o.facts["probe_old_key"] = probe(401, problem("unauthorized"));
  CHECK(judge(id, o) == Judgement::held);
  Observation old_works = o;
  old_works.facts["probe_old_key"] = probe(200, account());
  CHECK(judge(id, old_works) == Judgement::violated);
  Observation new_refused = o;
  new_refused.facts["probe_new_key"] = probe(400, problem("malformed"));
  CHECK(judge(id, new_refused) == Judgement::violated);
  Observation refused = answer(400, problem("malformed"));
  refused.facts = o.facts;
  CHECK(judge(id, refused) == Judgement::violated);
}

TEST_CASE("key change keeps earlier orders usable", "[accounts][key-change]") {
  const std::string id = "RFC8555-7.3.5-key-change-keeps-orders";
  Observation o = answer(200, {{"status", "valid"}});
  o.op = "authorize";
  o.facts["authorizations"] = json::array({{{"url", "https://ca.example/authz/1"}, {"response_status", 200},
                                            {"after", {{"status", "valid"}}}}});
  CHECK(judge(id, o) == Judgement::held);
  Observation invalid = o;
  invalid.facts["authorizations"][0]["after"]["status"] = "invalid";
  CHECK(judge(id, invalid) == Judgement::violated);
  Observation refused = o;
  refused.facts["authorizations"][0]["response_status"] = 401;
  CHECK(judge(id, refused) == Judgement::violated);
  Observation unreadable = o;
  unreadable.facts.erase("authorizations");
  CHECK(judge(id, unreadable) == Judgement::violated);
  unreadable.op = "poll";
  CHECK(judge(id, unreadable) == Judgement::broken);
}

TEST_CASE("key change to a key in use", "[accounts][key-change]") {
  Observation o = answer(409, nullptr, {{"Location", kOther}});
  o.facts["new_key_account"] = kOther;
  o.facts["probe_old_key"] = probe(200, account());
  o.facts["probe_new_key_account"] = probe(200, account());
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-refused", o) == Judgement::held);
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-409-location", o) == Judgement::held);

  Observation wrong_location = o;
  wrong_location.main->response->headers = {{"Location", kAcct}};
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-409-location", wrong_location) == Judgement::violated);
  Observation bad_request = answer(400, problem("malformed"));
  bad_request.facts = o.facts;
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-refused", bad_request) == Judgement::held);
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-409-location", bad_request) == Judgement::violated);
  Observation accepted = answer(200);
  accepted.facts = o.facts;
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-refused", accepted) == Judgement::violated);
  Observation other_broken = o;
  other_broken.facts["probe_new_key_account"] = probe(400, problem("malformed"));
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-refused", other_broken) == Judgement::violated);
  Observation free_key = o;
  free_key.facts.erase("new_key_account");
  CHECK(judge("RFC8555-7.3.5-new-key-in-use-refused", free_key) == Judgement::broken);
}

TEST_CASE("deactivation and the deactivated account", "[accounts]") {
  Observation o = answer(200, account("deactivated"));
  o.facts["payload"] = {{"status", "deactivated"}};
  CHECK(judge("RFC8555-7.3.6-deactivate-account-200", o) == Judgement::held);
  Observation still_valid = answer(200, account());
  still_valid.facts = o.facts;
  CHECK(judge("RFC8555-7.3.6-deactivate-account-200", still_valid) == Judgement::violated);

  CHECK(judge("RFC8555-7.3.6-deactivated-account-unauthorized", answer(401, problem("unauthorized"))) == Judgement::held);
  CHECK(judge("RFC8555-7.3.6-deactivated-account-unauthorized", answer(403, problem("unauthorized"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.3.6-deactivated-account-unauthorized", answer(200, account())) == Judgement::violated);
}

TEST_CASE("orders list: every page is an object with an array of order URLs", "[accounts][orders-list]") {
  const std::string id = "RFC8555-7.1.2.1-orders-list-shape";
  Observation o = answer(200, {{"orders", {"https://ca.example/order/2"}}});
  o.facts["pages"] = json::array({{{"url", "https://ca.example/orders/1"}, {"status", 200},
                                   {"body", {{"orders", {"https://ca.example/order/1"}}}}},
                                  {{"url", "https://ca.example/orders/1/p2"}, {"status", 200},
                                   {"body", {{"orders", {"https://ca.example/order/2"}}}}}});
  CHECK(judge(id, o) == Judgement::held);
  Observation not_array = o;
  not_array.facts["pages"][1]["body"]["orders"] = "https://ca.example/order/2";
  CHECK(judge(id, not_array) == Judgement::violated);
  Observation relative = o;
  relative.facts["pages"][0]["body"]["orders"] = {"/order/1"};
  CHECK(judge(id, relative) == Judgement::violated);
  Observation error_page = o;
  error_page.facts["pages"][1]["status"] = 404;
  CHECK(judge(id, error_page) == Judgement::violated);
  Observation looping = o;
  looping.facts["loop"] = "https://ca.example/orders/1";
  CHECK(judge(id, looping) == Judgement::violated);
  Observation no_url;
  no_url.facts["account"] = probe(200, {{"status", "valid"}});
  CHECK(judge(id, no_url) == Judgement::violated);
}
