// Baselines: the failures a target is known to have, each with a reason, so
// a CI gate fails only on regressions (the tlsfuzzer "expected failures"
// idea).  File format, JSON (docs/reports.md):
//
//   {"format": "acmespec-baseline/1",
//    "expected_failures": [
//      {"check": "RFC8555-7.4-order-status-pending",
//       "scenario": "order-issuance-http01",      (optional: any scenario)
//       "reason": "Pebble answers orders as valid at once, issue #123"}]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "reports/entries.hpp"

namespace acmespec::reports {

struct ExpectedFailure {
  std::string check;
  std::string scenario;  // empty: the check in any scenario
  std::string reason;
};

struct Baseline {
  std::vector<ExpectedFailure> expected;
};

// Parses a baseline.  Everything not in the format above is refused with the
// JSON path and the reason: unknown members (a typo would silently baseline
// nothing), missing or empty reasons, duplicates.  `source` names the file in
// errors.
Result<Baseline> parse_baseline(std::string_view text, const std::string& source);

struct BaselineItem {
  std::string scenario, check, outcome, reason, message;
};

struct BaselineResult {
  std::vector<BaselineItem> regressions;        // fail/error not in the baseline
  std::vector<BaselineItem> known;              // fail/error the baseline expects
  std::vector<BaselineItem> unexpected_passes;  // expected to fail, now do not
  std::vector<BaselineItem> not_run;            // expected failures whose check never ran
  // 0 when every fail and error is expected; 1 when a regression failed; 2
  // when a regression is an error (the harness could not do its job).
  int exit_code() const;
};

BaselineResult apply_baseline(const nlohmann::json& record, const Baseline& baseline);

// Marks each failed check of one scenario entry that the baseline lists with
// "expected_finding": "baseline: <reason>" (a mark already there stays), so
// JUnit reports it as skipped and HTML, Markdown and the terminal name the
// reason: the test views agree with the gate.  The gate itself is
// apply_baseline's and does not read the marks.
void mark_baseline_failures(nlohmann::json& scenario, const Baseline& baseline);

// A plain-text account of the result for the terminal, ending in a line that
// names the gate's verdict.  Record text passes through printable().
std::string render_baseline_text(const BaselineResult& result);

}  // namespace acmespec::reports
