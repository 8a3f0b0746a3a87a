#include "client/request_signer.hpp"

#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/signature.hpp"

namespace acmespec::client {
namespace {

using nlohmann::json;

// Signs `builder` as the mutations say: alg "none" gets no signature, "HS256"
// a MAC keyed with the account's thumbprint (a public value: the classic
// confusion attempt), any other alg the real key's signature.
Result<jose::FlattenedJws> sign_as(const jose::JwsBuilder& builder, const std::string& alg_sent,
                                   const jose::PrivateKey& key, const Mutations& m) {
  Result<jose::FlattenedJws> jws = alg_sent == "none"    ? Result<jose::FlattenedJws>(builder.with_signature(""))
                                   : alg_sent == "HS256" ? builder.sign_mac(jose::MacAlg::HS256, key.public_jwk().thumbprint())
                                                         : builder.sign(key);
  if (!jws) return jws;
  switch (m.signature) {
    case Mutations::Signature::normal: break;
    case Mutations::Signature::corrupt: jose::corrupt_signature(*jws); break;
    case Mutations::Signature::empty: jws->signature_b64.clear(); break;
    case Mutations::Signature::der: {
      if (jose::ecdsa_signature_size(key.default_alg()) == 0)
        return make_error("signature", "der needs an ECDSA account key");
      auto raw = jose::base64url_decode(jws->signature_b64);
      if (!raw) return raw.error();
      auto der = jose::ecdsa_jws_to_der(*raw);
      if (!der) return der.error();
      jws->signature_b64 = jose::base64url_encode(*der);
      break;
    }
  }
  return jws;
}

}  // namespace

Result<SignedBody> sign_request(const Signer& signer, const std::string& url, const std::string& nonce,
                                const std::optional<json>& payload, const Mutations& m) {
  if (!signer.key) return make_error("signer", "no key");
  const jose::PrivateKey& key = *signer.key;
  json header = json::object();
  const std::string alg = m.alg.value_or(std::string(jose::alg_name(key.default_alg())));
  header["alg"] = alg;

  const std::string kid = m.kid.value_or(signer.kid);
  bool use_jwk = signer.kid.empty();
  bool use_kid = !signer.kid.empty() || m.kid.has_value();
  switch (m.key_header) {
    case Mutations::KeyHeader::normal: break;
    case Mutations::KeyHeader::both: use_jwk = use_kid = true; break;
    case Mutations::KeyHeader::jwk: use_jwk = true; use_kid = false; break;
    case Mutations::KeyHeader::kid: use_jwk = false; use_kid = true; break;
  }
  if (use_jwk) header["jwk"] = key.public_jwk().to_json();
  if (use_kid) {
    if (kid.empty()) return make_error("protected.kid", "no account URL to send as kid");
    header["kid"] = kid;
  }
  if (m.nonce != Mutations::Nonce::omit) header["nonce"] = nonce;
  if (!m.omit_url) header["url"] = m.url.value_or(m.mangle_url ? url + "/mangled" : url);
  if (m.crit) {
    header["crit"] = *m.crit;
    for (const auto& name : *m.crit) header[name] = true;
  }

  std::string payload_bytes;
  if (m.payload) payload_bytes = *m.payload;
  else if (payload) payload_bytes = payload->dump();
  auto builder = jose::JwsBuilder::from_header(header);
  if (!builder) return builder.error();
  builder->payload(std::move(payload_bytes));
  auto jws = sign_as(*builder, alg, key, m);
  if (!jws) return jws.error();
  return SignedBody{jws->serialize(), std::move(header)};
}

Result<json> key_change_inner(const jose::PrivateKey& new_key, const std::string& key_change_url,
                              const std::string& account_url, const jose::PrivateKey& old_key) {
  json header = {{"alg", jose::alg_name(new_key.default_alg())}, {"jwk", new_key.public_jwk().to_json()},
                 {"url", key_change_url}};
  json payload = {{"account", account_url}, {"oldKey", old_key.public_jwk().to_json()}};
  auto jws = jose::sign_flattened(header, payload.dump(), new_key);
  if (!jws) return jws.error();
  return jws->to_json();
}

Result<json> external_account_binding(const jose::PrivateKey& account_key, const std::string& new_account_url,
                                      const std::string& eab_kid, const std::string& mac_key) {
  json header = {{"alg", "HS256"}, {"kid", eab_kid}, {"url", new_account_url}};
  auto jws = jose::sign_flattened_mac(header, account_key.public_jwk().to_json().dump(), jose::MacAlg::HS256, mac_key);
  if (!jws) return jws.error();
  return jws->to_json();
}

}  // namespace acmespec::client
