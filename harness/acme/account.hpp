// Account objects (RFC 8555 §7.1.2) as a server returns them.
//
// Required: status.  RFC 8555 also marks "orders" required, but deployed
// servers omit it; refusing the whole object would hide every other finding,
// so it parses as optional and a check reports its absence.  "key" is not
// an RFC 8555 account member but servers commonly echo the account JWK; it
// and "externalAccountBinding" are kept as raw JSON (JOSE types belong to
// the jose component; callers convert when they need to).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/status.hpp"
#include "common/result.hpp"

namespace acmespec::acme {

struct Account {
  AccountStatus status = AccountStatus::valid;
  std::optional<std::vector<std::string>> contact;  // absent and [] differ on the wire
  std::optional<bool> terms_of_service_agreed;
  std::optional<nlohmann::json> external_account_binding;
  std::optional<std::string> orders;
  std::optional<nlohmann::json> key;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  static Result<Account> parse(const nlohmann::json& j, const std::string& path = "account");
  static Result<Account> parse_body(std::string_view body, const std::string& path = "account");
  nlohmann::json to_json() const;

  bool operator==(const Account& o) const {
    return status == o.status && contact == o.contact && terms_of_service_agreed == o.terms_of_service_agreed &&
           external_account_binding == o.external_account_binding && orders == o.orders && key == o.key &&
           extra == o.extra;
  }
};

}  // namespace acmespec::acme
