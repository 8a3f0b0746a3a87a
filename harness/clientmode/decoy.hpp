// A decoy listener for the directory_decoy and resource_decoy faults
// (docs/security.md, "Client checks"): the mock CA's directory or its orders'
// authorization URLs point the client at this address (plain HTTP on
// 127.0.0.1, or another loopback host), and every connection
// that arrives is recorded with its first line.  A client that refuses such
// URLs never connects.  Bounded: at most 100 records, 512 bytes read per
// connection, one second per read.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"

namespace acmespec::clientmode {

class DecoyListener {
 public:
  // Binds host:0 (an ephemeral port) and starts accepting.
  static Result<std::unique_ptr<DecoyListener>> start(const std::string& host);
  ~DecoyListener();
  DecoyListener(const DecoyListener&) = delete;
  DecoyListener& operator=(const DecoyListener&) = delete;

  std::uint16_t port() const { return port_; }
  // "<host>:<port>: <first request line>" per connection, or "... TLS handshake" for a ClientHello.
  std::vector<std::string> hits() const;

 private:
  DecoyListener() = default;
  void loop();

  std::string host_;
  std::uint16_t port_ = 0;
  int fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  mutable std::mutex mu_;
  std::vector<std::string> hits_;
  std::thread thread_;
};

}  // namespace acmespec::clientmode
