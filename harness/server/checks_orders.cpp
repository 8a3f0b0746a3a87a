// RFC 8555 §7.4 (orders, finalize, certificates), §7.5 (authorizations),
// §7.6 (revocation), §9.1 (the PEM chain), §11.1 (key reuse), the wildcard
// rules of §7.1.3/§7.1.4, and RFC 8738 (IP identifiers).
#include <algorithm>
#include <set>

#include "common/json_access.hpp"
#include "acme/identifier.hpp"
#include "acme/timestamp.hpp"
#include "client/csr.hpp"
#include "jose/base64url.hpp"
#include "responders/tls_alpn_cert.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

// ---- helpers ---------------------------------------------------------------

using json_access::arr;
using json_access::member;
using json_access::str;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string canonical(const json& id) {
  std::string type = str(id, "type"), value = str(id, "value");
  if (type == "ip") value = acme::canonicalize_ip(value).value_or(value);
  return type + ":" + lower(value);
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

std::vector<json> authzs(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : arr(o.facts, "authorizations"))
    if (a.is_object() && a.contains("before") && a["before"].is_object()) out.push_back(a);
  return out;
}

json identifier_of(const json& a) { return a["before"].value("identifier", json::object()); }
bool is_ip_authz(const json& a) { return str(identifier_of(a), "type") == "ip"; }

std::set<std::string> challenge_types(const json& a) {
  std::set<std::string> out;
  for (const auto& ch : arr(a["before"], "challenges")) out.insert(str(ch, "type"));
  return out;
}

std::string list(const std::set<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
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
  auto ct = lower(o.header("Content-Type").value_or(""));
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
    if (lower(str(a, "content_type")).rfind("application/pem-certificate-chain", 0) != 0)
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
  for (const auto& a : authzs(o))
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
  for (const auto& a : authzs(o)) {
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

// ---- wildcards (§7.1.3, §7.1.4) --------------------------------------------

int wildcard_count(const Observation& o) {
  int n = 0;
  for (const auto& id : o.facts.value("identifiers", json::array()))
    if (str(id, "type") == "dns" && str(id, "value").rfind("*.", 0) == 0) ++n;
  return n;
}

Judgement wildcard_strips_prefix(const Observation& o) {
  if (wildcard_count(o) == 0) return Judgement::error("the order has no wildcard identifier");
  const auto all = authzs(o);
  if (all.empty()) return Judgement::skip("no authorization was fetched");
  for (const auto& a : all)
    if (str(identifier_of(a), "value").rfind("*.", 0) == 0)
      return Judgement::fail("authorization " + str(a, "url") + " names " + str(identifier_of(a), "value") + " with the '*.' prefix");
  for (const auto& id : o.facts["identifiers"]) {
    const std::string value = lower(str(id, "value"));
    if (value.rfind("*.", 0) != 0) continue;
    const std::string base = value.substr(2);
    bool found = false;
    for (const auto& a : all)
      found = found || (lower(str(identifier_of(a), "value")) == base && a["before"].value("wildcard", json()) == true);
    if (!found) return Judgement::fail("no authorization names " + base + " with wildcard true for " + value);
  }
  return Judgement::pass("each wildcard identifier has an authorization for its base domain with wildcard true");
}

Judgement wildcard_dns01_only(const Observation& o) {
  int seen = 0;
  for (const auto& a : authzs(o)) {
    if (a["before"].value("wildcard", json()) != true) continue;
    ++seen;
    const auto types = challenge_types(a);
    if (types != std::set<std::string>{"dns-01"}) return Judgement::fail("a wildcard authorization offers " + list(types));
  }
  if (seen == 0) return Judgement::skip("no wildcard authorization was seen");
  return Judgement::pass(std::to_string(seen) + " wildcard authorizations offer only dns-01");
}

Judgement wildcard_field_only(const Observation& o) {
  const auto all = authzs(o);
  if (all.empty()) return Judgement::skip("no authorization was fetched");
  const int wildcards = wildcard_count(o);
  int present = 0;
  for (const auto& a : all) {
    if (!a["before"].contains("wildcard")) continue;
    ++present;
    if (a["before"]["wildcard"] != true)
      return Judgement::fail("authorization " + str(a, "url") + " carries wildcard " + a["before"]["wildcard"].dump() +
                             "; the member must be absent unless it is true");
  }
  if (static_cast<int>(all.size()) == wildcards) return Judgement::skip("every authorization came from a wildcard identifier");
  if (present > wildcards)
    return Judgement::fail(std::to_string(present) + " authorizations carry wildcard but the order has only " +
                           std::to_string(wildcards) + " wildcard identifiers");
  return Judgement::pass(std::to_string(all.size() - static_cast<std::size_t>(wildcards)) +
                         " authorizations for plain names carry no wildcard member");
}

// ---- RFC 8738 IP identifiers -----------------------------------------------

std::vector<json> ip_authzs(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : authzs(o))
    if (is_ip_authz(a) || acme::is_ip_address(str(identifier_of(a), "value"))) out.push_back(a);
  return out;
}

Judgement ip_canonical(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips) {
    const json id = identifier_of(a);
    if (str(id, "type") != "ip") return Judgement::fail("an authorization names the address " + str(id, "value") + " with type " + str(id, "type"));
    if (!acme::is_canonical_ip(str(id, "value")))
      return Judgement::fail("an authorization names " + str(id, "value") + ", not the canonical " +
                             acme::canonicalize_ip(str(id, "value")).value_or("?"));
  }
  return Judgement::pass(std::to_string(ips.size()) + " IP authorizations use type ip and the canonical text");
}

Judgement ip_offers(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips) {
    const auto types = challenge_types(a);
    if (!types.count("http-01") && !types.count("tls-alpn-01"))
      return Judgement::fail(str(identifier_of(a), "value") + " is offered " + list(types) + ", neither http-01 nor tls-alpn-01");
  }
  return Judgement::pass("each IP authorization offers http-01 or tls-alpn-01");
}

Judgement ip_no_dns01(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips)
    if (challenge_types(a).count("dns-01")) return Judgement::fail(str(identifier_of(a), "value") + " is offered a dns-01 challenge");
  return Judgement::pass(std::to_string(ips.size()) + " IP authorizations offer no dns-01");
}

Judgement ip_skips_dns(const Observation& o) {
  int validated = 0;
  for (const auto& a : ip_authzs(o)) {
    if (!a.contains("validation") || a["validation"].empty()) continue;
    ++validated;
    const json lookups = arr(a, "dns_lookups_of_address");
    if (!lookups.empty())
      return Judgement::fail("validating " + str(identifier_of(a), "value") + " the server asked DNS for " + str(lookups[0], "name") +
                             " (" + str(lookups[0], "type") + ")");
  }
  if (validated == 0) return Judgement::skip("no validation of an IP address reached the responders");
  return Judgement::pass("no DNS question about the validated addresses");
}

Judgement ip_http_host(const Observation& o) {
  if (str(o.facts, "challenge_type") != "http-01") return Judgement::error("the step did not answer http-01");
  int seen = 0;
  for (const auto& a : ip_authzs(o)) {
    const std::string ip = acme::canonicalize_ip(str(identifier_of(a), "value")).value_or("");
    for (const auto& req : arr(a, "validation")) {
      ++seen;
      std::string host = str(req, "host");
      if (!host.empty() && host.front() == '[') host = host.substr(1, host.find(']') - 1);
      else if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(':') == colon) host.resize(colon);
      if (acme::canonicalize_ip(host).value_or("") != ip)
        return Judgement::fail("the validation request for " + ip + " carried Host \"" + str(req, "host") + "\"");
    }
  }
  if (seen == 0) return Judgement::skip("no http-01 validation of an IP address reached the responder");
  return Judgement::pass(std::to_string(seen) + " validation requests carried the address as Host");
}

Judgement ip_tls_sni(const Observation& o) {
  if (str(o.facts, "challenge_type") != "tls-alpn-01") return Judgement::error("the step did not answer tls-alpn-01");
  int seen = 0;
  for (const auto& a : ip_authzs(o)) {
    const std::string ip = acme::canonicalize_ip(str(identifier_of(a), "value")).value_or("");
    for (const auto& hs : arr(a, "validation")) {
      ++seen;
      std::string sni = lower(str(hs, "sni"));
      if (!sni.empty() && sni.back() == '.') sni.pop_back();
      const bool reverse = sni.ends_with(".in-addr.arpa") || sni.ends_with(".ip6.arpa");
      auto named = responders::identifier_from_sni(sni);
      if (!reverse || named.kind != responders::TlsIdentifier::Kind::kIp || named.value != ip)
        return Judgement::fail("the validation handshake for " + ip + " sent SNI \"" + str(hs, "sni") + "\", not its reverse name");
    }
    if (!arr(a, "validation").empty() && str(member(a, "after"), "status") != "valid")
      return Judgement::fail("the reverse-name handshake for " + ip + " was made but the authorization ended \"" +
                             str(member(a, "after"), "status") + "\" despite a matching iPAddress certificate");
  }
  if (seen == 0) return Judgement::skip("no tls-alpn-01 handshake for an IP address reached the responder");
  return Judgement::pass(std::to_string(seen) + " handshakes sent the reverse name as SNI and validated");
}

}  // namespace

std::vector<CheckDef> checks_orders() {
  const std::vector<std::string> mismatch = {"missing-name", "extra-name"};
  return {
      {"RFC8555-7.1.3-wildcard-authz-strips-prefix", {}, wildcard_strips_prefix},
      {"RFC8555-7.1.3-wildcard-offers-dns-01-only", {}, wildcard_dns01_only},
      {"RFC8555-7.1.4-wildcard-field-only-for-wildcards", {}, wildcard_field_only},
      {"RFC8555-7.4-new-order-201-location", {}, order_created},
      {"RFC8555-7.4-not-before-after-honoured-or-refused", {}, validity_honoured},
      {"RFC8555-7.4-unsupported-identifier-type", {},
       [](const Observation& o) { return rejected_naming(o, {"unsupportedIdentifier"}, "newOrder with an unknown identifier type"); }},
      {"RFC8555-7.4-rejected-identifier", {},
       [](const Observation& o) {
         return rejected_naming(o, {"rejectedIdentifier", "malformed"}, "newOrder for a name the server will not issue for");
       }},
      {"RFC8555-7.4-finalize-not-ready-order-not-ready", {}, not_ready},
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
      {"RFC8738-3-ip-identifier-canonical-form", {}, ip_canonical},
      {"RFC8738-4-ip-offers-http-01-or-tls-alpn-01", {}, ip_offers},
      {"RFC8738-4-ip-validation-skips-dns", {}, ip_skips_dns},
      {"RFC8738-5-http-01-host-is-ip", {}, ip_http_host},
      {"RFC8738-6-tls-alpn-reverse-dns-sni", {}, ip_tls_sni},
      {"RFC8738-7-no-dns-01-for-ip", {}, ip_no_dns01},
  };
}

}  // namespace acmespec::server
