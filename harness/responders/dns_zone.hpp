// The records the authoritative DNS responder serves.
//
// Every name exists: A (and AAAA, when configured) queries for any name get
// the default addresses unless that name has an override, so a CA resolving
// `anything.example` reaches the local HTTP-01 and TLS-ALPN-01 responders.
// TXT and CAA records exist only where added; a name without them answers
// NOERROR with an empty answer section (never NXDOMAIN, since the name
// resolves for A).  Names are case-insensitive.  Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "responders/dns_message.hpp"

namespace acmespec::responders {

// Lower-cased, without a trailing dot: the key every record map uses.
std::string normalize_dns_name(std::string_view name);

struct CaaRecord {
  std::uint8_t flags = 0;  // 128 = issuer critical
  std::string tag;         // "issue", "issuewild", "iodef", ...
  std::string value;
  bool operator==(const CaaRecord&) const = default;
};

class DnsZone {
 public:
  DnsZone();

  // Addresses are textual literals; an empty list means "no records".
  Status set_default_a(const std::vector<std::string>& addresses);
  Status set_default_aaaa(const std::vector<std::string>& addresses);
  Status set_a(std::string_view host, const std::vector<std::string>& addresses);
  Status set_aaaa(std::string_view host, const std::vector<std::string>& addresses);
  void clear_a(std::string_view host);     // back to the default
  void clear_aaaa(std::string_view host);  // back to the default

  void add_txt(std::string_view host, std::string value);
  void clear_txt(std::string_view host);
  void add_caa(std::string_view host, CaaRecord record);
  void clear_caa(std::string_view host);
  void clear_all();  // TXT, CAA and address overrides; defaults stay

  void set_ttl(std::uint32_t ttl);

  // The answer to a parsed query (see the header comment for the rules).
  DnsAnswers answer(const DnsQuery& query) const;

  nlohmann::json to_json() const;  // the current records, for diagnostics

 private:
  using Addresses = std::vector<std::string>;  // binary, 4 or 16 bytes each
  static Result<Addresses> parse_addresses(const std::vector<std::string>& text, int family);
  void append_records(const std::string& name, std::uint16_t type, DnsAnswers& out) const;

  mutable std::mutex mu_;
  std::uint32_t ttl_ = 0;  // tests change records between queries; nothing should cache
  Addresses default_a_;
  Addresses default_aaaa_;
  std::map<std::string, Addresses> a_;
  std::map<std::string, Addresses> aaaa_;
  std::map<std::string, std::vector<std::string>> txt_;
  std::map<std::string, std::vector<CaaRecord>> caa_;
};

}  // namespace acmespec::responders
