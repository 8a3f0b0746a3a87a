#include "http/retry_after.hpp"

#include <array>
#include <optional>
#include <string>

namespace acmespec::http {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kShortDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr long long kMaxDeltaSeconds = 2147483647;

Error date_error(const std::string& why) { return make_error("Retry-After", why); }

// A cursor over the value that consumes exact pieces of the grammar.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return pos_ == s_.size(); }
  bool literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  std::optional<int> digits(std::size_t n) {
    if (pos_ + n > s_.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = s_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    return v;
  }
  template <std::size_t N>
  std::optional<int> one_of(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) return static_cast<int>(i);
    }
    return std::nullopt;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

struct Fields {
  int weekday = 0;
  int day = 0;
  int month = 0;  // 0-based
  int year = 0;
  int hour = 0, minute = 0, second = 0;
};

bool time_of_day(Scanner& s, Fields& f) {
  auto h = s.digits(2);
  if (!h || !s.literal(":")) return false;
  auto m = s.digits(2);
  if (!m || !s.literal(":")) return false;
  auto sec = s.digits(2);
  if (!sec) return false;
  f.hour = *h;
  f.minute = *m;
  f.second = *sec;
  return true;
}

// Sun, 06 Nov 1994 08:49:37 GMT
std::optional<Fields> imf_fixdate(std::string_view v) {
  Scanner s(v);
  Fields f;
  auto wd = s.one_of(kShortDays);
  if (!wd || !s.literal(", ")) return std::nullopt;
  auto day = s.digits(2);
  if (!day || !s.literal(" ")) return std::nullopt;
  auto mon = s.one_of(kMonths);
  if (!mon || !s.literal(" ")) return std::nullopt;
  auto year = s.digits(4);
  if (!year || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" GMT") || !s.done()) return std::nullopt;
  f.weekday = *wd;
  f.day = *day;
  f.month = *mon;
  f.year = *year;
  return f;
}

// Sunday, 06-Nov-94 08:49:37 GMT
std::optional<Fields> rfc850_date(std::string_view v, year_month_day today) {
  Scanner s(v);
  Fields f;
  auto wd = s.one_of(kLongDays);
  if (!wd || !s.literal(", ")) return std::nullopt;
  auto day = s.digits(2);
  if (!day || !s.literal("-")) return std::nullopt;
  auto mon = s.one_of(kMonths);
  if (!mon || !s.literal("-")) return std::nullopt;
  auto yy = s.digits(2);
  if (!yy || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" GMT") || !s.done()) return std::nullopt;
  const int current = static_cast<int>(today.year());
  int year = current / 100 * 100 + *yy;
  if (year > current + 50) year -= 100;
  f.weekday = *wd;
  f.day = *day;
  f.month = *mon;
  f.year = year;
  return f;
}

// Sun Nov  6 08:49:37 1994
std::optional<Fields> asctime_date(std::string_view v) {
  Scanner s(v);
  Fields f;
  auto wd = s.one_of(kShortDays);
  if (!wd || !s.literal(" ")) return std::nullopt;
  auto mon = s.one_of(kMonths);
  if (!mon || !s.literal(" ")) return std::nullopt;
  std::optional<int> day;
  if (s.literal(" ")) {
    day = s.digits(1);
  } else {
    day = s.digits(2);
  }
  if (!day || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" ")) return std::nullopt;
  auto year = s.digits(4);
  if (!year || !s.done()) return std::nullopt;
  f.weekday = *wd;
  f.day = *day;
  f.month = *mon;
  f.year = *year;
  return f;
}

Result<sys_seconds> to_time(const Fields& f) {
  const year_month_day ymd{year{f.year}, month{static_cast<unsigned>(f.month + 1)}, day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) return date_error("no such date: day " + std::to_string(f.day) + " of " +
                                   std::string(kMonths[static_cast<std::size_t>(f.month)]) + " " +
                                   std::to_string(f.year));
  // second 60 is a leap second (IMF, RFC 5322 §3.3).
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return date_error("time of day out of range");
  const sys_days days{ymd};
  if (weekday{days}.c_encoding() != static_cast<unsigned>(f.weekday)) {
    return date_error("day name " + std::string(kShortDays[static_cast<std::size_t>(f.weekday)]) +
                      " does not match the date (a " +
                      std::string(kShortDays[weekday{days}.c_encoding()]) + ")");
  }
  return sys_seconds{days} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

Result<sys_seconds> parse_http_date(std::string_view value, system_clock::time_point now) {
  const std::string_view v = trim(value);
  const year_month_day today{floor<days>(now)};
  std::optional<Fields> f = imf_fixdate(v);
  if (!f) f = rfc850_date(v, today);
  if (!f) f = asctime_date(v);
  if (!f) return date_error("'" + std::string(v) + "' is neither delta-seconds nor an HTTP-date");
  return to_time(*f);
}

Result<seconds> parse_retry_after(std::string_view value, system_clock::time_point now) {
  const std::string_view v = trim(value);
  if (v.empty()) return date_error("empty value");
  if (v.find_first_not_of("0123456789") == std::string_view::npos) {
    long long n = 0;
    for (char c : v) {
      n = n * 10 + (c - '0');
      if (n > kMaxDeltaSeconds) return date_error("delta-seconds '" + std::string(v) + "' is too large");
    }
    return seconds{n};
  }
  if (v.front() == '-' || v.front() == '+') return date_error("delta-seconds must be a non-negative integer");
  auto when = parse_http_date(v, now);
  if (!when) return when.error();
  // In whole seconds: a far-future date (the grammar allows year 9999) is
  // beyond what a nanosecond time_point difference can hold.
  const seconds wait = *when - floor<seconds>(now);
  return wait.count() < 0 ? seconds{0} : wait;
}

}  // namespace acmespec::http
