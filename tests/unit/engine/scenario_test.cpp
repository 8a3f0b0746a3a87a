#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "fake_vocabulary.hpp"

using namespace engine_test;
namespace fs = std::filesystem;

namespace {
json minimal() {
  return json{{"id", "emit-once"},
              {"title", "t"},
              {"suites", {"core"}},
              {"sections", {"6.5"}},
              {"steps", json::array({json{{"op", "emit"}, {"args", {{"value", "ok"}}},
                                          {"expect", {"RFC8555-6.5-value-is-ok"}}}})}};
}
std::string parse_error(const json& doc) {
  auto r = parse_scenario(doc, "s.json", test_catalogue(), FakeVocabulary{});
  REQUIRE_FALSE(r.ok());
  return r.error().to_string();
}
}  // namespace

TEST_CASE("a valid scenario parses", "[scenario]") {
  auto r = parse_scenario(minimal(), "s.json", test_catalogue(), FakeVocabulary{});
  REQUIRE(r.ok());
  CHECK(r->steps.size() == 1);
  CHECK(r->steps[0].index == 1);
  CHECK(r->steps[0].name == "emit");
  CHECK(r->cited_checks() == std::vector<std::string>{"RFC8555-6.5-value-is-ok"});
}

TEST_CASE("malformed scenarios are refused with file, path and reason", "[scenario]") {
  json d = minimal();
  d.erase("title");
  CHECK(parse_error(d) == "s.json: title: missing");
  d = minimal();
  d["steps"][0]["op"] = "emt";
  CHECK(parse_error(d) == "s.json: steps[0].op: unknown operation \"emt\"");
  d = minimal();
  d["steps"][0]["expect"] = {"RFC8555-6.5-nope"};
  CHECK(parse_error(d) == "s.json: steps[0].expect[0]: check RFC8555-6.5-nope is not in the catalogue");
  d = minimal();
  d["steps"][0]["expect"] = {"RFC8555-6.5-uncoded"};
  CHECK(parse_error(d) == "s.json: steps[0].expect[0]: check RFC8555-6.5-uncoded has no implementation");
  d = minimal();
  d["steps"][0]["expect"] = {"RFC8555-6.5-rejects-bad-nonce"};
  CHECK(parse_error(d).find("judges a rejection, but the step has none of the mutations") != std::string::npos);
  d["steps"][0]["mutate"] = {{"protected.nonce", "replay"}};
  CHECK(parse_scenario(d, "s.json", test_catalogue(), FakeVocabulary{}).ok());
  d["steps"][0]["mutate"] = {{"protected.kid", "x"}};
  CHECK(parse_error(d) == "s.json: steps[0].mutate.protected.kid: unknown mutation");
  d = minimal();
  d["steps"][0]["save"] = {{"9bad", "x"}};
  CHECK(parse_error(d).find("steps[0].save.9bad: variable names") != std::string::npos);
  d = minimal();
  d["stpes"] = json::array();
  CHECK(parse_error(d) == "s.json: stpes: unknown member");
  d = minimal();
  d["steps"] = json::array();
  CHECK(parse_error(d) == "s.json: steps: must be a non-empty array");
  d = minimal();
  d["id"] = "Emit Once";
  CHECK(parse_error(d) == "s.json: id: scenario ids are kebab-case [a-z0-9-]");
  d = minimal();
  d["suites"] = {1};
  CHECK(parse_error(d) == "s.json: suites[0]: not a non-empty string");
}

TEST_CASE("load_scenarios reads a folder and refuses duplicate ids and broken JSON", "[scenario]") {
  fs::path dir = fs::temp_directory_path() / "acmespec-scenario-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "6.5");
  auto write = [&](const fs::path& p, const std::string& text) { std::ofstream(dir / p) << text; };
  write("6.5/a.json", minimal().dump());
  json other = minimal();
  other["id"] = "emit-twice";
  write("b.json", other.dump());
  auto ok = load_scenarios(dir, test_catalogue(), FakeVocabulary{});
  REQUIRE(ok.ok());
  CHECK(ok->size() == 2);

  write("c.json", minimal().dump());
  auto dup = load_scenarios(dir, test_catalogue(), FakeVocabulary{});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().reason.find("already used by") != std::string::npos);
  fs::remove(dir / "c.json");

  write("d.json", "{\"id\": ");
  auto broken = load_scenarios(dir, test_catalogue(), FakeVocabulary{});
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().path.find("d.json") != std::string::npos);
  CHECK(broken.error().reason.find("invalid JSON") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("selection by id, suite and section", "[scenario]") {
  auto make = [](std::string id, std::string suite, std::string section) {
    Scenario s;
    s.id = std::move(id);
    s.suites = {std::move(suite)};
    s.sections = {std::move(section)};
    return s;
  };
  std::vector<Scenario> all = {make("a", "core", "7.3.5"), make("b", "negative", "6.5"), make("c", "core", "7.30")};
  CHECK(select(all, {}).size() == 3);
  CHECK(select(all, {{"b"}, {}, {}}).size() == 1);
  CHECK(select(all, {{}, {"core"}, {}}).size() == 2);
  auto by_section = select(all, {{}, {}, {"7.3"}});
  REQUIRE(by_section.size() == 1);  // 7.3 selects 7.3.5 but not 7.30
  CHECK(by_section[0]->id == "a");
}
