#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "reports/junit.hpp"
#include "reports/run_record.hpp"
#include "reports/text.hpp"
#include "xml_checker.hpp"

using namespace acmespec::reports;
using acmespec::reports::testing::parse_xml;
using acmespec::reports::testing::XmlElement;
using nlohmann::json;

namespace {

int count_attr(const XmlElement& e, const char* name) { return std::stoi(e.attr(name)); }

// Reads the XML back and checks every count against its children and against
// summarize(record).
void check_structure(const json& record, const std::string& xml) {
  INFO(xml);
  const auto root = parse_xml(xml);
  REQUIRE(root->name == "testsuites");
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const XmlElement* suite : root->all("testsuite")) {
    int s_failures = 0, s_errors = 0, s_skipped = 0;
    const auto cases = suite->all("testcase");
    for (const XmlElement* c : cases) {
      CHECK(c->attr("classname") == "acmespec." + suite->attr("name"));
      CHECK_FALSE(c->attr("time").empty());
      const auto f = c->all("failure").size(), e = c->all("error").size(), s = c->all("skipped").size();
      CHECK(f + e + s <= 1);
      if (f) CHECK(c->all("failure")[0]->attr("type") == "fail");
      if (e) CHECK(c->all("error")[0]->attr("type") == "error");
      s_failures += static_cast<int>(f);
      s_errors += static_cast<int>(e);
      s_skipped += static_cast<int>(s);
    }
    CHECK(count_attr(*suite, "tests") == static_cast<int>(cases.size()));
    CHECK(count_attr(*suite, "failures") == s_failures);
    CHECK(count_attr(*suite, "errors") == s_errors);
    CHECK(count_attr(*suite, "skipped") == s_skipped);
    tests += static_cast<int>(cases.size());
    failures += s_failures;
    errors += s_errors;
    skipped += s_skipped;
  }
  CHECK(count_attr(*root, "tests") == tests);
  CHECK(count_attr(*root, "failures") == failures);
  CHECK(count_attr(*root, "errors") == errors);
  CHECK(count_attr(*root, "skipped") == skipped);
  // A fail the client profile expects is rendered as skipped.
  int expected = 0;
  if (record.is_object() && record.contains("scenarios") && record["scenarios"].is_array())
    for (const json& sc : record["scenarios"])
      if (sc.is_object() && sc.contains("checks") && sc["checks"].is_array())
        for (const json& c : sc["checks"])
          expected += c.is_object() && c.value("outcome", json()) == "fail" && c.contains("expected_finding") &&
                      c["expected_finding"].is_string() && !c["expected_finding"].get<std::string>().empty();
  const Summary summary = summarize(record);
  CHECK(tests == summary.checks() + summary.scenario_errors);
  CHECK(failures == summary.fail - expected);
  CHECK(errors == summary.error);
  CHECK(skipped == summary.skip + expected);
}

}  // namespace

TEST_CASE("JUnit maps each outcome to the element CI systems expect", "[reports][junit]") {
  const json record = {
      {"mode", "server"},
      {"duration_ms", 1500},
      {"scenarios",
       {{{"id", "s1"},
         {"duration_ms", 1234},
         {"checks",
          {{{"id", "p"}, {"outcome", "pass"}},
           {{"id", "f"}, {"outcome", "fail"}, {"message", "bad status"}, {"evidence", {"x1", "x2"}},
            {"spec", "RFC8555"}, {"section", "7.4"}, {"level", "MUST"}, {"statement", "Orders start pending."}},
           {{"id", "e"}, {"outcome", "error"}, {"message", "timeout"}},
           {{"id", "s"}, {"outcome", "skip"}, {"message", "no keyChange"}},
           {{"id", "w"}, {"outcome", "warn"}, {"message", "no expires"}},
           {{"id", "i"}, {"outcome", "info"}, {"message", "has meta"}}}}},
        {{"id", "s2"}, {"error", "client crashed"}}}}};
  const std::string xml = render_junit(record);
  check_structure(record, xml);
  const auto root = parse_xml(xml);
  CHECK(root->attr("name") == "acmespec server");
  CHECK(root->attr("time") == "1.500");
  const auto suites = root->all("testsuite");
  REQUIRE(suites.size() == 2);
  CHECK(suites[0]->attr("time") == "1.234");
  const auto cases = suites[0]->all("testcase");
  REQUIRE(cases.size() == 6);
  CHECK(cases[0]->children.empty());
  const XmlElement& failure = *cases[1]->all("failure").at(0);
  CHECK(failure.attr("message") == "bad status");
  CHECK(failure.text.find("evidence: x1, x2") != std::string::npos);
  CHECK(failure.text.find("Orders start pending.") != std::string::npos);
  CHECK(failure.text.find("https://datatracker.ietf.org/doc/html/rfc8555#section-7.4") != std::string::npos);
  CHECK(cases[2]->all("error").at(0)->attr("message") == "timeout");
  CHECK(cases[3]->all("skipped").at(0)->attr("message") == "no keyChange");
  CHECK(cases[4]->all("system-out").at(0)->text.rfind("WARN: no expires", 0) == 0);
  CHECK(cases[4]->all("failure").empty());
  CHECK(cases[5]->all("system-out").at(0)->text.rfind("INFO: has meta", 0) == 0);
  const auto scenario_error = suites[1]->all("testcase");
  REQUIRE(scenario_error.size() == 1);
  CHECK(scenario_error[0]->attr("name") == "s2");
  CHECK(scenario_error[0]->all("error").at(0)->attr("message") == "client crashed");
}

TEST_CASE("JUnit renders a failure the client profile expects as skipped, with the failure as output", "[reports][junit]") {
  const json record = {
      {"mode", "client"},
      {"scenarios",
       {{{"id", "s1"},
         {"checks",
          {{{"id", "known"}, {"outcome", "fail"}, {"message", "followed http://"}, {"expected_finding", "lego follows it"}},
           {{"id", "new"}, {"outcome", "fail"}, {"message", "a regression"}},
           {{"id", "noted"}, {"outcome", "warn"}, {"message", "slow"}, {"expected_finding", "lego polls early"}}}}}}}};
  const std::string xml = render_junit(record);
  check_structure(record, xml);
  const auto root = parse_xml(xml);
  CHECK(root->attr("failures") == "1");
  CHECK(root->attr("skipped") == "1");
  const auto cases = root->all("testsuite").at(0)->all("testcase");
  REQUIRE(cases.size() == 3);
  CHECK(cases[0]->all("failure").empty());
  CHECK(cases[0]->all("skipped").at(0)->attr("message") == "expected finding: lego follows it");
  CHECK(cases[0]->all("system-out").at(0)->text.rfind("EXPECTED FAIL: followed http://", 0) == 0);
  CHECK(cases[1]->all("failure").at(0)->attr("message") == "a regression");
  CHECK(cases[2]->all("system-out").at(0)->text.rfind("WARN: slow", 0) == 0);  // a warn stays a pass with a note
}

TEST_CASE("JUnit renders an empty or malformed record as valid XML", "[reports][junit]") {
  for (const json& record : {json(), json(7), json::array(), json::object(), json{{"scenarios", "x"}},
                             json{{"scenarios", {nullptr, 1, "s", json::array()}}}, json{{"complete", "yes"}}}) {
    const std::string xml = render_junit(record);
    check_structure(record, xml);
    CHECK(parse_xml(xml)->attr("tests") == "0");
  }
}

TEST_CASE("JUnit survives arbitrary bytes in every string of the record", "[reports][junit]") {
  std::mt19937 rng(20261129);  // fixed: a failure must reproduce
  const auto random_bytes = [&](std::size_t max_len) {
    std::string s(std::uniform_int_distribution<std::size_t>(0, max_len)(rng), '\0');
    for (char& c : s) {
      // Bias towards the interesting bytes: markup, controls, UTF-8 lead bytes.
      static const char kSpecial[] = "<>&\"']\n\r\t\x1b\x7f\xc2\x9b\xe2\x80\xae\xef\xbf\xbe\xf0\xed\xa0";
      c = std::uniform_int_distribution<int>(0, 3)(rng) == 0
              ? kSpecial[std::uniform_int_distribution<std::size_t>(0, sizeof kSpecial - 2)(rng)]
              : static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    return s;
  };
  const char* outcomes[] = {"pass", "fail", "warn", "info", "skip", "error", "bogus", ""};
  for (int round = 0; round < 200; ++round) {
    json scenarios = json::array();
    const int n = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int i = 0; i < n; ++i) {
      json checks = json::array();
      const int m = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int j = 0; j < m; ++j)
        checks.push_back({{"id", random_bytes(20)},
                          {"outcome", outcomes[std::uniform_int_distribution<int>(0, 7)(rng)]},
                          {"message", random_bytes(400)},
                          {"statement", random_bytes(30)},
                          {"spec", random_bytes(8)},
                          {"section", random_bytes(5)},
                          {"evidence", {random_bytes(6)}}});
      json scenario = {{"id", random_bytes(20)}, {"title", random_bytes(30)}, {"checks", checks}};
      if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) scenario["error"] = random_bytes(50);
      scenarios.push_back(scenario);
    }
    const json record = {{"mode", random_bytes(10)}, {"scenarios", scenarios}};
    const std::string xml = render_junit(record);
    check_structure(record, xml);
    // Names come back as exactly the printable form of what the record held.
    const auto root = parse_xml(xml);
    const auto suites = root->all("testsuite");
    REQUIRE(suites.size() == scenarios.size());
    for (std::size_t i = 0; i < suites.size(); ++i) {
      const std::string expected = printable(scenarios[i]["id"].get<std::string>());
      // Attribute normalisation would fold a literal newline; the renderer
      // wrote it as &#10;, so it survives.
      CHECK(suites[i]->attr("name") == expected);
    }
  }
}

TEST_CASE("JUnit timestamps are UTC in the schema's form, or absent", "[reports][junit]") {
  const auto stamp = [](const char* started_at) {
    const json record = {{"started_at", started_at}, {"scenarios", {{{"id", "s"}}}}};
    const auto root = parse_xml(render_junit(record));
    const auto suite = root->all("testsuite").at(0);
    const auto it = suite->attributes.find("timestamp");
    return it == suite->attributes.end() ? std::string("(none)") : it->second;
  };
  CHECK(stamp("2026-11-29T02:30:00Z") == "2026-11-29T02:30:00");
  CHECK(stamp("2026-11-29T02:30:00.123Z") == "2026-11-29T02:30:00");
  CHECK(stamp("2026-11-29T02:30:00+00:00") == "2026-11-29T02:30:00");
  CHECK(stamp("2026-11-29T02:30:00+01:00") == "(none)");
  CHECK(stamp("2026-11-29") == "(none)");
  CHECK(stamp("yesterday") == "(none)");
}
