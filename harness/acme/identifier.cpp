#include "acme/identifier.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstdio>

#include "common/json.hpp"

namespace acmespec::acme {
namespace {

bool is_ldh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string format_ipv6(const std::array<unsigned char, 16>& b) {
  std::array<unsigned, 8> g{};
  for (std::size_t i = 0; i < 8; ++i) g[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];

  // IPv4-mapped (::ffff:0:0/96) keeps its dotted tail (RFC 5952 §5).
  bool mapped = g[5] == 0xffff;
  for (std::size_t i = 0; i < 5; ++i) mapped = mapped && g[i] == 0;
  if (mapped) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    return buf;
  }

  // Longest run of zero groups, at least two long; the first wins a tie.
  std::size_t best = 8, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    if (g[i] != 0) { ++i; continue; }
    std::size_t j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) { best = i; best_len = j - i; }
    i = j;
  }
  if (best_len < 2) best = 8;

  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

}  // namespace

IdentifierKind Identifier::kind() const {
  if (type == "dns") return IdentifierKind::dns;
  if (type == "ip") return IdentifierKind::ip;
  return IdentifierKind::unknown;
}

std::optional<std::string> dns_name_problem(std::string_view name, bool allow_wildcard) {
  if (name.empty()) return "empty name";
  if (name.size() > 253) return "name longer than 253 characters";
  if (name.back() == '.') return "trailing dot";
  if (name.rfind("*.", 0) == 0) {
    if (!allow_wildcard) return "wildcard not allowed here";
    name.remove_prefix(2);
  }
  std::string_view last;
  while (true) {
    const auto dot = name.find('.');
    const auto label = name.substr(0, dot);
    if (label.empty()) return "empty label";
    if (label.size() > 63) return "label longer than 63 characters";
    for (char c : label) {
      if (c == '*') return "'*' is only allowed as the whole first label";
      if (!is_ldh(c)) return "character outside letters, digits and hyphen";
    }
    if (label.front() == '-' || label.back() == '-') return "label starts or ends with a hyphen";
    last = label;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  bool numeric = true;
  for (char c : last) numeric = numeric && c >= '0' && c <= '9';
  if (numeric) return "last label is all digits (an IP address belongs in an \"ip\" identifier)";
  return std::nullopt;
}

std::optional<std::string> canonicalize_ip(std::string_view text) {
  // inet_pton needs a terminated string; anything longer than the longest
  // textual IPv6 address cannot be one.
  if (text.size() > 45) return std::nullopt;
  const std::string s(text);
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    char out[16];
    std::snprintf(out, sizeof out, "%u.%u.%u.%u", buf[0], buf[1], buf[2], buf[3]);
    return std::string(out);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) return format_ipv6(buf);
  return std::nullopt;
}

Result<Identifier> Identifier::parse_lenient(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  for (const char* member : {"type", "value"}) {
    const auto it = j.find(member);
    if (it == j.end()) return make_error(json_path(path, member), "missing required member");
    if (!it->is_string()) return make_error(json_path(path, member), "not a string");
  }
  return Identifier{j.find("type")->get<std::string>(), j.find("value")->get<std::string>()};
}

Result<Identifier> Identifier::parse(const nlohmann::json& j, const std::string& path) {
  auto shaped = parse_lenient(j, path);
  if (!shaped) return shaped;
  Identifier id = std::move(*shaped);
  switch (id.kind()) {
    case IdentifierKind::dns:
      if (auto why = dns_name_problem(id.value)) {
        return make_error(json_path(path, "value"), "not a plausible DNS name: " + *why);
      }
      break;
    case IdentifierKind::ip:
      if (!is_ip_address(id.value)) {
        return make_error(json_path(path, "value"), "not a textual IPv4 or IPv6 address");
      }
      break;
    case IdentifierKind::unknown:
      break;
  }
  return id;
}

nlohmann::json Identifier::to_json() const { return {{"type", type}, {"value", value}}; }

}  // namespace acmespec::acme
