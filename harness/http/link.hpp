// Link header fields (RFC 8288 §3).  ACME uses them for "up" (issuer
// certificate, authorization → order), "index" (directory) and "alternate"
// (alternative chains), and for pagination ("next").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace acmespec::http {

struct Link {
  std::string uri;                // the target as written between < >
  std::vector<std::string> rels;  // relation types, lowercased, in order
  // Parameters by lowercased name; quoted-string values unescaped.  Only the
  // first occurrence of a parameter counts (§3.3 demands it for rel).
  std::map<std::string, std::string> params;

  bool has_rel(std::string_view rel) const;
};

// One field value holding one or more comma-separated link-values.  Commas
// and semicolons inside <...> and quoted strings are data; empty list
// elements are skipped as the #rule allows.  A malformed element fails the
// whole value with its byte offset in the reason.
Result<std::vector<Link>> parse_link_header(std::string_view value);

// Several Link fields of one response, in order (their concatenation).
Result<std::vector<Link>> parse_link_headers(const std::vector<std::string>& values);

// The links carrying relation `rel` (compared case-insensitively).
std::vector<Link> find_links(const std::vector<Link>& links, std::string_view rel);

// Each link's target resolved against `base` (the request URL) per RFC 3986
// §5.2; the first unresolvable target fails the whole call.
Result<std::vector<Link>> resolve_links(std::vector<Link> links, std::string_view base);

}  // namespace acmespec::http
