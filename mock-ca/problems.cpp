// Replies, problem documents and the input rules shared by several handlers
// (contacts, Punycode labels).
#include <cctype>

#include "acme/identifier.hpp"
#include "mock-ca/state.hpp"

namespace acmespec::mockca::detail {

namespace {
// Client bytes (paths, names, kids) reach details and echoes; invalid UTF-8 is
// replaced rather than thrown on.
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

Reply json_reply(int status, const nlohmann::json& body) {
  Reply r;
  r.status = status;
  r.body = dump(body);
  r.content_type = "application/json";
  if (body.is_object() && body.contains("status") && body["status"].is_string())
    r.resource_status = body["status"].get<std::string>();
  if (body.is_object() && body.contains("token") && body["token"].is_string())
    r.token = body["token"].get<std::string>().substr(0, 256);
  return r;
}

std::string short_type(const acme::Problem& problem) {
  const std::string t = problem.effective_type();
  const std::string prefix(acme::error::kPrefix);
  return t.rfind(prefix, 0) == 0 ? t.substr(prefix.size()) : t;
}

Reply problem_reply(const acme::Problem& problem) {
  Reply r;
  r.status = problem.status.value_or(400);
  r.body = dump(problem.to_json());
  r.content_type = "application/problem+json";
  r.problem_type = short_type(problem);
  return r;
}

namespace {

bool plausible_mailbox(std::string_view addr) {
  const auto at = addr.find('@');
  if (at == std::string_view::npos || at == 0 || addr.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : addr.substr(0, at)) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ',' || c == '<' || c == '>' || c == '(' || c == ')' || c == '"' ||
        c == ';' || c == ':' || c == '\\' || c == '[' || c == ']')
      return false;
  }
  const auto domain = addr.substr(at + 1);
  return !domain.empty() && domain.find('.') != std::string_view::npos &&
         acme::is_plausible_dns_name(domain, false);
}

}  // namespace

std::optional<acme::Problem> check_contacts(const nlohmann::json& contact) {
  constexpr std::size_t kMaxContacts = 10;
  if (!contact.is_array()) return acme::Problem::malformed("contact: not an array");
  if (contact.size() > kMaxContacts)
    return acme::Problem::invalid_contact("contact: at most " + std::to_string(kMaxContacts) + " entries");
  for (std::size_t i = 0; i < contact.size(); ++i) {
    const std::string where = "contact[" + std::to_string(i) + "]";
    if (!contact[i].is_string()) return acme::Problem::malformed(where + ": not a string");
    const auto c = contact[i].get<std::string>();
    const auto colon = c.find(':');
    std::string scheme = colon == std::string::npos ? "" : c.substr(0, colon);
    for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (scheme != "mailto")
      return acme::Problem::unsupported_contact(where + ": only mailto: contacts are supported, got \"" +
                                                c.substr(0, 100) + "\"");
    const std::string addr = c.substr(colon + 1);
    // hfields (?subject=...) and several addresses are not contact addresses.
    if (addr.find('?') != std::string::npos || addr.find(',') != std::string::npos || !plausible_mailbox(addr))
      return acme::Problem::invalid_contact(where + ": \"" + c.substr(0, 100) + "\" is not a single email address");
  }
  return std::nullopt;
}

bool valid_punycode_label(std::string_view label) {
  // RFC 3492 §6.2 decoding, only to learn whether it succeeds.
  if (label.size() < 5) return false;
  std::string_view input = label.substr(4);
  constexpr std::uint32_t base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
  std::uint32_t n = 128, i = 0, bias = 72;
  std::size_t out_len = 0;
  const auto delim = input.rfind('-');
  std::size_t pos = 0;
  if (delim != std::string_view::npos) {
    for (char c : input.substr(0, delim))
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    out_len = delim;
    pos = delim + 1;
  }
  if (pos >= input.size()) return false;  // nothing encoded: not a real A-label
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0' + 26;
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= 'A' && c <= 'Z') return c - 'A';
    return -1;
  };
  bool any_non_ascii = false;
  while (pos < input.size()) {
    const std::uint32_t old_i = i;
    std::uint32_t w = 1;
    for (std::uint32_t k = base;; k += base) {
      if (pos >= input.size()) return false;  // unterminated
      const int d = digit(input[pos++]);
      if (d < 0) return false;
      if (static_cast<std::uint64_t>(d) * w > 0x7fffffffu - i) return false;
      i += static_cast<std::uint32_t>(d) * w;
      const std::uint32_t t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
      if (static_cast<std::uint32_t>(d) < t) break;
      if (w > 0x7fffffffu / (base - t)) return false;
      w *= base - t;
    }
    ++out_len;
    std::uint32_t delta = old_i == 0 ? (i - old_i) / damp : (i - old_i) / 2;
    delta += delta / static_cast<std::uint32_t>(out_len);
    std::uint32_t k = 0;
    while (delta > ((base - tmin) * tmax) / 2) {
      delta /= base - tmin;
      k += base;
    }
    bias = k + (base - tmin + 1) * delta / (delta + skew);
    if (i / out_len > 0x10ffff - n) return false;
    n += i / static_cast<std::uint32_t>(out_len);
    i %= static_cast<std::uint32_t>(out_len);
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return false;
    any_non_ascii = true;
    ++i;
  }
  return any_non_ascii;
}

}  // namespace acmespec::mockca::detail
