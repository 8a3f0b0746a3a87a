#include <catch2/catch.hpp>

#include <openssl/objects.h>

#include "test_util.hpp"
#include "vectors.hpp"

using namespace acmespec::jose;
using jose_test::json_of;

TEST_CASE("key authorization is token '.' thumbprint", "[jose][challenge]") {
  auto jwk = Jwk::parse(json_of(jose_vectors::kRfc7638Jwk));
  REQUIRE(jwk.ok());
  CHECK(key_authorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", *jwk) ==
        "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." +
            std::string(jose_vectors::kRfc7638Thumbprint));
}

TEST_CASE("dns-01 TXT value is base64url(SHA-256(key authorization))", "[jose][challenge]") {
  // SHA-256("abc") is the FIPS 180-2 example digest ba7816bf...f20015ad.
  CHECK(dns01_txt_value("abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  CHECK(dns01_txt_value("abd") != dns01_txt_value("abc"));
}

TEST_CASE("tls-alpn-01 extension value is a DER OCTET STRING of the digest", "[jose][challenge]") {
  const std::string v = tls_alpn01_extension_value("abc");
  REQUIRE(v.size() == 34);
  CHECK(v[0] == '\x04');
  CHECK(v[1] == '\x20');
  CHECK(base64url_encode(v.substr(2)) == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  CHECK(kAcmeIdentifierOid == "1.3.6.1.5.5.7.1.31");
  // The DER form agrees with OpenSSL's own encoding of the dotted OID.
  ASN1_OBJECT* obj = OBJ_txt2obj(std::string(kAcmeIdentifierOid).c_str(), 1);
  REQUIRE(obj != nullptr);
  unsigned char* der = nullptr;
  const int len = i2d_ASN1_OBJECT(obj, &der);
  ASN1_OBJECT_free(obj);
  REQUIRE(len > 0);
  CHECK(std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(len)) ==
        kAcmeIdentifierOidDer);
  OPENSSL_free(der);
}

TEST_CASE("token validation", "[jose][challenge]") {
  CHECK(validate_token("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA").ok());
  CHECK(validate_token("abcdefghijklmnopqrstuv").ok());  // 22 chars = 132 bits
  auto short_token = validate_token("abcdefghijklmnopqrstu");
  REQUIRE_FALSE(short_token.ok());
  CHECK_THAT(short_token.error().reason, Catch::Contains("128 bits"));
  auto padded = validate_token("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA=");
  REQUIRE_FALSE(padded.ok());
  CHECK_THAT(padded.error().reason, Catch::Contains("padding"));
  CHECK_FALSE(validate_token("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ+PCt92wr/oA").ok());
  CHECK_FALSE(validate_token("evaGxfADs6pSRb2LAv9I Zf17Dt3juxGJ-PCt92wr-oA").ok());
  CHECK_FALSE(validate_token("../../../etc/passwd/xxxxxxxxxxxxxxxxx").ok());
  CHECK_FALSE(validate_token("").ok());
}
