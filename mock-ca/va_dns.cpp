// A small stub resolver for the VA: one question over UDP to the configured
// DNS server (TCP when the answer is truncated), bounded in time and size.
// Queries reuse the responders' name encoder; answers are read here, since
// the responders' parser only reads queries.
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "mock-ca/va.hpp"
#include "mock-ca/va_net.hpp"
#include "responders/dns_message.hpp"

namespace acmespec::mockca::detail {
namespace {

using responders::dns_type::kA;
using responders::dns_type::kAaaa;
using responders::dns_type::kTxt;

struct DnsAnswer {
  std::uint16_t rcode = 0;
  std::vector<std::pair<std::uint16_t, std::string>> records;  // type, rdata
};

std::uint16_t be16(const std::string& m, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(m[at]) << 8) | static_cast<unsigned char>(m[at + 1]));
}

// Advances past a (possibly compressed) name; false when it runs off the end.
bool skip_name(const std::string& m, std::size_t& at) {
  for (int labels = 0; labels < 128; ++labels) {
    if (at >= m.size()) return false;
    const auto len = static_cast<unsigned char>(m[at]);
    if (len == 0) {
      ++at;
      return true;
    }
    if ((len & 0xc0) == 0xc0) {
      at += 2;
      return at <= m.size();
    }
    if (len & 0xc0) return false;
    at += 1 + len;
  }
  return false;
}

Result<DnsAnswer> parse_answer(const std::string& m, std::uint16_t id) {
  if (m.size() < 12) return make_error("dns", "answer shorter than a header");
  if (be16(m, 0) != id) return make_error("dns", "answer id does not match the query");
  const std::uint16_t flags = be16(m, 2);
  if (!(flags & 0x8000)) return make_error("dns", "answer is not a response");
  DnsAnswer out;
  out.rcode = flags & 0x000f;
  const std::uint16_t qd = be16(m, 4), an = be16(m, 6);
  std::size_t at = 12;
  for (int i = 0; i < qd; ++i) {
    if (!skip_name(m, at) || at + 4 > m.size()) return make_error("dns", "truncated question");
    at += 4;
  }
  for (int i = 0; i < an && i < 256; ++i) {
    if (!skip_name(m, at) || at + 10 > m.size()) return make_error("dns", "truncated answer record");
    const std::uint16_t type = be16(m, at);
    const std::uint16_t rdlen = be16(m, at + 8);
    at += 10;
    if (at + rdlen > m.size()) return make_error("dns", "truncated rdata");
    out.records.emplace_back(type, m.substr(at, rdlen));
    at += rdlen;
  }
  return out;
}

Result<std::string> exchange_udp(const std::string& server_ip, std::uint16_t port, const std::string& query,
                                 std::uint16_t id, Deadline deadline) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, server_ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, server_ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    return make_error("dns_server", "not an IP address: " + server_ip);
  }
  responders::UniqueFd fd(::socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0)
    return make_error("dns", std::string("socket: ") + std::strerror(errno));
  if (::send(fd.get(), query.data(), query.size(), 0) < 0) return make_error("dns", std::string("send: ") + std::strerror(errno));
  char buf[65535];
  while (wait_fd(fd.get(), POLLIN, deadline)) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return make_error("dns", std::string("receive: ") + std::strerror(errno));
    }
    std::string m(buf, static_cast<std::size_t>(n));
    if (m.size() >= 2 && be16(m, 0) == id) return m;  // others are stray datagrams
  }
  return make_error("dns", "no answer from " + server_ip + ":" + std::to_string(port) + " in time");
}

Result<std::string> exchange_tcp(const std::string& server_ip, std::uint16_t port, const std::string& query,
                                 Deadline deadline) {
  auto fd = connect_tcp(server_ip, port, deadline);
  if (!fd) return fd.error();
  std::string framed;
  framed.push_back(static_cast<char>(query.size() >> 8));
  framed.push_back(static_cast<char>(query.size() & 0xff));
  framed += query;
  if (auto s = send_all(fd->get(), framed, deadline); !s) return s.error();
  bool truncated = false;
  auto all = read_until_eof(fd->get(), 65537, deadline, &truncated);
  if (!all) return all.error();
  if (all->size() < 2) return make_error("dns", "empty TCP answer");
  const std::size_t n = be16(*all, 0);
  if (all->size() < n + 2) return make_error("dns", "short TCP answer");
  return all->substr(2, n);
}

// TCP first (RFC 8555 §11.2 asks validators to resist off-path spoofing, which
// UDP invites); UDP when the server takes no TCP.
Result<DnsAnswer> query(const VaConfig& config, const std::string& name, std::uint16_t type, bool tcp_first = false) {
  auto server = split_host_port(config.dns_server);
  if (!server) return server.error();
  auto qname = responders::encode_dns_name(responders::split_dns_name(name));
  if (!qname) return make_error("dns", "cannot query \"" + name + "\": " + qname.error().to_string());
  std::random_device rd;
  const auto id = static_cast<std::uint16_t>(rd());
  std::string q;
  q.push_back(static_cast<char>(id >> 8));
  q.push_back(static_cast<char>(id & 0xff));
  q += std::string("\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10);
  q += *qname;
  q.push_back(static_cast<char>(type >> 8));
  q.push_back(static_cast<char>(type & 0xff));
  q += std::string("\x00\x01", 2);
  const Deadline deadline = std::chrono::steady_clock::now() + config.timeout;
  if (tcp_first) {
    const Deadline tcp_deadline = std::chrono::steady_clock::now() + config.timeout / 2;
    if (auto raw = exchange_tcp(server->first, server->second, q, tcp_deadline); raw) return parse_answer(*raw, id);
  }
  auto raw = exchange_udp(server->first, server->second, q, id, deadline);
  if (!raw) return raw.error();
  if (raw->size() >= 4 && (be16(*raw, 2) & 0x0200)) {
    raw = exchange_tcp(server->first, server->second, q, deadline);
    if (!raw) return raw.error();
  }
  return parse_answer(*raw, id);
}

std::string rcode_text(std::uint16_t rcode) {
  switch (rcode) {
    case 2: return "SERVFAIL";
    case 3: return "NXDOMAIN";
    case 5: return "REFUSED";
    default: return "rcode " + std::to_string(rcode);
  }
}

}  // namespace

Result<std::vector<std::string>> resolve_addresses(const VaConfig& config, const std::string& name) {
  std::vector<std::string> out;
  std::string last_error;
  for (const std::uint16_t type : {kA, kAaaa}) {
    auto ans = query(config, name, type);
    if (!ans) {
      last_error = ans.error().to_string();
      continue;
    }
    if (ans->rcode != 0) {
      last_error = rcode_text(ans->rcode) + " for " + name;
      continue;
    }
    for (const auto& [t, rdata] : ans->records) {
      char buf[INET6_ADDRSTRLEN];
      if (t == kA && type == kA && rdata.size() == 4 && inet_ntop(AF_INET, rdata.data(), buf, sizeof buf)) out.emplace_back(buf);
      if (t == kAaaa && type == kAaaa && rdata.size() == 16 && inet_ntop(AF_INET6, rdata.data(), buf, sizeof buf))
        out.emplace_back(buf);
    }
  }
  if (out.empty()) return make_error("dns", last_error.empty() ? "no A or AAAA record for " + name : last_error);
  return out;
}

Result<std::vector<std::string>> query_txt(const VaConfig& config, const std::string& name) {
  auto ans = query(config, name, kTxt, true);
  if (!ans) return ans.error();
  if (ans->rcode != 0 && ans->rcode != 3) return make_error("dns", rcode_text(ans->rcode) + " for TXT " + name);
  std::vector<std::string> out;
  for (const auto& [t, rdata] : ans->records) {
    if (t != kTxt) continue;
    std::string value;
    for (std::size_t at = 0; at < rdata.size();) {
      const auto len = static_cast<unsigned char>(rdata[at]);
      value += rdata.substr(at + 1, len);
      at += 1 + len;
    }
    out.push_back(std::move(value));
  }
  return out;
}

Result<std::vector<CaaRecord>> query_caa(const VaConfig& config, const std::string& name) {
  auto ans = query(config, name, responders::dns_type::kCaa);
  if (!ans) return ans.error();
  if (ans->rcode != 0 && ans->rcode != 3) return make_error("dns", rcode_text(ans->rcode) + " for CAA " + name);
  std::vector<CaaRecord> out;
  for (const auto& [t, rdata] : ans->records) {
    if (t != responders::dns_type::kCaa || rdata.size() < 2) continue;
    const auto taglen = static_cast<unsigned char>(rdata[1]);
    if (rdata.size() < 2u + taglen) continue;
    CaaRecord r;
    r.flags = static_cast<std::uint8_t>(rdata[0]);
    r.tag = rdata.substr(2, taglen);
    for (auto& c : r.tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.value = rdata.substr(2 + taglen);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace acmespec::mockca::detail
