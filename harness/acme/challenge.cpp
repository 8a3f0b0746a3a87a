#include "acme/challenge.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {

ChallengeKind challenge_kind(std::string_view type) {
  if (type == "http-01") return ChallengeKind::http_01;
  if (type == "dns-01") return ChallengeKind::dns_01;
  if (type == "tls-alpn-01") return ChallengeKind::tls_alpn_01;
  return ChallengeKind::unknown;
}

bool challenge_uses_token(std::string_view type) { return challenge_kind(type) != ChallengeKind::unknown; }

std::optional<std::string> token_problem(std::string_view token) {
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_';
    if (c == '=') return "token carries base64 padding";
    if (!ok) return "token has a character outside the base64url alphabet";
  }
  // 22 base64url characters carry 132 bits, the fewest that hold 128.
  if (token.size() < 22) return "token shorter than 22 characters (under 128 bits)";
  return std::nullopt;
}

Result<Challenge> Challenge::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Challenge c;
  c.raw = j;
  auto type = fields::required_string(j, "type", path);
  if (!type) return type.error();
  c.type = std::move(*type);
  auto url = fields::required_string(j, "url", path);
  if (!url) return url.error();
  c.url = std::move(*url);
  auto status = fields::required_string(j, "status", path);
  if (!status) return status.error();
  const auto parsed_status = parse_challenge_status(*status);
  if (!parsed_status) {
    return make_error(json_path(path, "status"), "unknown challenge status \"" + *status + "\"");
  }
  c.status = *parsed_status;
  auto validated = fields::optional_timestamp(j, "validated", path);
  if (!validated) return validated.error();
  c.validated = *validated;
  if (const auto* err = fields::find(j, "error")) {
    auto p = Problem::parse(*err, json_path(path, "error"));
    if (!p) return p.error();
    c.error = std::move(*p);
  }
  if (challenge_uses_token(c.type)) {
    auto token = fields::required_string(j, "token", path);
    if (!token) return token.error();
    c.token = std::move(*token);
    c.extra = fields::unknown_members(j, {"type", "url", "status", "validated", "error", "token"});
  } else if (const auto* token = fields::find(j, "token"); token && token->is_string()) {
    // Typed when it has the usual shape, so that a round trip of an object
    // built in code (the mock CA offering an experimental type) is stable.
    c.token = token->get<std::string>();
    c.extra = fields::unknown_members(j, {"type", "url", "status", "validated", "error", "token"});
  } else {
    c.extra = fields::unknown_members(j, {"type", "url", "status", "validated", "error"});
  }
  return c;
}

Result<Challenge> Challenge::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<Challenge>(body, path);
}

nlohmann::json Challenge::to_json() const {
  nlohmann::json out = {{"type", type}, {"url", url}, {"status", std::string(to_string(status))}};
  fields::put_optional(out, "validated", validated);
  if (error) out["error"] = error->to_json();
  fields::put_optional(out, "token", token);
  fields::merge_unknown(out, extra);
  return out;
}

}  // namespace acmespec::acme
