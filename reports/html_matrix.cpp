// The scenarios × checks matrix: one row per scenario, one column per check
// id, each cell the outcome of that check in that scenario.
#include <algorithm>
#include <map>

#include "reports/html_parts.hpp"

namespace acmespec::reports::html {
namespace {

const char* symbol(Outcome o) {
  switch (o) {
    case Outcome::pass: return "\u2713";
    case Outcome::fail: return "\u2717";
    case Outcome::warn: return "!";
    case Outcome::info: return "i";
    case Outcome::skip: return "\u2013";
    case Outcome::error: return "E";
  }
  return "?";
}

struct Column {
  std::string id, spec, section;
  bool scenario_error = false;
};

}  // namespace

std::string matrix(const std::vector<CheckEntry>& entries) {
  std::vector<Column> columns;
  std::map<std::string, std::size_t> column_of;
  std::vector<std::string> rows;
  std::map<std::string, std::size_t> row_of;
  for (const auto& e : entries) {
    const std::string key = e.scenario_error ? std::string("\x01scenario") : e.id;
    if (!column_of.count(key)) {
      column_of[key] = columns.size();
      columns.push_back({e.scenario_error ? "scenario error" : e.id, e.spec, e.section, e.scenario_error});
    }
    if (!row_of.count(e.scenario)) {
      row_of[e.scenario] = rows.size();
      rows.push_back(e.scenario);
    }
  }
  std::vector<std::size_t> order(columns.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Column &ca = columns[a], &cb = columns[b];
    if (ca.scenario_error != cb.scenario_error) return ca.scenario_error;
    if (ca.spec != cb.spec) return ca.spec < cb.spec;
    if (ca.section != cb.section) return section_less(ca.section, cb.section);
    return ca.id < cb.id;
  });
  std::vector<std::size_t> position(columns.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;

  // The worst entry of each (row, column).
  std::vector<std::vector<long>> cell(rows.size(), std::vector<long>(columns.size(), -1));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const std::size_t r = row_of[e.scenario];
    const std::size_t c = position[column_of[e.scenario_error ? std::string("\x01scenario") : e.id]];
    long& slot = cell[r][c];
    if (slot < 0 || severity(e.outcome) > severity(entries[static_cast<std::size_t>(slot)].outcome))
      slot = static_cast<long>(i);
  }

  std::string out = "<div class=\"matrix-wrap\"><table class=\"matrix\" id=\"matrix\"><thead><tr><th class=\"corner\">"
                    "scenario \\ check</th>";
  for (std::size_t c = 0; c < order.size(); ++c) {
    const Column& col = columns[order[c]];
    out += "<th class=\"col\" data-col=\"" + std::to_string(c) + "\" title=\"" + esc(col.id) + "\"><span>" +
           esc(col.id) + "</span></th>";
  }
  out += "</tr></thead><tbody>";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "<tr><th class=\"row\" scope=\"row\">" + esc(rows[r].empty() ? "(unnamed)" : rows[r]) + "</th>";
    for (std::size_t c = 0; c < order.size(); ++c) {
      const long slot = cell[r][c];
      if (slot < 0) {
        out += "<td class=\"empty\" data-col=\"" + std::to_string(c) + "\"></td>";
        continue;
      }
      const CheckEntry& e = entries[static_cast<std::size_t>(slot)];
      out += "<td class=\"cell " + outcome_class(e.outcome) + "\" data-col=\"" + std::to_string(c) + "\"" +
             filter_attributes(e) + "><a href=\"#e" + std::to_string(slot) + "\" title=\"" + esc(e.scenario) + " / " +
             esc(e.id) + ": " + std::string(to_string(e.outcome)) + "\">" + symbol(e.outcome) + "</a></td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>";
}

}  // namespace acmespec::reports::html
