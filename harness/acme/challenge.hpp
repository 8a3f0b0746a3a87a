// Challenge objects (RFC 8555 §7.1.5, §8; RFC 8737 for tls-alpn-01).
//
// A challenge of a type this harness does not know is parsed, not refused:
// its common members (type, url, status, validated, error) are typed and
// everything else stays in `extra`, so a server offering e.g. dns-account-01
// is judged on the rest of its response.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "acme/problem.hpp"
#include "acme/status.hpp"
#include "acme/timestamp.hpp"
#include "common/result.hpp"

namespace acmespec::acme {

enum class ChallengeKind { http_01, dns_01, tls_alpn_01, unknown };
ChallengeKind challenge_kind(std::string_view type);
// True for the types whose object carries a "token" (§8.3, §8.4, RFC 8737).
bool challenge_uses_token(std::string_view type);

// Why `token` breaks §8.3's rules (base64url alphabet, no padding, at least
// 128 bits of entropy -- at least 22 characters), or nullopt.  Parsing does
// not apply this: a bad token is a check's finding, not an unreadable object.
std::optional<std::string> token_problem(std::string_view token);

struct Challenge {
  std::string type;
  std::string url;
  ChallengeStatus status = ChallengeStatus::pending;
  std::optional<Timestamp> validated;
  std::optional<Problem> error;
  // Required for the token-based types; for unknown types taken when it is
  // a string, else left in `extra`.
  std::optional<std::string> token;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  ChallengeKind kind() const { return challenge_kind(type); }

  static Result<Challenge> parse(const nlohmann::json& j, const std::string& path = "challenge");
  static Result<Challenge> parse_body(std::string_view body, const std::string& path = "challenge");
  nlohmann::json to_json() const;

  bool operator==(const Challenge& o) const {
    return type == o.type && url == o.url && status == o.status && validated == o.validated &&
           error == o.error && token == o.token && extra == o.extra;
  }
};

}  // namespace acmespec::acme
