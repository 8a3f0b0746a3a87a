// Standard base64 (binary bodies in evidence) and a UTF-8 check; JWS
// base64url comes from jose.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace acmespec::http {

// RFC 4648 §4 with padding: how binary bodies are stored in evidence.
std::string base64_encode(std::string_view bytes);

// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace acmespec::http
