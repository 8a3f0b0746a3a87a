// Request shape (RFC 8555 §6.1-§6.4): every signed request's Content-Type,
// protected header, url, jwk/kid choice and algorithm, and POST-as-GET for
// every fetch of a resource.
#include <algorithm>
#include <cctype>

#include "clientmode/checks.hpp"
#include "jose/base64url.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Endpoint;
using mockca::Observation;

std::string media_type(std::string value) {
  value = value.substr(0, value.find(';'));
  value.erase(std::remove_if(value.begin(), value.end(), [](unsigned char c) { return std::isspace(c) != 0; }), value.end());
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value;
}

// Applies `bad` to every signed request; the first non-empty reason fails.
template <class F>
Judgement over_signed(const ClientRun& run, const std::string& ok_message, F bad) {
  int count = 0;
  for (const auto& o : run.observations) {
    if (!is_signed(o)) continue;
    ++count;
    if (std::string why = bad(o); !why.empty()) return Judgement::fail(evidence_id(o) + " (" + o.url + "): " + why, {evidence_id(o)});
  }
  if (count == 0) return Judgement::skip("the client sent no signed request");
  return Judgement::pass(std::to_string(count) + " signed requests: " + ok_message);
}

// RFC 7518 §2 Base64urlUInt: an RSA jwk's n and e in the fewest octets.
Judgement minimal_uints(const ClientRun& run) {
  int rsa = 0;
  for (const auto& o : run.observations) {
    if (!is_signed(o) || !o.protected_header->is_object()) continue;
    auto jwk = o.protected_header->find("jwk");
    if (jwk == o.protected_header->end() || !jwk->is_object() || jwk->value("kty", "") != "RSA") continue;
    ++rsa;
    for (const char* member : {"n", "e"}) {
      auto v = jwk->find(member);
      if (v == jwk->end() || !v->is_string())
        return Judgement::fail(evidence_id(o) + ": the RSA jwk has no string \"" + member + "\"", {evidence_id(o)});
      auto bytes = jose::base64url_decode(v->get<std::string>());
      if (!bytes || bytes->empty())
        return Judgement::fail(evidence_id(o) + ": the RSA jwk's \"" + member + "\" is not a base64url integer", {evidence_id(o)});
      if ((*bytes)[0] == '\0')
        return Judgement::fail(evidence_id(o) + ": the RSA jwk's \"" + member + "\" starts with a zero octet (" +
                                   std::to_string(bytes->size()) + " octets where fewer suffice)",
                               {evidence_id(o)});
    }
  }
  if (rsa == 0) return Judgement::skip("the client sent no RSA jwk (its account key is not RSA)");
  return Judgement::pass(std::to_string(rsa) + " RSA jwk headers, n and e each in the fewest octets");
}

Judgement content_type(const ClientRun& run) {
  int count = 0;
  for (const auto& o : run.observations) {
    if (o.method != "POST") continue;
    ++count;
    if (media_type(o.content_type) != "application/jose+json")
      return Judgement::fail("POST " + evidence_id(o) + " to " + o.url + " has Content-Type \"" + o.content_type +
                                 "\", expected application/jose+json",
                             {evidence_id(o)});
  }
  if (count == 0) return Judgement::skip("the client sent no POST");
  return Judgement::pass(std::to_string(count) + " POSTs, all application/jose+json");
}

Judgement url_exact(const ClientRun& run) {
  return over_signed(run, "url equals the request URL", [](const Observation& o) -> std::string {
    if (o.jws_url.empty()) return "the protected header has no url";
    if (o.jws_url != o.url) return "protected url \"" + o.jws_url + "\" differs from the request URL";
    return {};
  });
}

Judgement kid_after_account(const ClientRun& run) {
  return over_signed(run, "jwk only on newAccount/revokeCert, kid otherwise", [](const Observation& o) -> std::string {
    if (o.has_jwk && o.has_kid) return "carries both jwk and kid";
    if (o.endpoint == Endpoint::kNewAccount) return o.has_jwk ? "" : "newAccount must be signed with jwk, not kid";
    if (o.endpoint == Endpoint::kRevokeCert) return o.has_jwk || o.has_kid ? "" : "carries neither jwk nor kid";
    if (!o.has_kid) return "signed with jwk; after account creation requests to " +
                           std::string(mockca::endpoint_name(o.endpoint)) + " must carry kid";
    return {};
  });
}

Judgement jwk_for_new_account(const ClientRun& run) {
  int count = 0;
  for (const auto& o : run.observations) {
    if (!is_signed(o) || o.endpoint != Endpoint::kNewAccount) continue;
    ++count;
    const auto& h = *o.protected_header;
    if (!h.contains("jwk") || !h["jwk"].is_object())
      return Judgement::fail("newAccount " + evidence_id(o) + " carries no jwk object", {evidence_id(o)});
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
      if (h["jwk"].contains(secret))
        return Judgement::fail("newAccount " + evidence_id(o) + " jwk holds the private member \"" + secret + "\"",
                               {evidence_id(o)});
  }
  if (count == 0) return Judgement::skip("the client sent no newAccount request");
  return Judgement::pass(std::to_string(count) + " newAccount requests with a public-only jwk");
}

Judgement alg_allowed(const ClientRun& run) {
  static const std::vector<std::string> allowed = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                                   "PS512", "ES256", "ES384", "ES512", "EdDSA"};
  return over_signed(run, "every alg is an asymmetric signature algorithm", [](const Observation& o) -> std::string {
    if (std::find(allowed.begin(), allowed.end(), o.alg) != allowed.end()) return {};
    return "alg \"" + o.alg + "\" is not an allowed asymmetric algorithm";
  });
}

Judgement protected_header(const ClientRun& run) {
  return over_signed(run, "alg, nonce, url and exactly one of jwk/kid present", [](const Observation& o) -> std::string {
    const auto& h = *o.protected_header;
    if (!h.is_object()) return "the protected header is not a JSON object";
    for (const char* member : {"alg", "nonce", "url"})
      if (!h.contains(member) || !h[member].is_string()) return std::string("the protected header has no ") + member;
    if (h.contains("jwk") == h.contains("kid")) return "the protected header must carry exactly one of jwk and kid";
    return {};
  });
}

bool is_resource(Endpoint e) {
  return e == Endpoint::kAccount || e == Endpoint::kOrder || e == Endpoint::kOrdersList || e == Endpoint::kAuthorization ||
         e == Endpoint::kChallenge || e == Endpoint::kCertificate;
}

Judgement post_as_get(const ClientRun& run) {
  int fetches = 0;
  for (const auto& o : run.observations) {
    if (!is_resource(o.endpoint)) continue;
    if (o.method == "GET" || o.method == "HEAD")
      return Judgement::fail("plain " + o.method + " of " + std::string(mockca::endpoint_name(o.endpoint)) + " resource " +
                                 o.url + " (" + evidence_id(o) + "); resources are fetched with POST-as-GET",
                             {evidence_id(o)});
    if (o.method == "POST" && o.payload_empty) ++fetches;
  }
  if (fetches == 0) return Judgement::skip("the client fetched no account, order, authorization or certificate");
  return Judgement::pass(std::to_string(fetches) + " fetches, all POST-as-GET");
}

Judgement user_agent(const ClientRun& run) {
  if (run.observations.empty()) return Judgement::skip("the client sent no request");
  for (const auto& o : run.observations)
    if (o.user_agent.empty())
      return Judgement::fail(o.method + " " + o.url + " (" + evidence_id(o) + ") has no User-Agent header", {evidence_id(o)});
  return Judgement::pass(std::to_string(run.observations.size()) + " requests, each with a User-Agent (\"" +
                         run.observations.front().user_agent + "\")");
}

}  // namespace

std::vector<ClientCheckDef> checks_jws() {
  return {
      {"RFC8555-6.2-client-content-type-jose-json", content_type},
      {"RFC8555-6.4-client-url-exact-string", url_exact},
      {"RFC8555-6.2-client-kid-after-account-creation", kid_after_account},
      {"RFC8555-6.2-client-jwk-for-new-account", jwk_for_new_account},
      {"RFC8555-6.2-client-alg-allowed", alg_allowed},
      {"RFC8555-6.2-client-jws-protected-header", protected_header},
      {"RFC8555-6.3-client-post-as-get", post_as_get},
      {"RFC8555-6.1-client-user-agent", user_agent},
      {"RFC7518-2-client-base64urluint-minimal", minimal_uints},
  };
}

}  // namespace acmespec::clientmode
