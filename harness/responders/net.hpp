// Small POSIX socket helpers shared by the DNS and TLS-ALPN-01 servers.
//
// Every server here runs a poll() loop that also watches a wake-up pipe, so
// stop() interrupts it at once instead of waiting for a timeout to expire.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace acmespec::responders {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A self-pipe: signal() makes read_fd() readable until drain().
class WakePipe {
 public:
  Status open();
  void signal() const;
  void drain() const;
  int read_fd() const { return read_.get(); }

 private:
  UniqueFd read_;
  UniqueFd write_;
};

// Binds a socket of `type` (SOCK_DGRAM or SOCK_STREAM; streams also listen)
// to host:port.  `host` is an IPv4 or IPv6 literal; port 0 picks a free one.
// The socket is non-blocking and close-on-exec.
Result<UniqueFd> bind_socket(const std::string& host, std::uint16_t port, int type);

// The port a bound socket ended up on (0 on failure).
std::uint16_t bound_port(int fd);

// "127.0.0.1:5353" or "[::1]:5353".
std::string address_to_string(const sockaddr_storage& addr, socklen_t len);

bool set_nonblocking(int fd);

// Milliseconds from now until `deadline`, clamped to [0, cap] for poll().
int poll_timeout_ms(std::chrono::steady_clock::time_point deadline,
                    std::chrono::milliseconds cap);

}  // namespace acmespec::responders
