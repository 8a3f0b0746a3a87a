#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "common/json.hpp"
#include "reports/entries.hpp"

using namespace acmespec::reports;
using nlohmann::json;

TEST_CASE("sections sort as people read them", "[reports][entries]") {
  CHECK(section_less("6.5", "6.10"));
  CHECK_FALSE(section_less("6.10", "6.5"));
  CHECK(section_less("6", "6.1"));
  CHECK(section_less("7.4", "7.4.1"));
  CHECK(section_less("9", "10"));
  CHECK(section_less("11.1", "A.1"));  // appendices after numbered sections
  CHECK(section_less("A.1", "B"));
  CHECK_FALSE(section_less("7.1", "7.1"));
  CHECK(section_less("", "1"));
}

TEST_CASE("section groups name the spec and the top-level section", "[reports][entries]") {
  CHECK(section_group("RFC8555", "7.4.1") == "RFC8555 \u00a77");
  CHECK(section_group("RFC8737", "") == "RFC8737");
  CHECK(section_group("", "") == "other");
  CHECK(section_group("RFC8555", "A.1") == "RFC8555 \u00a7A");
}

TEST_CASE("entries count exactly as summarize does", "[reports][entries]") {
  const char* name = GENERATE("all-outcomes", "partial", "hostile");
  std::ifstream in(std::string(ACMESPEC_SOURCE_DIR) + "/tests/unit/reports/golden/" + name + ".json");
  std::ostringstream text;
  text << in.rdbuf();
  auto record = acmespec::parse_json(text.str());
  REQUIRE(record.ok());
  const auto entries = collect_entries(*record);
  const Summary s = summarize(*record);
  for (Outcome o : kAllOutcomes) {
    int n = 0;
    for (const auto& e : entries) n += e.outcome == o;
    INFO(name << " " << to_string(o));
    CHECK(n == s.count(o));
  }
  int scenario_errors = 0;
  for (const auto& e : entries) scenario_errors += e.scenario_error;
  CHECK(scenario_errors == s.scenario_errors);
}

TEST_CASE("severity ranks errors above failures above warnings", "[reports][entries]") {
  CHECK(severity(Outcome::error) > severity(Outcome::fail));
  CHECK(severity(Outcome::fail) > severity(Outcome::warn));
  CHECK(severity(Outcome::warn) > severity(Outcome::skip));
  CHECK(severity(Outcome::info) > severity(Outcome::pass));
  CHECK(is_problem(Outcome::fail));
  CHECK(is_problem(Outcome::error));
  CHECK_FALSE(is_problem(Outcome::warn));
}
