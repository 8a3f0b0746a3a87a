#include "http/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <optional>

#include "http/ascii.hpp"

namespace acmespec::http {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }


bool is_unreserved_or_sub_delim(char c) {
  return is_alpha(c) || is_digit(c) || std::string_view("-._~!$&'()*+,;=").find(c) != std::string_view::npos;
}

// Characters that may appear anywhere in a URI (RFC 3986 §2): reserved,
// unreserved and '%'.  Everything else (spaces, controls, quotes, non-ASCII)
// marks input that is not a URI at all.
bool is_uri_char(char c) {
  return is_unreserved_or_sub_delim(c) || std::string_view(":/?#[]@%").find(c) != std::string_view::npos;
}

Status check_uri_chars(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!is_uri_char(c)) {
      return make_error("", "character 0x" + std::string(1, "0123456789abcdef"[(c >> 4) & 0xf]) +
                                std::string(1, "0123456789abcdef"[c & 0xf]) + " at offset " +
                                std::to_string(i) + " is not allowed in a URI");
    }
    if (c == '%' && (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))) {
      return make_error("", "bad percent-encoding at offset " + std::to_string(i));
    }
  }
  return Ok{};
}

bool valid_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
  });
}

// The five components of RFC 3986 Appendix B; absent and empty differ.
struct UriParts {
  std::optional<std::string> scheme;
  std::optional<std::string> authority;
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;
};

UriParts split_uri(std::string_view s) {
  UriParts p;
  std::size_t i = 0;
  const auto first = s.find_first_of(":/?#");
  if (first != std::string_view::npos && first > 0 && s[first] == ':') {
    p.scheme = std::string(s.substr(0, first));
    i = first + 1;
  }
  if (s.substr(i, 2) == "//") {
    const auto end = std::min(s.find_first_of("/?#", i + 2), s.size());
    p.authority = std::string(s.substr(i + 2, end - i - 2));
    i = end;
  }
  const auto path_end = std::min(s.find_first_of("?#", i), s.size());
  p.path = std::string(s.substr(i, path_end - i));
  i = path_end;
  if (i < s.size() && s[i] == '?') {
    const auto end = std::min(s.find('#', i), s.size());
    p.query = std::string(s.substr(i + 1, end - i - 1));
    i = end;
  }
  if (i < s.size() && s[i] == '#') p.fragment = std::string(s.substr(i + 1));
  return p;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const auto slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const auto next = in.find('/', in[0] == '/' ? 1 : 0);
      const auto len = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, len));
      in.remove_prefix(len);
    }
  }
  return out;
}

std::string recompose(const UriParts& p) {
  std::string out;
  if (p.scheme) out += *p.scheme + ":";
  if (p.authority) out += "//" + *p.authority;
  out += p.path;
  if (p.query) out += "?" + *p.query;
  if (p.fragment) out += "#" + *p.fragment;
  return out;
}

Result<std::string> parse_host(std::string_view host) {
  if (host.empty()) return make_error("host", "the URL has no host");
  if (host.front() == '[') {
    if (host.back() != ']') return make_error("host", "unterminated IPv6 literal");
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr addr{};
    if (inet_pton(AF_INET6, inner.c_str(), &addr) != 1) {
      return make_error("host", "'" + inner + "' is not a valid IPv6 address");
    }
    return ascii_lower(inner);
  }
  for (char c : host) {
    if (!(is_unreserved_or_sub_delim(c) || c == '%')) {
      return make_error("host", std::string("character '") + c + "' is not allowed in a host name");
    }
  }
  return ascii_lower(host);
}

}  // namespace

std::string Url::target() const { return has_query ? path + "?" + query : path; }

std::string Url::authority() const {
  std::string out = is_ipv6() ? "[" + host + "]" : host;
  const std::uint16_t def = is_https() ? 443 : 80;
  if (port != def) out += ":" + std::to_string(port);
  return out;
}

std::string Url::host_port() const {
  return (is_ipv6() ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Url::to_string() const { return scheme + "://" + authority() + target(); }

Result<Url> parse_url(std::string_view text) {
  if (auto chars = check_uri_chars(text); !chars) return chars.error();
  const UriParts p = split_uri(text);
  if (!p.scheme) return make_error("", "'" + std::string(text) + "' is not an absolute URL");
  Url url;
  url.scheme = ascii_lower(*p.scheme);
  if (url.scheme != "http" && url.scheme != "https") {
    return make_error("scheme", "unsupported scheme '" + *p.scheme + "' (only http and https)");
  }
  if (!p.authority) return make_error("", "the URL has no authority (expected scheme://host)");
  std::string_view auth = *p.authority;
  if (auth.find('@') != std::string_view::npos) {
    return make_error("userinfo", "URLs with userinfo are refused");
  }
  // The port separator is the last ':' outside an IPv6 literal.
  std::string_view host_part = auth;
  std::string_view port_part;
  bool has_port = false;
  const auto close = auth.rfind(']');
  const auto colon = auth.rfind(':');
  if (colon != std::string_view::npos && (close == std::string_view::npos || colon > close)) {
    if (auth.front() != '[' && auth.find(':') != colon) {
      return make_error("host", "IPv6 addresses must be written in brackets");
    }
    host_part = auth.substr(0, colon);
    port_part = auth.substr(colon + 1);
    has_port = true;
  }
  auto host = parse_host(host_part);
  if (!host) return host.error();
  url.host = std::move(*host);
  url.port = url.is_https() ? 443 : 80;
  if (has_port && !port_part.empty()) {
    if (port_part.size() > 5 || !std::all_of(port_part.begin(), port_part.end(), is_digit)) {
      return make_error("port", "'" + std::string(port_part) + "' is not a port number");
    }
    const unsigned long port = std::stoul(std::string(port_part));
    if (port == 0 || port > 65535) {
      return make_error("port", "port " + std::string(port_part) + " is out of range 1-65535");
    }
    url.port = static_cast<std::uint16_t>(port);
  }
  url.path = p.path.empty() ? "/" : p.path;
  if (p.query) {
    url.has_query = true;
    url.query = *p.query;
  }
  return url;
}

Result<std::string> resolve_reference(std::string_view base, std::string_view reference) {
  if (auto chars = check_uri_chars(base); !chars) return chars.error().nested("base");
  if (auto chars = check_uri_chars(reference); !chars) return chars.error().nested("reference");
  const UriParts b = split_uri(base);
  if (!b.scheme || !valid_scheme(*b.scheme)) return make_error("base", "the base URI is not absolute");
  const UriParts r = split_uri(reference);
  if (r.scheme && !valid_scheme(*r.scheme)) {
    return make_error("reference", "invalid scheme '" + *r.scheme + "'");
  }
  UriParts t;
  if (r.scheme) {
    t = r;
    t.path = remove_dot_segments(r.path);
  } else {
    t.scheme = b.scheme;
    if (r.authority) {
      t.authority = r.authority;
      t.path = remove_dot_segments(r.path);
      t.query = r.query;
    } else {
      t.authority = b.authority;
      if (r.path.empty()) {
        t.path = b.path;
        t.query = r.query ? r.query : b.query;
      } else {
        if (r.path.front() == '/') {
          t.path = remove_dot_segments(r.path);
        } else {
          // §5.2.3 merge: a base with authority and empty path acts as "/".
          std::string merged;
          if (b.authority && b.path.empty()) {
            merged = "/" + r.path;
          } else {
            const auto slash = b.path.rfind('/');
            merged = (slash == std::string::npos ? std::string() : b.path.substr(0, slash + 1)) + r.path;
          }
          t.path = remove_dot_segments(merged);
        }
        t.query = r.query;
      }
    }
    t.fragment = r.fragment;
  }
  return recompose(t);
}

}  // namespace acmespec::http
