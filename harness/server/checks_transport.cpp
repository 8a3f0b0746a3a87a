// RFC 8555 §6: HTTPS, request authentication, URLs, nonces, errors.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>

#include "common/json.hpp"
#include "http/retry_after.hpp"
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

// The op retried the request with the nonce the badNonce error offered
// (facts.nonce_retry); that retry must not be refused for its nonce.
Judgement bad_nonce_supplies_usable_nonce(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (problem_type(o.body) != "badNonce") return Judgement::skip("the answer was not a badNonce error");
  auto nonce = o.header("Replay-Nonce");
  if (!nonce || nonce->empty()) return Judgement::fail("the badNonce error carries no fresh Replay-Nonce");
  const json retry = o.facts.value("nonce_retry", json::object());
  if (!retry.contains("exchange")) return Judgement::error("the retry with the offered nonce was not sent: " + retry.value("error", std::string("unknown reason")));
  std::vector<std::string> ev = {o.main->id, retry["exchange"].get<std::string>()};
  if (!retry.contains("status")) return Judgement::fail("the retry with the offered nonce got no answer: " + retry.value("error", std::string()), ev);
  const int status = retry["status"].get<int>();
  const std::string type = retry.value("type", std::string());
  if (status >= 200 && status < 300)
    return Judgement::pass("the badNonce error's nonce was accepted on the retry (HTTP " + std::to_string(status) + ")", ev);
  return Judgement::fail("the retry with the nonce the badNonce error offered was refused: HTTP " + std::to_string(status) +
                             (type.empty() ? "" : " " + type),
                         ev);
}

// Unique, and not a counter: consecutive nonces read as numbers (first and
// last eight decoded bytes) must not advance in small or constant steps.
Judgement nonces_unique(const Observation& o) {
  std::vector<std::pair<std::string, std::string>> seen;  // nonce, exchange id
  for (const auto& ex : o.exchanges)
    if (ex.response)
      if (auto n = ex.response->get("Replay-Nonce"); n && !n->empty()) seen.emplace_back(*n, ex.id);
  if (seen.size() < 2) return Judgement::skip("fewer than two nonces in this step");
  std::map<std::string, std::string> first;
  for (const auto& [nonce, id] : seen) {
    auto [it, fresh] = first.emplace(nonce, id);
    if (!fresh) return Judgement::fail("nonce \"" + nonce + "\" was issued twice", {it->second, id});
  }
  if (seen.size() >= 5) {
    for (const bool tail : {false, true}) {
      std::vector<std::uint64_t> values;
      for (const auto& entry : seen) {
        auto raw = jose::base64url_decode(entry.first);
        const std::string bytes = raw ? *raw : entry.first;
        const std::size_t n = std::min<std::size_t>(8, bytes.size());
        const std::size_t from = tail ? bytes.size() - n : 0;
        std::uint64_t v = 0;
        for (std::size_t i = from; i < from + n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
        values.push_back(v);
      }
      bool small = true, constant = true;
      for (std::size_t i = 1; i < values.size(); ++i) {
        const std::uint64_t step = values[i] - values[i - 1];
        const std::uint64_t magnitude = std::min(step, values[i - 1] - values[i]);
        if (magnitude >= (std::uint64_t{1} << 24)) small = false;
        if (step != values[1] - values[0]) constant = false;
      }
      if (small || constant)
        return Judgement::fail(std::string("the ") + (tail ? "last" : "first") + " bytes of " + std::to_string(seen.size()) +
                                   " consecutive nonces advance like a counter (" + seen[0].first + ", " + seen[1].first +
                                   ", ...)",
                               {seen[0].second, seen[1].second});
    }
  }
  return Judgement::pass(std::to_string(seen.size()) + " nonces, all distinct" +
                         (seen.size() >= 5 ? ", no counter-like progression" : ""));
}

Judgement es256_supported(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  const json header = o.facts.value("protected", json::object());
  if (header.value("alg", "") != "ES256") return Judgement::skip("the request was not signed with ES256");
  if (o.status() >= 200 && o.status() < 300)
    return Judgement::pass("ES256-signed request accepted (HTTP " + std::to_string(o.status()) + ")");
  const std::string type = problem_type(o.body);
  return Judgement::fail("ES256-signed request with a P-256 key refused: HTTP " + std::to_string(o.status()) +
                         (type.empty() ? "" : " " + type));
}

// The account was registered with a jwk carrying optional members; the
// harness answered the challenge with the RFC 7638 thumbprint of the
// required members only.  Validation succeeds only if the server hashed the
// same members.
Judgement thumbprint_required_members(const Observation& o) {
  if (!o.facts.contains("authorizations")) return Judgement::skip("no challenge was answered");
  int valid = 0;
  for (const auto& a : o.facts["authorizations"]) {
    if (a.value("reused", false) || !a.contains("after") || !a["after"].is_object()) continue;
    const std::string status = a["after"].value("status", "");
    if (status == "valid") {
      ++valid;
      continue;
    }
    std::string detail;
    for (const auto& ch : a["after"].value("challenges", json::array()))
      if (ch.is_object() && ch.contains("error") && ch["error"].is_object()) detail = ch["error"].value("detail", "");
    return Judgement::fail("a key authorization built from the thumbprint of the required jwk members was not accepted: "
                           "authorization " + status + (detail.empty() ? "" : " (" + detail + ")"));
  }
  if (valid == 0) return Judgement::skip("no authorization was validated in this step");
  return Judgement::pass(std::to_string(valid) + " challenges validated with the thumbprint of the required members");
}

Judgement rate_limited_type(const Observation& o) {
  int limited = 0;
  for (const auto& ex : o.exchanges) {
    if (!ex.response) continue;
    auto doc = parse_json(ex.response->body);
    const std::string type = doc ? problem_type(*doc) : std::string();
    if (ex.response->status != 429 && type != "rateLimited") continue;
    ++limited;
    if (type != "rateLimited")
      return Judgement::fail("HTTP 429 answer with error type \"" + (type.empty() ? std::string("(none)") : type) +
                                 "\", expected rateLimited",
                             {ex.id});
  }
  if (limited == 0)
    return Judgement::skip("the target limited none of the " + o.facts.value("sent", json(0)).dump() + " requests");
  return Judgement::pass(std::to_string(limited) + " rate-limited answers, all of type rateLimited");
}

Judgement rate_limited_retry_after(const Observation& o) {
  int limited = 0;
  for (const auto& ex : o.exchanges) {
    if (!ex.response) continue;
    auto doc = parse_json(ex.response->body);
    if (!doc || problem_type(*doc) != "rateLimited") continue;
    ++limited;
    auto after = ex.response->get("Retry-After");
    if (!after || after->empty()) return Judgement::fail("rateLimited answer without a Retry-After header", {ex.id});
    if (!http::parse_retry_after(*after, ex.started_at))
      return Judgement::fail("rateLimited answer with an unreadable Retry-After \"" + *after + "\"", {ex.id});
  }
  if (limited == 0) return Judgement::skip("no rateLimited answer in this step");
  return Judgement::pass(std::to_string(limited) + " rateLimited answers, each with Retry-After");
}

Judgement identifier_only_in_subproblems(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() < 400 || !o.body.is_object() || !o.body.contains("type")) return Judgement::skip("no problem document");
  if (o.body.contains("identifier")) return Judgement::fail("the problem document has a top-level identifier member");
  if (!o.body.contains("subproblems")) return Judgement::pass("no top-level identifier, no subproblems");
  const json& subs = o.body["subproblems"];
  if (!subs.is_array()) return Judgement::fail("subproblems is not an array");
  for (std::size_t i = 0; i < subs.size(); ++i) {
    const std::string where = "subproblems[" + std::to_string(i) + "]";
    if (!subs[i].is_object()) return Judgement::fail(where + " is not an object");
    if (!subs[i].contains("identifier")) continue;
    const json& id = subs[i]["identifier"];
    if (!id.is_object() || !id.contains("type") || !id["type"].is_string() || !id.contains("value") ||
        !id["value"].is_string() || id["value"].get_ref<const std::string&>().empty())
      return Judgement::fail(where + ".identifier is not an identifier object with string type and value: " + id.dump());
  }
  return Judgement::pass("no top-level identifier; " + std::to_string(subs.size()) + " subproblems well formed");
}

Judgement post_as_get_enforces_access(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() >= 400 && o.status() < 500) {
    const std::string type = problem_type(o.body);
    return Judgement::pass("another account's POST-as-GET refused with HTTP " + std::to_string(o.status()) +
                           (type.empty() ? "" : " " + type));
  }
  return Judgement::fail("POST-as-GET signed by another account answered HTTP " + std::to_string(o.status()) +
                         (o.status() < 300 ? ": the resource was handed to an account that does not own it" : ""));
}

Judgement bad_signature_algorithm(const Observation& o) {
  Judgement j = judge::rejected_with(o, {"badSignatureAlgorithm"}, "JWS with an unsupported alg");
  if (j.kind != Judgement::held) return j;
  const json algs = o.body.value("algorithms", json());
  if (!algs.is_array() || algs.empty())
    return Judgement::fail("badSignatureAlgorithm problem has no non-empty algorithms array listing the supported algs");
  for (const auto& a : algs)
    if (!a.is_string()) return Judgement::fail("algorithms holds a non-string: " + a.dump());
  return Judgement::pass(j.message + ", supported algorithms " + algs.dump());
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
  if (o.status() == 405) {
    const std::string type = problem_type(o.body);
    if (type != "malformed")
      return Judgement::fail("plain GET refused with 405 but error type \"" + (type.empty() ? std::string("(none)") : type) +
                             "\", expected malformed");
    return Judgement::pass("plain GET refused with 405 malformed");
  }
  if (o.status() >= 400 && o.status() < 500)
    return Judgement::fail("plain GET refused with HTTP " + std::to_string(o.status()) + ", expected 405 Method Not Allowed");
  return Judgement::fail("plain GET on a resource that needs POST-as-GET answered HTTP " + std::to_string(o.status()));
}

// Judged on a plain GET (or HEAD) and on a POST-as-GET of the same URLs.
Judgement directory_and_nonce_get(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  const std::string& method = o.main->request.method;
  return judge::status_is(o, {200, 204}, (method == "POST" ? "POST-as-GET of " : "plain " + method + " of ") + o.main->request.url);
}

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
      {"RFC8555-6.2-bad-signature-algorithm-error", {"protected.alg"}, bad_signature_algorithm},
      {"RFC8555-6.2-es256-supported", {}, es256_supported},
      rejection("RFC8555-6.2-bad-public-key-error", {"protected.jwk"}, {"badPublicKey"}, "JWS signed by an RSA-1024 key"),
      rejection("RFC7518-3.3-rsa-key-at-least-2048", {"protected.jwk"}, {}, "JWS signed by an RSA-1024 key"),
      rejection("RFC7518-3.4-ecdsa-signature-raw-r-s", {"signature"}, {}, "ES256 signature in DER form"),
      {"RFC7638-3.2-thumbprint-required-members-only", {}, thumbprint_required_members},
      rejection("RFC8555-6.1-padded-base64url-rejected", {"jws.padding"}, {"malformed"}, "base64url text with '=' padding"),
      rejection("RFC8555-6.2-jws-flattened-single-signature", {"jws.serialization"}, {},
                "JWS not in the flattened JSON serialization with one signature"),
      rejection("RFC8555-6.2-unprotected-header-or-b64-false-refused", {"jws.unprotected-header", "protected.b64"}, {},
                "JWS with an unprotected header or an unencoded payload"),
      rejection("RFC7515-4-duplicate-header-name-not-first", {"protected.duplicate"}, {},
                "protected header naming a member twice, the wrong value last"),
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
      {"RFC8555-6.3-post-as-get-enforces-access", {}, post_as_get_enforces_access},
      rejection("RFC8555-6.4-url-mismatch-unauthorized", {"protected.url"}, {"unauthorized"},
                "JWS whose url does not match the request URL"),
      rejection("RFC8555-6.4-url-exact-string-compare", {"protected.url"}, {"unauthorized", "malformed"},
                "JWS whose url is the request URL re-encoded"),
      rejection("RFC8555-6.5-replayed-nonce-bad-nonce", {"protected.nonce"}, {"badNonce"}, "replayed nonce"),
      rejection("RFC8555-6.5-missing-or-unknown-nonce-bad-nonce", {"protected.nonce"}, {"badNonce"},
                "missing or invented nonce"),
      {"RFC8555-6.5-bad-nonce-supplies-usable-nonce", {"protected.nonce"}, bad_nonce_supplies_usable_nonce},
      {"RFC8555-6.5-nonce-on-post-response", {}, nonce_on_post_response},
      {"RFC8555-6.5-nonce-on-error-response", {}, nonce_on_error_response},
      {"RFC8555-6.5.1-nonce-is-base64url", {}, nonce_is_base64url},
      {"RFC8555-6.5.1-nonces-unique", {}, nonces_unique},
      {"RFC8555-6.6-rate-limited-error-type", {}, rate_limited_type},
      {"RFC8555-6.6-rate-limited-retry-after", {}, rate_limited_retry_after},
      {"RFC8555-6.7-error-is-problem-document", {}, problem_document},
      {"RFC8555-6.7-acme-urn-only-registered-types", {}, registered_urn_types},
      {"RFC8555-6.7.1-identifier-only-in-subproblems", {}, identifier_only_in_subproblems},
  };
}

}  // namespace acmespec::server
