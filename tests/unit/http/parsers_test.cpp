#include <catch2/catch.hpp>

#include "http/link.hpp"
#include "http/retry_after.hpp"
#include "http/url.hpp"

using namespace acmespec::http;
using namespace std::chrono;

TEST_CASE("parse_url splits scheme, host, port, path and query", "[http][url]") {
  auto u = parse_url("HTTPS://Example.COM:14000/dir/a?x=1&y=2#frag");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "example.com");
  CHECK(u->port == 14000);
  CHECK(u->path == "/dir/a");
  CHECK(u->query == "x=1&y=2");
  CHECK(u->target() == "/dir/a?x=1&y=2");
  CHECK(u->to_string() == "https://example.com:14000/dir/a?x=1&y=2");

  auto d = parse_url("http://127.0.0.1");
  REQUIRE(d);
  CHECK(d->port == 80);
  CHECK(d->target() == "/");
  CHECK(d->authority() == "127.0.0.1");

  auto v6 = parse_url("https://[::1]:8443/x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 8443);
  CHECK(v6->authority() == "[::1]:8443");
  CHECK(v6->host_port() == "[::1]:8443");
}

TEST_CASE("parse_url refuses what it cannot or should not fetch", "[http][url]") {
  auto ftp = parse_url("ftp://example.com/");
  REQUIRE_FALSE(ftp);
  CHECK(ftp.error().path == "scheme");
  CHECK(ftp.error().reason.find("unsupported scheme") != std::string::npos);
  CHECK_FALSE(parse_url("/relative/path"));
  CHECK_FALSE(parse_url("http:/x"));
  CHECK_FALSE(parse_url("http://"));
  CHECK_FALSE(parse_url("http://user:pw@example.com/"));
  CHECK_FALSE(parse_url("http://example.com:0/"));
  CHECK_FALSE(parse_url("http://example.com:65536/"));
  CHECK_FALSE(parse_url("http://example.com:8a/"));
  CHECK_FALSE(parse_url("http://[::1/"));
  CHECK_FALSE(parse_url("http://[zz::1]/"));
  CHECK_FALSE(parse_url("http://::1/"));
  CHECK_FALSE(parse_url("http://exa mple.com/"));
  CHECK_FALSE(parse_url("http://example.com/a\r\nX: y"));
  CHECK_FALSE(parse_url("http://example.com/%zz"));
}

TEST_CASE("resolve_reference follows RFC 3986 section 5.4", "[http][url]") {
  const std::string base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},           {"g", "http://a/b/c/g"},        {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},            {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
      {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},        {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},   {"../../g", "http://a/g"},     {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},     {"g.", "http://a/b/c/g."},     {"./../g", "http://a/b/g"},
      {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
  };
  for (const auto& [ref, want] : cases) {
    INFO(ref);
    auto got = resolve_reference(base, ref);
    REQUIRE(got);
    CHECK(*got == want);
  }
  CHECK(*resolve_reference("https://ca.test:14000/acme/order/1", "/acme/cert/9") ==
        "https://ca.test:14000/acme/cert/9");
  CHECK(*resolve_reference("https://ca.test", "x") == "https://ca.test/x");
  CHECK_FALSE(resolve_reference("/not/absolute", "x"));
  CHECK_FALSE(resolve_reference(base, "a b"));
}

TEST_CASE("Link: several links with several rels and parameters", "[http][link]") {
  auto links = parse_link_header(
      R"(<https://ca.test/dir>;rel="index", <https://ca.test/cert/1/1> ; rel = "alternate  UP"; title="a, b; c")");
  REQUIRE(links);
  REQUIRE(links->size() == 2);
  CHECK((*links)[0].uri == "https://ca.test/dir");
  CHECK((*links)[0].rels == std::vector<std::string>{"index"});
  CHECK((*links)[1].rels == std::vector<std::string>{"alternate", "up"});
  CHECK((*links)[1].params.at("title") == "a, b; c");
  CHECK(find_links(*links, "UP").size() == 1);
  CHECK(find_links(*links, "next").empty());
}

TEST_CASE("Link: quoted escapes, token values, odd spacing and commas in targets", "[http][link]") {
  auto links = parse_link_header(
      "<https://ca.test/a,b;c>; rel=next; Type=\"x\\\"y\\\\z\"; anchor=\"#t\" ,, <../prev>;rel=prev;rel=ignored");
  REQUIRE(links);
  REQUIRE(links->size() == 2);
  CHECK((*links)[0].uri == "https://ca.test/a,b;c");
  CHECK((*links)[0].has_rel("next"));
  CHECK((*links)[0].params.at("type") == "x\"y\\z");
  CHECK((*links)[0].params.at("anchor") == "#t");
  CHECK((*links)[1].rels == std::vector<std::string>{"prev"});  // the second rel is ignored
  CHECK((*links)[1].params.at("rel") == "prev");

  auto resolved = resolve_links(*links, "https://ca.test/orders/list/2");
  REQUIRE(resolved);
  CHECK((*resolved)[1].uri == "https://ca.test/orders/prev");
}

TEST_CASE("Link: several fields combine in order", "[http][link]") {
  auto links = parse_link_headers({"<https://ca.test/1>;rel=\"alternate\"", "<https://ca.test/2>;rel=\"alternate\""});
  REQUIRE(links);
  REQUIRE(find_links(*links, "alternate").size() == 2);
  CHECK((*links)[1].uri == "https://ca.test/2");
  auto bad = parse_link_headers({"<https://ca.test/1>;rel=up", "nope"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().path == "Link[1]");
}

TEST_CASE("Link: malformed values are errors", "[http][link]") {
  for (const char* bad : {"https://ca.test/x; rel=up", "<https://ca.test/x", "<https://ca.test/x>; rel=\"up",
                          "<https://ca.test/x> rel=up", "<https://ca.test/x>; =up", "<https://ca.test/x>; rel=",
                          "<https://ca.test/x>; rel=up junk", "<https://ca test/x>; rel=up"}) {
    INFO(bad);
    auto r = parse_link_header(bad);
    CHECK_FALSE(r);
    if (!r) CHECK(r.error().reason.find("offset") != std::string::npos);
  }
  auto empty = parse_link_header("");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("Retry-After: delta-seconds", "[http][retry-after]") {
  const auto now = system_clock::now();
  CHECK(*parse_retry_after("120", now) == seconds{120});
  CHECK(*parse_retry_after(" 0\t", now) == seconds{0});
  CHECK(*parse_retry_after("2147483647", now) == seconds{2147483647});
  CHECK_FALSE(parse_retry_after("2147483648", now));
  CHECK_FALSE(parse_retry_after("99999999999999999999999", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("+5", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("1 2", now));
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("soon", now));
}

TEST_CASE("Retry-After: the three HTTP-date forms", "[http][retry-after]") {
  const auto now = sys_days{1994y / November / 6} + 8h + 49min + 0s;
  CHECK(*parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 37s);
  CHECK(*parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == 37s);
  CHECK(*parse_retry_after("Sun Nov  6 08:49:37 1994", now) == 37s);
  CHECK(*parse_retry_after("Sun, 06 Nov 1994 09:49:00 GMT", now) == 3600s);
  // Sub-second remainders round up so the caller never retries early.
  CHECK(*parse_retry_after("Sun, 06 Nov 1994 08:49:01 GMT", now - 500ms) == 2s);
  // Past dates mean "now".
  CHECK(*parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now) == 0s);
  CHECK(*parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now) == 0s);
}

TEST_CASE("Retry-After: RFC 850 two-digit years and bad dates", "[http][retry-after]") {
  const auto now = sys_days{2024y / June / 1};
  auto y1980 = parse_http_date("Tuesday, 01-Jan-80 00:00:00 GMT", now);
  REQUIRE(y1980);
  CHECK(*y1980 == sys_days{1980y / January / 1});
  auto y2070 = parse_http_date("Wednesday, 01-Jan-70 00:00:00 GMT", now);
  REQUIRE(y2070);
  CHECK(*y2070 == sys_days{2070y / January / 1});
  CHECK(parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT", now));  // leap day, leap second

  for (const char* bad : {"Mon, 06 Nov 1994 08:49:37 GMT",  // wrong day name
                          "Sun, 31 Nov 1994 08:49:37 GMT",  // no such day
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT junk",
                          "sun, 06 nov 1994 08:49:37 GMT", "Sun Nov 06 08:49:37 1994x", "Sunday, 06-Nov-1994 08:49:37 GMT",
                          "Fri, 29 Feb 2023 00:00:00 GMT"}) {
    INFO(bad);
    CHECK_FALSE(parse_retry_after(bad, now));
  }
}
