// The checks of a run record as a flat list, the shape every tabular report
// (HTML matrix, Markdown, baselines, diffs, interop matrices) starts from.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_record.hpp"

namespace acmespec::reports {

struct CheckEntry {
  std::string scenario;   // scenario id ("" when the record has none)
  std::string id;         // check id; for a scenario error, the scenario id
  std::string spec, section, level, statement, message, step_name;
  Outcome outcome = Outcome::error;
  bool scenario_error = false;  // stands for a scenario that stopped with an error
  const nlohmann::json* check = nullptr;     // the check object (null for a scenario error)
  const nlohmann::json* scenario_json = nullptr;
};

// Every check of every scenario in record order, plus one entry of outcome
// error for each scenario whose "error" is not null (placed before its
// checks), so counting entries by outcome gives summarize(record).  The
// pointers refer into `record`, which must outlive the result.
std::vector<CheckEntry> collect_entries(const nlohmann::json& record);

// "RFC8555 §7" for spec RFC8555 and section 7.4.1: the grouping used by the
// per-section chart and the section filter.  "other" when both are empty.
std::string section_group(const std::string& spec, const std::string& section);

// Orders section numbers as people read them: "6.5" < "6.10" < "7" < "A.1".
bool section_less(const std::string& a, const std::string& b);

// A rank where a larger value is worse: pass < info < skip < warn < fail < error.
int severity(Outcome outcome);

// Whether the outcome makes a gate fail: fail and error.
inline bool is_problem(Outcome outcome) { return outcome == Outcome::fail || outcome == Outcome::error; }

}  // namespace acmespec::reports
