// Markdown for CI job summaries ($GITHUB_STEP_SUMMARY, GitLab MR notes).
//
// GitHub caps a step summary at 1 MiB, so tables are cut at a fixed number of
// rows with a note of how many are left out; the run record and the HTML
// report keep everything.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/baseline.hpp"

namespace acmespec::reports {

// Verdict, counts, then the errors, failures and warnings with links to their
// RFC sections.  With a baseline result, the gate's verdict leads and the
// regressions, known failures, unexpected passes and entries that did not run
// follow.  Record text is escaped so it cannot change the page's structure.
// Never throws; deterministic.
std::string render_markdown(const nlohmann::json& record, const BaselineResult* baseline = nullptr);

// One table cell's worth of record text: one line, printable, at most
// max_bytes, with Markdown and HTML specials backslash-escaped.
std::string md_cell(std::string_view text, std::size_t max_bytes = 300);

}  // namespace acmespec::reports
