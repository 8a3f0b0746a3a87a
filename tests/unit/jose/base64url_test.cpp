#include <catch2/catch.hpp>

#include "jose/base64url.hpp"

using acmespec::jose::base64url_decode;
using acmespec::jose::base64url_encode;

TEST_CASE("base64url encodes RFC 4648 test vectors without padding", "[jose][base64url]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("fooba") == "Zm9vYmE");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
  // Bytes that map to the two characters where base64url differs from base64.
  CHECK(base64url_encode(std::string("\xfb\xff", 2)) == "-_8");
}

TEST_CASE("base64url round-trips every byte value at every length", "[jose][base64url]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= all.size(); ++len) {
    const std::string bytes = all.substr(all.size() - len);
    const std::string text = base64url_encode(bytes);
    CHECK(text.find_first_of("=+/") == std::string::npos);
    auto back = base64url_decode(text);
    REQUIRE(back.ok());
    CHECK(*back == bytes);
  }
}

TEST_CASE("base64url decode accepts canonical text", "[jose][base64url]") {
  auto v = base64url_decode("Zm9vYmE");
  REQUIRE(v.ok());
  CHECK(*v == "fooba");
  auto empty = base64url_decode("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("base64url decode rejects padding", "[jose][base64url]") {
  auto v = base64url_decode("Zg==");
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.error().reason, Catch::Contains("padding"));
  CHECK_FALSE(base64url_decode("Zm8=").ok());
}

TEST_CASE("base64url decode rejects whitespace", "[jose][base64url]") {
  for (const char* text : {"Zm9v Yg", "Zm9v\nYg", "Zm9vYg\r\n", " Zm9v", "Zm9v\tYg"}) {
    auto v = base64url_decode(text);
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.error().reason, Catch::Contains("whitespace"));
  }
}

TEST_CASE("base64url decode rejects the standard base64 characters", "[jose][base64url]") {
  auto plus = base64url_decode("+_8");
  REQUIRE_FALSE(plus.ok());
  CHECK_THAT(plus.error().reason, Catch::Contains("'+'"));
  auto slash = base64url_decode("-/8");
  REQUIRE_FALSE(slash.ok());
  CHECK_THAT(slash.error().reason, Catch::Contains("'/'"));
  CHECK_FALSE(base64url_decode("Zm9v!").ok());
  CHECK_FALSE(base64url_decode(std::string("Zm\0v", 4)).ok());
  CHECK_FALSE(base64url_decode("Zm9\xc3\xa9").ok());
}

TEST_CASE("base64url decode rejects impossible lengths", "[jose][base64url]") {
  for (const char* text : {"A", "Zm9vY", "Zm9vYmFyZ"}) {
    auto v = base64url_decode(text);
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(v.error().reason, Catch::Contains("length"));
  }
}

TEST_CASE("base64url decode rejects non-canonical trailing bits", "[jose][base64url]") {
  // "Zg" is the canonical "f"; "Zh" carries the same byte plus set spare bits.
  CHECK(base64url_decode("Zg").ok());
  auto two = base64url_decode("Zh");
  REQUIRE_FALSE(two.ok());
  CHECK_THAT(two.error().reason, Catch::Contains("non-canonical"));
  CHECK(base64url_decode("Zm8").ok());
  CHECK_FALSE(base64url_decode("Zm9").ok());
}

TEST_CASE("base64url alphabet check", "[jose][base64url]") {
  CHECK(acmespec::jose::is_base64url_alphabet("AZaz09-_"));
  CHECK_FALSE(acmespec::jose::is_base64url_alphabet("a="));
  CHECK_FALSE(acmespec::jose::is_base64url_alphabet("a+b"));
}
