// RFC 8555 §6: HTTPS, request authentication, URLs, nonces, errors.
#include <functional>

#include "jose/base64url.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

Judgement nonce_on_post_response(const Observation& o) {
  int posts = 0;
  for (const auto& ex : o.exchanges) {
    if (ex.request.method != "POST" || !ex.response || ex.response->status >= 400) continue;
    ++posts;
    auto nonce = ex.response->get("Replay-Nonce");
    if (!nonce || nonce->empty())
      return Judgement::fail("HTTP " + std::to_string(ex.response->status) + " answer to POST " + ex.request.url +
                                 " has no Replay-Nonce header",
                             {ex.id});
  }
  if (posts == 0) return Judgement::skip("no successful POST in this step");
  return Judgement::pass("Replay-Nonce present on all " + std::to_string(posts) + " successful POST answers");
}

Judgement nonce_on_error_response(const Observation& o) {
  int errors = 0;
  for (const auto& ex : o.exchanges) {
    if (ex.request.method != "POST" || !ex.response || ex.response->status < 400) continue;
    ++errors;
    if (!ex.response->get("Replay-Nonce"))
      return Judgement::fail("HTTP " + std::to_string(ex.response->status) + " error answer to POST " + ex.request.url +
                                 " has no Replay-Nonce header",
                             {ex.id});
  }
  if (errors == 0) return Judgement::skip("no error answer to a POST in this step");
  return Judgement::pass("Replay-Nonce present on all " + std::to_string(errors) + " error answers");
}

Judgement nonce_is_base64url(const Observation& o) {
  int seen = 0;
  for (const auto& ex : o.exchanges) {
    if (!ex.response) continue;
    auto nonce = ex.response->get("Replay-Nonce");
    if (!nonce) continue;
    ++seen;
    if (nonce->empty() || !jose::base64url_decode(*nonce))
      return Judgement::fail("Replay-Nonce \"" + nonce->substr(0, 80) + "\" is not unpadded base64url", {ex.id});
  }
  if (seen == 0) return Judgement::skip("no Replay-Nonce in this step");
  return Judgement::pass(std::to_string(seen) + " nonces, all base64url");
}

Judgement bad_nonce_supplies_usable_nonce(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (problem_type(o.body) != "badNonce") return Judgement::skip("the answer was not a badNonce error");
  auto nonce = o.header("Replay-Nonce");
  if (!nonce || nonce->empty()) return Judgement::fail("the badNonce error carries no fresh Replay-Nonce");
  return Judgement::pass("the badNonce error carries a fresh nonce");
}

Judgement problem_document(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() < 400) return Judgement::skip("the answer was not an error");
  auto ct = o.header("Content-Type").value_or("");
  if (ct.rfind("application/problem+json", 0) != 0)
    return Judgement::fail("error answer has Content-Type \"" + ct + "\", expected application/problem+json");
  if (!o.body.is_object() || !o.body.contains("type") || !o.body["type"].is_string())
    return Judgement::fail("error answer is not a problem document with a type");
  return Judgement::pass("problem document of type " + o.body["type"].get<std::string>());
}

Judgement registered_urn_types(const Observation& o) {
  static const std::vector<std::string> known = {
      "accountDoesNotExist", "alreadyRevoked", "badCSR", "badNonce", "badPublicKey", "badRevocationReason",
      "badSignatureAlgorithm", "caa", "compound", "connection", "dns", "externalAccountRequired",
      "incorrectResponse", "invalidContact", "malformed", "orderNotReady", "rateLimited", "rejectedIdentifier",
      "serverInternal", "tls", "unauthorized", "unsupportedContact", "unsupportedIdentifier", "userActionRequired"};
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.body.is_object() || !o.body.contains("type")) return Judgement::skip("no problem document");
  const std::string type = o.body.value("type", "");
  const std::string prefix = "urn:ietf:params:acme:error:";
  if (type.rfind(prefix, 0) != 0) return Judgement::pass("type " + type + " is outside the ACME namespace");
  const std::string shortname = type.substr(prefix.size());
  if (std::find(known.begin(), known.end(), shortname) == known.end())
    return Judgement::fail("error type " + type + " is not registered in the ACME namespace");
  return Judgement::pass("registered error type " + shortname);
}

Judgement get_not_allowed(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() == 405) return Judgement::pass("plain GET refused with 405");
  if (o.status() >= 400 && o.status() < 500)
    return Judgement::fail("plain GET refused with HTTP " + std::to_string(o.status()) + ", expected 405 Method Not Allowed");
  return Judgement::fail("plain GET on a resource that needs POST-as-GET answered HTTP " + std::to_string(o.status()));
}

Judgement directory_and_nonce_get(const Observation& o) { return judge::status_is(o, {200, 204}, "plain GET"); }

Judgement post_as_get_returns(const Observation& o) {
  auto j = judge::status_is(o, {200}, "POST-as-GET");
  if (j.kind != Judgement::held) return j;
  if (!o.body.is_object() && o.facts.value("resource", "") != "certificate")
    return Judgement::fail("POST-as-GET answer is not a JSON resource");
  return j;
}

Judgement https_urls(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.body.is_object()) return Judgement::skip("no JSON body");
  std::vector<std::string> bad;
  std::function<void(const json&, const std::string&)> walk = [&](const json& v, const std::string& path) {
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      if (s.rfind("http://", 0) == 0) bad.push_back(path + " = " + s);
    } else if (v.is_object()) {
      for (const auto& [k, m] : v.items())
        if (k != "meta") walk(m, path.empty() ? k : path + "." + k);
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], path + "[" + std::to_string(i) + "]");
    }
  };
  walk(o.body, "");
  if (!bad.empty()) return Judgement::fail("resource URLs use plain http: " + bad.front());
  return Judgement::pass("every URL in the answer uses https");
}

CheckDef rejection(std::string id, std::vector<std::string> muts, std::vector<std::string> types, std::string what) {
  return CheckDef{std::move(id), std::move(muts),
                  [types, what](const Observation& o) { return judge::rejected_with(o, types, what); }};
}

}  // namespace

std::vector<CheckDef> checks_transport() {
  return {
      {"RFC8555-6.1-server-urls-use-https", {}, https_urls},
      rejection("RFC8555-6.2-alg-none-or-mac-refused", {"protected.alg"}, {"badSignatureAlgorithm", "malformed"},
                "JWS with alg none or a MAC"),
      rejection("RFC8555-6.2-bad-signature-algorithm-error", {"protected.alg"}, {"badSignatureAlgorithm"},
                "JWS with an unsupported alg"),
      rejection("RFC8555-6.2-signature-verified", {"signature"}, {"malformed", "unauthorized"},
                "JWS with a signature that does not verify"),
      rejection("RFC8555-6.2-jwk-and-kid-together-refused", {"protected.key"}, {"malformed"},
                "protected header with both jwk and kid"),
      rejection("RFC8555-6.2-jwk-or-kid-by-request-type", {"protected.key"}, {"malformed", "accountDoesNotExist"},
                "request with the wrong one of jwk and kid"),
      rejection("RFC8555-6.2-unknown-kid-refused", {"protected.kid"}, {"accountDoesNotExist", "unauthorized", "malformed"},
                "kid naming an account that is not the signer's"),
      {"RFC8555-6.2-content-type-jose-json-required", {"http.content-type"},
       [](const Observation& o) { return judge::status_is(o, {415}, "POST with the wrong Content-Type"); }},
      rejection("RFC7515-4.1.11-unknown-crit-refused", {"protected.crit"}, {"malformed", "badSignatureAlgorithm"},
                "protected header with an unknown critical extension"),
      {"RFC8555-6.3-directory-and-nonce-allow-get", {}, directory_and_nonce_get},
      {"RFC8555-6.3-get-on-protected-resource-405", {"http.method"}, get_not_allowed},
      {"RFC8555-6.3-post-as-get-returns-resource", {}, post_as_get_returns},
      rejection("RFC8555-6.4-url-mismatch-unauthorized", {"protected.url"}, {"unauthorized"},
                "JWS whose url does not match the request URL"),
      rejection("RFC8555-6.5-replayed-nonce-bad-nonce", {"protected.nonce"}, {"badNonce"}, "replayed nonce"),
      rejection("RFC8555-6.5-missing-or-unknown-nonce-bad-nonce", {"protected.nonce"}, {"badNonce"},
                "missing or invented nonce"),
      {"RFC8555-6.5-bad-nonce-supplies-usable-nonce", {"protected.nonce"}, bad_nonce_supplies_usable_nonce},
      {"RFC8555-6.5-nonce-on-post-response", {}, nonce_on_post_response},
      {"RFC8555-6.5-nonce-on-error-response", {}, nonce_on_error_response},
      {"RFC8555-6.5.1-nonce-is-base64url", {}, nonce_is_base64url},
      {"RFC8555-6.7-error-is-problem-document", {}, problem_document},
      {"RFC8555-6.7-acme-urn-only-registered-types", {}, registered_urn_types},
  };
}

}  // namespace acmespec::server
