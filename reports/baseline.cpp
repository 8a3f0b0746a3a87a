#include "reports/baseline.hpp"

#include <set>

#include "common/json.hpp"
#include "reports/fields.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;

constexpr std::string_view kFormat = "acmespec-baseline/1";
constexpr std::size_t kMaxEntries = 10000;

Result<std::string> required_string(const json& obj, const char* key, const std::string& path) {
  const auto it = obj.find(key);
  if (it == obj.end()) return make_error(path, std::string("missing \"") + key + "\"");
  if (!it->is_string()) return make_error(path + "." + key, "expected a string");
  if (it->get_ref<const std::string&>().find_first_not_of(" \t") == std::string::npos)
    return make_error(path + "." + key, "must not be empty");
  return it->get<std::string>();
}

bool matches(const ExpectedFailure& x, const std::string& scenario, const std::string& check) {
  return x.check == check && (x.scenario.empty() || x.scenario == scenario);
}

}  // namespace

Result<Baseline> parse_baseline(std::string_view text, const std::string& source) {
  auto doc = parse_json(text);
  if (!doc) return doc.error().nested(source);
  if (!doc->is_object()) return make_error(source, "a baseline is a JSON object");
  for (auto it = doc->begin(); it != doc->end(); ++it)
    if (it.key() != "format" && it.key() != "expected_failures")
      return make_error(source + ": " + it.key(), "unknown member (expected \"format\" and \"expected_failures\")");
  if (!doc->contains("format") || (*doc)["format"] != kFormat)
    return make_error(source + ": format", "must be \"" + std::string(kFormat) + "\"");
  const auto list = doc->find("expected_failures");
  if (list == doc->end() || !list->is_array()) return make_error(source + ": expected_failures", "expected an array");
  if (list->size() > kMaxEntries) return make_error(source + ": expected_failures", "more than 10000 entries");
  Baseline baseline;
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = source + ": expected_failures[" + std::to_string(i) + "]";
    const json& item = (*list)[i];
    if (!item.is_object()) return make_error(path, "expected an object with check and reason");
    for (auto it = item.begin(); it != item.end(); ++it)
      if (it.key() != "check" && it.key() != "scenario" && it.key() != "reason")
        return make_error(path + "." + it.key(), "unknown member (expected check, scenario, reason)");
    ExpectedFailure x;
    auto check = required_string(item, "check", path);
    if (!check) return check.error();
    auto reason = required_string(item, "reason", path);
    if (!reason) return reason.error();
    x.check = *check;
    x.reason = *reason;
    if (item.contains("scenario")) {
      auto scenario = required_string(item, "scenario", path);
      if (!scenario) return scenario.error();
      x.scenario = *scenario;
    }
    if (!seen.emplace(x.check, x.scenario).second)
      return make_error(path, "duplicate of an earlier entry for " + x.check +
                                  (x.scenario.empty() ? "" : " in " + x.scenario));
    baseline.expected.push_back(std::move(x));
  }
  return baseline;
}

int BaselineResult::exit_code() const {
  int code = 0;
  for (const auto& r : regressions) code = std::max(code, r.outcome == "error" ? 2 : 1);
  return code;
}

BaselineResult apply_baseline(const json& record, const Baseline& baseline) {
  BaselineResult result;
  const auto entries = collect_entries(record);
  for (const auto& e : entries) {
    if (!is_problem(e.outcome)) continue;
    BaselineItem item{e.scenario, e.id, std::string(to_string(e.outcome)), "", e.message};
    const ExpectedFailure* hit = nullptr;
    for (const auto& x : baseline.expected)
      if (matches(x, e.scenario, e.id)) hit = &x;
    if (hit == nullptr) {
      result.regressions.push_back(std::move(item));
    } else {
      item.reason = hit->reason;
      result.known.push_back(std::move(item));
    }
  }
  for (const auto& x : baseline.expected) {
    bool ran = false, failed = false;
    std::string outcome;
    for (const auto& e : entries) {
      if (!matches(x, e.scenario, e.id)) continue;
      ran = true;
      failed = failed || is_problem(e.outcome);
      if (!is_problem(e.outcome)) outcome = std::string(to_string(e.outcome));
    }
    BaselineItem item{x.scenario, x.check, outcome, x.reason, ""};
    if (!ran) result.not_run.push_back(std::move(item));
    else if (!failed) result.unexpected_passes.push_back(std::move(item));
  }
  return result;
}

void mark_baseline_failures(json& scenario, const Baseline& baseline) {
  if (!scenario.is_object() || !scenario.contains("checks") || !scenario["checks"].is_array()) return;
  const std::string scenario_id = get_string(scenario, "id");
  for (json& check : scenario["checks"]) {
    if (!check.is_object() || check_outcome(check) != Outcome::fail || check.contains("expected_finding")) continue;
    const std::string id = get_string(check, "id");
    for (const auto& x : baseline.expected)
      if (matches(x, scenario_id, id)) {
        check["expected_finding"] = "baseline: " + x.reason;
        break;
      }
  }
}

std::string render_baseline_text(const BaselineResult& r) {
  std::string out;
  auto list = [&](const char* title, const std::vector<BaselineItem>& items, bool with_reason) {
    if (items.empty()) return;
    out += std::string(title) + " (" + std::to_string(items.size()) + "):\n";
    for (const auto& i : items) {
      out += "  " + printable(i.check, false) + (i.scenario.empty() ? "" : " in " + printable(i.scenario, false));
      if (!i.outcome.empty()) out += " [" + i.outcome + "]";
      if (with_reason && !i.reason.empty()) out += ": " + printable(first_line(i.reason, 200), false);
      else if (!i.message.empty()) out += ": " + printable(first_line(i.message, 200), false);
      out += "\n";
    }
  };
  list("Regressions, not in the baseline", r.regressions, false);
  list("Unexpected passes, listed in the baseline but not failing", r.unexpected_passes, true);
  list("Baseline entries whose check did not run", r.not_run, true);
  out += "baseline: " + std::to_string(r.regressions.size()) + " regressions, " + std::to_string(r.known.size()) +
         " known failures, " + std::to_string(r.unexpected_passes.size()) + " unexpected passes, " +
         std::to_string(r.not_run.size()) + " not run \u2014 gate " + (r.exit_code() == 0 ? "PASS" : "FAIL") + "\n";
  return out;
}

}  // namespace acmespec::reports
