#include "responders/dns_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace acmespec::responders {

std::string dns_rcode_name(std::uint16_t rcode) {
  switch (rcode) {
    case dns_rcode::kNoError: return "NOERROR";
    case dns_rcode::kFormErr: return "FORMERR";
    case dns_rcode::kServFail: return "SERVFAIL";
    case dns_rcode::kNxDomain: return "NXDOMAIN";
    case dns_rcode::kNotImp: return "NOTIMP";
    case dns_rcode::kRefused: return "REFUSED";
    case dns_rcode::kBadVers: return "BADVERS";
    default: return "RCODE" + std::to_string(rcode);
  }
}

DnsExchange answer_dns_message(const DnsZone& zone, std::string_view message,
                               std::size_t udp_limit) {
  DnsExchange x;
  auto query = parse_dns_message(message);
  if (!query) {
    x.rcode = "FORMERR (" + query.error().to_string() + ")";
    if (message.size() >= 12) x.response = build_dns_error_response(message, dns_rcode::kFormErr);
    return x;
  }
  const DnsAnswers answers = zone.answer(*query);
  if (!query->questions.empty()) {
    x.name = query->questions.front().name();
    x.type = dns_type_name(query->questions.front().type);
  }
  x.rcode = dns_rcode_name(answers.rcode);
  DnsResponseOptions options;
  if (udp_limit != 0) {
    options.max_bytes = query->edns ? std::clamp<std::size_t>(query->edns->udp_payload_size,
                                                              kDnsMaxUdpWithoutEdns, udp_limit)
                                    : kDnsMaxUdpWithoutEdns;
  }
  x.response = build_dns_response(*query, answers, options);
  return x;
}

struct DnsServer::TcpConnection {
  UniqueFd fd;
  std::string source;
  std::string in;
  std::string out;
  std::chrono::steady_clock::time_point deadline;
};

DnsServer::DnsServer(const DnsZone& zone, HistoryLog<DnsHistoryEntry>& history, WallClock clock)
    : zone_(zone), history_(history), clock_(clock ? std::move(clock) : system_wall_clock()) {}

DnsServer::~DnsServer() { stop(); }

Status DnsServer::start(const DnsServerOptions& options) {
  if (running_) return make_error("dns", "already running");
  options_ = options;
  if (auto st = wake_.open(); !st) return st.error().nested("dns");
  // With port 0 the UDP socket picks the number and TCP must get the same
  // one; another process may hold it for TCP, so try a few picks.
  const int attempts = options.port == 0 ? 8 : 1;
  Error last{"dns", "could not bind"};
  for (int i = 0; i < attempts; ++i) {
    auto udp = bind_socket(options.host, options.port, SOCK_DGRAM);
    if (!udp) return udp.error().nested("dns.udp");
    const std::uint16_t port = bound_port(udp->get());
    auto tcp = bind_socket(options.host, port, SOCK_STREAM);
    if (!tcp) {
      last = tcp.error().nested("dns.tcp");
      continue;
    }
    udp_ = std::move(*udp);
    tcp_ = std::move(*tcp);
    port_ = port;
    break;
  }
  if (!udp_.valid()) return last;
  stopping_ = false;
  udp_thread_ = std::thread([this] { udp_loop(); });
  tcp_thread_ = std::thread([this] { tcp_loop(); });
  running_ = true;
  return Status{Ok{}};
}

void DnsServer::stop() {
  if (!running_) return;
  stopping_ = true;
  wake_.signal();
  if (udp_thread_.joinable()) udp_thread_.join();
  if (tcp_thread_.joinable()) tcp_thread_.join();
  udp_.reset();
  tcp_.reset();
  running_ = false;
}

void DnsServer::record(const std::string& protocol, const std::string& source,
                       const DnsExchange& x) {
  history_.add(DnsHistoryEntry{clock_(), protocol, x.name, x.type, source, x.rcode});
}

void DnsServer::udp_loop() {
  std::string buf(65535, '\0');
  while (!stopping_) {
    pollfd fds[2] = {{wake_.read_fd(), POLLIN, 0}, {udp_.get(), POLLIN, 0}};
    if (::poll(fds, 2, 1000) < 0 && errno != EINTR) break;
    if (stopping_) break;
    if (!(fds[1].revents & POLLIN)) continue;
    // Drain what is queued, but go back to poll() now and then so a flood
    // cannot delay stop().
    for (int i = 0; i < 64 && !stopping_; ++i) {
      sockaddr_storage peer{};
      socklen_t peer_len = sizeof peer;
      const ssize_t n = ::recvfrom(udp_.get(), buf.data(), buf.size(), 0,
                                   reinterpret_cast<sockaddr*>(&peer), &peer_len);
      if (n < 0) break;
      const DnsExchange x = answer_dns_message(
          zone_, std::string_view(buf.data(), static_cast<std::size_t>(n)),
          std::max<std::size_t>(options_.max_udp_payload, kDnsMaxUdpWithoutEdns));
      record("udp", address_to_string(peer, peer_len), x);
      if (!x.response.empty()) {
        ::sendto(udp_.get(), x.response.data(), x.response.size(), 0,
                 reinterpret_cast<sockaddr*>(&peer), peer_len);
      }
    }
  }
}

void DnsServer::tcp_loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<std::unique_ptr<TcpConnection>> conns;
  std::vector<pollfd> fds;
  char buf[4096];
  while (!stopping_) {
    fds.clear();
    fds.push_back({wake_.read_fd(), POLLIN, 0});
    const bool accepting = conns.size() < options_.max_tcp_connections;
    fds.push_back({accepting ? tcp_.get() : -1, POLLIN, 0});
    auto next_deadline = Clock::now() + std::chrono::seconds(1);
    for (const auto& c : conns) {
      fds.push_back({c->fd.get(), static_cast<short>(c->out.empty() ? POLLIN : POLLOUT), 0});
      next_deadline = std::min(next_deadline, c->deadline);
    }
    const int timeout = poll_timeout_ms(next_deadline, std::chrono::milliseconds(1000));
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    if (stopping_) break;

    const auto now = Clock::now();
    std::vector<bool> drop(conns.size(), false);
    for (std::size_t i = 0; i < conns.size(); ++i) {
      auto& c = *conns[i];
      const short ev = fds[i + 2].revents;
      if (ev & (POLLERR | POLLNVAL)) {
        drop[i] = true;
        continue;
      }
      if (!c.out.empty() && (ev & POLLOUT)) {
        const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) drop[i] = true;
        if (n > 0) c.out.erase(0, static_cast<std::size_t>(n));
        c.deadline = now + options_.tcp_idle_timeout;
      } else if (ev & (POLLIN | POLLHUP)) {
        const ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
          drop[i] = true;
          continue;
        }
        if (n > 0) c.in.append(buf, static_cast<std::size_t>(n));
        c.deadline = now + options_.tcp_idle_timeout;
        while (c.in.size() >= 2) {
          const std::size_t len = (static_cast<unsigned char>(c.in[0]) << 8) |
                                  static_cast<unsigned char>(c.in[1]);
          if (c.in.size() < 2 + len) break;
          const DnsExchange x = answer_dns_message(zone_, std::string_view(c.in).substr(2, len), 0);
          record("tcp", c.source, x);
          c.in.erase(0, 2 + len);
          if (x.response.empty()) {
            drop[i] = true;
            break;
          }
          c.out.push_back(static_cast<char>(x.response.size() >> 8));
          c.out.push_back(static_cast<char>(x.response.size() & 0xff));
          c.out += x.response;
        }
      }
      if (now >= c.deadline) drop[i] = true;
    }
    for (std::size_t i = conns.size(); i-- > 0;) {
      if (drop[i]) conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i));
    }

    if (accepting && (fds[1].revents & POLLIN)) {
      while (conns.size() < options_.max_tcp_connections) {
        sockaddr_storage peer{};
        socklen_t peer_len = sizeof peer;
        const int fd = ::accept4(tcp_.get(), reinterpret_cast<sockaddr*>(&peer), &peer_len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        auto c = std::make_unique<TcpConnection>();
        c->fd.reset(fd);
        c->source = address_to_string(peer, peer_len);
        c->deadline = Clock::now() + options_.tcp_idle_timeout;
        conns.push_back(std::move(c));
      }
    }
  }
}

}  // namespace acmespec::responders
