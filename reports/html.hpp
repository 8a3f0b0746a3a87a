// The self-contained HTML report of a run record.
//
// One file with inline CSS, JavaScript and SVG that fetches nothing, so it
// can be attached to a CI run and opened offline.  It shows a header (target,
// tool version, date, duration, verdict), outcome charts overall and per RFC
// section, a scenarios × checks matrix filterable by outcome, level and
// section and searchable by check id, and every check with its statement,
// level, RFC link, message and evidence exchanges (JWS decoded, JSON pretty
// printed).  The record passes through redact_record() first.
//
// The page marks its numbers for tools: elements with data-count="<outcome>"
// hold the counts computed here, and after the script runs, elements with
// data-js-count="<outcome>" hold the counts of check entries in the page.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

// Never throws; a partial or malformed record renders what it holds.
// Deterministic: the output depends on the record only.
std::string render_html(const nlohmann::json& record);

}  // namespace acmespec::reports
