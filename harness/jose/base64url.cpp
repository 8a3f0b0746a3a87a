#include "jose/base64url.hpp"

#include <array>
#include <cstdint>

namespace acmespec::jose {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Maps a character to its 6-bit value, or -1 when it is outside the alphabet.
constexpr std::array<int8_t, 256> make_reverse_table() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kReverse = make_reverse_table();

std::string describe_char(unsigned char c) {
  if (c == '=') return "padding character '='";
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return "whitespace";
  std::string out;
  if (c >= 0x21 && c < 0x7f) {
    out.append("character '").push_back(static_cast<char>(c));
    out.push_back('\'');
    if (c == '+' || c == '/') out.append(" (standard base64, not base64url)");
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.append("byte 0x").push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xf]);
  return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                       uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

bool is_base64url_alphabet(std::string_view text) {
  for (const char c : text) {
    if (kReverse[static_cast<unsigned char>(c)] < 0) return false;
  }
  return true;
}

Result<std::string> base64url_decode(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kReverse[c] < 0) {
      return make_error("", "not base64url: " + describe_char(c) + " at offset " +
                                std::to_string(i));
    }
  }
  if (text.size() % 4 == 1) {
    return make_error("", "not base64url: length " + std::to_string(text.size()) +
                              " is impossible (length % 4 == 1)");
  }
  // A final group of 2 or 3 characters carries 12 or 18 bits of which only 8
  // or 16 are data.  The spare bits must be zero: otherwise several texts
  // decode to one byte string, and a signature over "the same" value could be
  // replayed under a second spelling.
  const std::size_t tail = text.size() % 4;
  if (tail != 0) {
    const int last = kReverse[static_cast<unsigned char>(text.back())];
    const int spare_mask = tail == 2 ? 0x0f : 0x03;
    if ((last & spare_mask) != 0) {
      return make_error("", "not base64url: non-canonical encoding (unused trailing bits "
                            "of the last character are not zero)");
    }
  }

  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    acc = (acc << 6) | static_cast<uint32_t>(kReverse[static_cast<unsigned char>(c)]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace acmespec::jose
