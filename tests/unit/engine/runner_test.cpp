#include <catch2/catch.hpp>

#include "fake_vocabulary.hpp"

using namespace engine_test;

namespace {
Scenario scenario_of(std::vector<json> steps) {
  json doc = {{"id", "s"}, {"title", "t"}, {"suites", {"core"}}, {"sections", {"6.5"}}, {"steps", steps}};
  auto r = parse_scenario(doc, "s.json", test_catalogue(), FakeVocabulary{});
  REQUIRE(r.ok());
  return *r;
}
const json& check(const json& entry, const std::string& slug) {
  for (const auto& c : entry["checks"])
    if (c["id"] == "RFC8555-6.5-" + slug) return c;
  FAIL("no check " << slug);
  static json none;
  return none;
}
}  // namespace

TEST_CASE("levels decide outcomes; strict turns SHOULD into fail", "[runner]") {
  Scenario sc = scenario_of({json{{"op", "emit"}, {"args", {{"value", "meh"}}},
                                  {"expect", {"RFC8555-6.5-value-is-ok", "RFC8555-6.5-value-is-nice",
                                              "RFC8555-6.5-value-is-fancy"}}}});
  FakeExecutor ex;
  Catalogue cat = test_catalogue();
  json e = run_scenario(sc, ex, cat, {});
  CHECK(check(e, "value-is-ok")["outcome"] == "fail");
  CHECK(check(e, "value-is-ok")["message"] == "expected ok, got \"meh\"");
  CHECK(check(e, "value-is-ok")["evidence"] == json::array({"x1"}));
  CHECK(check(e, "value-is-nice")["outcome"] == "warn");
  CHECK(check(e, "value-is-fancy")["outcome"] == "info");
  CHECK(check(e, "value-is-ok")["level"] == "MUST");
  RunOptions strict;
  strict.strict = true;
  json s = run_scenario(sc, ex, cat, strict);
  CHECK(check(s, "value-is-nice")["outcome"] == "fail");
}

TEST_CASE("variables flow between steps and checks fold to the worst result", "[runner]") {
  Scenario sc = scenario_of({
      json{{"op", "emit"}, {"args", {{"value", "ok"}}}, {"save", {{"v", "args.value"}}},
           {"expect", {"RFC8555-6.5-value-is-ok"}}},
      json{{"op", "emit"}, {"args", {{"value", "${v}"}}}, {"expect", {"RFC8555-6.5-value-is-ok"}}},
      json{{"op", "emit"}, {"args", {{"value", "${greeting}"}}}, {"expect", {"RFC8555-6.5-value-is-ok"}}},
  });
  FakeExecutor ex;
  json e = run_scenario(sc, ex, test_catalogue(), {});
  const json& c = check(e, "value-is-ok");
  CHECK(c["outcome"] == "fail");
  CHECK(c["evaluations"] == 3);
  CHECK(c["step"] == 3);
  CHECK(c["message"] == "expected ok, got \"hello\"");
}

TEST_CASE("a failed operation stops the scenario and later checks are skipped with the cause", "[runner]") {
  Scenario sc = scenario_of({
      json{{"op", "broken"}, {"expect", {"RFC8555-6.5-value-is-nice"}}},
      json{{"op", "emit"}, {"args", {{"value", "ok"}}}, {"expect", {"RFC8555-6.5-value-is-ok"}}},
  });
  FakeExecutor ex;
  json e = run_scenario(sc, ex, test_catalogue(), {});
  CHECK(ex.steps_run == 1);
  CHECK(check(e, "value-is-nice")["outcome"] == "warn");
  CHECK(check(e, "value-is-ok")["outcome"] == "skip");
  CHECK(check(e, "value-is-ok")["message"] == "not reached: step 1 (broken) failed: the target answered 500");
  CHECK(e["error"].is_null());
}

TEST_CASE("may_fail lets the scenario continue", "[runner]") {
  Scenario sc = scenario_of({
      json{{"op", "broken"}, {"may_fail", true}},
      json{{"op", "emit"}, {"args", {{"value", "ok"}}}, {"expect", {"RFC8555-6.5-value-is-ok"}}},
  });
  FakeExecutor ex;
  json e = run_scenario(sc, ex, test_catalogue(), {});
  CHECK(check(e, "value-is-ok")["outcome"] == "pass");
}

TEST_CASE("harness errors and missing variables are errors with a reason", "[runner]") {
  FakeExecutor ex;
  Scenario boom = scenario_of({json{{"op", "explode"}, {"expect", {"RFC8555-6.5-value-is-ok"}}}});
  json e = run_scenario(boom, ex, test_catalogue(), {});
  CHECK(check(e, "value-is-ok")["outcome"] == "error");
  CHECK(e["error"] == "step 1 (explode) could not be performed: responder could not bind");

  Scenario missing = scenario_of({
      json{{"op", "emit"}, {"args", {{"value", "${never_saved}"}}}, {"expect", {"RFC8555-6.5-value-is-ok"}}}});
  json m = run_scenario(missing, ex, test_catalogue(), {});
  CHECK(check(m, "value-is-ok")["outcome"] == "error");
  CHECK(check(m, "value-is-ok")["message"].get<std::string>().find("unknown variable ${never_saved}") !=
        std::string::npos);
}

TEST_CASE("a skipped scenario records every check as skip with the reason", "[runner]") {
  Scenario sc = scenario_of({json{{"op", "emit"}, {"expect", {"RFC8555-6.5-value-is-ok"}}}});
  FakeExecutor ex;
  ex.skip_ids = {"s"};
  std::vector<json> seen;
  RunOptions opts;
  opts.on_scenario = [&](const json& entry) { seen.push_back(entry); };
  auto all = run_all({&sc}, ex, test_catalogue(), opts);
  REQUIRE(seen.size() == 1);
  CHECK(ex.steps_run == 0);
  CHECK(seen[0]["skipped"] == "target lacks the feature");
  CHECK(check(seen[0], "value-is-ok")["outcome"] == "skip");
}

TEST_CASE("variables are resolved inside mutations too", "[runner]") {
  Scenario sc = scenario_of({json{{"op", "emit"}, {"args", {{"value", "ok"}}}, {"save", {{"v", "args.value"}}}},
                             json{{"op", "emit"}, {"mutate", {{"protected.nonce", "${v}-${greeting}"}}}}});
  FakeExecutor ex;
  run_scenario(sc, ex, test_catalogue(), {});
  CHECK(ex.last_mutate == json{{"protected.nonce", "ok-hello"}});

  Scenario missing = scenario_of({json{{"op", "emit"}, {"mutate", {{"protected.nonce", "${nope}"}}},
                                       {"expect", {"RFC8555-6.5-value-is-ok"}}}});
  json e = run_scenario(missing, ex, test_catalogue(), {});
  CHECK(check(e, "value-is-ok")["outcome"] == "error");
  CHECK(check(e, "value-is-ok")["message"].get<std::string>().find("mutate.protected.nonce: unknown variable ${nope}") !=
        std::string::npos);
}
