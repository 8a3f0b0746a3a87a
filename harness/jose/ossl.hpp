// RAII owners for the OpenSSL objects the JOSE layer touches, and small
// helpers shared by its source files.  Not part of the interface other
// components should use, except that EVP_PKEY handles leave through Jwk and
// PrivateKey accessors.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "common/result.hpp"

namespace acmespec::jose::detail {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX, BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

struct BioFree {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// Drains OpenSSL's thread-local error queue into one line, so that a failure
// here never leaks stale errors into an unrelated later call.
std::string openssl_error();
// Clears the queue; used after failures whose cause we already report.
void clear_openssl_errors();

// Big-endian unsigned bytes <-> BIGNUM.  bn_to_fixed left-pads to `len` bytes
// and returns false when the number needs more.
BnPtr bn_from_bytes(std::string_view bytes);
std::string bn_to_bytes(const BIGNUM* bn);
bool bn_to_fixed(const BIGNUM* bn, std::size_t len, std::string& out);

// Shares ownership of a key: Jwk and PrivateKey hand the same EVP_PKEY to
// other components without copying key material.
inline std::shared_ptr<EVP_PKEY> share(PkeyPtr key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), Deleter<EVP_PKEY, EVP_PKEY_free>{});
}

}  // namespace acmespec::jose::detail
