// JUnit XML from a run record, for CI systems (Jenkins junit plugin, GitLab
// test reports, GitHub actions such as dorny/test-reporter).
//
// Mapping:
//   run       → <testsuites name="acmespec <mode>">, totals over all suites
//   scenario  → <testsuite name="<scenario id>"> with title/file properties
//   check     → <testcase classname="acmespec.<scenario id>" name="<check id>">
//     fail  → <failure type="fail">   (a conformance failure, never <error>)
//     fail with "expected_finding" (client mode: the profile lists it) →
//             <skipped message="expected finding: <reason>"/> and the failure
//             text in <system-out>, as xfail is in pytest's JUnit: the gate
//             (exit 0) and the test report agree
//     error → <error type="error">    (the harness could not run the check)
//     skip  → <skipped message="<reason>"/>
//     warn  → a pass with <system-out>WARN: …</system-out>
//     info  → a pass with <system-out>INFO: …</system-out>
//   scenario with a non-null "error" → one extra testcase named after the
//     scenario, holding an <error>.
// Under --strict the engine has already recorded violated SHOULDs as fail,
// so nothing here depends on the run's options.
//
// Failure and error bodies carry the message, the step, the evidence
// exchange ids, the requirement's statement and a link to the RFC section.
// Every piece of text goes through xml_text/xml_attr (reports/text.hpp), so
// the output is well-formed XML 1.0 in UTF-8 whatever bytes the record holds.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

// Renders the whole record.  Counts are recomputed from the checks (as in
// summarize()), so tests/failures/errors/skipped of every element equal the
// number of its testcase, failure, error and skipped children.  Times are in
// seconds from duration_ms (a check without one takes 0); timestamps are
// the UTC started_at values cut to the YYYY-MM-DDTHH:MM:SS form the JUnit
// schema allows.  Never throws; a partial or malformed record yields the
// parts that can be read.
std::string render_junit(const nlohmann::json& record);

}  // namespace acmespec::reports
