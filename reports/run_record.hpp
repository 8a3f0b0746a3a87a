// Reading results out of a run record (docs/run-record.md).
//
// The stored "summary" and "verdict" are conveniences for other readers;
// reports recompute both from the checks, so a record edited by hand or cut
// short by a killed run still renders with numbers that add up.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

using json = nlohmann::json;

// The outcome of one check (see docs/run-record.md, "Outcomes").
enum class Outcome { pass, fail, warn, info, skip, error };
inline constexpr Outcome kAllOutcomes[] = {Outcome::pass, Outcome::fail, Outcome::warn,
                                           Outcome::info, Outcome::skip, Outcome::error};

// "pass", "fail", ... exactly as they appear in the record.
std::string_view to_string(Outcome outcome);
// The inverse of to_string; nullopt for anything else (case matters).
std::optional<Outcome> parse_outcome(std::string_view text);

// A check's outcome.  A check without a recognisable "outcome" counts as
// error: the record cannot say whether the requirement held.
Outcome check_outcome(const json& check);
// Why check_outcome had to fall back to error ("the check records no
// outcome", "unknown outcome \"PASS\""); empty when the outcome is valid.
std::string outcome_problem(const json& check);

struct Summary {
  int pass = 0, fail = 0, warn = 0, info = 0, skip = 0;
  // Checks with outcome error plus scenarios whose "error" is not null, so
  // that a scenario that died before its first check is still counted.
  int error = 0;
  int scenarios = 0;        // entries in "scenarios"
  int scenario_errors = 0;  // of which have a non-null "error"

  int count(Outcome outcome) const;
  int checks() const { return pass + fail + warn + info + skip + error - scenario_errors; }
};

// Counts every check of every scenario.  Anything that is not an object (the
// record, a scenario, a check) is ignored rather than trusted.
Summary summarize(const json& record);

enum class Verdict { pass, fail, error };

// error when any check or scenario has an error, else fail when any check
// failed, else pass.  Warnings never fail a run: under --strict the engine
// has already recorded violated SHOULDs as fail.
Verdict verdict(const Summary& summary);
std::string_view to_string(Verdict verdict);  // "pass", "fail", "error"
// The process exit code for a verdict: pass 0, fail 1, error 2.
int exit_code(Verdict verdict);

// Client mode with a profile marks the failures the profile expects with
// "expected_finding" (the reason).  They are the client's known findings,
// not a regression: the gate passes when every failure is marked and no
// check or scenario has an error.
struct ExpectedFindings {
  int expected = 0;    // fail checks with a non-empty expected_finding
  int unexpected = 0;  // fail checks without one
  // The exit code for `verdict_code` (exit_code(verdict)) once the marked
  // failures are discounted.
  int gate(int verdict_code) const { return verdict_code == 1 && unexpected == 0 && expected > 0 ? 0 : verdict_code; }
};
ExpectedFindings count_expected_findings(const json& record);
// "profile lego: 9 failed checks are expected findings, 0 not — gate PASS
// (exit 0)\n", or "" when no failure is marked.
std::string render_expected_findings_gate(const json& record, int verdict_code);

}  // namespace acmespec::reports
