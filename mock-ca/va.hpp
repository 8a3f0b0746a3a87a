// The validation authority: real HTTP-01, DNS-01 and TLS-ALPN-01 checks
// (RFC 8555 §8.3, §8.4; RFC 8737; RFC 8738) against the configured DNS
// server and ports, on a bounded pool of worker threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "acme/identifier.hpp"
#include "acme/problem.hpp"
#include "common/result.hpp"
#include "mock-ca/mock_ca.hpp"

namespace acmespec::mockca::detail {

struct VaJob {
  std::string type;               // "http-01", "dns-01", "tls-alpn-01"
  acme::Identifier identifier;    // a wildcard's base name, without "*."
  std::string token;
  std::string key_authorization;
  std::function<void(std::optional<acme::Problem>)> done{};  // called on a worker thread
  bool wildcard = false;
  std::vector<std::string> caa_identities{};  // empty = no CAA check
};

// Synchronous checks, each bounded by config.timeout.  nullopt = valid.
std::optional<acme::Problem> validate(const VaConfig& config, const VaJob& job);

// DNS over UDP to config.dns_server (TCP when the answer is truncated).
// A/AAAA addresses as text; an error problem of type dns when none.
Result<std::vector<std::string>> resolve_addresses(const VaConfig& config, const std::string& name);
Result<std::vector<std::string>> query_txt(const VaConfig& config, const std::string& name);
struct CaaRecord {
  std::uint8_t flags = 0;
  std::string tag;  // lower-cased
  std::string value;
};
Result<std::vector<CaaRecord>> query_caa(const VaConfig& config, const std::string& name);
// RFC 8659: the relevant CAA set (climbing to parents) must let one of
// `identities` issue (issuewild for wildcards); a caa problem when not.
std::optional<acme::Problem> check_caa(const VaConfig& config, const std::string& name, bool wildcard,
                                       const std::vector<std::string>& identities);

std::optional<acme::Problem> validate_http01(const VaConfig& config, const VaJob& job);
std::optional<acme::Problem> validate_dns01(const VaConfig& config, const VaJob& job);
std::optional<acme::Problem> validate_tls_alpn01(const VaConfig& config, const VaJob& job);
// The RFC 8737 §3 rules for the certificate a TLS-ALPN-01 responder
// presented (DER): exactly one SAN, the identifier, and the critical
// acmeIdentifier extension holding SHA-256 of the key authorization.
std::optional<acme::Problem> check_challenge_certificate(std::string_view der, const VaJob& job);

class Validator {
 public:
  explicit Validator(VaConfig config);
  ~Validator();  // stop()
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // False when the queue is at its limit or the validator stopped.
  bool submit(VaJob job);
  // Finishes the jobs in progress, drops the queued ones, joins the workers.
  void stop();
  const VaConfig& config() const { return config_; }

 private:
  void work();
  VaConfig config_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<VaJob> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace acmespec::mockca::detail
