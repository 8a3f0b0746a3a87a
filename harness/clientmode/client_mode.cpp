#include "clientmode/client_mode.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>

#include "clientmode/decoy.hpp"
#include "clientmode/process.hpp"
#include "clientmode/site.hpp"
#include "engine/run_record.hpp"
#include "http/redact.hpp"
#include "mock-ca/mock_ca.hpp"
#include "responders/facade.hpp"

namespace acmespec::clientmode {

namespace fs = std::filesystem;
using nlohmann::json;

struct ClientExecutor::Live {
  std::unique_ptr<responders::Responders> responders;
  std::unique_ptr<mockca::MockCaServer> ca;
  std::unique_ptr<SiteServer> site;  // http-01-webroot: serves {webroot} on {http_port}
  std::unique_ptr<DecoyListener> decoy;  // directory_decoy, resource_decoy: where the hostile URLs point
  // The VA's first attempts, reported from its workers (shared: the VA may
  // outlive a run that ended early).
  struct Attempts {
    std::mutex mu;
    std::vector<ClientRun::ValidationAttempt> list;
  };
  std::shared_ptr<Attempts> attempts = std::make_shared<Attempts>();
  std::shared_ptr<Http01Probe> probe;  // only in scenarios citing a check the probes judge
};

namespace {

std::string base64url(const std::string& bytes) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s : {18, 12, 6, 0}) out += abc[(v >> s) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    if (rest == 2) out += abc[(v >> 6) & 63];
  }
  return out;
}

// Names of files a hostile payload's `touch acmespec-canary-...` would create.
std::vector<std::string> find_canaries(const fs::path& workdir) {
  std::vector<std::string> out;
  std::error_code ec;
  std::size_t visited = 0;
  for (fs::recursive_directory_iterator it(workdir, ec), end; !ec && it != end && ++visited < 50000; it.increment(ec))
    if (it->path().filename().string().rfind("acmespec-canary", 0) == 0 && out.size() < 20)
      out.push_back(fs::relative(it->path(), workdir, ec).generic_string());
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

json observation_evidence(const mockca::Observation& o) {
  json req = {{"method", o.method}, {"url", o.url}, {"headers", {{"content-type", o.content_type}, {"user-agent", o.user_agent}}}};
  if (!o.accept.empty()) req["headers"]["accept"] = o.accept;
  if (o.protected_header) {
    json jws = {{"protected", *o.protected_header}};
    if (o.payload) jws["payload"] = o.payload_empty ? json("") : *o.payload;
    http::redact_json(jws);
    req["jws"] = std::move(jws);
  }
  json body = json::object();
  if (!o.problem_type.empty()) body["type"] = "urn:ietf:params:acme:error:" + o.problem_type;
  if (!o.resource_status.empty()) body["status"] = o.resource_status;
  if (!o.csr_names.empty()) body["csr_names"] = o.csr_names;
  json headers = json::object();
  if (o.retry_after) headers["retry-after"] = std::to_string(*o.retry_after);
  if (!o.replay_nonce.empty()) headers["replay-nonce"] = o.replay_nonce;
  json res = {{"status", o.status}, {"headers", headers}, {"body", body.empty() ? json("") : json(body.dump())}};
  json out = {{"id", evidence_id(o)}, {"started_at", engine::format_utc(o.at)}, {"request", req}, {"response", res}};
  if (o.fault_injected) out["fault_injected"] = true;
  return out;
}

}  // namespace

Result<std::uint16_t> free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error("port", std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error("port", "cannot bind a loopback port: " + why);
  }
  ::close(fd);
  return static_cast<std::uint16_t>(ntohs(addr.sin_port));
}

engine::Scenario as_engine_scenario(const ClientScenario& sc) {
  engine::Scenario out;
  out.id = sc.id;
  out.title = sc.title;
  out.description = sc.description;
  out.file = sc.file;
  out.suites = sc.suites;
  out.sections = sc.sections;
  engine::Step step;
  step.index = 1;
  step.name = "run the client";
  step.op = "run-client";
  step.args = json::object();
  step.mutate = json::object();
  step.expect = sc.expect;
  out.steps.push_back(std::move(step));
  return out;
}

ClientExecutor::ClientExecutor(ClientModeConfig config) : config_(std::move(config)), rng_(config_.seed) {}

ClientExecutor::~ClientExecutor() = default;

Result<std::vector<std::string>> ClientExecutor::build_command(const ClientScenario& sc, const Placeholders& values) const {
  std::vector<std::string> out;
  for (const auto& arg : config_.command) {
    if (config_.profile && arg == "{domain_args}") {
      for (const auto& name : run_.identifiers) {
        Placeholders v = values;
        v["name"] = name;
        auto e = expand_all(config_.profile->domain_args, v, "domain_args");
        if (!e) return e.error();
        out.insert(out.end(), e->begin(), e->end());
      }
      continue;
    }
    if (config_.profile && arg == "{tos_args}") {
      if (!sc.tos_opt_in) continue;  // withheld: the client must not agree on its own
      auto e = expand_all(config_.profile->tos_args, values, "tos_args");
      if (!e) return e.error();
      out.insert(out.end(), e->begin(), e->end());
      continue;
    }
    if (config_.profile && (arg == "{challenge_args}" || arg == "{eab_args}")) {
      const auto& list = arg == "{eab_args}" ? (sc.faults.eab_required ? config_.profile->eab_args : std::vector<std::string>{})
                                             : config_.profile->challenge_args.at(sc.challenge);
      auto e = expand_all(list, values, arg == "{eab_args}" ? "eab_args" : "challenge_args." + sc.challenge);
      if (!e) return e.error();
      out.insert(out.end(), e->begin(), e->end());
      continue;
    }
    auto e = expand(arg, values, "command");
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

std::optional<std::string> ClientExecutor::begin(const engine::Scenario& scenario, engine::Variables&) {
  live_.reset();
  current_ = nullptr;
  run_ = ClientRun{};
  shown_command_.clear();
  process_evidence_ = nullptr;
  if (scenarios_)
    for (const auto& sc : *scenarios_)
      if (sc.id == scenario.id) current_ = &sc;
  if (!current_) return "unknown client scenario " + scenario.id;
  const ClientScenario& sc = *current_;
  if (config_.profile && !config_.profile->challenge_args.count(sc.challenge))
    return "the profile " + config_.profile->name + " gives no command line for " + sc.challenge;
  if (config_.profile && sc.faults.eab_required && config_.profile->eab_args.empty())
    return "the profile " + config_.profile->name + " gives no external account binding arguments";
  if (!sc.tos_opt_in && (!config_.profile || config_.profile->tos_args.empty() ||
                         std::find(config_.profile->command.begin(), config_.profile->command.end(), "{tos_args}") ==
                             config_.profile->command.end()))
    return config_.profile ? "the profile " + config_.profile->name +
                                 " names no terms-of-service opt-in ({tos_args} in its command and a tos_args list) to withhold"
                           : "without a profile the command line's terms-of-service opt-in cannot be withheld";
  return std::nullopt;
}

engine::StepRun ClientExecutor::run(const engine::Step&, const json&, engine::Variables&) {
  engine::StepRun out;
  out.exchanges = {"client-process"};
  const ClientScenario& sc = *current_;
  const fs::path workdir = config_.work_root / sc.id;
  std::error_code ec;
  fs::remove_all(workdir, ec);
  fs::create_directories(workdir, ec);
  if (ec) {
    out.harness_error = "cannot create the working folder " + workdir.string() + ": " + ec.message();
    return out;
  }
  fs::permissions(workdir, fs::perms::owner_all, fs::perm_options::replace, ec);
  auto http_port = free_loopback_port();
  auto tls_port = free_loopback_port();
  if (!http_port || !tls_port) {
    out.harness_error = (http_port ? tls_port.error() : http_port.error()).to_string();
    return out;
  }

  live_ = std::make_unique<Live>();
  responders::RespondersConfig rc;
  rc.enable_http01 = false;  // the client serves its own challenges
  rc.enable_tls_alpn = false;
  rc.dns.port = 0;
  rc.enable_management = true;
  rc.management.port = 0;
  live_->responders = std::make_unique<responders::Responders>(rc);
  if (auto s = live_->responders->start(); !s) {
    out.harness_error = "cannot start the DNS responder: " + s.error().to_string();
    return out;
  }

  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<int> pick(0, 35);
  std::string label = "c";
  for (int i = 0; i < 10; ++i) label += alphabet[pick(rng_)];
  const std::string domain = label + "." + config_.domain_suffix;
  std::string key_bytes;
  for (int i = 0; i < 32; ++i) key_bytes += static_cast<char>(pick(rng_) * 7);
  const std::string eab_kid = "kid-" + label, eab_key = base64url(key_bytes);

  mockca::MockCaServerConfig mc;
  mc.host = "127.0.0.1";
  mc.port = 0;
  mc.ca_bundle_path = (workdir / "acmespec-ca.pem").string();
  mc.ca.va.http_port = *http_port;
  mc.ca.va.tls_port = *tls_port;
  mc.ca.va.dns_server = "127.0.0.1:" + std::to_string(live_->responders->dns_port());
  mc.ca.faults = sc.faults;
  const auto& expect = sc.expect;
  const auto cites = [&](const char* id) { return std::find(expect.begin(), expect.end(), id) != expect.end(); };
  const bool deprovision = cites("RFC8555-8.3-client-deprovisions-resource");
  const bool echo = cites("RFC8555-8.3-client-checks-echoed-token");
  if (deprovision || echo) {
    live_->probe = std::make_shared<Http01Probe>(expand_identifiers(sc, domain).front(), *http_port, deprovision, echo);
    mc.ca.on_observation = [p = live_->probe](const mockca::Observation& o) { p->observe(o); };
  }
  mc.ca.va.start_delay = std::chrono::seconds(sc.validation_delay_s);
  mc.ca.va.on_attempt = [attempts = live_->attempts](const std::string& type, const std::string& identifier) {
    std::lock_guard lock(attempts->mu);
    if (attempts->list.size() < 1000) attempts->list.push_back({type, identifier, std::chrono::system_clock::now()});
  };
  if (const std::string& kind = sc.faults.directory_decoy.empty() ? sc.faults.resource_decoy : sc.faults.directory_decoy;
      !kind.empty()) {
    const bool http = kind == "http";
    auto decoy = DecoyListener::start(http ? "127.0.0.1" : "127.0.0.2");
    if (!decoy) {
      out.harness_error = "cannot start the decoy listener: " + decoy.error().to_string();
      return out;
    }
    mc.ca.decoy_base = std::string(http ? "http://127.0.0.1:" : "https://127.0.0.2:") + std::to_string((*decoy)->port());
    live_->decoy = std::move(*decoy);
  }
  mc.ca.eab_keys = {{eab_kid, eab_key}};
  mc.ca.seed = config_.seed ? config_.seed + rng_() % 1000 : 0;
  auto server = mockca::MockCaServer::start(mc);
  if (!server) {
    out.harness_error = "cannot start the mock CA: " + server.error().to_string();
    return out;
  }
  live_->ca = std::move(*server);

  run_.identifiers = expand_identifiers(sc, domain);
  run_.faults = sc.faults;
  run_.challenge = sc.challenge;
  values_ = {{"directory", live_->ca->directory_url()},
             {"ca_bundle", mc.ca_bundle_path},
             {"domain", run_.identifiers.front()},
             {"domains", join(run_.identifiers, ",")},
             {"http_port", std::to_string(*http_port)},
             {"tls_port", std::to_string(*tls_port)},
             {"dns_server", "127.0.0.1:" + std::to_string(live_->responders->dns_port())},
             {"dns_api", "http://127.0.0.1:" + std::to_string(live_->responders->management_port())},
             {"workdir", workdir.string()},
             {"email", config_.email},
             {"acmespec", config_.acmespec_path},
             {"challenge", sc.challenge},
             {"eab_kid", eab_kid},
             {"eab_hmac_key", eab_key}};
  if (config_.profile) values_["profile_dir"] = config_.profile->dir.string();
  SiteWatch watch;
  if (sc.challenge == "http-01-webroot") {
    auto site = make_site(workdir);
    if (!site) {
      out.harness_error = site.error().to_string();
      return out;
    }
    auto server_site = SiteServer::start(*site / "webroot", *http_port);
    if (!server_site) {
      out.harness_error = server_site.error().to_string();
      return out;
    }
    live_->site = std::move(*server_site);
    values_["webroot"] = (*site / "webroot").string();
    run_.webroot = true;
    if (auto s = watch.start(*site); !s) {
      out.harness_error = "cannot watch the webroot site: " + s.error().to_string();
      return out;
    }
  }
  auto command = build_command(sc, values_);
  if (!command) {
    out.harness_error = "bad command template: " + command.error().to_string();
    return out;
  }
  ProcessOptions po;
  po.argv = *command;
  po.cwd = workdir;
  po.output_cap = config_.output_cap;
  po.timeout = config_.profile && config_.profile->timeout_s ? std::chrono::seconds(config_.profile->timeout_s)
                                                             : std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout);
  if (sc.timeout_s > 0) po.timeout = std::min(po.timeout, std::chrono::milliseconds(sc.timeout_s * 1000LL));
  run_.timeout_s = static_cast<int>(po.timeout.count() / 1000);
  // The environment may already point these at another bundle; the client
  // must trust the mock CA's, and write nothing into the caller's home.
  for (const char* var : {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "LEGO_CA_CERTIFICATES"})
    po.env[var] = mc.ca_bundle_path;
  po.env["HOME"] = workdir.string();
  if (config_.profile)
    for (const auto& [k, v] : config_.profile->env) {
      auto e = expand(v, values_, "env." + k);
      if (!e) {
        out.harness_error = "bad profile environment: " + e.error().to_string();
        return out;
      }
      po.env[k] = *e;
    }
  shown_command_ = *command;
  for (auto& a : shown_command_)
    if (auto at = a.find(eab_key); at != std::string::npos) a.replace(at, eab_key.size(), "[redacted]");
  auto result = run_process(po);
  if (run_.webroot) run_.site_changes = watch.stop();
  run_.canaries = find_canaries(workdir);
  if (const auto block = mockca::certificate_extra_pem_block(sc.faults.certificate_extra_pem); !block.empty())
    run_.saved_extra_pem = pem_files_containing(workdir.string(), block.substr(0, block.find('\n')));
  if (live_->decoy) {
    // A connection still queued when the client exited is accepted within the decoy's next poll.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    run_.decoy_hits = live_->decoy->hits();
  }
  if (!result) {
    out.harness_error = result.error().to_string();
    return out;
  }
  run_.exit_code = result->exit_code;
  run_.timed_out = result->timed_out;
  run_.duration_s = std::chrono::duration<double>(result->duration).count();
  std::string output = http::redact_pem(result->output);
  if (auto at = output.find(eab_key); at != std::string::npos) output.replace(at, eab_key.size(), "[redacted]");
  run_.output = output;
  run_.observations = live_->ca->ca().observations();
  {
    std::lock_guard lock(live_->attempts->mu);
    run_.validation_attempts = live_->attempts->list;
  }
  run_.validation_delay_s = sc.validation_delay_s;
  run_.tos_withheld = !sc.tos_opt_in;  // begin() refused the scenario unless the profile could withhold it
  if (live_->probe) {
    run_.deprovision_probed = live_->probe->deprovision_armed();
    run_.deprovision = live_->probe->deprovision_result();
    run_.echo_probed = live_->probe->echo_armed();
    run_.echo = live_->probe->echo_result();
  }
  json status = result->exit_code ? json(*result->exit_code) : json(nullptr);
  process_evidence_ = {{"id", "client-process"},
                       {"duration_ms", result->duration.count()},
                       {"request", {{"method", "RUN"}, {"url", join(shown_command_, " ")}}},
                       {"response", {{"status", status}, {"body", output}}},
                       {"exit_code", status},
                       {"signal", result->signal},
                       {"timed_out", result->timed_out},
                       {"output_bytes", result->output_bytes},
                       {"identifiers", run_.identifiers}};
  if (run_.webroot) process_evidence_["site_changes"] = run_.site_changes;
  if (!run_.canaries.empty()) process_evidence_["canaries"] = run_.canaries;
  if (!sc.faults.certificate_extra_pem.empty()) process_evidence_["saved_extra_pem"] = run_.saved_extra_pem;
  if (live_->decoy) process_evidence_["decoy_hits"] = run_.decoy_hits;
  if (run_.tos_withheld) process_evidence_["tos_opt_in_withheld"] = config_.profile->tos_args;
  if (sc.validation_delay_s > 0) {
    json attempts = json::array();
    for (const auto& v : run_.validation_attempts)
      attempts.push_back({{"type", v.type}, {"identifier", v.identifier}, {"at", engine::format_utc(v.at)}});
    process_evidence_["validation_delay_s"] = sc.validation_delay_s;
    process_evidence_["validation_attempts"] = attempts;
  }
  if (run_.deprovision) process_evidence_["deprovision_probe"] = probe_evidence(*run_.deprovision);
  if (run_.echo) process_evidence_["echo_probe"] = probe_evidence(*run_.echo);
  if (result->timed_out)
    process_evidence_["error"] = "killed after the " + std::to_string(po.timeout.count() / 1000) + " s timeout";
  return out;
}

engine::Judgement ClientExecutor::judge(const std::string& id, const engine::Step&, const engine::StepRun&) {
  if (config_.profile) {
    auto it = config_.profile->disabled_checks.find(id);
    if (it != config_.profile->disabled_checks.end())
      return engine::Judgement::skip("disabled for " + config_.profile->name + ": " + it->second);
  }
  const ClientCheckDef* def = find_client_check(id);
  if (!def) return engine::Judgement::error("no client check implements " + id);
  engine::Judgement j = def->judge(run_);
  if (j.evidence.empty()) j.evidence = {"client-process"};
  return j;
}

json ClientExecutor::end(const engine::Scenario&) {
  json out = json::array();
  if (!process_evidence_.is_null()) out.push_back(process_evidence_);
  for (const auto& o : run_.observations) out.push_back(observation_evidence(o));
  live_.reset();  // stops the mock CA and the responders before the next scenario
  return out;
}

}  // namespace acmespec::clientmode
