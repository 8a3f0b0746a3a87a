// Authentication of ACME POSTs (RFC 8555 §6.2-§6.5): content type, flattened
// JWS, the protected-header rules, the url, the nonce, the key (jwk on
// newAccount and revocation by certificate key, kid otherwise) and the
// signature.  The first broken rule decides the problem type.
#include "common/json.hpp"
#include "jose/acme_header.hpp"
#include "mock-ca/state.hpp"

namespace acmespec::mockca::detail {
namespace {

constexpr std::size_t kMaxBody = 256 * 1024;

std::string media_type(const Request& req) {
  auto it = req.headers.find("content-type");
  if (it == req.headers.end()) return "";
  std::string v = it->second.substr(0, it->second.find(';'));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

acme::Problem bad_alg(const std::string& detail) {
  auto p = acme::Problem::bad_signature_algorithm(detail);
  p.extra["algorithms"] = {"RS256", "ES256", "ES384", "ES512", "EdDSA"};
  return p;
}

acme::Problem problem_for(const jose::HeaderViolation& v) {
  using R = jose::HeaderRule;
  const std::string detail = "protected header: " + v.error.to_string();
  switch (v.rule) {
    case R::AlgNotNone:
    case R::AlgNotMac:
    case R::AlgSupported:
    case R::AlgFitsKey:
      return bad_alg(detail);
    case R::JwkValid:
      return acme::Problem::bad_public_key(detail);
    case R::NoncePresent:
    case R::NonceString:
    case R::NonceBase64url:
      return acme::Problem::bad_nonce(detail);
    default:
      return acme::Problem::malformed(detail);
  }
}

}  // namespace

void observe_jws(const jose::FlattenedJws& jws, Observation& obs) {
  const auto& h = jws.protected_header;
  obs.protected_header = h;
  if (h.is_object()) {
    if (auto it = h.find("nonce"); it != h.end() && it->is_string()) obs.nonce = it->get<std::string>();
    if (auto it = h.find("url"); it != h.end() && it->is_string()) obs.jws_url = it->get<std::string>();
    if (auto it = h.find("alg"); it != h.end() && it->is_string()) obs.alg = it->get<std::string>();
    obs.has_jwk = h.contains("jwk");
    obs.has_kid = h.contains("kid");
  }
  obs.payload_empty = jws.payload.empty();
  if (jws.payload.empty()) {
    obs.payload = nlohmann::json();
  } else if (auto p = parse_json(jws.payload)) {
    // The EAB MAC and CSRs are public; nothing secret reaches a payload.
    obs.payload = *p;
  }
}

std::variant<Authed, Reply> Core::authenticate(const Request& req, const std::string& url, Endpoint ep,
                                               Observation& obs) {
  using acme::Problem;
  if (media_type(req) != "application/jose+json") {
    Reply r = problem_reply(Problem::malformed("Content-Type must be application/jose+json (RFC 8555 §6.2)"));
    r.status = 415;
    return r;
  }
  if (req.body.size() > kMaxBody)
    return problem_reply(Problem::malformed("body larger than " + std::to_string(kMaxBody) + " bytes"));
  auto parsed = jose::parse_flattened(req.body, JsonLimits{kMaxBody, 32, true});
  if (!parsed) return problem_reply(Problem::malformed("not a flattened JWS: " + parsed.error().to_string()));
  Authed a;
  a.jws = std::move(*parsed);
  const auto expect = ep == Endpoint::kNewAccount ? jose::KeyRef::Jwk
                      : ep == Endpoint::kRevokeCert ? jose::KeyRef::Either
                                                    : jose::KeyRef::Kid;
  const auto violations = jose::check_acme_jws(a.jws, expect);
  // Key and algorithm problems outrank nonce problems, so that a client
  // learns what to fix first; within a class the header rule order holds.
  for (int pass = 0; pass < 2 && !violations.empty(); ++pass) {
    for (const auto& v : violations) {
      const bool nonce_rule = v.rule == jose::HeaderRule::NoncePresent || v.rule == jose::HeaderRule::NonceString ||
                              v.rule == jose::HeaderRule::NonceBase64url;
      if ((pass == 0) != nonce_rule) return problem_reply(problem_for(v));
    }
  }
  const auto& h = a.jws.protected_header;
  if (h["url"].get<std::string>() != url)
    return problem_reply(Problem::unauthorized("protected header url \"" + h["url"].get<std::string>().substr(0, 200) +
                                               "\" is not the request URL " + url + " (RFC 8555 §6.4)"));
  if (!nonces.consume(h["nonce"].get<std::string>(), now()))
    return problem_reply(Problem::bad_nonce("the nonce was not issued here, was already used, or expired"));
  if (h.contains("jwk")) {
    auto jwk = jose::Jwk::parse(h["jwk"], "protected.jwk");
    if (!jwk) return problem_reply(Problem::bad_public_key(jwk.error().to_string()));
    a.jwk = std::move(*jwk);
  } else {
    const auto kid = h["kid"].get<std::string>();
    const std::string prefix = url_for_account_prefix();
    Account* acct = nullptr;
    if (kid.rfind(prefix, 0) == 0) {
      auto it = accounts.find(kid.substr(prefix.size()));
      if (it != accounts.end()) acct = &it->second;
    }
    if (!acct) return problem_reply(Problem::account_does_not_exist("kid \"" + kid.substr(0, 200) + "\" names no account"));
    a.account = acct;
    obs.account = acct->url;
  }
  const jose::Jwk& key = a.jwk ? *a.jwk : a.account->key;
  if (auto s = jose::verify_flattened(a.jws, key); !s) {
    const auto why = s.error().to_string();
    return problem_reply(Problem::malformed("JWS signature does not verify: " + why));
  }
  if (a.account && a.account->status != "valid") {
    // §7.3.6: requests from a deactivated account get 401 unauthorized.
    auto p = Problem::unauthorized("account is " + a.account->status);
    p.status = 401;
    return problem_reply(p);
  }
  a.post_as_get = a.jws.payload.empty();
  if (!a.post_as_get) {
    auto p = parse_json(a.jws.payload, JsonLimits{kMaxBody, 32, true});
    if (!p) return problem_reply(Problem::malformed("payload: " + p.error().to_string()));
    if (!p->is_object()) return problem_reply(Problem::malformed("payload: not a JSON object"));
    a.payload = std::move(*p);
  }
  if (a.account && !a.account->agreed_current_terms && faults.terms_changed && ep != Endpoint::kAccount) {
    auto p = Problem::user_action_required("the terms of service changed; agree to " + current_terms() +
                                           " by updating the account with termsOfServiceAgreed");
    p.instance = current_terms();
    Reply r = problem_reply(p);
    r.headers.emplace_back("Link", "<" + current_terms() + ">;rel=\"terms-of-service\"");
    return r;
  }
  return a;
}

}  // namespace acmespec::mockca::detail
