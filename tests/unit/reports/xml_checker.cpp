#include "xml_checker.hpp"

#include <cstdint>

namespace acmespec::reports::testing {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view doc) : doc_(doc) {}

  std::unique_ptr<XmlElement> document() {
    check_characters();
    if (starts("<?xml")) {
      const auto end = doc_.find("?>", pos_);
      if (end == std::string_view::npos) fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    misc();
    if (!starts("<")) fail("no root element");
    auto root = element();
    misc();
    if (pos_ != doc_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("XML offset " + std::to_string(pos_) + ": " + why);
  }
  bool starts(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }

  // Every character is well-formed UTF-8 and an XML 1.0 Char.
  void check_characters() {
    std::size_t i = 0;
    while (i < doc_.size()) {
      const auto b0 = static_cast<unsigned char>(doc_[i]);
      std::size_t len = b0 < 0x80 ? 1 : b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3
                      : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
      if (len == 0 || i + len > doc_.size()) { pos_ = i; fail("not UTF-8"); }
      std::uint32_t cp = len == 1 ? b0 : b0 & (0xFF >> (len + 1));
      for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(doc_[i + k]);
        if ((b & 0xC0) != 0x80) { pos_ = i; fail("not UTF-8"); }
        cp = (cp << 6) | (b & 0x3F);
      }
      const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min[len] || cp > 0x10FFFF) { pos_ = i; fail("overlong or out of range UTF-8"); }
      const bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                      (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
      if (!ok) { pos_ = i; fail("character U+" + std::to_string(cp) + " is not allowed in XML 1.0"); }
      i += len;
    }
  }

  void spaces() {
    while (pos_ < doc_.size() && (doc_[pos_] == ' ' || doc_[pos_] == '\n' || doc_[pos_] == '\t' || doc_[pos_] == '\r'))
      ++pos_;
  }

  void comment() {
    const auto end = doc_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) fail("unterminated comment");
    if (doc_.substr(pos_ + 4, end - pos_ - 4).find("--") != std::string_view::npos) fail("-- inside a comment");
    pos_ = end + 3;
  }

  void misc() {
    for (;;) {
      spaces();
      if (starts("<!--")) comment();
      else return;
    }
  }

  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < doc_.size()) {
      const char c = doc_[pos_];
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                      (pos_ > start && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
      if (!ok) break;
      ++pos_;
    }
    if (pos_ == start) fail("expected a name");
    return std::string(doc_.substr(start, pos_ - start));
  }

  // Decodes an entity or character reference at pos_ ('&').
  std::string reference() {
    const auto end = doc_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 10) fail("bad reference");
    const std::string ref(doc_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    if (ref == "amp") return "&";
    if (ref == "lt") return "<";
    if (ref == "gt") return ">";
    if (ref == "quot") return "\"";
    if (ref == "apos") return "'";
    if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
        fail("bad character reference");
      const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
      if (cp == 9 || cp == 10 || cp == 13) return std::string(1, static_cast<char>(cp));
      if (cp < 0x20 || cp > 0x7E) fail("character reference outside what the tests expect");
      return std::string(1, static_cast<char>(cp));
    }
    fail("unknown entity &" + ref + ";");
  }

  std::string attribute_value() {
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) fail("unquoted attribute");
    const char quote = doc_[pos_++];
    std::string value;
    for (;;) {
      if (pos_ >= doc_.size()) fail("unterminated attribute");
      const char c = doc_[pos_];
      if (c == quote) { ++pos_; return value; }
      if (c == '<') fail("< in an attribute");
      if (c == '&') { value += reference(); continue; }
      // Attribute-value normalisation turns literal white space into spaces.
      value += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
      ++pos_;
    }
  }

  std::unique_ptr<XmlElement> element() {
    ++pos_;  // '<'
    auto e = std::make_unique<XmlElement>();
    e->name = name();
    for (;;) {
      const std::size_t before = pos_;
      spaces();
      if (starts("/>")) { pos_ += 2; return e; }
      if (starts(">")) { ++pos_; break; }
      if (pos_ == before) fail("expected white space before an attribute");
      const std::string key = name();
      spaces();
      if (!starts("=")) fail("expected =");
      ++pos_;
      spaces();
      if (!e->attributes.emplace(key, attribute_value()).second) fail("duplicate attribute " + key);
    }
    for (;;) {
      if (pos_ >= doc_.size()) fail("unclosed <" + e->name + ">");
      if (starts("</")) {
        pos_ += 2;
        if (name() != e->name) fail("mismatched end tag for <" + e->name + ">");
        spaces();
        if (!starts(">")) fail("expected >");
        ++pos_;
        return e;
      }
      if (starts("<!--")) { comment(); continue; }
      if (starts("<![CDATA[") || starts("<!") || starts("<?")) fail("unexpected markup");
      if (starts("<")) { e->children.push_back(element()); continue; }
      if (starts("]]>")) fail("]]> in text");
      if (doc_[pos_] == '&') { e->text += reference(); continue; }
      e->text += doc_[pos_++];
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<XmlElement> parse_xml(std::string_view document) { return Parser(document).document(); }

}  // namespace acmespec::reports::testing
