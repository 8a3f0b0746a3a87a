// Builds the flattened JWS bodies the harness POSTs (RFC 8555 §6.2), and the
// deliberately broken ones the mutation knobs ask for.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/mutations.hpp"
#include "common/result.hpp"
#include "jose/private_key.hpp"

namespace acmespec::client {

// Who signs: the key, and the account URL once the account exists (then the
// header carries kid, else jwk).
struct Signer {
  const jose::PrivateKey* key = nullptr;
  std::string kid;
};

struct SignedBody {
  std::string body;                 // the flattened JWS JSON text
  nlohmann::json protected_header;  // as sent
};

// `payload` absent means POST-as-GET (empty payload).  `nonce` may be empty
// only when the mutations omit it.
Result<SignedBody> sign_request(const Signer& signer, const std::string& url, const std::string& nonce,
                                const std::optional<nlohmann::json>& payload, const Mutations& mutations = {});

// The inner JWS of a key change (RFC 8555 §7.3.5): signed by the new key,
// with jwk and url but no nonce, over {"account", "oldKey"}.
Result<nlohmann::json> key_change_inner(const jose::PrivateKey& new_key, const std::string& key_change_url,
                                        const std::string& account_url, const jose::PrivateKey& old_key);

// The externalAccountBinding member of newAccount (RFC 8555 §7.3.4): an
// HS256 JWS by the MAC key over the account's public JWK.
Result<nlohmann::json> external_account_binding(const jose::PrivateKey& account_key, const std::string& new_account_url,
                                                const std::string& eab_kid, const std::string& mac_key);

}  // namespace acmespec::client
