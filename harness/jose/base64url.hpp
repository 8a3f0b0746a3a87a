// base64url without padding (RFC 7515 §2, RFC 4648 §5).
//
// JOSE fixes one spelling of every byte string: no '=' padding, no line
// breaks, only [A-Za-z0-9-_].  decode() insists on exactly that spelling so
// that two different texts never verify as the same signed bytes.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace acmespec::jose {

std::string base64url_encode(std::string_view bytes);

// Rejects padding, whitespace, characters outside the alphabet, lengths that
// no byte string encodes to (len % 4 == 1) and non-canonical trailing bits
// (the unused low bits of the last character must be zero).  The error path
// is empty; callers nest it under the member they decoded.
Result<std::string> base64url_decode(std::string_view text);

// True when every character is in the base64url alphabet (no padding).  Says
// nothing about whether the text decodes; see base64url_decode for that.
bool is_base64url_alphabet(std::string_view text);

}  // namespace acmespec::jose
