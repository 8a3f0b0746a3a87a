// URLs the harness sends requests to, and RFC 3986 reference resolution.
//
// ACME servers hand out URLs in JSON bodies and in Location/Link headers; a
// hostile server can put anything there, so parsing is strict and returns an
// Error instead of guessing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace acmespec::http {

struct Url {
  std::string scheme;      // "http" or "https", lowercase
  std::string host;        // reg-name lowercased, or IP literal without brackets
  std::uint16_t port = 0;  // the explicit port, else the scheme's default
  std::string path = "/";  // never empty: an empty path becomes "/"
  std::string query;       // without the '?'
  bool has_query = false;  // "a?" keeps its empty query

  bool is_https() const { return scheme == "https"; }
  bool is_ipv6() const { return host.find(':') != std::string::npos; }
  // The request-target of the origin form: path plus "?query".
  std::string target() const;
  // host[:port] as it appears in a URL and in the Host header; IPv6 hosts
  // are bracketed and the default port is left out.
  std::string authority() const;
  // Host and port for messages, always with the port: "[::1]:443".
  std::string host_port() const;
  std::string to_string() const;  // scheme://authority target (no fragment)
};

// Parses an absolute http:// or https:// URL.  Fragments are dropped (they
// are never sent); userinfo is refused since ACME URLs never carry one and a
// server that sends one is more likely attacking the client than helping it.
Result<Url> parse_url(std::string_view text);

// RFC 3986 §5.2: resolves `reference` (absolute, network-path, absolute-path,
// relative-path, query-only or fragment-only) against the absolute URI
// `base`.  Fragments of the reference are kept in the result.
Result<std::string> resolve_reference(std::string_view base, std::string_view reference);

}  // namespace acmespec::http
