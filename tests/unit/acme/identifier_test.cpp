#include <catch2/catch.hpp>

#include "acme/identifier.hpp"

using namespace acmespec::acme;
using nlohmann::json;

TEST_CASE("identifiers: known and unknown types parse", "[identifier]") {
  auto dns = Identifier::parse(json{{"type", "dns"}, {"value", "www.example.org"}});
  REQUIRE(dns.ok());
  CHECK(dns->kind() == IdentifierKind::dns);
  CHECK_FALSE(dns->is_wildcard());
  CHECK(dns->to_json() == json{{"type", "dns"}, {"value", "www.example.org"}});

  auto wild = Identifier::parse(json{{"type", "dns"}, {"value", "*.example.org"}});
  REQUIRE(wild.ok());
  CHECK(wild->is_wildcard());

  auto ip4 = Identifier::parse(json{{"type", "ip"}, {"value", "192.0.2.1"}});
  REQUIRE(ip4.ok());
  CHECK(ip4->kind() == IdentifierKind::ip);
  CHECK(Identifier::parse(json{{"type", "ip"}, {"value", "2001:db8::1"}}).ok());

  auto other = Identifier::parse(json{{"type", "permanent-identifier"}, {"value", "anything at all"}});
  REQUIRE(other.ok());
  CHECK(other->kind() == IdentifierKind::unknown);
  CHECK(other->type == "permanent-identifier");
  CHECK(Identifier::parse(other->to_json()).value() == *other);
}

TEST_CASE("identifiers: errors name the member", "[identifier]") {
  struct Case {
    json input;
    const char* path;
    const char* reason;
  };
  const Case cases[] = {
      {json::array(), "id", "not an object"},
      {json{{"value", "example.org"}}, "id.type", "missing required member"},
      {json{{"type", "dns"}}, "id.value", "missing required member"},
      {json{{"type", 1}, {"value", "example.org"}}, "id.type", "not a string"},
      {json{{"type", "dns"}, {"value", nullptr}}, "id.value", "not a string"},
      {json{{"type", "ip"}, {"value", "192.0.2.256"}}, "id.value", "not a textual IPv4 or IPv6 address"},
      {json{{"type", "ip"}, {"value", "example.org"}}, "id.value", "not a textual IPv4 or IPv6 address"},
      {json{{"type", "dns"}, {"value", "exa mple.org"}}, "id.value",
       "not a plausible DNS name: character outside letters, digits and hyphen"},
  };
  for (const auto& c : cases) {
    INFO(c.input.dump());
    auto r = Identifier::parse(c.input, "id");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().path == c.path);
    CHECK(r.error().reason == c.reason);
  }
  // The lenient form checks shape only.
  CHECK(Identifier::parse_lenient(json{{"type", "dns"}, {"value", "_example.org"}}).ok());
  CHECK_FALSE(Identifier::parse_lenient(json{{"type", "dns"}}).ok());
}

TEST_CASE("identifiers: DNS name plausibility", "[identifier]") {
  for (const char* good : {"example.org", "www.example.org", "*.example.org", "localhost", "a-b.c-d.example",
                           "xn--bcher-kva.example", "EXAMPLE.ORG", "1.example.org", "a.b2"}) {
    INFO(good);
    CHECK(is_plausible_dns_name(good));
  }
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  CHECK(is_plausible_dns_name(label63 + ".example"));
  CHECK(dns_name_problem(label64 + ".example") == "label longer than 63 characters");
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  long_name += "com";  // 253 characters
  CHECK(long_name.size() == 253);
  CHECK(is_plausible_dns_name(long_name));
  CHECK(dns_name_problem(long_name + "x") == "name longer than 253 characters");

  CHECK(dns_name_problem("") == "empty name");
  CHECK(dns_name_problem("example.org.") == "trailing dot");
  CHECK(dns_name_problem("example..org") == "empty label");
  CHECK(dns_name_problem(".example.org") == "empty label");
  CHECK(dns_name_problem("-a.example") == "label starts or ends with a hyphen");
  CHECK(dns_name_problem("a-.example") == "label starts or ends with a hyphen");
  CHECK(dns_name_problem("_acme.example") == "character outside letters, digits and hyphen");
  CHECK(dns_name_problem("b\xc3\xbc" "cher.example") == "character outside letters, digits and hyphen");
  CHECK(dns_name_problem("www.*.example") == "'*' is only allowed as the whole first label");
  CHECK(dns_name_problem("*example.org") == "'*' is only allowed as the whole first label");
  CHECK(dns_name_problem("*.*.example.org") == "'*' is only allowed as the whole first label");
  CHECK(dns_name_problem("*.") == "trailing dot");
  CHECK(dns_name_problem("*") == "'*' is only allowed as the whole first label");
  CHECK(dns_name_problem("*.example.org", false) == "wildcard not allowed here");
  CHECK_THAT(dns_name_problem("192.0.2.1").value_or(""), Catch::Contains("all digits"));
}

TEST_CASE("identifiers: IP canonical forms", "[identifier]") {
  struct Case {
    const char* in;
    const char* canonical;
  };
  const Case cases[] = {
      {"192.0.2.1", "192.0.2.1"},
      {"2001:db8::1", "2001:db8::1"},
      {"2001:DB8::1", "2001:db8::1"},
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},     // first of equal runs
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},           // longest run wins
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // no "::" for one group
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"fe80::", "fe80::"},
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
      {"::ffff:c000:0201", "::ffff:192.0.2.1"},
      {"::c000:201", "::c000:201"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = canonicalize_ip(c.in);
    REQUIRE(got.has_value());
    CHECK(*got == c.canonical);
    CHECK(is_canonical_ip(c.canonical));
  }
  CHECK_FALSE(is_canonical_ip("2001:DB8::1"));
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "fe80::1%eth0", "2001:db8::/32",
                          "1:2:3:4:5:6:7:8:9", "::g", " 192.0.2.1", "192.0.2.1 "}) {
    INFO(bad);
    CHECK_FALSE(canonicalize_ip(bad).has_value());
  }
  CHECK_FALSE(canonicalize_ip(std::string(100, '1')).has_value());
}
