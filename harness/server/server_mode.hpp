// Server conformance: the harness plays an ACME client against a real ACME
// server, with its own challenge responders, and judges every answer.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "client/session.hpp"
#include "engine/runner.hpp"
#include "engine/scenario.hpp"
#include "http/transcript.hpp"
#include "jose/private_key.hpp"
#include "responders/facade.hpp"
#include "server/observation.hpp"

namespace acmespec::server {

struct ServerConfig {
  std::string directory_url;
  std::string ca_bundle;  // PEM trusted for the target's HTTPS; empty = system store
  bool insecure = false;  // explicit opt-out of TLS verification
  std::chrono::milliseconds timeout{15'000};
  std::chrono::seconds poll_timeout{30};
  // Challenge responders run in-process unless disabled (then the target
  // must reach responders started elsewhere, e.g. `acmespec responders`).
  bool start_responders = true;
  responders::RespondersConfig responders;
  // External account binding, used when the directory requires it.
  std::string eab_kid;
  std::string eab_hmac_key;  // base64url, as CAs hand it out
  // Random names are <label>.<domain_suffix>, seeded for reproducibility.
  std::string domain_suffix = "acmespec.test";
  std::uint64_t seed = 0;
  std::string version = "0.1.0";
};

// Per-scenario client state that ops share: named keys and their accounts.
struct ScenarioState {
  std::map<std::string, std::shared_ptr<jose::PrivateKey>> keys;
  std::map<std::string, std::string> accounts;  // key name -> account URL (kid)
  std::map<std::string, std::string> certificates;  // variable-free store of issued chains by order URL
};

class ServerExecutor : public engine::Executor, public engine::Vocabulary {
 public:
  ServerExecutor(ServerConfig config, http::Transcript& transcript);
  ~ServerExecutor() override;

  // Starts the responders and reads the directory.  An error means the
  // harness cannot do its job (exit code 2).
  Status start();

  // engine::Vocabulary
  Status validate_step(const engine::Step& step) const override;
  bool has_check(const std::string& check_id) const override;
  std::vector<std::string> mutations_required_by(const std::string& check_id) const override;
  std::optional<std::string> check_unfit(const std::string& check_id, const engine::Step& step) const override;

  // engine::Executor
  std::optional<std::string> begin(const engine::Scenario& scenario, engine::Variables& vars) override;
  engine::StepRun run(const engine::Step& step, const nlohmann::json& args, engine::Variables& vars) override;
  engine::Judgement judge(const std::string& check_id, const engine::Step& step, const engine::StepRun& run) override;
  nlohmann::json end(const engine::Scenario& scenario) override;

  // For ops.
  client::Session& session() { return *session_; }
  responders::Responders* responders() { return responders_.get(); }
  ScenarioState& state() { return state_; }
  const ServerConfig& config() const { return config_; }
  http::Transcript& transcript() { return transcript_; }
  std::string random_label();
  // The named key, generated on first use with `type` (default P-256).
  Result<std::shared_ptr<jose::PrivateKey>> key(const std::string& name, const std::string& type = "");

 private:
  ServerConfig config_;
  http::Transcript& transcript_;
  std::unique_ptr<client::Session> session_;
  std::unique_ptr<responders::Responders> responders_;
  ScenarioState state_;
  std::mt19937_64 rng_;
  std::size_t scenario_first_exchange_ = 0;
  Observation last_;
};

}  // namespace acmespec::server
