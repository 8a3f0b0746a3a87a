#include "http/link.hpp"

#include <algorithm>

#include "http/ascii.hpp"
#include "http/url.hpp"

namespace acmespec::http {
namespace {

bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool is_ows(char c) { return c == ' ' || c == '\t'; }


class LinkParser {
 public:
  explicit LinkParser(std::string_view in) : in_(in) {}

  Result<std::vector<Link>> parse() {
    std::vector<Link> links;
    while (true) {
      skip_ows();
      if (at_end()) break;
      if (peek() == ',') {  // empty list element
        ++pos_;
        continue;
      }
      auto link = parse_link_value();
      if (!link) return link.error();
      links.push_back(std::move(*link));
      skip_ows();
      if (at_end()) break;
      if (peek() != ',') return fail("expected ',' or end after a link-value");
      ++pos_;
    }
    return links;
  }

 private:
  bool at_end() const { return pos_ >= in_.size(); }
  char peek() const { return in_[pos_]; }
  void skip_ows() {
    while (!at_end() && is_ows(peek())) ++pos_;
  }
  Error fail(const std::string& why) const {
    return make_error("Link", why + " at offset " + std::to_string(pos_));
  }

  Result<Link> parse_link_value() {
    if (peek() != '<') return fail("expected '<' starting a link target");
    const auto close = in_.find('>', pos_ + 1);
    if (close == std::string_view::npos) return fail("unterminated '<' in link target");
    Link link;
    link.uri = std::string(in_.substr(pos_ + 1, close - pos_ - 1));
    for (char c : link.uri) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '"') {
        return fail("link target contains a character not allowed in a URI");
      }
    }
    pos_ = close + 1;
    bool seen_rel = false;
    while (true) {
      skip_ows();
      if (at_end() || peek() == ',') break;
      if (peek() != ';') return fail("expected ';' before a link parameter");
      ++pos_;
      skip_ows();
      if (at_end() || peek() == ',') break;  // a trailing ';' is harmless
      auto name = parse_token();
      if (name.empty()) return fail("expected a parameter name");
      const std::string key = ascii_lower(name);
      skip_ows();
      std::string value;
      if (!at_end() && peek() == '=') {
        ++pos_;
        skip_ows();
        auto v = parse_value();
        if (!v) return v.error();
        value = std::move(*v);
      }
      if (key == "rel") {
        if (seen_rel) continue;  // §3.3: later occurrences are ignored
        seen_rel = true;
        split_rels(value, link.rels);
      }
      link.params.emplace(key, std::move(value));  // emplace keeps the first
    }
    return link;
  }

  std::string parse_token() {
    const auto start = pos_;
    while (!at_end() && is_tchar(peek())) ++pos_;
    return std::string(in_.substr(start, pos_ - start));
  }

  Result<std::string> parse_value() {
    if (at_end()) return fail("expected a parameter value after '='");
    if (peek() != '"') {
      auto token = parse_token();
      if (token.empty()) return fail("expected a token or quoted-string parameter value");
      return token;
    }
    ++pos_;
    std::string out;
    while (!at_end()) {
      const char c = peek();
      ++pos_;
      if (c == '"') return out;
      if (c == '\\') {
        if (at_end()) break;
        out += peek();
        ++pos_;
        continue;
      }
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return fail("control character inside a quoted string");
      }
      out += c;
    }
    return fail("unterminated quoted string");
  }

  static void split_rels(std::string_view value, std::vector<std::string>& rels) {
    std::size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && is_ows(value[i])) ++i;
      const auto start = i;
      while (i < value.size() && !is_ows(value[i])) ++i;
      if (i > start) rels.push_back(ascii_lower(value.substr(start, i - start)));
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

bool Link::has_rel(std::string_view rel) const {
  const std::string wanted = ascii_lower(rel);
  return std::find(rels.begin(), rels.end(), wanted) != rels.end();
}

Result<std::vector<Link>> parse_link_header(std::string_view value) { return LinkParser(value).parse(); }

Result<std::vector<Link>> parse_link_headers(const std::vector<std::string>& values) {
  std::vector<Link> all;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto links = parse_link_header(values[i]);
    if (!links) return make_error("Link[" + std::to_string(i) + "]", links.error().reason);
    all.insert(all.end(), links->begin(), links->end());
  }
  return all;
}

std::vector<Link> find_links(const std::vector<Link>& links, std::string_view rel) {
  std::vector<Link> out;
  for (const auto& link : links) {
    if (link.has_rel(rel)) out.push_back(link);
  }
  return out;
}

Result<std::vector<Link>> resolve_links(std::vector<Link> links, std::string_view base) {
  for (std::size_t i = 0; i < links.size(); ++i) {
    auto resolved = resolve_reference(base, links[i].uri);
    if (!resolved) return resolved.error().nested("Link[" + std::to_string(i) + "]");
    links[i].uri = std::move(*resolved);
  }
  return links;
}

}  // namespace acmespec::http
