#include "reports/entries.hpp"

#include <cctype>
#include <cstdlib>

#include "reports/fields.hpp"

namespace acmespec::reports {

std::vector<CheckEntry> collect_entries(const json& record) {
  std::vector<CheckEntry> out;
  for (const json& scenario : get_array(record, "scenarios")) {
    if (!scenario.is_object()) continue;
    const std::string scenario_id = get_string(scenario, "id");
    if (has_scenario_error(scenario)) {
      CheckEntry e;
      e.scenario = scenario_id;
      e.id = scenario_id;
      e.outcome = Outcome::error;
      e.scenario_error = true;
      e.message = scenario_error_text(scenario);
      e.statement = get_string(scenario, "title");
      e.scenario_json = &scenario;
      out.push_back(std::move(e));
    }
    for (const json& check : get_array(scenario, "checks")) {
      if (!check.is_object()) continue;
      CheckEntry e;
      e.scenario = scenario_id;
      e.id = get_string(check, "id");
      e.spec = get_string(check, "spec");
      e.section = get_string(check, "section");
      e.level = get_string(check, "level");
      e.statement = get_string(check, "statement");
      e.message = get_string(check, "message");
      const std::string problem = outcome_problem(check);
      if (!problem.empty()) e.message = problem + (e.message.empty() ? "" : "; " + e.message);
      e.step_name = get_string(check, "step_name");
      e.outcome = check_outcome(check);
      e.check = &check;
      e.scenario_json = &scenario;
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::string section_group(const std::string& spec, const std::string& section) {
  if (spec.empty() && section.empty()) return "other";
  const std::string top = section.substr(0, section.find('.'));
  if (top.empty()) return spec;
  return (spec.empty() ? std::string() : spec + " ") + "\u00a7" + top;
}

bool section_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::size_t ie = std::min(a.find('.', i), a.size()), je = std::min(b.find('.', j), b.size());
    const std::string pa = a.substr(i, ie - i), pb = b.substr(j, je - j);
    const bool na = !pa.empty() && pa.size() < 9 && std::isdigit(static_cast<unsigned char>(pa[0]));
    const bool nb = !pb.empty() && pb.size() < 9 && std::isdigit(static_cast<unsigned char>(pb[0]));
    if (na && nb) {
      const long va = std::atol(pa.c_str()), vb = std::atol(pb.c_str());
      if (va != vb) return va < vb;
    } else if (na != nb) {
      return na;  // numbered sections before appendices
    } else if (pa != pb) {
      return pa < pb;
    }
    i = ie + 1;
    j = je + 1;
  }
  return a.size() - std::min(i, a.size()) < b.size() - std::min(j, b.size());
}

int severity(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return 0;
    case Outcome::info: return 1;
    case Outcome::skip: return 2;
    case Outcome::warn: return 3;
    case Outcome::fail: return 4;
    case Outcome::error: return 5;
  }
  return 5;
}

}  // namespace acmespec::reports
