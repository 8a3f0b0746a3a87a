// RAII owners for the OpenSSL objects the mock CA uses beyond those the
// responders already define.
#pragma once

#include <memory>

#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "responders/ossl.hpp"

namespace acmespec::mockca::detail {

using responders::Asn1OctetStringPtr;
using responders::BignumPtr;
using responders::EvpPkeyPtr;
using responders::GeneralNamesPtr;
using responders::OsslDeleter;
using responders::SslCtxPtr;
using responders::SslPtr;
using responders::X509ExtensionPtr;
using responders::X509NamePtr;
using responders::X509Ptr;
using X509ReqPtr = std::unique_ptr<X509_REQ, OsslDeleter<X509_REQ_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using ExtStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](STACK_OF(X509_EXTENSION)* s) {
                                      sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
                                    })>;

}  // namespace acmespec::mockca::detail
