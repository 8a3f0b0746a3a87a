// acmespec mock-ca: the mock CA as a standalone HTTPS ACME server, with an
// optional fault plan, until SIGINT or SIGTERM.
#include <signal.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <system_error>

#include "cli/commands.hpp"
#include "common/json.hpp"
#include "mock-ca/mock_ca.hpp"

namespace acmespec::cli {
namespace {

int mock_ca_usage(Context& ctx, const std::string& why) {
  ctx.err << "acmespec mock-ca: " << why << "\n";
  return kExitHarnessError;
}

Result<std::uint16_t> port_option(const ParsedOptions& opts, const char* name, std::uint16_t fallback) {
  auto v = opts.get(name);
  if (!v) return fallback;
  if (v->empty() || v->size() > 5 || v->find_first_not_of("0123456789") != std::string::npos || std::stoul(*v) > 65535)
    return make_error(std::string("--") + name, "expected a port number, got \"" + *v + "\"");
  return static_cast<std::uint16_t>(std::stoul(*v));
}

Result<mockca::FaultPlan> load_faults(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(path, "cannot read the fault plan");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto j = parse_json(text);
  if (!j) return make_error(path, j.error().to_string());
  auto plan = mockca::parse_fault_plan(*j);
  if (!plan) return make_error(path, plan.error().to_string());
  return *plan;
}

Result<std::size_t> count_option(const ParsedOptions& opts, const char* name, std::size_t fallback) {
  auto v = opts.get(name);
  if (!v) return fallback;
  std::size_t n = 0;
  const char* end = v->data() + v->size();
  auto [p, ec] = std::from_chars(v->data(), end, n);
  if (v->empty() || ec != std::errc() || p != end || n > 100'000'000)
    return make_error(std::string("--") + name, "expected a count from 0 to 100000000, got '" + *v + "'");
  return n;
}

int run_mock_ca(Context& ctx, const ParsedOptions& opts) {
  mockca::MockCaServerConfig config;
  auto listen = parse_host_port(opts.get("listen").value_or("127.0.0.1:14000"));
  if (!listen) return mock_ca_usage(ctx, "--listen: " + listen.error().to_string());
  config.host = listen->host;
  config.port = listen->port;
  config.ca_bundle_path = opts.get("ca-bundle-out").value_or("mock-ca-bundle.pem");
  auto http_port = port_option(opts, "http-port", 5002);
  auto tls_port = port_option(opts, "tls-port", 5001);
  if (!http_port) return mock_ca_usage(ctx, http_port.error().to_string());
  if (!tls_port) return mock_ca_usage(ctx, tls_port.error().to_string());
  config.ca.va.http_port = *http_port;
  config.ca.va.tls_port = *tls_port;
  if (auto dns = opts.get("dns-server")) {
    if (auto hp = parse_host_port(*dns); !hp) return mock_ca_usage(ctx, "--dns-server: " + hp.error().to_string());
    config.ca.va.dns_server = *dns;
  }
  if (auto f = opts.get("faults")) {
    auto plan = load_faults(*f);
    if (!plan) return mock_ca_usage(ctx, "--faults " + plan.error().to_string());
    config.ca.faults = *plan;
  }
  for (const auto& eab : opts.all("eab")) {
    const auto colon = eab.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == eab.size())
      return mock_ca_usage(ctx, "--eab: expected KID:KEY with a base64url MAC key");
    config.ca.eab_keys[eab.substr(0, colon)] = eab.substr(colon + 1);
  }
  // A standalone mock CA may run for days: keep the most recent requests only.
  auto observation_limit = count_option(opts, "observation-limit", 5'000);
  auto state_limit = count_option(opts, "state-limit", 6'000);
  if (!observation_limit) return mock_ca_usage(ctx, observation_limit.error().to_string());
  if (!state_limit) return mock_ca_usage(ctx, state_limit.error().to_string());
  config.ca.observation_limit = *observation_limit;
  config.ca.state_limit = *state_limit;
  if (auto alg = opts.get("key-algorithm")) config.ca.key_algorithm = *alg;
  if (auto tos = opts.get("terms-of-service")) config.ca.terms_of_service = *tos;
  const bool insecure_bind = opts.has("allow-non-loopback");
  if (!insecure_bind && config.host != "127.0.0.1" && config.host != "::1" && config.host != "localhost")
    return mock_ca_usage(ctx, "--listen " + config.host + " is not a loopback address (add --allow-non-loopback to mean it)");

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = mockca::MockCaServer::start(config);
  if (!server) {
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
    return mock_ca_usage(ctx, "cannot start: " + server.error().to_string());
  }
  ctx.out << "Directory: " << (*server)->directory_url() << "\n"
          << "CA bundle: " << config.ca_bundle_path << "\n"
          << "Validation: HTTP-01 port " << config.ca.va.http_port << ", TLS-ALPN-01 port " << config.ca.va.tls_port
          << ", DNS " << config.ca.va.dns_server << "\n"
          << std::flush;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (auto out = opts.get("observations-out")) {
    std::ofstream f(*out, std::ios::trunc);
    nlohmann::json all = nlohmann::json::array();
    for (const auto& o : (*server)->ca().observations()) all.push_back(mockca::to_json(o));
    f << all.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  server->reset();
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
  ctx.out << "Stopped.\n";
  return kExitOk;
}

}  // namespace

Command mock_ca_command() {
  return Command{
      "mock-ca",
      "run the mock CA: a strict ACME server with scriptable faults",
      "",
      {{"listen", "ADDR", "address to serve HTTPS on (default 127.0.0.1:14000; port 0 picks one)"},
       {"allow-non-loopback", "", "allow --listen on an address that is not loopback"},
       {"faults", "FILE", "fault plan JSON (docs/mock-ca.md)"},
       {"ca-bundle-out", "FILE", "where to write the TLS CA certificate (default mock-ca-bundle.pem)"},
       {"http-port", "N", "port the VA fetches HTTP-01 from (default 5002)"},
       {"tls-port", "N", "port the VA connects to for TLS-ALPN-01 (default 5001)"},
       {"dns-server", "ADDR", "DNS server the VA resolves names and TXT records with (default 127.0.0.1:8053)"},
       {"eab", "KID:KEY", "accept external account binding with this key id and base64url MAC key", true},
       {"key-algorithm", "ALG", "issuing hierarchy: ecdsa (default) or rsa"},
       {"terms-of-service", "URL", "terms of service URL in the directory"},
       {"observations-out", "FILE", "on exit, write what the CA saw (JSON array)"},
       {"observation-limit", "N", "requests kept in the observation log, oldest dropped first (default 5000)"},
       {"state-limit", "N", "accounts + orders + authorizations kept, oldest retired first (default 6000)"}},
      0,
      run_mock_ca};
}

}  // namespace acmespec::cli
