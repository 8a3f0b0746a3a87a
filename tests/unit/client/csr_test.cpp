#include <catch2/catch.hpp>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "client/csr.hpp"

using namespace acmespec;

namespace {
bool csr_verifies(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509_REQ* req = d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size()));
  REQUIRE(req != nullptr);
  EVP_PKEY* key = X509_REQ_get0_pubkey(req);
  bool ok = key && X509_REQ_verify(req, key) == 1;
  X509_REQ_free(req);
  return ok;
}
}  // namespace

TEST_CASE("CSRs carry the identifiers and verify unless corrupted", "[csr]") {
  for (auto type : {jose::KeyType::P256, jose::KeyType::Rsa2048, jose::KeyType::Ed25519}) {
    auto key = *jose::PrivateKey::generate(type);
    std::vector<client::CsrIdentifier> ids = {{"dns", "a.example"}, {"dns", "*.b.example"}, {"ip", "127.0.0.1"},
                                              {"ip", "::1"}};
    auto csr = client::build_csr(key, ids);
    REQUIRE(csr.ok());
    CHECK(csr_verifies(*csr));
    auto bad = client::build_csr(key, ids, {.corrupt_signature = true});
    REQUIRE(bad.ok());
    CHECK_FALSE(csr_verifies(*bad));
  }
  auto key = *jose::PrivateKey::generate(jose::KeyType::P256);
  CHECK_FALSE(client::build_csr(key, {{"ip", "not-an-ip"}}).ok());
  CHECK_FALSE(client::build_csr(key, {{"email", "a@b"}}).ok());
}

TEST_CASE("PEM chains are split strictly", "[csr]") {
  CHECK_FALSE(client::parse_pem_chain("").ok());
  CHECK_FALSE(client::parse_pem_chain("garbage").ok());
  CHECK_FALSE(client::parse_pem_chain("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  CHECK_FALSE(client::parse_pem_chain("-----BEGIN CERTIFICATE-----\nAAAA\n").ok());
  CHECK_FALSE(client::parse_pem_chain("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").ok());
}
