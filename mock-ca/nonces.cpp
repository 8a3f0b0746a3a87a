#include "mock-ca/nonces.hpp"

#include "jose/base64url.hpp"

namespace acmespec::mockca::detail {

std::string random_b64(std::mt19937_64& rng, std::size_t bytes) {
  std::string raw;
  raw.reserve(bytes + 8);
  while (raw.size() < bytes) {
    const std::uint64_t v = rng();
    for (int i = 0; i < 8 && raw.size() < bytes; ++i) raw.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  return jose::base64url_encode(raw);
}

std::string NonceStore::issue(std::mt19937_64& rng, std::chrono::system_clock::time_point now) {
  std::string nonce = random_b64(rng, 16);
  while (issued_.size() >= limit_ && !order_.empty()) {
    issued_.erase(order_.front());
    order_.pop_front();
  }
  // Spent nonces stay in order_ until they reach the front; bound it as well.
  while (order_.size() >= 2 * limit_ + 16) {
    issued_.erase(order_.front());
    order_.pop_front();
  }
  issued_.emplace(nonce, now);
  order_.push_back(nonce);
  return nonce;
}

bool NonceStore::consume(const std::string& nonce, std::chrono::system_clock::time_point now) {
  auto it = issued_.find(nonce);
  if (it == issued_.end()) return false;
  const bool fresh = now - it->second <= lifetime_ && now >= it->second - std::chrono::minutes(5);
  issued_.erase(it);
  return fresh;
}

}  // namespace acmespec::mockca::detail
