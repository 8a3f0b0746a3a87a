#include "acme/timestamp.hpp"

#include <cstdint>
#include <cstdio>

namespace acmespec::acme {
namespace {

namespace ch = std::chrono;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; false when any is not a digit.
bool read_fixed(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
    v = v * 10 + (s[pos + i] - '0');
  }
  out = v;
  return true;
}

bool expect_char(std::string_view s, std::size_t pos, char c) {
  return pos < s.size() && s[pos] == c;
}

Error bad(std::string reason) { return make_error("", "not an RFC 3339 timestamp: " + std::move(reason)); }

constexpr std::size_t kMaxFractionDigits = 64;

// Whole years inside what a 64-bit nanosecond count from 1970 can hold
// (about 1677-09-21 to 2262-04-11).
const ch::sys_seconds kEarliest{ch::sys_days{ch::year{1678} / 1 / 1}};
const ch::sys_seconds kLatest{ch::sys_days{ch::year{2262} / 1 / 1}};

}  // namespace

Result<Timestamp> Timestamp::parse(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_fixed(s, 0, 4, year) || !expect_char(s, 4, '-') || !read_fixed(s, 5, 2, month) ||
      !expect_char(s, 7, '-') || !read_fixed(s, 8, 2, day)) {
    return bad("date is not YYYY-MM-DD");
  }
  if (!expect_char(s, 10, 'T') && !expect_char(s, 10, 't')) return bad("expected 'T' after the date");
  if (!read_fixed(s, 11, 2, hour) || !expect_char(s, 13, ':') || !read_fixed(s, 14, 2, minute)) {
    return bad("time is not HH:MM:SS");
  }
  if (!expect_char(s, 16, ':') || !read_fixed(s, 17, 2, second)) return bad("seconds are missing");
  if (month < 1 || month > 12) return bad("month out of range");
  const ch::year_month_day ymd{ch::year{year}, ch::month{static_cast<unsigned>(month)},
                               ch::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return bad("day out of range for the month");
  if (hour > 23) return bad("hour out of range");
  if (minute > 59) return bad("minute out of range");
  if (second == 60) return bad("leap seconds are not accepted");
  if (second > 59) return bad("second out of range");

  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (expect_char(s, pos, '.')) {
    ++pos;
    std::size_t digits = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad("empty fraction");
    if (digits > kMaxFractionDigits) return bad("fraction too long");
    for (std::size_t d = digits; d < 9; ++d) nanos *= 10;
  }

  int offset_minutes = 0;
  if (expect_char(s, pos, 'Z') || expect_char(s, pos, 'z')) {
    ++pos;
  } else if (expect_char(s, pos, '+') || expect_char(s, pos, '-')) {
    const bool negative = s[pos] == '-';
    int oh = 0, om = 0;
    if (!read_fixed(s, pos + 1, 2, oh) || !expect_char(s, pos + 3, ':') || !read_fixed(s, pos + 4, 2, om)) {
      return bad("offset is not +HH:MM or -HH:MM");
    }
    if (oh > 23 || om > 59) return bad("offset out of range");
    offset_minutes = (negative ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    return bad("missing 'Z' or offset");
  }
  if (pos != s.size()) return bad("trailing characters");

  // Local time minus its offset is UTC.  Work in seconds first: the range
  // check must happen before the nanosecond cast, which would overflow.
  const auto local = ch::sys_days{ymd} + ch::hours{hour} + ch::minutes{minute} + ch::seconds{second};
  const ch::sys_seconds utc_seconds = local - ch::minutes{offset_minutes};
  if (utc_seconds < kEarliest || utc_seconds >= kLatest) {
    return bad("instant outside the supported range 1678-01-01..2261-12-31 UTC");
  }
  return Timestamp{ch::time_point_cast<ch::nanoseconds>(utc_seconds) + ch::nanoseconds{nanos}};
}

Timestamp Timestamp::from_unix_seconds(std::int64_t seconds) {
  const auto lo = kEarliest.time_since_epoch().count();
  const auto hi = kLatest.time_since_epoch().count() - 1;
  const auto clamped = seconds < lo ? lo : seconds > hi ? hi : seconds;
  return Timestamp{ch::sys_time<ch::nanoseconds>{ch::seconds{clamped}}};
}

std::string Timestamp::to_string() const {
  const auto day = ch::floor<ch::days>(utc);
  const ch::year_month_day ymd{day};
  const ch::hh_mm_ss<ch::nanoseconds> tod{utc - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  std::string out = buf;
  auto frac = tod.subseconds().count();
  if (frac != 0) {
    char fbuf[16];
    std::snprintf(fbuf, sizeof fbuf, ".%09lld", static_cast<long long>(frac));
    std::string f = fbuf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

}  // namespace acmespec::acme
