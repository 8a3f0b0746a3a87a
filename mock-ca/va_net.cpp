#include "mock-ca/va_net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace acmespec::mockca::detail {

bool wait_fd(int fd, short events, Deadline deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

Result<responders::UniqueFd> connect_tcp(const std::string& ip, std::uint16_t port, Deadline deadline) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    return make_error("address", "not an IP address: " + ip);
  }
  responders::UniqueFd fd(::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return make_error("socket", std::strerror(errno));
  const std::string where = (ss.ss_family == AF_INET6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) return make_error(where, std::string("connect: ") + std::strerror(errno));
    if (!wait_fd(fd.get(), POLLOUT, deadline)) return make_error(where, "connect timed out");
    int err = 0;
    socklen_t el = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) return make_error(where, std::string("connect: ") + std::strerror(err));
  }
  return fd;
}

Status send_all(int fd, const std::string& data, Deadline deadline) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (!wait_fd(fd, POLLOUT, deadline)) return make_error("send", "timed out");
      continue;
    }
    return make_error("send", std::strerror(errno));
  }
  return Ok{};
}

Result<std::string> read_until_eof(int fd, std::size_t cap, Deadline deadline, bool* truncated) {
  std::string out;
  char buf[4096];
  *truncated = false;
  while (true) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      if (out.size() > cap) {
        out.resize(cap);
        *truncated = true;
        return out;
      }
      continue;
    }
    if (n == 0) return out;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      if (!wait_fd(fd, POLLIN, deadline)) return make_error("read", "timed out");
      continue;
    }
    return make_error("read", std::strerror(errno));
  }
}

Result<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return make_error("address", "expected [v6]:port, got \"" + text + "\"");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return make_error("address", "expected host:port, got \"" + text + "\"");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    return make_error("address", "bad port in \"" + text + "\"");
  return std::pair{host, static_cast<std::uint16_t>(std::stoul(port))};
}

}  // namespace acmespec::mockca::detail
