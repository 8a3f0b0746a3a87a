// RFC 3339 timestamps as ACME uses them (`expires`, `validated`, `notBefore`).
//
// Accepted grammar (RFC 3339 §5.6 date-time, read strictly):
//   YYYY-MM-DD 'T' HH:MM:SS [ '.' 1*DIGIT ] ( 'Z' | ('+'|'-') HH:MM )
// Choices where the RFC leaves room:
//  * 't' and 'z' are accepted in lower case: RFC 3339's grammar is ABNF,
//    whose literals are case-insensitive, so refusing them would fail a
//    conforming peer.  Output always uses upper case.
//  * A space instead of 'T' is refused (the RFC only permits it "for the
//    sake of readability" by mutual agreement; ACME does not agree to it).
//  * Leap second 60 is refused: the value is held in std::chrono::sys_time,
//    which cannot name 23:59:60, and no ACME server emits it.
//  * The fraction may have any number of digits up to 64; digits past the
//    ninth are truncated (the value type has nanosecond resolution).
//  * "-00:00" (offset unknown) is read as UTC.
//  * After the offset is applied the instant must lie in 1678..2261 UTC:
//    that is what a 64-bit nanosecond sys_time holds (whole years only, so
//    the bound is easy to state), and real ACME timestamps sit well inside.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace acmespec::acme {

struct Timestamp {
  std::chrono::sys_time<std::chrono::nanoseconds> utc{};

  // The error's path is empty; callers nest it under the member's path.
  static Result<Timestamp> parse(std::string_view text);
  // Clamped into the range parse() accepts, so to_string() of the result
  // always parses back.
  static Timestamp from_unix_seconds(std::int64_t seconds);

  // RFC 3339 in UTC with 'Z'; the fraction appears only when non-zero and
  // carries no trailing zeros, e.g. "2016-01-05T14:09:07.99Z".
  std::string to_string() const;

  auto operator<=>(const Timestamp&) const = default;
  bool operator==(const Timestamp&) const = default;
};

}  // namespace acmespec::acme
