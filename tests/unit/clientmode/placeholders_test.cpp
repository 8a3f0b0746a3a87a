#include <catch2/catch.hpp>

#include "clientmode/placeholders.hpp"

using namespace acmespec::clientmode;

TEST_CASE("placeholders: every occurrence is replaced, braces can be escaped") {
  Placeholders values{{"directory", "https://127.0.0.1:1/dir"}, {"domain", "a.test"}};
  auto r = expand("--server={directory} -d {domain},{domain} {{literal}}", values);
  REQUIRE(r.ok());
  CHECK(*r == "--server=https://127.0.0.1:1/dir -d a.test,a.test {literal}");
  auto all = expand_all({"lego", "--domains", "{domain}", "plain"}, values);
  REQUIRE(all.ok());
  CHECK(*all == std::vector<std::string>{"lego", "--domains", "a.test", "plain"});
}

TEST_CASE("placeholders: unknown or malformed placeholders are errors naming the argument") {
  Placeholders values{{"domain", "a.test"}};
  auto r = expand_all({"ok", "-d {domian}"}, values);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "command[1]");
  CHECK(r.error().reason.find("unknown placeholder {domian}") != std::string::npos);
  CHECK_FALSE(expand("{domain", values).ok());
  CHECK_FALSE(expand("domain}", values).ok());
}

TEST_CASE("placeholders: the documented names are unique") {
  const auto& names = placeholder_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = i + 1; j < names.size(); ++j) CHECK(names[i] != names[j]);
}
