// The summary printed at the end of a run (and by `acmespec report`).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

struct TerminalStyle {
  bool color = false;    // ANSI colours; only when the output is a terminal
  bool verbose = false;  // add the transcript of each problem's evidence
};

// Renders a summary of the record:
//   - the mode and target, start time and duration, scenario counts, and
//     the check counts per outcome (a note when the record is incomplete);
//   - every fail, error and warn (in record order) with scenario id, check
//     id, level, step, message and evidence exchange ids, plus every
//     scenario that stopped with an error; with verbose, each evidence
//     exchange: method, URL, status, time, and request/response bodies cut
//     to a few hundred bytes;
//   - a final line "acmespec: 120 passed, 2 failed, 3 warned, 1 info,
//     4 skipped, 0 errors — verdict FAIL" (errors include scenario errors;
//     the verdict is recomputed as by verdict(summarize(record))).
// All record text passes through printable() (reports/text.hpp), so a peer's
// bytes cannot emit terminal control sequences.  Ends with a newline.  Never
// throws; a partial record renders what it holds.
std::string render_summary(const nlohmann::json& record, TerminalStyle style = {});

}  // namespace acmespec::reports
