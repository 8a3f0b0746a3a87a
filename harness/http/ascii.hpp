// ASCII case folding for protocol tokens (header parameters, host names),
// independent of the C locale.
#pragma once

#include <string>
#include <string_view>

namespace acmespec::http {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace acmespec::http
