// Pieces of the HTML report shared by its translation units (not part of the
// component's interface).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/entries.hpp"
#include "reports/run_record.hpp"

namespace acmespec::reports::html {

// Text made printable (reports/text.hpp) and escaped for element content and
// double- or single-quoted attributes alike.
std::string esc(std::string_view text);

// JSON, indented, escaped for a <pre>.
std::string pretty(const nlohmann::json& value);

// The CSS class and colour of an outcome: "o-fail", "#c62828".
std::string outcome_class(Outcome outcome);
const char* outcome_colour(Outcome outcome);

// Outcome counts per section group, groups in reading order.
using SectionCounts = std::vector<std::pair<std::string, std::map<Outcome, int>>>;
SectionCounts count_by_section(const std::vector<CheckEntry>& entries);

// SVG charts: one stacked bar of the whole run with a legend, and one bar
// per section group.
std::string overall_chart(const Summary& summary);
std::string section_chart(const SectionCounts& sections);

// The scenarios × checks table; each cell links to its entry's detail
// (anchor "e<index into entries>").
std::string matrix(const std::vector<CheckEntry>& entries);

// The detail block of every entry, with its evidence exchanges.
std::string details(const std::vector<CheckEntry>& entries);

// The data-* attributes the filters read, shared by matrix cells and details.
std::string filter_attributes(const CheckEntry& entry);

// Stylesheet and script of the page.
extern const char* const kCss;
extern const char* const kScript;

}  // namespace acmespec::reports::html
