// The reports component: renderers of the run record (docs/run-record.md).
//
// Everything here reads a run record as nlohmann::json and returns text; no
// renderer trusts the record's stored summary or verdict, and none throws on
// a partial or malformed record.
#pragma once

#include "reports/atomic_file.hpp"  // write_file_atomic
#include "reports/baseline.hpp"     // expected failures: parse_baseline, apply_baseline
#include "reports/diff.hpp"         // diff_runs
#include "reports/entries.hpp"      // collect_entries: the checks as a flat list
#include "reports/fields.hpp"       // tolerant member reads, rfc_link
#include "reports/html.hpp"         // render_html
#include "reports/interop.hpp"      // implementations × checks matrices
#include "reports/junit.hpp"        // render_junit
#include "reports/markdown.hpp"     // render_markdown
#include "reports/redact.hpp"       // redact_record
#include "reports/run_record.hpp"   // Outcome, Summary, summarize, verdict, exit_code
#include "reports/terminal.hpp"     // render_summary, TerminalStyle
#include "reports/text.hpp"         // printable, xml_text, xml_attr, truncate_utf8
