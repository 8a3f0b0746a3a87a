#include <catch2/catch.hpp>

#include <set>

#include "common/json.hpp"
#include "engine/catalogue.hpp"

using namespace acmespec::engine;
using nlohmann::json;

namespace {
json one(json req) { return json{{"version", 1}, {"requirements", json::array({req})}}; }
json valid_req() {
  return json{{"id", "RFC8555-6.5-nonce-on-post-response"}, {"spec", "RFC8555"}, {"section", "6.5"},
              {"level", "MUST"}, {"role", "server"}, {"statement", "Every POST response carries a fresh nonce."},
              {"tags", {"nonce"}}};
}
}  // namespace

TEST_CASE("the shipped catalogue is valid and large enough", "[catalogue]") {
  auto cat = load_catalogue(std::string(ACMESPEC_SOURCE_DIR) + "/scenarios/requirements.json");
  INFO((cat.ok() ? std::string() : cat.error().to_string()));
  REQUIRE(cat.ok());
  CHECK(cat->requirements.size() >= 100);
  // Sorted by spec then section (numerically), so `acmespec list` reads in RFC order.
  for (std::size_t i = 1; i < cat->requirements.size(); ++i) {
    const auto& a = cat->requirements[i - 1];
    const auto& b = cat->requirements[i];
    INFO(a.id << " before " << b.id);
    CHECK((a.spec < b.spec || (a.spec == b.spec && !section_less(b.section, a.section))));
  }
}

TEST_CASE("catalogue entries are validated with paths", "[catalogue]") {
  CHECK(parse_catalogue(one(valid_req())).ok());

  auto bad = [](const char* member, json value) {
    json r = valid_req();
    if (value.is_null()) r.erase(member);
    else r[member] = value;
    auto c = parse_catalogue(one(r));
    REQUIRE_FALSE(c.ok());
    return c.error().to_string();
  };
  CHECK(bad("level", "MUSTN'T") == "requirements[0].level: must be MUST, SHOULD or MAY");
  CHECK(bad("role", "ca") == "requirements[0].role: must be server, client or both");
  CHECK(bad("statement", nullptr) == "requirements[0].statement: missing");
  CHECK(bad("section", 6.5) == "requirements[0].section: not a string");
  CHECK(bad("id", "RFC8555-6.6-nonce").find("must start with \"RFC8555-6.5-\"") != std::string::npos);
  CHECK(bad("id", "RFC8555-6.5-Nonce_On").find("kebab-case") != std::string::npos);
  CHECK(bad("tags", json::array({1})) == "requirements[0].tags[0]: not a string");
  CHECK(bad("extra", "x") == "requirements[0].extra: unknown member");

  json dup = {{"version", 1}, {"requirements", {valid_req(), valid_req()}}};
  CHECK(parse_catalogue(dup).error().to_string() ==
        "requirements[1].id: duplicate id RFC8555-6.5-nonce-on-post-response");
  json retired = one(valid_req());
  retired["retired"] = {"RFC8555-6.5-nonce-on-post-response"};
  CHECK(parse_catalogue(retired).error().reason.find("retired") != std::string::npos);
  CHECK_FALSE(parse_catalogue(json{{"version", 2}, {"requirements", json::array()}}).ok());
}

TEST_CASE("sections order numerically and link to the datatracker", "[catalogue]") {
  CHECK(section_less("6.2", "6.10"));
  CHECK(section_less("6", "6.1"));
  CHECK(section_less("7.1.6", "7.2"));
  CHECK_FALSE(section_less("7.2", "7.1.6"));
  CHECK_FALSE(section_less("8", "8"));
  CHECK(section_less("10", "A.1"));
  Requirement r;
  r.spec = "RFC8737";
  r.section = "3";
  CHECK(r.url() == "https://datatracker.ietf.org/doc/html/rfc8737#section-3");
}
