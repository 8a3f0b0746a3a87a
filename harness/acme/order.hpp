// Order objects (RFC 8555 §7.1.3) and the orders list (§7.1.2.1).
//
// Required: status, identifiers, authorizations, finalize.  "expires" is
// required by the RFC only for pending and valid orders and "certificate"
// only for valid ones; such conditional rules are left to checks.  "profile"
// comes from the ACME profiles extension and is typed when present.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/identifier.hpp"
#include "acme/problem.hpp"
#include "acme/status.hpp"
#include "acme/timestamp.hpp"
#include "common/result.hpp"

namespace acmespec::acme {

struct Order {
  OrderStatus status = OrderStatus::pending;
  std::optional<Timestamp> expires;
  std::vector<Identifier> identifiers;
  std::optional<Timestamp> not_before;
  std::optional<Timestamp> not_after;
  std::optional<Problem> error;
  std::vector<std::string> authorizations;
  std::string finalize;
  std::optional<std::string> certificate;
  std::optional<std::string> profile;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  static Result<Order> parse(const nlohmann::json& j, const std::string& path = "order");
  static Result<Order> parse_body(std::string_view body, const std::string& path = "order");
  nlohmann::json to_json() const;

  bool operator==(const Order& o) const {
    return status == o.status && expires == o.expires && identifiers == o.identifiers &&
           not_before == o.not_before && not_after == o.not_after && error == o.error &&
           authorizations == o.authorizations && finalize == o.finalize && certificate == o.certificate &&
           profile == o.profile && extra == o.extra;
  }
};

// The object behind an account's "orders" URL; further pages arrive through
// Link rel="next" headers, which are not part of the JSON.
struct OrdersList {
  std::vector<std::string> orders;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  static Result<OrdersList> parse(const nlohmann::json& j, const std::string& path = "orders");
  static Result<OrdersList> parse_body(std::string_view body, const std::string& path = "orders");
  nlohmann::json to_json() const;

  bool operator==(const OrdersList& o) const { return orders == o.orders && extra == o.extra; }
};

}  // namespace acmespec::acme
