#include "jose/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "jose/ossl.hpp"

namespace acmespec::jose {
namespace {

const EVP_MD* digest_for(Alg alg) {
  switch (alg) {
    case Alg::RS256:
    case Alg::ES256: return EVP_sha256();
    case Alg::ES384: return EVP_sha384();
    case Alg::ES512: return EVP_sha512();
    case Alg::EdDSA: return nullptr;  // Ed25519 hashes internally
  }
  return nullptr;
}

const EVP_MD* digest_for(MacAlg alg) {
  switch (alg) {
    case MacAlg::HS256: return EVP_sha256();
    case MacAlg::HS384: return EVP_sha384();
    case MacAlg::HS512: return EVP_sha512();
  }
  return EVP_sha256();
}

Status check_fit(Alg alg, KeyFamily family) {
  if (alg_fits(alg, family)) return Ok{};
  return make_error("", "alg " + std::string(alg_name(alg)) + " does not fit a " +
                            std::string(family_name(family)) + " key (" +
                            std::string(family_name(family)) + " signs with " +
                            std::string(alg_name(default_alg(family))) + ")");
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::size_t ecdsa_signature_size(Alg alg) {
  switch (alg) {
    case Alg::ES256: return 64;
    case Alg::ES384: return 96;
    case Alg::ES512: return 132;
    default: return 0;
  }
}

Result<std::string> ecdsa_der_to_jws(std::string_view der, std::size_t jws_size) {
  const unsigned char* p = bytes(der);
  detail::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != bytes(der) + der.size()) {
    detail::clear_openssl_errors();
    return make_error("", "not a DER ECDSA signature");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string r_bytes, s_bytes;
  if (!detail::bn_to_fixed(r, jws_size / 2, r_bytes) ||
      !detail::bn_to_fixed(s, jws_size / 2, s_bytes)) {
    return make_error("", "ECDSA signature values wider than the curve");
  }
  return r_bytes + s_bytes;
}

Result<std::string> ecdsa_jws_to_der(std::string_view jws) {
  if (jws.empty() || jws.size() % 2 != 0) {
    return make_error("", "R||S signature must have an even, non-zero length");
  }
  const std::size_t half = jws.size() / 2;
  auto r = detail::bn_from_bytes(jws.substr(0, half));
  auto s = detail::bn_from_bytes(jws.substr(half));
  detail::EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return make_error("", "cannot build ECDSA signature: " + detail::openssl_error());
  }
  // ECDSA_SIG_set0 took ownership of both numbers.
  (void)r.release();
  (void)s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return make_error("", "cannot encode ECDSA signature: " + detail::openssl_error());
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<std::string> sign(Alg alg, const PrivateKey& key, std::string_view data) {
  if (auto fit = check_fit(alg, key.family()); !fit) return fit.error();
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(alg), nullptr, key.evp()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, bytes(data), data.size()) != 1) {
    return make_error("", "cannot sign: " + detail::openssl_error());
  }
  std::string out(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes(data),
                     data.size()) != 1) {
    return make_error("", "cannot sign: " + detail::openssl_error());
  }
  out.resize(len);
  if (const std::size_t size = ecdsa_signature_size(alg); size != 0) {
    return ecdsa_der_to_jws(out, size);
  }
  return out;
}

Status verify(Alg alg, const Jwk& key, std::string_view data, std::string_view signature) {
  if (auto fit = check_fit(alg, key.family()); !fit) return fit.error();
  std::string der;
  std::string_view to_check = signature;
  if (const std::size_t size = ecdsa_signature_size(alg); size != 0) {
    if (signature.size() != size) {
      const bool looks_der = !signature.empty() && signature.front() == '\x30' &&
                             ecdsa_der_to_jws(signature, size).ok();
      if (looks_der) {
        return make_error("", "DER-encoded ECDSA signature; JWS requires the fixed-size R||S "
                              "form of RFC 7518 §3.4");
      }
      return make_error("", "ECDSA signature for " + std::string(alg_name(alg)) + " must be " +
                                std::to_string(size) + " octets, got " +
                                std::to_string(signature.size()));
    }
    auto converted = ecdsa_jws_to_der(signature);
    if (!converted) return converted.error();
    der = std::move(*converted);
    to_check = der;
  } else {
    const auto expected = static_cast<std::size_t>(EVP_PKEY_get_size(key.evp()));
    if (signature.size() != expected) {
      return make_error("", std::string(alg_name(alg)) + " signature must be " +
                                std::to_string(expected) + " octets for this key, got " +
                                std::to_string(signature.size()));
    }
  }
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(alg), nullptr, key.evp()) != 1) {
    return make_error("", "cannot verify: " + detail::openssl_error());
  }
  const int rc = EVP_DigestVerify(ctx.get(), bytes(to_check), to_check.size(), bytes(data),
                                  data.size());
  detail::clear_openssl_errors();
  if (rc != 1) return make_error("", "signature does not verify");
  return Ok{};
}

Result<std::string> hmac_sign(MacAlg alg, std::string_view key, std::string_view data) {
  if (key.empty()) return make_error("", "MAC key is empty");
  // RFC 7518 §3.2: the key must be at least as long as the hash output.
  const auto min_len = static_cast<std::size_t>(EVP_MD_get_size(digest_for(alg)));
  if (key.size() < min_len)
    return make_error("", "MAC key of " + std::to_string(key.size()) + " bytes is shorter than the " +
                              std::to_string(min_len) + " bytes " + std::string(mac_alg_name(alg)) + " requires");
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (HMAC(digest_for(alg), key.data(), static_cast<int>(key.size()), bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr) {
    return make_error("", "cannot compute HMAC: " + detail::openssl_error());
  }
  out.resize(len);
  return out;
}

Status hmac_verify(MacAlg alg, std::string_view key, std::string_view data,
                   std::string_view mac) {
  auto expected = hmac_sign(alg, key, data);
  if (!expected) return expected.error();
  if (mac.size() != expected->size() ||
      CRYPTO_memcmp(mac.data(), expected->data(), mac.size()) != 0) {
    return make_error("", std::string(mac_alg_name(alg)) + " MAC does not verify");
  }
  return Ok{};
}

}  // namespace acmespec::jose
