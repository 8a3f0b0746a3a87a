// Authoritative DNS responder over UDP and TCP (RFC 1035 §4.2, RFC 7766).
//
// One thread per transport, each a poll() loop that also watches a wake-up
// pipe, so stop() returns promptly.  TCP connections are capped in number
// and closed after an idle timeout; a client above the cap waits in the
// listen backlog.  UDP answers larger than the client can take (512 bytes,
// or its EDNS(0) payload size, capped at 4096) come back empty with TC set so
// the client retries over TCP.  Every query lands in the history.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "responders/dns_zone.hpp"
#include "responders/history.hpp"
#include "responders/net.hpp"

namespace acmespec::responders {

struct DnsServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8053;  // UDP and TCP use the same number; 0 = pick one
  std::size_t max_tcp_connections = 32;
  std::chrono::milliseconds tcp_idle_timeout{2000};
  std::uint16_t max_udp_payload = 4096;  // upper bound on an EDNS client's size
};

// What the server does with one received message: the bytes to send back
// (empty when nothing should be sent: fewer than 12 bytes arrived) and what
// the history records.  Pure apart from reading the zone; the servers and the
// tests share it.  `udp_limit` is the UDP payload cap for a client with EDNS
// (clients without EDNS get 512); 0 means TCP (up to 65535 bytes).
struct DnsExchange {
  std::string response;
  std::string name;   // lower-cased question name, empty if unparsable
  std::string type;   // "A", "TXT", ...
  std::string rcode;  // "NOERROR", or "FORMERR (<parse error>)"
};
DnsExchange answer_dns_message(const DnsZone& zone, std::string_view message,
                               std::size_t udp_limit);

std::string dns_rcode_name(std::uint16_t rcode);

class DnsServer {
 public:
  DnsServer(const DnsZone& zone, HistoryLog<DnsHistoryEntry>& history, WallClock clock);
  ~DnsServer();
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  Status start(const DnsServerOptions& options);
  void stop();  // idempotent; joins both threads
  bool running() const { return running_; }
  std::uint16_t port() const { return port_; }

 private:
  struct TcpConnection;
  void udp_loop();
  void tcp_loop();
  void record(const std::string& protocol, const std::string& source, const DnsExchange& x);

  const DnsZone& zone_;
  HistoryLog<DnsHistoryEntry>& history_;
  WallClock clock_;
  DnsServerOptions options_;
  WakePipe wake_;
  UniqueFd udp_;
  UniqueFd tcp_;
  std::atomic<bool> stopping_{false};
  bool running_ = false;
  std::uint16_t port_ = 0;
  std::thread udp_thread_;
  std::thread tcp_thread_;
};

}  // namespace acmespec::responders
