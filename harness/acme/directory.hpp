// The directory object (RFC 8555 §7.1.1).
//
// Required: newNonce, newAccount, newOrder -- without them no ACME exchange
// can start.  revokeCert and keyChange parse as optional so that a server
// lacking them is reported as not offering the feature (a skip) rather than
// as an unreadable directory; missing_resources() lists what §7.1.1 expects
// but is absent.  newAuthz is optional by the RFC (pre-authorization).
// Members this type does not model (renewalInfo from ARI, vendor URLs) stay
// in `extra`; url_for() finds either kind by name.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::acme {

struct DirectoryMeta {
  std::optional<std::string> terms_of_service;
  std::optional<std::string> website;
  std::optional<std::vector<std::string>> caa_identities;
  std::optional<bool> external_account_required;
  // ACME profiles extension: profile name -> human-readable description.
  std::optional<std::map<std::string, std::string>> profiles;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  static Result<DirectoryMeta> parse(const nlohmann::json& j, const std::string& path = "meta");
  nlohmann::json to_json() const;

  bool operator==(const DirectoryMeta& o) const {
    return terms_of_service == o.terms_of_service && website == o.website && caa_identities == o.caa_identities &&
           external_account_required == o.external_account_required && profiles == o.profiles &&
           extra == o.extra;
  }
};

struct Directory {
  std::string new_nonce;
  std::string new_account;
  std::string new_order;
  std::optional<std::string> new_authz;
  std::optional<std::string> revoke_cert;
  std::optional<std::string> key_change;
  std::optional<DirectoryMeta> meta;
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json raw;

  // The URL for a directory member by its JSON name ("newOrder",
  // "renewalInfo"), whether modelled or kept in `extra`; nullopt when absent
  // or not a string.
  std::optional<std::string> url_for(std::string_view member) const;
  // §7.1.1 resources (other than the optional newAuthz) that are absent.
  std::vector<std::string> missing_resources() const;

  static Result<Directory> parse(const nlohmann::json& j, const std::string& path = "directory");
  static Result<Directory> parse_body(std::string_view body, const std::string& path = "directory");
  nlohmann::json to_json() const;

  bool operator==(const Directory& o) const {
    return new_nonce == o.new_nonce && new_account == o.new_account && new_order == o.new_order &&
           new_authz == o.new_authz && revoke_cert == o.revoke_cert && key_change == o.key_change &&
           meta == o.meta && extra == o.extra;
  }
};

}  // namespace acmespec::acme
