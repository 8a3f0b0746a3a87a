// The hostile_urls fault's text handling: the decoration appended to resource
// URLs, the RFC 3986 path-segment rule its segments must keep, and
// percent-decoding (what a client that decodes a URL before using it sees).
#include <cstdio>

#include "mock-ca/fault_plan.hpp"

namespace acmespec::mockca {
namespace {

int url_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
bool url_segment_char(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  for (char ok : std::string_view("-._~!$&'()*+,;=:@"))
    if (c == static_cast<unsigned char>(ok)) return true;
  return false;
}

}  // namespace

std::string url_decoration(const FaultPlan& plan) {
  std::string out;
  for (const auto& segment : plan.hostile_urls) out += "/" + segment;
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && url_hex_value(text[i + 1]) >= 0 && url_hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(url_hex_value(text[i + 1]) * 16 + url_hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::string> path_segment_problem(std::string_view segment) {
  if (segment.empty()) return "an empty path segment";
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const auto c = static_cast<unsigned char>(segment[i]);
    if (c == '%') {
      if (i + 2 < segment.size() && url_hex_value(segment[i + 1]) >= 0 && url_hex_value(segment[i + 2]) >= 0) {
        i += 2;
        continue;
      }
      return "\"%\" at offset " + std::to_string(i) + " is not followed by two hex digits";
    }
    if (url_segment_char(c)) continue;
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", c);
    const std::string shown = c > 0x20 && c < 0x7f ? "\"" + std::string(1, static_cast<char>(c)) + "\"" : "byte 0x" + std::string(hex);
    return shown + " at offset " + std::to_string(i) + " is not allowed in a URL path segment (RFC 3986 §3.3); write it as %" + hex;
  }
  return std::nullopt;
}

}  // namespace acmespec::mockca
