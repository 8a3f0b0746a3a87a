// Keeps the catalogue, the check implementations and the scenarios in step:
// every cited check is catalogued and implemented (the loader enforces it),
// every implemented check is catalogued and cited, and every server-role
// requirement is cited by some scenario unless scenarios/uncovered-server.json
// names it with a reason.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "common/json.hpp"
#include "engine/catalogue.hpp"
#include "engine/scenario.hpp"
#include "http/transcript.hpp"
#include "server/check.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

using namespace acmespec;

namespace {
const std::string kRoot = ACMESPEC_SOURCE_DIR;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = parse_json(text.str());
  REQUIRE(doc.ok());
  return *doc;
}
}  // namespace

TEST_CASE("catalogue, checks and scenarios agree", "[coverage]") {
  auto cat = engine::load_catalogue(kRoot + "/scenarios/requirements.json");
  REQUIRE(cat.ok());
  http::Transcript transcript;
  server::ServerExecutor vocabulary(server::ServerConfig{}, transcript);
  auto scenarios = engine::load_scenarios(kRoot + "/scenarios/server", *cat, vocabulary);
  INFO((scenarios.ok() ? std::string() : scenarios.error().to_string()));
  REQUIRE(scenarios.ok());

  std::set<std::string> cited;
  for (const auto& sc : *scenarios)
    for (const auto& id : sc.cited_checks()) cited.insert(id);

  for (const auto& check : server::all_checks()) {
    INFO("implemented check " << check.id);
    CHECK(cat->find(check.id) != nullptr);
    CHECK(cited.count(check.id) == 1);
  }

  std::set<std::string> uncovered;
  const auto doc = read_json(kRoot + "/scenarios/uncovered-server.json");
  for (const auto& item : doc.at("uncovered")) {
    const std::string id = item.at("id").get<std::string>();
    INFO("uncovered entry " << id);
    CHECK(cat->find(id) != nullptr);
    CHECK_FALSE(item.at("reason").get<std::string>().empty());
    CHECK(cited.count(id) == 0);  // stale entry: the check is covered now
    CHECK(uncovered.insert(id).second);
  }

  for (const auto& req : cat->requirements) {
    if (req.role == engine::Role::client) continue;
    INFO("server-role requirement " << req.id);
    CHECK((cited.count(req.id) == 1 || uncovered.count(req.id) == 1));
  }
}

TEST_CASE("every op and check name is unique", "[coverage]") {
  std::set<std::string> ids;
  for (const auto& c : server::all_checks()) CHECK(ids.insert(c.id).second);
  std::set<std::string> ops;
  for (const auto& o : server::all_ops()) CHECK(ops.insert(o.name).second);
}
