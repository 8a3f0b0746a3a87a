// The mock CA: a complete RFC 8555 server, strict where the RFC says MUST,
// with a fault plan and an observation log (docs/mock-ca.md).
//
// The core is a function from request to response (handle()), callable
// without sockets so that unit tests and fuzz targets call exactly what the
// HTTPS shell (MockCaServer) calls.  Clock and randomness are injected.
// Validation (VA) is real: HTTP-01 over HTTP, DNS-01 by a TXT query and
// TLS-ALPN-01 by a handshake, against the addresses configured here; it runs
// on a bounded worker pool, so handle() never blocks on a challenge.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "mock-ca/fault_plan.hpp"
#include "mock-ca/observation.hpp"

namespace acmespec::mockca {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct Request {
  std::string method;                              // "GET", "HEAD", "POST"
  std::string path;                                // path and query, e.g. "/order/12"
  std::multimap<std::string, std::string> headers; // names lower-case
  std::string body;
  std::string remote_addr;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; Link may repeat
  std::string body;
  // Hold the answer this long (a DelayFault); the shell sleeps, the core never does.
  std::chrono::milliseconds delay{0};
  std::string header(const std::string& name) const;  // first value, case-insensitive, "" if none
};

struct VaConfig {
  std::uint16_t http_port = 5002;       // where HTTP-01 is fetched
  std::uint16_t tls_port = 5001;        // where TLS-ALPN-01 connects
  std::string dns_server = "127.0.0.1:8053";  // resolves names (A/AAAA) and answers TXT for DNS-01
  std::chrono::milliseconds timeout{5000};
  int workers = 2;                      // validation threads
  std::size_t queue_limit = 1000;       // pending validations beyond this are refused
  // Each validation waits this long (at most 30 s) before its first attempt, so
  // that what a client does before the validation request arrives can be seen.
  std::chrono::milliseconds start_delay{0};
  // Called on a VA worker as each validation makes its first attempt
  // (challenge type, identifier); empty = not reported.
  std::function<void(const std::string& type, const std::string& identifier)> on_attempt;
};

struct MockCaConfig {
  std::string base_url;                 // e.g. "https://127.0.0.1:14000"; every URL the CA hands out is under it
  // The directory_decoy and resource_decoy faults point directory entries or
  // authorization URLs here (e.g. "http://127.0.0.1:9" or "https://127.0.0.2:9");
  // empty = base_url with http:// or with host 127.0.0.2.
  std::string decoy_base;
  VaConfig va;
  FaultPlan faults;
  std::string terms_of_service = "https://127.0.0.1/terms/v1";
  std::string website = "https://acmespec.test/mock-ca";
  std::vector<std::string> caa_identities = {"acmespec.test"};
  // EAB: key id -> base64url HMAC key; required when faults.eab_required.
  std::map<std::string, std::string> eab_keys;
  std::string key_algorithm = "ecdsa";  // hierarchy: "ecdsa" (P-256) or "rsa" (2048)
  std::size_t nonce_limit = 10000;      // outstanding nonces kept; the oldest are dropped beyond it
  std::chrono::seconds nonce_lifetime{3600};
  std::size_t orders_per_page = 10;
  // Cap on accounts + orders + authorizations: beyond it the oldest orders
  // (with their authorizations and certificates), then idle accounts, are
  // retired; rateLimited only when nothing can be retired.
  std::size_t state_limit = 100000;
  std::size_t observation_limit = 100000;
  std::chrono::hours order_lifetime{24 * 7};
  Clock clock;                          // empty = system clock
  // Called with each observation as it is logged, under the CA's lock, before
  // the answer leaves (client mode's deprovision probe runs here while the
  // client waits for its finalize answer); empty = none.
  std::function<void(const Observation&)> on_observation;
  std::uint64_t seed = 0;               // 0 = random
};

class MockCa {
 public:
  // Generates the CA hierarchy; an error means OpenSSL refused.
  static Result<std::unique_ptr<MockCa>> create(MockCaConfig config);
  ~MockCa();

  // Thread-safe.  Never throws; every error is an application/problem+json answer.
  Response handle(const Request& request);

  std::string directory_url() const;                 // base_url + "/dir"
  // PEM of the issuing roots (primary first, then the alternates' roots).
  std::vector<std::string> root_pems() const;
  std::vector<Observation> observations() const;     // copy, in arrival order
  void set_faults(FaultPlan plan);                   // replaces the plan and resets its counters
  nlohmann::json stats() const;                      // table sizes, for benchmarks and tests

 private:
  class Impl;
  explicit MockCa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The HTTPS shell: a cpp-httplib SSLServer over MockCa::handle with its own
// TLS certificate for the listen address (and localhost, 127.0.0.1, ::1),
// signed by a generated TLS CA whose PEM is written to `ca_bundle_path`.
struct MockCaServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 14000;           // 0 = pick a free port
  std::string ca_bundle_path;           // where the TLS CA PEM is written (0644; no key material)
  MockCaConfig ca;                      // base_url is filled in from host and the bound port
};

class MockCaServer {
 public:
  static Result<std::unique_ptr<MockCaServer>> start(MockCaServerConfig config);
  ~MockCaServer();                      // stops and joins every thread
  std::uint16_t port() const;
  std::string directory_url() const;
  MockCa& ca();

 private:
  class Impl;
  explicit MockCaServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace acmespec::mockca
