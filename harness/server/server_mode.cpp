#include "server/server_mode.hpp"

#include <algorithm>

#include "common/json.hpp"
#include "http/transcript.hpp"
#include "jose/algorithm.hpp"
#include "jose/base64url.hpp"
#include "server/challenge_faults.hpp"
#include "server/check.hpp"
#include "server/ops.hpp"

namespace acmespec::server {

using nlohmann::json;

std::vector<std::string> Observation::evidence() const {
  std::vector<std::string> ids;
  for (const auto& ex : exchanges)
    if (!ex.id.empty()) ids.push_back(ex.id);
  return ids;
}

std::string problem_type(const json& body) {
  if (!body.is_object()) return {};
  auto it = body.find("type");
  if (it == body.end() || !it->is_string()) return {};
  static const std::string prefix = "urn:ietf:params:acme:error:";
  const auto& type = it->get_ref<const std::string&>();
  return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : type;
}

ServerExecutor::ServerExecutor(ServerConfig config, http::Transcript& transcript)
    : config_(std::move(config)), transcript_(transcript), rng_(config_.seed) {
  client::SessionOptions options;
  options.directory_url = config_.directory_url;
  options.http.ca_bundle_path = config_.ca_bundle;
  options.http.insecure = config_.insecure;
  options.http.connect_timeout = config_.timeout;
  options.http.read_timeout = config_.timeout;
  options.http.write_timeout = config_.timeout;
  options.http.total_timeout = config_.timeout * 2;
  options.http.version = config_.version;
  session_ = std::make_unique<client::Session>(options, transcript_);
}

ServerExecutor::~ServerExecutor() {
  if (responders_) responders_->stop();
}

Status ServerExecutor::start() {
  if (config_.start_responders) {
    responders_ = std::make_unique<responders::Responders>(config_.responders);
    if (auto s = responders_->start(); !s)
      return make_error("responders", "cannot start the challenge responders: " + s.error().to_string());
  }
  http::Exchange ex = session_->fetch_directory();
  if (!ex.response) return make_error(config_.directory_url, "the directory cannot be fetched: " + ex.error);
  if (ex.response->status != 200)
    return make_error(config_.directory_url, "the directory answered HTTP " + std::to_string(ex.response->status));
  if (session_->endpoint("newNonce").empty() || session_->endpoint("newAccount").empty())
    return make_error(config_.directory_url, "not an ACME directory (no newNonce or newAccount URL)");
  return Ok{};
}

std::string ServerExecutor::random_label() {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string label = "t";
  std::uniform_int_distribution<int> pick(0, 35);
  for (int i = 0; i < 10; ++i) label += alphabet[pick(rng_)];
  return label;
}

Result<std::shared_ptr<jose::PrivateKey>> ServerExecutor::key(const std::string& name, const std::string& type) {
  auto it = state_.keys.find(name);
  if (it != state_.keys.end()) return it->second;
  // "<type>-leading-zero": an EC key whose JWK "x" starts with a zero octet
  // (kept: EC coordinates are fixed-length), for the RFC 8555 §8.1 thumbprint check; found
  // by drawing keys (about 1 in 256 for EC), bounded.
  const std::string leading_zero_suffix = "-leading-zero";
  const bool leading_zero = type.ends_with(leading_zero_suffix);
  const std::string base_type = leading_zero ? type.substr(0, type.size() - leading_zero_suffix.size()) : type;
  auto key_type = jose::key_type_from_name(base_type.empty() ? "P-256" : base_type);
  if (!key_type) return make_error("args.key_type", "unknown key type " + type);
  auto key = jose::PrivateKey::generate(*key_type);
  if (!key) return key.error();
  for (int draw = 0; leading_zero && draw < 20000; ++draw) {
    const json jwk = key->public_jwk().to_json();
    if (!jwk.contains("x")) return make_error("args.key_type", "leading-zero keys are EC or OKP keys (RSA moduli are minimal)");
    auto bytes = jose::base64url_decode(jwk.value("x", std::string()));
    if (bytes && !bytes->empty() && (*bytes)[0] == '\0') break;
    key = jose::PrivateKey::generate(*key_type);
    if (!key) return key.error();
    if (draw + 1 == 20000) return make_error("args.key_type", "no " + base_type + " key with a leading zero octet after 20000 draws");
  }
  auto shared = std::make_shared<jose::PrivateKey>(std::move(*key));
  state_.keys[name] = shared;
  return shared;
}

Status ServerExecutor::validate_step(const engine::Step& step) const {
  const OpDef* op = find_op(step.op);
  if (!op) return make_error("op", "unknown operation \"" + step.op + "\"");
  for (const auto& item : step.args.items())
    if (std::find(op->args.begin(), op->args.end(), item.key()) == op->args.end())
      return make_error("args." + item.key(), "not an argument of " + step.op);
  if (!step.mutate.empty() && !op->signed_request && !step.mutate.contains("http.method"))
    return make_error("mutate", step.op + " sends no signed request to mutate");
  auto m = client::Mutations::parse(step.mutate);
  if (!m) return m.error().nested("mutate");
  if (step.args.contains("fault")) {
    const json& fault = step.args["fault"];
    if (!fault.is_string()) return make_error("args.fault", "expected the name of a challenge fault");
    const ChallengeFault* f = find_challenge_fault(fault.get<std::string>());
    if (!f) return make_error("args.fault", "unknown challenge fault \"" + fault.get<std::string>() + "\"");
    const std::string type = step.args.value("type", std::string("http-01"));
    if (f->challenge_type != type)
      return make_error("args.fault", "fault \"" + f->name + "\" applies to " + f->challenge_type + ", the step answers " + type);
  }
  return Ok{};
}

std::optional<std::string> ServerExecutor::check_unfit(const std::string& id, const engine::Step& step) const {
  const CheckDef* c = find_check(id);
  if (!c || c->needs_fault.empty()) return std::nullopt;
  const std::string fault = step.args.value("fault", std::string());
  if (step.op == "authorize" && std::find(c->needs_fault.begin(), c->needs_fault.end(), fault) != c->needs_fault.end())
    return std::nullopt;
  std::string list;
  for (const auto& f : c->needs_fault) list += (list.empty() ? "" : ", ") + f;
  return "judges a refused validation, but the step is not an authorize step with one of the faults that cause it (" + list + ")";
}

bool ServerExecutor::has_check(const std::string& id) const { return find_check(id) != nullptr; }

std::vector<std::string> ServerExecutor::mutations_required_by(const std::string& id) const {
  const CheckDef* c = find_check(id);
  return c ? c->needs_mutation : std::vector<std::string>{};
}

std::optional<std::string> ServerExecutor::begin(const engine::Scenario& scenario, engine::Variables& vars) {
  state_ = ScenarioState{};
  scenario_first_exchange_ = transcript_.size();
  if (responders_) {
    responders_->clear_http01_tokens();
    responders_->clear_tls_alpn_key_authorizations();
    responders_->clear_history();
  }
  const json& dir = session_->directory();
  for (const auto& [name, value] : dir.items())
    if (value.is_string()) vars["dir_" + name] = value;
  vars["directory"] = config_.directory_url;
  vars["domain"] = random_label() + "." + config_.domain_suffix;
  vars["domain2"] = random_label() + "." + config_.domain_suffix;
  vars["domain3"] = random_label() + "." + config_.domain_suffix;
  vars["base_domain"] = config_.domain_suffix;
  // The CA's own CAA identity (the first of meta.caaIdentities), for CAA
  // scenarios; a name no CA uses when the target declares none.
  const json caa = dir.value("meta", json::object()).value("caaIdentities", json::array());
  vars["caa_identity"] = caa.is_array() && !caa.empty() && caa[0].is_string() ? caa[0].get<std::string>() : "unknown-ca.invalid";
  for (const auto& feature : scenario.requires_features) {
    if (feature == "eab") {
      if (config_.eab_kid.empty()) return "the scenario needs external account binding credentials (--eab-kid, --eab-hmac-key)";
      continue;
    }
    if (feature == "responders") {
      if (!responders_) return "the scenario needs the in-process challenge responders";
      continue;
    }
    if (session_->endpoint(feature).empty()) return "the directory offers no " + feature + " resource";
  }
  return std::nullopt;
}

engine::StepRun ServerExecutor::run(const engine::Step& step, const json& args, engine::Variables&) {
  const std::size_t first = transcript_.size();
  last_ = Observation{};
  last_.op = step.op;
  last_.args = args;
  engine::StepRun out;
  auto m = client::Mutations::parse(step.mutate);
  if (!m) {
    out.harness_error = m.error().to_string();
    return out;
  }
  last_.mutations = *m;
  const OpDef* op = find_op(step.op);
  OpResult r = op->run(*this, args, last_);
  // Every exchange the step made, including those no op helper captured.
  auto all = transcript_.exchanges();
  last_.exchanges.assign(all.begin() + static_cast<std::ptrdiff_t>(std::min(first, all.size())), all.end());
  out.result = std::move(r.result);
  out.failure = std::move(r.failure);
  out.harness_error = std::move(r.harness_error);
  out.exchanges = last_.evidence();
  return out;
}

engine::Judgement ServerExecutor::judge(const std::string& id, const engine::Step&, const engine::StepRun&) {
  const CheckDef* c = find_check(id);
  if (!c) return engine::Judgement::error("no implementation for " + id);
  // What the target declares about itself, for checks that only apply to
  // targets declaring a feature (e.g. meta.caaIdentities).
  if (!last_.facts.contains("target_meta")) last_.facts["target_meta"] = session_->directory().value("meta", json::object());
  engine::Judgement j = c->judge(last_);
  if (j.evidence.empty() && last_.main && !last_.main->id.empty()) j.evidence = {last_.main->id};
  return j;
}

json ServerExecutor::end(const engine::Scenario&) {
  json out = json::array();
  auto all = transcript_.exchanges();
  for (std::size_t i = scenario_first_exchange_; i < all.size(); ++i) out.push_back(http::exchange_to_json(all[i]));
  return out;
}

}  // namespace acmespec::server
