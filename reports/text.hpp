// Making untrusted text safe to show.
//
// Run records carry bytes chosen by the peer under test: messages quote
// server responses, exchanges hold whole bodies.  Before any of it reaches an
// XML file or a terminal it goes through printable(), so a hostile server can
// neither break the XML nor drive the terminal with escape sequences.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace acmespec::reports {

// Returns valid UTF-8 that holds no control characters.  A byte that is not
// part of a well-formed UTF-8 sequence becomes the text `\xNN`; a code point
// that is a C0/C1 control, DEL, U+FFFE/U+FFFF or a bidirectional override
// becomes `\uNNNN`.  Tab is kept; line feed (and CR LF, as LF) is kept only
// when keep_newlines, otherwise escaped like any control.
std::string printable(std::string_view text, bool keep_newlines = true);

// printable(text) with the five XML special characters escaped, for element
// content.  The result is a valid XML 1.0 character sequence.
std::string xml_text(std::string_view text);

// Like xml_text, but for an attribute value in double quotes: line feeds and
// tabs become character references so attribute normalisation keeps them.
std::string xml_attr(std::string_view text);

// At most max_bytes of text, cut back to a UTF-8 boundary; when anything was
// cut, a note " …(N more bytes)" follows.  Apply before printable().
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// The first line of text, at most max_bytes long (see truncate_utf8).
std::string first_line(std::string_view text, std::size_t max_bytes);

}  // namespace acmespec::reports
