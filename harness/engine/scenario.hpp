// Scenarios are data: JSON files naming ACME operations, deliberate
// misbehaviours ("mutations") and the checks to judge each step by.  This
// header is the model and its loader; the vocabulary of operations, mutations
// and checks lives outside the engine and is consulted through `Vocabulary`.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/catalogue.hpp"

namespace acmespec::engine {

struct Step {
  std::size_t index = 0;      // 1-based position, used in messages
  std::string name;           // optional label; defaults to the op
  std::string op;             // e.g. "new-account"
  nlohmann::json args;        // object; strings may hold ${variables}
  nlohmann::json mutate;      // object: mutation name -> setting
  std::map<std::string, std::string> save;  // variable -> path into the step result
  std::vector<std::string> expect;          // check ids judged on this step
  bool may_fail = false;      // a failed operation does not end the scenario
};

struct Scenario {
  std::string id;
  std::string title;
  std::string description;
  std::string file;                     // path as given to the loader
  std::vector<std::string> suites;      // e.g. core, negative, challenges
  std::vector<std::string> sections;    // RFC sections the scenario exercises, e.g. 7.3.5
  std::vector<std::string> requires_features;  // e.g. keyChange: skip when the target lacks it
  std::vector<Step> steps;

  std::vector<std::string> cited_checks() const;  // every id in any step's expect, deduplicated
};

// What the engine needs to know about the operations and checks that a mode
// (server conformance, client conformance) provides, to refuse inconsistent
// scenarios before anything runs.
class Vocabulary {
 public:
  virtual ~Vocabulary() = default;
  // Is `step.op` known, and do its args and mutations have the right shape?
  // Errors carry a path relative to the step (e.g. "args.identifiers").
  virtual Status validate_step(const Step& step) const = 0;
  // Is there an implementation for this check id?
  virtual bool has_check(const std::string& check_id) const = 0;
  // A check that only makes sense when the step misbehaves on purpose (a
  // rejection check) names the mutations of which one must be present.
  virtual std::vector<std::string> mutations_required_by(const std::string& check_id) const = 0;
  // Any other reason the check cannot be judged on this step (e.g. it needs
  // a responder fault the step does not set up); nullopt when it fits.
  virtual std::optional<std::string> check_unfit(const std::string& /*check_id*/, const Step& /*step*/) const {
    return std::nullopt;
  }
};

// Parses one scenario document.  `file` names the source for messages.
// Every error's path is "<file>: <json path>".
Result<Scenario> parse_scenario(const nlohmann::json& doc, const std::string& file, const Catalogue& catalogue,
                                const Vocabulary& vocabulary);

// Loads every *.json below `dir` (recursively, in sorted order).  Fails on
// the first bad file, and on two scenarios sharing an id.
Result<std::vector<Scenario>> load_scenarios(const std::filesystem::path& dir, const Catalogue& catalogue,
                                             const Vocabulary& vocabulary);

// Selection by id, suite or RFC section (a section selects its subsections:
// "7.3" selects "7.3.5").  Empty selectors select everything.
struct Selection {
  std::vector<std::string> ids;
  std::vector<std::string> suites;
  std::vector<std::string> sections;
};
std::vector<const Scenario*> select(const std::vector<Scenario>& all, const Selection& selection);

}  // namespace acmespec::engine
