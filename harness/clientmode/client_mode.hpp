// Client conformance: for each client scenario, a fresh mock CA (fault plan
// from the scenario) and acmespec's DNS responder with its management API,
// then the client command under a timeout in a fresh working directory, then
// the client checks over what the mock CA saw.  Implements engine::Executor
// so that scenarios end in the same run record as server mode.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "clientmode/checks.hpp"
#include "clientmode/placeholders.hpp"
#include "clientmode/profile.hpp"
#include "clientmode/scenario.hpp"
#include "engine/runner.hpp"
#include "engine/scenario.hpp"

namespace acmespec::clientmode {

struct ClientModeConfig {
  // The command template: from the profile, or from after `--`.
  std::vector<std::string> command;
  std::optional<Profile> profile;
  std::chrono::seconds timeout{120};
  std::filesystem::path work_root;          // one fresh folder per scenario below it
  std::string domain_suffix = "acmespec.test";
  std::string email = "client@acmespec.test";
  std::string acmespec_path;                // for {acmespec}: hooks may call the binary
  std::uint64_t seed = 0;
  std::size_t output_cap = 64 * 1024;
};

// The engine view of a client scenario: one step that runs the client and
// names the scenario's checks.
engine::Scenario as_engine_scenario(const ClientScenario& scenario);

class ClientExecutor : public engine::Executor {
 public:
  explicit ClientExecutor(ClientModeConfig config);
  ~ClientExecutor() override;

  // The client scenarios by id, for begin(); they must outlive the run.
  void set_scenarios(const std::vector<ClientScenario>* scenarios) { scenarios_ = scenarios; }

  std::optional<std::string> begin(const engine::Scenario& scenario, engine::Variables& vars) override;
  engine::StepRun run(const engine::Step& step, const nlohmann::json& args, engine::Variables& vars) override;
  engine::Judgement judge(const std::string& check_id, const engine::Step& step, const engine::StepRun& run) override;
  nlohmann::json end(const engine::Scenario& scenario) override;

  // The expanded command of the last run, secrets replaced, for the record.
  const std::vector<std::string>& last_command() const { return shown_command_; }

 private:
  struct Live;  // the mock CA and responders of the running scenario
  Result<std::vector<std::string>> build_command(const ClientScenario& sc, const Placeholders& values) const;

  ClientModeConfig config_;
  const std::vector<ClientScenario>* scenarios_ = nullptr;
  const ClientScenario* current_ = nullptr;
  std::unique_ptr<Live> live_;
  ClientRun run_;
  Placeholders values_;
  std::vector<std::string> shown_command_;
  nlohmann::json process_evidence_;
  std::mt19937_64 rng_;
};

// Binds an ephemeral loopback TCP port and releases it, for the client's own
// challenge listeners.
Result<std::uint16_t> free_loopback_port();

}  // namespace acmespec::clientmode
