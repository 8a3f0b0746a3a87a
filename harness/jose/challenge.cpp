#include "jose/challenge.hpp"

#include "jose/base64url.hpp"
#include "jose/digest.hpp"

namespace acmespec::jose {

std::string key_authorization(std::string_view token, const Jwk& account_key) {
  return std::string(token) + "." + account_key.thumbprint();
}

std::string dns01_txt_value(std::string_view key_authorization) {
  return base64url_encode(sha256(key_authorization));
}

std::string tls_alpn01_extension_value(std::string_view key_authorization) {
  return std::string("\x04\x20", 2) + sha256(key_authorization);
}

Status validate_token(std::string_view token) {
  constexpr std::size_t kMinChars = 22;  // ceil(128 / 6)
  if (token.empty()) return make_error("token", "empty");
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (!is_base64url_alphabet(std::string_view(&token[i], 1))) {
      const std::string what = c == '=' ? "padding character '='" : "a character outside the "
                                                                    "base64url alphabet";
      return make_error("token", "contains " + what + " at offset " + std::to_string(i));
    }
  }
  if (token.size() < kMinChars) {
    return make_error("token", std::to_string(token.size()) +
                                   " characters carry at most " +
                                   std::to_string(token.size() * 6) +
                                   " bits, under the 128 bits RFC 8555 §8.3 requires");
  }
  return Ok{};
}

}  // namespace acmespec::jose
