#include "acme/order.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {

Result<Order> Order::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Order o;
  o.raw = j;

  auto status = fields::required_string(j, "status", path);
  if (!status) return status.error();
  const auto parsed_status = parse_order_status(*status);
  if (!parsed_status) return make_error(json_path(path, "status"), "unknown order status \"" + *status + "\"");
  o.status = *parsed_status;

  for (auto [key, slot] : {std::pair{"expires", &o.expires}, std::pair{"notBefore", &o.not_before},
                           std::pair{"notAfter", &o.not_after}}) {
    auto t = fields::optional_timestamp(j, key, path);
    if (!t) return t.error();
    *slot = *t;
  }

  const auto ids_path = json_path(path, "identifiers");
  const auto* ids = fields::find(j, "identifiers");
  if (!ids) return make_error(ids_path, "missing required member");
  if (!ids->is_array()) return make_error(ids_path, "not an array");
  for (std::size_t i = 0; i < ids->size(); ++i) {
    auto id = Identifier::parse((*ids)[i], json_index(ids_path, i));
    if (!id) return id.error();
    o.identifiers.push_back(std::move(*id));
  }

  if (const auto* err = fields::find(j, "error")) {
    auto p = Problem::parse(*err, json_path(path, "error"));
    if (!p) return p.error();
    o.error = std::move(*p);
  }

  auto authzs = fields::required_string_array(j, "authorizations", path);
  if (!authzs) return authzs.error();
  o.authorizations = std::move(*authzs);

  auto finalize = fields::required_string(j, "finalize", path);
  if (!finalize) return finalize.error();
  o.finalize = std::move(*finalize);

  for (auto [key, slot] : {std::pair{"certificate", &o.certificate}, std::pair{"profile", &o.profile}}) {
    auto v = fields::optional_string(j, key, path);
    if (!v) return v.error();
    *slot = std::move(*v);
  }

  o.extra = fields::unknown_members(j, {"status", "expires", "identifiers", "notBefore", "notAfter", "error",
                                        "authorizations", "finalize", "certificate", "profile"});
  return o;
}

Result<Order> Order::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<Order>(body, path);
}

nlohmann::json Order::to_json() const {
  nlohmann::json out = {{"status", std::string(to_string(status))}};
  fields::put_optional(out, "expires", expires);
  auto& ids = out["identifiers"] = nlohmann::json::array();
  for (const auto& id : identifiers) ids.push_back(id.to_json());
  fields::put_optional(out, "notBefore", not_before);
  fields::put_optional(out, "notAfter", not_after);
  if (error) out["error"] = error->to_json();
  out["authorizations"] = authorizations;
  out["finalize"] = finalize;
  fields::put_optional(out, "certificate", certificate);
  fields::put_optional(out, "profile", profile);
  fields::merge_unknown(out, extra);
  return out;
}

Result<OrdersList> OrdersList::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  OrdersList l;
  l.raw = j;
  auto orders = fields::required_string_array(j, "orders", path);
  if (!orders) return orders.error();
  l.orders = std::move(*orders);
  l.extra = fields::unknown_members(j, {"orders"});
  return l;
}

Result<OrdersList> OrdersList::parse_body(std::string_view body, const std::string& path) {
  return fields::parse_body<OrdersList>(body, path);
}

nlohmann::json OrdersList::to_json() const {
  nlohmann::json out = {{"orders", orders}};
  fields::merge_unknown(out, extra);
  return out;
}

}  // namespace acmespec::acme
