// Directory and accounts: newAccount (§7.3, §7.3.1, EAB §7.3.4), account
// update and deactivation (§7.3.2, §7.3.6), key rollover (§7.3.5).
#include "jose/acme_header.hpp"
#include "jose/base64url.hpp"
#include "mock-ca/state.hpp"

namespace acmespec::mockca::detail {

using acme::Problem;

std::string Core::current_terms() const {
  if (!faults.terms_changed) return cfg.terms_of_service;
  const auto& t = cfg.terms_of_service;
  if (t.size() >= 2 && t.compare(t.size() - 2, 2, "v1") == 0) return t.substr(0, t.size() - 2) + "v2";
  return t + (t.find('?') == std::string::npos ? "?" : "&") + "version=2";
}

std::string Core::decoy_base(const std::string& kind) const {
  if (kind.empty()) return cfg.base_url;
  if (!cfg.decoy_base.empty()) return cfg.decoy_base;
  const auto colon = cfg.base_url.rfind(':');
  if (kind == "http") return "http" + cfg.base_url.substr(cfg.base_url.find(':'));
  return "https://127.0.0.2" + (colon > 6 ? cfg.base_url.substr(colon) : "");
}

Reply Core::directory() {
  nlohmann::json meta = {{"termsOfService", current_terms()},
                         {"website", cfg.website},
                         {"caaIdentities", cfg.caa_identities},
                         {"externalAccountRequired", faults.eab_required}};
  // The directory_decoy fault: the entries a client uses first lead elsewhere.
  const std::string decoy = decoy_base(faults.directory_decoy);
  return json_reply(200, {{"newNonce", decoy + "/nonce"},
                          {"newAccount", decoy + "/new-account"},
                          {"newOrder", decoy + "/new-order"},
                          {"revokeCert", url("/revoke-cert")},
                          {"keyChange", url("/key-change")},
                          {"meta", meta}});
}

nlohmann::json Core::account_json(const Account& acct) const {
  nlohmann::json j = {{"status", acct.status}, {"contact", acct.contact}, {"orders", url("/orders/" + acct.id)}};
  if (acct.tos_agreed) j["termsOfServiceAgreed"] = true;
  if (acct.eab) j["externalAccountBinding"] = *acct.eab;
  return j;
}

namespace {

// RFC 8555 §7.3.4: an HS256 JWS by the MAC key the CA handed out, whose
// payload is the account key and whose url is the newAccount URL.
std::optional<Problem> check_eab(const nlohmann::json& eab, const jose::Jwk& account_key, const std::string& url,
                                 const std::map<std::string, std::string>& keys) {
  if (!eab.is_object()) return Problem::malformed("externalAccountBinding: not a JSON object");
  auto jws = jose::parse_flattened(eab.dump());
  if (!jws) return Problem::malformed("externalAccountBinding: " + jws.error().to_string());
  const auto& h = jws->protected_header;
  if (!h.contains("alg") || !h["alg"].is_string() || !jose::mac_alg_from_name(h["alg"].get<std::string>()))
    return Problem::malformed("externalAccountBinding: alg must be a MAC algorithm (HS256)");
  if (h.contains("nonce")) return Problem::malformed("externalAccountBinding: must not carry a nonce");
  if (!h.contains("url") || h["url"] != url)
    return Problem::unauthorized("externalAccountBinding: url must be the newAccount URL");
  if (!h.contains("kid") || !h["kid"].is_string()) return Problem::malformed("externalAccountBinding: kid missing");
  const auto kid = h["kid"].get<std::string>();
  auto key = keys.find(kid);
  if (key == keys.end()) return Problem::unauthorized("externalAccountBinding: unknown key id \"" + kid.substr(0, 100) + "\"");
  auto mac_key = jose::base64url_decode(key->second);
  if (!mac_key) return Problem::server_internal("the configured EAB key is not base64url");
  if (auto s = jose::verify_flattened_mac(*jws, *mac_key); !s)
    return Problem::unauthorized("externalAccountBinding: MAC does not verify");
  auto inner = parse_json(jws->payload);
  if (!inner) return Problem::malformed("externalAccountBinding payload: " + inner.error().to_string());
  auto bound = jose::Jwk::parse(*inner, "externalAccountBinding.payload");
  if (!bound) return Problem::malformed(bound.error().to_string());
  if (!(*bound == account_key))
    return Problem::unauthorized("externalAccountBinding: payload is not the account key of the outer JWS");
  return std::nullopt;
}

}  // namespace

Reply Core::new_account(Authed& a, const std::string& request_url) {
  if (a.post_as_get) return problem_reply(Problem::malformed("newAccount needs a payload"));
  const auto& p = a.payload;
  const auto thumb = a.jwk->thumbprint();
  if (auto it = account_by_thumbprint.find(thumb); it != account_by_thumbprint.end()) {
    Account& acct = accounts.at(it->second);
    Reply r = json_reply(200, account_json(acct));
    r.headers.emplace_back("Location", acct.url);
    return r;
  }
  if (p.contains("onlyReturnExisting")) {
    if (!p["onlyReturnExisting"].is_boolean()) return problem_reply(Problem::malformed("onlyReturnExisting: not a boolean"));
    if (p["onlyReturnExisting"].get<bool>())
      return problem_reply(Problem::account_does_not_exist("no account exists for this key"));
  }
  const auto tos = p.find("termsOfServiceAgreed");
  if (tos != p.end() && !tos->is_boolean()) return problem_reply(Problem::malformed("termsOfServiceAgreed: not a boolean"));
  if (tos == p.end() || !tos->get<bool>())
    return problem_reply(Problem::malformed("the terms of service (" + current_terms() +
                                            ") must be agreed to: set termsOfServiceAgreed to true"));
  nlohmann::json contact = nlohmann::json::array();
  if (auto c = p.find("contact"); c != p.end()) {
    if (auto problem = check_contacts(*c)) return problem_reply(*problem);
    contact = *c;
  }
  std::optional<nlohmann::json> eab;
  if (auto e = p.find("externalAccountBinding"); e != p.end()) {
    if (auto problem = check_eab(*e, *a.jwk, request_url, cfg.eab_keys)) return problem_reply(*problem);
    eab = *e;
  } else if (faults.eab_required) {
    return problem_reply(Problem::external_account_required("this CA requires an externalAccountBinding"));
  }
  if (!make_room(1)) {
    auto pr = Problem::rate_limited("the account table is full");
    Reply r = problem_reply(pr);
    r.retry_after = faults.retry_after.value_or(60);
    return r;
  }
  Account acct{.id = new_id(), .url = "", .key = *a.jwk};
  acct.url = url_for_account_prefix() + acct.id;
  acct.contact = contact;
  acct.tos_agreed = true;
  // Under terms_changed every account, new ones included, meets changed
  // terms on its next request: that is the situation the fault models.
  acct.agreed_current_terms = !faults.terms_changed;
  acct.eab = eab;
  account_by_thumbprint[thumb] = acct.id;
  created.push_back({false, acct.id});
  auto& stored = accounts.emplace(acct.id, std::move(acct)).first->second;
  Reply r = json_reply(201, account_json(stored));
  r.headers.emplace_back("Location", stored.url);
  return r;
}

Reply Core::account(Authed& a, const std::string& id) {
  auto it = accounts.find(id);
  if (it == accounts.end() || a.account != &it->second)
    return problem_reply(Problem::unauthorized("requests for an account must be signed by that account"));
  Account& acct = it->second;
  if (!a.post_as_get) {
    const auto& p = a.payload;
    // Check everything before changing anything, so a refused update is a no-op.
    if (auto c = p.find("contact"); c != p.end())
      if (auto problem = check_contacts(*c)) return problem_reply(*problem);
    auto tos = p.find("termsOfServiceAgreed");
    if (tos != p.end() && !tos->is_boolean()) return problem_reply(Problem::malformed("termsOfServiceAgreed: not a boolean"));
    auto st = p.find("status");
    if (st != p.end() && !(st->is_string() && (*st == "deactivated" || *st == "valid")))
      return problem_reply(Problem::malformed("status: only \"deactivated\" may be requested"));
    if (faults.terms_changed && !acct.agreed_current_terms && !(tos != p.end() && tos->get<bool>()) &&
        !(st != p.end() && *st == "deactivated")) {
      auto pr = Problem::user_action_required("the terms of service changed; agree to " + current_terms());
      pr.instance = current_terms();
      Reply r = problem_reply(pr);
      r.headers.emplace_back("Link", "<" + current_terms() + ">;rel=\"terms-of-service\"");
      return r;
    }
    if (auto c = p.find("contact"); c != p.end()) acct.contact = *c;
    if (tos != p.end() && tos->get<bool>()) acct.agreed_current_terms = true;
    if (st != p.end() && *st == "deactivated") {
      acct.status = "deactivated";
      // §7.3.6: pending authorizations of a deactivated account are deactivated too.
      for (auto& [zid, z] : authzs)
        if (z.account_id == acct.id && z.status == "pending") z.status = "deactivated";
    }
  } else if (faults.terms_changed && !acct.agreed_current_terms) {
    auto pr = Problem::user_action_required("the terms of service changed; agree to " + current_terms());
    pr.instance = current_terms();
    Reply r = problem_reply(pr);
    r.headers.emplace_back("Link", "<" + current_terms() + ">;rel=\"terms-of-service\"");
    return r;
  }
  return json_reply(200, account_json(acct));
}

Reply Core::key_change(Authed& a, const std::string& request_url) {
  if (a.post_as_get) return problem_reply(Problem::malformed("keyChange needs a payload"));
  auto inner = jose::parse_flattened(a.payload.dump());
  if (!inner) return problem_reply(Problem::malformed("keyChange payload is not a flattened JWS: " + inner.error().to_string()));
  const auto& h = inner->protected_header;
  auto violations = jose::check_acme_jws(*inner, jose::KeyRef::Jwk);
  for (const auto& v : violations) {
    // The inner JWS carries no nonce (§7.3.5); every other header rule applies.
    if (v.rule == jose::HeaderRule::NoncePresent) continue;
    return problem_reply(Problem::malformed("keyChange inner JWS: " + v.error.to_string()));
  }
  if (h.contains("nonce")) return problem_reply(Problem::malformed("keyChange inner JWS: must not carry a nonce"));
  if (h["url"] != request_url)
    return problem_reply(Problem::malformed("keyChange inner JWS: url differs from the outer url"));
  auto new_key = jose::Jwk::parse(h["jwk"], "inner.protected.jwk");
  if (!new_key) return problem_reply(Problem::bad_public_key(new_key.error().to_string()));
  if (auto s = jose::verify_flattened(*inner, *new_key); !s)
    return problem_reply(Problem::malformed("keyChange inner JWS signature does not verify: " + s.error().to_string()));
  auto body = parse_json(inner->payload);
  if (!body || !body->is_object()) return problem_reply(Problem::malformed("keyChange inner payload: not a JSON object"));
  if (!body->contains("account") || (*body)["account"] != a.account->url)
    return problem_reply(Problem::malformed("keyChange inner payload: account is not the signer's account URL"));
  if (!body->contains("oldKey")) return problem_reply(Problem::malformed("keyChange inner payload: oldKey missing"));
  auto old_key = jose::Jwk::parse((*body)["oldKey"], "inner.payload.oldKey");
  if (!old_key || !(*old_key == a.account->key))
    return problem_reply(Problem::malformed("keyChange inner payload: oldKey is not the account's current key"));
  const auto thumb = new_key->thumbprint();
  if (auto it = account_by_thumbprint.find(thumb); it != account_by_thumbprint.end()) {
    // §7.3.5: 409 Conflict with the Location of the account holding the key.
    auto pr = Problem::malformed("the new key is already in use by an account");
    pr.status = 409;
    Reply r = problem_reply(pr);
    r.headers.emplace_back("Location", accounts.at(it->second).url);
    return r;
  }
  account_by_thumbprint.erase(a.account->key.thumbprint());
  a.account->key = *new_key;
  account_by_thumbprint[thumb] = a.account->id;
  return json_reply(200, account_json(*a.account));
}

}  // namespace acmespec::mockca::detail
