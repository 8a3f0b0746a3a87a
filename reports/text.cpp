#include "reports/text.hpp"

#include <cstdint>
#include <cstdio>

namespace acmespec::reports {
namespace {

// Length of the well-formed UTF-8 sequence at text[i] and its code point, or
// 0 when the bytes there are not one (overlong forms, surrogates, values
// above U+10FFFF and truncated sequences are all refused).
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

bool must_escape(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return true;          // C0 controls, DEL
  if (cp >= 0x80 && cp <= 0x9F) return true;         // C1 controls (0x9B is CSI)
  if (cp == 0xFFFE || cp == 0xFFFF) return true;     // not XML 1.0 characters
  if (cp >= 0x202A && cp <= 0x202E) return true;     // bidi embeddings/overrides
  if (cp >= 0x2066 && cp <= 0x2069) return true;     // bidi isolates
  return false;
}

void append_hex(std::string& out, const char* format, unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, value);
  out += buf;
}

std::string xml_escaped(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (char c : printable(text, true)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {
      append_hex(out, "\\x%02X", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (keep_newlines && cp == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // CR LF reads as LF
      continue;
    }
    const bool kept = cp == '\t' || (keep_newlines && cp == '\n');
    if (!kept && must_escape(cp))
      append_hex(out, "\\u%04X", static_cast<unsigned>(cp));
    else
      out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string xml_text(std::string_view text) { return xml_escaped(text, false); }

std::string xml_attr(std::string_view text) { return xml_escaped(text, true); }

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Step back over continuation bytes so a multi-byte character stays whole;
  // at most three, since a longer run is not UTF-8 anyway.
  for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++k) --cut;
  std::string out(text.substr(0, cut));
  out += " \xE2\x80\xA6(" + std::to_string(text.size() - cut) + " more bytes)";
  return out;
}

std::string first_line(std::string_view text, std::size_t max_bytes) {
  const auto end = text.find_first_of("\r\n");
  const bool more_lines = end != std::string_view::npos;
  std::string line = truncate_utf8(text.substr(0, end), max_bytes);
  if (more_lines && line.size() == end) line += " \xE2\x80\xA6";
  return line;
}

}  // namespace acmespec::reports
