// The reports component: renderers of the run record (docs/run-record.md).
//
// Everything here reads a run record as nlohmann::json and returns text; no
// renderer trusts the record's stored summary or verdict, and none throws on
// a partial or malformed record.
#pragma once

#include "reports/atomic_file.hpp"  // write_file_atomic
#include "reports/fields.hpp"       // tolerant member reads, rfc_link
#include "reports/junit.hpp"        // render_junit
#include "reports/run_record.hpp"   // Outcome, Summary, summarize, verdict, exit_code
#include "reports/terminal.hpp"     // render_summary, TerminalStyle
#include "reports/text.hpp"         // printable, xml_text, xml_attr, truncate_utf8
