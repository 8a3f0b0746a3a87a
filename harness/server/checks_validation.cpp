// How the target's validator reacts when acmespec's responders answer a
// challenge wrongly, or unusually but validly (RFC 8555 §8.2-§8.4, RFC 8737
// §3-§4), plus the DNS transport of validation (§11.2) and CAA (RFC 8659).
#include <cctype>
#include <cmath>

#include "common/json_access.hpp"
#include "jose/base64url.hpp"
#include "responders/history.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

// Facts may hold null where the target answered nothing usable; these
// readers give an empty value of the expected kind instead.
using json_access::arr;
using json_access::obj;
using json_access::str;

// The authorizations of the step whose challenge was answered.
std::vector<json> answered(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : arr(o.facts, "authorizations"))
    if (a.contains("challenge") && a.contains("response_status")) out.push_back(a);
  return out;
}

std::string identifier_value(const json& a) {
  return str(obj(obj(a, "before"), "identifier"), "value");
}

// The answered challenge as it stands in the final authorization.
json final_challenge(const json& a) {
  const std::string url = str(obj(a, "challenge"), "url");
  for (const auto& ch : arr(obj(a, "after"), "challenges"))
    if (str(ch, "url") == url) return ch;
  return json();
}

std::string error_summary(const json& challenge) {
  const json& e = challenge.is_object() && challenge.contains("error") ? challenge["error"] : json();
  if (!e.is_object()) return "no error member";
  return str(e, "type") + (str(e, "detail").empty() ? "" : ": " + str(e, "detail").substr(0, 160));
}

// A correct validator refuses: every answered authorization ends invalid.
Judgement refused(const Observation& o) {
  const std::string fault = o.facts.value("fault", std::string());
  auto all = answered(o);
  if (all.empty()) return Judgement::skip("no challenge was answered");
  int invalid = 0;
  std::string pending;
  for (const auto& a : all) {
    const std::string status = str(obj(a, "after"), "status");
    if (status == "valid")
      return Judgement::fail("the authorization for " + identifier_value(a) + " became valid although the responder was set up with fault \"" +
                             fault + "\"");
    if (status == "invalid") ++invalid;
    else pending = identifier_value(a) + " still \"" + status + "\"";
  }
  if (invalid == 0) return Judgement::skip("validation had not concluded when polling stopped: " + pending);
  return Judgement::pass(std::to_string(invalid) + " authorization(s) refused under fault \"" + fault + "\" (" +
                         error_summary(final_challenge(all.front())) + ")");
}

// A correct validator accepts an unusual but valid answer.
Judgement accepted(const Observation& o) {
  const std::string fault = o.facts.value("fault", std::string());
  auto all = answered(o);
  if (all.empty()) return Judgement::skip("no challenge was answered");
  for (const auto& a : all) {
    const std::string status = str(obj(a, "after"), "status");
    if (status != "valid")
      return Judgement::fail("the authorization for " + identifier_value(a) + " ended \"" + status + "\" under \"" + fault +
                             "\" (" + error_summary(final_challenge(a)) + ")");
  }
  return Judgement::pass(std::to_string(all.size()) + " authorization(s) validated under \"" + fault + "\"");
}

// The invalid challenges of the step; skip when none.
std::optional<Judgement> no_invalid_challenge(const Observation& o, std::vector<json>& out) {
  for (const auto& a : answered(o)) {
    const json ch = final_challenge(a);
    if (str(obj(a, "after"), "status") == "invalid" || str(ch, "status") == "invalid") out.push_back(ch);
  }
  if (out.empty()) return Judgement::skip("no challenge ended invalid in this step");
  return std::nullopt;
}

Judgement invalid_has_error(const Observation& o) {
  std::vector<json> invalid;
  if (auto j = no_invalid_challenge(o, invalid)) return *j;
  for (const auto& ch : invalid) {
    if (!ch.is_object()) return Judgement::fail("the final authorization no longer lists the answered challenge");
    if (!ch.contains("error") || !ch["error"].is_object() || str(ch["error"], "type").empty())
      return Judgement::fail("invalid challenge " + str(ch, "url") + " has no error problem document with a type");
  }
  return Judgement::pass(std::to_string(invalid.size()) + " invalid challenge(s) explain why: " + error_summary(invalid.front()));
}

// Validation attempts that reached the responder for one authorization.
std::size_t attempts(const json& a) { return arr(a, "validation").size(); }

Judgement retries_failed_validation(const Observation& o) {
  std::vector<json> invalid;
  if (auto j = no_invalid_challenge(o, invalid)) return *j;
  for (const auto& a : answered(o)) {
    if (str(obj(a, "after"), "status") != "invalid") continue;
    if (attempts(a) == 0) return Judgement::skip("no validation attempt reached the responder for " + identifier_value(a));
    if (attempts(a) == 1)
      return Judgement::fail("the challenge for " + identifier_value(a) + " went invalid after a single validation attempt");
  }
  return Judgement::pass("failed validations were attempted more than once before the challenge went invalid");
}

// While retrying (status still pending/processing after an attempt reached
// the responder), each answer about the challenge carries Retry-After.
Judgement retry_after_while_retrying(const Observation& o) {
  int retrying_polls = 0;
  for (const auto& a : answered(o)) {
    if (attempts(a) == 0) continue;
    for (const auto& p : arr(a, "polls")) {
      const std::string status = str(p, "status");
      if (status != "pending" && status != "processing") continue;
      ++retrying_polls;
      if (!p.contains("retry_after") || p["retry_after"].is_null())
        return Judgement::fail("a poll of " + str(p, "url") + " answered \"" + status + "\" while validation was being retried, without Retry-After");
    }
  }
  std::vector<json> invalid;
  if (retrying_polls == 0) {
    if (no_invalid_challenge(o, invalid)) return Judgement::skip("no validation failed in this step");
    return Judgement::skip("the target did not keep the challenge open to retry (it went invalid at once)");
  }
  return Judgement::pass(std::to_string(retrying_polls) + " answers during retries carried Retry-After");
}

Judgement dns_over_tcp(const Observation& o) {
  if (o.facts.value("challenge_type", std::string()) != "dns-01") return Judgement::skip("no dns-01 challenge was answered");
  int udp = 0, tcp = 0;
  for (const auto& a : answered(o))
    for (const auto& q : arr(a, "validation")) (str(q, "protocol") == "tcp" ? tcp : udp)++;
  if (udp + tcp == 0) return Judgement::skip("no validation query reached the DNS responder");
  if (tcp > 0) return Judgement::pass(std::to_string(tcp) + " of " + std::to_string(udp + tcp) + " validation queries came over TCP");
  return Judgement::fail("all " + std::to_string(udp) + " validation TXT queries came over UDP");
}

// Judged on a finalize step after CAA records that forbid this CA were
// published: no certificate may come of it.
Judgement caa_forbids(const Observation& o) {
  const json meta = obj(o.facts, "target_meta");
  if (!meta.contains("caaIdentities") || !meta["caaIdentities"].is_array() || meta["caaIdentities"].empty())
    return Judgement::skip("the target's directory declares no caaIdentities, so it does not say it checks CAA");
  if (!o.facts.contains("order_after") && !o.main) return Judgement::skip("no finalize request was sent");
  const json after = obj(o.facts, "order_after");
  const std::string status = str(after, "status");
  if (status == "valid" || !str(after, "certificate").empty())
    return Judgement::fail("the order became valid with a certificate although CAA forbids issuance by " + meta["caaIdentities"].dump());
  const std::string before = str(obj(o.facts, "order_before"), "status");
  const std::string type = problem_type(o.body);
  return Judgement::pass("no certificate: finalize answered HTTP " + std::to_string(o.status()) + (type.empty() ? "" : " " + type) +
                         ", order " + (before.empty() ? "unknown" : before) + " before and " + (status.empty() ? "unknown" : status) + " after");
}

// §8.1: the key authorization uses the thumbprint of the JWK as sent; an EC
// "x" with a leading zero octet exposes validators that re-encode it.
Judgement thumbprint_as_sent(const Observation& o) {
  const json jwk = obj(o.facts, "account_jwk");
  auto x = jose::base64url_decode(str(jwk, "x"));
  if (!x || x->empty() || (*x)[0] != '\0')
    return Judgement::error("the step's account key has no leading zero octet in \"x\" (use key_type P-256-leading-zero)");
  auto all = answered(o);
  if (all.empty()) return Judgement::skip("no challenge was answered");
  for (const auto& a : all)
    if (str(obj(a, "after"), "status") != "valid")
      return Judgement::fail("with an account key whose x starts with 0x00 the authorization for " + identifier_value(a) + " ended \"" +
                             str(obj(a, "after"), "status") + "\" (" + error_summary(final_challenge(a)) + ")");
  return Judgement::pass("validated with an account key whose JWK x starts with a zero octet");
}

// §8.3 / RFC 8737 §3: validation reached the responder on the port the
// target is configured to validate on (80 / 443 in production).
Judgement validation_port(const Observation& o) {
  const std::string type = o.facts.value("challenge_type", std::string());
  if (type != "http-01" && type != "tls-alpn-01") return Judgement::skip("no http-01 or tls-alpn-01 challenge was answered");
  const auto port = o.facts.value("responder_port", 0);
  std::size_t seen = 0;
  for (const auto& a : answered(o)) {
    const bool valid = str(obj(a, "after"), "status") == "valid";
    if (valid && attempts(a) == 0)
      return Judgement::fail("the authorization for " + identifier_value(a) + " became valid with no " + type + " connection to port " +
                             std::to_string(port));
    seen += attempts(a);
  }
  if (seen == 0) return Judgement::skip("no validation connection was observed");
  return Judgement::pass(std::to_string(seen) + " " + type + " validation connection(s) reached port " + std::to_string(port) +
                         ", the port the target is configured to use");
}

// Bits of unpredictability a URL's last segment can carry, judged by the
// alphabet it uses: digits only 3.3 bits a character, hex 4, else 6.
double segment_bits(const std::string& url) {
  std::string seg = url;
  if (auto q = seg.find_first_of("?#"); q != std::string::npos) seg.resize(q);
  while (!seg.empty() && seg.back() == '/') seg.pop_back();
  if (auto slash = seg.rfind('/'); slash != std::string::npos) seg = seg.substr(slash + 1);
  bool digits = !seg.empty(), hex = !seg.empty();
  for (unsigned char c : seg) {
    digits = digits && std::isdigit(c);
    hex = hex && std::isxdigit(c);
  }
  return static_cast<double>(seg.size()) * (digits ? std::log2(10.0) : hex ? 4.0 : 6.0);
}

// §10.5: order and authorization URLs carry an unpredictable component.
Judgement unpredictable_urls(const Observation& o) {
  std::vector<std::string> urls;
  if (auto loc = o.header("Location")) urls.push_back(*loc);
  for (const auto& u : arr(o.body, "authorizations"))
    if (u.is_string()) urls.push_back(u.get<std::string>());
  if (urls.empty()) return Judgement::skip("the step returned no resource URLs");
  for (const auto& u : urls)
    if (segment_bits(u) < 64)
      return Judgement::fail("resource URL " + u + " ends in a component with at most " + std::to_string(static_cast<int>(segment_bits(u))) +
                             " bits of unpredictability");
  return Judgement::pass(std::to_string(urls.size()) + " resource URLs end in components of at least 64 bits");
}

// What one validation-history entry names: the HTTP Host (without port),
// the TXT question below _acme-challenge., or the TLS SNI.
std::string named_in(const json& entry) {
  std::string name = str(entry, "host");
  if (!name.empty()) {
    if (name.front() == '[') return name.substr(1, name.find(']') - 1);
    if (auto colon = name.rfind(':'); colon != std::string::npos && name.find(':') == colon) name.resize(colon);
    return name;
  }
  name = str(entry, "name");
  if (name.rfind("_acme-challenge.", 0) == 0) name = name.substr(16);
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name.empty() ? str(entry, "sni") : name;
}

// Every identifier that became valid was itself validated: a request naming
// it reached the responder (a validator that checks one name N times for an
// N-name order fails this).
Judgement each_identifier_validated(const Observation& o) {
  std::size_t validated = 0;
  for (const auto& a : answered(o)) {
    if (str(obj(a, "after"), "status") != "valid") continue;
    ++validated;
    std::string id = identifier_value(a);
    if (str(obj(obj(a, "before"), "identifier"), "type") == "dns" && id.rfind("*.", 0) == 0) id = id.substr(2);
    // For an IP identifier the history was already narrowed to its address
    // (literal, reverse name, or no SNI), so any entry counts.
    const bool is_ip = str(obj(obj(a, "before"), "identifier"), "type") == "ip";
    bool seen = false;
    for (const auto& e : arr(a, "validation")) seen = seen || is_ip || named_in(e) == id;
    if (!seen)
      return Judgement::fail("the authorization for " + identifier_value(a) + " became valid, but no validation request naming it reached the responder");
  }
  if (validated == 0) return Judgement::skip("no authorization was validated in this step (reused or not reached)");
  return Judgement::pass(std::to_string(validated) + " identifier(s), each validated by a request naming it");
}

// RFC 8737 §4: after the validation handshake the validator sends no
// application data (the responder records any as an entry of its own).
Judgement no_data_after_handshake(const Observation& o) {
  if (o.facts.value("challenge_type", std::string()) != "tls-alpn-01") return Judgement::skip("no tls-alpn-01 challenge was answered");
  std::size_t handshakes = 0;
  for (const auto& a : answered(o))
    for (const auto& e : arr(a, "validation")) {
      if (str(e, "outcome") == responders::kApplicationDataAfterHandshake)
        return Judgement::fail("the validation connection for " + identifier_value(a) + " sent application data after the handshake");
      handshakes += str(e, "outcome") == "challenge certificate";
    }
  if (handshakes == 0) return Judgement::skip("no validation handshake completed");
  return Judgement::pass(std::to_string(handshakes) + " validation handshake(s), none followed by application data");
}

const std::vector<std::string> kTlsCertFaults = {"legacy-oid", "non-critical", "extra-san", "wrong-digest"};
const std::vector<std::string> kAnyMustFail = {"wrong-key-authorization", "redirect-loop", "redirect-other-port", "redirect-bad-scheme",
                                               "oversized-body", "wrong-txt-digest", "legacy-oid", "non-critical", "extra-san",
                                               "wrong-digest", "no-alpn", "max-tls-1.1"};

}  // namespace

std::vector<CheckDef> checks_validation() {
  return {
      {"RFC8555-8.3-wrong-key-authorization-invalid", {}, refused, {"wrong-key-authorization"}},
      {"RFC8555-8.3-redirects-followed", {}, accepted, {"redirect"}},
      {"RFC8555-10.4-validation-redirect-loop-refused", {}, refused, {"redirect-loop"}},
      {"RFC8555-10.4-validation-oversized-body-refused", {}, refused, {"oversized-body"}},
      {"RFC8555-8.3-trailing-whitespace-ignored", {}, accepted, {"trailing-whitespace"}},
      {"RFC8555-8.4-wrong-txt-digest-invalid", {}, refused, {"wrong-txt-digest"}},
      {"RFC8555-8.4-any-matching-txt-record", {}, accepted, {"extra-txt-records"}},
      {"RFC8737-3-acme-tls-1-must-be-negotiated", {}, refused, {"no-alpn"}},
      {"RFC8737-3-challenge-certificate-checked", {}, refused, kTlsCertFaults},
      {"RFC8737-4-tls-1-2-minimum", {}, refused, {"max-tls-1.1"}},
      {"RFC8555-8-invalid-challenge-has-error", {}, invalid_has_error, kAnyMustFail},
      {"RFC8555-8.2-error-recorded-per-failed-attempt", {}, invalid_has_error, kAnyMustFail},
      {"RFC8555-8.2-server-retries-failed-validation", {}, retries_failed_validation, kAnyMustFail},
      {"RFC8555-8.2-retry-after-while-retrying", {}, retry_after_while_retrying, kAnyMustFail},
      {"RFC8555-11.2-dns-queries-over-tcp", {}, dns_over_tcp},
      {"RFC8555-8.1-thumbprint-strips-leading-zeros", {}, thumbprint_as_sent},
      {"RFC8555-8.3-validation-port-80", {}, validation_port},
      {"RFC8737-3-validation-port-443", {}, validation_port},
      {"RFC8555-10.5-unpredictable-resource-urls", {}, unpredictable_urls},
      {"RFC8555-7.5.1-each-identifier-validated", {}, each_identifier_validated},
      {"RFC8737-4-no-data-after-handshake", {}, no_data_after_handshake},
      {"RFC8659-3-caa-forbids-issuance", {}, caa_forbids},
      {"RFC8659-4.3-issuewild-governs-wildcards", {}, caa_forbids},
  };
}

}  // namespace acmespec::server
