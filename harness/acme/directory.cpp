#include "acme/directory.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {

Result<DirectoryMeta> DirectoryMeta::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  DirectoryMeta m;
  m.raw = j;
  for (auto [key, slot] : {std::pair{"termsOfService", &m.terms_of_service}, std::pair{"website", &m.website}}) {
    auto v = fields::optional_string(j, key, path);
    if (!v) return v.error();
    *slot = std::move(*v);
  }
  auto caa = fields::optional_string_array(j, "caaIdentities", path);
  if (!caa) return caa.error();
  m.caa_identities = std::move(*caa);
  auto eab = fields::optional_bool(j, "externalAccountRequired", path);
  if (!eab) return eab.error();
  m.external_account_required = *eab;

  if (const auto* profiles = fields::find(j, "profiles")) {
    const auto where = json_path(path, "profiles");
    if (!profiles->is_object()) return make_error(where, "not an object");
    std::map<std::string, std::string> out;
    for (auto it = profiles->begin(); it != profiles->end(); ++it) {
      if (!it.value().is_string()) return make_error(json_path(where, it.key()), "not a string");
      out.emplace(it.key(), it.value().get<std::string>());
    }
    m.profiles = std::move(out);
  }
  m.extra = fields::unknown_members(
      j, {"termsOfService", "website", "caaIdentities", "externalAccountRequired", "profiles"});
  return m;
}

nlohmann::json DirectoryMeta::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  fields::put_optional(out, "termsOfService", terms_of_service);
  fields::put_optional(out, "website", website);
  fields::put_optional(out, "caaIdentities", caa_identities);
  fields::put_optional(out, "externalAccountRequired", external_account_required);
  fields::put_optional(out, "profiles", profiles);
  fields::merge_unknown(out, extra);
  return out;
}

std::optional<std::string> Directory::url_for(std::string_view member) const {
  const std::pair<std::string_view, const std::optional<std::string>*> optional_members[] = {
      {"newAuthz", &new_authz}, {"revokeCert", &revoke_cert}, {"keyChange", &key_change}};
  if (member == "newNonce") return new_nonce;
  if (member == "newAccount") return new_account;
  if (member == "newOrder") return new_order;
  for (const auto& [name, slot] : optional_members) {
    if (member == name) return *slot;
  }
  if (const auto* v = fields::find(extra, member); v && v->is_string()) return v->get<std::string>();
  return std::nullopt;
}

std::vector<std::string> Directory::missing_resources() const {
  std::vector<std::string> out;
  if (!revoke_cert) out.emplace_back("revokeCert");
  if (!key_change) out.emplace_back("keyChange");
  return out;
}

Result<Directory> Directory::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Directory d;
  d.raw = j;
  for (auto [key, slot] : {std::pair{"newNonce", &d.new_nonce}, std::pair{"newAccount", &d.new_account},
                           std::pair{"newOrder", &d.new_order}}) {
    auto v = fields::required_string(j, key, path);
    if (!v) return v.error();
    *slot = std::move(*v);
  }
  for (auto [key, slot] : {std::pair{"newAuthz", &d.new_authz}, std::pair{"revokeCert", &d.revoke_cert},
                           std::pair{"keyChange", &d.key_change}}) {
    auto v = fields::optional_string(j, key, path);
    if (!v) return v.error();
    *slot = std::move(*v);
  }
  if (const auto* meta = fields::find(j, "meta")) {
    auto m = DirectoryMeta::parse(*meta, json_path(path, "meta"));
    if (!m) return m.error();
    d.meta = std::move(*m);
  }
  d.extra = fields::unknown_members(
      j, {"newNonce", "newAccount", "newOrder", "newAuthz", "revokeCert", "keyChange", "meta"});
  return d;
}

Result<Directory> Directory::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<Directory>(body, path);
}

nlohmann::json Directory::to_json() const {
  nlohmann::json out = {{"newNonce", new_nonce}, {"newAccount", new_account}, {"newOrder", new_order}};
  fields::put_optional(out, "newAuthz", new_authz);
  fields::put_optional(out, "revokeCert", revoke_cert);
  fields::put_optional(out, "keyChange", key_change);
  if (meta) out["meta"] = meta->to_json();
  fields::merge_unknown(out, extra);
  return out;
}

}  // namespace acmespec::acme
