#include <catch2/catch.hpp>

#include <string>

#include "reports/text.hpp"

using acmespec::reports::first_line;
using acmespec::reports::printable;
using acmespec::reports::truncate_utf8;
using acmespec::reports::xml_attr;
using acmespec::reports::xml_text;

TEST_CASE("printable keeps ordinary text and multi-byte characters", "[reports][text]") {
  CHECK(printable("plain ASCII, tab\there") == "plain ASCII, tab\there");
  CHECK(printable("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89");
  CHECK(printable("a\nb") == "a\nb");
  CHECK(printable("a\r\nb") == "a\nb");
  CHECK(printable("a\nb", false) == "a\\u000Ab");
}

TEST_CASE("printable escapes controls a terminal or XML would act on", "[reports][text]") {
  CHECK(printable(std::string("\0", 1)) == "\\u0000");
  CHECK(printable("\x1b[31mred") == "\\u001B[31mred");
  CHECK(printable("a\rb") == "a\\u000Db");
  CHECK(printable("\x7f") == "\\u007F");
  CHECK(printable("\xC2\x9B" "2J") == "\\u009B2J");          // C1 CSI
  CHECK(printable("\xEF\xBF\xBE\xEF\xBF\xBF") == "\\uFFFE\\uFFFF");
  CHECK(printable("\xE2\x80\xAE" "abc") == "\\u202Eabc");     // right-to-left override
}

TEST_CASE("printable turns malformed UTF-8 into \\x escapes byte by byte", "[reports][text]") {
  CHECK(printable("\xFF") == "\\xFF");
  CHECK(printable("a\xC3") == "a\\xC3");                      // truncated sequence
  CHECK(printable("\xC0\xAF") == "\\xC0\\xAF");               // overlong '/'
  CHECK(printable("\xE0\x80\xAF") == "\\xE0\\x80\\xAF");      // overlong
  CHECK(printable("\xED\xA0\x80") == "\\xED\\xA0\\x80");      // surrogate
  CHECK(printable("\xF4\x90\x80\x80") == "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
  CHECK(printable("\x80ok") == "\\x80ok");
}

TEST_CASE("XML escaping covers the five specials and attribute white space", "[reports][text]") {
  CHECK(xml_text("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  CHECK(xml_text("]]>") == "]]&gt;");
  CHECK(xml_text("one\ntwo\tthree") == "one\ntwo\tthree");
  CHECK(xml_attr("one\ntwo\tthree") == "one&#10;two&#9;three");
  CHECK(xml_text("\x1b\xFF") == "\\u001B\\xFF");
}

TEST_CASE("truncate_utf8 cuts on a character boundary and says how much is gone", "[reports][text]") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("abcdef", 3) == "abc \xE2\x80\xA6(3 more bytes)");
  // "é" is two bytes; a cut inside it moves back before it.
  CHECK(truncate_utf8("ab\xC3\xA9zz", 3) == "ab \xE2\x80\xA6(4 more bytes)");
  CHECK(truncate_utf8("\xF0\x9F\x8E\x89", 2) == " \xE2\x80\xA6(4 more bytes)");
  CHECK(printable(truncate_utf8("\xFF\xFF\xFF\xFF\xFF", 2)).find("\\xFF\\xFF") == 0);
}

TEST_CASE("first_line keeps the first line and marks the rest", "[reports][text]") {
  CHECK(first_line("one line", 100) == "one line");
  CHECK(first_line("first\nsecond", 100) == "first \xE2\x80\xA6");
  CHECK(first_line("first\r\nsecond", 100) == "first \xE2\x80\xA6");
  CHECK(first_line("abcdef\nmore", 3) == "abc \xE2\x80\xA6(3 more bytes)");
}
