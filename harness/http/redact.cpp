#include "http/redact.hpp"

#include <array>

#include "common/json.hpp"
#include "http/base64.hpp"
#include "jose/base64url.hpp"

namespace acmespec::http {
namespace {

constexpr std::array<const char*, 7> kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth"};
constexpr std::size_t kMaxNestedJsonBytes = 16u << 20;
constexpr int kMaxNesting = 8;  // JSON-in-string-in-JSON levels worth unpacking

std::string redacted() { return std::string(kRedacted); }

Result<nlohmann::json> parse_lenient(std::string_view text) {
  JsonLimits limits;
  limits.max_bytes = kMaxNestedJsonBytes;
  limits.reject_duplicate_keys = false;  // a duplicate must not hide a secret from us
  return parse_json(text, limits);
}

bool looks_like_json_container(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (s[first] == '{' || s[first] == '[');
}

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool redact_value(nlohmann::json& v, int nesting);

bool redact_string(nlohmann::json& v, int nesting) {
  const std::string& s = v.get_ref<const std::string&>();
  bool changed = false;
  std::string out = redact_pem(s, &changed);
  if (nesting < kMaxNesting && looks_like_json_container(out)) {
    if (auto inner = parse_lenient(out); inner && redact_value(*inner, nesting + 1)) {
      out = dump(*inner);
      changed = true;
    }
  }
  if (changed) v = std::move(out);
  return changed;
}

// A flattened JWS carries its payload base64url-encoded; a secret inside it
// would survive every other rule, so the decoded payload is inspected and the
// encoded one dropped when it holds one.
bool redact_jws_payload(nlohmann::json& obj, int nesting) {
  auto it = obj.find("payload");
  if (it == obj.end() || !it->is_string() || !obj.contains("protected") || !obj.contains("signature")) {
    return false;
  }
  const auto decoded = jose::base64url_decode(it->get_ref<const std::string&>());
  if (!decoded) return false;
  bool secret = false;
  redact_pem(*decoded, &secret);
  if (!secret && nesting < kMaxNesting && looks_like_json_container(*decoded)) {
    if (auto inner = parse_lenient(*decoded)) secret = redact_value(*inner, nesting + 1);
  }
  if (secret) *it = redacted();
  return secret;
}

bool redact_object(nlohmann::json& obj, int nesting) {
  bool changed = false;
  const bool jwk_like = obj.contains("kty") ||
                        (obj.contains("d") && (obj.contains("crv") || obj.contains("x") ||
                                               obj.contains("n") || obj.contains("e")));
  if (jwk_like) {
    for (const char* member : kPrivateMembers) {
      auto it = obj.find(member);
      if (it != obj.end() && *it != redacted()) {
        *it = redacted();
        changed = true;
      }
    }
    const auto kty = obj.find("kty");
    const auto k = obj.find("k");
    if (kty != obj.end() && *kty == "oct" && k != obj.end() && *k != redacted()) {
      *k = redacted();
      changed = true;
    }
  }
  changed = redact_jws_payload(obj, nesting) || changed;
  for (auto it = obj.begin(); it != obj.end(); ++it) changed = redact_value(*it, nesting) || changed;
  return changed;
}

bool redact_value(nlohmann::json& v, int nesting) {
  if (v.is_object()) return redact_object(v, nesting);
  if (v.is_string()) return redact_string(v, nesting);
  bool changed = false;
  if (v.is_array()) {
    for (auto& e : v) changed = redact_value(e, nesting) || changed;
  }
  return changed;
}

// Text that mentions a JWK and one of its private member names as JSON keys.
bool mentions_private_jwk(std::string_view text) {
  if (text.find("\"kty\"") == std::string_view::npos) return false;
  for (const char* member : kPrivateMembers) {
    if (text.find("\"" + std::string(member) + "\"") != std::string_view::npos) return true;
  }
  return text.find("\"k\"") != std::string_view::npos;
}

}  // namespace

bool redact_json(nlohmann::json& value) { return redact_value(value, 0); }

std::string redact_pem(std::string_view text, bool* changed) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  static constexpr std::string_view kDashes = "-----";
  static constexpr std::string_view kSuffix = "PRIVATE KEY";
  std::string out;
  std::size_t pos = 0;
  bool any = false;
  while (true) {
    const auto begin = text.find(kBegin, pos);
    if (begin == std::string_view::npos) break;
    const auto label_start = begin + kBegin.size();
    const auto label_end = text.find(kDashes, label_start);
    if (label_end == std::string_view::npos) break;
    const std::string_view label = text.substr(label_start, label_end - label_start);
    if (!label.ends_with(kSuffix) || label.find('\n') != std::string_view::npos) {
      out.append(text.substr(pos, label_start - pos));
      pos = label_start;
      continue;
    }
    const std::string end_marker = "-----END " + std::string(label) + "-----";
    const auto end = text.find(end_marker, label_end + kDashes.size());
    out.append(text.substr(pos, begin - pos));
    out += "<redacted " + std::string(label) + ">";
    any = true;
    if (end == std::string_view::npos) {
      pos = text.size();
      break;
    }
    pos = end + end_marker.size();
  }
  out.append(text.substr(pos));
  if (changed != nullptr) *changed = any;
  return out;
}

RedactedText redact_text(std::string_view text) {
  RedactedText result;
  if (looks_like_json_container(text)) {
    if (auto doc = parse_lenient(text)) {
      if (redact_json(*doc)) {
        result.text = dump(*doc);
        result.changed = true;
        return result;
      }
    } else if (mentions_private_jwk(text)) {
      result.text = "<redacted: unparsable JSON naming private JWK members>";
      result.changed = true;
      return result;
    }
  }
  result.text = redact_pem(text, &result.changed);
  return result;
}

bool is_secret_header(std::string_view name) {
  return iequals(name, "Authorization") || iequals(name, "Proxy-Authorization") ||
         iequals(name, "Cookie") || iequals(name, "Set-Cookie");
}

Headers redact_headers(const Headers& headers) {
  Headers out = headers;
  for (auto& [name, value] : out) {
    if (is_secret_header(name)) value = redacted();
  }
  return out;
}

}  // namespace acmespec::http
