// Bounded socket helpers for the VA: every connect, read and write waits at
// most until a deadline, so a silent or dripping peer ends the validation
// with a connection problem instead of holding a worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "responders/net.hpp"

namespace acmespec::mockca::detail {

using Deadline = std::chrono::steady_clock::time_point;

// Connects a TCP socket (non-blocking afterwards) to an IPv4/IPv6 literal.
Result<responders::UniqueFd> connect_tcp(const std::string& ip, std::uint16_t port, Deadline deadline);
// Waits for `events` (POLLIN/POLLOUT) on fd; false on timeout.
bool wait_fd(int fd, short events, Deadline deadline);
Status send_all(int fd, const std::string& data, Deadline deadline);
// Reads until EOF or `cap` bytes (then stops; *truncated set).
Result<std::string> read_until_eof(int fd, std::size_t cap, Deadline deadline, bool* truncated);

// One HTTP/1.x answer read to EOF: status, Location, and the body with any
// chunked transfer coding removed.
struct HttpAnswer {
  int status = 0;
  std::string location;
  std::string body;
  bool chunked = false;
};
Result<HttpAnswer> parse_http(const std::string& raw);

// "host:port" / "[v6]:port" split; port required.
Result<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& text);

}  // namespace acmespec::mockca::detail
