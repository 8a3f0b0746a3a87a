// The deprovision probe (RFC 8555 §8.3, docs/clients.md): in scenarios that
// cite RFC8555-8.3-client-deprovisions-resource, when the client's finalize
// is accepted (so its authorization is valid) and while the client waits for
// that answer, acmespec fetches the HTTP-01 resource of the challenge the
// client answered once more and records whether the key authorization is
// still served.  One fetch per run, two seconds at most, 16 KiB read.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "mock-ca/observation.hpp"

namespace acmespec::clientmode {

struct DeprovisionResult {
  std::string trigger;  // evidence id of the finalize request
  std::string url;      // what was fetched
  std::chrono::system_clock::time_point at;
  int status = 0;        // HTTP status, 0 when no HTTP answer
  std::string error;     // why there was no HTTP answer (connection refused, ...)
  bool key_authorization_served = false;  // a 200 answer whose body holds "<token>."
  std::string body_head;                  // the first 120 bytes of the body
};

class DeprovisionProbe {
 public:
  DeprovisionProbe(std::string host, std::uint16_t http_port) : host_(std::move(host)), port_(http_port) {}
  // The mock CA's observation hook: remembers the token of the challenge the
  // client answered, and probes at the first accepted finalize.
  void observe(const mockca::Observation& o);
  std::optional<DeprovisionResult> result() const;

 private:
  std::string host_;
  std::uint16_t port_;
  mutable std::mutex mu_;
  std::string token_;
  std::optional<DeprovisionResult> result_;
};

// One bounded GET of http://127.0.0.1:<port><path> with Host: <host>:<port>.
DeprovisionResult fetch_http01(const std::string& host, std::uint16_t port, const std::string& token);

}  // namespace acmespec::clientmode
