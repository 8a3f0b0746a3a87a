// What changed between two runs of the same suite (`acmespec report --diff`).
//
// Checks are matched by scenario id and check id; when a scenario holds the
// same check more than once, its worst outcome stands for it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

struct DiffItem {
  std::string scenario, check;
  std::string before, after;  // outcomes; empty when absent from that run
  std::string message;        // the newer run's message, else the older's
};

struct RunDiff {
  std::vector<DiffItem> regressions;  // now fail/error, before absent or not fail/error
  std::vector<DiffItem> fixed;        // before fail/error, now present and not
  std::vector<DiffItem> added;        // new checks that do not fail
  std::vector<DiffItem> removed;      // checks the newer run no longer has
  std::vector<DiffItem> changed;      // other outcome changes (pass → warn, ...)
  int unchanged = 0;
  int exit_code() const { return regressions.empty() ? 0 : 1; }
};

RunDiff diff_runs(const nlohmann::json& older, const nlohmann::json& newer);

// Plain text for the terminal and Markdown for CI summaries; record text is
// made printable / escaped.
std::string render_diff_text(const RunDiff& diff);
std::string render_diff_markdown(const RunDiff& diff);

}  // namespace acmespec::reports
