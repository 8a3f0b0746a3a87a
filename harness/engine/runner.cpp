#include "engine/runner.hpp"


#include <algorithm>
#include <exception>
#include <map>

namespace acmespec::engine {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int severity(Outcome o) {
  switch (o) {
    case Outcome::error: return 5;
    case Outcome::fail: return 4;
    case Outcome::warn: return 3;
    case Outcome::info: return 2;
    case Outcome::pass: return 1;
    case Outcome::skip: return 0;
  }
  return 0;
}

Outcome apply_level(const Judgement& j, Level level, bool strict) {
  switch (j.kind) {
    case Judgement::held: return Outcome::pass;
    case Judgement::not_applicable: return Outcome::skip;
    case Judgement::broken: return Outcome::error;
    case Judgement::violated:
      if (level == Level::must) return Outcome::fail;
      if (level == Level::should) return strict ? Outcome::fail : Outcome::warn;
      return Outcome::info;
  }
  return Outcome::error;
}

// One check's results within a scenario, folded to the worst evaluation so
// each (scenario, check) pair appears once in the record.
struct Folded {
  Outcome outcome = Outcome::skip;
  std::string message;
  const Step* step = nullptr;
  std::vector<std::string> evidence;
  int evaluations = 0;
};

void fold(Folded& f, Outcome o, const Judgement& j, const Step& step) {
  const bool first = f.evaluations++ == 0;
  if (first || severity(o) > severity(f.outcome)) {
    f.outcome = o;
    f.message = j.message;
    f.step = &step;
    f.evidence = j.evidence;
  }
}

json check_entry(const Requirement& req, const Folded& f) {
  json entry = {{"id", req.id},           {"spec", req.spec},           {"section", req.section},
                {"level", to_string(req.level)}, {"category", req.category()},
                {"statement", req.statement}, {"outcome", reports::to_string(f.outcome)},
                {"message", f.message},   {"evaluations", f.evaluations}, {"evidence", f.evidence}};
  entry["step"] = f.step ? json(f.step->index) : json(nullptr);
  entry["step_name"] = f.step ? json(f.step->name) : json(nullptr);
  return entry;
}

}  // namespace

json run_scenario(const Scenario& scenario, Executor& executor, const Catalogue& catalogue, const RunOptions& options) {
  const auto started = Clock::now();
  std::vector<std::string> order = scenario.cited_checks();
  std::map<std::string, Folded> folded;
  json scenario_error = nullptr;
  Variables vars;

  auto judge_all_as = [&](const Step& step, const Judgement& j) {
    for (const auto& id : step.expect) {
      const Requirement* req = catalogue.find(id);
      fold(folded[id], apply_level(j, req ? req->level : Level::must, options.strict), j, step);
    }
  };

  std::optional<std::string> skip_reason = executor.begin(scenario, vars);
  std::optional<std::string> stop;  // why the remaining steps are not run
  if (skip_reason) stop = "scenario skipped: " + *skip_reason;

  for (const auto& step : scenario.steps) {
    if (stop) {
      judge_all_as(step, skip_reason ? Judgement::skip(*stop) : Judgement::skip("not reached: " + *stop));
      continue;
    }
    auto args = interpolate(step.args, vars, "args");
    auto mutate = args ? interpolate(step.mutate, vars, "mutate") : Result<json>(json::object());
    if (!args || !mutate) {
      // A variable an earlier step should have saved is missing: the scenario cannot go on.
      stop = "step " + std::to_string(step.index) + " (" + step.name + "): " +
             (args ? mutate.error() : args.error()).to_string();
      judge_all_as(step, Judgement::error(*stop));
      continue;
    }
    // Mutations may name values saved by earlier steps ("protected.kid":
    // "${other_account}"), so the executor sees them resolved.
    Step resolved = step;
    resolved.mutate = std::move(*mutate);
    // An executor that throws (a bug, or a target answer no op anticipated)
    // costs this scenario, never the run.
    StepRun run;
    try {
      run = executor.run(resolved, *args, vars);
    } catch (const std::exception& e) {
      run.harness_error = std::string("internal error: ") + e.what();
    }
    if (run.harness_error) {
      stop = "step " + std::to_string(step.index) + " (" + step.name + ") could not be performed: " + *run.harness_error;
      scenario_error = *stop;
      judge_all_as(step, Judgement::error(*stop));
      continue;
    }
    for (const auto& id : step.expect) {
      const Requirement* req = catalogue.find(id);
      Judgement j;
      try {
        j = executor.judge(id, step, run);
      } catch (const std::exception& e) {
        j = Judgement::error(std::string("internal error while judging: ") + e.what());
      }
      if (j.evidence.empty()) j.evidence = run.exchanges;
      fold(folded[id], apply_level(j, req ? req->level : Level::must, options.strict), j, step);
    }
    if (run.failure && !step.may_fail) {
      stop = "step " + std::to_string(step.index) + " (" + step.name + ") failed: " + *run.failure;
      continue;
    }
    for (const auto& [var, path] : step.save) {
      auto value = extract(run.result, path);
      if (!value) {
        if (!step.may_fail)
          stop = "step " + std::to_string(step.index) + " (" + step.name + "): cannot save " + var + ": " +
                 value.error().to_string();
        continue;
      }
      vars[var] = std::move(*value);
    }
  }

  json checks = json::array();
  for (const auto& id : order) {
    const Requirement* req = catalogue.find(id);
    if (req) checks.push_back(check_entry(*req, folded[id]));
  }
  json entry = {{"id", scenario.id},         {"title", scenario.title}, {"file", scenario.file},
                {"suites", scenario.suites}, {"sections", scenario.sections}};
  entry["skipped"] = skip_reason ? json(*skip_reason) : json(nullptr);
  entry["error"] = scenario_error;
  entry["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  entry["checks"] = std::move(checks);
  entry["exchanges"] = executor.end(scenario);
  return entry;
}

std::vector<json> run_all(const std::vector<const Scenario*>& scenarios, Executor& executor, const Catalogue& catalogue,
                          const RunOptions& options) {
  std::vector<json> out;
  for (const Scenario* sc : scenarios) {
    out.push_back(run_scenario(*sc, executor, catalogue, options));
    if (options.on_scenario) options.on_scenario(out.back());
  }
  return out;
}

}  // namespace acmespec::engine
