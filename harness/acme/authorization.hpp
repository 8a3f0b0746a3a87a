// Authorization objects (RFC 8555 §7.1.4).
//
// Required: identifier, status, challenges.  "expires" is required by the
// RFC only for valid authorizations and "wildcard" only for wildcard ones;
// those conditional rules are checks, so both parse as optional.  An
// identifier value starting with "*." parses too (the RFC wants the bare
// domain plus wildcard:true; flagging that is likewise a check).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/challenge.hpp"
#include "acme/identifier.hpp"
#include "acme/status.hpp"
#include "acme/timestamp.hpp"
#include "common/result.hpp"

namespace acmespec::acme {

struct Authorization {
  Identifier identifier;
  AuthorizationStatus status = AuthorizationStatus::pending;
  std::optional<Timestamp> expires;
  std::vector<Challenge> challenges;
  std::optional<bool> wildcard;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  // The first challenge of `type`, or nullptr.
  const Challenge* find_challenge(std::string_view type) const;

  static Result<Authorization> parse(const nlohmann::json& j, const std::string& path = "authorization");
  static Result<Authorization> parse_body(std::string_view body, const std::string& path = "authorization");
  nlohmann::json to_json() const;

  bool operator==(const Authorization& o) const {
    return identifier == o.identifier && status == o.status && expires == o.expires &&
           challenges == o.challenges && wildcard == o.wildcard && extra == o.extra;
  }
};

}  // namespace acmespec::acme
