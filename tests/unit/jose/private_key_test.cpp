#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::json_of;

namespace {

std::string temp_path(const std::string& name) {
  return "/tmp/acmespec-jose-test-" + std::to_string(::getpid()) + "-" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("generate makes every key type with its default alg", "[jose][private_key]") {
  const std::pair<KeyType, Alg> cases[] = {
      {KeyType::Rsa2048, Alg::RS256}, {KeyType::Rsa3072, Alg::RS256},
      {KeyType::Rsa4096, Alg::RS256}, {KeyType::P256, Alg::ES256},
      {KeyType::P384, Alg::ES384},    {KeyType::P521, Alg::ES512},
      {KeyType::Ed25519, Alg::EdDSA}};
  for (const auto& [type, alg] : cases) {
    const PrivateKey& key = jose_test::key_of(type);
    CHECK(key.default_alg() == alg);
    CHECK(key.family() == family_of(type));
    CHECK(key.public_jwk().family() == family_of(type));
    if (family_of(type) == KeyFamily::Rsa) {
      const int bits = type == KeyType::Rsa2048 ? 2048 : type == KeyType::Rsa3072 ? 3072 : 4096;
      CHECK(EVP_PKEY_get_bits(key.evp()) == bits);
    }
  }
  // Two generated keys differ.
  auto a = PrivateKey::generate(KeyType::P256);
  auto b = PrivateKey::generate(KeyType::P256);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK_FALSE(a->public_jwk() == b->public_jwk());
}

TEST_CASE("PEM round trip is PKCS#8 and keeps the key", "[jose][private_key]") {
  for (const auto type : {KeyType::Rsa2048, KeyType::P256, KeyType::P521, KeyType::Ed25519}) {
    const PrivateKey& key = jose_test::key_of(type);
    auto pem = key.to_pem();
    REQUIRE(pem.ok());
    CHECK(pem->rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
    auto back = PrivateKey::from_pem(*pem);
    REQUIRE(back.ok());
    CHECK(back->public_jwk() == key.public_jwk());
  }
}

TEST_CASE("from_pem rejects junk and public keys", "[jose][private_key]") {
  CHECK_FALSE(PrivateKey::from_pem("").ok());
  CHECK_FALSE(PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                  .ok());
}

TEST_CASE("write_pem_file creates the file with mode 0600", "[jose][private_key]") {
  const std::string path = temp_path("key.pem");
  ::unlink(path.c_str());
  const mode_t old_mask = ::umask(0);  // even a permissive umask must not widen it
  const auto written = jose_test::key_of(KeyType::P256).write_pem_file(path);
  ::umask(old_mask);
  REQUIRE(written.ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  auto back = PrivateKey::from_pem(read_file(path));
  REQUIRE(back.ok());
  CHECK(back->public_jwk() == jose_test::key_of(KeyType::P256).public_jwk());

  // An existing file is never overwritten.
  auto again = jose_test::key_of(KeyType::P256).write_pem_file(path);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().path == path);
  ::unlink(path.c_str());
}

TEST_CASE("private JWK import: RFC 7520 and RFC 8037 keys", "[jose][private_key]") {
  auto rsa = PrivateKey::from_jwk(json_of(jose_vectors::kRfc7520RsaKey));
  REQUIRE(rsa.ok());
  CHECK(rsa->family() == KeyFamily::Rsa);
  auto ec = PrivateKey::from_jwk(json_of(jose_vectors::kRfc7520EcKey));
  REQUIRE(ec.ok());
  CHECK(ec->family() == KeyFamily::EcP521);
  auto ed = PrivateKey::from_jwk(json_of(jose_vectors::kRfc8037PrivateJwk));
  REQUIRE(ed.ok());
  CHECK(ed->public_jwk().thumbprint() == jose_vectors::kRfc8037Thumbprint);
}

TEST_CASE("private JWK import: RSA without CRT members still works", "[jose][private_key]") {
  auto j = json_of(jose_vectors::kRfc7520RsaKey);
  for (const char* name : {"p", "q", "dp", "dq", "qi"}) j.erase(name);
  auto rsa = PrivateKey::from_jwk(j);
  REQUIRE(rsa.ok());
}

TEST_CASE("private JWK import rejects inconsistent keys", "[jose][private_key]") {
  SECTION("partial CRT members") {
    auto j = json_of(jose_vectors::kRfc7520RsaKey);
    j.erase("qi");
    auto key = PrivateKey::from_jwk(j);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().path == "jwk.qi");
  }
  SECTION("EC d that does not match x, y") {
    auto j = json_of(jose_vectors::kRfc7520EcKey);
    std::string d = jose_test::unb64(j["d"].get<std::string>());
    d.back() = static_cast<char>(d.back() ^ 0x01);
    j["d"] = base64url_encode(d);
    auto key = PrivateKey::from_jwk(j);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().path == "jwk.d");
  }
  SECTION("Ed25519 d that does not match x") {
    auto j = json_of(jose_vectors::kRfc8037PrivateJwk);
    j["d"] = base64url_encode(std::string(32, '\x07'));
    auto key = PrivateKey::from_jwk(j);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().path == "jwk.d");
  }
  SECTION("EC d of the wrong width") {
    auto j = json_of(jose_vectors::kRfc7520EcKey);
    j["d"] = base64url_encode(jose_test::unb64(j["d"].get<std::string>()).substr(1));
    auto key = PrivateKey::from_jwk(j);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().path == "jwk.d");
  }
  SECTION("no d at all") {
    auto key = PrivateKey::from_jwk(json_of(jose_vectors::kRfc7638Jwk));
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().path == "jwk.d");
  }
}
