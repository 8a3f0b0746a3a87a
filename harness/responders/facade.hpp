// The challenge responders as one unit: HTTP-01, TLS-ALPN-01 and DNS, plus
// an optional management API, started from one config and stopped together.
//
// Registrations and history live in this object, not in the servers'
// threads, so they survive stop() and start() and can be changed at any time
// from any thread.  The destructor stops everything; no thread outlives it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "responders/dns_server.hpp"
#include "responders/dns_zone.hpp"
#include "responders/history.hpp"
#include "responders/http01_server.hpp"
#include "responders/tls_alpn_server.hpp"

namespace acmespec::responders {

class ManagementApi;

struct ManagementOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8055;  // 0 = pick one
};

struct RespondersConfig {
  bool enable_http01 = true;
  Http01Options http01;        // 127.0.0.1:5002
  bool enable_tls_alpn = true;
  TlsAlpnOptions tls_alpn;     // 127.0.0.1:5001
  bool enable_dns = true;
  DnsServerOptions dns;        // 127.0.0.1:8053, UDP and TCP
  std::vector<std::string> default_a = {"127.0.0.1"};
  std::vector<std::string> default_aaaa;
  std::uint32_t dns_ttl = 0;
  bool enable_management = false;
  ManagementOptions management;  // 127.0.0.1:8055
  std::size_t history_capacity = 10000;  // per kind
  WallClock clock;                       // empty = system clock
};

enum class HistoryKind { kHttp, kDns, kTls };
std::optional<HistoryKind> parse_history_kind(std::string_view text);  // "http", "dns", "tls"

class Responders {
 public:
  explicit Responders(RespondersConfig config = {});
  ~Responders();
  Responders(const Responders&) = delete;
  Responders& operator=(const Responders&) = delete;

  // Starts every enabled server; on any failure stops the ones started and
  // returns the error.
  Status start();
  void stop();  // idempotent; joins every thread
  bool running() const { return running_; }

  // Bound ports (0 when that server is not running).
  std::uint16_t http01_port() const { return http01_.port(); }
  std::uint16_t tls_alpn_port() const { return tls_alpn_.port(); }
  std::uint16_t dns_port() const { return dns_.port(); }
  std::uint16_t management_port() const;

  // HTTP-01
  Status add_http01_token(const std::string& token, std::string key_authorization,
                          Http01Faults faults = {});
  bool remove_http01_token(const std::string& token) { return http01_.remove_token(token); }
  void clear_http01_tokens();  // on both HTTP-01 listeners

  // A second HTTP-01 listener, on the HTTP-01 responder's address and a port
  // the kernel picks (never 80 or 443, never the HTTP-01 port): where a
  // redirect "to another port" leads.  Started on first use and stopped by
  // stop(); its requests go to the same HTTP history, each entry carrying
  // the port it arrived on.  Needs the HTTP-01 responder to be running.
  Result<std::uint16_t> start_http01_alternate();
  std::uint16_t http01_alternate_port() const { return http01_alternate_.port(); }
  Status add_http01_alternate_token(const std::string& token, std::string key_authorization);

  // TLS-ALPN-01 (host: DNS name or IP literal)
  void add_tls_alpn_key_authorization(std::string_view host, std::string key_authorization,
                                      TlsAlpnFaults faults = {});
  bool remove_tls_alpn_key_authorization(std::string_view host);
  void clear_tls_alpn_key_authorizations() { tls_alpn_.clear_key_authorizations(); }

  // DNS: the zone holds TXT, CAA and address records (see dns_zone.hpp).
  DnsZone& zone() { return zone_; }
  const DnsZone& zone() const { return zone_; }

  // History: {"http": [...], "dns": [...], "tls": [...]}, or one array.
  nlohmann::json history() const;
  nlohmann::json history(HistoryKind kind) const;
  std::vector<HttpHistoryEntry> http_history() const { return http_history_.snapshot(); }
  std::vector<DnsHistoryEntry> dns_history() const { return dns_history_.snapshot(); }
  std::vector<TlsHistoryEntry> tls_history() const { return tls_history_.snapshot(); }
  void clear_history();

  const RespondersConfig& config() const { return config_; }

 private:
  RespondersConfig config_;
  HistoryLog<HttpHistoryEntry> http_history_;
  HistoryLog<DnsHistoryEntry> dns_history_;
  HistoryLog<TlsHistoryEntry> tls_history_;
  DnsZone zone_;
  Http01Server http01_;
  Http01Server http01_alternate_;
  std::mutex alternate_mu_;  // serializes its lazy start
  TlsAlpnServer tls_alpn_;
  DnsServer dns_;
  std::unique_ptr<ManagementApi> management_;
  bool running_ = false;
};

}  // namespace acmespec::responders
