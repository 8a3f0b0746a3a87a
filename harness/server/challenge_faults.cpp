#include "server/challenge_faults.hpp"

#include "jose/base64url.hpp"
#include "jose/challenge.hpp"
#include "jose/digest.hpp"

namespace acmespec::server {

using nlohmann::json;

const std::vector<ChallengeFault>& challenge_faults() {
  static const std::vector<ChallengeFault> all = {
      {"wrong-key-authorization", "http-01", true,
       "serve a key authorization whose thumbprint belongs to another account key"},
      {"trailing-whitespace", "http-01", false, "serve the key authorization followed by a newline and spaces"},
      {"redirect", "http-01", false,
       "answer the token path with a 302 to another path on the same host and port, which serves the key authorization"},
      {"redirect-loop", "http-01", true, "answer the token path with a 302 to itself"},
      {"redirect-other-port", "http-01", true,
       "answer the token path with a 302 to the same host on a second listener's port (not 80, 443 or the HTTP-01 "
       "port), which serves the key authorization"},
      {"redirect-bad-scheme", "http-01", true,
       "answer the token path with a 302 to an ftp:// URL naming the second listener's port, which serves the key "
       "authorization over plain HTTP"},
      {"oversized-body", "http-01", true, "serve the key authorization followed by filler up to 64 KiB"},
      {"wrong-txt-digest", "dns-01", true, "publish the digest of another key authorization as the only TXT record"},
      {"extra-txt-records", "dns-01", false, "publish two unrelated TXT records beside the right one"},
      {"legacy-oid", "tls-alpn-01", true, "put the digest in the draft-era extension 1.3.6.1.5.5.7.1.30.1"},
      {"non-critical", "tls-alpn-01", true, "mark the acmeIdentifier extension non-critical"},
      {"extra-san", "tls-alpn-01", true, "add a second subjectAltName to the challenge certificate"},
      {"wrong-digest", "tls-alpn-01", true, "put the digest of another value in the acmeIdentifier extension"},
      {"no-alpn", "tls-alpn-01", true, "complete the handshake without selecting acme-tls/1"},
      {"max-tls-1.1", "tls-alpn-01", true, "accept the validation handshake only at TLS 1.1 or below"},
  };
  return all;
}

const ChallengeFault* find_challenge_fault(const std::string& name) {
  for (const auto& f : challenge_faults())
    if (f.name == name) return &f;
  return nullptr;
}

namespace {

// A thumbprint-shaped value that no real key has: the key authorization of
// "another account".
std::string foreign_key_authorization(const std::string& token) {
  return token + "." + jose::base64url_encode(jose::sha256("acmespec: not this account's key"));
}

// host[:port] as it appears in a URL's authority.
std::string url_authority(const std::string& host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// A 302 that leaves the HTTP-01 port: to `scheme`://host:<alternate port>/,
// where the second listener serves the key authorization under token-moved,
// so only a validator that follows the redirect could validate.  The facts
// name both ports for the checks.
Status redirect_away(responders::Responders& r, const ChallengeSetup& s, const std::string& scheme,
                     responders::Http01Faults& f, json& facts) {
  auto port = r.start_http01_alternate();
  if (!port) return port.error();
  const std::string target_token = s.token + "-moved";
  if (auto st = r.add_http01_alternate_token(target_token, s.key_authorization); !st) return st.error();
  f.redirect = responders::HttpRedirect{302, scheme + "://" + url_authority(s.host, *port) + "/.well-known/acme-challenge/" + target_token};
  facts["location"] = f.redirect->location;
  facts["http01_port"] = s.http_port;
  facts["redirect_port"] = *port;
  return Status{Ok{}};
}

Result<json> provision_http01(responders::Responders& r, const ChallengeSetup& s, const std::string& fault) {
  responders::Http01Faults f;
  json facts = {{"token", s.token}};
  if (fault == "redirect-other-port" || fault == "redirect-bad-scheme") {
    if (auto st = redirect_away(r, s, fault == "redirect-other-port" ? "http" : "ftp", f, facts); !st) return st.error();
  } else if (fault == "wrong-key-authorization") {
    f.wrong_key_authorization = foreign_key_authorization(s.token);
  } else if (fault == "trailing-whitespace") {
    f.wrong_key_authorization = s.key_authorization + "\n  \n";
  } else if (fault == "redirect" || fault == "redirect-loop") {
    const std::string target_token = fault == "redirect" ? s.token + "-moved" : s.token;
    f.redirect = responders::HttpRedirect{302, "http://" + url_authority(s.host, s.http_port) + "/.well-known/acme-challenge/" + target_token};
    facts["location"] = f.redirect->location;
    if (fault == "redirect")
      if (auto st = r.add_http01_token(target_token, s.key_authorization); !st) return st.error();
  } else if (fault == "oversized-body") {
    f.oversized_body_bytes = 1 << 16;
  }
  if (auto st = r.add_http01_token(s.token, s.key_authorization, f); !st) return st.error();
  return facts;
}

Result<json> provision_dns01(responders::Responders& r, const ChallengeSetup& s, const std::string& fault) {
  const std::string name = "_acme-challenge." + s.host;
  json values = json::array();
  auto add = [&](const std::string& v) {
    r.zone().add_txt(name, v);
    values.push_back(v);
  };
  if (fault == "wrong-txt-digest") {
    add(jose::dns01_txt_value(foreign_key_authorization(s.token)));
  } else {
    if (fault == "extra-txt-records") {
      add("v=spf1 -all");
      add(jose::dns01_txt_value(foreign_key_authorization(s.token)));
    }
    add(jose::dns01_txt_value(s.key_authorization));
  }
  return json{{"name", name}, {"txt", values}};
}

Result<json> provision_tls_alpn(responders::Responders& r, const ChallengeSetup& s, const std::string& fault) {
  responders::TlsAlpnFaults f;
  if (fault == "legacy-oid") f.legacy_oid = true;
  else if (fault == "non-critical") f.non_critical = true;
  else if (fault == "extra-san") f.extra_san = "extra." + s.host;
  else if (fault == "wrong-digest") f.wrong_digest = true;
  else if (fault == "no-alpn") f.no_alpn = true;
  else if (fault == "max-tls-1.1") f.max_tls_1_1 = true;
  r.add_tls_alpn_key_authorization(s.host, s.key_authorization, f);
  return json{{"host", s.host}};
}

}  // namespace

Result<json> provision_challenge(responders::Responders& r, const ChallengeSetup& setup, const std::string& fault) {
  if (!fault.empty()) {
    const ChallengeFault* f = find_challenge_fault(fault);
    if (!f) return make_error("fault", "unknown challenge fault \"" + fault + "\"");
    if (f->challenge_type != setup.type)
      return make_error("fault", "fault \"" + fault + "\" applies to " + f->challenge_type + ", not " + setup.type);
  }
  Result<json> facts = json::object();
  if (setup.type == "http-01") facts = provision_http01(r, setup, fault);
  else if (setup.type == "dns-01") facts = provision_dns01(r, setup, fault);
  else if (setup.type == "tls-alpn-01") facts = provision_tls_alpn(r, setup, fault);
  else return make_error("type", "no responder for challenge type \"" + setup.type + "\"");
  if (!facts) return facts;
  if (!fault.empty()) (*facts)["fault"] = fault;
  return facts;
}

}  // namespace acmespec::server
