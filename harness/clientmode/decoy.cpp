#include "clientmode/decoy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace acmespec::clientmode {

namespace {
constexpr std::size_t kMaxDecoyHits = 100;
constexpr std::size_t kDecoyReadCap = 512;

std::string decoy_first_line(const std::string& bytes) {
  if (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x16) return "TLS handshake";
  std::string line;
  for (char c : bytes) {
    if (c == '\r' || c == '\n') break;
    line += (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) ? c : '?';
  }
  return line.empty() ? "connection without a request" : line;
}
}  // namespace

Result<std::unique_ptr<DecoyListener>> DecoyListener::start(const std::string& host) {
  std::unique_ptr<DecoyListener> d(new DecoyListener());
  d->host_ = host;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return make_error("decoy", "not an IPv4 address: " + host);
  d->fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  socklen_t len = sizeof addr;
  if (d->fd_ < 0 || ::bind(d->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(d->fd_, 16) != 0 ||
      ::getsockname(d->fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return make_error("decoy", "cannot listen on " + host + ": " + std::strerror(errno));
  d->port_ = ntohs(addr.sin_port);
  if (::pipe2(d->stop_pipe_, O_CLOEXEC) != 0) return make_error("decoy", std::string("pipe: ") + std::strerror(errno));
  d->thread_ = std::thread([raw = d.get()] { raw->loop(); });
  return d;
}

DecoyListener::~DecoyListener() {
  if (thread_.joinable()) {
    const char c = 1;
    (void)!::write(stop_pipe_[1], &c, 1);
    thread_.join();
  }
  for (int f : {fd_, stop_pipe_[0], stop_pipe_[1]})
    if (f >= 0) ::close(f);
}

void DecoyListener::loop() {
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, 1000) < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    std::string bytes;
    char buf[kDecoyReadCap];
    pollfd in{conn, POLLIN, 0};
    while (bytes.size() < kDecoyReadCap && ::poll(&in, 1, 1000) > 0) {
      const ssize_t n = ::read(conn, buf, kDecoyReadCap - bytes.size());
      if (n <= 0) break;
      bytes.append(buf, static_cast<std::size_t>(n));
      if (bytes.find('\n') != std::string::npos || static_cast<unsigned char>(bytes[0]) == 0x16) break;
    }
    {
      // Recorded before the close: the client sees the close and may exit at once.
      std::lock_guard lock(mu_);
      if (hits_.size() < kMaxDecoyHits)
        hits_.push_back(host_ + ":" + std::to_string(port_) + ": " + decoy_first_line(bytes));
    }
    ::close(conn);
  }
}

std::vector<std::string> DecoyListener::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

}  // namespace acmespec::clientmode
