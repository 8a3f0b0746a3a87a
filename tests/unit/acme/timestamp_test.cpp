#include <catch2/catch.hpp>

#include <cstdint>

#include "acme/timestamp.hpp"

using acmespec::acme::Timestamp;
namespace ch = std::chrono;

namespace {
Timestamp at(int y, unsigned m, unsigned d, int hh, int mm, int ss, long long ns = 0) {
  return Timestamp{ch::sys_days{ch::year{y} / ch::month{m} / ch::day{d}} + ch::hours{hh} + ch::minutes{mm} +
                   ch::seconds{ss} + ch::nanoseconds{ns}};
}
}  // namespace

TEST_CASE("RFC 3339: valid timestamps and their UTC instants", "[timestamp]") {
  struct Case {
    const char* text;
    Timestamp expect;
  };
  const Case cases[] = {
      {"2016-01-05T14:09:07.99Z", at(2016, 1, 5, 14, 9, 7, 990'000'000)},
      {"2016-01-01T00:00:00Z", at(2016, 1, 1, 0, 0, 0)},
      {"1985-04-12T23:20:50.52Z", at(1985, 4, 12, 23, 20, 50, 520'000'000)},
      // Offsets are subtracted to reach UTC, including across day boundaries.
      {"1996-12-19T16:39:57-08:00", at(1996, 12, 20, 0, 39, 57)},
      {"2020-03-01T00:30:00+01:00", at(2020, 2, 29, 23, 30, 0)},
      {"2021-01-01T05:45:00+05:45", at(2021, 1, 1, 0, 0, 0)},
      {"1990-12-31T15:59:59-00:00", at(1990, 12, 31, 15, 59, 59)},
      // Lower-case separators are valid ABNF and accepted.
      {"2016-01-05t14:09:07z", at(2016, 1, 5, 14, 9, 7)},
      {"2024-02-29T12:00:00Z", at(2024, 2, 29, 12, 0, 0)},
      {"2000-02-29T12:00:00Z", at(2000, 2, 29, 12, 0, 0)},
      {"2016-01-05T14:09:07.123456789Z", at(2016, 1, 5, 14, 9, 7, 123'456'789)},
      // Digits beyond nanoseconds are truncated.
      {"2016-01-05T14:09:07.1234567891234Z", at(2016, 1, 5, 14, 9, 7, 123'456'789)},
      // The supported range is what a nanosecond sys_time holds, in whole years.
      {"1678-01-01T00:00:00Z", at(1678, 1, 1, 0, 0, 0)},
      {"2261-12-31T23:59:59.999999999Z", at(2261, 12, 31, 23, 59, 59, 999'999'999)},
      {"2261-12-31T23:30:00+01:00", at(2261, 12, 31, 22, 30, 0)},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto t = Timestamp::parse(c.text);
    REQUIRE(t.ok());
    CHECK(*t == c.expect);
  }
}

TEST_CASE("RFC 3339: invalid timestamps are refused with a reason", "[timestamp]") {
  struct Case {
    const char* text;
    const char* reason_part;
  };
  const Case cases[] = {
      {"2023-02-29T00:00:00Z", "day out of range"},
      {"1900-02-29T00:00:00Z", "day out of range"},
      {"2016-04-31T00:00:00Z", "day out of range"},
      {"2016-13-01T00:00:00Z", "month out of range"},
      {"2016-00-01T00:00:00Z", "month out of range"},
      {"2016-01-00T00:00:00Z", "day out of range"},
      {"2016-01-05T24:00:00Z", "hour out of range"},
      {"2016-01-05T23:60:00Z", "minute out of range"},
      {"2016-12-31T23:59:60Z", "leap seconds"},
      {"2016-01-05T23:59:61Z", "second out of range"},
      {"2016-01-05T14:09Z", "seconds are missing"},
      {"2016-01-05T14:09:07", "missing 'Z' or offset"},
      {"2016-01-05 14:09:07Z", "expected 'T'"},
      {"2016-01-05T14:09:07.Z", "empty fraction"},
      {"2016-01-05T14:09:07+0100", "offset is not"},
      {"2016-01-05T14:09:07+01", "offset is not"},
      {"2016-01-05T14:09:07+24:00", "offset out of range"},
      {"2016-01-05T14:09:07+01:60", "offset out of range"},
      {"2016-01-05T14:09:07ZZ", "trailing characters"},
      {"2016-01-05T14:09:07Z ", "trailing characters"},
      {"16-01-05T14:09:07Z", "date is not"},
      {"2016-1-5T14:09:07Z", "date is not"},
      {"2016-01-05", "expected 'T'"},
      {"", "date is not"},
      {"2016-01-05T1:09:07Z", "time is not"},
      {"1678-01-01T00:30:00+01:00", "outside the supported range"},
      {"2261-12-31T23:30:00-01:00", "outside the supported range"},
      {"0000-01-01T00:00:00Z", "outside the supported range"},
      {"9999-12-31T23:59:59Z", "outside the supported range"},
      {"1677-12-31T23:59:59.999999999Z", "outside the supported range"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto t = Timestamp::parse(c.text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().path.empty());
    CHECK_THAT(t.error().reason, Catch::StartsWith("not an RFC 3339 timestamp: "));
    CHECK_THAT(t.error().reason, Catch::Contains(c.reason_part));
  }
  CHECK_FALSE(Timestamp::parse(std::string("2016-01-05T14:09:07.") + std::string(70, '1') + "Z").ok());
}

TEST_CASE("RFC 3339: formatting is UTC with Z and a minimal fraction", "[timestamp]") {
  CHECK(at(2016, 1, 5, 14, 9, 7, 990'000'000).to_string() == "2016-01-05T14:09:07.99Z");
  CHECK(at(2016, 1, 1, 0, 0, 0).to_string() == "2016-01-01T00:00:00Z");
  CHECK(at(2016, 1, 1, 0, 0, 0, 1).to_string() == "2016-01-01T00:00:00.000000001Z");
  CHECK(at(1700, 7, 9, 8, 7, 6).to_string() == "1700-07-09T08:07:06Z");
  CHECK(Timestamp::from_unix_seconds(INT64_MIN).to_string() == "1678-01-01T00:00:00Z");
  CHECK(Timestamp::from_unix_seconds(INT64_MAX).to_string() == "2261-12-31T23:59:59Z");
  CHECK(Timestamp::from_unix_seconds(0).to_string() == "1970-01-01T00:00:00Z");
  CHECK(Timestamp::from_unix_seconds(1700000000).to_string() == "2023-11-14T22:13:20Z");
  CHECK(Timestamp::parse("1996-12-19T16:39:57-08:00")->to_string() == "1996-12-20T00:39:57Z");
}

TEST_CASE("RFC 3339: parse(to_string(t)) == t", "[timestamp]") {
  for (const char* text : {"2016-01-05T14:09:07.99Z", "2020-02-29T23:59:59.000000001+14:00",
                           "1678-01-01T00:00:00Z", "2261-12-31T23:59:59.999999999Z", "2016-01-05t14:09:07z"}) {
    INFO(text);
    auto t = Timestamp::parse(text);
    REQUIRE(t.ok());
    auto again = Timestamp::parse(t->to_string());
    REQUIRE(again.ok());
    CHECK(*again == *t);
  }
  CHECK(at(2016, 1, 1, 0, 0, 0) < at(2016, 1, 1, 0, 0, 1));
}
