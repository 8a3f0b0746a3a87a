// Tolerant reads of run-record members.
//
// Renderers must work on any record, including one cut short by a killed run
// or written by a newer engine, so every read states its fallback instead of
// assuming the member exists with the expected type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

using json = nlohmann::json;

// obj[key] when obj is an object and the member is a string, else fallback.
std::string get_string(const json& obj, const char* key, const std::string& fallback = "");

// obj[key] as whole milliseconds when it is a finite, non-negative number
// (clamped to a century), else -1.
std::int64_t get_millis(const json& obj, const char* key);

// obj[key] when it is an array, else an empty array.
const json& get_array(const json& obj, const char* key);

// The string elements of obj[key] (other elements are skipped).
std::vector<std::string> get_strings(const json& obj, const char* key);

// Milliseconds as seconds with three decimals, "2.100"; negative → "0.000".
std::string format_seconds(std::int64_t millis);

// Why a scenario could not run: its "error" member when present and not
// null (a string, or an object's "message"/"reason", or the compact JSON).
// Empty when the scenario has no error.
bool has_scenario_error(const json& scenario);
std::string scenario_error_text(const json& scenario);

// "RFC8555" + "6.5" → "https://datatracker.ietf.org/doc/html/rfc8555#section-6.5",
// letters first means an appendix ("A.1" → "#appendix-A.1").  Empty when
// spec is not RFC<digits> or section has characters a section never has.
std::string rfc_link(const std::string& spec, const std::string& section);

// True when the record is not an object or its "complete" member is present
// and not true: the run was killed or is still going, so scenarios may be
// missing.  A record without the member is taken as complete.
bool is_incomplete(const json& record);

// Compact JSON that never throws, even on strings that are not UTF-8.
std::string dump_json(const json& value);

// What the run was against, for headings: the server's directory URL; for a
// client run the client ("lego 4.9.1 (Debian package)"), else its profile,
// else its command line; "unknown" when the record names nothing.
std::string target_label(const json& record);

}  // namespace acmespec::reports
