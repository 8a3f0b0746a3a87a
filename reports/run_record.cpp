#include "reports/run_record.hpp"

#include "reports/fields.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::warn: return "warn";
    case Outcome::info: return "info";
    case Outcome::skip: return "skip";
    case Outcome::error: return "error";
  }
  return "error";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  for (Outcome outcome : kAllOutcomes)
    if (to_string(outcome) == text) return outcome;
  return std::nullopt;
}

Outcome check_outcome(const json& check) {
  return parse_outcome(get_string(check, "outcome")).value_or(Outcome::error);
}

std::string outcome_problem(const json& check) {
  if (!check.is_object() || !check.contains("outcome")) return "the check records no outcome";
  const json& raw = check["outcome"];
  if (!raw.is_string()) return "the check's outcome is not a string: " + dump_json(raw);
  if (parse_outcome(raw.get<std::string>())) return "";
  return "unknown outcome \"" + raw.get<std::string>() + "\"";
}

int Summary::count(Outcome outcome) const {
  switch (outcome) {
    case Outcome::pass: return pass;
    case Outcome::fail: return fail;
    case Outcome::warn: return warn;
    case Outcome::info: return info;
    case Outcome::skip: return skip;
    case Outcome::error: return error;
  }
  return 0;
}

Summary summarize(const json& record) {
  Summary s;
  for (const json& scenario : get_array(record, "scenarios")) {
    if (!scenario.is_object()) continue;
    ++s.scenarios;
    if (has_scenario_error(scenario)) {
      ++s.scenario_errors;
      ++s.error;
    }
    for (const json& check : get_array(scenario, "checks")) {
      if (!check.is_object()) continue;
      switch (check_outcome(check)) {
        case Outcome::pass: ++s.pass; break;
        case Outcome::fail: ++s.fail; break;
        case Outcome::warn: ++s.warn; break;
        case Outcome::info: ++s.info; break;
        case Outcome::skip: ++s.skip; break;
        case Outcome::error: ++s.error; break;
      }
    }
  }
  return s;
}

Verdict verdict(const Summary& summary) {
  if (summary.error > 0) return Verdict::error;
  if (summary.fail > 0) return Verdict::fail;
  return Verdict::pass;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::error: return "error";
  }
  return "error";
}

int exit_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass: return 0;
    case Verdict::fail: return 1;
    case Verdict::error: return 2;
  }
  return 2;
}

ExpectedFindings count_expected_findings(const json& record) {
  ExpectedFindings out;
  for (const json& scenario : get_array(record, "scenarios")) {
    if (!scenario.is_object()) continue;
    for (const json& check : get_array(scenario, "checks")) {
      if (!check.is_object() || check_outcome(check) != Outcome::fail) continue;
      ++(get_string(check, "expected_finding").empty() ? out.unexpected : out.expected);
    }
  }
  return out;
}

std::string render_expected_findings_gate(const json& record, int verdict_code) {
  const ExpectedFindings f = count_expected_findings(record);
  if (f.expected == 0) return "";
  const json& target = record.is_object() && record.contains("target") ? record["target"] : json();
  const std::string profile = get_string(target, "profile");
  const int code = f.gate(verdict_code);
  // A client profile's marks, or a baseline's kept in the record.
  return (profile.empty() ? std::string("marked in the record") : "profile " + printable(profile, false)) + ": " +
         std::to_string(f.expected) +
         (f.expected == 1 ? " failed check is an expected finding, " : " failed checks are expected findings, ") +
         std::to_string(f.unexpected) + " not \u2014 gate " + (code == 0 ? "PASS" : "FAIL") + " (exit " +
         std::to_string(code) + ")\n";
}

}  // namespace acmespec::reports
