// acmespec responders: the challenge responders as a standalone process, for
// targets and clients driven from elsewhere (a shell script, a client's hook,
// another test harness), controlled through the management API.
#include <csignal>
#include <thread>

#include "cli/commands.hpp"
#include "responders/facade.hpp"

namespace acmespec::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) { g_stop = 1; }

int run_responders(Context& ctx, const ParsedOptions& opts) {
  responders::RespondersConfig config;
  config.enable_management = true;
  struct Slot {
    const char* option;
    std::string* host;
    std::uint16_t* port;
    bool* enabled;
  };
  const Slot slots[] = {
      {"http", &config.http01.host, &config.http01.port, &config.enable_http01},
      {"tls-alpn", &config.tls_alpn.host, &config.tls_alpn.port, &config.enable_tls_alpn},
      {"dns", &config.dns.host, &config.dns.port, &config.enable_dns},
      {"management", &config.management.host, &config.management.port, &config.enable_management},
  };
  for (const auto& slot : slots) {
    auto value = opts.get(slot.option);
    if (!value) continue;
    if (*value == "off") {
      *slot.enabled = false;
      continue;
    }
    auto hp = parse_host_port(*value);
    if (!hp) {
      ctx.err << "acmespec responders: --" << slot.option << ": " << hp.error().to_string() << "\n";
      return kExitHarnessError;
    }
    *slot.host = hp->host;
    *slot.port = hp->port;
  }
  if (!config.enable_management) {
    ctx.err << "acmespec responders: --management off leaves no way to register challenges\n";
    return kExitHarnessError;
  }
  if (auto a = opts.get("default-a")) config.default_a = {*a};
  responders::Responders r(config);
  if (auto s = r.start(); !s) {
    ctx.err << "acmespec responders: cannot start: " << s.error().to_string() << "\n";
    return kExitHarnessError;
  }
  ctx.out << "responders running: http-01 " << (config.enable_http01 ? std::to_string(r.http01_port()) : "off")
          << ", tls-alpn-01 " << (config.enable_tls_alpn ? std::to_string(r.tls_alpn_port()) : "off") << ", dns "
          << (config.enable_dns ? std::to_string(r.dns_port()) : "off") << ", management http://"
          << config.management.host << ":" << r.management_port() << "\n"
          << std::flush;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  long seconds = 0;
  if (auto d = opts.get("duration")) {
    try {
      seconds = std::stol(*d);
    } catch (const std::exception&) {
      seconds = -1;
    }
    if (seconds <= 0) {
      ctx.err << "acmespec responders: --duration: expected a positive number of seconds\n";
      return kExitHarnessError;
    }
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!g_stop && (seconds == 0 || std::chrono::steady_clock::now() < until))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  r.stop();
  ctx.out << "responders stopped\n";
  return kExitOk;
}

}  // namespace

Command responders_command() {
  return Command{"responders",
                 "run the HTTP-01, TLS-ALPN-01 and DNS challenge responders with a management API",
                 "",
                 {{"http", "ADDR", "HTTP-01 address, or off (default 127.0.0.1:5002)"},
                  {"tls-alpn", "ADDR", "TLS-ALPN-01 address, or off (default 127.0.0.1:5001)"},
                  {"dns", "ADDR", "DNS address for UDP and TCP, or off (default 127.0.0.1:8053)"},
                  {"management", "ADDR", "management API address (default 127.0.0.1:8055)"},
                  {"default-a", "IP", "the A record every name resolves to (default 127.0.0.1)"},
                  {"duration", "S", "stop after S seconds (default: until SIGINT or SIGTERM)"}},
                 0,
                 run_responders};
}

}  // namespace acmespec::cli
