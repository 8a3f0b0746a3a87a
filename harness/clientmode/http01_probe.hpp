// Probes of the client's own HTTP-01 resources (RFC 8555 §8.3,
// docs/clients.md), made from outside the client while it runs.  Each is
// armed only in scenarios citing its check and fetches one URL once (one GET,
// two seconds at most, 16 KiB read):
//  - deprovision (RFC8555-8.3-client-deprovisions-resource): when the
//    client's finalize is accepted (so its authorization is valid) and while
//    the client waits for that answer, the resource of the challenge it
//    answered, to see whether the key authorization is still served;
//  - echo (RFC8555-8.3-client-checks-echoed-token): when the client answers
//    its first challenge (so it is serving), the path of a token the CA never
//    issued, with characters outside base64url, to see whether the client's
//    server builds an answer from whatever token it is asked for.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mock-ca/observation.hpp"

namespace acmespec::clientmode {

// The echo probe's token: 43 characters like a real token, with '~' and '!',
// which base64url does not use but a URL path carries unencoded.
inline constexpr const char* kEchoProbeToken = "acmespec~echo!probe_never-issued_0123456789";

struct ProbeResult {
  std::string trigger;  // evidence id of the request that set the probe off
  std::string url;      // what was fetched
  std::chrono::system_clock::time_point at;
  int status = 0;        // HTTP status, 0 when no HTTP answer
  std::string error;     // why there was no HTTP answer (connection refused, ...)
  bool key_authorization_served = false;  // a 200 answer whose body holds "<token>."
  bool token_echoed = false;              // a 200 answer whose body holds the token
  std::string body_head;                  // the first 120 bytes of the body, printable ASCII
};

class Http01Probe {
 public:
  Http01Probe(std::string host, std::uint16_t http_port, bool deprovision, bool echo)
      : host_(std::move(host)), port_(http_port), deprovision_(deprovision), echo_(echo) {}
  // The mock CA's observation hook (called before the CA answers): remembers
  // the token of the first challenge the client answered and runs the echo
  // probe then; runs the deprovision probe at the first accepted finalize.
  void observe(const mockca::Observation& o);
  std::optional<ProbeResult> deprovision_result() const;
  std::optional<ProbeResult> echo_result() const;
  bool deprovision_armed() const { return deprovision_; }
  bool echo_armed() const { return echo_; }

 private:
  std::string host_;
  std::uint16_t port_;
  bool deprovision_, echo_;
  mutable std::mutex mu_;
  std::string token_;
  std::optional<ProbeResult> deprovision_result_, echo_result_;
};

// One bounded GET of http://127.0.0.1:<port>/.well-known/acme-challenge/<token>
// with Host: <host>:<port>.
ProbeResult fetch_http01(const std::string& host, std::uint16_t port, const std::string& token);

// The probe's result as evidence JSON (the client-process evidence).
nlohmann::json probe_evidence(const ProbeResult& r);

}  // namespace acmespec::clientmode
