#include "acme/account.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {

Result<Account> Account::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Account a;
  a.raw = j;

  auto status = fields::required_string(j, "status", path);
  if (!status) return status.error();
  const auto parsed_status = parse_account_status(*status);
  if (!parsed_status) return make_error(json_path(path, "status"), "unknown account status \"" + *status + "\"");
  a.status = *parsed_status;

  auto contact = fields::optional_string_array(j, "contact", path);
  if (!contact) return contact.error();
  a.contact = std::move(*contact);

  auto tos = fields::optional_bool(j, "termsOfServiceAgreed", path);
  if (!tos) return tos.error();
  a.terms_of_service_agreed = *tos;

  // A JWS in flattened JSON form (RFC 8555 §7.3.4) is an object; its
  // contents are the jose component's business.
  if (auto eab = fields::optional_any(j, "externalAccountBinding")) {
    if (!eab->is_object()) return make_error(json_path(path, "externalAccountBinding"), "not an object");
    a.external_account_binding = std::move(*eab);
  }

  auto orders = fields::optional_string(j, "orders", path);
  if (!orders) return orders.error();
  a.orders = std::move(*orders);

  if (auto key = fields::optional_any(j, "key")) {
    if (!key->is_object()) return make_error(json_path(path, "key"), "not an object");
    a.key = std::move(*key);
  }

  a.extra = fields::unknown_members(
      j, {"status", "contact", "termsOfServiceAgreed", "externalAccountBinding", "orders", "key"});
  return a;
}

Result<Account> Account::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<Account>(body, path);
}

nlohmann::json Account::to_json() const {
  nlohmann::json out = {{"status", std::string(to_string(status))}};
  fields::put_optional(out, "contact", contact);
  fields::put_optional(out, "termsOfServiceAgreed", terms_of_service_agreed);
  fields::put_optional(out, "externalAccountBinding", external_account_binding);
  fields::put_optional(out, "orders", orders);
  fields::put_optional(out, "key", key);
  fields::merge_unknown(out, extra);
  return out;
}

}  // namespace acmespec::acme
