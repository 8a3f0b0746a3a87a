// ACME identifiers (RFC 8555 §7.1.3, §9.7.7; RFC 8738 for "ip").
//
// Parsing keeps identifiers of unknown type (their type string is preserved
// and kind() reports IdentifierKind::unknown) because RFC 8555 lets the
// registry grow; a check decides whether an unknown type is acceptable.  The
// values of the two known types are validated while parsing: a "dns" value
// must be a plausible host name, an "ip" value a textual IPv4/IPv6 address.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::acme {

enum class IdentifierKind { dns, ip, unknown };

struct Identifier {
  std::string type;
  std::string value;

  static Identifier dns(std::string name) { return {"dns", std::move(name)}; }
  static Identifier ip(std::string address) { return {"ip", std::move(address)}; }

  IdentifierKind kind() const;
  bool is_wildcard() const { return kind() == IdentifierKind::dns && value.rfind("*.", 0) == 0; }

  // Members other than type and value are ignored: RFC 8555 defines none.
  static Result<Identifier> parse(const nlohmann::json& j, const std::string& path = "identifier");
  // Checks only the shape (two strings), not the value: a subproblem names
  // the very identifier that was refused, e.g. "_example.org" in §6.7.1.
  static Result<Identifier> parse_lenient(const nlohmann::json& j, const std::string& path = "identifier");
  nlohmann::json to_json() const;

  bool operator==(const Identifier&) const = default;
};

// Why `name` is not a plausible DNS identifier value, or nullopt when it is.
// Rules (our reading of RFC 1035 §2.3.4 / RFC 1123 §2.1 for names that go
// into certificates): 1..253 octets; labels of 1..63 letters, digits and
// hyphens, neither starting nor ending with a hyphen; no trailing dot (a
// certificate's dNSName carries none); a single leading "*." label when
// `allow_wildcard`; the last label not all digits (that is an IPv4 address,
// which RFC 8738 says must use the "ip" type); ASCII only (IDNs arrive as
// A-labels, which satisfy these rules).  Upper case is accepted because DNS
// names compare case-insensitively.  Single-label names are accepted: this
// judges syntax, and policy on public suffixes belongs to checks.
std::optional<std::string> dns_name_problem(std::string_view name, bool allow_wildcard = true);
inline bool is_plausible_dns_name(std::string_view name, bool allow_wildcard = true) {
  return !dns_name_problem(name, allow_wildcard).has_value();
}

// The canonical text of an IPv4 or IPv6 address (dotted quad; RFC 5952 §4 for
// IPv6: lower-case hex, no leading zeros, the longest run of two or more
// zero groups -- the first on a tie -- as "::", and IPv4-mapped addresses as
// ::ffff:a.b.c.d per §5).  nullopt when `text` is neither address form
// (zone ids such as "%eth0" and prefix lengths are refused).
std::optional<std::string> canonicalize_ip(std::string_view text);
inline bool is_ip_address(std::string_view text) { return canonicalize_ip(text).has_value(); }
// RFC 8738 asks for the canonical form; this says whether `text` already is.
inline bool is_canonical_ip(std::string_view text) {
  auto c = canonicalize_ip(text);
  return c && *c == text;
}

}  // namespace acmespec::acme
