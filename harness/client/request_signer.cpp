#include "client/request_signer.hpp"

#include <cctype>
#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/signature.hpp"

namespace acmespec::client {
namespace {

using nlohmann::json;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

// An RSA-1024 key, made here because the key generator only makes keys fit
// for use; a server must refuse it (RFC 7518 §3.3).
Result<jose::PrivateKey> weak_rsa_key() {
  EVP_PKEY* raw = EVP_RSA_gen(1024);
  if (raw == nullptr) return make_error("protected.jwk", "cannot generate an RSA-1024 key");
  return jose::PrivateKey::from_evp(std::shared_ptr<EVP_PKEY>(raw, PkeyFree{}));
}

// base64url carries no padding in JOSE; this adds what standard base64 would.
std::string padded(std::string b64) {
  while (b64.size() % 4 != 0) b64.push_back('=');
  return b64;
}

// Bytes whose base64 form needs padding: a length that is a multiple of 3
// encodes without any, so JSON text gets one trailing space (still the same
// JSON value).
std::string needing_padding(std::string bytes) {
  if (bytes.size() % 3 == 0) bytes.push_back(' ');
  return bytes;
}

// "https://ca/acme/new-order" -> "https://ca/acme/%6Eew-order": equal after
// RFC 3986 normalisation, different as a string.
Result<std::string> reencoded(const std::string& url) {
  const auto slash = url.rfind('/');
  const auto scheme = url.find("://");
  if (slash == std::string::npos || (scheme != std::string::npos && slash < scheme + 3))
    return make_error("protected.url", "no path to re-encode in " + url);
  for (std::size_t i = slash + 1; i < url.size() && url[i] != '?' && url[i] != '#'; ++i) {
    const unsigned char c = static_cast<unsigned char>(url[i]);
    if (!std::isalnum(c)) continue;
    static const char* hex = "0123456789ABCDEF";
    return url.substr(0, i) + '%' + hex[c >> 4] + hex[c & 15] + url.substr(i + 1);
  }
  return make_error("protected.url", "no letter or digit to re-encode in the last path segment of " + url);
}

// The signature over `input` as the sent alg claims it: alg "none" gets
// none, "HS256" a MAC keyed with the account's thumbprint (a public value:
// the classic confusion attempt), any other alg the real key's signature.
Result<std::string> signature_for(const std::string& alg_sent, const jose::PrivateKey& key, const std::string& input) {
  if (alg_sent == "none") return std::string();
  if (alg_sent == "HS256") return jose::hmac_sign(jose::MacAlg::HS256, key.public_jwk().thumbprint(), input);
  return jose::sign(key.default_alg(), key, input);
}

Status mutate_signature(jose::FlattenedJws& jws, const jose::PrivateKey& key, const Mutations& m) {
  switch (m.signature) {
    case Mutations::Signature::normal: break;
    case Mutations::Signature::corrupt: jose::corrupt_signature(jws); break;
    case Mutations::Signature::empty: jws.signature_b64.clear(); break;
    case Mutations::Signature::der: {
      if (jose::ecdsa_signature_size(key.default_alg()) == 0)
        return make_error("signature", "der needs an ECDSA account key");
      auto raw = jose::base64url_decode(jws.signature_b64);
      if (!raw) return raw.error();
      auto der = jose::ecdsa_jws_to_der(*raw);
      if (!der) return der.error();
      jws.signature_b64 = jose::base64url_encode(*der);
      break;
    }
  }
  if (m.padding == Mutations::Padding::signature) {
    if (jws.signature_b64.size() % 4 == 0)
      return make_error("jws.padding", "a signature of this length has no padding to add");
    jws.signature_b64 = padded(std::move(jws.signature_b64));
  }
  return Ok{};
}

std::string serialize(const jose::FlattenedJws& jws, const Mutations& m) {
  json signature = {{"protected", jws.protected_b64}, {"signature", jws.signature_b64}};
  if (jws.unprotected_header) signature["header"] = *jws.unprotected_header;
  switch (m.serialization) {
    case Mutations::Serialization::flattened: break;
    case Mutations::Serialization::compact:
      return jws.protected_b64 + "." + jws.payload_b64 + "." + jws.signature_b64;
    case Mutations::Serialization::general:
      return json{{"payload", jws.payload_b64}, {"signatures", json::array({signature})}}.dump();
    case Mutations::Serialization::two_signatures:
      return json{{"payload", jws.payload_b64}, {"signatures", json::array({signature, signature})}}.dump();
  }
  return jws.serialize();
}

}  // namespace

Result<SignedBody> sign_request(const Signer& signer, const std::string& url, const std::string& nonce,
                                const std::optional<json>& payload, const Mutations& m) {
  if (!signer.key) return make_error("signer", "no key");
  std::optional<jose::PrivateKey> weak;
  if (m.jwk == Mutations::Jwk::weak_rsa) {
    auto made = weak_rsa_key();
    if (!made) return made.error();
    weak = std::move(*made);
  }
  const jose::PrivateKey& key = weak ? *weak : *signer.key;
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
  if (m.jwk != Mutations::Jwk::normal && !use_jwk)
    return make_error("protected.jwk", "the request carries no jwk to change");
  if (use_jwk) {
    header["jwk"] = key.public_jwk().to_json();
    if (m.jwk == Mutations::Jwk::extra_members) {
      header["jwk"]["use"] = "sig";
      header["jwk"]["kid"] = "acmespec-extra-member";
    }
  }
  if (use_kid) {
    if (kid.empty()) return make_error("protected.kid", "no account URL to send as kid");
    header["kid"] = kid;
  }
  if (m.nonce != Mutations::Nonce::omit) header["nonce"] = nonce;
  if (!m.omit_url) {
    if (m.reencode_url) {
      auto re = reencoded(url);
      if (!re) return re.error();
      header["url"] = *re;
    } else {
      header["url"] = m.url.value_or(m.mangle_url ? url + "/mangled" : url);
    }
  }
  std::vector<std::string> crit = m.crit.value_or(std::vector<std::string>{});
  for (const auto& name : crit) header[name] = true;
  if (m.unencoded_payload) {
    header["b64"] = false;
    crit.push_back("b64");
  }
  if (m.crit || m.unencoded_payload) header["crit"] = crit;

  std::string payload_bytes;
  if (m.payload) payload_bytes = *m.payload;
  else if (payload) payload_bytes = payload->dump();
  if (m.padding == Mutations::Padding::payload) {
    if (payload_bytes.empty()) return make_error("jws.padding", "an empty payload (POST-as-GET) has no padding");
    payload_bytes = needing_padding(std::move(payload_bytes));
  }

  json unprotected;
  if (m.move_to_unprotected) {
    if (!header.contains(*m.move_to_unprotected))
      return make_error("jws.unprotected-header", "the request has no \"" + *m.move_to_unprotected + "\" to move");
    unprotected[*m.move_to_unprotected] = header[*m.move_to_unprotected];
    header.erase(*m.move_to_unprotected);
  }
  auto builder = jose::JwsBuilder::from_header(header);
  if (!builder) return builder.error();
  if (m.duplicate) {
    if (!header.contains(*m.duplicate)) return make_error("protected.duplicate", "the request has no \"" + *m.duplicate + "\" to repeat");
    // The real member stays where dump() put it; the wrong copy goes last.
    std::string text = builder->protected_bytes();
    const json& real = header[*m.duplicate];
    const json wrong = *m.duplicate == "alg" ? json("none") : json(real.get<std::string>() + "-duplicate");
    text.insert(text.size() - 1, "," + json(*m.duplicate).dump() + ":" + wrong.dump());
    builder = jose::JwsBuilder::from_protected_bytes(text);
  }
  if (!unprotected.empty()) builder->unprotected_header(unprotected);
  if (m.padding == Mutations::Padding::protected_header)
    builder = jose::JwsBuilder::from_protected_bytes(needing_padding(builder->protected_bytes()));
  if (m.unprotected_header) builder->unprotected_header(json{{"acmespec-note", "unprotected"}});
  builder->payload(payload_bytes);
  jose::FlattenedJws jws = builder->with_signature("");
  // The texts as sent; the signature is computed over them, so padding or an
  // unencoded payload is the request's only fault.
  if (m.padding == Mutations::Padding::protected_header) jws.protected_b64 = padded(std::move(jws.protected_b64));
  if (m.padding == Mutations::Padding::payload) jws.payload_b64 = padded(std::move(jws.payload_b64));
  if (m.unencoded_payload) jws.payload_b64 = payload_bytes;
  auto signature = signature_for(alg, key, jws.signing_input());
  if (!signature) return signature.error();
  jws.signature_b64 = jose::base64url_encode(*signature);
  if (auto s = mutate_signature(jws, key, m); !s) return s.error();
  return SignedBody{serialize(jws, m), std::move(header)};
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
