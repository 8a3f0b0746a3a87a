#include "reports/diff.hpp"

#include <map>

#include "reports/entries.hpp"
#include "reports/markdown.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;
using Key = std::pair<std::string, std::string>;  // scenario, check

struct Seen {
  Outcome outcome;
  std::string message;
  std::size_t order;
};

std::map<Key, Seen> index(const json& record, std::vector<Key>& order) {
  std::map<Key, Seen> out;
  for (const auto& e : collect_entries(record)) {
    Key key{e.scenario, e.scenario_error ? "(scenario error)" : e.id};
    auto [it, inserted] = out.try_emplace(key, Seen{e.outcome, e.message, order.size()});
    if (inserted) order.push_back(key);
    else if (severity(e.outcome) > severity(it->second.outcome)) it->second = Seen{e.outcome, e.message, it->second.order};
  }
  return out;
}

const char* const kTitles[] = {"Regressions", "Fixed", "New checks", "Removed checks", "Changed"};

std::vector<const std::vector<DiffItem>*> groups(const RunDiff& d) {
  return {&d.regressions, &d.fixed, &d.added, &d.removed, &d.changed};
}

std::string outcome_or_dash(const std::string& o) { return o.empty() ? "-" : o; }

}  // namespace

RunDiff diff_runs(const json& older, const json& newer) {
  std::vector<Key> old_order, new_order;
  const auto before = index(older, old_order);
  const auto after = index(newer, new_order);
  RunDiff d;
  for (const Key& key : new_order) {
    const Seen& now = after.at(key);
    DiffItem item{key.first, key.second, "", std::string(to_string(now.outcome)), now.message};
    const auto old = before.find(key);
    if (old != before.end()) item.before = std::string(to_string(old->second.outcome));
    const bool was_problem = old != before.end() && is_problem(old->second.outcome);
    if (is_problem(now.outcome) && !was_problem) d.regressions.push_back(std::move(item));
    else if (old == before.end()) d.added.push_back(std::move(item));
    else if (was_problem && !is_problem(now.outcome)) d.fixed.push_back(std::move(item));
    else if (old->second.outcome != now.outcome) d.changed.push_back(std::move(item));
    else ++d.unchanged;
  }
  for (const Key& key : old_order) {
    if (after.count(key)) continue;
    const Seen& then = before.at(key);
    d.removed.push_back({key.first, key.second, std::string(to_string(then.outcome)), "", then.message});
  }
  return d;
}

std::string render_diff_text(const RunDiff& d) {
  std::string out;
  const auto all = groups(d);
  for (std::size_t g = 0; g < all.size(); ++g) {
    if (all[g]->empty()) continue;
    out += std::string(kTitles[g]) + " (" + std::to_string(all[g]->size()) + "):\n";
    for (const auto& i : *all[g])
      out += "  " + printable(i.scenario, false) + " / " + printable(i.check, false) + ": " + outcome_or_dash(i.before) +
             " -> " + outcome_or_dash(i.after) +
             (i.message.empty() ? "" : "  (" + printable(first_line(i.message, 160), false) + ")") + "\n";
  }
  out += "diff: " + std::to_string(d.regressions.size()) + " regressions, " + std::to_string(d.fixed.size()) +
         " fixed, " + std::to_string(d.added.size()) + " new, " + std::to_string(d.removed.size()) + " removed, " +
         std::to_string(d.changed.size()) + " changed, " + std::to_string(d.unchanged) + " unchanged\n";
  return out;
}

std::string render_diff_markdown(const RunDiff& d) {
  std::string out = std::string("## acmespec diff: ") +
                    (d.regressions.empty() ? "\u2705 no regressions" : "\u274c " + std::to_string(d.regressions.size()) + " regressions") +
                    "\n\n| regressions | fixed | new | removed | changed | unchanged |\n|---:|---:|---:|---:|---:|---:|\n| " +
                    std::to_string(d.regressions.size()) + " | " + std::to_string(d.fixed.size()) + " | " +
                    std::to_string(d.added.size()) + " | " + std::to_string(d.removed.size()) + " | " +
                    std::to_string(d.changed.size()) + " | " + std::to_string(d.unchanged) + " |\n";
  const auto all = groups(d);
  for (std::size_t g = 0; g < all.size(); ++g) {
    if (all[g]->empty()) continue;
    out += "\n### " + std::string(kTitles[g]) + " (" + std::to_string(all[g]->size()) +
           ")\n\n| scenario | check | before | after | message |\n|---|---|---|---|---|\n";
    std::size_t n = 0;
    for (const auto& i : *all[g]) {
      if (++n > 200) {
        out += "\n_\u2026 and " + std::to_string(all[g]->size() - 200) + " more._\n";
        break;
      }
      out += "| " + md_cell(i.scenario, 120) + " | " + md_cell(i.check, 200) + " | " + outcome_or_dash(i.before) + " | " +
             outcome_or_dash(i.after) + " | " + md_cell(i.message) + " |\n";
    }
  }
  return out;
}

}  // namespace acmespec::reports
