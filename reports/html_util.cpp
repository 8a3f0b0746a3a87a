#include <algorithm>

#include "reports/fields.hpp"
#include "reports/html_parts.hpp"
#include "reports/text.hpp"

namespace acmespec::reports::html {

std::string esc(std::string_view text) {
  const std::string safe = printable(text);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string pretty(const nlohmann::json& value) {
  return esc(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string outcome_class(Outcome outcome) { return "o-" + std::string(to_string(outcome)); }

const char* outcome_colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return "#2e7d32";
    case Outcome::fail: return "#c62828";
    case Outcome::warn: return "#ef6c00";
    case Outcome::info: return "#1565c0";
    case Outcome::skip: return "#9e9e9e";
    case Outcome::error: return "#6a1b9a";
  }
  return "#000000";
}

SectionCounts count_by_section(const std::vector<CheckEntry>& entries) {
  // Group key → (sort key, counts); sort by spec then section number.
  struct Group {
    std::string spec, section;
    std::map<Outcome, int> counts;
  };
  std::map<std::string, Group> groups;
  for (const auto& e : entries) {
    const std::string name = e.scenario_error ? "scenario errors" : section_group(e.spec, e.section);
    auto& g = groups[name];
    if (g.counts.empty()) {
      g.spec = e.scenario_error ? "~" : e.spec;
      g.section = e.section.substr(0, e.section.find('.'));
    }
    ++g.counts[e.outcome];
  }
  std::vector<std::pair<std::string, Group>> sorted(groups.begin(), groups.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    if (a.second.spec != b.second.spec) return a.second.spec < b.second.spec;
    return section_less(a.second.section, b.second.section);
  });
  SectionCounts out;
  for (auto& [name, g] : sorted) out.emplace_back(name, std::move(g.counts));
  return out;
}

std::string filter_attributes(const CheckEntry& e) {
  const std::string group = e.scenario_error ? "scenario errors" : section_group(e.spec, e.section);
  return " data-outcome=\"" + std::string(to_string(e.outcome)) + "\" data-level=\"" +
         esc(e.level.empty() ? "-" : e.level) + "\" data-section=\"" + esc(group) + "\" data-check=\"" + esc(e.id) +
         "\"";
}

}  // namespace acmespec::reports::html
