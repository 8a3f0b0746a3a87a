// Retry-After (RFC 9110 §10.2.3): ACME servers send it with 503 and
// rateLimited problems, and on orders still processing (RFC 8555 §7.4).
#pragma once

#include <chrono>
#include <string_view>

#include "common/result.hpp"

namespace acmespec::http {

// Parses a Retry-After field value into how long to wait from `now`.
//  - delta-seconds: 1*DIGIT; at most 2^31-1 (RFC 9111 §1.2.2 treats larger
//    values as overflow), anything else (sign, fraction, spaces inside) fails;
//  - HTTP-date in any of the three forms recipients must accept (§5.6.7):
//    IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", obsolete RFC 850
//    "Sunday, 06-Nov-94 08:49:37 GMT" (a two-digit year more than 50 years
//    ahead of `now` means the previous century) and asctime
//    "Sun Nov  6 08:49:37 1994".  The day name must match the date.  A date
//    in the past gives 0; a future one is rounded up to whole seconds.
// Leading and trailing whitespace is ignored.
Result<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// The HTTP-date part on its own, as a point in time.
Result<std::chrono::sys_seconds> parse_http_date(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace acmespec::http
