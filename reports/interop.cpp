#include "reports/interop.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "reports/entries.hpp"
#include "reports/fields.hpp"
#include "reports/html_parts.hpp"
#include "reports/markdown.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;

struct Row {
  std::string id, spec, section, level;
  std::vector<std::optional<Outcome>> cells;
};

struct Table {
  std::vector<std::string> labels;
  std::vector<Summary> summaries;
  std::vector<Row> rows;
};

Table build(const std::vector<LabelledRun>& runs) {
  Table t;
  std::map<std::string, int> label_uses;
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const int n = ++label_uses[runs[r].label];
    t.labels.push_back(n == 1 ? runs[r].label : runs[r].label + " (" + std::to_string(n) + ")");
    t.summaries.push_back(summarize(runs[r].record));
    for (const auto& e : collect_entries(runs[r].record)) {
      const std::string id = e.scenario_error ? "scenario " + (e.scenario.empty() ? "(no id)" : e.scenario)
                                              : (e.id.empty() ? "(no id)" : e.id);
      auto [it, inserted] = row_of.try_emplace(id, t.rows.size());
      if (inserted) t.rows.push_back({id, e.spec, e.section, e.level, std::vector<std::optional<Outcome>>(runs.size())});
      auto& cell = t.rows[it->second].cells[r];
      if (!cell || severity(e.outcome) > severity(*cell)) cell = e.outcome;
    }
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
    if (a.spec != b.spec) return a.spec < b.spec;
    if (a.section != b.section) return section_less(a.section, b.section);
    return a.id < b.id;
  });
  return t;
}

const char* md_symbol(Outcome o) {
  switch (o) {
    case Outcome::pass: return "\u2705 pass";
    case Outcome::fail: return "\u274c fail";
    case Outcome::warn: return "\u26a0\ufe0f warn";
    case Outcome::info: return "\u2139\ufe0f info";
    case Outcome::skip: return "\u23ed\ufe0f skip";
    case Outcome::error: return "\U0001f4a5 error";
  }
  return "?";
}

std::string counts_text(const Summary& s) {
  return std::to_string(s.pass) + " pass, " + std::to_string(s.fail) + " fail, " + std::to_string(s.warn) + " warn, " +
         std::to_string(s.error) + " error";
}

}  // namespace

std::string run_label(const json& record, const std::string& fallback) {
  const json target = record.is_object() && record.contains("target") ? record["target"] : json();
  for (const char* key : {"name", "directory", "command"}) {
    const std::string v = get_string(target, key);
    if (!v.empty()) return v;
  }
  return fallback;
}

std::string render_interop_markdown(const std::vector<LabelledRun>& runs) {
  const Table t = build(runs);
  std::string out = "## acmespec interop matrix\n\n| check | level |";
  for (const auto& l : t.labels) out += " " + md_cell(l, 120) + " |";
  out += "\n|---|---|";
  for (std::size_t i = 0; i < t.labels.size(); ++i) out += "---|";
  out += "\n| **verdict** | |";
  for (const auto& s : t.summaries)
    out += " **" + std::string(to_string(verdict(s))) + "** (" + counts_text(s) + ") |";
  out += "\n";
  for (const auto& row : t.rows) {
    const std::string link = rfc_link(row.spec, row.section);
    out += "| " + (link.empty() ? md_cell(row.id, 200) : "[" + md_cell(row.id, 200) + "](" + link + ")") + " | " +
           md_cell(row.level.empty() ? "-" : row.level, 16) + " |";
    for (const auto& c : row.cells) out += " " + std::string(c ? md_symbol(*c) : "") + " |";
    out += "\n";
  }
  return out;
}

std::string render_interop_html(const std::vector<LabelledRun>& runs) {
  const Table t = build(runs);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                    "<title>acmespec interop matrix</title><style>" + std::string(html::kCss) +
                    "table.interop{border-collapse:collapse}table.interop td,table.interop th{border:1px solid #ddd;"
                    "padding:2px 8px;text-align:left}table.interop td.cell{background:var(--c);color:#fff}"
                    "</style></head><body><h1>acmespec interop matrix</h1><table class=\"interop\" id=\"interop\">"
                    "<thead><tr><th>check</th><th>level</th>";
  for (const auto& l : t.labels) out += "<th class=\"impl\">" + html::esc(l) + "</th>";
  out += "</tr><tr><th>verdict</th><th></th>";
  for (const auto& s : t.summaries) {
    const std::string v(to_string(verdict(s)));
    out += "<th><span class=\"verdict " + v + "\">" + v + "</span> " + counts_text(s) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    const std::string link = rfc_link(row.spec, row.section);
    out += "<tr><th>" + (link.empty() ? html::esc(row.id) : "<a href=\"" + html::esc(link) + "\">" + html::esc(row.id) + "</a>") +
           "</th><td>" + html::esc(row.level.empty() ? "-" : row.level) + "</td>";
    for (const auto& c : row.cells)
      out += c ? "<td class=\"cell " + html::outcome_class(*c) + "\" data-outcome=\"" + std::string(to_string(*c)) +
                     "\">" + std::string(to_string(*c)) + "</td>"
               : std::string("<td class=\"empty\"></td>");
    out += "</tr>";
  }
  return out + "</tbody></table></body></html>\n";
}

}  // namespace acmespec::reports
