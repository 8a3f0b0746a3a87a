// The two encodings the transcript needs.  Kept local because this folder
// must not depend on jose; once jose's base64url is settled the decoder can
// move over to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace acmespec::http {

// RFC 4648 §4 with padding: how binary bodies are stored in evidence.
std::string base64_encode(std::string_view bytes);

// RFC 4648 §5 without padding, as JWS uses (RFC 7515 §2).  Anything else
// (padding, whitespace, stray characters, a dangling 6-bit group, non-zero
// trailing bits) gives nullopt.
std::optional<std::string> base64url_decode(std::string_view text);

// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace acmespec::http
