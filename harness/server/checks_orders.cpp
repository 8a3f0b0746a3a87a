// RFC 8555 §7.4 (orders, finalize, certificates), §7.5 (authorizations),
// §7.6 (revocation), §9.1 (the PEM chain) and §11.1 (key reuse).  The
// wildcard and IP identifier checks are in checks_identifiers.cpp.
#include <algorithm>
#include <set>

#include "common/json_access.hpp"
#include "acme/identifier.hpp"
#include "acme/timestamp.hpp"
#include "client/csr.hpp"
#include "jose/base64url.hpp"
#include "http/ascii.hpp"
#include "server/authz_facts.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

// ---- helpers ---------------------------------------------------------------

using json_access::arr;
using json_access::member;
using json_access::str;

std::string canonical(const json& id) {
  std::string type = str(id, "type"), value = str(id, "value");
  if (type == "ip") value = acme::canonicalize_ip(value).value_or(value);
  return type + ":" + http::ascii_lower(value);
}

std::string joined(const std::multiset<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return "{" + out + "}";
}

std::multiset<std::string> identifier_set(const json& ids) {
  std::multiset<std::string> out;
  for (const auto& id : ids.is_array() ? ids : json::array()) out.insert(canonical(id));
  return out;
}

// The top-level problem type and those of its subproblems (§6.7.1): a server
// may report a per-identifier error inside a compound problem.
std::vector<std::string> problem_types(const json& body) {
  std::vector<std::string> out{problem_type(body)};
  for (const auto& sub : arr(body, "subproblems")) out.push_back(problem_type(sub));
  return out;
}

Judgement rejected_naming(const Observation& o, const std::vector<std::string>& types, const std::string& what) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() < 400 || o.status() >= 500)
    return Judgement::fail(what + ": expected a 4xx rejection, got HTTP " + std::to_string(o.status()));
  for (const auto& t : problem_types(o.body))
    if (std::find(types.begin(), types.end(), t) != types.end())
      return Judgement::pass(what + ": rejected with HTTP " + std::to_string(o.status()) + " " + t);
  return judge::rejected_with(o, types, what);  // fails, naming what arrived
}

// Guards checks that only make sense after a particular finalize variant.
std::optional<Judgement> needs_csr(const Observation& o, const std::vector<std::string>& variants) {
  const std::string v = str(o.facts, "csr");
  if (std::find(variants.begin(), variants.end(), v) == variants.end())
    return Judgement::error("the step did not finalize with a " + variants.front() + " CSR (got \"" + v + "\")");
  return std::nullopt;
}

std::optional<client::CertificateInfo> leaf(const std::string& pem) {
  auto chain = client::parse_pem_chain(pem);
  if (!chain || chain->empty()) return std::nullopt;
  return chain->front();
}

// ---- §7.4 orders -----------------------------------------------------------

Judgement order_created(const Observation& o) {
  auto j = judge::status_is(o, {201}, "newOrder");
  if (j.kind != Judgement::held) return j;
  if (!o.header("Location")) return Judgement::fail("201 answer to newOrder has no Location header");
  const std::string status = str(o.body, "status");
  if (status != "pending" && status != "ready")
    return Judgement::fail("a new order's status is " + member(o.body, "status").dump() + ", expected pending");
  const auto want = identifier_set(o.facts.value("identifiers", json::array()));
  const auto have = identifier_set(arr(o.body, "identifiers"));
  if (want != have) return Judgement::fail("the order lists " + joined(have) + ", the request " + joined(want));
  return Judgement::pass("201 Created with Location, status " + status + ", identifiers " + joined(have));
}

Judgement validity_honoured(const Observation& o) {
  const json payload = o.facts.value("payload", json::object());
  if (!payload.contains("notBefore") && !payload.contains("notAfter"))
    return Judgement::error("the step requested neither notBefore nor notAfter");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() >= 400 && o.status() < 500)
    return Judgement::pass("the requested validity was refused with HTTP " + std::to_string(o.status()) + " " +
                           problem_type(o.body));
  if (o.status() != 201) return Judgement::fail("newOrder with a validity request answered HTTP " + std::to_string(o.status()));
  for (const char* member : {"notBefore", "notAfter"}) {
    if (!payload.contains(member)) continue;
    const std::string sent = payload[member].is_string() ? payload[member].get<std::string>() : payload[member].dump();
    const std::string got = str(o.body, member);
    if (got.empty()) return Judgement::fail(std::string("the order was accepted but dropped ") + member + " (requested " + sent + ")");
    auto a = acme::Timestamp::parse(sent);
    auto b = acme::Timestamp::parse(got);
    if (!b) return Judgement::fail(std::string("the order's ") + member + " \"" + got + "\" is not an RFC 3339 time");
    if (!a || *a != *b)
      return Judgement::fail(std::string("the order was accepted with ") + member + " " + got + ", requested " + sent);
  }
  return Judgement::pass("the order echoes the requested validity");
}

Judgement finalize_returns_order(const Observation& o) {
  auto j = judge::status_is(o, {200}, "finalize");
  if (j.kind != Judgement::held) return j;
  const std::string status = str(o.body, "status");
  if (status != "processing" && status != "valid")
    return Judgement::fail("finalize answered an order in status \"" + status + "\", expected processing or valid");
  if (status == "valid" && str(o.body, "certificate").empty())
    return Judgement::fail("finalize answered a valid order without a certificate URL");
  return Judgement::pass("finalize answered the order, now " + status);
}

Judgement not_ready(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() != 403 || problem_type(o.body) != "orderNotReady")
    return Judgement::fail("finalize of an order that is not ready: expected 403 orderNotReady, got HTTP " +
                           std::to_string(o.status()) + " " + problem_type(o.body));
  return Judgement::pass("403 orderNotReady");
}

// Finalize of an order with some authorizations valid and others not: the
// incident class of CAs that issued once any one name was proven.
Judgement partly_authorized_not_ready(const Observation& o) {
  const json statuses = o.facts.value("authorization_status", json::object());
  std::string valid, unproven;
  for (const auto& [url, status] : statuses.items()) {
    if (status == "valid") valid = url;
    else if (unproven.empty()) unproven = url + " (" + (status.is_string() && !status.get<std::string>().empty() ? status.get<std::string>() : "unreadable") + ")";
  }
  if (valid.empty() || unproven.empty())
    return Judgement::error("the step needs an order with both valid and unproven authorizations (authorize with `only`), got " +
                            std::to_string(statuses.size()) + " authorization(s)" + (valid.empty() ? ", none valid" : ", all valid"));
  if (auto j = judge::no_answer(o)) return *j;
  const std::string before = str(o.facts.value("order_before", json::object()), "status");
  if (o.status() < 400)
    return Judgement::fail("finalize answered HTTP " + std::to_string(o.status()) + " (order now \"" +
                           str(o.facts.value("order_after", json::object()), "status") + "\") while " + unproven +
                           " was not valid; the order was \"" + before + "\"");
  if (o.status() != 403 || problem_type(o.body) != "orderNotReady")
    return Judgement::fail("refused, but with HTTP " + std::to_string(o.status()) + " " + problem_type(o.body) + ", not 403 orderNotReady");
  const std::string after = str(o.facts.value("order_after", json::object()), "status");
  if (after == "processing" || after == "valid")
    return Judgement::fail("finalize answered orderNotReady, yet the order is now \"" + after + "\"");
  return Judgement::pass("403 orderNotReady while " + unproven + " was not valid (order \"" + before + "\")");
}

Judgement csr_refused(const Observation& o, const std::vector<std::string>& variants, const std::string& what) {
  if (auto e = needs_csr(o, variants)) return *e;
  return judge::rejected_with(o, {}, "finalize with " + what);
}

Judgement weak_key_refused(const Observation& o) {
  if (auto e = needs_csr(o, {"weak-key"})) return *e;
  return judge::rejected_with(o, {"badCSR"}, "finalize with an RSA-1024 CSR key");
}

Judgement bad_csr_keeps_ready(const Observation& o) {
  if (auto e = needs_csr(o, {"missing-name", "extra-name", "account-key", "other-account-key", "bad-signature", "weak-key"})) return *e;
  auto j = judge::rejected_with(o, {"badCSR"}, "finalize with the " + str(o.facts, "csr") + " CSR");
  if (j.kind != Judgement::held) return j;
  if (str(o.body, "detail").empty()) return Judgement::fail("the badCSR problem gives no detail saying why");
  const json before = o.facts.value("order_before", json::object());
  const json after = o.facts.value("order_after", json());
  if (str(before, "status") != "ready") return Judgement::skip("the order was not ready before the finalize");
  if (!after.is_object()) return Judgement::fail("the order could not be read back after the refused finalize");
  if (str(after, "status") != "ready")
    return Judgement::fail("after the refused CSR the order is \"" + str(after, "status") + "\", not ready for a corrected CSR");
  return Judgement::pass("badCSR with detail, and the order is still ready");
}

Judgement processing_retry_after(const Observation& o) {
  int processing = 0, with_header = 0;
  if (str(o.body, "status") == "processing" && o.op == "finalize") {
    ++processing;
    if (o.header("Retry-After")) ++with_header;
  }
  for (const auto& p : arr(o.facts, "polls")) {
    if (str(p, "status") != "processing") continue;
    ++processing;
    if (p.contains("retry_after") && p["retry_after"].is_string()) ++with_header;
  }
  if (processing == 0) return Judgement::skip("the order was never seen in processing");
  if (with_header < processing)
    return Judgement::fail(std::to_string(processing - with_header) + " of " + std::to_string(processing) +
                           " answers showing the order processing carry no Retry-After");
  return Judgement::pass(std::to_string(processing) + " processing answers carry Retry-After");
}

Judgement certificate_matches_order(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.facts.contains("chain")) return Judgement::fail("no certificate was downloaded");
  auto chain = client::parse_pem_chain(str(o.facts, "chain"));
  if (!chain || chain->empty()) return Judgement::fail("the chain does not parse: " + (chain ? "empty" : chain.error().to_string()));
  std::multiset<std::string> want = identifier_set(o.facts.value("identifiers", json::array())), have;
  for (const auto& san : chain->front().sans) have.insert(canonical(json{{"type", san.type}, {"value", san.value}}));
  if (want.empty()) return Judgement::error("the step did not name the ordered identifiers");
  if (want != have) return Judgement::fail("the certificate names " + joined(have) + ", the order " + joined(want));
  if (o.facts.contains("cert_spki_b64") &&
      jose::base64url_encode(chain->front().spki_der) != str(o.facts, "cert_spki_b64"))
    return Judgement::fail("the certificate does not certify the CSR's public key");
  return Judgement::pass("the certificate names exactly the ordered identifiers and the CSR's key");
}

Judgement new_authz_created(const Observation& o) {
  auto j = judge::status_is(o, {201}, "newAuthz");
  if (j.kind != Judgement::held) return j;
  if (!o.header("Location")) return Judgement::fail("201 answer to newAuthz has no Location header");
  if (str(o.body, "status") != "pending")
    return Judgement::fail("a new authorization's status is " + member(o.body, "status").dump() + ", expected pending");
  const json want = o.facts.value("identifier", json());
  if (canonical(want) != canonical(member(o.body, "identifier")))
    return Judgement::fail("the authorization names " + member(o.body, "identifier").dump() + ", the request " + want.dump());
  return Judgement::pass("201 Created with Location and a pending authorization");
}

// ---- §7.4.2, §9.1 certificates ---------------------------------------------

Judgement pem_chain_default(const Observation& o) {
  auto j = judge::status_is(o, {200}, "certificate download");
  if (j.kind != Judgement::held) return j;
  auto ct = http::ascii_lower(o.header("Content-Type").value_or(""));
  if (ct.rfind("application/pem-certificate-chain", 0) != 0)
    return Judgement::fail("certificate served as \"" + ct + "\", expected application/pem-certificate-chain");
  return Judgement::pass("served as application/pem-certificate-chain");
}

Judgement alternate_links(const Observation& o) {
  const json alts = o.facts.value("alternates", json::array());
  if (alts.empty()) return Judgement::skip("the certificate answer links no alternate chain (the server offers none)");
  for (const auto& a : alts) {
    if (member(a, "http") != 200)
      return Judgement::fail("alternate " + str(a, "url") + " answered HTTP " + member(a, "http").dump() + " " + str(a, "error"));
    if (http::ascii_lower(str(a, "content_type")).rfind("application/pem-certificate-chain", 0) != 0)
      return Judgement::fail("alternate " + str(a, "url") + " is served as \"" + str(a, "content_type") + "\"");
    if (auto chain = client::parse_pem_chain(str(a, "chain")); !chain || chain->empty())
      return Judgement::fail("alternate " + str(a, "url") + " is not a PEM chain");
  }
  return Judgement::pass(std::to_string(alts.size()) + " alternate chains linked and downloadable");
}

Judgement alternates_same_leaf(const Observation& o) {
  const json alts = o.facts.value("alternates", json::array());
  if (alts.empty()) return Judgement::skip("the certificate answer links no alternate chain (the server offers none)");
  auto main_leaf = leaf(str(o.facts, "chain"));
  if (!main_leaf) return Judgement::fail("the default chain does not parse");
  for (const auto& a : alts) {
    auto alt = leaf(str(a, "chain"));
    if (!alt) return Judgement::fail("alternate " + str(a, "url") + " gave no parsable chain");
    if (alt->der != main_leaf->der)
      return Judgement::fail("alternate " + str(a, "url") + " starts with another certificate (serial " + alt->serial_hex + ")");
  }
  return Judgement::pass(std::to_string(alts.size()) + " alternates start with the same end-entity certificate");
}

Judgement leaf_first(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  auto chain = client::parse_pem_chain(str(o.facts, "chain"));
  if (!chain || chain->empty()) return Judgement::fail("the chain does not parse: " + (chain ? "empty" : chain.error().to_string()));
  if (chain->front().is_ca) return Judgement::fail("the first certificate of the chain is a CA certificate");
  return Judgement::pass("end-entity certificate first, " + std::to_string(chain->size()) + " certificates");
}

Judgement issuer_order(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  if (auto s = client::verify_chain_order(str(o.facts, "chain")); !s) return Judgement::fail(s.error().to_string());
  return Judgement::pass("each certificate is issued by the next");
}

Judgement strict_pem(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  auto chain = client::parse_pem_chain(str(o.facts, "chain"));
  if (!chain) return Judgement::fail(chain.error().to_string());
  return Judgement::pass("only CERTIFICATE blocks, nothing between them");
}

// ---- §7.5 authorizations ---------------------------------------------------

Judgement poll_during_validation(const Observation& o) {
  int polls = 0, in_progress = 0;
  for (const auto& a : observed_authzs(o))
    for (const auto& p : arr(a, "polls")) {
      ++polls;
      if (member(p, "http") != 200)
        return Judgement::fail("polling " + str(a, "url") + " during validation answered HTTP " + member(p, "http").dump());
      if (str(p, "status").empty()) return Judgement::fail("polling " + str(a, "url") + " answered 200 without an authorization status");
      if (str(p, "status") == "pending") ++in_progress;
    }
  if (polls == 0) return Judgement::skip("no authorization was polled");
  return Judgement::pass(std::to_string(polls) + " polls answered 200 with the authorization (" + std::to_string(in_progress) +
                         " while still pending)");
}

Judgement unknown_response_fields(const Observation& o) {
  if (o.facts.value("response_payload", json::object()).empty())
    return Judgement::error("the step answered the challenge with {}, no unknown member");
  int answered = 0;
  for (const auto& a : observed_authzs(o)) {
    if (!a.contains("response_status")) continue;
    ++answered;
    if (a["response_status"] != 200)
      return Judgement::fail("a challenge response with an unknown member was answered HTTP " + a["response_status"].dump());
    if (str(member(a, "after"), "status") != "valid")
      return Judgement::fail("the authorization ended \"" + str(member(a, "after"), "status") + "\" after a response with an unknown member");
  }
  if (answered == 0) return Judgement::skip("no challenge was answered");
  return Judgement::pass(std::to_string(answered) + " responses with an unknown member accepted and validated");
}

Judgement deactivate_200(const Observation& o) {
  auto j = judge::status_is(o, {200}, "authorization deactivation");
  if (j.kind == Judgement::held && str(o.body, "status") != "deactivated")
    return Judgement::fail("the authorization is " + member(o.body, "status").dump() + " after deactivation");
  return j;
}

Judgement deactivate_owner_only(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() == 200 || str(o.body, "status") == "deactivated")
    return Judgement::fail("another account's deactivation request was accepted (HTTP " + std::to_string(o.status()) + ")");
  auto j = judge::rejected_with(o, {}, "deactivation by another account");
  if (j.kind != Judgement::held) return j;
  if (o.facts.contains("after") && str(o.facts["after"], "status") == "deactivated")
    return Judgement::fail("the request was answered with an error, yet the authorization is now deactivated");
  return j;
}

Judgement deactivated_not_used(const Observation& o) {
  if (auto e = needs_csr(o, {"matching"})) return *e;
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() >= 400 && o.status() < 500)
    return Judgement::pass("finalize refused with HTTP " + std::to_string(o.status()) + " " + problem_type(o.body));
  const json after = o.facts.value("order_after", json());
  const std::string status = str(after, "status");
  if (str(o.body, "status") == "valid" || status == "valid" || !str(after, "certificate").empty())
    return Judgement::fail("the order became valid although one of its authorizations was deactivated");
  if (status == "invalid") return Judgement::pass("finalize was accepted but the order ended invalid, with no certificate");
  return Judgement::fail("finalize answered HTTP " + std::to_string(o.status()) + " and the order is \"" + status +
                         "\": nothing shows the deactivated authorization is not used");
}

// ---- §7.6 revocation -------------------------------------------------------

Judgement revoke_ok(const Observation& o, const std::string& by, const std::string& what) {
  if (str(o.facts, "by") != by) return Judgement::error("the step does not revoke by " + by);
  auto j = judge::status_is(o, {200}, what);
  if (j.kind == Judgement::held && by == "certificate-key" && !o.facts.value("protected", json::object()).contains("jwk"))
    return Judgement::error("the request did not carry the certificate key as jwk");
  return j;
}

Judgement already_revoked(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() != 400 || problem_type(o.body) != "alreadyRevoked")
    return Judgement::fail("revoking a revoked certificate: expected 400 alreadyRevoked, got HTTP " + std::to_string(o.status()) +
                           " " + problem_type(o.body));
  return Judgement::pass("400 alreadyRevoked");
}

Judgement bad_reason(const Observation& o) {
  if (!o.facts.value("payload", json::object()).contains("reason")) return Judgement::error("the step sent no reason code");
  return judge::rejected_with(o, {"badRevocationReason"}, "revocation with reason " + o.facts["payload"]["reason"].dump());
}

}  // namespace

std::vector<CheckDef> checks_orders() {
  const std::vector<std::string> mismatch = {"missing-name", "extra-name"};
  return {
      {"RFC8555-7.4-new-order-201-location", {}, order_created},
      {"RFC8555-7.4-not-before-after-honoured-or-refused", {}, validity_honoured},
      {"RFC8555-7.4-unsupported-identifier-type", {},
       [](const Observation& o) { return rejected_naming(o, {"unsupportedIdentifier"}, "newOrder with an unknown identifier type"); }},
      {"RFC8555-7.4-rejected-identifier", {},
       [](const Observation& o) {
         return rejected_naming(o, {"rejectedIdentifier", "malformed"}, "newOrder for a name the server will not issue for");
       }},
      {"RFC8555-7.4-finalize-not-ready-order-not-ready", {}, not_ready},
      {"RFC8555-7.4-finalize-refused-until-every-authz-valid", {}, partly_authorized_not_ready},
      {"RFC8555-7.4-finalize-returns-order", {}, finalize_returns_order},
      {"RFC8555-7.4-finalize-csr-identifier-mismatch", {},
       [mismatch](const Observation& o) { return csr_refused(o, mismatch, "a CSR naming other identifiers than the order"); }},
      {"RFC8555-7.4-finalize-csr-signature-checked", {},
       [](const Observation& o) { return csr_refused(o, {"bad-signature"}, "a CSR whose signature does not verify"); }},
      {"RFC8555-7.4-finalize-weak-csr-key-refused", {}, weak_key_refused},
      {"RFC8555-7.4-finalize-bad-csr-type-order-ready", {}, bad_csr_keeps_ready},
      {"RFC8555-7.4-processing-order-retry-after", {}, processing_retry_after},
      {"RFC8555-7.4-certificate-matches-order", {}, certificate_matches_order},
      {"RFC8555-7.4.1-new-authz-201-pending", {}, new_authz_created},
      {"RFC8555-7.4.2-certificate-pem-chain-default", {}, pem_chain_default},
      {"RFC8555-7.4.2-alternate-chain-links", {}, alternate_links},
      {"RFC8555-7.4.2-alternates-same-leaf", {}, alternates_same_leaf},
      {"RFC8555-7.5.1-poll-during-validation-200", {}, poll_during_validation},
      {"RFC8555-7.5.1-unknown-response-fields-ignored", {}, unknown_response_fields},
      {"RFC8555-7.5.2-deactivate-authz-200", {}, deactivate_200},
      {"RFC8555-7.5.2-deactivate-authz-owner-only", {}, deactivate_owner_only},
      {"RFC8555-7.5.2-deactivated-authz-not-used", {}, deactivated_not_used},
      {"RFC8555-7.6-revoke-by-issuing-account", {},
       [](const Observation& o) { return revoke_ok(o, "account", "revocation by the issuing account"); }},
      {"RFC8555-7.6-revoke-by-certificate-key", {},
       [](const Observation& o) { return revoke_ok(o, "certificate-key", "revocation signed by the certificate key"); }},
      {"RFC8555-7.6-revoke-by-authorized-account", {},
       [](const Observation& o) { return revoke_ok(o, "account", "revocation by another account holding valid authorizations"); }},
      {"RFC8555-7.6-revoke-without-claim-refused", {},
       [](const Observation& o) { return judge::rejected_with(o, {"unauthorized"}, "revocation with no claim to the certificate"); }},
      {"RFC8555-7.6-already-revoked", {}, already_revoked},
      {"RFC8555-7.6-bad-revocation-reason", {}, bad_reason},
      {"RFC8555-9.1-pem-chain-leaf-first", {}, leaf_first},
      {"RFC8555-9.1-pem-chain-issuer-order", {}, issuer_order},
      {"RFC8555-9.1-pem-chain-strict-encoding", {}, strict_pem},
      {"RFC8555-11.1-csr-with-account-key-refused", {},
       [](const Observation& o) { return csr_refused(o, {"account-key"}, "a CSR carrying the account's own key"); }},
      {"RFC8555-11.1-csr-with-other-account-key-refused", {},
       [](const Observation& o) { return csr_refused(o, {"other-account-key"}, "a CSR carrying another account's key"); }},
  };
}

}  // namespace acmespec::server
