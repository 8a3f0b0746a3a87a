// Interop matrices (`acmespec report --matrix A.json B.json ...`): one table of
// implementations × checks from several run records, for comparing servers
// (or clients) against the same suite.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

struct LabelledRun {
  std::string label;  // column heading: the implementation
  nlohmann::json record;
};

// The label of a run: its target's "name", else its directory URL or command,
// else `fallback` (the file name).
std::string run_label(const nlohmann::json& record, const std::string& fallback);

// Rows are check ids (scenario errors as "scenario <id>"), in RFC section
// order; each cell holds the worst outcome of the check over that run's
// scenarios, or nothing when the run did not have the check.  A first row
// gives each run's verdict and its counts.  Labels that repeat get " (2)",
// " (3)" appended so columns stay distinct.
std::string render_interop_markdown(const std::vector<LabelledRun>& runs);
// The same as a self-contained HTML page (inline CSS, no script needed).
std::string render_interop_html(const std::vector<LabelledRun>& runs);

}  // namespace acmespec::reports
