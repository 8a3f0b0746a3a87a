// RFC 8555 §8 (challenges), RFC 8737 (TLS-ALPN-01), RFC 8738 (IP identifiers).
#include "jose/challenge.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

// Every challenge object seen in the step's authorizations.
std::vector<json> challenges_of(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : o.facts.value("authorizations", json::array()))
    for (const auto& ch : a.value("before", json::object()).value("challenges", json::array())) out.push_back(ch);
  return out;
}

Judgement challenge_fields(const Observation& o) {
  auto all = challenges_of(o);
  if (all.empty()) return Judgement::skip("no authorization was fetched");
  for (const auto& ch : all) {
    for (const char* member : {"type", "url", "status"})
      if (!ch.is_object() || !ch.contains(member) || !ch[member].is_string())
        return Judgement::fail(std::string("a challenge lacks a string \"") + member + "\": " + ch.dump().substr(0, 200));
  }
  return Judgement::pass(std::to_string(all.size()) + " challenges have type, url and status");
}

Judgement token_entropy(const Observation& o) {
  int seen = 0;
  for (const auto& ch : challenges_of(o)) {
    if (!ch.contains("token")) continue;
    ++seen;
    if (!ch["token"].is_string()) return Judgement::fail("a challenge token is not a string");
    if (auto s = jose::validate_token(ch["token"].get<std::string>()); !s)
      return Judgement::fail("token \"" + ch["token"].get<std::string>().substr(0, 64) + "\": " + s.error().reason);
  }
  if (seen == 0) return Judgement::skip("no challenge token was seen");
  return Judgement::pass(std::to_string(seen) + " tokens are base64url with at least 128 bits");
}

Judgement response_returns_challenge(const Observation& o) {
  int seen = 0;
  for (const auto& a : o.facts.value("authorizations", json::array())) {
    if (!a.contains("response_status")) continue;
    ++seen;
    if (a["response_status"] != 200)
      return Judgement::fail("answering " + a["challenge"].value("url", "") + " gave HTTP " + a["response_status"].dump());
    const json& body = a.value("response", json());
    if (!body.is_object() || body.value("type", "") != a["challenge"].value("type", ""))
      return Judgement::fail("the answer to a challenge response is not the challenge object");
  }
  if (seen == 0) return Judgement::skip("no challenge was answered");
  return Judgement::pass(std::to_string(seen) + " challenge responses answered with the challenge");
}

// HTTP-01 validation requests (§8.3): a GET of
// /.well-known/acme-challenge/<token> with the identifier as Host.
Judgement http_request_shape(const Observation& o) {
  if (o.facts.value("challenge_type", std::string()) != "http-01") return Judgement::skip("no http-01 challenge was answered");
  int checked = 0;
  for (const auto& a : o.facts.value("authorizations", json::array())) {
    if (!a.contains("validation")) continue;
    const std::string host = a["before"].value("identifier", json::object()).value("value", "");
    const std::string token = a["challenge"].value("token", "");
    for (const auto& req : a["validation"]) {
      ++checked;
      std::string req_host = req.value("host", "");
      if (auto colon = req_host.rfind(':'); colon != std::string::npos && req_host.find(']') == std::string::npos &&
                                            req_host.find(':') == colon)
        req_host.resize(colon);
      if (req.value("method", "") != "GET")
        return Judgement::fail("validation request used " + req.value("method", "") + ", expected GET");
      if (req.value("path", "") != "/.well-known/acme-challenge/" + token)
        return Judgement::fail("validation request for path " + req.value("path", "") + ", expected /.well-known/acme-challenge/" + token);
      if (req_host != host && "[" + host + "]" != req_host)
        return Judgement::fail("validation request for " + host + " carried Host " + req.value("host", ""));
    }
  }
  if (checked == 0) {
    bool validated = false;
    for (const auto& a : o.facts.value("authorizations", json::array()))
      validated = validated || (a.contains("after") && a["after"].value("status", "") == "valid");
    if (!validated) return Judgement::skip("no authorization was validated in this step (reused or not reached)");
    return Judgement::fail("the server validated without any request reaching the HTTP-01 responder");
  }
  return Judgement::pass(std::to_string(checked) + " validation requests: GET of the token path with the identifier as Host");
}

// DNS-01 (§8.4): the TXT query names _acme-challenge.<identifier>.
Judgement txt_query_name(const Observation& o) {
  if (o.facts.value("challenge_type", std::string()) != "dns-01") return Judgement::skip("no dns-01 challenge was answered");
  int checked = 0;
  for (const auto& a : o.facts.value("authorizations", json::array())) {
    if (!a.contains("validation")) continue;
    int txt = 0;
    for (const auto& q : a["validation"]) txt += q.value("type", "") == "TXT";
    if (txt == 0 && a.contains("after"))
      return Judgement::fail("no TXT query for _acme-challenge." +
                             a["before"].value("identifier", json::object()).value("value", std::string()));
    checked += txt;
  }
  if (checked == 0) return Judgement::skip("no dns-01 validation was observed");
  return Judgement::pass(std::to_string(checked) + " TXT queries for the _acme-challenge names");
}

// TLS-ALPN-01 (RFC 8737 §3): the validation handshake offers acme-tls/1 and
// names the identifier in SNI.
Judgement alpn_and_sni(const Observation& o) {
  if (o.facts.value("challenge_type", std::string()) != "tls-alpn-01") return Judgement::skip("no tls-alpn-01 challenge was answered");
  int checked = 0;
  for (const auto& a : o.facts.value("authorizations", json::array())) {
    const std::string host = a["before"].value("identifier", json::object()).value("value", "");
    for (const auto& h : a.value("validation", json::array())) {
      if (h.value("sni", "") != host) continue;
      ++checked;
      bool offered = false;
      for (const auto& p : h.value("alpn_offered", json::array())) offered = offered || p == "acme-tls/1";
      if (!offered) return Judgement::fail("the validation handshake for " + host + " did not offer ALPN acme-tls/1");
    }
  }
  if (checked == 0) {
    bool validated = false;
    for (const auto& a : o.facts.value("authorizations", json::array()))
      validated = validated || (a.contains("after") && a["after"].value("status", "") == "valid");
    if (!validated) return Judgement::skip("no authorization was validated in this step (reused or not reached)");
    return Judgement::fail("no TLS handshake with the identifier in SNI reached the responder");
  }
  return Judgement::pass(std::to_string(checked) + " handshakes offered acme-tls/1 with the identifier as SNI");
}

}  // namespace

std::vector<CheckDef> checks_challenges() {
  return {
      {"RFC8555-8-challenge-object-fields", {}, challenge_fields},
      {"RFC8555-8.3-token-format-and-entropy", {}, token_entropy},
      {"RFC8555-8.4-token-format-and-entropy", {}, token_entropy},
      {"RFC8737-3-token-format-and-entropy", {}, token_entropy},
      {"RFC8555-7.5.1-challenge-response-returns-challenge", {}, response_returns_challenge},
      {"RFC8555-8.3-validation-request-shape", {}, http_request_shape},
      {"RFC8555-8.4-txt-query-name", {}, txt_query_name},
      {"RFC8737-3-client-hello-alpn-and-sni", {}, alpn_and_sni},
  };
}

}  // namespace acmespec::server
