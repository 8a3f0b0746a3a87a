// Operations that answer challenges and wait on resources: `authorize`
// (provision acmespec's responders, honestly or with a named fault, answer
// the challenge and poll the authorization) and `poll`.
#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "acme/identifier.hpp"
#include "http/retry_after.hpp"
#include "jose/challenge.hpp"
#include "responders/tls_alpn_cert.hpp"
#include "server/challenge_faults.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;

namespace {

using ChallengeClock = std::chrono::steady_clock;
using op::fetch;
using op::member_or;
using op::text;

std::chrono::milliseconds retry_wait(const std::optional<std::string>& retry_after) {
  auto wait = std::chrono::milliseconds(500);
  if (retry_after) {
    auto parsed = http::parse_retry_after(*retry_after, std::chrono::system_clock::now());
    if (parsed) wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*parsed));
  }
  return wait;
}

// Polls `url` until its status is one of `until` or time runs out; honours
// Retry-After (bounded by what is left of the time budget).  Each answer is
// kept in facts.polls so the checks can see what the resource said while
// it was in progress.
json poll_until(ServerExecutor& ex, Observation& o, const std::string& url, const std::string& key_name,
                const std::vector<std::string>& until) {
  const auto deadline = ChallengeClock::now() + ex.config().poll_timeout;
  json statuses = json::array();
  json waits = json::array();
  json polls = o.facts.value("polls", json::array());
  while (true) {
    op::signed_post(ex, o, url, std::nullopt, key_name, true);
    const std::string status = text(o.body, "status");
    const auto retry_after = o.header("Retry-After");
    statuses.push_back(status);
    polls.push_back({{"url", url},
                     {"http", o.status()},
                     {"status", status},
                     {"retry_after", retry_after ? json(*retry_after) : json()},
                     {"exchange", o.main ? o.main->id : ""}});
    if (o.status() != 200 || std::find(until.begin(), until.end(), status) != until.end()) break;
    const auto wait = retry_wait(retry_after);
    if (retry_after) waits.push_back({{"retry_after", *retry_after}});
    if (ChallengeClock::now() + wait > deadline) {
      o.facts["poll_timed_out"] = true;
      break;
    }
    std::this_thread::sleep_for(std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ChallengeClock::now())));
  }
  o.facts["statuses"] = statuses;
  o.facts["retry_after"] = waits;
  o.facts["polls"] = polls;
  return o.body;
}

// The canonical address an "ip" identifier or a reverse-DNS SNI stands for;
// empty when `name` is neither.
std::string address_named_by(const std::string& name) {
  if (auto ip = acme::canonicalize_ip(name)) return *ip;
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  if (lower.ends_with(".in-addr.arpa") || lower.ends_with(".ip6.arpa")) {
    auto id = responders::identifier_from_sni(lower);
    if (id.kind == responders::TlsIdentifier::Kind::kIp) return id.value;
  }
  return {};
}

// What the responders saw of the validation of one identifier: the HTTP
// requests for its token, the TXT lookups of its _acme-challenge name, or
// the TLS handshakes naming it (for an address: its reverse name, the
// literal, or no SNI at all, so a wrong SNI is still visible to the checks).
json validation_seen(responders::Responders& r, const std::string& type, const std::string& host,
                     const std::string& token, bool is_ip) {
  json seen = json::array();
  if (type == "http-01") {
    for (const auto& e : r.http_history())
      if (e.path.find(token) != std::string::npos) seen.push_back(responders::to_json(e));
  } else if (type == "dns-01") {
    const std::string name = "_acme-challenge." + host;
    for (const auto& e : r.dns_history())
      if (e.name == name || e.name == name + ".") seen.push_back(responders::to_json(e));
  } else if (type == "tls-alpn-01") {
    const std::string address = is_ip ? acme::canonicalize_ip(host).value_or(host) : "";
    for (const auto& e : r.tls_history())
      if (e.sni == host || (is_ip && (e.sni.empty() || address_named_by(e.sni) == address)))
        seen.push_back(responders::to_json(e));
  }
  return seen;
}

// DNS questions about an address itself (its literal or its reverse name).
json dns_lookups_of_address(responders::Responders& r, const std::string& address) {
  json seen = json::array();
  const std::string canonical = acme::canonicalize_ip(address).value_or(address);
  for (const auto& e : r.dns_history())
    if (address_named_by(e.name) == canonical) seen.push_back(responders::to_json(e));
  return seen;
}

OpResult authorize(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string key_name = op::arg_string(args, "key", "account");
  const std::string type = op::arg_string(args, "type", "http-01");
  const json response_payload = args.contains("response") && args["response"].is_object() ? args["response"] : json::object();
  const std::string fault = op::arg_string(args, "fault");
  // `only`: the identifier values whose authorizations are answered; the
  // others are left pending (empty or absent: answer every authorization).
  std::set<std::string> only;
  const json only_arg = member_or(args, "only", json::array());
  if (!only_arg.is_array()) return op_harness_error("authorize: `only` must be an array of identifier values");
  for (const auto& v : only_arg) {
    if (!v.is_string()) return op_harness_error("authorize: `only` must be an array of identifier values");
    only.insert(acme::canonicalize_ip(v.get<std::string>()).value_or(v.get<std::string>()));
  }
  auto key = ex.key(key_name);
  if (!key) return op_harness_error(key.error().to_string());
  json order = fetch(ex, op::arg_string(args, "order"), key_name);
  if (!order.is_object() || !order.contains("authorizations"))
    return OpResult{op::result_of(o), "the order could not be fetched", std::nullopt};
  if (!ex.responders() && type != "none") return op_harness_error("no challenge responders are running");
  o.facts["order"] = order;
  o.facts["identifiers"] = member_or(order, "identifiers", json::array());
  o.facts["response_payload"] = response_payload;
  json authz_facts = json::array();
  for (const auto& authz_url : order["authorizations"]) {
    if (!authz_url.is_string()) continue;
    json authz = fetch(ex, authz_url, key_name);
    json fact = {{"url", authz_url}, {"before", authz}};
    if (!authz.is_object()) {
      authz_facts.push_back(fact);
      continue;
    }
    if (text(authz, "status") == "valid") {  // reused authorization
      fact["reused"] = true;
      authz_facts.push_back(fact);
      continue;
    }
    const json ident = member_or(authz, "identifier", json::object());
    const std::string host = text(ident, "value");
    const bool is_ip = text(ident, "type") == "ip";
    if (!only.empty() && !only.count(is_ip ? acme::canonicalize_ip(host).value_or(host) : host)) {
      fact["left_pending"] = true;  // not answered on purpose
      authz_facts.push_back(fact);
      continue;
    }
    json chosen;
    const json challenges = member_or(authz, "challenges", json::array());
    for (const auto& ch : challenges.is_array() ? challenges : json::array())
      if (text(ch, "type") == type) chosen = ch;
    if (!chosen.is_object()) {
      fact["error"] = "no " + type + " challenge offered";
      authz_facts.push_back(fact);
      continue;
    }
    const std::string token = text(chosen, "token");
    const std::string keyauth = jose::key_authorization(token, (*key)->public_jwk());
    ChallengeSetup setup{type, host, token, keyauth, ex.responders()->http01_port()};
    auto provisioned = provision_challenge(*ex.responders(), setup, fault);
    if (!provisioned) return op_harness_error(provisioned.error().to_string());
    fact["provisioned"] = *provisioned;
    fact["challenge"] = chosen;
    op::signed_post(ex, o, text(chosen, "url"), response_payload, key_name, true);
    fact["response_status"] = o.status();
    fact["response"] = o.body;
    if (o.status() == 200) {
      const std::size_t polls_before = o.facts.value("polls", json::array()).size();
      fact["after"] = poll_until(ex, o, authz_url, key_name, {"valid", "invalid", "deactivated", "expired", "revoked"});
      fact["polls"] = json::array();
      const json& polls = o.facts["polls"];
      for (std::size_t i = polls_before; i < polls.size(); ++i) fact["polls"].push_back(polls[i]);
    }
    fact["validation"] = validation_seen(*ex.responders(), type, host, token, is_ip);
    if (is_ip) fact["dns_lookups_of_address"] = dns_lookups_of_address(*ex.responders(), host);
    authz_facts.push_back(fact);
  }
  if (!only.empty() && std::all_of(authz_facts.begin(), authz_facts.end(), [](const json& f) { return f.contains("left_pending"); }))
    return op_harness_error("authorize: no authorization of the order names a value in `only`");
  o.facts["authorizations"] = authz_facts;
  o.facts["challenge_type"] = type;
  if (!fault.empty()) o.facts["fault"] = fault;
  o.facts["account_jwk"] = (*key)->public_jwk().to_json();
  o.facts["responder_port"] = type == "tls-alpn-01" ? ex.responders()->tls_alpn_port() : ex.responders()->http01_port();
  OpResult r = op::finish(o, {200}, type + " validation");
  for (const auto& f : authz_facts) {
    // A responder fault makes an invalid outcome the point of the step.
    if (r.failure || o.mutations.any() || !fault.empty()) break;
    if (f.contains("error")) r.failure = f["url"].get<std::string>() + ": " + f["error"].get<std::string>();
    else if (f.contains("after") && text(f["after"], "status") != "valid")
      r.failure = f["url"].get<std::string>() + " ended \"" + text(f["after"], "status") + "\"";
  }
  return r;
}

OpResult poll(ServerExecutor& ex, const json& args, Observation& o) {
  std::vector<std::string> until;
  for (const auto& s : args.value("until", json::array({"valid", "invalid"})))
    if (s.is_string()) until.push_back(s.get<std::string>());
  poll_until(ex, o, op::arg_string(args, "url"), op::arg_string(args, "key", "account"), until);
  o.facts["resource"] = op::arg_string(args, "resource");
  OpResult r = op::finish(o, {200}, "poll");
  if (!r.failure && o.facts.value("poll_timed_out", false))
    r.failure = "still \"" + text(o.body, "status") + "\" after " + std::to_string(ex.config().poll_timeout.count()) + " s";
  return r;
}

}  // namespace

std::vector<OpDef> ops_challenges() {
  return {
      OpDef{"authorize",
            "answer one challenge type in every authorization of an order (payload `response`, default {}) and wait for the "
            "outcome; `fault` names a responder misbehaviour (acmespec list --ops prints them); `only` lists the identifier "
            "values to answer, leaving the other authorizations pending",
            {"key", "order", "type", "response", "fault", "only"}, true, authorize},
      OpDef{"poll", "POST-as-GET a resource until its status is one of `until`", {"key", "url", "until", "resource"}, true, poll},
  };
}

}  // namespace acmespec::server
