// Identifier checks on orders and their authorizations: the wildcard rules
// of RFC 8555 §7.1.3/§7.1.4 and RFC 8738 (IP identifiers).
#include <set>

#include "acme/identifier.hpp"
#include "common/json_access.hpp"
#include "http/ascii.hpp"
#include "responders/tls_alpn_cert.hpp"
#include "server/authz_facts.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

using json_access::arr;
using json_access::member;
using json_access::str;

json identifier_of(const json& a) { return a["before"].value("identifier", json::object()); }
bool is_ip_authz(const json& a) { return str(identifier_of(a), "type") == "ip"; }

std::set<std::string> challenge_types(const json& a) {
  std::set<std::string> out;
  for (const auto& ch : arr(a["before"], "challenges")) out.insert(str(ch, "type"));
  return out;
}

std::string comma_list(const std::set<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// ---- wildcards (§7.1.3, §7.1.4) --------------------------------------------

int wildcard_count(const Observation& o) {
  int n = 0;
  for (const auto& id : o.facts.value("identifiers", json::array()))
    if (str(id, "type") == "dns" && str(id, "value").rfind("*.", 0) == 0) ++n;
  return n;
}

Judgement wildcard_strips_prefix(const Observation& o) {
  if (wildcard_count(o) == 0) return Judgement::error("the order has no wildcard identifier");
  const auto all = observed_authzs(o);
  if (all.empty()) return Judgement::skip("no authorization was fetched");
  for (const auto& a : all)
    if (str(identifier_of(a), "value").rfind("*.", 0) == 0)
      return Judgement::fail("authorization " + str(a, "url") + " names " + str(identifier_of(a), "value") + " with the '*.' prefix");
  for (const auto& id : o.facts["identifiers"]) {
    const std::string value = http::ascii_lower(str(id, "value"));
    if (value.rfind("*.", 0) != 0) continue;
    const std::string base = value.substr(2);
    bool found = false;
    for (const auto& a : all)
      found = found || (http::ascii_lower(str(identifier_of(a), "value")) == base && a["before"].value("wildcard", json()) == true);
    if (!found) return Judgement::fail("no authorization names " + base + " with wildcard true for " + value);
  }
  return Judgement::pass("each wildcard identifier has an authorization for its base domain with wildcard true");
}

Judgement wildcard_dns01_only(const Observation& o) {
  int seen = 0;
  for (const auto& a : observed_authzs(o)) {
    if (a["before"].value("wildcard", json()) != true) continue;
    ++seen;
    const auto types = challenge_types(a);
    if (types != std::set<std::string>{"dns-01"}) return Judgement::fail("a wildcard authorization offers " + comma_list(types));
  }
  if (seen == 0) return Judgement::skip("no wildcard authorization was seen");
  return Judgement::pass(std::to_string(seen) + " wildcard authorizations offer only dns-01");
}

Judgement wildcard_field_only(const Observation& o) {
  const auto all = observed_authzs(o);
  if (all.empty()) return Judgement::skip("no authorization was fetched");
  const int wildcards = wildcard_count(o);
  int present = 0;
  for (const auto& a : all) {
    if (!a["before"].contains("wildcard")) continue;
    ++present;
    if (a["before"]["wildcard"] != true)
      return Judgement::fail("authorization " + str(a, "url") + " carries wildcard " + a["before"]["wildcard"].dump() +
                             "; the member must be absent unless it is true");
  }
  if (static_cast<int>(all.size()) == wildcards) return Judgement::skip("every authorization came from a wildcard identifier");
  if (present > wildcards)
    return Judgement::fail(std::to_string(present) + " authorizations carry wildcard but the order has only " +
                           std::to_string(wildcards) + " wildcard identifiers");
  return Judgement::pass(std::to_string(all.size() - static_cast<std::size_t>(wildcards)) +
                         " authorizations for plain names carry no wildcard member");
}

// ---- RFC 8738 IP identifiers -----------------------------------------------

std::vector<json> ip_authzs(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : observed_authzs(o))
    if (is_ip_authz(a) || acme::is_ip_address(str(identifier_of(a), "value"))) out.push_back(a);
  return out;
}

Judgement ip_canonical(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips) {
    const json id = identifier_of(a);
    if (str(id, "type") != "ip") return Judgement::fail("an authorization names the address " + str(id, "value") + " with type " + str(id, "type"));
    if (!acme::is_canonical_ip(str(id, "value")))
      return Judgement::fail("an authorization names " + str(id, "value") + ", not the canonical " +
                             acme::canonicalize_ip(str(id, "value")).value_or("?"));
  }
  return Judgement::pass(std::to_string(ips.size()) + " IP authorizations use type ip and the canonical text");
}

Judgement ip_offers(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips) {
    const auto types = challenge_types(a);
    if (!types.count("http-01") && !types.count("tls-alpn-01"))
      return Judgement::fail(str(identifier_of(a), "value") + " is offered " + comma_list(types) + ", neither http-01 nor tls-alpn-01");
  }
  return Judgement::pass("each IP authorization offers http-01 or tls-alpn-01");
}

Judgement ip_no_dns01(const Observation& o) {
  const auto ips = ip_authzs(o);
  if (ips.empty()) return Judgement::skip("no authorization for an IP address was seen");
  for (const auto& a : ips)
    if (challenge_types(a).count("dns-01")) return Judgement::fail(str(identifier_of(a), "value") + " is offered a dns-01 challenge");
  return Judgement::pass(std::to_string(ips.size()) + " IP authorizations offer no dns-01");
}

Judgement ip_skips_dns(const Observation& o) {
  int validated = 0;
  for (const auto& a : ip_authzs(o)) {
    if (!a.contains("validation") || a["validation"].empty()) continue;
    ++validated;
    const json lookups = arr(a, "dns_lookups_of_address");
    if (!lookups.empty())
      return Judgement::fail("validating " + str(identifier_of(a), "value") + " the server asked DNS for " + str(lookups[0], "name") +
                             " (" + str(lookups[0], "type") + ")");
  }
  if (validated == 0) return Judgement::skip("no validation of an IP address reached the responders");
  return Judgement::pass("no DNS question about the validated addresses");
}

Judgement ip_http_host(const Observation& o) {
  if (str(o.facts, "challenge_type") != "http-01") return Judgement::error("the step did not answer http-01");
  int seen = 0;
  for (const auto& a : ip_authzs(o)) {
    const std::string ip = acme::canonicalize_ip(str(identifier_of(a), "value")).value_or("");
    for (const auto& req : arr(a, "validation")) {
      ++seen;
      std::string host = str(req, "host");
      if (!host.empty() && host.front() == '[') host = host.substr(1, host.find(']') - 1);
      else if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(':') == colon) host.resize(colon);
      if (acme::canonicalize_ip(host).value_or("") != ip)
        return Judgement::fail("the validation request for " + ip + " carried Host \"" + str(req, "host") + "\"");
    }
  }
  if (seen == 0) return Judgement::skip("no http-01 validation of an IP address reached the responder");
  return Judgement::pass(std::to_string(seen) + " validation requests carried the address as Host");
}

Judgement ip_tls_sni(const Observation& o) {
  if (str(o.facts, "challenge_type") != "tls-alpn-01") return Judgement::error("the step did not answer tls-alpn-01");
  int seen = 0;
  for (const auto& a : ip_authzs(o)) {
    const std::string ip = acme::canonicalize_ip(str(identifier_of(a), "value")).value_or("");
    for (const auto& hs : arr(a, "validation")) {
      ++seen;
      std::string sni = http::ascii_lower(str(hs, "sni"));
      if (!sni.empty() && sni.back() == '.') sni.pop_back();
      const bool reverse = sni.ends_with(".in-addr.arpa") || sni.ends_with(".ip6.arpa");
      auto named = responders::identifier_from_sni(sni);
      if (!reverse || named.kind != responders::TlsIdentifier::Kind::kIp || named.value != ip)
        return Judgement::fail("the validation handshake for " + ip + " sent SNI \"" + str(hs, "sni") + "\", not its reverse name");
    }
    if (!arr(a, "validation").empty() && str(member(a, "after"), "status") != "valid")
      return Judgement::fail("the reverse-name handshake for " + ip + " was made but the authorization ended \"" +
                             str(member(a, "after"), "status") + "\" despite a matching iPAddress certificate");
  }
  if (seen == 0) return Judgement::skip("no tls-alpn-01 handshake for an IP address reached the responder");
  return Judgement::pass(std::to_string(seen) + " handshakes sent the reverse name as SNI and validated");
}

}  // namespace

std::vector<CheckDef> checks_identifiers() {
  return {
      {"RFC8555-7.1.3-wildcard-authz-strips-prefix", {}, wildcard_strips_prefix},
      {"RFC8555-7.1.3-wildcard-offers-dns-01-only", {}, wildcard_dns01_only},
      {"RFC8555-7.1.4-wildcard-field-only-for-wildcards", {}, wildcard_field_only},
      {"RFC8738-3-ip-identifier-canonical-form", {}, ip_canonical},
      {"RFC8738-4-ip-offers-http-01-or-tls-alpn-01", {}, ip_offers},
      {"RFC8738-4-ip-validation-skips-dns", {}, ip_skips_dns},
      {"RFC8738-5-http-01-host-is-ip", {}, ip_http_host},
      {"RFC8738-6-tls-alpn-reverse-dns-sni", {}, ip_tls_sni},
      {"RFC8738-7-no-dns-01-for-ip", {}, ip_no_dns01},
  };
}

}  // namespace acmespec::server
