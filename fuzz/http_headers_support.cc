// Helper of http_headers_fuzzer: Link and Retry-After field values.
#include <chrono>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "http/link.hpp"
#include "http/retry_after.hpp"

namespace acmespec::fuzz {

namespace {

// A fixed "now" keeps Retry-After results reproducible.
constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{1'700'000'000}};

}  // namespace

void exercise_http_headers(std::string_view text) {
  auto links = http::parse_link_header(text);
  if (links) {
    for (const auto& link : *links) {
      for (const auto& rel : link.rels) {
        require(!rel.empty(), "empty link relation");
        for (char c : rel) require(!(c >= 'A' && c <= 'Z'), "relation not lower-cased", rel);
      }
    }
    (void)http::find_links(*links, "next");
    (void)http::resolve_links(*links, "https://ca.example/acme/order/1?x=y");
  }
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start <= text.size() && fields.size() < 64) {
    const std::size_t end = text.find('\n', start);
    fields.emplace_back(text.substr(start, end == std::string_view::npos ? text.size() - start : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  (void)http::parse_link_headers(fields);

  auto wait = http::parse_retry_after(text, std::chrono::system_clock::time_point{kNow});
  if (wait) require(wait->count() >= 0, "negative Retry-After", text);
  (void)http::parse_http_date(text, std::chrono::system_clock::time_point{kNow});
}

}  // namespace acmespec::fuzz
