#include "jose/acme_header.hpp"

#include <array>
#include <utility>

#include "common/json.hpp"
#include "jose/base64url.hpp"
#include "jose/jwk.hpp"

namespace acmespec::jose {
namespace {

constexpr std::array<std::pair<HeaderRule, std::string_view>, 22> kRuleIds{{
    {HeaderRule::HeaderObject, "RFC7515-4-header-object"},
    {HeaderRule::AlgPresent, "RFC8555-6.2-alg-present"},
    {HeaderRule::AlgString, "RFC7515-4.1.1-alg-string"},
    {HeaderRule::AlgNotNone, "RFC8555-6.2-alg-not-none"},
    {HeaderRule::AlgNotMac, "RFC8555-6.2-alg-not-mac"},
    {HeaderRule::AlgSupported, "RFC8555-6.2-alg-supported"},
    {HeaderRule::AlgFitsKey, "RFC7518-3.1-alg-fits-key"},
    {HeaderRule::KeyRefPresent, "RFC8555-6.2-jwk-or-kid"},
    {HeaderRule::KeyRefExclusive, "RFC8555-6.2-not-jwk-and-kid"},
    {HeaderRule::JwkRequired, "RFC8555-6.2-jwk-required"},
    {HeaderRule::KidRequired, "RFC8555-6.2-kid-required"},
    {HeaderRule::JwkValid, "RFC8555-6.2-jwk-valid"},
    {HeaderRule::KidString, "RFC8555-6.2-kid-string"},
    {HeaderRule::NoncePresent, "RFC8555-6.5.2-nonce-present"},
    {HeaderRule::NonceString, "RFC8555-6.5.2-nonce-string"},
    {HeaderRule::NonceBase64url, "RFC8555-6.5.1-nonce-base64url"},
    {HeaderRule::UrlPresent, "RFC8555-6.4.1-url-present"},
    {HeaderRule::UrlString, "RFC8555-6.4.1-url-string"},
    {HeaderRule::CritWellFormed, "RFC7515-4.1.11-crit-well-formed"},
    {HeaderRule::CritUnderstood, "RFC7515-4.1.11-crit-understood"},
    {HeaderRule::NoB64, "RFC8555-6.2-no-b64"},
    {HeaderRule::NoUnprotectedHeader, "RFC8555-6.2-no-unprotected-header"},
}};

// Header parameter names RFC 7515 §4.1 and RFC 7518 §4.1/§4.6-4.8 define;
// RFC 7515 §4.1.11 forbids listing them in "crit".
constexpr std::array<std::string_view, 20> kRegisteredNames{
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
    "crit", "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"};

const std::string kBase = "protected";

class Collector {
 public:
  void add(HeaderRule rule, std::string_view member, std::string reason) {
    out.push_back({rule, make_error(json_path(kBase, member), std::move(reason))});
  }
  void add_error(HeaderRule rule, Error error) { out.push_back({rule, std::move(error)}); }
  std::vector<HeaderViolation> out;
};

// Returns the algorithm when it is one acmespec verifies.
std::optional<Alg> check_alg(const nlohmann::json& header, Collector& c) {
  const auto it = header.find("alg");
  if (it == header.end()) {
    c.add(HeaderRule::AlgPresent, "alg", "missing");
    return std::nullopt;
  }
  if (!it->is_string()) {
    c.add(HeaderRule::AlgString, "alg", "must be a string");
    return std::nullopt;
  }
  const auto name = it->get<std::string>();
  if (name == "none") {
    c.add(HeaderRule::AlgNotNone, "alg", "\"none\" is not allowed (RFC 8555 §6.2)");
    return std::nullopt;
  }
  if (mac_alg_from_name(name)) {
    c.add(HeaderRule::AlgNotMac, "alg",
          "MAC algorithm " + name + " is not allowed for ACME requests (RFC 8555 §6.2)");
    return std::nullopt;
  }
  const auto alg = alg_from_name(name);
  if (!alg) {
    c.add(HeaderRule::AlgSupported, "alg",
          "unsupported algorithm \"" + name + "\" (supported: RS256, ES256, ES384, ES512, EdDSA)");
  }
  return alg;
}

void check_key_ref(const nlohmann::json& header, KeyRef expect, std::optional<Alg> alg,
                   Collector& c) {
  const bool has_jwk = header.contains("jwk");
  const bool has_kid = header.contains("kid");
  if (!has_jwk && !has_kid) {
    c.add(HeaderRule::KeyRefPresent, "jwk", "neither \"jwk\" nor \"kid\" is present");
  } else if (has_jwk && has_kid) {
    c.add(HeaderRule::KeyRefExclusive, "kid", "both \"jwk\" and \"kid\" are present");
  } else if (expect == KeyRef::Jwk && !has_jwk) {
    c.add(HeaderRule::JwkRequired, "kid",
          "this request must carry \"jwk\", not \"kid\" (newAccount, or revokeCert signed by "
          "the certificate key)");
  } else if (expect == KeyRef::Kid && !has_kid) {
    c.add(HeaderRule::KidRequired, "jwk",
          "this request must carry \"kid\" (the account URL), not \"jwk\"");
  }
  if (has_jwk) {
    auto jwk = Jwk::parse(header.at("jwk"), json_path(kBase, "jwk"));
    if (!jwk) {
      c.add_error(HeaderRule::JwkValid, jwk.error());
    } else if (alg && !alg_fits(*alg, jwk->family())) {
      c.add(HeaderRule::AlgFitsKey, "alg",
            std::string(alg_name(*alg)) + " does not fit the " +
                std::string(family_name(jwk->family())) + " key in \"jwk\"");
    }
  }
  if (has_kid) {
    const auto& kid = header.at("kid");
    if (!kid.is_string() || kid.get<std::string>().empty()) {
      c.add(HeaderRule::KidString, "kid", "must be a non-empty string (the account URL)");
    }
  }
}

void check_nonce_url(const nlohmann::json& header, Collector& c) {
  if (const auto it = header.find("nonce"); it == header.end()) {
    c.add(HeaderRule::NoncePresent, "nonce", "missing");
  } else if (!it->is_string()) {
    c.add(HeaderRule::NonceString, "nonce", "must be a string");
  } else if (it->get<std::string>().empty()) {
    c.add(HeaderRule::NonceBase64url, "nonce", "empty");
  } else if (auto decoded = base64url_decode(it->get<std::string>()); !decoded) {
    c.add(HeaderRule::NonceBase64url, "nonce", decoded.error().reason);
  }

  if (const auto it = header.find("url"); it == header.end()) {
    c.add(HeaderRule::UrlPresent, "url", "missing");
  } else if (!it->is_string() || it->get<std::string>().empty()) {
    c.add(HeaderRule::UrlString, "url", "must be a non-empty string");
  }
}

void check_extensions(const nlohmann::json& header, Collector& c) {
  if (const auto it = header.find("crit"); it != header.end()) {
    if (!it->is_array() || it->empty()) {
      c.add(HeaderRule::CritWellFormed, "crit", "must be a non-empty array of strings");
    } else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& entry = (*it)[i];
        const std::string member = json_index("crit", i);
        if (!entry.is_string()) {
          c.add(HeaderRule::CritWellFormed, member, "must be a string");
          continue;
        }
        const auto name = entry.get<std::string>();
        bool registered = false;
        for (const auto r : kRegisteredNames) registered = registered || r == name;
        c.add(HeaderRule::CritUnderstood, member,
              registered ? "lists \"" + name +
                               "\", a registered header parameter that crit must not name"
                         : "unknown critical header \"" + name + "\"");
      }
    }
  }
  if (header.contains("b64")) {
    c.add(HeaderRule::NoB64, "b64",
          "the RFC 7797 unencoded-payload option is not allowed: ACME payloads are base64url");
  }
}

}  // namespace

std::string_view header_rule_id(HeaderRule rule) {
  for (const auto& [r, id] : kRuleIds) {
    if (r == rule) return id;
  }
  return "unknown-rule";
}

std::vector<HeaderViolation> check_acme_protected_header(const nlohmann::json& header,
                                                         KeyRef expect) {
  Collector c;
  if (!header.is_object()) {
    c.add_error(HeaderRule::HeaderObject, make_error(kBase, "must be a JSON object"));
    return std::move(c.out);
  }
  const auto alg = check_alg(header, c);
  check_key_ref(header, expect, alg, c);
  check_nonce_url(header, c);
  check_extensions(header, c);
  return std::move(c.out);
}

std::vector<Error> validate_acme_protected_header(const nlohmann::json& header, KeyRef expect) {
  std::vector<Error> out;
  for (auto& v : check_acme_protected_header(header, expect)) out.push_back(std::move(v.error));
  return out;
}

std::vector<HeaderViolation> check_acme_jws(const FlattenedJws& jws, KeyRef expect) {
  auto out = check_acme_protected_header(jws.protected_header, expect);
  if (jws.unprotected_header) {
    out.push_back({HeaderRule::NoUnprotectedHeader,
                   make_error("header", "the JWS Unprotected Header must not be used")});
  }
  return out;
}

}  // namespace acmespec::jose
