#include <catch2/catch.hpp>

#include "reports/run_record.hpp"

using namespace acmespec::reports;
using nlohmann::json;

namespace {

json check(const char* outcome) { return json{{"id", std::string("c-") + outcome}, {"outcome", outcome}}; }

}  // namespace

TEST_CASE("outcomes convert to and from their record spelling", "[reports][record]") {
  for (Outcome o : kAllOutcomes) CHECK(parse_outcome(to_string(o)) == o);
  CHECK(to_string(Outcome::warn) == "warn");
  CHECK_FALSE(parse_outcome("PASS"));
  CHECK_FALSE(parse_outcome(""));
  CHECK_FALSE(parse_outcome("passed"));
}

TEST_CASE("a check without a valid outcome counts as an error", "[reports][record]") {
  CHECK(check_outcome(check("skip")) == Outcome::skip);
  CHECK(check_outcome(json{{"id", "x"}}) == Outcome::error);
  CHECK(check_outcome(json{{"outcome", 1}}) == Outcome::error);
  CHECK(check_outcome(json::array()) == Outcome::error);
  CHECK(outcome_problem(check("pass")).empty());
  CHECK(outcome_problem(json{{"id", "x"}}) == "the check records no outcome");
  CHECK(outcome_problem(json{{"outcome", "PASS"}}) == "unknown outcome \"PASS\"");
  CHECK(outcome_problem(json{{"outcome", 3}}) == "the check's outcome is not a string: 3");
}

TEST_CASE("summarize recounts checks and ignores the stored summary", "[reports][record]") {
  json record = {{"summary", {{"pass", 100}, {"fail", 0}}},
                 {"verdict", "pass"},
                 {"scenarios", json::array({
                     {{"id", "a"}, {"error", nullptr},
                      {"checks", {check("pass"), check("pass"), check("fail"), check("warn"), check("info"),
                                  check("skip"), check("error"), json{{"id", "no-outcome"}}, "junk", 5}}},
                     {{"id", "b"}, {"error", {{"reason", "client exited"}}}},
                     {{"id", "c"}, {"checks", "not an array"}},
                     "not a scenario",
                 })}};
  const Summary s = summarize(record);
  CHECK(s.pass == 2);
  CHECK(s.fail == 1);
  CHECK(s.warn == 1);
  CHECK(s.info == 1);
  CHECK(s.skip == 1);
  CHECK(s.error == 3);  // outcome error, missing outcome, scenario b
  CHECK(s.scenarios == 3);
  CHECK(s.scenario_errors == 1);
  CHECK(s.checks() == 8);
  for (Outcome o : kAllOutcomes) CHECK(s.count(o) >= 1);
  CHECK(verdict(s) == Verdict::error);
}

TEST_CASE("summarize tolerates records that are not records", "[reports][record]") {
  for (const json& bad : {json(), json(42), json("x"), json::array(), json::object(),
                          json{{"scenarios", json::object()}}}) {
    const Summary s = summarize(bad);
    CHECK(s.scenarios == 0);
    CHECK(s.checks() == 0);
    CHECK(verdict(s) == Verdict::pass);
  }
}

TEST_CASE("verdict and exit code follow docs/run-record.md", "[reports][record]") {
  Summary s;
  CHECK(verdict(s) == Verdict::pass);
  s.warn = 3;
  s.info = 1;
  s.skip = 2;
  CHECK(verdict(s) == Verdict::pass);  // warnings never fail a run by themselves
  s.fail = 1;
  CHECK(verdict(s) == Verdict::fail);
  s.error = 1;
  CHECK(verdict(s) == Verdict::error);

  CHECK(exit_code(Verdict::pass) == 0);
  CHECK(exit_code(Verdict::fail) == 1);
  CHECK(exit_code(Verdict::error) == 2);
  CHECK(to_string(Verdict::fail) == "fail");

  // A scenario that died before its first check makes the run an error.
  json record = {{"scenarios", {{{"id", "a"}, {"error", "timed out"}, {"checks", {check("fail")}}}}}};
  CHECK(verdict(summarize(record)) == Verdict::error);
  record["scenarios"][0]["error"] = nullptr;
  CHECK(verdict(summarize(record)) == Verdict::fail);
}

TEST_CASE("failures a client profile expects pass the gate; any other failure or an error does not", "[reports][record]") {
  json known = check("fail");
  known["expected_finding"] = "lego follows http:// URLs";
  json noted_warn = check("warn");
  noted_warn["expected_finding"] = "polls early";
  json record = {{"target", {{"profile", "lego"}}},
                 {"scenarios", json::array({{{"id", "a"}, {"checks", {known, noted_warn, check("pass")}}}})}};
  auto f = count_expected_findings(record);
  CHECK(f.expected == 1);
  CHECK(f.unexpected == 0);
  CHECK(f.gate(1) == 0);
  CHECK(f.gate(2) == 2);  // an error is never discounted
  CHECK(render_expected_findings_gate(record, 1) ==
        "profile lego: 1 failed check is an expected finding, 0 not \u2014 gate PASS (exit 0)\n");

  record["scenarios"][0]["checks"].push_back(check("fail"));
  f = count_expected_findings(record);
  CHECK(f.unexpected == 1);
  CHECK(f.gate(1) == 1);
  CHECK(render_expected_findings_gate(record, 1) ==
        "profile lego: 1 failed check is an expected finding, 1 not \u2014 gate FAIL (exit 1)\n");

  // No marks, or an empty reason: nothing to say, the verdict stands.
  json plain = {{"scenarios", json::array({{{"id", "a"}, {"checks", {check("fail")}}}})}};
  CHECK(render_expected_findings_gate(plain, 1).empty());
  json server = {{"target", {{"directory", "https://ca.test/dir"}}},
                 {"scenarios", json::array({{{"id", "a"}, {"checks", {known}}}})}};
  CHECK(render_expected_findings_gate(server, 1) ==
        "marked in the record: 1 failed check is an expected finding, 0 not \u2014 gate PASS (exit 0)\n");
  plain["scenarios"][0]["checks"][0]["expected_finding"] = "";
  CHECK(count_expected_findings(plain).gate(1) == 1);
  CHECK(count_expected_findings(json("not a record")).gate(1) == 1);
}
