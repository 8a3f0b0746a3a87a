// acmespec::acme -- typed RFC 8555 resources.
//
// Every resource type offers
//   static Result<T> T::parse(const nlohmann::json&, const std::string& path)
//   static Result<T> T::parse_body(std::string_view body, path)  (bounded JSON)
//   nlohmann::json   T::to_json() const        (absent optionals omitted)
//   bool operator==                             (semantic: typed members and
//                                                unknown members, not `raw`)
// and keeps `raw` (the JSON as received, for evidence) and `extra` (members
// it does not model, re-emitted by to_json so parse(to_json(x)) == x).
// Errors carry the JSON path of the offending member, e.g.
// "order.authorizations[2]: not a string".
#pragma once

#include "acme/account.hpp"        // Account
#include "acme/authorization.hpp"  // Authorization
#include "acme/challenge.hpp"      // Challenge, ChallengeKind, token_problem
#include "acme/directory.hpp"      // Directory, DirectoryMeta
#include "acme/identifier.hpp"     // Identifier, dns_name_problem, canonicalize_ip
#include "acme/order.hpp"          // Order, OrdersList
#include "acme/problem.hpp"        // Problem, Subproblem, error::k*, is_acme_error
#include "acme/status.hpp"         // status enums, transition table (§7.1.6)
#include "acme/timestamp.hpp"      // Timestamp (RFC 3339)
