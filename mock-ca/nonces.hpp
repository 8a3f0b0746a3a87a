// Replay nonces (RFC 8555 §6.5): unpredictable, single-use, bounded in
// number (the oldest are dropped first) and in age.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <random>
#include <string>
#include <unordered_map>

namespace acmespec::mockca::detail {

class NonceStore {
 public:
  NonceStore(std::size_t limit, std::chrono::seconds lifetime) : limit_(limit), lifetime_(lifetime) {}

  std::string issue(std::mt19937_64& rng, std::chrono::system_clock::time_point now);
  // True (and the nonce is spent) when `nonce` was issued, is unused and not too old.
  bool consume(const std::string& nonce, std::chrono::system_clock::time_point now);
  std::size_t size() const { return issued_.size(); }

 private:
  std::size_t limit_;
  std::chrono::seconds lifetime_;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> issued_;
  std::deque<std::string> order_;  // issue order, for dropping the oldest; may hold spent ones
};

// base64url of `bytes` random bytes from `rng`.
std::string random_b64(std::mt19937_64& rng, std::size_t bytes);

}  // namespace acmespec::mockca::detail
