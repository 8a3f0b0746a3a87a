// The step runner: walks the selected scenarios, asks an Executor (the
// server- or client-conformance mode) to perform each step, judges the step
// by the checks it names, and feeds the run record as scenarios finish.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/catalogue.hpp"
#include "engine/scenario.hpp"
#include "engine/variables.hpp"
#include "reports/run_record.hpp"

namespace acmespec::engine {

// The outcomes of the run record (docs/run-record.md).
using reports::Outcome;

// What a check says about one step, before the requirement's level is
// applied: `violated` becomes fail, warn or info depending on MUST, SHOULD,
// MAY (and --strict).
struct Judgement {
  enum Kind { held, violated, not_applicable, broken } kind = held;
  std::string message;                 // says what was expected and what arrived
  std::vector<std::string> evidence;   // transcript exchange ids

  static Judgement pass(std::string msg, std::vector<std::string> ev = {}) { return {held, std::move(msg), std::move(ev)}; }
  static Judgement fail(std::string msg, std::vector<std::string> ev = {}) { return {violated, std::move(msg), std::move(ev)}; }
  static Judgement skip(std::string why) { return {not_applicable, std::move(why), {}}; }
  static Judgement error(std::string why) { return {broken, std::move(why), {}}; }
};

// The result of performing one step.
struct StepRun {
  nlohmann::json result = nlohmann::json::object();  // what `save` paths point into
  std::vector<std::string> exchanges;                // transcript ids of this step
  // The operation did not complete as the protocol requires (the target
  // answered an error, or something unusable).  Unless the step says
  // may_fail, later steps cannot run.
  std::optional<std::string> failure;
  // The harness itself could not perform the step (bad configuration, a
  // responder that would not start, ...).  Always ends the scenario.
  std::optional<std::string> harness_error;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Prepares a scenario; seeds variables.  A returned reason skips it (e.g.
  // the target lacks a feature the scenario requires).
  virtual std::optional<std::string> begin(const Scenario& scenario, Variables& vars) = 0;
  virtual StepRun run(const Step& step, const nlohmann::json& args, Variables& vars) = 0;
  virtual Judgement judge(const std::string& check_id, const Step& step, const StepRun& run) = 0;
  // Ends a scenario; returns its exchanges for the run record (redacted).
  virtual nlohmann::json end(const Scenario& scenario) = 0;
};

struct RunOptions {
  bool strict = false;  // SHOULD violations fail instead of warn
  // Called after every scenario with its record entry (the run record is
  // written from here, so a killed run keeps what finished).
  std::function<void(const nlohmann::json& scenario_record)> on_scenario;
};

// Runs one scenario and returns its record entry (docs/run-record.md).
nlohmann::json run_scenario(const Scenario& scenario, Executor& executor, const Catalogue& catalogue,
                            const RunOptions& options);

// Runs them all in order; returns the scenario entries.
std::vector<nlohmann::json> run_all(const std::vector<const Scenario*>& scenarios, Executor& executor,
                                    const Catalogue& catalogue, const RunOptions& options);

}  // namespace acmespec::engine
