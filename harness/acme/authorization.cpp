#include "acme/authorization.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {

const Challenge* Authorization::find_challenge(std::string_view type) const {
  for (const auto& c : challenges) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

Result<Authorization> Authorization::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Authorization a;
  a.raw = j;

  const auto* id = fields::find(j, "identifier");
  if (!id) return make_error(json_path(path, "identifier"), "missing required member");
  auto identifier = Identifier::parse(*id, json_path(path, "identifier"));
  if (!identifier) return identifier.error();
  a.identifier = std::move(*identifier);

  auto status = fields::required_string(j, "status", path);
  if (!status) return status.error();
  const auto parsed_status = parse_authorization_status(*status);
  if (!parsed_status) {
    return make_error(json_path(path, "status"), "unknown authorization status \"" + *status + "\"");
  }
  a.status = *parsed_status;

  auto expires = fields::optional_timestamp(j, "expires", path);
  if (!expires) return expires.error();
  a.expires = *expires;

  const auto* challenges = fields::find(j, "challenges");
  const auto where = json_path(path, "challenges");
  if (!challenges) return make_error(where, "missing required member");
  if (!challenges->is_array()) return make_error(where, "not an array");
  for (std::size_t i = 0; i < challenges->size(); ++i) {
    auto c = Challenge::parse((*challenges)[i], json_index(where, i));
    if (!c) return c.error();
    a.challenges.push_back(std::move(*c));
  }

  auto wildcard = fields::optional_bool(j, "wildcard", path);
  if (!wildcard) return wildcard.error();
  a.wildcard = *wildcard;

  a.extra = fields::unknown_members(j, {"identifier", "status", "expires", "challenges", "wildcard"});
  return a;
}

Result<Authorization> Authorization::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<Authorization>(body, path);
}

nlohmann::json Authorization::to_json() const {
  nlohmann::json out = {{"identifier", identifier.to_json()}, {"status", std::string(to_string(status))}};
  fields::put_optional(out, "expires", expires);
  auto& arr = out["challenges"] = nlohmann::json::array();
  for (const auto& c : challenges) arr.push_back(c.to_json());
  fields::put_optional(out, "wildcard", wildcard);
  fields::merge_unknown(out, extra);
  return out;
}

}  // namespace acmespec::acme
