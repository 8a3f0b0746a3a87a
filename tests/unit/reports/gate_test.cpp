// Baselines, run diffs and interop matrices: the CI-gate side of reports.
#include <catch2/catch.hpp>

#include <string>

#include "reports/baseline.hpp"
#include "reports/diff.hpp"
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/interop.hpp"
#include "reports/markdown.hpp"

using namespace acmespec::reports;
using nlohmann::json;

namespace {

json check(const std::string& id, const std::string& outcome) {
  return {{"id", id}, {"spec", "RFC8555"}, {"section", "7.4"}, {"level", "MUST"}, {"outcome", outcome},
          {"message", id + " was " + outcome}};
}

json run(std::vector<json> checks, const std::string& scenario = "s1") {
  return {{"mode", "server"}, {"complete", true},
          {"scenarios", {{{"id", scenario}, {"checks", json(checks)}}}}};
}

}  // namespace

TEST_CASE("a valid baseline parses, with and without a scenario", "[reports][baseline]") {
  auto b = parse_baseline(R"({"format": "acmespec-baseline/1", "expected_failures": [
      {"check": "A", "reason": "known bug 1"},
      {"check": "B", "scenario": "s2", "reason": "only in s2"}]})",
                          "base.json");
  REQUIRE(b.ok());
  REQUIRE(b->expected.size() == 2);
  CHECK(b->expected[1].scenario == "s2");
  CHECK(b->expected[0].reason == "known bug 1");
}

TEST_CASE("a malformed baseline is refused with the place and the reason", "[reports][baseline]") {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"not json", "base.json"},
      {"[]", "a baseline is a JSON object"},
      {R"({"expected_failures": []})", "format: must be \"acmespec-baseline/1\""},
      {R"({"format": "acmespec-baseline/1"})", "expected_failures: expected an array"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [], "extra": 1})", "extra: unknown member"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": ["A"]})", "expected_failures[0]: expected an object"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [{"check": "A"}]})",
       "expected_failures[0]: missing \"reason\""},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [{"check": "A", "reason": " "}]})",
       "expected_failures[0].reason: must not be empty"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [{"check": 7, "reason": "r"}]})",
       "expected_failures[0].check: expected a string"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [{"check": "A", "reason": "r", "resaon": "x"}]})",
       "expected_failures[0].resaon: unknown member"},
      {R"({"format": "acmespec-baseline/1", "expected_failures": [{"check": "A", "reason": "r"},
          {"check": "A", "reason": "again"}]})",
       "expected_failures[1]: duplicate"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto b = parse_baseline(c.text, "base.json");
    REQUIRE_FALSE(b.ok());
    CHECK_THAT(b.error().to_string(), Catch::Contains(c.expected));
    CHECK_THAT(b.error().to_string(), Catch::StartsWith("base.json"));
  }
}

TEST_CASE("the baseline gate fails only on regressions and reports unexpected passes", "[reports][baseline]") {
  const json record = run({check("known", "fail"), check("fixed", "pass"), check("new-bug", "fail"),
                           check("ok", "pass")});
  auto b = parse_baseline(R"({"format": "acmespec-baseline/1", "expected_failures": [
      {"check": "known", "reason": "r1"}, {"check": "fixed", "reason": "r2"},
      {"check": "gone", "reason": "r3"}]})",
                          "b");
  REQUIRE(b.ok());
  auto r = apply_baseline(record, *b);
  REQUIRE(r.regressions.size() == 1);
  CHECK(r.regressions[0].check == "new-bug");
  REQUIRE(r.known.size() == 1);
  CHECK(r.known[0].reason == "r1");
  REQUIRE(r.unexpected_passes.size() == 1);
  CHECK(r.unexpected_passes[0].check == "fixed");
  CHECK(r.unexpected_passes[0].outcome == "pass");
  REQUIRE(r.not_run.size() == 1);
  CHECK(r.not_run[0].check == "gone");
  CHECK(r.exit_code() == 1);
  const std::string text = render_baseline_text(r);
  CHECK_THAT(text, Catch::Contains("new-bug in s1 [fail]"));
  CHECK_THAT(text, Catch::Contains("Unexpected passes, listed in the baseline but not failing (1):\n  fixed [pass]: r2"));
  CHECK_THAT(text, Catch::EndsWith("gate FAIL\n"));

  // With the regression baselined too, the gate passes though the run failed.
  b->expected.push_back({"new-bug", "s1", "filed upstream"});
  CHECK(apply_baseline(record, *b).exit_code() == 0);
  // A scenario-specific entry does not cover the same check elsewhere.
  b->expected.back().scenario = "s9";
  CHECK(apply_baseline(record, *b).exit_code() == 1);
  // An unlisted error is a harness problem: exit 2.
  CHECK(apply_baseline(run({check("x", "error")}), Baseline{}).exit_code() == 2);
}

TEST_CASE("the Markdown summary with a baseline leads with the gate", "[reports][markdown][baseline]") {
  const json record = run({check("known", "fail"), check("fixed", "pass")});
  Baseline b{{{"known", "", "r1"}, {"fixed", "", "r2"}}};
  const auto r = apply_baseline(record, b);
  const std::string md = render_markdown(record, &r);
  CHECK_THAT(md, Catch::StartsWith("## acmespec server: \u274c FAIL \u2014 gate \u2705 PASS (baseline)"));
  CHECK_THAT(md, Catch::Contains("### Unexpected passes (1)"));
  CHECK_THAT(md, Catch::Contains("### Known failures (baseline) (1)"));
  CHECK_THAT(md, !Catch::Contains("### Regressions"));
}

TEST_CASE("Markdown and HTML name the reason of a failure the client profile expects", "[reports][markdown][html]") {
  json known = check("known", "fail");
  known["expected_finding"] = "the client follows http:// | on purpose";
  const json record = run({known, check("new", "fail")});
  const std::string md = render_markdown(record, nullptr);
  CHECK_THAT(md, Catch::StartsWith("## acmespec server: \u274c FAIL \u2014 gate \u274c FAIL (1 expected finding)"));
  CHECK_THAT(render_markdown(run({known}), nullptr),
             Catch::StartsWith("## acmespec server: \u274c FAIL \u2014 gate \u2705 PASS (1 expected finding)"));
  CHECK_THAT(md, Catch::Contains("_expected finding:_ the client follows http:// \\| on purpose \u2014 "));
  const std::string html = render_html(record);
  CHECK_THAT(html, Catch::Contains("id=\"gate\">fail</span> 1 failed check is an expected finding, 1 not"));
  CHECK_THAT(render_html(run({known})), Catch::Contains("id=\"gate\">pass</span>"));
  CHECK_THAT(html, Catch::Contains("<dt>expected finding</dt><dd class=\"expected\">the client follows http:// | on purpose</dd>"));
}

TEST_CASE("Markdown escapes record text and caps long tables", "[reports][markdown]") {
  std::vector<json> checks;
  for (int i = 0; i < 230; ++i) checks.push_back(check("c" + std::to_string(i), "fail"));
  checks[0]["message"] = "a | b <script> `x` *y*\nsecond line";
  const std::string md = render_markdown(run(checks));
  CHECK_THAT(md, Catch::Contains("a \\| b \\<script\\> \\`x\\` \\*y\\*"));
  CHECK_THAT(md, !Catch::Contains("second line"));
  CHECK_THAT(md, Catch::Contains("### Failures (230)"));
  CHECK_THAT(md, Catch::Contains("\u2026 and 30 more"));
  CHECK_THAT(md, Catch::Contains("(https://datatracker.ietf.org/doc/html/rfc8555#section-7.4)"));
  CHECK(md.size() < 1024 * 1024);
}

TEST_CASE("diff sorts changes into regressions, fixes, new, removed and changed", "[reports][diff]") {
  const json older = run({check("a", "pass"), check("b", "fail"), check("c", "pass"), check("d", "pass"),
                          check("e", "pass")});
  const json newer = run({check("a", "fail"), check("b", "pass"), check("c", "warn"), check("e", "pass"),
                          check("f", "pass"), check("g", "error")});
  const auto d = diff_runs(older, newer);
  REQUIRE(d.regressions.size() == 2);
  CHECK(d.regressions[0].check == "a");
  CHECK(d.regressions[0].before == "pass");
  CHECK(d.regressions[1].check == "g");
  CHECK(d.regressions[1].before.empty());
  REQUIRE(d.fixed.size() == 1);
  CHECK(d.fixed[0].check == "b");
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].after == "warn");
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].check == "f");
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].check == "d");
  CHECK(d.unchanged == 1);
  CHECK(d.exit_code() == 1);
  CHECK(diff_runs(newer, newer).exit_code() == 0);
  CHECK(diff_runs(newer, older).exit_code() == 1);  // b fails again
  CHECK_THAT(render_diff_text(d), Catch::Contains("s1 / a: pass -> fail"));
  CHECK_THAT(render_diff_markdown(d), Catch::Contains("### Regressions (2)"));
}

TEST_CASE("the interop matrix has one column per run and the worst outcome per cell", "[reports][interop]") {
  json a = run({check("x", "pass"), check("y", "fail")});
  a["scenarios"].push_back({{"id", "s2"}, {"checks", {check("x", "warn")}}});
  a["target"] = {{"name", "pebble"}};
  json b = run({check("x", "pass")});
  b["target"] = {{"name", "pebble"}};
  const std::vector<LabelledRun> runs{{run_label(a, "a"), a}, {run_label(b, "b"), b}};
  const std::string md = render_interop_markdown(runs);
  CHECK_THAT(md, Catch::Contains("| check | level | pebble | pebble (2) |"));
  CHECK_THAT(md, Catch::Contains("| [x](https://datatracker.ietf.org/doc/html/rfc8555#section-7.4) | MUST | \u26a0\ufe0f warn | \u2705 pass |"));
  CHECK_THAT(md, Catch::Contains("| [y](https://datatracker.ietf.org/doc/html/rfc8555#section-7.4) | MUST | \u274c fail |  |"));
  const std::string page = render_interop_html(runs);
  CHECK_THAT(page, Catch::Contains("<th class=\"impl\">pebble (2)</th>"));
  CHECK_THAT(page, Catch::Contains("data-outcome=\"fail\""));
  CHECK(run_label(json::object(), "file") == "file");
}

TEST_CASE("Markdown, diff and matrix render records that are not records", "[reports][markdown]") {
  for (const json& r : {json(), json::array(), json(42), json{{"scenarios", "nope"}}, json{{"tool", 1}},
                        json{{"scenarios", {1, "x", json::object()}}}}) {
    std::string md;
    CHECK_NOTHROW(md = render_markdown(r));
    CHECK_THAT(md, Catch::StartsWith("## acmespec "));
    CHECK_NOTHROW(diff_runs(r, r));
    CHECK_NOTHROW(render_interop_markdown({{"a", r}, {"b", r}}));
    CHECK_NOTHROW(apply_baseline(r, Baseline{{{"x", "", "r"}}}));
  }
}

TEST_CASE("a baseline marks the failures it lists, so JUnit agrees with the gate", "[reports][baseline][junit]") {
  json record = run({check("known", "fail"), check("new", "fail"), check("known-error", "error"), check("fine", "pass")});
  json profile_marked = check("both", "fail");
  profile_marked["expected_finding"] = "from the profile";
  record["scenarios"][0]["checks"].push_back(profile_marked);
  Baseline b{{{"known", "", "upstream #42"}, {"known-error", "", "flaky"}, {"both", "", "listed too"},
              {"new", "another-scenario", "elsewhere"}}};
  for (auto& scenario : record["scenarios"]) mark_baseline_failures(scenario, b);
  const json& checks = record["scenarios"][0]["checks"];
  CHECK(checks[0]["expected_finding"] == "baseline: upstream #42");
  CHECK_FALSE(checks[1].contains("expected_finding"));  // listed for another scenario only
  CHECK_FALSE(checks[2].contains("expected_finding"));  // errors stay errors
  CHECK_FALSE(checks[3].contains("expected_finding"));
  CHECK(checks[4]["expected_finding"] == "from the profile");  // an earlier mark stays
  const std::string xml = render_junit(record);
  CHECK_THAT(xml, Catch::Contains("<skipped message=\"expected finding: baseline: upstream #42\"/>"));
  CHECK_THAT(xml, Catch::Contains("failures=\"1\""));
  // The gate is still the baseline's.
  CHECK(apply_baseline(record, b).exit_code() == 1);
  mark_baseline_failures(record, b);  // not a scenario: nothing happens
  json odd = {{"checks", "x"}};
  mark_baseline_failures(odd, b);
}
