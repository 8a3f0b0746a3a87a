// Helper of scenario_fuzzer: the scenario loader against the real catalogue.
#include <string>

#include "common/json.hpp"
#include "engine/catalogue.hpp"
#include "engine/scenario.hpp"
#include "fuzz_support.hpp"
#include "http/transcript.hpp"
#include "server/server_mode.hpp"

namespace acmespec::fuzz {

void exercise_scenario(std::string_view text) {
  static const engine::Catalogue catalogue = [] {
    auto doc = parse_json(embedded_catalogue());
    if (!doc) fail("the embedded catalogue is not JSON", doc.error().to_string());
    auto cat = engine::parse_catalogue(*doc);
    if (!cat) fail("the embedded catalogue does not load", cat.error().to_string());
    return std::move(cat).value();
  }();
  // The server-mode vocabulary validates steps; constructing it opens nothing.
  static http::Transcript transcript;
  static const server::ServerExecutor vocabulary(server::ServerConfig{}, transcript);

  auto doc = parse_json(text);
  if (!doc) return;
  auto scenario = engine::parse_scenario(*doc, "fuzz.json", catalogue, vocabulary);
  if (!scenario) {
    require(scenario.error().path.rfind("fuzz.json", 0) == 0, "scenario error does not name the file",
            scenario.error().to_string());
    return;
  }
  for (const auto& id : scenario->cited_checks()) {
    require(catalogue.find(id) != nullptr, "a loaded scenario cites a check outside the catalogue", id);
  }
}

}  // namespace acmespec::fuzz
